package output

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
)

// Dir is a build in progress. While every file written so far equals the
// published one, nothing is written: a rebuild with no change leaves the
// published folder alone and costs only reads. At the first difference the
// build moves to a temporary folder beside the final one, the files found
// equal until then are hard-linked into it, and Commit swaps it in whole.
type Dir struct {
	final     string // absolute, symbolic links resolved
	asked     string // final as the caller named it, for messages
	unknown   bool   // final holds files gen did not record as its own
	tmp       string // "" while comparing
	folder    folder // tmp, open once it exists
	published folder // final, open while comparing

	mu    sync.Mutex
	made  map[string]bool // folders created in tmp
	files map[string]bool // every path written, to catch two pages at one path
	same  []string        // paths found equal to the published file while comparing
	gen   string          // the generation of the record Commit wrote
}

// Create starts a build that will replace final, the output folder of the
// site at src. It refuses (a *RefusedError) a folder that is, holds or lies
// inside the site's sources, as Check does. A symbolic link as final is
// followed: the build replaces the folder it leads to and the link stays.
//
// An existing folder is replaced only if gen may lose it: it is empty, or
// its record beside it (see writeRecord) says gen made it and its files are
// the ones gen wrote. Any other folder, such as one built by a gen without
// records, is checked at Commit: it is replaced only when every file in it
// is one this build writes, so nothing but earlier versions of gen's own
// files is lost; otherwise Commit refuses and changes nothing.
func Create(final, src string) (*Dir, error) {
	t, err := checkTarget(final, src)
	if err != nil {
		return nil, err
	}
	final = t.path
	parent, base := filepath.Split(final)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, err
	}
	removeLeftovers(parent, base)
	if err := recoverPatches(parent, base); err != nil {
		return nil, err
	}
	d := &Dir{final: final, asked: t.out, unknown: !t.known, made: map[string]bool{"": true}, files: map[string]bool{}}
	if fi, err := os.Stat(final); err == nil && fi.IsDir() {
		if d.published, err = openFolder(final); err == nil {
			return d, nil
		}
	}
	if err := d.startWriting(); err != nil {
		return nil, err
	}
	return d, nil
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

// startWriting creates the temporary folder and links the files found equal
// so far into it. d.mu must be held, or d not yet shared.
func (d *Dir) startWriting() error {
	parent, base := filepath.Split(d.final)
	if parent == "" {
		parent = "."
	}
	tmp, err := os.MkdirTemp(parent, "."+base+".new-")
	if err != nil {
		return err
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	f, err := openFolder(tmp)
	if err != nil {
		os.RemoveAll(tmp)
		return err
	}
	d.tmp, d.folder = tmp, f
	for _, rel := range d.same {
		if err := d.mkdirFor(rel); err != nil {
			return err
		}
		from, to := d.finalPath(rel), d.tmpPath(rel)
		if err := os.Link(from, to); err != nil {
			data, rerr := os.ReadFile(from)
			if rerr != nil {
				return rerr
			}
			if err := d.folder.create(filepath.FromSlash(rel), data); err != nil {
				return err
			}
		}
	}
	d.same = nil
	return nil
}

func (d *Dir) finalPath(rel string) string { return filepath.Join(d.final, filepath.FromSlash(rel)) }
func (d *Dir) tmpPath(rel string) string   { return filepath.Join(d.tmp, filepath.FromSlash(rel)) }

// mkdirFor creates the folder of rel in tmp once, and its parents first.
// d.mu must be held. Folders are made with one mkdir each (no stat), since
// d.made knows which exist.
func (d *Dir) mkdirFor(rel string) error {
	dir, _ := splitDir(rel)
	if d.made[dir] {
		return nil
	}
	if parent, _ := splitDir(dir); !d.made[parent] {
		if err := d.mkdirFor(dir); err != nil {
			return err
		}
	}
	if err := d.folder.mkdir(filepath.FromSlash(dir)); err != nil && !os.IsExist(err) {
		return err
	}
	d.made[dir] = true
	return nil
}

// WriteFile writes data at rel, a slash-separated path inside the site.
// It is safe for concurrent use and does not keep data.
func (d *Dir) WriteFile(rel string, data []byte) error {
	if err := checkRel(rel); err != nil {
		return err
	}
	d.mu.Lock()
	if d.files[rel] {
		d.mu.Unlock()
		return fmt.Errorf("output: two files at %s", rel)
	}
	d.files[rel] = true
	comparing := d.tmp == ""
	d.mu.Unlock()

	if comparing {
		same := d.published.equal(filepath.FromSlash(rel), data)
		d.mu.Lock()
		if d.tmp == "" {
			if same {
				d.same = append(d.same, rel)
				d.mu.Unlock()
				return nil
			}
			if err := d.startWriting(); err != nil {
				d.mu.Unlock()
				return err
			}
		}
		d.mu.Unlock()
	}

	d.mu.Lock()
	err := d.mkdirFor(rel)
	d.mu.Unlock()
	if err != nil {
		return err
	}
	return d.folder.create(filepath.FromSlash(rel), data)
}

// Changed reports whether the build differs from the published folder so
// far.
func (d *Dir) Changed() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.tmp != ""
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

// Commit publishes the build. When every file equals the published one and
// the published folder has no other file, there is nothing to do. Otherwise
// the new folder is swapped in for the final one and the old site removed;
// at no moment is the final path missing where the platform can exchange
// two folders atomically. A final folder not known to be gen's that holds
// anything the build does not write is refused with a *RefusedError and
// left as it was.
func (d *Dir) Commit() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	defer d.published.close()
	var (
		other []string
		err   error
	)
	if _, err := os.Lstat(d.final); err == nil {
		if other, err = foreign(d.final, d.files, 5); err != nil {
			return err
		}
	}
	if d.unknown && len(other) > 0 {
		return &RefusedError{Out: d.asked, Reason: fmt.Sprintf(
			"this folder holds files gen did not write (%s) and the build replaces the folder whole; "+
				"choose a new or empty output folder, or, if an earlier gen built this folder, delete it and build again",
			strings.Join(other, ", "))}
	}
	if d.tmp == "" {
		if len(other) == 0 {
			d.gen, err = writeRecord(d.final, slices.Collect(maps.Keys(d.files)))
			return err
		}
		if err := d.startWriting(); err != nil {
			return err
		}
	}
	d.folder.close()
	if _, err := os.Lstat(d.final); errors.Is(err, os.ErrNotExist) {
		if err := os.Rename(d.tmp, d.final); err != nil {
			return err
		}
		d.gen, err = writeRecord(d.final, slices.Collect(maps.Keys(d.files)))
		return err
	}
	old, err := swap(d.tmp, d.final)
	if err != nil {
		return fmt.Errorf("output: swap %s into %s: %w", d.tmp, d.final, err)
	}
	if err := os.RemoveAll(old); err != nil {
		return err
	}
	d.gen, err = writeRecord(d.final, slices.Collect(maps.Keys(d.files)))
	return err
}

// Files lists every file written, slash-separated, in no order.
func (d *Dir) Files() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	list := make([]string, 0, len(d.files))
	for p := range d.files {
		list = append(list, p)
	}
	return list
}

// Generation is the generation of the record Commit wrote (see Patch).
func (d *Dir) Generation() string { return d.gen }

// Abort removes the temporary folder; the final one is untouched.
func (d *Dir) Abort() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.published.close()
	if d.tmp == "" {
		return nil
	}
	d.folder.close()
	return os.RemoveAll(d.tmp)
}
