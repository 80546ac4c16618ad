package pipeline

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// cacheFiles lists the files under dir, slash-separated and relative to it.
func cacheFiles(t *testing.T, dir string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		files = append(files, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// age sets the modification time of every file under dir to d ago.
func age(t *testing.T, dir string, d time.Duration) {
	t.Helper()
	old := time.Now().Add(-d)
	for _, f := range cacheFiles(t, dir) {
		if err := os.Chtimes(filepath.Join(dir, filepath.FromSlash(f)), old, old); err != nil {
			t.Fatal(err)
		}
	}
}

// TestBuildPrunesPhotoCache: after a successful build the photo cache
// holds the entries of the photos the site uses and nothing else the cache
// made; files it did not make stay, and a failed build prunes nothing.
func TestBuildPrunesPhotoCache(t *testing.T) {
	src := writeTree(t, newTopicFS(t, "night-market", "night-market"))
	cache := t.TempDir()
	opt := Options{Src: src, Out: filepath.Join(t.TempDir(), "public"), CacheDir: cache}
	if _, err := Build(context.Background(), opt); err != nil {
		t.Fatal(err)
	}
	photos := filepath.Join(cache, "photos")
	first := cacheFiles(t, photos)
	var entry []string // the cache files of stall.jpg as it was
	for _, f := range first {
		if strings.HasSuffix(f, ".json") && f != "stat-index.json" || strings.HasSuffix(f, ".jpg") {
			entry = append(entry, f)
		}
	}
	if len(entry) < 2 {
		t.Fatalf("photo cache after the first build: %v, want a manifest and variants", first)
	}
	foreign := []string{"notes.txt", entry[0][:3] + "keep-me.jpg", "zz/0123456789abcdef.json"}
	for _, f := range foreign {
		p := filepath.Join(photos, filepath.FromSlash(f))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte("not the cache's"), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	// The photo is replaced by another picture.
	if err := os.WriteFile(filepath.Join(src, "content/photos/stalls/stall.jpg"), testJPEG(t, 12, 9, 200), 0o644); err != nil {
		t.Fatal(err)
	}
	age(t, photos, 2*time.Hour) // past the grace another build's entries get

	// A failed build removes nothing.
	story := filepath.Join(src, "content/news/kiosk-weights.md")
	good, err := os.ReadFile(story)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(story, []byte("---\ntitle: [broken\n---\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Build(context.Background(), opt); err == nil {
		t.Fatal("build of a broken story succeeded")
	}
	for _, f := range entry {
		if _, err := os.Stat(filepath.Join(photos, filepath.FromSlash(f))); err != nil {
			t.Errorf("a failed build removed %s: %v", f, err)
		}
	}

	if err := os.WriteFile(story, good, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Build(context.Background(), opt); err != nil {
		t.Fatal(err)
	}
	after := cacheFiles(t, photos)
	for _, f := range entry {
		if slices.Contains(after, f) {
			t.Errorf("%s of the replaced photo survived the build", f)
		}
	}
	for _, f := range foreign {
		if !slices.Contains(after, f) {
			t.Errorf("the build removed %s, which the photo cache did not make", f)
		}
	}
	// The new picture's entry is there, and its variants are published.
	published := cacheFiles(t, filepath.Join(opt.Out, "img"))
	for _, p := range published {
		name := filepath.Base(p)
		if !slices.Contains(after, name[:2]+"/"+name) {
			t.Errorf("published img/%s has no cache entry (cache: %v)", name, after)
		}
	}
	if len(published) == 0 {
		t.Error("nothing published under img/")
	}
}
