package pipeline

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"io/fs"
	"maps"
	"math/rand/v2"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"gongjian/gen/internal/corpus"
	"gongjian/gen/internal/dirfs"
)

// The property test below is the judge of gen serve's incremental builds:
// after every random edit, what the preview serves equals a fresh full build
// of the same sources, byte for byte.
var (
	propSeed  = flag.Uint64("prop.seed", 0, "seed of TestIncrementalEqualsFull (0: a new one; also GONGJIAN_PROP_SEED)")
	propSteps = flag.Int("prop.steps", 0, "steps per site of TestIncrementalEqualsFull (0: 20, or GONGJIAN_PROP_STEPS)")
	propKinds = flag.String("prop.kinds", "", "comma-separated edit kinds of TestIncrementalEqualsFull (empty: every kind not excluded; \"all\": every kind; also GONGJIAN_PROP_KINDS)")
)

// propExcluded are the edit kinds the default run leaves out, each with the
// reason. -prop.kinds=all runs them too.
var propExcluded = map[string]string{}

// TestIncrementalEqualsFull applies random sequences of edits, creates,
// deletes and renames to a copy of the example site and to a small
// generated one, and after every step compares what gen serve's session
// has accumulated (every Result's Files and Removed, and the search index
// put on top, as gen serve does) with a full build of the same sources.
// An edit that breaks the site must fail both; the next step restores the
// files and must converge again.
func TestIncrementalEqualsFull(t *testing.T) {
	seed := *propSeed
	if seed == 0 {
		if v := os.Getenv("GONGJIAN_PROP_SEED"); v != "" {
			var err error
			if seed, err = strconv.ParseUint(v, 10, 64); err != nil {
				t.Fatalf("GONGJIAN_PROP_SEED=%q: %v", v, err)
			}
		}
	}
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	steps := *propSteps
	if steps == 0 {
		steps = 20
		if v := os.Getenv("GONGJIAN_PROP_STEPS"); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n <= 0 || n > 100000 {
				t.Fatalf("GONGJIAN_PROP_STEPS=%q: want a number of steps from 1 to 100000", v)
			}
			steps = n
		}
	}
	if testing.Short() {
		steps = min(steps, 8)
	}
	kinds := cmp.Or(*propKinds, os.Getenv("GONGJIAN_PROP_KINDS"))
	edits := selectEdits(t, kinds)
	t.Logf("seed %d, %d steps per site (rerun with -prop.seed=%d or GONGJIAN_PROP_SEED=%d)", seed, steps, seed, seed)

	// gen build must find every change from the stamps of the files
	// alone: no file counts as changed for having been written close to
	// the last build (as every file the test edits is).
	defer func(w time.Duration) { racyWindow = w }(racyWindow)
	racyWindow = -time.Hour

	cache := t.TempDir() // processed photos, shared by every build as in gen serve and gen build
	for i, tc := range []struct {
		name  string
		setup func(t *testing.T, root string)
	}{
		{"example", copyExampleSite},
		{"generated", writeGeneratedSite},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			tc.setup(t, root)
			runProperty(t, root, cache, seed, uint64(i), steps, edits)
		})
	}
}

// selectEdits picks the edit kinds named in list.
func selectEdits(t *testing.T, list string) []editKind {
	if list == "all" {
		return allEdits
	}
	if list == "" {
		var out []editKind
		for _, e := range allEdits {
			if _, skip := propExcluded[e.kind]; !skip {
				out = append(out, e)
			}
		}
		return out
	}
	var out []editKind
	for k := range strings.SplitSeq(list, ",") {
		n := len(out)
		for _, e := range allEdits {
			if e.kind == k || strings.HasPrefix(e.kind, k+"-") {
				out = append(out, e)
			}
		}
		if len(out) == n {
			t.Fatalf("no edit kind %q", k)
		}
	}
	return out
}

// runProperty runs steps random edits on the site at root.
func runProperty(t *testing.T, root, cache string, seed, site uint64, steps int, edits []editKind) {
	r := startRun(t, root, cache, rand.New(rand.NewPCG(seed, site)))
	r.rerun = fmt.Sprintf("go test ./gen/pipeline -run 'TestIncrementalEqualsFull/%s' -prop.seed=%d", path.Base(t.Name()), seed)
	for range steps {
		r.step(func(ed *editor) string { return ed.apply(edits) })
	}
	if r.ed.failed {
		r.step(func(*editor) string { return "nothing more" })
	}
	r.checkBuild()
	refused := 0
	for _, h := range r.history {
		if strings.HasSuffix(h, "refused by both") {
			refused++
		}
	}
	t.Logf("%d steps, %d refused by both builds, %d files served at the end; gen build patched the output %d times, wrote it whole %d times",
		len(r.history), refused, len(r.served), r.builds[0], r.builds[1])
	if steps > 2 && r.builds[0] == 0 {
		t.Errorf("gen build never used the record of the last build")
	}
}

// checkBuild checks that gen build writes to disk what the full builds in
// memory, the judge of every step, give.
func (r *propRun) checkBuild() {
	t := r.t
	t.Helper()
	ctx := context.Background()
	want, err := fullBuild(ctx, r.root, r.opt)
	if err != nil {
		t.Fatal(err)
	}
	opt := r.opt
	opt.Out = filepath.Join(t.TempDir(), "public")
	if _, err := Build(ctx, opt); err != nil {
		t.Fatalf("gen build: %v", err)
	}
	if d := diffFiles(readTree(t, opt.Out), want); d != "" {
		t.Fatalf("gen build wrote other files than a full build in memory (\"served\" below is what it wrote):\n%s", d)
	}
}

// propRun is a session over a site on disk and what it serves, checked
// against a full build after every step.
type propRun struct {
	t       *testing.T
	root    string
	opt     Options
	out     string // where gen build writes after every step, keeping its record
	builds  [2]int // gen builds that patched the output, and that wrote it whole
	ss      *Session
	served  servedFiles
	ed      *editor
	history []string
	rerun   string
}

func startRun(t *testing.T, root, cache string, rng *rand.Rand) *propRun {
	t.Helper()
	r := &propRun{
		t:      t,
		root:   root,
		opt:    Options{Src: root, CacheDir: cache, BaseURL: "http://127.0.0.1:1414/"},
		served: servedFiles{},
		ed:     &editor{t: t, root: root, rng: rng, good: map[string][]byte{}},
	}
	r.ss = NewSession(dirfs.New(root), r.opt)
	r.out = filepath.Join(t.TempDir(), "public")
	ctx := context.Background()
	if err := r.served.update(ctx, r.ss, nil); err != nil {
		t.Fatalf("first update: %v", err)
	}
	full, err := fullBuild(ctx, root, r.opt)
	if err != nil {
		t.Fatalf("full build of the unchanged site: %v", err)
	}
	if d := diffFiles(r.served, full); d != "" {
		t.Fatalf("the first update differs from a full build:\n%s", d)
	}
	return r
}

// step restores the sources if the last step was refused, makes the
// change do describes, updates the session with the files changed, and
// compares what it serves with a full build. It reports whether both
// accepted the sources.
func (r *propRun) step(do func(ed *editor) string) bool {
	t := r.t
	t.Helper()
	ctx := context.Background()
	ed := r.ed
	ed.changed = map[string]bool{}
	restored := ed.restore()
	desc := do(ed)
	if restored {
		desc = "restore the last good sources; " + desc
	}
	r.history = append(r.history, fmt.Sprintf("%d. %s", len(r.history)+1, desc))
	batch := ed.batch()
	uerr := r.served.update(ctx, r.ss, batch)
	full, ferr := fullBuild(ctx, r.root, r.opt)
	fail := func(format string, args ...any) {
		t.Helper()
		msg := fmt.Sprintf("step %d: %s\nsteps:\n%s\nbatch: %q", len(r.history), fmt.Sprintf(format, args...), strings.Join(r.history, "\n"), batch)
		if r.rerun != "" {
			msg += "\nrerun: " + r.rerun
		}
		t.Fatal(msg)
	}
	switch {
	case uerr != nil && ferr == nil:
		fail("the session refused what a full build accepts: %v", uerr)
	case uerr == nil && ferr != nil:
		fail("the session accepted what a full build refuses: %v", ferr)
	case uerr != nil:
		ed.failed = true // both refused it: the next step restores the files
		r.history[len(r.history)-1] += "  → refused by both"
		if err := r.build(ctx, nil); err != nil {
			fail("%v", err)
		}
		return false
	}
	ed.succeeded()
	if d := diffFiles(r.served, full); d != "" {
		fail("what gen serve serves differs from a full build:\n%s", d)
	}
	if err := r.build(ctx, full); err != nil {
		fail("%v", err)
	}
	return true
}

// build runs gen build into r.out, which keeps the record of the last
// build in the cache folder (as a new process would find it), and compares
// what is on disk with want, a full build's files; with want nil the build
// must fail and leave the folder as it was.
func (r *propRun) build(ctx context.Context, want map[string][]byte) error {
	opt := r.opt
	opt.Out = r.out
	var before map[string][]byte
	if want == nil {
		before = readTree(r.t, r.out)
	}
	stats, err := Build(ctx, opt)
	switch {
	case want == nil && err == nil:
		return errors.New("gen build accepted what a full build refuses")
	case want != nil && err != nil:
		return fmt.Errorf("gen build refused what a full build accepts: %v", err)
	case want == nil:
		if d := diffFiles(readTree(r.t, r.out), before); d != "" {
			return fmt.Errorf("a failed gen build changed the output folder:\n%s", d)
		}
		return nil
	}
	if stats.Written == stats.Files && stats.Rendered == stats.Pages {
		r.builds[1]++
	} else {
		r.builds[0]++
	}
	if d := diffFiles(readTree(r.t, r.out), want); d != "" {
		return fmt.Errorf("gen build, from the record of the last build, wrote other files than a full build (\"served\" below is what is on disk):\n%s", d)
	}
	return nil
}

// readTree reads every file under dir; nil when dir does not exist.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	got := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		got[filepath.ToSlash(rel)] = data
		return err
	})
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// servedFiles is what gen serve's preview server holds: each update's
// files put in, its removed files deleted, then the search index's files
// put in and its removed files deleted.
type servedFiles map[string][]byte

func (sf servedFiles) update(ctx context.Context, ss *Session, batch []string) error {
	res, err := ss.Update(ctx, batch)
	if err != nil {
		return err
	}
	for p, data := range res.Files {
		sf[p] = data
	}
	for _, p := range res.Removed {
		delete(sf, p)
	}
	index, removed, err := ss.SearchIndex()
	if err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	for p, data := range index {
		sf[p] = data
	}
	for _, p := range removed {
		delete(sf, p)
	}
	return nil
}

func fullBuild(ctx context.Context, root string, opt Options) (map[string][]byte, error) {
	s, err := Load(ctx, dirfs.New(root), opt)
	if err != nil {
		return nil, err
	}
	w := &memFiles{files: map[string][]byte{}}
	if _, err := s.Render(ctx, w); err != nil {
		return nil, err
	}
	return w.files, nil
}

// diffFiles describes how got differs from want: files missing, extra and
// different, with the first differing line of a few.
func diffFiles(got, want map[string][]byte) string {
	var missing, extra, differ []string
	for p := range want {
		if g, ok := got[p]; !ok {
			missing = append(missing, p)
		} else if !bytes.Equal(g, want[p]) {
			differ = append(differ, p)
		}
	}
	for p := range got {
		if _, ok := want[p]; !ok {
			extra = append(extra, p)
		}
	}
	if len(missing)+len(extra)+len(differ) == 0 {
		return ""
	}
	slices.Sort(missing)
	slices.Sort(extra)
	slices.Sort(differ)
	var b strings.Builder
	list := func(what string, ps []string) {
		if len(ps) == 0 {
			return
		}
		fmt.Fprintf(&b, "%s (%d):", what, len(ps))
		for i, p := range ps {
			if i == 12 {
				fmt.Fprintf(&b, " …")
				break
			}
			fmt.Fprintf(&b, " %s", p)
		}
		b.WriteByte('\n')
	}
	list("served but not in a full build (stale)", extra)
	list("in a full build but not served", missing)
	list("served with other bytes", differ)
	for _, p := range differ[:min(3, len(differ))] {
		fmt.Fprintf(&b, "%s: %s\n", p, clipLines(firstDiff(string(got[p]), string(want[p]))))
	}
	return b.String()
}

// clipLines shortens the long lines of s (minified scripts, JSON).
func clipLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if len(l) > 300 {
			lines[i] = l[:300] + "…"
		}
	}
	return strings.Join(lines, "\n")
}

// editor changes the site's files and records what it changed, the way
// the file watcher reports it: the files, and the folders that came or
// went. It keeps the sources as they were at the last step both builds
// accepted, to restore them after a step both refused.
type editor struct {
	t       *testing.T
	root    string
	rng     *rand.Rand
	n       int
	changed map[string]bool
	good    map[string][]byte // path → content at the last good step; nil: absent
	dirs    []string          // folders created since the last good step
	failed  bool
}

func (ed *editor) abs(p string) string { return filepath.Join(ed.root, filepath.FromSlash(p)) }

func (ed *editor) read(p string) []byte {
	data, err := os.ReadFile(ed.abs(p))
	if err != nil {
		ed.t.Fatal(err)
	}
	return data
}

func (ed *editor) exists(p string) bool {
	_, err := os.Stat(ed.abs(p))
	return err == nil
}

// remember keeps p's content before the first change since the last good step.
func (ed *editor) remember(p string) {
	if _, ok := ed.good[p]; ok {
		return
	}
	data, err := os.ReadFile(ed.abs(p))
	if err != nil {
		data = nil
	}
	ed.good[p] = data
}

func (ed *editor) write(p string, data []byte) {
	ed.remember(p)
	for d := path.Dir(p); d != "."; d = path.Dir(d) {
		if ed.exists(d) {
			break
		}
		ed.dirs = append(ed.dirs, d)
		ed.changed[d] = true
	}
	if err := os.MkdirAll(filepath.Dir(ed.abs(p)), 0o755); err != nil {
		ed.t.Fatal(err)
	}
	if err := os.WriteFile(ed.abs(p), data, 0o644); err != nil {
		ed.t.Fatal(err)
	}
	ed.changed[p] = true
}

func (ed *editor) remove(p string) {
	ed.remember(p)
	if err := os.Remove(ed.abs(p)); err != nil {
		ed.t.Fatal(err)
	}
	ed.changed[p] = true
}

// removeDir removes a folder of files.
func (ed *editor) removeDir(dir string) {
	for _, f := range ed.files(dir, "") {
		ed.remove(f)
	}
	if err := os.Remove(ed.abs(dir)); err != nil {
		ed.t.Fatal(err)
	}
	ed.changed[dir] = true
}

func (ed *editor) rename(from, to string) {
	data := ed.read(from)
	ed.write(to, data)
	ed.remove(from)
}

// restore puts back the sources of the last good step after a refused one.
func (ed *editor) restore() bool {
	if !ed.failed {
		return false
	}
	for _, p := range slices.Sorted(maps.Keys(ed.good)) {
		data := ed.good[p]
		if data == nil {
			if ed.exists(p) {
				if err := os.Remove(ed.abs(p)); err != nil {
					ed.t.Fatal(err)
				}
				ed.changed[p] = true
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(ed.abs(p)), 0o755); err != nil {
			ed.t.Fatal(err)
		}
		if err := os.WriteFile(ed.abs(p), data, 0o644); err != nil {
			ed.t.Fatal(err)
		}
		ed.changed[p] = true
	}
	for _, d := range slices.Backward(ed.dirs) {
		if os.Remove(ed.abs(d)) == nil {
			ed.changed[d] = true
		}
	}
	ed.dirs = nil
	ed.failed = false
	return true
}

func (ed *editor) succeeded() {
	clear(ed.good)
	ed.dirs = nil
}

func (ed *editor) batch() []string {
	return slices.Sorted(maps.Keys(ed.changed))
}

// apply makes one random edit among edits and describes it.
func (ed *editor) apply(edits []editKind) string {
	total := 0
	for _, e := range edits {
		total += e.weight
	}
	for range 100 {
		r := ed.rng.IntN(total)
		for _, e := range edits {
			if r -= e.weight; r < 0 {
				if desc := e.do(ed); desc != "" {
					return e.kind + ": " + desc
				}
				break
			}
		}
	}
	return "nothing applies"
}

// files lists the files under dir (recursively) whose names end in ext.
func (ed *editor) files(dir, ext string) []string {
	var out []string
	_ = filepath.WalkDir(ed.abs(dir), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ext) {
			rel, _ := filepath.Rel(ed.root, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	slices.Sort(out)
	return out
}

// pick returns a random element of list, or "" when it is empty.
func (ed *editor) pick(list []string) string {
	if len(list) == 0 {
		return ""
	}
	return list[ed.rng.IntN(len(list))]
}

func (ed *editor) name(prefix string) string {
	ed.n++
	return fmt.Sprintf("%s-%d", prefix, ed.n)
}

// stories are the story files, datasets the dataset names.
func (ed *editor) stories() []string { return ed.files("content/news", ".md") }

func (ed *editor) datasets() []string {
	var out []string
	for _, f := range ed.files("data", ".yaml") {
		if path.Dir(f) == "data" && ed.exists(strings.TrimSuffix(f, ".yaml")+".csv") {
			out = append(out, strings.TrimSuffix(path.Base(f), ".yaml"))
		}
	}
	return out
}

func (ed *editor) albums() []string {
	var out []string
	for _, f := range ed.files("content/photos", "album.yaml") {
		out = append(out, path.Dir(f))
	}
	return out
}

// topics are the slugs listed in site.yaml.
func (ed *editor) topics() []string {
	m := regexp.MustCompile(`(?m)^topics: \[(.*)\]`).FindSubmatch(ed.read("content/site.yaml"))
	if m == nil {
		return nil
	}
	var out []string
	for s := range strings.SplitSeq(string(m[1]), ",") {
		out = append(out, strings.TrimSpace(s))
	}
	return out
}

// setField sets a top-level YAML field (in front matter or a YAML file):
// the first line that starts with "key:" is replaced, or a line is added
// after the opening "---" (front matter) or at the top.
func setField(src []byte, key, value string) []byte {
	lines := strings.Split(string(src), "\n")
	end := len(lines)
	if len(lines) > 0 && lines[0] == "---" {
		for i := 1; i < len(lines); i++ {
			if lines[i] == "---" {
				end = i
				break
			}
		}
	}
	for i := range end {
		if strings.HasPrefix(lines[i], key+":") {
			lines[i] = key + ": " + value
			return []byte(strings.Join(lines, "\n"))
		}
	}
	at := 0
	if end < len(lines) {
		at = 1
	}
	lines = slices.Insert(lines, at, key+": "+value)
	return []byte(strings.Join(lines, "\n"))
}

// editLine changes a random line of src that matches re with fn.
func (ed *editor) editLine(src []byte, re *regexp.Regexp, fn func(line string) string) ([]byte, bool) {
	lines := strings.Split(string(src), "\n")
	var idx []int
	for i, l := range lines {
		if re.MatchString(l) {
			idx = append(idx, i)
		}
	}
	if len(idx) == 0 {
		return src, false
	}
	i := idx[ed.rng.IntN(len(idx))]
	lines[i] = fn(lines[i])
	return []byte(strings.Join(lines, "\n")), true
}

var (
	bodyLine  = regexp.MustCompile(`^\p{Han}`)
	digitRun  = regexp.MustCompile(`\d+`)
	csvRow    = regexp.MustCompile(`^[^,#]+,.*\d`)
	yamlField = regexp.MustCompile(`^\s*(- )?(title|summary|caption|description|note|footer|source|label): \S`)
	i18nLine  = regexp.MustCompile(`^[a-z.]+: [^"%\s][^%]*$`)
	classAttr = regexp.MustCompile(`class="[a-z]`)
)

var words = []string{"共同缔造", "居民议事", "积分兑换", "河道巡查", "志愿服务", "垃圾分类", "旧改", "养老", "幸福食堂", "夜市"}

func (ed *editor) word() string { return words[ed.rng.IntN(len(words))] }

// changeDigits changes one run of digits in line to another number of the
// same length (so a date stays a date more often than not).
func (ed *editor) changeDigits(line string) string {
	locs := digitRun.FindAllStringIndex(line, -1)
	if len(locs) == 0 {
		return line
	}
	l := locs[ed.rng.IntN(len(locs))]
	n := l[1] - l[0]
	v := strconv.Itoa(ed.rng.IntN(9) + 1)
	for len(v) < n {
		v += strconv.Itoa(ed.rng.IntN(10))
	}
	return line[:l[0]] + v[:n] + line[l[1]:]
}

// appendWord appends a word to a random line of file f that matches re,
// and returns f, or "" when no line matches.
func (ed *editor) appendWord(f string, re *regexp.Regexp) string {
	src, ok := ed.editLine(ed.read(f), re, func(l string) string { return l + ed.word() })
	if !ok {
		return ""
	}
	ed.write(f, src)
	return f
}

// communities are those of the example site's requests ledger that its
// compounds are in.
var communities = []string{"白浪社区", "光明社区", "新城社区", "和平社区"}

// kioskDirs are the folders of the kiosks' logs.
func kioskDirs(ed *editor) []string {
	var out []string
	for _, f := range ed.files("data/kiosk", "pull.yaml") {
		out = append(out, path.Dir(f))
	}
	return out
}

// filesIn lists the files under dir whose names end in ext.
func filesIn(dir, ext string) func(*editor) []string {
	return func(ed *editor) []string { return ed.files(dir, ext) }
}

// each makes an edit to a random one of the items list gives, or none
// when there are none.
func each(list func(*editor) []string, do func(ed *editor, item string) string) func(*editor) string {
	return func(ed *editor) string {
		item := ed.pick(list(ed))
		if item == "" {
			return ""
		}
		return do(ed, item)
	}
}

// editKind is one kind of change to a site.
type editKind struct {
	kind   string
	weight int
	// do makes the change and describes it, or returns "" when the site
	// has nothing it applies to.
	do func(ed *editor) string
}

var allEdits = []editKind{
	{"story-title", 4, each((*editor).stories, func(ed *editor, f string) string {
		ed.write(f, setField(ed.read(f), "title", ed.word()+"的新进展"+strconv.Itoa(ed.rng.IntN(100))))
		return f
	})},
	{"story-date", 4, each((*editor).stories, func(ed *editor, f string) string {
		d := fmt.Sprintf("2026-%02d-%02d", 1+ed.rng.IntN(12), 1+ed.rng.IntN(28))
		ed.write(f, setField(ed.read(f), "date", d))
		return f + " " + d
	})},
	{"story-summary", 3, each((*editor).stories, func(ed *editor, f string) string {
		ed.write(f, setField(ed.read(f), "summary", ed.word()+"，"+ed.word()+"。"))
		return f
	})},
	{"story-tags", 4, each((*editor).stories, func(ed *editor, f string) string {
		var tags []string
		for range ed.rng.IntN(3) {
			if t := ed.word(); !slices.Contains(tags, t) {
				tags = append(tags, t)
			}
		}
		ed.write(f, setField(ed.read(f), "tags", "["+strings.Join(tags, ", ")+"]"))
		return f + " [" + strings.Join(tags, ", ") + "]"
	})},
	{"story-topic", 3, func(ed *editor) string {
		f, t := ed.pick(ed.stories()), ed.pick(ed.topics())
		if f == "" || t == "" {
			return ""
		}
		ed.write(f, setField(ed.read(f), "topics", "["+t+"]"))
		return f + " → " + t
	}},
	{"story-body", 5, each((*editor).stories, func(ed *editor, f string) string {
		src, ok := ed.editLine(ed.read(f), bodyLine, func(l string) string { return l + ed.word() + "。" })
		if !ok {
			src = append(ed.read(f), "\n"+ed.word()+"。\n"...)
		}
		ed.write(f, src)
		return f
	})},
	// A story's text names a pilot compound (or stops naming it): the
	// compound's page lists the story (gen/places).
	{"story-place", 2, each((*editor).stories, func(ed *editor, f string) string {
		src := ed.read(f)
		const name = "玫瑰苑"
		if bytes.Contains(src, []byte(name)) {
			ed.write(f, bytes.ReplaceAll(src, []byte(name), []byte(ed.word())))
			return f + " no longer names " + name
		}
		ed.write(f, append(src, "\n住在玫瑰\n苑的居民说："+ed.word()+"。\n"...))
		return f + " names " + name
	})},
	{"story-draft", 2, each((*editor).stories, func(ed *editor, f string) string {
		src := ed.read(f)
		v := "true"
		if bytes.Contains(src, []byte("\ndraft: true")) {
			v = "false"
		}
		ed.write(f, setField(src, "draft", v))
		return f + " draft: " + v
	})},
	{"story-figure", 2, func(ed *editor) string {
		f, ds := ed.pick(ed.stories()), ed.pick(ed.datasets())
		if f == "" || ds == "" {
			return ""
		}
		ed.write(f, append(ed.read(f), "\n数据集共有 {{data: "+ds+" | count}} 行。\n"...))
		return f + " counts " + ds
	}},
	{"story-cover", 2, func(ed *editor) string {
		f := ed.pick(ed.stories())
		var photos []string
		for _, p := range ed.files("content/photos", ".jpg") {
			photos = append(photos, "../"+strings.TrimPrefix(p, "content/"))
		}
		c := ed.pick(photos)
		if f == "" || c == "" {
			return ""
		}
		ed.write(f, setField(ed.read(f), "cover", c))
		return f + " cover " + c
	}},
	{"story-image", 1, each((*editor).stories, func(ed *editor, f string) string {
		img := ed.name("pic") + ".jpg"
		ed.write(path.Join(path.Dir(f), img), ed.jpeg())
		ed.write(f, append(ed.read(f), "\n![示意插图："+ed.word()+"]("+img+")\n"...))
		return f + " shows " + img
	})},
	{"story-image-replace", 1, each(filesIn("content/news", ".jpg"), func(ed *editor, f string) string {
		ed.write(f, ed.jpeg())
		return f
	})},
	{"topic-figure", 1, func(ed *editor) string {
		f, ds := ed.pick(ed.files("content/topics", ".md")), ed.pick(ed.datasets())
		if f == "" || ds == "" {
			return ""
		}
		ed.write(f, append(ed.read(f), "\n相关数据集共 {{data: "+ds+" | count}} 行。\n"...))
		return f + " counts " + ds
	}},
	{"story-datetime", 1, each((*editor).stories, func(ed *editor, f string) string {
		d := fmt.Sprintf("2026-%02d-%02d %02d:%02d", 1+ed.rng.IntN(12), 1+ed.rng.IntN(28), ed.rng.IntN(24), ed.rng.IntN(60))
		ed.write(f, setField(ed.read(f), "date", d))
		return f + " " + d
	})},
	{"story-long-tag", 1, each((*editor).stories, func(ed *editor, f string) string {
		tag := strings.Repeat(ed.word(), 12) // over 100 bytes: a shorter address with a hash
		ed.write(f, setField(ed.read(f), "tags", "["+tag+"]"))
		return f + " tagged " + tag
	})},
	{"story-notes", 1, each((*editor).stories, func(ed *editor, f string) string {
		ed.write(f, setField(ed.read(f), "notes", "待核实"+ed.word()))
		return f
	})},
	{"story-link", 1, each((*editor).stories, func(ed *editor, f string) string {
		link := []string{"[办事指南](https://example.org/guide)", "[脚本](javascript:alert(1))", "[相关报道](../story-00001/)", "[电话](tel:12345)"}[ed.rng.IntN(4)]
		ed.write(f, append(ed.read(f), "\n详见"+link+"。\n"...))
		return f + " links " + link
	})},
	{"story-correction", 1, each((*editor).stories, func(ed *editor, f string) string {
		c := fmt.Sprintf("[{date: 2026-12-%02d, text: 更正了%s的说法。}]", 1+ed.rng.IntN(28), ed.word())
		ed.write(f, setField(ed.read(f), "corrections", c))
		return f + " corrections: " + c
	})},
	{"story-create", 3, func(ed *editor) string {
		f := "content/news/" + ed.name("prop-story") + ".md"
		src := corpus.Story(ed.rng, ed.rng.IntN(1000))
		ed.write(f, src)
		return f
	}},
	{"story-delete", 2, each((*editor).stories, func(ed *editor, f string) string {
		ed.remove(f)
		return f
	})},
	{"story-rename", 2, each((*editor).stories, func(ed *editor, f string) string {
		to := "content/news/" + ed.name("renamed") + ".md"
		ed.rename(f, to)
		return f + " → " + to
	})},
	{"story-invalid", 2, each((*editor).stories, func(ed *editor, f string) string {
		bad := []struct{ key, value string }{{"date", "2026-13-45"}, {"topics", "[no-such-topic]"}, {"title", "\"unterminated"}}[ed.rng.IntN(3)]
		ed.write(f, setField(ed.read(f), bad.key, bad.value))
		return f + " " + bad.key + ": " + bad.value
	})},

	{"methods-page", 2, each(filesIn("content/about", ".md"), func(ed *editor, f string) string {
		src := ed.read(f)
		switch ed.rng.IntN(4) {
		case 0:
			src = setField(src, "title", "关于"+ed.word())
		case 1:
			ds := ed.pick(ed.datasets())
			if ds == "" {
				return ""
			}
			src = append(src, "\n"+ds+" 共 {{data: "+ds+" | count}} 行。\n"...)
		case 2:
			src = setField(src, "notes", "待核实"+ed.word())
		default:
			ed.remove(f)
			return f + " removed"
		}
		ed.write(f, src)
		return f
	})},
	{"topic-page", 3, each(filesIn("content/topics", ".md"), func(ed *editor, f string) string {
		src := ed.read(f)
		switch ed.rng.IntN(3) {
		case 0:
			src = setField(src, "title", ed.word()+"专题")
		case 1:
			src = setField(src, "summary", ed.word()+"的专题。")
		default:
			src = append(src, "\n"+ed.word()+"。\n"...)
		}
		ed.write(f, src)
		return f
	})},

	{"site-field", 3, func(ed *editor) string {
		const f = "content/site.yaml"
		return ed.appendWord(f, yamlField)
	}},
	{"site-paginate", 2, func(ed *editor) string {
		const f = "content/site.yaml"
		n := strconv.Itoa(2 + ed.rng.IntN(9))
		ed.write(f, setField(ed.read(f), "paginate", n))
		return "paginate " + n
	}},
	{"site-topic", 1, func(ed *editor) string {
		const f = "content/site.yaml"
		slug := ed.name("prop-topic")
		src := regexp.MustCompile(`(?m)^topics: \[(.*)\]`).ReplaceAll(ed.read(f), []byte("topics: [$1, "+slug+"]"))
		ed.write("content/topics/"+slug+".md", []byte("---\ntitle: "+ed.word()+"\nsummary: 新专题。\n---\n## 简介\n\n新专题。\n"))
		ed.write(f, src)
		return "new topic " + slug
	}},
	{"site-figure", 2, func(ed *editor) string {
		const f = "content/site.yaml"
		ds := ed.pick(ed.datasets())
		if ds == "" {
			return ""
		}
		src, ok := ed.editLine(ed.read(f), regexp.MustCompile(`^\s+value: `), func(l string) string {
			return l[:strings.Index(l, "value: ")] + "value: " + ds + " | count"
		})
		if !ok {
			return ""
		}
		ed.write(f, src)
		return "a figure counts " + ds
	}},
	{"site-language", 1, func(ed *editor) string {
		const f = "content/site.yaml"
		src := ed.read(f)
		lang := "en"
		if bytes.Contains(src, []byte("\nlanguage: en")) {
			lang = "zh-CN"
		}
		ed.write(f, setField(src, "language", lang))
		return "language: " + lang
	}},
	{"site-menu", 1, func(ed *editor) string {
		const f = "content/site.yaml"
		src, ok := ed.editLine(ed.read(f), regexp.MustCompile(`^  - \{title: `), func(l string) string {
			return strings.Replace(l, "{title: ", "{title: "+ed.word(), 1)
		})
		if !ok {
			return ""
		}
		ed.write(f, src)
		return "a menu title"
	}},
	{"topic-delete", 1, func(ed *editor) string {
		const f = "content/site.yaml"
		topics := ed.topics()
		if len(topics) < 2 {
			return ""
		}
		t := ed.pick(topics)
		rest := slices.DeleteFunc(slices.Clone(topics), func(s string) bool { return s == t })
		src := regexp.MustCompile(`(?m)^topics: \[.*\]`).ReplaceAll(ed.read(f), []byte("topics: ["+strings.Join(rest, ", ")+"]"))
		ed.write(f, src)
		if p := "content/topics/" + t + ".md"; ed.exists(p) {
			ed.remove(p)
		}
		return "topic " + t + " (refused while a story, dataset or album is in it)"
	}},
	{"site-invalid", 1, func(ed *editor) string {
		const f = "content/site.yaml"
		ed.write(f, setField(ed.read(f), "paginate", "many"))
		return "paginate: many"
	}},

	{"data-csv", 4, each((*editor).datasets, func(ed *editor, ds string) string {
		f := "data/" + ds + ".csv"
		src, ok := ed.editLine(ed.read(f), csvRow, ed.changeDigits)
		if !ok {
			return ""
		}
		ed.write(f, src)
		return f
	})},
	{"data-row", 2, each((*editor).datasets, func(ed *editor, ds string) string {
		f := "data/" + ds + ".csv"
		src := bytes.TrimRight(ed.read(f), "\r\n")
		last := src[bytes.LastIndexByte(src, '\n')+1:]
		ed.write(f, append(append(src, '\n'), ed.changeDigits(string(last))+"\n"...))
		return f
	})},
	{"data-yaml", 3, each((*editor).datasets, func(ed *editor, ds string) string {
		f := "data/" + ds + ".yaml"
		return ed.appendWord(f, yamlField)
	})},
	{"data-chart", 2, each((*editor).datasets, func(ed *editor, ds string) string {
		f := "data/" + ds + ".yaml"
		src := ed.read(f)
		var out []byte
		switch {
		case bytes.Contains(src, []byte("kind: bar")):
			out = bytes.Replace(src, []byte("kind: bar"), []byte("kind: line"), 1)
		case bytes.Contains(src, []byte("kind: line")):
			out = bytes.Replace(src, []byte("kind: line"), []byte("kind: bar"), 1)
		default:
			return ""
		}
		ed.write(f, out)
		return f
	})},
	{"data-create", 1, each((*editor).datasets, func(ed *editor, ds string) string {
		to := ed.name("prop-data")
		ed.write("data/"+to+".csv", ed.read("data/"+ds+".csv"))
		ed.write("data/"+to+".yaml", ed.read("data/"+ds+".yaml"))
		return ds + " copied to " + to
	})},
	{"data-delete", 1, each((*editor).datasets, func(ed *editor, ds string) string {
		ed.remove("data/" + ds + ".csv")
		ed.remove("data/" + ds + ".yaml")
		return ds
	})},
	{"data-rename", 1, each((*editor).datasets, func(ed *editor, ds string) string {
		to := ed.name("renamed-data")
		ed.rename("data/"+ds+".csv", "data/"+to+".csv")
		ed.rename("data/"+ds+".yaml", "data/"+to+".yaml")
		return ds + " → " + to
	})},
	{"data-invalid", 1, each((*editor).datasets, func(ed *editor, ds string) string {
		f := "data/" + ds + ".csv"
		src, ok := ed.editLine(ed.read(f), csvRow, func(l string) string { return digitRun.ReplaceAllString(l, "x$0") })
		if !ok {
			return ""
		}
		ed.write(f, src)
		return f + " with letters in its numbers"
	})},

	{"kiosk-record", 3, each(filesIn("data/kiosk", ".csv"), func(ed *editor, f string) string {
		// The grams of one deposit (the second-last field).
		src, ok := ed.editLine(ed.read(f), regexp.MustCompile(`^K\d+,`), func(l string) string {
			fields := strings.Split(l, ",")
			fields[len(fields)-2] = strconv.Itoa(100 + ed.rng.IntN(5000))
			return strings.Join(fields, ",")
		})
		if !ok {
			return ""
		}
		ed.write(f, src)
		return f
	})},
	{"kiosk-pull", 2, each(kioskDirs, func(ed *editor, dir string) string {
		// What kioskpull writes after a pull: a file of the records since
		// the last one, and the kiosk's pull.yaml.
		logs := ed.files(dir, ".csv")
		lines := strings.Split(strings.TrimSpace(string(ed.read(logs[len(logs)-1]))), "\n")
		last := strings.Split(lines[len(lines)-1], ",")
		seq, err1 := strconv.ParseUint(last[2], 10, 64)
		at, err2 := time.Parse(time.RFC3339, last[3])
		if len(last) != 8 || err1 != nil || err2 != nil {
			ed.t.Fatalf("%s: last record %q is not as kioskpull writes it", logs[len(logs)-1], lines[len(lines)-1])
		}
		n := 1 + ed.rng.IntN(3)
		var b strings.Builder
		b.WriteString("kiosk,epoch,seq,time,card,category,grams,points\n")
		for i := range n {
			g := 200 + ed.rng.IntN(3000)
			fmt.Fprintf(&b, "%s,%s,%d,%s,%s,paper,%d,%d\n", last[0], last[1], seq+uint64(i)+1, at.Add(time.Duration(i+1)*time.Hour).Format(time.RFC3339), last[4], g, g/100)
		}
		f := fmt.Sprintf("%s/e%s-%010d-%010d.csv", dir, last[1], seq+1, seq+uint64(n))
		ed.write(f, []byte(b.String()))
		ed.write(dir+"/pull.yaml", setField(ed.read(dir+"/pull.yaml"), "last_seq", strconv.FormatUint(seq+uint64(n), 10)))
		return f
	})},
	{"kiosk-compound", 1, func(ed *editor) string {
		const f = "data/kiosk/kiosks.yaml"
		if !ed.exists(f) {
			return ""
		}
		src, ok := ed.editLine(ed.read(f), regexp.MustCompile(`^\s+compound: `), func(l string) string { return l + ed.word() })
		if !ok {
			return ""
		}
		ed.write(f, src)
		return f
	}},
	{"kiosk-community", 1, func(ed *editor) string {
		// Another community the requests are registered by, or now and
		// then one they are not (refused by both builds).
		const f = "data/kiosk/kiosks.yaml"
		if !ed.exists(f) {
			return ""
		}
		unknown := ed.rng.IntN(4) == 0
		src, ok := ed.editLine(ed.read(f), regexp.MustCompile(`^\s+community: `), func(l string) string {
			if unknown {
				return l + ed.word()
			}
			return l[:strings.Index(l, ":")+2] + ed.pick(communities)
		})
		if !ok {
			return ""
		}
		ed.write(f, src)
		if unknown {
			return f + " with a community the requests do not know"
		}
		return f
	}},
	{"requests-place", 2, func(ed *editor) string {
		// A request moves to another community: the pages of the
		// compounds in both show other figures.
		const f = "data/requests.csv"
		if !ed.exists(f) {
			return ""
		}
		src, ok := ed.editLine(ed.read(f), regexp.MustCompile(`^R\d+,(`+strings.Join(communities, "|")+`),`), func(l string) string {
			id, rest, _ := strings.Cut(l, ",")
			_, rest, _ = strings.Cut(rest, ",")
			return id + "," + ed.pick(communities) + "," + rest
		})
		if !ok {
			return ""
		}
		ed.write(f, src)
		return f + ": a request in another community"
	}},

	{"album-yaml", 3, each((*editor).albums, func(ed *editor, a string) string {
		f := a + "/album.yaml"
		return ed.appendWord(f, yamlField)
	})},
	{"album-date", 1, each((*editor).albums, func(ed *editor, a string) string {
		d := fmt.Sprintf("2026-%02d-%02d", 1+ed.rng.IntN(12), 1+ed.rng.IntN(28))
		ed.write(a+"/album.yaml", setField(ed.read(a+"/album.yaml"), "date", d))
		return a + " " + d
	})},
	{"album-photo-add", 2, each((*editor).albums, func(ed *editor, a string) string {
		name := ed.name("photo") + ".jpg"
		ed.write(a+"/"+name, ed.jpeg())
		src := ed.read(a + "/album.yaml")
		src = append(bytes.TrimRight(src, "\n"), "\n  - file: "+name+"\n    caption: "+ed.word()+"\n    alt: 示意插图："+ed.word()+"\n"...)
		ed.write(a+"/album.yaml", src)
		return a + "/" + name
	})},
	{"album-photo-replace", 2, each(filesIn("content/photos", ".jpg"), func(ed *editor, f string) string {
		ed.write(f, ed.jpeg())
		return f
	})},
	{"album-photo-delete", 1, each((*editor).albums, func(ed *editor, a string) string {
		src := string(ed.read(a + "/album.yaml"))
		m := regexp.MustCompile(`(?m)^  - file: (\S+)\n(    .*\n)*`).FindAllStringSubmatchIndex(src, -1)
		if len(m) < 2 {
			return ""
		}
		i := m[ed.rng.IntN(len(m))]
		file := src[i[2]:i[3]]
		ed.write(a+"/album.yaml", []byte(src[:i[0]]+src[i[1]:]))
		ed.remove(a + "/" + file)
		return a + "/" + file
	})},
	{"album-create", 1, each((*editor).topics, func(ed *editor, t string) string {
		a := "content/photos/" + ed.name("prop-album")
		ed.write(a+"/a.jpg", ed.jpeg())
		ed.write(a+"/album.yaml", []byte("title: "+ed.word()+"\ndate: 2026-06-01\ntopic: "+t+"\nsummary: 新相册。\nphotos:\n  - file: a.jpg\n    caption: "+ed.word()+"\n    alt: 示意插图：一块色块\n"))
		return a
	})},
	{"album-delete", 1, each((*editor).albums, func(ed *editor, a string) string {
		ed.removeDir(a)
		return a
	})},
	{"album-rename", 1, each((*editor).albums, func(ed *editor, a string) string {
		to := "content/photos/" + ed.name("renamed-album")
		for _, f := range ed.files(a, "") {
			ed.rename(f, to+"/"+path.Base(f))
			// A folder moved with mv: the watcher hears of the old
			// folder and of the new one with its files, not of the old files.
			delete(ed.changed, f)
		}
		if err := os.Remove(ed.abs(a)); err != nil {
			ed.t.Fatal(err)
		}
		ed.changed[a] = true
		return a + " → " + to
	})},

	{"theme-template", 3, each(filesIn("themes/default/templates", ".html"), func(ed *editor, f string) string {
		c := ed.name("p")
		src, ok := ed.editLine(ed.read(f), classAttr, func(l string) string {
			return classAttr.ReplaceAllStringFunc(l, func(m string) string { return `class="` + c + " " + m[len(m)-1:] })
		})
		if !ok {
			return ""
		}
		ed.write(f, src)
		return f
	})},
	{"theme-css", 2, each(filesIn("themes/default/static/css", ".css"), func(ed *editor, f string) string {
		ed.write(f, append(ed.read(f), "\n."+ed.name("p")+" { color: #333; }\n"...))
		return f
	})},
	{"theme-js", 1, each(filesIn("themes/default/static/js", ".js"), func(ed *editor, f string) string {
		ed.write(f, append(ed.read(f), "\n// "+ed.name("p")+"\n"...))
		return f
	})},
	{"theme-i18n", 2, func(ed *editor) string {
		const f = "themes/default/i18n/zh-CN.yaml"
		return ed.appendWord(f, i18nLine)
	}},
	{"theme-i18n-en", 1, func(ed *editor) string {
		return ed.appendWord("themes/default/i18n/en.yaml", i18nLine)
	}},
	{"theme-static-create", 1, func(ed *editor) string {
		f := "themes/default/static/" + ed.name("prop") + ".txt"
		ed.write(f, []byte(ed.word()+"\n"))
		return f
	}},
	{"theme-static-delete", 1, func(ed *editor) string {
		var added []string
		for _, f := range ed.files("themes/default/static", ".txt") {
			if strings.HasPrefix(path.Base(f), "prop-") {
				added = append(added, f)
			}
		}
		f := ed.pick(added)
		if f == "" {
			return ""
		}
		ed.remove(f)
		return f
	}},
	{"theme-invalid", 1, each(filesIn("themes/default/templates", ".html"), func(ed *editor, f string) string {
		ed.write(f, append(ed.read(f), "{{if}\n"...))
		return f + " with {{if}"
	})},
}

// jpeg is a small photo of a random colour.
func (ed *editor) jpeg() []byte {
	w, h := 120+ed.rng.IntN(80), 90+ed.rng.IntN(60)
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	c := color.RGBA{uint8(ed.rng.IntN(256)), uint8(ed.rng.IntN(256)), uint8(ed.rng.IntN(256)), 255}
	for y := range h {
		for x := range w {
			img.Set(x, y, c)
		}
	}
	img.Set(w/2, h/2, color.Black)
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		ed.t.Fatal(err)
	}
	return b.Bytes()
}

// copyExampleSite copies the repository's content/, data/ and themes/ to root.
func copyExampleSite(t *testing.T, root string) {
	for _, dir := range []string{"content", "data", "themes"} {
		if err := corpus.CopyDir(filepath.Join("..", "..", dir), filepath.Join(root, dir)); err != nil {
			t.Fatal(err)
		}
	}
}

// writeGeneratedSite writes a small synthetic site: corpus stories, a
// dataset with a chart that a story quotes, and an album whose photo a
// story shows.
func writeGeneratedSite(t *testing.T, root string) {
	if err := corpus.Write(root, 24); err != nil {
		t.Fatal(err)
	}
	if err := corpus.CopyDir(filepath.Join("..", "..", "themes"), filepath.Join(root, "themes")); err != nil {
		t.Fatal(err)
	}
	ed := &editor{t: t, root: root, rng: rand.New(rand.NewPCG(7, 7)), changed: map[string]bool{}, good: map[string][]byte{}}
	ed.write("content/site.yaml", append(ed.read("content/site.yaml"),
		"figures:\n  - title: 河道巡查\n    value: patrols | sum km\n    note: 全年合计（千米）\n"...))
	ed.write("data/patrols.csv", []byte("month,km,people\n2026-01,120,8\n2026-02,98,7\n2026-03,143,9\n2026-04,160,11\n"))
	ed.write("data/patrols.yaml", []byte(`title: 河道巡查里程
description: 每月河道巡查的里程和人数（示例数据）。
source: 开发区河长办（示例数据）
licence: CC BY 4.0
updated: 2026-04-30
topic: river
sample: true
columns:
  - {name: month, type: string, label: 月份}
  - {name: km, type: int, unit: 千米, label: 巡查里程}
  - {name: people, type: int, unit: 人, label: 巡查人数}
charts:
  - kind: bar
    title: 每月巡查里程
    x: month
    y: [km]
`))
	ed.write("content/photos/patrol/one.jpg", ed.jpeg())
	ed.write("content/photos/patrol/two.jpg", ed.jpeg())
	ed.write("content/photos/patrol/album.yaml", []byte(`title: 河道巡查
date: 2026-04-12
topic: river
credit: 示例图片
summary: 志愿者沿河巡查。
photos:
  - file: one.jpg
    caption: 沿河巡查（示例图片）
    alt: 示意插图：一块色块
  - file: two.jpg
    caption: 记录河道情况（示例图片）
    alt: 示意插图：另一块色块
`))
	ed.write("content/news/patrol-report.md", []byte("---\ntitle: 河道巡查四个月\ndate: 2026-05-02\nsummary: 巡查里程逐月增加。\ntopics: [river]\ntags: [河长制]\ncover: ../photos/patrol/one.jpg\n---\n## 巡查\n\n四个月共巡查 {{data: patrols | sum km}} 千米。\n\n```chart\ndataset: patrols\nkind: line\ntitle: 巡查人数\nx: month\ny: [people]\n```\n\n![示意插图：巡查路线](../photos/patrol/two.jpg)\n"))
}

// TestIncrementalRegressions replays, step by step, the edit sequences
// with which TestIncrementalEqualsFull found gen serve serving stale files.
// Each case is named for the bug.
func TestIncrementalRegressions(t *testing.T) {
	for _, tc := range []struct {
		name  string
		steps []func(ed *editor) string
	}{
		{"renamed story keeps its old address in lists", []func(ed *editor) string{
			func(ed *editor) string {
				ed.rename("content/news/story-00006.md", "content/news/renamed.md")
				return "rename story-00006 to renamed"
			},
		}},
		{"search index keeps the chunks of deleted stories", []func(ed *editor) string{
			func(ed *editor) string {
				for i := range 12 {
					ed.remove(fmt.Sprintf("content/news/story-%05d.md", i))
				}
				return "delete 12 of the 25 stories"
			},
		}},
		{"story shows the old version of a replaced photo", []func(ed *editor) string{
			func(ed *editor) string {
				ed.write("content/photos/patrol/two.jpg", ed.jpeg())
				return "replace the album photo a story shows"
			},
		}},
		{"photo deleted from its album stays published", []func(ed *editor) string{
			func(ed *editor) string {
				const a = "content/photos/patrol/album.yaml"
				ed.write("content/photos/patrol/three.jpg", ed.jpeg())
				ed.write(a, append(ed.read(a), "  - file: three.jpg\n    caption: 第三张\n    alt: 示意插图：第三块色块\n"...))
				return "add a photo to the album"
			},
			dropPatrolPhoto("three.jpg"),
		}},
		{"deleting a photo a story shows is refused", []func(ed *editor) string{
			dropPatrolPhoto("two.jpg"), // a story shows it
			func(ed *editor) string {
				ed.remove("content/news/patrol-report.md")
				return "restore, and delete the story instead"
			},
		}},
		{"UI strings stay in the old language", []func(ed *editor) string{
			func(ed *editor) string {
				ed.write("content/site.yaml", setField(ed.read("content/site.yaml"), "language", "en"))
				return "language: en in site.yaml"
			},
			func(ed *editor) string {
				ed.write("content/site.yaml", setField(ed.read("content/site.yaml"), "language", "zh-CN"))
				return "and back to zh-CN"
			},
		}},
		{"search text of a story kept from a refused update", []func(ed *editor) string{
			dropPatrolPhoto("two.jpg"), // a story shows it
			func(ed *editor) string { return "put it back" },
		}},
	} {
		t.Run(strings.ReplaceAll(tc.name, " ", "_"), func(t *testing.T) {
			root := t.TempDir()
			writeGeneratedSite(t, root)
			r := startRun(t, root, t.TempDir(), rand.New(rand.NewPCG(1, 1)))
			for i, do := range tc.steps {
				if ok := r.step(do); !ok && i == len(tc.steps)-1 {
					t.Fatal("the last step was refused by both builds; a regression case must end in a site that builds")
				}
			}
		})
	}
}

// dropPatrolPhoto deletes a photo of the generated site's album, the last
// in its album.yaml, and its entry.
func dropPatrolPhoto(name string) func(ed *editor) string {
	return func(ed *editor) string {
		const a = "content/photos/patrol/album.yaml"
		src := string(ed.read(a))
		ed.write(a, []byte(src[:strings.Index(src, "  - file: "+name)]))
		ed.remove("content/photos/patrol/" + name)
		return "delete " + name + " from its album"
	}
}
