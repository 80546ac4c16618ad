package deploy

import (
	"io/fs"
	"syscall"
)

func changeTime(fi fs.FileInfo) (ctime int64, inode uint64, ok bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, 0, false
	}
	return st.Ctim.Nano(), st.Ino, true
}
