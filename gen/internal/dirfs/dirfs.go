// Package dirfs is the site folder as an fs.FS that never leaves it: a
// symbolic link that stays inside the folder is followed, one that leads
// outside (or is absolute) is refused with ErrOutside, and the check and
// the open are one step, so a link swapped in between cannot slip through.
// Only regular files and folders are opened: a named pipe or a device
// would hang or flood the build.
//
// It also reads files cheaply. A build reads every story, dataset and
// template once; on Linux, os.ReadFile opens a file with four fcntl calls
// and an epoll_ctl that fails for regular files, and reads twice to see
// the end. Here a file costs an open of the root, openat2, fstat, one read
// and two closes, which pays on make bench-site's cold build of 10,000
// stories on disk.
package dirfs

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"slices"
	"strings"
)

// ErrOutside is the error of a path that a symbolic link takes outside the
// site folder.
var ErrOutside = errors.New("symbolic link leads outside the site folder (links must be relative and stay inside it)")

// errIsDir is the error of reading a folder as a file.
var errIsDir = errors.New("is a folder, not a file")

// errNotRegular is the error of a path that is neither a file nor a folder.
var errNotRegular = errors.New("not a regular file or folder")

// FS is the folder tree rooted at a path. Like os.DirFS, its underlying
// type is a string holding the root, which gen/photo relies on to tell two
// trees apart.
type FS string

// New returns the tree rooted at dir.
func New(dir string) FS { return FS(dir) }

func (f FS) root() string {
	if f == "" {
		return "."
	}
	return string(f)
}

// Open opens name, a file or a folder.
func (f FS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	file, err := openFile(f.root(), name)
	if err != nil {
		return nil, err
	}
	return file, nil
}

// Stat returns the FileInfo of name, following links that stay inside.
func (f FS) Stat(name string) (fs.FileInfo, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: fs.ErrInvalid}
	}
	return stat(f.root(), name)
}

// ReadDir lists the folder name, sorted by file name. Entries are not
// followed: a symbolic link is listed as one.
func (f FS) ReadDir(name string) ([]fs.DirEntry, error) {
	file, err := f.Open(name)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	dir, ok := file.(fs.ReadDirFile)
	if !ok {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: errors.New("not implemented")}
	}
	list, err := dir.ReadDir(-1)
	slices.SortFunc(list, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return list, err
}

// ReadFile reads the whole file name.
func (f FS) ReadFile(name string) ([]byte, error) { return f.ReadFileN(name, -1) }

// ReadFileN reads at most the first n bytes of the file name, as reading
// through io.LimitReader would, but in one read of the size fstat gives;
// a negative n reads the whole file. A caller that bounds what it accepts
// asks for one byte more than the bound, to tell a file that exceeds it.
func (f FS) ReadFileN(name string, n int64) ([]byte, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "readfile", Path: name, Err: fs.ErrInvalid}
	}
	return readFile(f.root(), name, n)
}

// rootOpen is the portable way: os.Root follows links inside the root and
// refuses the others, resolving one component at a time.
func rootOpen(root, name string) (*os.File, error) {
	r, err := os.OpenRoot(root)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	defer r.Close()
	fi, err := r.Stat(name)
	if err != nil {
		return nil, rootError("open", name, err)
	}
	if !fi.Mode().IsRegular() && !fi.IsDir() {
		return nil, &fs.PathError{Op: "open", Path: name, Err: errNotRegular}
	}
	file, err := r.Open(name)
	if err != nil {
		return nil, rootError("open", name, err)
	}
	return file, nil
}

func rootStat(root, name string) (fs.FileInfo, error) {
	r, err := os.OpenRoot(root)
	if err != nil {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: err}
	}
	defer r.Close()
	fi, err := r.Stat(name)
	if err != nil {
		return nil, rootError("stat", name, err)
	}
	return fi, nil
}

// rootError names the path relative to the root, and tells a link that
// leaves the root by ErrOutside: os.Root's own error for it is not
// exported.
func rootError(op, name string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	if strings.Contains(err.Error(), "path escapes from parent") {
		err = ErrOutside
	}
	return &fs.PathError{Op: op, Path: name, Err: err}
}

// readPortable reads at most n bytes of name (all of it if n < 0) through
// os.Root.
func readPortable(root, name string, n int64) ([]byte, error) {
	f, err := rootOpen(root, name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.IsDir() {
		return nil, &fs.PathError{Op: "read", Path: name, Err: errIsDir}
	}
	var r io.Reader = f
	if n >= 0 {
		r = io.LimitReader(f, n)
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, &fs.PathError{Op: "read", Path: name, Err: err}
	}
	return data, nil
}

// joinRoot is the path of name for the os package: an open folder's
// entries find their FileInfo by it.
func joinRoot(root, name string) string {
	if name == "." {
		return root
	}
	return root + "/" + name
}
