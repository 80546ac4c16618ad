package dirfs

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestLinks: links that stay inside the root are followed, links that
// leave it (relative or absolute, directly or through a linked folder) are
// refused with ErrOutside by every method, and a named pipe is refused
// without blocking. Both ways are run: openat2 and os.Root.
func TestLinks(t *testing.T) {
	top := t.TempDir()
	root := filepath.Join(top, "site")
	secret := filepath.Join(top, "secret.txt")
	mustWrite(t, secret, "机密")
	mustWrite(t, filepath.Join(top, "outside", "a.csv"), "a,b\n")
	mustWrite(t, filepath.Join(root, "content", "news", "real.md"), "正文")
	mustWrite(t, filepath.Join(root, "data", "x.csv"), "x\n")
	links := map[string]string{
		"content/news/inside.md":   "real.md",
		"content/news/updown.md":   "../../data/x.csv",
		"content/news/escape.md":   "../../../secret.txt",
		"content/news/absolute.md": secret,
		"content/news/abs-in.md":   filepath.Join(root, "data", "x.csv"),
		"data/outdir":              "../../outside",
		"data/indir":               "../content/news",
		"data/dangling.csv":        "nowhere.csv",
	}
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(root, filepath.FromSlash(name))); err != nil {
			t.Fatal(err)
		}
	}
	if err := syscall.Mkfifo(filepath.Join(root, "content", "news", "pipe.md"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		want string // content, or "" for an error
		err  error
	}{
		{"content/news/real.md", "正文", nil},
		{"content/news/inside.md", "正文", nil},
		{"content/news/updown.md", "x\n", nil},
		{"data/indir/real.md", "正文", nil},
		{"content/news/escape.md", "", ErrOutside},
		{"content/news/absolute.md", "", ErrOutside},
		{"content/news/abs-in.md", "", ErrOutside}, // absolute links are refused even when they point inside
		{"data/outdir/a.csv", "", ErrOutside},
		{"data/dangling.csv", "", fs.ErrNotExist},
		{"content/news/pipe.md", "", errNotRegular},
	}
	for _, portable := range []bool{false, true} {
		noOpenat2.Store(portable)
		fsys := New(root)
		for _, tt := range tests {
			got, err := fsys.ReadFile(tt.name)
			if tt.err == nil {
				if err != nil || string(got) != tt.want {
					t.Errorf("portable=%v: ReadFile(%q) = %q, %v; want %q", portable, tt.name, got, err, tt.want)
				}
				if _, err := fsys.Stat(tt.name); err != nil {
					t.Errorf("portable=%v: Stat(%q): %v", portable, tt.name, err)
				}
				continue
			}
			if !errors.Is(err, tt.err) {
				t.Errorf("portable=%v: ReadFile(%q) = %q, %v; want %v", portable, tt.name, got, err, tt.err)
			}
			var pe *fs.PathError
			if errors.As(err, &pe) && pe.Path != tt.name {
				t.Errorf("portable=%v: ReadFile(%q): the error names %q", portable, tt.name, pe.Path)
			}
			if tt.err == errNotRegular {
				continue // Stat of a pipe is fine: only opening it is refused
			}
			if _, err := fsys.Stat(tt.name); !errors.Is(err, tt.err) {
				t.Errorf("portable=%v: Stat(%q) = %v, want %v", portable, tt.name, err, tt.err)
			}
			if f, err := fsys.Open(tt.name); !errors.Is(err, tt.err) {
				if err == nil {
					f.Close()
				}
				t.Errorf("portable=%v: Open(%q) = %v, want %v", portable, tt.name, err, tt.err)
			}
		}
		if _, err := fsys.ReadDir("data/outdir"); !errors.Is(err, ErrOutside) {
			t.Errorf("portable=%v: ReadDir of a folder link leading outside = %v, want ErrOutside", portable, err)
		}
		entries, err := fsys.ReadDir("data/indir")
		if err != nil || len(entries) == 0 {
			t.Errorf("portable=%v: ReadDir of a folder link inside = %v, %v", portable, entries, err)
		}
	}
	noOpenat2.Store(false)
}

func mustWrite(t *testing.T, name, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestReadFileN holds ReadFileN to io.LimitReader's contract, on the
// openat2 path and the portable one: at most n bytes, the whole file for a
// negative n.
func TestReadFileN(t *testing.T) {
	dir := t.TempDir()
	data := []byte(strings.Repeat("故事正文", 1000)) // 12,000 bytes
	if err := os.WriteFile(filepath.Join(dir, "s.md"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	defer noOpenat2.Store(false)
	for _, portable := range []bool{false, true} {
		noOpenat2.Store(portable)
		for _, n := range []int64{-1, 0, 1, 4096, 11_999, 12_000, 12_001, 1 << 20} {
			got, err := New(dir).ReadFileN("s.md", n)
			if err != nil {
				t.Fatalf("portable=%v: ReadFileN(%d): %v", portable, n, err)
			}
			want := data
			if n >= 0 && n < int64(len(data)) {
				want = data[:n]
			}
			if !bytes.Equal(got, want) {
				t.Errorf("portable=%v: ReadFileN(%d) gave %d bytes, want %d", portable, n, len(got), len(want))
			}
		}
	}
}
