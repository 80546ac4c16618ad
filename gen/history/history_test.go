package history

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"gongjian/gen/content"
	"gongjian/gen/internal/gittest"
	"gongjian/gen/site"
)

// TestParseLog reads git log's records into revisions by file, relative
// to the site folder, newest first.
func TestParseLog(t *testing.T) {
	log := "\x1eb2\x1f2026-03-02T10:00:00+08:00\x1f改正数字\n\nsite/content/news/a.md\nsite/data/x.csv\nother/file.md\n" +
		"\x1ea1\x1f2026-03-01T09:00:00+08:00\x1f初稿\n\nsite/content/news/a.md\n" +
		"\x1ebad\x1fnot a date\x1fskipped\n\nsite/content/news/a.md\n"
	got := parseLog([]byte(log), "site/")
	want := map[string][]string{
		"content/news/a.md": {"b2", "a1"},
		"data/x.csv":        {"b2"},
	}
	if len(got) != len(want) {
		t.Fatalf("files %v, want %v", keys(got), keys(want))
	}
	for file, commits := range want {
		var have []string
		for _, r := range got[file] {
			have = append(have, r.Commit)
		}
		if !slices.Equal(have, commits) {
			t.Errorf("%s: %v, want %v", file, have, commits)
		}
	}
	if s := got["data/x.csv"][0].Subject; s != "改正数字" {
		t.Errorf("subject %q", s)
	}
}

func keys[V any](m map[string]V) []string {
	var k []string
	for key := range m {
		k = append(k, key)
	}
	slices.Sort(k)
	return k
}

// TestRealRepository reads the history of a real git repository: merged
// over a dataset's two files, newest first; a folder without history and
// a shallow clone say they have none.
func TestRealRepository(t *testing.T) {
	dir := t.TempDir()
	repo := filepath.Join(dir, "repo")
	site := filepath.Join(repo, "portal")
	git, write := newRepo(t, repo, site)
	git("2026-01-01T08:00:00+08:00", "init", "-q", "-b", "main")
	write("content/news/a.md", "初稿")
	write("data/x.yaml", "title: x")
	write("data/x.csv", "a\n1\n")
	git("2026-01-01T08:00:00+08:00", "add", ".")
	git("2026-01-01T08:00:00+08:00", "commit", "-q", "-m", "初稿")
	write("data/x.csv", "a,b\n1,10\n2,20\n3,30\n")
	git("2026-01-15T08:00:00+08:00", "commit", "-q", "-am", "x 的前三个月")
	write("data/x.csv", "a,b\n1,10\n2,21\n4,40\n5,50\n")
	git("2026-02-01T08:00:00+08:00", "commit", "-q", "-am", "改正 x 的数字")
	write("content/news/a.md", "二稿")
	git("2026-03-01T08:00:00+08:00", "commit", "-q", "-am", "二稿")

	f := New(site, nil)
	if errs := f.Load(context.Background(), nil, nil); len(errs) > 0 {
		t.Fatal(errs)
	}
	h := f.of("data/x.yaml", "data/x.csv")
	if !h.Known || h.Total != 3 || h.Revisions[0].Subject != "改正 x 的数字" || h.Revisions[2].Subject != "初稿" {
		t.Fatalf("dataset history = %+v", h)
	}
	// 改正: row 2 changed, row 3 removed, rows 4 and 5 added; before it
	// 三个月 gave row 1 a second cell and added rows 2 and 3; 初稿 added
	// its one row.
	wantRows := []RowChange{{Added: 2, Changed: 1, Removed: 1}, {Added: 2, Changed: 1}, {Added: 1}}
	for i, want := range wantRows {
		if got := h.Revisions[i].Rows; got == nil || *got != want {
			t.Errorf("%s: rows %+v, want %+v", h.Revisions[i].Subject, got, want)
		}
	}
	if want := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC); !h.Last.Equal(want) {
		t.Errorf("last change %v, want %v", h.Last, want)
	}
	if h := f.of("content/news/a.md"); h.Total != 2 || h.Revisions[0].Subject != "二稿" {
		t.Errorf("story history = %+v", h)
	}
	if h := f.of("content/news/new.md"); !h.Known || h.Total != 0 {
		t.Errorf("a file never committed: %+v", h)
	}

	// a.md was added on 1 January and changed on 1 March.
	zone := time.FixedZone("CST", 8*3600)
	march := time.Date(2026, 3, 1, 8, 0, 0, 0, zone)
	for _, tt := range []struct {
		name string
		st   *content.Story
		want time.Time // zero: not revised
	}{
		{"dated the day it was added", &content.Story{File: "content/news/a.md", Date: time.Date(2026, 1, 1, 0, 0, 0, 0, zone)}, march},
		{"dated the day of the change", &content.Story{File: "content/news/a.md", Date: time.Date(2026, 3, 1, 0, 0, 0, 0, zone)}, time.Time{}},
		{"corrected after the change", &content.Story{File: "content/news/a.md", Date: time.Date(2026, 1, 1, 0, 0, 0, 0, zone),
			Corrections: []content.Correction{{Date: time.Date(2026, 3, 5, 0, 0, 0, 0, zone), Text: "改"}}}, time.Time{}},
		{"only the commit that added it", &content.Story{File: "data/x.yaml", Date: time.Date(2025, 12, 1, 0, 0, 0, 0, zone)}, time.Time{}},
		{"never committed", &content.Story{File: "content/news/new.md", Date: time.Date(2025, 12, 1, 0, 0, 0, 0, zone)}, time.Time{}},
	} {
		got, ok := f.revised(tt.st)
		if ok != !tt.want.IsZero() || !got.Equal(tt.want) {
			t.Errorf("%s: revised = %v, %v; want %v", tt.name, got, ok, tt.want)
		}
	}

	plain := New(t.TempDir(), nil)
	plain.Load(context.Background(), nil, nil)
	if h := plain.of("content/news/a.md"); h.Known {
		t.Errorf("a folder without git has history: %+v", h)
	}

	clone := filepath.Join(dir, "clone")
	if out, err := exec.Command("git", "clone", "-q", "--depth", "1", "file://"+repo, clone).CombinedOutput(); err != nil {
		t.Fatalf("git clone: %v\n%s", err, out)
	}
	shallow := New(filepath.Join(clone, "portal"), nil)
	shallow.Load(context.Background(), nil, nil)
	if h := shallow.of("content/news/a.md"); h.Known {
		t.Errorf("a shallow clone has history: %+v", h)
	}
}

// newRepo makes an empty folder repo for a git repository with the site
// folder site inside it, and returns functions that run git in it with
// the commit date when, and write a file of the site.
func newRepo(t *testing.T, repo, site string) (git func(when string, args ...string), write func(name, text string)) {
	t.Helper()
	git = gittest.Runner(t, repo)
	write = func(name, text string) {
		t.Helper()
		p := filepath.Join(site, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(repo, 0o755); err != nil {
		t.Fatal(err)
	}
	return git, write
}

const monthsSchema = `title: 每月数量
source: 开发区
licence: CC BY 4.0
updated: 2026-03-31
topic: governance
columns:
  - {name: month, type: month}
  - {name: name, type: string, label: 名称}
  - {name: n, type: int}
`

// TestRevisionDownloads: each of a dataset's newest revisions offers its
// rows as they were, written as today's download is (BOM, CRLF, canonical
// values, a formula-looking cell defused), byte for byte; a revision whose
// rows do not load is listed without a download and named in a warning;
// beyond maxExports revisions the older ones have no download and the
// page says so.
func TestRevisionDownloads(t *testing.T) {
	repo := t.TempDir()
	git, write := newRepo(t, repo, repo)
	git("2026-01-01T08:00:00+08:00", "init", "-q", "-b", "main")
	write("data/x.yaml", monthsSchema)
	write("data/x.csv", "month,name,n\n2026-01,甲,1\n2026-02,乙,2\n")
	git("2026-01-01T08:00:00+08:00", "add", ".")
	git("2026-01-01T08:00:00+08:00", "commit", "-q", "-m", "一月和二月")
	write("data/x.csv", "month,name,n\n2026年1月,甲,1\n2026-02,乙,3\n2026-03,=SUM(A1:A2),\"1,234\"\n")
	git("2026-02-01T08:00:00+08:00", "commit", "-q", "-am", "改二月，加三月")
	write("data/x.csv", "month,name,n\n2026-02,乙,3\n2026-03,=SUM(A1:A2),1234\n")
	git("2026-03-01T08:00:00+08:00", "commit", "-q", "-am", "删去一月")
	write("data/x.csv", "month,name,n\n2026-02,乙,3\n2026-03,=SUM(A1:A2),很多\n")
	git("2026-03-02T08:00:00+08:00", "commit", "-q", "-am", "录错了")
	write("data/x.csv", "month,name,n\n2026-02,乙,3\n2026-03,丙,1234\n")
	git("2026-03-03T08:00:00+08:00", "commit", "-q", "-am", "改正")
	for i := range maxExports + 2 {
		write("data/y.yaml", monthsSchema)
		write("data/y.csv", fmt.Sprintf("month,name,n\n2026-01,甲,%d\n", i))
		git(fmt.Sprintf("2026-04-%02dT08:00:00+08:00", i+1), "add", ".")
		git(fmt.Sprintf("2026-04-%02dT08:00:00+08:00", i+1), "commit", "-q", "-m", fmt.Sprintf("y 第 %d 版", i+1))
	}

	var warnings []string
	f := New(repo, func(format string, args ...any) { warnings = append(warnings, fmt.Sprintf(format, args...)) })
	if errs := f.Load(context.Background(), nil, nil); len(errs) > 0 {
		t.Fatal(errs)
	}
	pl := &site.Plan{Versions: map[string]uint64{}}
	x := &site.Page{Kind: "dataset", Path: "/data/x/", From: site.Origin{File: "data/x.yaml"}}
	y := &site.Page{Kind: "dataset", Path: "/data/y/", From: site.Origin{File: "data/y.yaml"}}
	pl.Pages = []*site.Page{x, y}
	f.Plan(pl)
	files := map[string]string{}
	for _, file := range pl.Files {
		files[file.Path] = string(file.Data)
	}

	const head = "\uFEFFmonth,name,n\r\n"
	want := map[string]string{ // by subject, newest first
		"改正":      head + "2026-02,乙,3\r\n2026-03,丙,1234\r\n",
		"录错了":     "",
		"删去一月":    head + "2026-02,乙,3\r\n2026-03,'=SUM(A1:A2),1234\r\n",
		"改二月，加三月": head + "2026-01,甲,1\r\n2026-02,乙,3\r\n2026-03,'=SUM(A1:A2),1234\r\n",
		"一月和二月":   head + "2026-01,甲,1\r\n2026-02,乙,2\r\n",
	}
	h := x.Parts["history"].(*History)
	if len(h.Revisions) != len(want) || h.Exports != 0 {
		t.Fatalf("x: %d revisions, exports %d; want %d and 0", len(h.Revisions), h.Exports, len(want))
	}
	var broken string
	for _, r := range h.Revisions {
		w := want[r.Subject]
		if w == "" {
			broken = r.Commit
			if !r.Broken || r.CSV != "" {
				t.Errorf("%s: broken %v, CSV %q; want listed without a download", r.Subject, r.Broken, r.CSV)
			}
			continue
		}
		if wantURL := "/data/x/rev/" + r.Commit + ".csv"; r.CSV != wantURL || r.Broken {
			t.Errorf("%s: CSV %q (broken %v), want %q", r.Subject, r.CSV, r.Broken, wantURL)
		}
		if got := files[strings.TrimPrefix(r.CSV, "/")]; got != w {
			t.Errorf("%s: file\n%q\nwant\n%q", r.Subject, got, w)
		}
	}
	t.Logf("warnings: %q", warnings)
	if len(warnings) != 1 || !strings.Contains(warnings[0], "data/x.csv:3:") || !strings.Contains(warnings[0], broken) || !strings.HasPrefix(warnings[0], "warning: ") {
		t.Errorf("warnings %q, want one naming data/x.csv:3 and commit %s", warnings, broken)
	}

	hy := y.Parts["history"].(*History)
	if hy.Total != maxExports+2 || hy.Exports != maxExports {
		t.Fatalf("y: %d revisions, exports %d; want %d and %d", hy.Total, hy.Exports, maxExports+2, maxExports)
	}
	for i, r := range hy.Revisions {
		if hasCSV := r.CSV != ""; hasCSV != (i < maxExports) {
			t.Errorf("y, revision %d (%s): CSV %q", i+1, r.Subject, r.CSV)
		}
	}
	if got, want := len(files), len(want)-1+maxExports; got != want {
		t.Errorf("%d files, want %d", got, want)
	}

	// The same history gives the same files.
	again := New(repo, nil)
	again.Load(context.Background(), nil, nil)
	pl2 := &site.Plan{Versions: map[string]uint64{}}
	pl2.Pages = []*site.Page{{Kind: "dataset", Path: "/data/x/", From: site.Origin{File: "data/x.yaml"}}, {Kind: "dataset", Path: "/data/y/", From: site.Origin{File: "data/y.yaml"}}}
	again.Plan(pl2)
	if len(pl2.Files) != len(pl.Files) {
		t.Fatalf("second load: %d files, first %d", len(pl2.Files), len(pl.Files))
	}
	for i := range pl.Files {
		if pl2.Files[i].Path != pl.Files[i].Path || string(pl2.Files[i].Data) != string(pl.Files[i].Data) {
			t.Errorf("second load: file %d is %s, first %s", i, pl2.Files[i].Path, pl.Files[i].Path)
		}
	}
}

// TestInWorkTree: git is asked for the history only where it may find a
// work tree: a .git folder or file in the site's folder or above it, or
// git's variables set.
func TestInWorkTree(t *testing.T) {
	t.Setenv("GIT_DIR", "")
	t.Setenv("GIT_WORK_TREE", "")
	root := t.TempDir()
	if inWorkTree(root) {
		t.Skipf("%s is inside a git work tree", root)
	}
	repo := filepath.Join(root, "repo")
	site := filepath.Join(repo, "sites", "portal")
	worktree := filepath.Join(root, "worktree")
	for _, d := range []string{filepath.Join(repo, ".git"), site, worktree} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(worktree, ".git"), []byte("gitdir: /elsewhere\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		dir  string
		env  string
		want bool
	}{
		{root, "", false},
		{repo, "", true},
		{site, "", true},
		{worktree, "", true},
		{root, "GIT_DIR", true},
		{root, "GIT_WORK_TREE", true},
	} {
		if tc.env != "" {
			t.Setenv(tc.env, filepath.Join(repo, ".git"))
		}
		if got := inWorkTree(tc.dir); got != tc.want {
			t.Errorf("inWorkTree(%s) with %q set = %v, want %v", tc.dir, tc.env, got, tc.want)
		}
		if tc.env != "" {
			t.Setenv(tc.env, "")
		}
	}
}
