package output

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// Dir is a build in progress: files go into a temporary folder next to the
// final one until Commit.
type Dir struct {
	final string
	tmp   string
	mu    sync.Mutex
	made  map[string]bool // folders already created
	files map[string]bool // files written, to catch two pages at one path
}

// Create starts a build that will replace final. The temporary folder sits
// beside final (same file system, so the swap is a rename).
func Create(final string) (*Dir, error) {
	final = filepath.Clean(final)
	parent, base := filepath.Split(final)
	if parent == "" {
		parent = "."
	}
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, err
	}
	removeLeftovers(parent, base)
	tmp, err := os.MkdirTemp(parent, "."+base+".new-")
	if err != nil {
		return nil, err
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return nil, err
	}
	return &Dir{final: final, tmp: tmp, made: map[string]bool{"": true}, files: map[string]bool{}}, nil
}

// removeLeftovers deletes temporary folders of builds that were killed before
// they could clean up.
func removeLeftovers(parent, base string) {
	for _, pattern := range []string{"." + base + ".new-*", "." + base + ".old-*"} {
		old, _ := filepath.Glob(filepath.Join(parent, pattern))
		for _, o := range old {
			os.RemoveAll(o)
		}
	}
}

// Path is the temporary folder being written.
func (d *Dir) Path() string { return d.tmp }

// WriteFile writes data at rel, a slash-separated path inside the site.
// It is safe for concurrent use.
func (d *Dir) WriteFile(rel string, data []byte) error {
	if err := checkRel(rel); err != nil {
		return err
	}
	dir, _ := splitDir(rel)
	d.mu.Lock()
	if d.files[rel] {
		d.mu.Unlock()
		return fmt.Errorf("output: two files at %s", rel)
	}
	d.files[rel] = true
	need := !d.made[dir]
	d.mu.Unlock()
	if need {
		if err := os.MkdirAll(filepath.Join(d.tmp, filepath.FromSlash(dir)), 0o755); err != nil {
			return err
		}
		d.mu.Lock()
		d.made[dir] = true
		d.mu.Unlock()
	}
	return os.WriteFile(filepath.Join(d.tmp, filepath.FromSlash(rel)), data, 0o644)
}

// Files lists the paths written so far.
func (d *Dir) Files() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.files)
}

func splitDir(rel string) (dir, name string) {
	i := strings.LastIndexByte(rel, '/')
	if i < 0 {
		return "", rel
	}
	return rel[:i], rel[i+1:]
}

func checkRel(rel string) error {
	if rel == "" || strings.HasPrefix(rel, "/") || strings.Contains(rel, "\\") {
		return fmt.Errorf("output: bad path %q", rel)
	}
	for _, part := range strings.Split(rel, "/") {
		if part == "" || part == "." || part == ".." {
			return fmt.Errorf("output: bad path %q", rel)
		}
	}
	return nil
}

// Commit swaps the new folder in for the final one and removes the old
// site. At no moment is the final path missing where the platform can
// exchange two folders atomically.
func (d *Dir) Commit() error {
	if _, err := os.Lstat(d.final); errors.Is(err, os.ErrNotExist) {
		return os.Rename(d.tmp, d.final)
	}
	old, err := swap(d.tmp, d.final)
	if err != nil {
		return fmt.Errorf("output: swap %s into %s: %w", d.tmp, d.final, err)
	}
	return os.RemoveAll(old)
}

// Abort removes the temporary folder; the final one is untouched.
func (d *Dir) Abort() error { return os.RemoveAll(d.tmp) }
