package output

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// site makes a site folder with its sources under a temporary root and
// returns the root and the site folder.
func site(t *testing.T) (root, src string) {
	t.Helper()
	root = t.TempDir()
	src = filepath.Join(root, "site")
	for _, dir := range []string{"content/news", "data/kiosk", "themes/default", ".git"} {
		if err := os.MkdirAll(filepath.Join(src, dir), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(src, ".git", "HEAD"), []byte("ref: refs/heads/main\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return root, src
}

func TestCheckSources(t *testing.T) {
	root, src := site(t)
	elsewhere := filepath.Join(root, "elsewhere")
	if err := os.MkdirAll(elsewhere, 0o755); err != nil {
		t.Fatal(err)
	}
	// Sources reached through links are the sources.
	if err := os.Symlink(filepath.Join(src, "content"), filepath.Join(root, "content-link")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(src, filepath.Join(root, "site-link")); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		out  string
		want string // part of the reason; "" for no refusal
	}{
		{filepath.Join(src, "public"), ""},
		{filepath.Join(src, "public", "deep", "er"), ""},
		{filepath.Join(root, "elsewhere", "public"), ""},
		{elsewhere, ""}, // empty
		{filepath.Join(src, ".git", "x"), ""},
		{src, "this is the site folder"},
		{src + "/", "this is the site folder"},
		{filepath.Join(src, "public", ".."), "this is the site folder"},
		{filepath.Join(root, "site-link"), "this is the site folder"},
		{root, "holds the site folder"},
		{"/", "holds the site folder"},
		{filepath.Join(src, "content"), "this is the site's content/ folder"},
		{filepath.Join(root, "content-link"), "this is the site's content/ folder"},
		{filepath.Join(root, "content-link", "news"), "inside the site's content/ folder"},
		{filepath.Join(src, "data"), "this is the site's data/ folder"},
		{filepath.Join(src, "data", "kiosk"), "inside the site's data/ folder"},
		{filepath.Join(src, "data", "new", "out"), "inside the site's data/ folder"},
		{filepath.Join(src, "themes", "default"), "inside the site's themes/ folder"},
		{filepath.Join(src, ".git", "HEAD"), "this is a file, not a folder"},
	}
	for _, tt := range tests {
		err := Check(tt.out, src)
		var refused *RefusedError
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("Check(%q) = %v, want no error", tt.out, err)
		case tt.want != "" && !errors.As(err, &refused):
			t.Errorf("Check(%q) = %v, want a refusal saying %q", tt.out, err, tt.want)
		case tt.want != "" && (!strings.Contains(refused.Reason, tt.want) || refused.Out != tt.out):
			t.Errorf("Check(%q) = %v, want a refusal of %q saying %q", tt.out, err, tt.out, tt.want)
		}
		if tt.want != "" {
			if _, err := Create(tt.out, src); !errors.As(err, &refused) {
				t.Errorf("Create(%q) = %v, want a refusal", tt.out, err)
			}
		}
	}
	if b, err := os.ReadFile(filepath.Join(src, ".git", "HEAD")); err != nil || string(b) != "ref: refs/heads/main\n" {
		t.Errorf(".git/HEAD after the checks: %q, %v", b, err)
	}
}

// TestForeignFolderKept: a folder of files gen did not write is refused at
// Commit, whatever the build wrote, and left exactly as it was.
func TestForeignFolderKept(t *testing.T) {
	root, src := site(t)
	out := filepath.Join(root, "notes")
	if err := os.MkdirAll(filepath.Join(out, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string]string{"index.html": "mine", "sub/todo.txt": "别删我"} {
		if err := os.WriteFile(filepath.Join(out, filepath.FromSlash(name)), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	before, _ := os.Stat(out)
	d, err := Create(out, src)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.WriteFile("index.html", []byte("built")); err != nil {
		t.Fatal(err)
	}
	err = d.Commit()
	var refused *RefusedError
	if !errors.As(err, &refused) || !strings.Contains(refused.Reason, "(sub/)") {
		t.Fatalf("Commit = %v, want a refusal naming sub/", err)
	}
	if err := d.Abort(); err != nil {
		t.Fatal(err)
	}
	after, _ := os.Stat(out)
	if !os.SameFile(before, after) {
		t.Error("the foreign folder was replaced")
	}
	for name, want := range map[string]string{"index.html": "mine", "sub/todo.txt": "别删我"} {
		if b, _ := os.ReadFile(filepath.Join(out, filepath.FromSlash(name))); string(b) != want {
			t.Errorf("%s = %q, want %q", name, b, want)
		}
	}
	entries, _ := os.ReadDir(root)
	if len(entries) != 2 {
		t.Errorf("beside the foreign folder: %v, want only notes and site", entries)
	}
}

// TestEarlierOutputAccepted: a folder without a record (built by a gen
// that kept none, or whose record was lost) is replaced when every file in
// it is one the build writes, and then recorded: the next build may drop
// files.
func TestEarlierOutputAccepted(t *testing.T) {
	root, src := site(t)
	out := filepath.Join(root, "public")
	if err := os.MkdirAll(filepath.Join(out, "news", "a"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"index.html", "news/a/index.html"} {
		if err := os.WriteFile(filepath.Join(out, filepath.FromSlash(name)), []byte("old"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	build := func(files ...string) error {
		d, err := Create(out, src)
		if err != nil {
			return err
		}
		for _, rel := range files {
			if err := d.WriteFile(rel, []byte("new "+rel)); err != nil {
				return err
			}
		}
		if err := d.Commit(); err != nil {
			d.Abort()
			return err
		}
		return nil
	}
	if err := build("index.html", "news/a/index.html", "news/b/index.html"); err != nil {
		t.Fatalf("first build over an earlier output: %v", err)
	}
	if err := build("index.html"); err != nil {
		t.Fatalf("a recorded output dropping files: %v", err)
	}
	if _, err := os.Stat(filepath.Join(out, "news")); !os.IsNotExist(err) {
		t.Errorf("dropped folder still there: %v", err)
	}
	// A folder added by hand, even an empty one, is not gen's.
	if err := os.Mkdir(filepath.Join(out, "mine"), 0o755); err != nil {
		t.Fatal(err)
	}
	var refused *RefusedError
	if err := build("index.html"); !errors.As(err, &refused) {
		t.Errorf("build over a recorded output with a folder added: %v, want a refusal", err)
	}
	if _, err := os.Stat(filepath.Join(out, "mine")); err != nil {
		t.Errorf("added folder: %v", err)
	}
	// A record does not vouch for another folder at the same path.
	if err := os.RemoveAll(out); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(out, "news", "x"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(out, "index.html"), []byte("other"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := build("index.html"); !errors.As(err, &refused) {
		t.Errorf("build over a new folder at a recorded path: %v, want a refusal", err)
	}
}

func TestResolve(t *testing.T) {
	root := t.TempDir()
	real := filepath.Join(root, "real")
	if err := os.Mkdir(real, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(real, filepath.Join(root, "link")); err != nil {
		t.Fatal(err)
	}
	realRoot, _ := filepath.EvalSymlinks(root)
	tests := []struct{ in, want string }{
		{filepath.Join(root, "link"), filepath.Join(realRoot, "real")},
		{filepath.Join(root, "link", "a", "b"), filepath.Join(realRoot, "real", "a", "b")},
		{filepath.Join(root, "missing", "..", "link"), filepath.Join(realRoot, "real")},
		{"/", "/"},
	}
	for _, tt := range tests {
		if got, err := resolve(tt.in); err != nil || got != tt.want {
			t.Errorf("resolve(%q) = %q, %v, want %q", tt.in, got, err, tt.want)
		}
	}
}
