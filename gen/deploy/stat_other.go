//go:build !linux

package deploy

import "io/fs"

func changeTime(fs.FileInfo) (ctime int64, inode uint64, ok bool) { return 0, 0, false }
