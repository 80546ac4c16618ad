package output

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCommitReplacesWholeFolder(t *testing.T) {
	root := t.TempDir()
	final := filepath.Join(root, "public")
	writeBuild(t, final, map[string]string{"stale/index.html": "old"})
	d, err := Create(final, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if err := d.WriteFile("news/a/index.html", []byte("new")); err != nil {
		t.Fatal(err)
	}
	if err := d.WriteFile("news/a/index.html", []byte("again")); err == nil {
		t.Error("second write to the same path: no error")
	}
	for _, bad := range []string{"../x", "/abs", "a//b", "a/./b", ""} {
		if err := d.WriteFile(bad, nil); err == nil {
			t.Errorf("WriteFile(%q): no error", bad)
		}
	}
	if _, err := os.Stat(filepath.Join(final, "news")); !os.IsNotExist(err) {
		t.Errorf("before Commit the final folder already has news/: %v", err)
	}
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	if got, err := os.ReadFile(filepath.Join(final, "news", "a", "index.html")); err != nil || string(got) != "new" {
		t.Errorf("after Commit: %q, %v; want \"new\"", got, err)
	}
	if _, err := os.Stat(filepath.Join(final, "stale")); !os.IsNotExist(err) {
		t.Errorf("stale folder survived the commit: %v", err)
	}
	entries, _ := os.ReadDir(root)
	if len(entries) != 2 || entries[0].Name() != ".public.gen" || entries[1].Name() != "public" {
		t.Errorf("beside public after commit: %v, want only public and its record", entries)
	}
}

// writeBuild builds files into final and commits.
func writeBuild(t *testing.T, final string, files map[string]string) {
	t.Helper()
	writeBuildOf(t, final, t.TempDir(), files)
}

// writeBuildOf builds files into final as the output of the site at src,
// commits, and returns the build.
func writeBuildOf(t *testing.T, final, src string, files map[string]string) *Dir {
	t.Helper()
	d, err := Create(final, src)
	if err != nil {
		t.Fatal(err)
	}
	for rel, data := range files {
		if err := d.WriteFile(rel, []byte(data)); err != nil {
			t.Fatal(err)
		}
	}
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	return d
}

func TestAbortLeavesFinalUntouched(t *testing.T) {
	root := t.TempDir()
	final := filepath.Join(root, "public")
	if err := os.MkdirAll(final, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(final, "index.html"), []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	d, err := Create(final, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if err := d.WriteFile("index.html", []byte("new")); err != nil {
		t.Fatal(err)
	}
	if err := d.Abort(); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(filepath.Join(final, "index.html")); string(got) != "old" {
		t.Errorf("after Abort index.html = %q, want \"old\"", got)
	}
	entries, _ := os.ReadDir(root)
	if len(entries) != 1 {
		t.Errorf("folders beside public after abort: %v", entries)
	}
}

func TestCreateRemovesLeftovers(t *testing.T) {
	root := t.TempDir()
	left := filepath.Join(root, ".public.new-123")
	if err := os.MkdirAll(left, 0o755); err != nil {
		t.Fatal(err)
	}
	d, err := Create(filepath.Join(root, "public"), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer d.Abort()
	if _, err := os.Stat(left); !os.IsNotExist(err) {
		t.Errorf("leftover of a killed build still there: %v", err)
	}
}

// TestUnchangedBuildWritesNothing: a build whose every file equals the
// published one leaves the folder alone (same inode, no temporary folder);
// one changed file moves the build to a new folder, with the unchanged files
// carried over.
func TestUnchangedBuildWritesNothing(t *testing.T) {
	root := t.TempDir()
	final := filepath.Join(root, "public")
	files := map[string]string{"index.html": "home", "news/a/index.html": "a", "news/b/index.html": "b"}
	build := func(files map[string]string) *Dir {
		d, err := Create(final, t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		for _, rel := range []string{"index.html", "news/a/index.html", "news/b/index.html"} {
			if data, ok := files[rel]; ok {
				if err := d.WriteFile(rel, []byte(data)); err != nil {
					t.Fatal(err)
				}
			}
		}
		return d
	}
	if err := build(files).Commit(); err != nil {
		t.Fatal(err)
	}
	before, err := os.Stat(final)
	if err != nil {
		t.Fatal(err)
	}

	d := build(files)
	if d.Changed() {
		t.Error("identical build: Changed() = true")
	}
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	after, _ := os.Stat(final)
	if !os.SameFile(before, after) {
		t.Error("identical build replaced the published folder")
	}

	changed := map[string]string{"index.html": "home", "news/a/index.html": "a", "news/b/index.html": "B"}
	d = build(changed)
	if !d.Changed() {
		t.Error("changed build: Changed() = false")
	}
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	for rel, want := range changed {
		if got, _ := os.ReadFile(filepath.Join(final, rel)); string(got) != want {
			t.Errorf("%s = %q, want %q", rel, got, want)
		}
	}

	// A file dropped from the build is a change too, even when every file
	// written is equal.
	d = build(map[string]string{"index.html": "home", "news/a/index.html": "a"})
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(final, "news/b/index.html")); !os.IsNotExist(err) {
		t.Errorf("dropped file survived: %v", err)
	}
	if got, _ := os.ReadFile(filepath.Join(final, "news/a/index.html")); string(got) != "a" {
		t.Errorf("carried-over file = %q, want \"a\"", got)
	}
}

func TestFolderEqual(t *testing.T) {
	dir := t.TempDir()
	big := strings.Repeat("共建", 5000)
	for name, data := range map[string]string{"a.html": "abc", "empty.html": "", "big.html": big} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := openFolder(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer f.close()
	tests := []struct {
		rel, data string
		want      bool
	}{
		{"a.html", "abc", true},
		{"a.html", "abd", false},  // same size, other bytes
		{"a.html", "abcd", false}, // longer
		{"a.html", "ab", false},   // shorter
		{"a.html", "", false},
		{"empty.html", "", true},
		{"big.html", big, true},
		{"big.html", big[:len(big)-1] + "x", false},
		{"a.html", "abc", true}, // and still works for small files after
		{"missing.html", "", false},
		{"sub", "", false},
	}
	for _, tt := range tests {
		if got := f.equal(tt.rel, []byte(tt.data)); got != tt.want {
			t.Errorf("equal(%q, %d bytes) = %v, want %v", tt.rel, len(tt.data), got, tt.want)
		}
	}
}
