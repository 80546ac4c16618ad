package dirfs

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"
)

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	big := bytes.Repeat([]byte("共建共治共享\n"), 100000) // larger than any buffer guess
	files := map[string][]byte{
		"empty.md":      {},
		"small.md":      []byte("---\ntitle: 标题\n---\n正文\n"),
		"big.csv":       big,
		"sub/nested.md": []byte("nested"),
	}
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	fsys := New(dir)
	for name, want := range files {
		got, err := fs.ReadFile(fsys, name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s: got %d bytes, want %d", name, len(got), len(want))
		}
	}

	tests := []struct {
		name string
		want error
	}{
		{"missing.md", fs.ErrNotExist},
		{"sub/missing.md", fs.ErrNotExist},
		{"../escape.md", fs.ErrInvalid},
		{"/abs.md", fs.ErrInvalid},
		{"sub", nil}, // a folder: an error, as os.ReadFile gives
	}
	for _, tt := range tests {
		_, err := fsys.ReadFile(tt.name)
		if err == nil {
			t.Errorf("ReadFile(%q) succeeded", tt.name)
			continue
		}
		if tt.want != nil && !errors.Is(err, tt.want) {
			t.Errorf("ReadFile(%q) = %v, want %v", tt.name, err, tt.want)
		}
		var pe *fs.PathError
		if errors.As(err, &pe) && pe.Path != tt.name {
			t.Errorf("ReadFile(%q): error names %q, want the name relative to the root", tt.name, pe.Path)
		}
	}

	// Everything else behaves as os.DirFS.
	if err := fstest.TestFS(fsys, "empty.md", "small.md", "big.csv", "sub/nested.md"); err != nil {
		t.Fatal(err)
	}
}
