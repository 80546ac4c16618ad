//go:build unix && !aix

package pipeline

import (
	"io/fs"
	"os"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// sysStamp is a file's inode and change time.
func sysStamp(fi fs.FileInfo) (ino uint64, ctime int64) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, 0
	}
	return uint64(st.Ino), changeTime(st)
}

// lockRecord takes the lock that one build at a time holds on a site's
// cache folder, waiting at most wait for another build to finish; unlock
// gives it back. Records are for this platform only.
func lockRecord(dir string, wait time.Duration) (unlock func(), err error) {
	f, err := os.OpenFile(dir+"/lock", os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	deadline := time.Now().Add(wait)
	for {
		err = unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB)
		if err == nil {
			return func() { unix.Flock(int(f.Fd()), unix.LOCK_UN); f.Close() }, nil
		}
		if err != unix.EWOULDBLOCK || time.Now().After(deadline) {
			f.Close()
			if err == unix.EWOULDBLOCK {
				return nil, errBusy
			}
			return nil, err
		}
		time.Sleep(50 * time.Millisecond)
	}
}

const haveRecords = true
