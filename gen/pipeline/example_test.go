package pipeline

import (
	"bytes"
	"context"
	"os"
	"regexp"
	"strings"
	"testing"

	"gongjian/gen/photo"
)

// TestExampleSite builds the repository's own example portal: it must build
// without a problem, publish no photo carrying metadata (GPS, camera
// serials), and give every <img> its alt text and size.
func TestExampleSite(t *testing.T) {
	s, err := Load(context.Background(), os.DirFS("../.."), Options{Src: "../..", CacheDir: t.TempDir(), Strict: true})
	if err != nil {
		t.Fatalf("example site: %v", err)
	}
	w := &memFiles{files: map[string][]byte{}}
	if _, err := s.Render(context.Background(), w); err != nil {
		t.Fatalf("example site: %v", err)
	}
	images, pages := 0, 0
	imgTag := regexp.MustCompile(`<img [^>]*>`)
	for name, data := range w.files {
		switch {
		case strings.HasSuffix(name, ".jpg"):
			images++
			if photo.HasMetadata(data) {
				t.Errorf("%s: published photo carries metadata", name)
			}
			if bytes.Contains(data, []byte("SAMPLE-000000")) || bytes.Contains(data, []byte("Exif")) {
				t.Errorf("%s: published photo carries EXIF or the camera serial", name)
			}
		case strings.HasSuffix(name, ".html"):
			pages++
			if bytes.Contains(data, []byte("_gen/")) {
				t.Errorf("%s: the preview's live reload reached gen build output", name)
			}
			for _, tag := range imgTag.FindAll(data, -1) {
				for _, attr := range []string{` alt="`, ` width="`, ` height="`} {
					if !bytes.Contains(tag, []byte(attr)) {
						t.Errorf("%s: %s lacks%s", name, tag, attr)
					}
				}
			}
		}
	}
	if images < 30 || pages < 40 {
		t.Errorf("example site: %d photos, %d pages; expected a full portal", images, pages)
	}
	for _, must := range []string{"albums/index.html", "albums/bailang-road/index.html", strings.TrimPrefix(s.e.r.Theme.Asset("js/lightbox.js"), "/")} {
		if w.files[must] == nil {
			t.Errorf("example site has no %s", must)
		}
	}
	if !bytes.Contains(w.files["topics/river/index.html"], []byte(`href="/albums/watershed/"`)) {
		t.Error("the river topic page does not list its album")
	}
}
