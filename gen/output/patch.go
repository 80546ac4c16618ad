package output

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"gongjian/gen/outpath"
)

// Patch changes the output folder final in place into the next build of
// the site at src: the files of write are written (new or changed), the
// paths of remove deleted, and the rest stays. It is for a build that knows
// exactly what changed since the last one, which recorded final as holding
// the files of old, under the generation gen (see Generation); it refuses
// (ErrStale) when the folder is not that one.
//
// Each file is replaced by a rename, so a reader never sees half a file;
// new files (content-hashed scripts, photos) go in first, pages next, the
// search index's meta.json after them and removals last, so a page never
// names a file that is not there yet. The whole change is one transaction:
// the files it replaces or removes are kept aside until it has finished,
// and when anything fails, now or in a process killed half way (undone by
// the next Create or Patch), final is put back exactly as it was.
//
// It returns the generation of the new record.
func Patch(final, src, gen string, old []string, write map[string][]byte, remove []string) (string, error) {
	// The record is compared with the build's own list of files below:
	// no walk of the folder.
	t, err := checkTargetIf(final, src, false)
	if err != nil {
		return "", err
	}
	final = t.path
	parent, base := filepath.Split(final)
	if err := recoverPatches(parent, base); err != nil {
		return "", err
	}
	fi, err := os.Stat(final)
	if err != nil || !fi.IsDir() {
		return "", ErrStale
	}
	if !slices.IsSorted(old) {
		old = slices.Sorted(slices.Values(old))
	}
	rec, ok := readRecord(final)
	if !ok || rec.id != folderID(fi) || rec.gen != gen {
		return "", ErrStale
	}
	if digest, _ := filesDigest(old); digest != rec.digest {
		return "", ErrStale
	}
	for p := range write {
		if err := checkRel(p); err != nil {
			return "", err
		}
	}
	for _, p := range remove {
		if _, ok := slices.BinarySearch(old, p); !ok {
			return "", fmt.Errorf("output: %s is not a file of the last build", p)
		}
	}

	stage, err := os.MkdirTemp(parent, "."+base+".patch-")
	if err != nil {
		return "", err
	}
	tx := &patch{final: final, stage: stage}
	now := Patched(old, write, remove)
	if err := tx.run(old, now, write, remove); err != nil {
		if errors.Is(err, errKilled) {
			return "", err
		}
		if uerr := tx.undo(); uerr != nil {
			return "", fmt.Errorf("%w; undoing the change failed too (the next build undoes it): %v", err, uerr)
		}
		os.RemoveAll(stage)
		return "", err
	}
	gen, err = writeRecord(final, now)
	if err != nil {
		// The files are in; without a record the next build is a full one.
		os.Remove(recordPath(final))
		os.RemoveAll(stage)
		return "", err
	}
	return gen, os.RemoveAll(stage)
}

// ErrStale says that the output folder is not the one a build's record
// describes: the build must write it whole.
var ErrStale = errors.New("output: the folder is not the one the last build recorded")

// patch is one transaction of Patch. Its journal, in the stage folder,
// lists each step before it is taken, so that undo (in this process or the
// next) can reverse exactly the steps taken.
type patch struct {
	final, stage string
	journal      *os.File
	steps        []step
	n            int
}

// A step replaced, added or removed one file, or made or removed one
// folder.
type step struct {
	op  byte   // 'w' file written, 'r' file removed, 'd' folder made, 'x' folder removed
	rel string // in final
	old string // name in stage of the file it replaced or removed; "" if none
}

const journalName = "journal"

// run writes write and removes remove, in a folder that held the files
// old and is to hold now (both sorted).
func (tx *patch) run(old, now []string, write map[string][]byte, remove []string) error {
	j, err := os.OpenFile(filepath.Join(tx.stage, journalName), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	tx.journal = j
	defer j.Close()
	// Write every new version into the stage first: a full disk fails
	// here, before final is touched.
	staged := map[string]string{}
	for _, rel := range patchOrder(write) {
		name := tx.name("new")
		if err := os.WriteFile(filepath.Join(tx.stage, name), write[rel], 0o644); err != nil {
			return err
		}
		staged[rel] = name
	}
	for _, rel := range patchOrder(write) {
		_, ours := slices.BinarySearch(old, rel)
		if err := tx.put(rel, staged[rel], ours); err != nil {
			return err
		}
	}
	for _, rel := range remove {
		if err := tx.take(rel); err != nil {
			return err
		}
	}
	return tx.dropEmpty(now, remove)
}

// dropEmpty removes the folders that held removed files and hold none of
// the files the folder now has (now, sorted); a folder that holds
// something gen did not write stays.
func (tx *patch) dropEmpty(now []string, remove []string) error {
	// Whether a folder holds a file of now: the first path after d/ in
	// now is in it, if any is.
	holds := func(d string) bool {
		i, _ := slices.BinarySearch(now, d+"/")
		return i < len(now) && strings.HasPrefix(now[i], d+"/")
	}
	var dirs []string
	seen := map[string]bool{}
	for _, p := range remove {
		for d, _ := splitDir(p); d != "" && !seen[d] && !holds(d); d, _ = splitDir(d) {
			seen[d] = true
			dirs = append(dirs, d)
		}
	}
	// Deepest first: a folder's subfolders go before it.
	slices.SortFunc(dirs, func(a, b string) int { return strings.Count(b, "/") - strings.Count(a, "/") })
	for _, d := range dirs {
		if err := tx.log(step{op: 'x', rel: d}); err != nil {
			return err
		}
		err := os.Remove(filepath.Join(tx.final, filepath.FromSlash(d)))
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			// Not empty: something gen did not write is in it.
			tx.steps = tx.steps[:len(tx.steps)-1]
		}
	}
	return nil
}

// patchOrder sorts the files to write in the order a site may appear in
// (outpath.Phase): new names (content-hashed files, photos) first, then
// pages, then feeds and the search index's metadata, sitemap.xml last.
func patchOrder(write map[string][]byte) []string {
	list := make([]string, 0, len(write))
	for rel := range write {
		list = append(list, rel)
	}
	slices.SortFunc(list, func(a, b string) int {
		if pa, pb := outpath.Phase(a), outpath.Phase(b); pa != pb {
			return pa - pb
		}
		return strings.Compare(a, b)
	})
	return list
}

func (tx *patch) name(kind string) string {
	tx.n++
	return kind + "-" + strconv.Itoa(tx.n)
}

// killAfter, in tests, stops a patch as a killed process would, after that
// many steps; 0 never does.
var killAfter int

var errKilled = errors.New("output: killed (test)")

// log records s in the journal before it is taken.
func (tx *patch) log(s step) error {
	if killAfter > 0 && len(tx.steps) == killAfter {
		return errKilled
	}
	_, err := fmt.Fprintf(tx.journal, "%c\t%s\t%s\n", s.op, s.rel, s.old)
	if err == nil {
		tx.steps = append(tx.steps, s)
	}
	return err
}

// put moves the staged file name to rel, keeping the file it replaces.
func (tx *patch) put(rel, name string, ours bool) error {
	dst := filepath.Join(tx.final, filepath.FromSlash(rel))
	if err := tx.mkdirs(rel); err != nil {
		return err
	}
	fi, err := os.Lstat(dst)
	s := step{op: 'w', rel: rel}
	switch {
	case err == nil && !ours:
		return &RefusedError{Out: tx.final, Reason: fmt.Sprintf("%s is in the way of a new page and gen did not write it; move it away or build into a new folder", rel)}
	case err == nil && fi.IsDir():
		return fmt.Errorf("output: %s is a folder", rel)
	case err == nil:
		s.old = tx.name("old")
	case !errors.Is(err, fs.ErrNotExist):
		return err
	}
	if err := tx.log(s); err != nil {
		return err
	}
	if s.old != "" {
		if err := os.Link(dst, filepath.Join(tx.stage, s.old)); err != nil {
			return err
		}
	}
	return os.Rename(filepath.Join(tx.stage, name), dst)
}

// take moves rel aside.
func (tx *patch) take(rel string) error {
	s := step{op: 'r', rel: rel, old: tx.name("old")}
	if err := tx.log(s); err != nil {
		return err
	}
	err := os.Rename(filepath.Join(tx.final, filepath.FromSlash(rel)), filepath.Join(tx.stage, s.old))
	if errors.Is(err, fs.ErrNotExist) {
		s.old = ""
		tx.steps[len(tx.steps)-1] = s
		return nil
	}
	return err
}

// mkdirs makes the folders of rel that are missing, parents first.
func (tx *patch) mkdirs(rel string) error {
	dir, _ := splitDir(rel)
	if dir == "" {
		return nil
	}
	fi, err := os.Lstat(filepath.Join(tx.final, filepath.FromSlash(dir)))
	if err == nil {
		if !fi.IsDir() {
			return fmt.Errorf("output: %s is not a folder", dir)
		}
		return nil
	}
	if err := tx.mkdirs(dir); err != nil {
		return err
	}
	if err := tx.log(step{op: 'd', rel: dir}); err != nil {
		return err
	}
	return os.Mkdir(filepath.Join(tx.final, filepath.FromSlash(dir)), 0o755)
}

// undo reverses the steps taken, last first.
func (tx *patch) undo() error {
	return undoSteps(tx.final, tx.stage, tx.steps)
}

func undoSteps(final, stage string, steps []step) error {
	var errs []error
	for i := len(steps) - 1; i >= 0; i-- {
		s := steps[i]
		dst := filepath.Join(final, filepath.FromSlash(s.rel))
		var err error
		switch s.op {
		case 'w':
			if s.old != "" {
				if _, serr := os.Lstat(filepath.Join(stage, s.old)); serr == nil {
					err = os.Rename(filepath.Join(stage, s.old), dst)
				}
				// Without the kept file the step had not replaced anything yet.
			} else {
				err = os.Remove(dst)
			}
		case 'r':
			if s.old != "" {
				if _, serr := os.Lstat(filepath.Join(stage, s.old)); serr == nil {
					err = os.Rename(filepath.Join(stage, s.old), dst)
				}
			}
		case 'd':
			err = os.Remove(dst)
		case 'x':
			err = os.Mkdir(dst, 0o755)
			if errors.Is(err, fs.ErrExist) {
				err = nil
			}
		}
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// recoverPatches undoes the transactions of Patch that a killed process left
// beside final (base in parent), from their journals.
func recoverPatches(parent, base string) error {
	dirs, _ := filepath.Glob(filepath.Join(parent, "."+base+".patch-*"))
	final := filepath.Join(parent, base)
	for _, stage := range dirs {
		steps, err := readJournal(filepath.Join(stage, journalName))
		if err != nil {
			return fmt.Errorf("output: cannot undo the unfinished change in %s: %w", stage, err)
		}
		if err := undoSteps(final, stage, steps); err != nil {
			return fmt.Errorf("output: cannot undo the unfinished change in %s: %w", stage, err)
		}
		if err := os.RemoveAll(stage); err != nil {
			return err
		}
		// The folder is back as it was, but its record may already name
		// the new files: the next build writes the folder whole.
		os.Remove(recordPath(final))
	}
	return nil
}

func readJournal(name string) ([]step, error) {
	b, err := os.ReadFile(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil // killed before the first step
	}
	if err != nil {
		return nil, err
	}
	// A last line without its newline was cut short by the kill: the step
	// it names was not taken.
	lines := strings.Split(string(b), "\n")
	lines = lines[:len(lines)-1]
	var steps []step
	for _, line := range lines {
		parts := strings.Split(line, "\t")
		if len(parts) != 3 || len(parts[0]) != 1 || !strings.Contains("wrdx", parts[0]) || checkRel(parts[1]) != nil {
			return nil, fmt.Errorf("journal line %q: expected a step", line)
		}
		steps = append(steps, step{op: parts[0][0], rel: parts[1], old: parts[2]})
	}
	return steps, nil
}
