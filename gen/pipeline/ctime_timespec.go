//go:build darwin || ios || freebsd || netbsd

package pipeline

import (
	"syscall"
	"time"
)

// changeTime is a file's change time, in Unix nanoseconds.
func changeTime(st *syscall.Stat_t) int64 {
	return time.Unix(int64(st.Ctimespec.Sec), int64(st.Ctimespec.Nsec)).UnixNano()
}
