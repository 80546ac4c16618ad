package output

import (
	"os"
	"path/filepath"
	"testing"
)

func TestCommitReplacesWholeFolder(t *testing.T) {
	root := t.TempDir()
	final := filepath.Join(root, "public")
	if err := os.MkdirAll(filepath.Join(final, "stale"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(final, "stale", "index.html"), []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	d, err := Create(final)
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
	if len(entries) != 1 {
		t.Errorf("folders beside public after commit: %v, want only public", entries)
	}
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
	d, err := Create(final)
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
	d, err := Create(filepath.Join(root, "public"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Abort()
	if _, err := os.Stat(left); !os.IsNotExist(err) {
		t.Errorf("leftover of a killed build still there: %v", err)
	}
}
