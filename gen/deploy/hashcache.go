package deploy

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
)

// hashCache remembers the SHA-256 of files by what stat tells about them,
// so that a deploy with no change does not read the whole site again. An
// entry counts only when size, modification time, change time and inode
// are all the same: the change time moves on every write and cannot be
// set back, so a changed file always misses. Where change times are not
// available (stat_other.go) the cache is not used.
type hashCache struct {
	Version int                  `json:"version"`
	Files   map[string]hashEntry `json:"files"` // by absolute path
}

type hashEntry struct {
	Size   int64  `json:"size"`
	MTime  int64  `json:"mtime"`
	CTime  int64  `json:"ctime"`
	Inode  uint64 `json:"inode"`
	SHA256 string `json:"sha256"`
}

const hashCacheVersion = 1

// loadHashCache reads the cache at path; a missing or unreadable cache is
// an empty one (it only saves work).
func loadHashCache(path string) *hashCache {
	c := &hashCache{Version: hashCacheVersion, Files: map[string]hashEntry{}}
	if path == "" {
		return c
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return c
	}
	var got hashCache
	if json.Unmarshal(data, &got) != nil || got.Version != hashCacheVersion || got.Files == nil {
		return c
	}
	return &got
}

func statEntry(fi fs.FileInfo) (hashEntry, bool) {
	ctime, ino, ok := changeTime(fi)
	if !ok {
		return hashEntry{}, false
	}
	return hashEntry{Size: fi.Size(), MTime: fi.ModTime().UnixNano(), CTime: ctime, Inode: ino}, true
}

// lookup returns the cached hash of the file at abs, or "".
func (c *hashCache) lookup(abs string, fi fs.FileInfo) string {
	want, ok := statEntry(fi)
	got, found := c.Files[abs]
	if !ok || !found || !hexSHA256.MatchString(got.SHA256) {
		return ""
	}
	want.SHA256 = got.SHA256
	if got != want {
		return ""
	}
	return got.SHA256
}

// save writes the entries for files to path, replacing the file whole so
// that two deploys at once leave one of their caches, never a mixture.
func saveHashCache(path string, files []File, infos []fs.FileInfo) error {
	c := hashCache{Version: hashCacheVersion, Files: make(map[string]hashEntry, len(files))}
	for i, f := range files {
		e, ok := statEntry(infos[i])
		if !ok {
			continue
		}
		abs, err := filepath.Abs(f.Path)
		if err != nil {
			return err
		}
		e.SHA256 = f.SHA256
		c.Files[abs] = e
	}
	data, err := json.Marshal(c)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".deploy-hashes-*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), path)
}
