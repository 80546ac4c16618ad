// Package dirfs is os.DirFS with a cheaper ReadFile. A build reads every
// story, dataset and template once; on Linux, os.ReadFile opens a file
// with four fcntl calls and an epoll_ctl that fails for regular files, and
// reads twice to see the end. Here a file costs openat, fstat, one read
// and close.
package dirfs

import (
	"io/fs"
	"os"
)

// FS is the folder tree rooted at a path. Like os.DirFS, its underlying
// type is a string holding the root, which gen/photo relies on to tell two
// trees apart.
type FS string

// New returns the tree rooted at dir.
func New(dir string) FS { return FS(dir) }

func (f FS) dirFS() fs.FS { return os.DirFS(string(f)) }

// Open opens name as os.DirFS does.
func (f FS) Open(name string) (fs.File, error) { return f.dirFS().Open(name) }

// Stat is os.DirFS's Stat.
func (f FS) Stat(name string) (fs.FileInfo, error) { return f.dirFS().(fs.StatFS).Stat(name) }

// ReadDir is os.DirFS's ReadDir.
func (f FS) ReadDir(name string) ([]fs.DirEntry, error) {
	return f.dirFS().(fs.ReadDirFS).ReadDir(name)
}

// ReadFile reads the whole file name.
func (f FS) ReadFile(name string) ([]byte, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "readfile", Path: name, Err: fs.ErrInvalid}
	}
	full := string(f) + "/" + name
	if f == "" {
		full = name
	}
	data, err := readFile(full)
	if err != nil {
		// Errors name the file as fs.FS users expect: relative to the root.
		if pe, ok := err.(*fs.PathError); ok {
			pe.Path = name
		}
		return nil, err
	}
	return data, nil
}
