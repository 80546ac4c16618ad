//go:build unix && !aix

package pipeline

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"golang.org/x/sys/unix"
)

// stampTree stamps the folder rel of the site at src and everything in
// it into stamps; nothing when there is no such folder. Each file is
// stamped by fstatat relative to its open folder, not lstat of its whole
// path: a build from a record stamps every source file while it reads
// the record, on the other core (BenchmarkStamps).
func stampTree(src, rel string, stamps map[string]stamp) error {
	var st unix.Stat_t
	root := filepath.Join(src, rel)
	if err := unix.Fstatat(unix.AT_FDCWD, root, &st, unix.AT_SYMLINK_NOFOLLOW); err != nil {
		if err == unix.ENOENT {
			return nil
		}
		return &fs.PathError{Op: "lstat", Path: root, Err: err}
	}
	if st.Mode&unix.S_IFMT != unix.S_IFDIR {
		return stampEntry(unix.AT_FDCWD, root, "", rel, &st, stamps)
	}
	err := stampDir(unix.AT_FDCWD, root, root, rel, stamps)
	if _, opened := stamps[rel+"/"]; !opened && errors.Is(err, fs.ErrNotExist) {
		return nil // removed since
	}
	return err
}

// stampDir stamps the folder name in the open folder at (its path: path;
// from the site root: rel) and, depth first, what it holds.
func stampDir(at int, name, path, rel string, stamps map[string]stamp) error {
	fd, err := unix.Openat(at, name, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
	if err != nil {
		return &fs.PathError{Op: "open", Path: rel, Err: err}
	}
	dir := os.NewFile(uintptr(fd), rel)
	defer dir.Close()
	names, err := dir.Readdirnames(-1)
	if err != nil {
		return err
	}
	stamps[rel+"/"] = stamp{Mode: uint32(fs.ModeDir)}
	var st unix.Stat_t
	for _, n := range names {
		if err := unix.Fstatat(fd, n, &st, unix.AT_SYMLINK_NOFOLLOW); err != nil {
			return &fs.PathError{Op: "lstat", Path: rel + "/" + n, Err: err}
		}
		if st.Mode&unix.S_IFMT == unix.S_IFDIR {
			err = stampDir(fd, n, filepath.Join(path, n), rel+"/"+n, stamps)
		} else {
			err = stampEntry(fd, n, path, rel+"/"+n, &st, stamps)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// stampEntry stamps what is not a folder, name in the open folder at
// (whose path is dir), whose lstat is st. A symbolic link's stamp is its
// target's, and the link's text; a link to a folder cannot be stamped
// (errNoStamps).
func stampEntry(at int, name, dir, rel string, st *unix.Stat_t, stamps map[string]stamp) error {
	var s stamp
	if st.Mode&unix.S_IFMT == unix.S_IFLNK {
		var err error
		if s.Link, err = os.Readlink(filepath.Join(dir, name)); err != nil {
			return err
		}
		if err := unix.Fstatat(at, name, st, 0); err != nil {
			stamps[rel] = s // a broken link: its target is its stamp
			return nil
		}
		if st.Mode&unix.S_IFMT == unix.S_IFDIR {
			return errNoStamps
		}
	}
	s.Size, s.Mode, s.Ino = st.Size, uint32(st.Mode), uint64(st.Ino)
	s.Mod, s.Ctime = modTime(st), changeTime(st)
	stamps[rel] = s
	return nil
}

// modTime and changeTime are a file's modification and change times,
// in Unix nanoseconds.
func modTime(st *unix.Stat_t) int64    { return st.Mtim.Nano() }
func changeTime(st *unix.Stat_t) int64 { return st.Ctim.Nano() }

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
