package output

import (
	"bytes"
	"os"
	"path/filepath"
)

// folder is a folder that files are written into, or compared with.
type folder struct{ path string }

func openFolder(path string) (folder, error) { return folder{path: path}, nil }

func (f *folder) close() {}

// mkdir creates the folder rel; it may exist (os.IsExist tells).
func (f *folder) mkdir(rel string) error {
	return os.Mkdir(filepath.Join(f.path, rel), 0o755)
}

// create writes a new file rel with data; it must not exist.
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

// equal reports whether the file rel holds exactly data. Only a regular
// file of the same size is read: a named pipe put in the published folder
// cannot stall the build.
func (f *folder) equal(rel string, data []byte) bool {
	name := filepath.Join(f.path, rel)
	fi, err := os.Lstat(name)
	if err != nil || !fi.Mode().IsRegular() || fi.Size() != int64(len(data)) {
		return false
	}
	old, err := os.ReadFile(name)
	return err == nil && bytes.Equal(old, data)
}
