//go:build !linux

package prefault

func populate(int64) bool { return false }
