//go:build !linux

package hugeheap

func advise(int64) bool { return false }

func hugePagesOn() bool { return false }
