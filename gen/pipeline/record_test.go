package pipeline

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestChangedSince checks that the stamps of the source files tell every
// kind of change, and that a file written close to the moment of the
// stamps counts as changed.
func TestChangedSince(t *testing.T) {
	src := t.TempDir()
	write := func(rel, data string) {
		t.Helper()
		p := filepath.Join(src, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{"content/news/a.md", "content/news/b.md", "content/news/c.md", "content/news/d.md", "data/x.csv", "themes/default/x.html", "content/news/e.md"} {
		write(f, "0123456789")
	}
	if err := os.Symlink("a.md", filepath.Join(src, "content/news/link.md")); err != nil {
		t.Fatal(err)
	}
	write("elsewhere/ignored.txt", "not a source")
	old, err := stampSources(src)
	if err != nil {
		t.Fatal(err)
	}
	later := time.Now().Add(time.Hour).UnixNano() // nothing is close to it
	if got := changedSince(old, old, later); len(got) != 0 {
		t.Fatalf("no change: %v", got)
	}
	if _, ok := old["elsewhere/ignored.txt"]; ok {
		t.Error("a file outside content/, data/ and themes/ was stamped")
	}

	// Same size, mtime set back to what it was: the change time tells.
	p := filepath.Join(src, "content/news/b.md")
	fi, _ := os.Stat(p)
	write("content/news/b.md", "9876543210")
	os.Chtimes(p, fi.ModTime(), fi.ModTime())
	write("content/news/c.md", "longer than before") // size
	os.Remove(filepath.Join(src, "content/news/d.md"))
	write("content/news/new.md", "x")
	os.Rename(filepath.Join(src, "data/x.csv"), filepath.Join(src, "data/y.csv"))
	os.Remove(filepath.Join(src, "content/news/link.md"))
	os.Symlink("e.md", filepath.Join(src, "content/news/link.md")) // same size target, another file
	now, err := stampSources(src)
	if err != nil {
		t.Fatal(err)
	}
	got := changedSince(old, now, later)
	want := []string{"content/news", "content/news/b.md", "content/news/c.md", "content/news/d.md", "content/news/link.md", "content/news/new.md", "data", "data/x.csv", "data/y.csv"}
	// A folder's stamp is only that it is one; what is in it is listed.
	want = slices.DeleteFunc(want, func(s string) bool { return s == "content/news" || s == "data" })
	if !slices.Equal(got, want) {
		t.Errorf("changed:\n%q\nwant\n%q", got, want)
	}

	// Stamps taken just now: every file written in the last moments
	// counts as changed, though its stamp is the same.
	racy := changedSince(now, now, time.Now().UnixNano())
	files := 0
	for p := range now {
		if !strings.HasSuffix(p, "/") {
			files++
		}
	}
	if len(racy) != files {
		t.Errorf("files written just before the stamps: %d counted as changed, want all %d files", len(racy), files)
	}

	// A symbolic link to a folder hides what changes in it: no stamps.
	if err := os.Symlink("../data", filepath.Join(src, "content/linked")); err != nil {
		t.Fatal(err)
	}
	if _, err := stampSources(src); err != errNoStamps {
		t.Errorf("a link to a folder: %v, want errNoStamps", err)
	}
}
