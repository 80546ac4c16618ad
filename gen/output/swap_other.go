//go:build !linux

package output

func swap(tmp, final string) (string, error) { return swapByRename(tmp, final) }
