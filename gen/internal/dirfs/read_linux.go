package dirfs

import (
	"io/fs"
	"os"

	"golang.org/x/sys/unix"
)

func readFile(path string) ([]byte, error) {
	fd, err := Retry(func() (int, error) { return unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0) })
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	defer unix.Close(fd)
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		return nil, &fs.PathError{Op: "stat", Path: path, Err: err}
	}
	if st.Mode&unix.S_IFMT != unix.S_IFREG {
		// Folders, pipes and devices: leave them to the os package, which
		// reports them as os.ReadFile does.
		return os.ReadFile(path)
	}
	// One byte more than the size, so that a file which grew since fstat is
	// seen to be longer. Once the size is read, a short read is the end:
	// that saves the second read os.ReadFile makes to see it.
	size := int(st.Size)
	buf := make([]byte, 0, size+1)
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := Retry(func() (int, error) { return unix.Read(fd, buf[len(buf):cap(buf)]) })
		if err != nil {
			return nil, &fs.PathError{Op: "read", Path: path, Err: err}
		}
		buf = buf[:len(buf)+n]
		if n == 0 || (len(buf) >= size && len(buf) < cap(buf)) {
			return buf, nil
		}
	}
}

// Retry calls f again while it is interrupted by a signal (EINTR), as the
// os package does for its own system calls. gen/output uses it too.
func Retry(f func() (int, error)) (int, error) {
	for {
		n, err := f()
		if err != unix.EINTR {
			return n, err
		}
	}
}
