package dirfs

import (
	"io/fs"
	"os"
	"sync/atomic"

	"golang.org/x/sys/unix"
)

// noOpenat2 is set when the kernel (or a sandbox) lacks openat2; os.Root
// serves then. Tests set it to run the portable way.
var noOpenat2 atomic.Bool

// openBeneath opens name under root with flags in one step: openat2 with
// RESOLVE_BENEATH follows links that stay under root and fails with EXDEV
// for any other. Errors are *fs.PathError naming name.
func openBeneath(root, name string, flags int) (int, error) {
	rootfd, err := retry(func() (int, error) {
		return unix.Open(root, unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	})
	if err != nil {
		return -1, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	defer unix.Close(rootfd)
	how := unix.OpenHow{Flags: uint64(flags | unix.O_CLOEXEC), Resolve: unix.RESOLVE_BENEATH | unix.RESOLVE_NO_MAGICLINKS}
	fd, err := retry(func() (int, error) { return unix.Openat2(rootfd, name, &how) })
	switch err {
	case nil:
		return fd, nil
	case unix.EXDEV:
		return -1, &fs.PathError{Op: "open", Path: name, Err: ErrOutside}
	case unix.ENOSYS, unix.EPERM:
		return -1, errNoOpenat2
	}
	return -1, &fs.PathError{Op: "open", Path: name, Err: err}
}

var errNoOpenat2 = &fs.PathError{Op: "openat2", Err: unix.ENOSYS}

// openChecked opens name for reading if it is a regular file or a folder.
// O_NONBLOCK keeps a named pipe from blocking the open. Reads of a regular
// file ignore the flag, so it is cleared (two fcntl calls) only when
// clear is set: for a file handed out as an *os.File, which the os package
// would otherwise treat as pollable.
func openChecked(root, name string, clear bool) (int, *unix.Stat_t, error) {
	fd, err := openBeneath(root, name, unix.O_RDONLY|unix.O_NONBLOCK)
	if err != nil {
		return -1, nil, err
	}
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		unix.Close(fd)
		return -1, nil, &fs.PathError{Op: "stat", Path: name, Err: err}
	}
	if t := st.Mode & unix.S_IFMT; t != unix.S_IFREG && t != unix.S_IFDIR {
		unix.Close(fd)
		return -1, nil, &fs.PathError{Op: "open", Path: name, Err: errNotRegular}
	}
	if !clear {
		return fd, &st, nil
	}
	if err := unix.SetNonblock(fd, false); err != nil {
		unix.Close(fd)
		return -1, nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	return fd, &st, nil
}

func openFile(root, name string) (*os.File, error) {
	if noOpenat2.Load() {
		return rootOpen(root, name)
	}
	fd, _, err := openChecked(root, name, true)
	if err == errNoOpenat2 {
		noOpenat2.Store(true)
		return rootOpen(root, name)
	}
	if err != nil {
		return nil, err
	}
	return os.NewFile(uintptr(fd), joinRoot(root, name)), nil
}

func stat(root, name string) (fs.FileInfo, error) {
	if noOpenat2.Load() {
		return rootStat(root, name)
	}
	fd, err := openBeneath(root, name, unix.O_PATH)
	if err == errNoOpenat2 {
		noOpenat2.Store(true)
		return rootStat(root, name)
	}
	if err != nil {
		return nil, err
	}
	f := os.NewFile(uintptr(fd), name)
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: err}
	}
	return fi, nil
}

func readFile(root, name string, limit int64) ([]byte, error) {
	if noOpenat2.Load() {
		return readPortable(root, name, limit)
	}
	fd, st, err := openChecked(root, name, false)
	if err == errNoOpenat2 {
		noOpenat2.Store(true)
		return readPortable(root, name, limit)
	}
	if err != nil {
		return nil, err
	}
	defer unix.Close(fd)
	if st.Mode&unix.S_IFMT == unix.S_IFDIR {
		return nil, &fs.PathError{Op: "read", Path: name, Err: errIsDir}
	}
	// One byte more than the size, so that a file which grew since fstat is
	// seen to be longer. Once the size is read, a short read is the end:
	// that saves the second read os.ReadFile makes to see it.
	size := int(st.Size)
	if limit >= 0 && int64(size) > limit {
		size = int(limit)
	}
	buf := make([]byte, 0, size+1)
	for {
		if limit >= 0 && int64(len(buf)) >= limit {
			return buf[:limit], nil
		}
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		end := cap(buf)
		if limit >= 0 && int64(end) > limit {
			end = int(limit)
		}
		n, err := retry(func() (int, error) { return unix.Read(fd, buf[len(buf):end]) })
		if err != nil {
			return nil, &fs.PathError{Op: "read", Path: name, Err: err}
		}
		buf = buf[:len(buf)+n]
		if n == 0 || (len(buf) >= size && len(buf) < cap(buf)) {
			return buf, nil
		}
	}
}

// retry calls f again while it is interrupted by a signal (EINTR), as the
// os package does for its own system calls.
func retry(f func() (int, error)) (int, error) {
	for {
		n, err := f()
		if err != unix.EINTR {
			return n, err
		}
	}
}
