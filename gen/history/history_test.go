package history

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"
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
	if _, err := exec.LookPath("git"); err != nil {
		t.Fatal("git is needed to read a site's history: install it (.ci/run does)")
	}
	dir := t.TempDir()
	repo := filepath.Join(dir, "repo")
	site := filepath.Join(repo, "portal")
	git := func(when string, args ...string) {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-C", repo}, args...)...)
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=编辑", "GIT_AUTHOR_EMAIL=e@example.org",
			"GIT_COMMITTER_NAME=编辑", "GIT_COMMITTER_EMAIL=e@example.org",
			"GIT_AUTHOR_DATE="+when, "GIT_COMMITTER_DATE="+when, "GIT_CONFIG_GLOBAL=/dev/null")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	write := func(name, text string) {
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
