package output

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// A RefusedError says why a folder may not be used as the output folder:
// gen replaces its output folder whole, so it only takes one it may lose.
type RefusedError struct {
	Out    string // the folder asked for, as given
	Reason string // what is wrong and what to do, one sentence or two
}

func (e *RefusedError) Error() string { return e.Out + ": " + e.Reason }

// sourceDirs are the folders of a site that a build reads and must never
// write into, besides the site folder itself.
var sourceDirs = []string{"content", "data", "themes"}

// Check reports whether final may become the output folder of the site at
// src, without touching anything. The error is a *RefusedError when final
// is, holds, or lies inside the site's sources, or is not a folder. An
// existing folder that gen did not record as its own is not refused here:
// Create accepts it, and Commit refuses it if it holds any file the build
// does not write (see Create).
func Check(final, src string) error {
	// Whether the folder is gen's own does not decide a refusal here: no
	// walk of it.
	_, err := checkTargetIf(final, src, false)
	return err
}

// target is a checked output folder.
type target struct {
	out   string // as the caller named it
	path  string // absolute, symbolic links resolved
	known bool   // absent, empty, or recorded as gen's own output
}

func checkTarget(final, src string) (target, error) {
	return checkTargetIf(final, src, true)
}

// checkTargetIf is checkTarget; without known, it leaves target.known
// false rather than walk the folder to compare it with its record.
func checkTargetIf(final, src string, known bool) (target, error) {
	refuse := func(format string, args ...any) (target, error) {
		return target{}, &RefusedError{Out: final, Reason: fmt.Sprintf(format, args...)}
	}
	real, err := resolve(final)
	if err != nil {
		return target{}, err
	}
	site, err := resolve(src)
	if err != nil {
		return target{}, err
	}
	const hint = "choose an output folder outside content/, data/ and themes/, such as public/ in the site folder"
	switch {
	case real == site:
		return refuse("this is the site folder %s; the build would replace it whole; %s", site, hint)
	case within(site, real):
		return refuse("this folder holds the site folder %s; the build would replace it whole; %s", site, hint)
	}
	for _, name := range sourceDirs {
		dir, err := resolve(filepath.Join(src, name))
		if err != nil {
			return target{}, err
		}
		switch {
		case real == dir:
			return refuse("this is the site's %s/ folder (%s); %s", name, dir, hint)
		case within(dir, real):
			return refuse("this folder holds the site's %s/ folder (%s); %s", name, dir, hint)
		case within(real, dir):
			return refuse("this folder is inside the site's %s/ folder (%s); %s", name, dir, hint)
		}
	}
	fi, err := os.Lstat(real)
	if errors.Is(err, fs.ErrNotExist) {
		return target{out: final, path: real, known: true}, nil
	}
	if err != nil {
		return target{}, err
	}
	if !fi.IsDir() {
		return refuse("this is a file, not a folder; remove it or choose another output folder")
	}
	f, err := os.Open(real)
	if err != nil {
		return target{}, err
	}
	_, err = f.Readdirnames(1)
	f.Close()
	if err == io.EOF {
		return target{out: final, path: real, known: true}, nil
	}
	if err != nil {
		return target{}, err
	}
	return target{out: final, path: real, known: known && matchesRecord(real, fi)}, nil
}

// resolve returns p as an absolute path with every symbolic link resolved;
// the part of p that does not exist yet is kept as written.
func resolve(p string) (string, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	var rest []string
	for dir := abs; ; dir = filepath.Dir(dir) {
		real, err := filepath.EvalSymlinks(dir)
		if err == nil {
			slices.Reverse(rest)
			return filepath.Join(append([]string{real}, rest...)...), nil
		}
		if !errors.Is(err, fs.ErrNotExist) || dir == filepath.Dir(dir) {
			return "", err
		}
		rest = append(rest, filepath.Base(dir))
	}
}

// within reports whether path lies strictly inside dir; both are clean
// absolute paths.
func within(path, dir string) bool {
	if dir == string(filepath.Separator) {
		return path != dir
	}
	return strings.HasPrefix(path, dir+string(filepath.Separator))
}

// The record of a committed build is a small file beside the output folder,
// never inside it (it would be published): ".NAME.gen" for NAME. It holds
// the folder's device and inode and a digest of the files in it, so that a
// folder gen made and nobody changed since is recognised, and any other,
// even one at the same path, is not; and a generation, new at every build,
// that a build's own record of what it wrote names (see Patch).
const recordMagic = "gen output record v2"

func recordPath(final string) string {
	return filepath.Join(filepath.Dir(final), "."+filepath.Base(final)+".gen")
}

// record is what the record file says.
type record struct {
	id     string // folderID
	count  int    // files and folders
	digest string // listDigest of them
	gen    string
}

// writeRecord records final as holding exactly files, under a new
// generation, which it returns.
func writeRecord(final string, files []string) (string, error) {
	fi, err := os.Stat(final)
	if err != nil {
		return "", err
	}
	id := folderID(fi)
	if id == "" {
		return "", nil
	}
	digest, count := filesDigest(files)
	var g [12]byte
	if _, err := rand.Read(g[:]); err != nil {
		return "", err
	}
	gen := hex.EncodeToString(g[:])
	rec := fmt.Sprintf("%s\n%s\n%d\n%s\n%s\n", recordMagic, id, count, digest, gen)
	tmp := recordPath(final) + ".tmp"
	if err := os.WriteFile(tmp, []byte(rec), 0o644); err != nil {
		return "", err
	}
	return gen, os.Rename(tmp, recordPath(final))
}

// readRecord reads the record of final.
func readRecord(final string) (record, bool) {
	b, err := os.ReadFile(recordPath(final))
	if err != nil || len(b) > 512 {
		return record{}, false
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	var lines []string
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	if len(lines) != 5 || lines[0] != recordMagic || lines[1] == "" {
		return record{}, false
	}
	count, err := strconv.Atoi(lines[2])
	if err != nil || count < 0 {
		return record{}, false
	}
	return record{id: lines[1], count: count, digest: lines[3], gen: lines[4]}, true
}

// Generation is the generation of the build that final holds, as its
// record says; "" when it has none.
func Generation(final string) string {
	real, err := resolve(final)
	if err != nil {
		return ""
	}
	rec, _ := readRecord(real)
	return rec.gen
}

// matchesRecord reports whether the folder final (fi) is the one recorded
// by the last build into it, holding the same files and folders. The walk stops past
// the recorded count, so a large foreign folder costs little.
func matchesRecord(final string, fi fs.FileInfo) bool {
	rec, ok := readRecord(final)
	if !ok || rec.id != folderID(fi) {
		return false
	}
	count := rec.count
	var list []string
	err := filepath.WalkDir(final, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == final {
			return nil
		}
		if len(list) == count {
			return errTooMany
		}
		rel, _ := filepath.Rel(final, p)
		rel = filepath.ToSlash(rel)
		if e.IsDir() {
			rel += "/"
		}
		list = append(list, rel)
		return nil
	})
	return err == nil && len(list) == count && listDigest(list) == rec.digest
}

var errTooMany = errors.New("more files than recorded")

// parents returns the folders that hold files, slash-separated.
func parents(files iter.Seq[string]) map[string]bool {
	dirs := map[string]bool{}
	for rel := range files {
		for d, _ := splitDir(rel); d != "" && !dirs[d]; d, _ = splitDir(d) {
			dirs[d] = true
		}
	}
	return dirs
}

// listDigest is the SHA-256 of the sorted paths, one a line; folders end
// in a slash.
func listDigest(list []string) string {
	slices.Sort(list)
	h := sha256.New()
	for _, p := range list {
		h.Write([]byte(p))
		h.Write([]byte{'\n'})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// filesDigest is the listDigest of files and the folders that hold them,
// and how many paths that is, without building that list: in the sorted
// list of files and folders, a folder comes just before the first file
// in it, and the files in it are together. A patch (make bench-site,
// after one story changed) hashes the list of a whole site twice.
func filesDigest(files []string) (digest string, count int) {
	if !slices.IsSorted(files) {
		files = slices.Sorted(slices.Values(files))
	}
	h := sha256.New()
	var b []byte
	prev := ""
	for _, p := range files {
		// The folders of p that are not prev's are new.
		shared := 0
		for shared < len(p) && shared < len(prev) && p[shared] == prev[shared] {
			shared++
		}
		for i := 0; i < len(p); i++ {
			if p[i] == '/' && i >= shared {
				b = append(append(b[:0], p[:i+1]...), '\n')
				h.Write(b)
				count++
			}
		}
		b = append(append(b[:0], p...), '\n')
		h.Write(b)
		count++
		prev = p
	}
	return hex.EncodeToString(h.Sum(nil)), count
}

// Patched is files, a folder's list of files sorted, after a patch that
// writes write and removes remove: sorted, each once.
func Patched(files []string, write map[string][]byte, remove []string) []string {
	added := make([]string, 0, len(write))
	for p := range write {
		if _, found := slices.BinarySearch(files, p); !found {
			added = append(added, p)
		}
	}
	slices.Sort(added)
	gone := make(map[string]bool, len(remove))
	for _, p := range remove {
		gone[p] = true
	}
	out := make([]string, 0, len(files)+len(added))
	i := 0
	for _, p := range files {
		for i < len(added) && added[i] < p {
			out = append(out, added[i])
			i++
		}
		if !gone[p] {
			out = append(out, p)
		}
	}
	return append(out, added[i:]...)
}

// foreign returns up to max paths in final (slash-separated) that a build
// writing files would not produce: other files, and folders that hold none
// of files.
func foreign(final string, files map[string]bool, max int) ([]string, error) {
	dirs := parents(maps.Keys(files))
	var found []string
	err := filepath.WalkDir(final, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == final {
			return nil
		}
		rel, _ := filepath.Rel(final, p)
		rel = filepath.ToSlash(rel)
		if e.IsDir() && dirs[rel] || !e.IsDir() && files[rel] {
			return nil
		}
		if e.IsDir() {
			rel += "/"
		}
		found = append(found, rel)
		if len(found) == max {
			return filepath.SkipAll
		}
		if e.IsDir() {
			return filepath.SkipDir
		}
		return nil
	})
	return found, err
}
