// Package history is the site's provenance feature: from the git history
// of the site folder, every story, topic and dataset page shows when its
// sources last changed (最后更新) and the list of their revisions (修订记录),
// each with its date and the commit's summary line. A site built from a
// folder without history (a tarball, a shallow clone) says so and shows the
// dates its sources give instead.
package history

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/cespare/xxhash/v2"

	"gongjian/gen/content"
	"gongjian/gen/dataset"
	"gongjian/gen/diag"
	"gongjian/gen/site"
)

// maxRevisions bounds the revisions a page lists; the count says how many
// there are in all.
const maxRevisions = 20

// Revision is one commit that changed a page's sources.
type Revision struct {
	Commit  string // abbreviated hash
	Date    time.Time
	Subject string
	// Rows says how a dataset's rows changed in this revision; nil for
	// other pages, and for a revision that left the rows as they were.
	Rows *RowChange
	// CSV is the address of a dataset's rows as this revision had them,
	// written as today's download is; "" when there is no such file.
	CSV string
	// Broken is set when the dataset as this revision had it does not
	// load: the revision is listed without a download.
	Broken bool
}

// RowChange counts the rows of a dataset a revision added, changed and
// removed. Rows are matched by their first cell (the month, the compound:
// what a row is about); the CSV's first line is its header.
type RowChange struct {
	Added, Changed, Removed int
}

// History is what a page shows of its sources' history.
type History struct {
	Known     bool // the build had the site's history
	Last      time.Time
	Revisions []Revision // newest first, at most maxRevisions
	Total     int        // revisions in all
	Files     []string   // the sources it covers
	// Exports is the number of a dataset's newest revisions whose rows
	// can be downloaded, when it has more revisions than that; else 0.
	Exports int
	// DataLast is when a dataset's rows (its CSV file) last changed;
	// zero for other pages and without history.
	DataLast time.Time
}

// Feature reads the history once per load.
type Feature struct {
	dir string // the site folder on disk
	// known is false when the folder has no usable history: not a git
	// work tree, a shallow clone, or no git command.
	known   bool
	version uint64                // see Version
	prefix  string                // the site folder's path in the repository, with a slash
	byFile  map[string][]Revision // slash path from the site root → newest first
	// exports holds, by schema file and commit, a dataset's rows as the
	// revision had them, as the download CSV; nil for a revision whose
	// dataset does not load.
	exports map[string]map[string][]byte
	logf    func(string, ...any)
}

// New makes the feature for the site folder dir; with dir empty (a site
// that is not a folder on disk) there is no history.
func New(dir string, logf func(string, ...any)) *Feature {
	if logf == nil {
		logf = func(string, ...any) {}
	}
	return &Feature{dir: dir, logf: logf}
}

// Owns reports false: the history is read from git, not from a source
// file; watch mode shows it as it was when the session loaded.
func (f *Feature) Owns(string) bool { return false }

// Version identifies the history the last Load read, which the stamps
// of the site's files do not cover: a commit changes the history and no
// file. The revisions' rows and downloads follow from the log, whose
// abbreviated hashes name them. 0 without history.
func (f *Feature) Version() uint64 { return f.version }

// gitTimeout bounds every git command.
const gitTimeout = 30 * time.Second

// Load reads the history of content/ and data/ in one pass of git log.
// Without history the build goes on, and the pages say so.
func (f *Feature) Load(ctx context.Context, _ fs.FS, _ *site.Model) diag.List {
	f.byFile = map[string][]Revision{}
	f.exports = map[string]map[string][]byte{}
	f.known, f.version = false, 0
	if f.dir == "" || !inWorkTree(f.dir) {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, gitTimeout)
	defer cancel()
	prefix, err := f.git(ctx, "rev-parse", "--show-prefix")
	if err != nil {
		// Not a git work tree, or no git: the pages say so.
		return nil
	}
	if shallow, _ := f.git(ctx, "rev-parse", "--is-shallow-repository"); strings.TrimSpace(string(shallow)) == "true" {
		return nil
	}
	out, err := f.git(ctx, "log", "--no-merges", "--format=%x1e%h%x1f%aI%x1f%s", "--name-only", "--", "content", "data")
	if err != nil {
		f.logf("history: git log: %v; pages show the dates of their sources", err)
		return nil
	}
	f.prefix = strings.TrimSpace(string(prefix))
	f.byFile = parseLog(out, f.prefix)
	f.known = true
	f.version = xxhash.Sum64String(f.prefix + "\x00" + string(out))
	f.rowChanges(ctx)
	f.exportRevisions(ctx)
	return nil
}

// inWorkTree reports whether git may find a work tree for dir: a .git
// (a folder, or a work tree's file) in it or a folder above it, or git's
// own variables set to say where one is. Where there is none, asking git
// costs a process only to be told so.
func inWorkTree(dir string) bool {
	for _, v := range []string{"GIT_DIR", "GIT_WORK_TREE"} {
		if os.Getenv(v) != "" {
			return true
		}
	}
	d, err := filepath.Abs(dir)
	if err != nil {
		return true
	}
	for range maxDepth {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			return true
		}
		up := filepath.Dir(d)
		if up == d {
			return false
		}
		d = up
	}
	return true
}

// maxDepth bounds the folders inWorkTree looks in: past it, git decides.
const maxDepth = 256

// rowChanges compares each revision of every CSV file under data/ with the
// one before it, reading every version through one git cat-file.
func (f *Feature) rowChanges(ctx context.Context) {
	type version struct {
		file string
		rev  *Revision
	}
	var (
		want  []version
		specs []string
	)
	for file, revs := range f.byFile {
		if !strings.HasPrefix(file, "data/") || !strings.HasSuffix(file, ".csv") {
			continue
		}
		for i := range revs {
			want = append(want, version{file, &revs[i]})
			specs = append(specs, revs[i].Commit+":"+f.prefix+file)
		}
	}
	if len(want) == 0 {
		return
	}
	texts, err := f.catFile(ctx, specs)
	if err != nil {
		f.logf("history: %v; dataset revisions show no row counts", err)
		return
	}
	rows := make([]map[string][]string, len(want))
	for i, text := range texts {
		if text != nil {
			rows[i] = keyedRows(text)
		}
	}
	// Revisions of a file are newest first: each is compared with the
	// next one in the list, its parent; the oldest with nothing.
	for i, v := range want {
		var older map[string][]string
		if i+1 < len(want) && want[i+1].file == v.file {
			older = rows[i+1]
		}
		if c := diffRows(older, rows[i]); c != (RowChange{}) {
			v.rev.Rows = &c
		}
	}
}

// catFile reads the objects specs name ("COMMIT:PATH" from the repository
// root) through one git cat-file. A file the commit does not have is nil.
func (f *Feature) catFile(ctx context.Context, specs []string) ([][]byte, error) {
	var req bytes.Buffer
	for _, s := range specs {
		req.WriteString(s)
		req.WriteByte('\n')
	}
	cmd := exec.CommandContext(ctx, "git", "-C", f.dir, "cat-file", "--batch")
	cmd.Stdin = &req
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("git cat-file: %v", err)
	}
	texts := make([][]byte, len(specs))
	for i := range specs {
		// Each answer is "HASH TYPE SIZE\n" and SIZE bytes and "\n", or
		// "NAME missing\n" for a file the revision does not have.
		nl := bytes.IndexByte(out, '\n')
		if nl < 0 {
			return nil, fmt.Errorf("git cat-file: answer %d of %d is cut short", i+1, len(specs))
		}
		head := strings.Fields(string(out[:nl]))
		out = out[nl+1:]
		if len(head) != 3 || head[1] != "blob" {
			continue
		}
		var size int
		if _, err := fmt.Sscan(head[2], &size); err != nil || size < 0 || size > len(out) {
			return nil, fmt.Errorf("git cat-file: answer %d of %d: bad size %q", i+1, len(specs), head[2])
		}
		texts[i] = out[:size:size]
		out = out[min(len(out), size+1):]
	}
	return texts, nil
}

// maxExports bounds the revisions of a dataset whose rows can be
// downloaded as they were: the newest ones. Each is a copy of the dataset.
const maxExports = 10

// exportRevisions writes, for the newest revisions of each dataset (a
// data/NAME.yaml with data/NAME.csv beside it), the dataset as the
// revision had it — its schema and its rows then — through the same CSV
// export as today's download. A revision whose dataset does not load is
// a warning naming the file, its line and the commit; the build goes on.
func (f *Feature) exportRevisions(ctx context.Context) {
	type version struct {
		schema, csv, name string
		rev               Revision
	}
	var want []version
	for file := range f.byFile {
		name, ok := strings.CutSuffix(strings.TrimPrefix(file, "data/"), ".yaml")
		if !ok || !strings.HasPrefix(file, "data/") || strings.Contains(name, "/") {
			continue
		}
		csvFile := "data/" + name + ".csv"
		h := f.of(file, csvFile)
		for _, r := range h.Revisions[:min(len(h.Revisions), maxExports)] {
			want = append(want, version{file, csvFile, name, r})
		}
	}
	if len(want) == 0 {
		return
	}
	// The warnings come in the same order in every build.
	slices.SortStableFunc(want, func(a, b version) int { return strings.Compare(a.schema, b.schema) })
	specs := make([]string, 0, 2*len(want))
	for _, v := range want {
		specs = append(specs, v.rev.Commit+":"+f.prefix+v.schema, v.rev.Commit+":"+f.prefix+v.csv)
	}
	texts, err := f.catFile(ctx, specs)
	if err != nil {
		f.logf("history: %v; dataset revisions cannot be downloaded", err)
		return
	}
	for i, v := range want {
		schema, rows := texts[2*i], texts[2*i+1]
		if schema == nil || rows == nil {
			continue // the revision removed the dataset
		}
		data, err := exportCSV(v.schema, v.name, schema, rows)
		if err != nil {
			f.logf("warning: %v (revision %s, %s): listed without a download of its rows", err, v.rev.Commit, v.rev.Date.Format("2006-01-02"))
		}
		if f.exports[v.schema] == nil {
			f.exports[v.schema] = map[string][]byte{}
		}
		f.exports[v.schema][v.rev.Commit] = data
	}
}

// exportCSV loads a dataset from the text of its schema and its rows and
// writes it as the download CSV; the error names the first problem with
// its file and line, and how many more there are.
func exportCSV(schemaPath, name string, schema, rows []byte) ([]byte, error) {
	d, errs := dataset.ParseSchema(schemaPath, name, schema)
	if len(errs) == 0 {
		errs = d.ParseCSV(rows)
	}
	if len(errs) > 0 {
		if len(errs) > 1 {
			return nil, fmt.Errorf("%v (and %d more problems)", errs[0], len(errs)-1)
		}
		return nil, errs[0]
	}
	var b bytes.Buffer
	if err := d.WriteCSV(&b); err != nil {
		return nil, fmt.Errorf("%s: %v", d.Path, err)
	}
	return b.Bytes(), nil
}

// keyedRows reads the rows of CSV text after its header line by their
// first cell. What is not valid CSV ends the rows.
func keyedRows(data []byte) map[string][]string {
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	out := map[string][]string{}
	if _, err := r.Read(); err != nil {
		return out
	}
	for {
		rec, err := r.Read()
		if err != nil {
			break
		}
		if len(rec) == 0 {
			continue
		}
		out[rec[0]] = append(out[rec[0]], strings.Join(rec, "\x1f"))
	}
	return out
}

// diffRows counts what changed from older to newer, row by row.
func diffRows(older, newer map[string][]string) RowChange {
	var c RowChange
	for k, rows := range newer {
		old := older[k]
		same := 0
		for _, r := range rows {
			if i := slices.Index(old, r); i >= 0 {
				old = slices.Delete(slices.Clone(old), i, i+1)
				same++
			}
		}
		rest := len(rows) - same
		changed := min(rest, len(old))
		c.Changed += changed
		c.Added += rest - changed
		c.Removed += len(old) - changed
	}
	for k, rows := range older {
		if _, ok := newer[k]; !ok {
			c.Removed += len(rows)
		}
	}
	return c
}

// git runs git in the site folder and returns its standard output.
func (f *Feature) git(ctx context.Context, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "git", append([]string{"-C", f.dir, "-c", "core.quotepath=off"}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("git %s: %v %s", args[0], err, strings.TrimSpace(stderr.String()))
	}
	return out, nil
}

// parseLog reads git log's records (RS hash US date US subject, then
// the changed files, one per line, relative to the repository root) into
// revisions by file, relative to the site folder (prefix is the site
// folder's path in the repository, with a trailing slash, or empty).
func parseLog(out []byte, prefix string) map[string][]Revision {
	by := map[string][]Revision{}
	for _, rec := range bytes.Split(out, []byte{0x1e}) {
		sc := bufio.NewScanner(bytes.NewReader(rec))
		sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
		if !sc.Scan() {
			continue
		}
		head := strings.Split(sc.Text(), "\x1f")
		if len(head) != 3 {
			continue
		}
		date, err := time.Parse(time.RFC3339, head[1])
		if err != nil {
			continue
		}
		rev := Revision{Commit: head[0], Date: date, Subject: head[2]}
		for sc.Scan() {
			name := strings.TrimSpace(sc.Text())
			if name == "" || !strings.HasPrefix(name, prefix) {
				continue
			}
			name = strings.TrimPrefix(name, prefix)
			by[name] = append(by[name], rev)
		}
	}
	return by
}

// of is the history of the sources files, merged, newest first.
func (f *Feature) of(files ...string) *History {
	h := &History{Known: f.known, Files: files}
	if !f.known {
		return h
	}
	seen := map[string]int{} // commit → index in all
	var all []Revision
	for _, file := range files {
		for _, r := range f.byFile[file] {
			if i, ok := seen[r.Commit]; ok {
				// One commit changed two of the files: keep the row
				// counts one of them has.
				if all[i].Rows == nil {
					all[i].Rows = r.Rows
				}
				continue
			}
			seen[r.Commit] = len(all)
			all = append(all, r)
		}
	}
	slices.SortStableFunc(all, func(a, b Revision) int { return b.Date.Compare(a.Date) })
	h.Total = len(all)
	if len(all) > 0 {
		h.Last = all[0].Date
	}
	h.Revisions = all[:min(len(all), maxRevisions)]
	return h
}

// Plan shows the history of each story, topic and dataset page's sources
// on it (the part "history").
func (f *Feature) Plan(pl *site.Plan) {
	for _, p := range pl.Pages {
		switch {
		case p.Kind == "story" && p.Story != nil:
			p.Set("history", f.of(p.Story.File))
			if t, ok := f.revised(p.Story); ok {
				if pl.Revised == nil {
					pl.Revised = map[string]time.Time{}
				}
				pl.Revised[p.Story.File] = t
			}
		case p.Kind == "topic" && p.N == 1 && p.Topic != nil:
			p.Set("history", f.of(p.Topic.File))
		case p.Kind == "dataset" && p.From.File != "":
			// A dataset's page comes from its schema, NAME.yaml, with
			// its rows in NAME.csv beside it.
			schema := p.From.File
			csvFile := strings.TrimSuffix(schema, path.Ext(schema)) + ".csv"
			h := f.of(schema, csvFile)
			h.DataLast = f.last(csvFile)
			f.offerRevisions(pl, p, h, csvFile)
			p.Set("history", h)
		case p.Kind == "methods":
			// The methods page says when each dataset is next due,
			// counted from when its rows last changed: by schema file.
			last := map[string]time.Time{}
			for file := range f.byFile {
				if name, ok := strings.CutSuffix(file, ".csv"); ok && strings.HasPrefix(file, "data/") {
					last[name+".yaml"] = f.last(file)
				}
			}
			p.Set("dataLast", last)
		}
	}
}

// last is the date of the newest revision of file; zero without one.
func (f *Feature) last(file string) time.Time {
	var t time.Time
	for _, r := range f.byFile[file] {
		if r.Date.After(t) {
			t = r.Date
		}
	}
	return t
}

// revised is when a commit last changed a story on a day after the one its
// front matter gives (its date, or its latest correction's). The commit
// that added the file is its publication, not a change: a story written
// on one day and committed on another is not marked revised.
func (f *Feature) revised(st *content.Story) (time.Time, bool) {
	revs := f.byFile[st.File]
	if !f.known || len(revs) < 2 {
		return time.Time{}, false
	}
	var last time.Time
	// The oldest revision, the last in the list, added the file.
	for _, r := range revs[:len(revs)-1] {
		if r.Date.After(last) {
			last = r.Date
		}
	}
	loc := st.Date.Location()
	if day(last.In(loc)).After(day(st.Updated().In(loc))) {
		return last, true
	}
	return time.Time{}, false
}

// day is the midnight that starts t's day, in t's location.
func day(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
}

// offerRevisions links each of the newest revisions of a dataset's page
// to its rows as they were, at /data/NAME/rev/COMMIT.csv, and adds those
// files to the plan.
func (f *Feature) offerRevisions(pl *site.Plan, p *site.Page, h *History, csvFile string) {
	byCommit := f.exports[p.From.File]
	if byCommit == nil {
		return
	}
	if h.Total > maxExports {
		h.Exports = maxExports
	}
	for i := range h.Revisions[:min(len(h.Revisions), maxExports)] {
		r := &h.Revisions[i]
		data, ok := byCommit[r.Commit]
		switch {
		case !ok:
		case data == nil:
			r.Broken = true
		default:
			r.CSV = p.Path + "rev/" + r.Commit + ".csv"
			pl.AddFile(site.File{Path: strings.TrimPrefix(r.CSV, "/"), Data: data, From: site.Origin{File: csvFile}})
		}
	}
}
