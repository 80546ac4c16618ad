package output

import "golang.org/x/sys/unix"

// swap exchanges the new folder and the final one in one step; afterwards
// the old site sits at the temporary path, which is returned for removal.
func swap(tmp, final string) (string, error) {
	if err := unix.Renameat2(unix.AT_FDCWD, tmp, unix.AT_FDCWD, final, unix.RENAME_EXCHANGE); err != nil {
		return swapByRename(tmp, final)
	}
	return tmp, nil
}
