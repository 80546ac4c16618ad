package output

import (
	"fmt"
	"io/fs"
	"syscall"
)

// folderID names a folder by device and inode: a folder made again at the
// same path has another.
func folderID(fi fs.FileInfo) string {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return ""
	}
	return fmt.Sprintf("%d:%d", st.Dev, st.Ino)
}
