package pipeline

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"gongjian/gen/internal/dirfs"
	"gongjian/gen/internal/gittest"
	"gongjian/gen/output"
	"gongjian/gen/search"
)

// recordedSite copies the example site into a temporary folder and
// returns it with options for builds that keep a record. A file counts as
// changed only when its stamp does, however recently the test wrote it.
func recordedSite(t *testing.T) (root string, opt Options) {
	root = t.TempDir()
	copyExampleSite(t, root)
	opt = Options{Src: root, Out: filepath.Join(t.TempDir(), "public"), CacheDir: filepath.Join(t.TempDir(), "cache"), BaseURL: "http://127.0.0.1:1414/"}
	old := racyWindow
	racyWindow = -time.Hour // every file the test writes is recent
	t.Cleanup(func() { racyWindow = old })
	return root, opt
}

// TestBuildFromRecord checks that gen build uses the record of the last
// build only when it can: after one story changed it renders and writes
// little, and every record it must not trust (another gen's, other
// options', a damaged one, one for an output folder changed since) gives a
// full build. Every build's output must equal a full build in memory, with
// a story changed just before, so that a record used wrongly shows as a
// stale page.
func TestBuildFromRecord(t *testing.T) {
	ctx := context.Background()
	root, opt := recordedSite(t)

	if _, err := os.Stat(filepath.Join(root, "content/news/5433-mechanism.md")); err != nil {
		t.Fatal(err)
	}
	edits := 0
	edit := func() {
		t.Helper()
		edits++
		p := filepath.Join(root, "content/news/5433-mechanism.md")
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		src = append(src, []byte("\n第"+strings.Repeat("又", edits)+"次修改。\n")...)
		if err := os.WriteFile(p, src, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	check := func(what string, wantPatch bool) {
		t.Helper()
		stats, err := Build(ctx, opt)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		patched := stats.Rendered < stats.Pages
		if patched != wantPatch {
			t.Errorf("%s: rendered %d of %d pages, wrote %d of %d files; want a patch: %v", what, stats.Rendered, stats.Pages, stats.Written, stats.Files, wantPatch)
		}
		if wantPatch && strings.Contains(what, "one story changed") && (stats.Rendered > 24 || stats.Written > 40) { // the story, its lists, the compounds' pages
			t.Errorf("%s: one story changed, and %d pages rendered, %d files written", what, stats.Rendered, stats.Written)
		}
		// The search index tokenizes what changed: every document in a
		// full build (50 or more on the example site), one story, or
		// nothing.
		switch {
		case !wantPatch && stats.Indexed < 50:
			t.Errorf("%s: a full build, and the search index tokenized %d documents", what, stats.Indexed)
		case what == "nothing changed" && stats.Indexed != 0:
			t.Errorf("%s: the search index tokenized %d documents", what, stats.Indexed)
		case (strings.Contains(what, "one story changed") || strings.Contains(what, "story added")) && stats.Indexed != 1:
			t.Errorf("%s: the search index tokenized %d documents, want 1", what, stats.Indexed)
		}
		want, err := fullBuild(ctx, root, opt)
		if err != nil {
			t.Fatal(err)
		}
		if d := diffFiles(readTree(t, opt.Out), want); d != "" {
			t.Fatalf("%s: the output differs from a full build:\n%s", what, d)
		}
		noPendingRecord(t, opt)
	}
	check("first build", false)
	edit()
	check("one story changed", true)
	check("nothing changed", true)
	// A compound renamed: its page lists the stories that name it, read
	// again from their files, and the pages of those stories render with
	// their bodies (both once came out empty from a build from a record).
	kiosks := filepath.Join(root, "data/kiosk/kiosks.yaml")
	src, err := os.ReadFile(kiosks)
	if err != nil {
		t.Fatal(err)
	}
	renamed := regexp.MustCompile(`(?m)^(\s+compound: .*)$`).ReplaceAllString(string(src), "${1}新")
	if renamed == string(src) {
		t.Fatal("no compound in data/kiosk/kiosks.yaml")
	}
	if err := os.WriteFile(kiosks, []byte(renamed), 0o644); err != nil {
		t.Fatal(err)
	}
	check("every compound renamed", true)

	// The site's language changed: the theme loaded early, for the
	// record's language, is not the one the build uses. Every page shows
	// the theme's strings, so every page renders again.
	siteYAML := filepath.Join(root, "content/site.yaml")
	settings, err := os.ReadFile(siteYAML)
	if err != nil {
		t.Fatal(err)
	}
	english := strings.Replace(string(settings), "language: zh-CN", "language: en", 1)
	if english == string(settings) {
		t.Fatal("content/site.yaml does not say language: zh-CN")
	}
	for _, s := range []string{english, string(settings)} {
		if err := os.WriteFile(siteYAML, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := Build(ctx, opt); err != nil {
			t.Fatalf("the language changed: %v", err)
		}
		want, err := fullBuild(ctx, root, opt)
		if err != nil {
			t.Fatal(err)
		}
		if d := diffFiles(readTree(t, opt.Out), want); d != "" {
			t.Fatalf("the language changed: the output differs from a full build:\n%s", d)
		}
	}

	// A file gen did not write, in the way of a new page: the patch is
	// refused, and the record written meanwhile is thrown away, so that
	// the next build still patches from the last one.
	story := filepath.Join(root, "content/news/record-test-new.md")
	if err := os.WriteFile(story, []byte("---\ntitle: 新的一篇\ndate: 2026-11-30\nsummary: 测试。\n---\n正文。\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	foreign := filepath.Join(opt.Out, "news/record-test-new/index.html")
	if err := os.MkdirAll(filepath.Dir(foreign), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(foreign, []byte("not gen's"), 0o644); err != nil {
		t.Fatal(err)
	}
	var refused *output.RefusedError
	if _, err := Build(ctx, opt); !errors.As(err, &refused) {
		t.Fatalf("a foreign file in the way of a new page: Build = %v, want a RefusedError", err)
	}
	noPendingRecord(t, opt)
	if err := os.RemoveAll(filepath.Dir(foreign)); err != nil {
		t.Fatal(err)
	}
	check("a story added after a refused patch", true)

	damage := []struct {
		name string
		do   func(t *testing.T)
	}{
		{"record from another gen", func(t *testing.T) {
			old := genIdentity
			genIdentity = func() (string, error) { return "another gen", nil }
			t.Cleanup(func() { genIdentity = old })
		}},
		{"record for other options", func(t *testing.T) { opt.Drafts = true; t.Cleanup(func() { opt.Drafts = false }) }},
		{"a byte of the record flipped", func(t *testing.T) { changeRecord(t, opt, func(b []byte) []byte { b[len(b)-7] ^= 0x20; return b }) }},
		{"record cut short", func(t *testing.T) { changeRecord(t, opt, func(b []byte) []byte { return b[:len(b)/2] }) }},
		{"record empty", func(t *testing.T) { changeRecord(t, opt, func([]byte) []byte { return nil }) }},
		{"record of another format", func(t *testing.T) {
			changeRecord(t, opt, func(b []byte) []byte { return append([]byte("gongjian build record 0\n"), b[len(recordMagic):]...) })
		}},
		{"output folder rebuilt without the record", func(t *testing.T) {
			o := opt
			o.CacheDir = t.TempDir()
			if _, err := Build(ctx, o); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, d := range damage {
		t.Run(d.name, func(t *testing.T) {
			d.do(t)
			edit()
			check(d.name, false)
			edit()
			check("after "+d.name+", one story changed", true)
		})
	}

	// The output folder is gen's: a build from the record does not look
	// for files changed in it (that would cost a walk of the whole
	// folder); gen build -full writes it whole again.
	os.Remove(filepath.Join(opt.Out, "news/index.html"))
	opt.Full = true
	check("a page of the output deleted, and gen build -full", false)
	opt.Full = false
	edit()
	check("after -full, one story changed", true)
}

// noPendingRecord fails if a record being written was left behind.
func noPendingRecord(t *testing.T, opt Options) {
	t.Helper()
	left, err := filepath.Glob(filepath.Join(recordDir(opt.withDefaults()), ".record-*"))
	if err != nil || len(left) > 0 {
		t.Fatalf("records being written were left behind: %v %v", left, err)
	}
}

// changeRecord rewrites the record file of opt with change.
func changeRecord(t *testing.T, opt Options, change func([]byte) []byte) {
	t.Helper()
	b, err := os.ReadFile(recordFile(opt.withDefaults()))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(recordFile(opt.withDefaults()), change(b), 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestRecordDocsSum checks that a full build keeps in its record the sum of
// the search documents that a session has after rendering the same site,
// though the build takes it while the index is written: with another sum,
// the next build would make the index again for nothing.
func TestRecordDocsSum(t *testing.T) {
	ctx := context.Background()
	root, opt := recordedSite(t)
	if _, err := Build(ctx, opt); err != nil {
		t.Fatal(err)
	}
	opt = opt.withDefaults()
	rec, release, why := loadRecord(opt)
	if rec == nil {
		t.Fatalf("no record after a full build: %s", why)
	}
	defer release()
	ss := newSession(dirfs.New(root), opt, false)
	if _, err := ss.Update(ctx, nil); err != nil {
		t.Fatal(err)
	}
	docs, ok := ss.SearchDocs()
	if !ok || len(docs.Docs) < 50 {
		t.Fatalf("the example site has %d search documents (search page: %v)", len(docs.Docs), ok)
	}
	// The keys are taken again here, not the ones the feature kept.
	if want := docsSum(search.Key(docs.Docs), ok); rec.Docs != want {
		t.Errorf("the record keeps %#x for the search documents, want %#x", rec.Docs, want)
	}
}

// TestBuildLeavesGC: a build from a record runs the collector at its own
// pace (lazierGC) and puts back the caller's, whether the caller set it
// or not, and whether the build succeeded or not.
func TestBuildLeavesGC(t *testing.T) {
	ctx := context.Background()
	root, opt := recordedSite(t)
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	for _, pct := range []int{100, 50, 100} {
		debug.SetGCPercent(pct)
		if _, err := Build(ctx, opt); err != nil {
			t.Fatal(err)
		}
		if got := debug.SetGCPercent(pct); got != pct {
			t.Errorf("GOGC %d before a build, %d after", pct, got)
		}
	}
	// A build from the record that fails.
	if err := os.WriteFile(filepath.Join(root, "content", "site.yaml"), []byte("title: [\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Build(ctx, opt); err == nil {
		t.Fatal("a broken site.yaml built")
	}
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("GOGC 100 before a failed build, %d after", got)
	}
}

// TestLazierGC: a build from a record turns the collector off under a
// soft memory limit that its record is small beside, runs it at
// GOGC=200 otherwise, leaves a GOGC the caller chose, and restore puts
// back what there was.
func TestLazierGC(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(math.MaxInt64))
	gcPercent := func() int {
		p := debug.SetGCPercent(100)
		debug.SetGCPercent(p)
		return p
	}
	for _, tc := range []struct {
		limit, record int64
		gogc, want    int
	}{
		{math.MaxInt64, 1 << 20, 100, 200},
		{1 << 30, 1 << 20, 100, -1},
		{1 << 30, 1 << 30 / heapPerRecordByte, 100, -1},
		{1 << 30, 1<<30/heapPerRecordByte + 1, 100, 200},
		{1 << 30, 1 << 20, 50, 50},
		{math.MaxInt64, 1 << 20, 300, 300},
		{1 << 30, 1 << 20, -1, -1},
	} {
		debug.SetMemoryLimit(tc.limit)
		debug.SetGCPercent(tc.gogc)
		restore := lazierGC(tc.record)
		if got := gcPercent(); got != tc.want {
			t.Errorf("limit %d, record %d, GOGC %d: a build from a record runs at GOGC %d, want %d", tc.limit, tc.record, tc.gogc, got, tc.want)
		}
		restore()
		if got := gcPercent(); got != tc.gogc {
			t.Errorf("limit %d, GOGC %d: %d after restore", tc.limit, tc.gogc, got)
		}
	}
}

// TestBuildFromRecordAfterCommit: a commit changes the history that pages
// show and no file of the site, so no stamp; a build from a record after
// it must equal a full build all the same, even when the only other change
// is the body of a story (the case that fingerprints only the pages the
// change reaches).
func TestBuildFromRecordAfterCommit(t *testing.T) {
	ctx := context.Background()
	root, opt := recordedSite(t)
	git := gittest.Runner(t, root)
	git("2026-11-01T08:00:00+08:00", "init", "-q", "-b", "main")
	git("2026-11-01T08:00:00+08:00", "add", ".")
	git("2026-11-01T08:00:00+08:00", "commit", "-q", "-m", "初稿")
	check := func(step string) {
		t.Helper()
		stats, err := Build(ctx, opt)
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		want, err := fullBuild(ctx, root, opt)
		if err != nil {
			t.Fatal(err)
		}
		if d := diffFiles(readTree(t, opt.Out), want); d != "" {
			t.Fatalf("%s: gen build wrote other files than a full build (\"served\" is what it wrote):\n%s", step, d)
		}
		t.Logf("%s: %d pages rendered, %d files written", step, stats.Rendered, stats.Written)
	}
	check("the first build")
	story := filepath.Join(root, "content", "news", "students-visit-sewage-plant.md")
	src, err := os.ReadFile(story)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(story, append(src, "\n补充一句说明。\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	check("a story's body edited")
	git("2026-11-20T08:00:00+08:00", "commit", "-q", "-am", "补充说明")
	check("the edit committed")
	other := filepath.Join(root, "content", "news", "small-watershed-remediation.md")
	src, err = os.ReadFile(other)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(other, append(src, "\n又补充一句。\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	git("2026-11-21T08:00:00+08:00", "commit", "-q", "-am", "再补充")
	if src, err = os.ReadFile(story); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(story, append(src, "\n第三次补充。\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	check("another edit committed, then a body edited")
}
