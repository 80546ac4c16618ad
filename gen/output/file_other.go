//go:build !linux

package output

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
)

// folder is the temporary folder; elsewhere than on Linux, files are made
// with the os package.
type folder struct{ path string }

func openFolder(path string) (folder, error) { return folder{path: path}, nil }

func (f *folder) close() {}

func (f *folder) mkdir(rel string) error {
	return os.Mkdir(filepath.Join(f.path, rel), 0o755)
}

func (f *folder) create(rel string, data []byte) error {
	file, err := os.OpenFile(filepath.Join(f.path, rel), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	_, err = file.Write(data)
	if cerr := file.Close(); err == nil {
		err = cerr
	}
	return err
}

func (f *folder) equal(rel string, data []byte) bool {
	old, err := os.ReadFile(filepath.Join(f.path, rel))
	return err == nil && bytes.Equal(old, data)
}

// folderID is empty where no device and inode are at hand: no folder is
// recognised by its record, and Commit checks every one by its files.
func folderID(fs.FileInfo) string { return "" }
