package photo

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"sync"
	"sync/atomic"
	"time"
)

// A statIndex remembers the content hash of each photo file by its size and
// modification time, as git's index does, so that a rebuild reads no photo
// that has not changed: hashing 200 camera files costs more than the 1% of
// a cold build that a warm one may take.
//
// A file modified within racyWindow of the moment its hash was recorded is
// not trusted (its time stamp cannot tell an edit in that window from the
// recorded state); it is read and hashed again. Only files of an os.DirFS
// are indexed, since only those have a root that tells two trees apart.
type statIndex struct {
	path   string
	hashed *atomic.Int64

	mu     sync.Mutex
	loaded bool
	dirty  bool
	m      map[string]statEntry
}

type statEntry struct {
	Size    int64  `json:"size"`
	ModTime int64  `json:"mtime"` // Unix nanoseconds
	Seen    int64  `json:"seen"`  // when the hash was taken, Unix nanoseconds
	Hash    string `json:"sha256"`
}

const racyWindow = 2 * time.Second

func newStatIndex(path string, hashed *atomic.Int64) *statIndex {
	return &statIndex{path: path, hashed: hashed}
}

// fsKey returns the index key of name in fsys, or "" when fsys is not an
// os.DirFS (whose type is a string holding its root).
func fsKey(fsys fs.FS, name string) string {
	v := reflect.ValueOf(fsys)
	if !v.IsValid() || v.Kind() != reflect.String {
		return ""
	}
	root, err := filepath.Abs(v.String())
	if err != nil {
		return ""
	}
	return root + "\x00" + name
}

func (x *statIndex) load() {
	if x.loaded {
		return
	}
	x.loaded = true
	x.m = map[string]statEntry{}
	if b, err := os.ReadFile(x.path); err == nil {
		// A damaged index is only a lost speed-up: start afresh.
		if json.Unmarshal(b, &x.m) != nil {
			x.m = map[string]statEntry{}
		}
	}
}

func (x *statIndex) get(fsys fs.FS, name string, fi fs.FileInfo) (string, bool) {
	k := fsKey(fsys, name)
	if k == "" || fi.ModTime().IsZero() {
		return "", false
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	x.load()
	e, ok := x.m[k]
	mt := fi.ModTime().UnixNano()
	if !ok || e.Size != fi.Size() || e.ModTime != mt || mt >= e.Seen-int64(racyWindow) {
		return "", false
	}
	return e.Hash, true
}

// put records the hash of name as of now; it stats the file itself so the
// entry describes the file at (or after) the time it was read.
func (x *statIndex) put(fsys fs.FS, name, hash string, now time.Time) {
	x.hashed.Add(1)
	k := fsKey(fsys, name)
	if k == "" {
		return
	}
	fi, err := fs.Stat(fsys, name)
	if err != nil || fi.ModTime().IsZero() {
		return
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	x.load()
	x.m[k] = statEntry{Size: fi.Size(), ModTime: fi.ModTime().UnixNano(), Seen: now.UnixNano(), Hash: hash}
	x.dirty = true
}

func (x *statIndex) save() error {
	x.mu.Lock()
	defer x.mu.Unlock()
	if !x.dirty {
		return nil
	}
	b, err := json.Marshal(x.m)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(x.path), 0o755); err != nil {
		return err
	}
	if err := writeAtomic(x.path, b); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	x.dirty = false
	return nil
}
