package watch

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestIgnored(t *testing.T) {
	tests := []struct {
		name string
		want bool
	}{
		{"story.md", false},
		{"river.csv", false},
		{"积分.md", false},
		{".story.md.swp", true},
		{"story.md~", true},
		{"4913", true},
		{"#story.md#", true},
		{".#story.md", true},
		{"story.md.tmp", true},
		{".DS_Store", true},
	}
	for _, tt := range tests {
		if got := Ignored(tt.name); got != tt.want {
			t.Errorf("Ignored(%q) = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestSavePatterns performs the ways editors save a file on a real folder
// and checks that each becomes one batch naming the source file only.
func TestSavePatterns(t *testing.T) {
	root := t.TempDir()
	news := filepath.Join(root, "content", "news")
	if err := os.MkdirAll(news, 0o755); err != nil {
		t.Fatal(err)
	}
	story := filepath.Join(news, "a.md")
	if err := os.WriteFile(story, []byte("v0"), 0o644); err != nil {
		t.Fatal(err)
	}
	w, err := New(root, "content", "data", "themes")
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	batches := make(chan []string, 10)
	go w.Run(ctx, batches)

	// next ends a step by writing a marker file and gathers the batches
	// until one names the marker, and returns the union of the paths they
	// name, markers left out. fsnotify reads one inotify queue in order, so
	// every event of the step came before the marker's: the union is
	// exactly what the step reported, without waiting for stragglers. (On a
	// loaded machine one save may come as two batches; what matters is
	// which paths are reported, and that ignored files never are.)
	step := 0
	next := func(what string) []string {
		t.Helper()
		step++
		marker := fmt.Sprintf("content/marker-%d.md", step)
		if err := os.WriteFile(filepath.Join(root, filepath.FromSlash(marker)), nil, 0o644); err != nil {
			t.Fatal(err)
		}
		union := map[string]bool{}
		deadline := time.After(10 * time.Second) // only a broken watcher waits this long
		for !union[marker] {
			select {
			case b := <-batches:
				for _, p := range b {
					union[p] = true
				}
			case <-deadline:
				t.Fatalf("%s: no batch named %s within 10 s; got %v", what, marker, sortedSet(union))
			}
		}
		for p := range union {
			if strings.HasPrefix(p, "content/marker-") {
				delete(union, p)
			}
		}
		return sortedSet(union)
	}
	want := func(what string, got []string, paths ...string) {
		t.Helper()
		if !slices.Equal(got, paths) {
			t.Errorf("%s: batches name %v, want %v", what, got, paths)
		}
	}

	// Write in place.
	if err := os.WriteFile(story, []byte("v1"), 0o644); err != nil {
		t.Fatal(err)
	}
	want("write in place", next("write in place"), "content/news/a.md")

	// Rename over, as many editors do: write a temporary file, rename it
	// onto the story.
	tmp := filepath.Join(news, "a.md.tmp")
	if err := os.WriteFile(tmp, []byte("v2"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, story); err != nil {
		t.Fatal(err)
	}
	want("rename over", next("rename over"), "content/news/a.md")

	// Vim: swap file, 4913 probe, backup, write; one batch, the story only.
	for _, f := range []string{".a.md.swp", "4913", "a.md~"} {
		if err := os.WriteFile(filepath.Join(news, f), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(story, []byte("v3"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{".a.md.swp", "4913", "a.md~"} {
		os.Remove(filepath.Join(news, f))
	}
	want("vim save", next("vim save"), "content/news/a.md")

	// A burst of writes to two files: one batch with both.
	b := filepath.Join(news, "b.md")
	for i := range 5 {
		os.WriteFile(story, []byte{byte('a' + i)}, 0o644)
		os.WriteFile(b, []byte{byte('a' + i)}, 0o644)
	}
	want("burst", next("burst"), "content/news/a.md", "content/news/b.md")

	// A new folder, with a file written into it right away: the folder is
	// watched from then on.
	photos := filepath.Join(root, "content", "photos", "river")
	if err := os.MkdirAll(photos, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(photos, "album.yaml"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	// The batch naming album.yaml comes after the watcher added the new
	// folder (it cannot see the file before), so the edit below is seen.
	got := next("new folder")
	if !slices.Contains(got, "content/photos/river/album.yaml") {
		t.Errorf("new folder: batches %v lack content/photos/river/album.yaml", got)
	}
	if err := os.WriteFile(filepath.Join(photos, "album.yaml"), []byte("y"), 0o644); err != nil {
		t.Fatal(err)
	}
	want("edit in new folder", next("edit in new folder"), "content/photos/river/album.yaml")

	// Delete.
	if err := os.Remove(b); err != nil {
		t.Fatal(err)
	}
	want("delete", next("delete"), "content/news/b.md")
}

func sortedSet(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for p := range set {
		out = append(out, p)
	}
	slices.Sort(out)
	return out
}
