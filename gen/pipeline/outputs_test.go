package pipeline

import (
	"strings"
	"testing"
)

// TestHeadingIDsAvoidTheme: a heading whose id the theme already writes on
// the page (id="main" on <main>, id="related") gets another, so that ids
// stay unique and the skip link still lands on <main>.
func TestHeadingIDsAvoidTheme(t *testing.T) {
	fsys := siteFS(t)
	edit(fsys, "content/news/river-clean.md", "说水清了。", "说水清了。\n\n## Main\n\n## Related\n")
	w, err := buildMem(t, fsys)
	if err != nil {
		t.Fatal(err)
	}
	page := string(w.files["news/river-clean/index.html"])
	for _, want := range []string{`<h2 id="main-2">Main</h2>`, `<h2 id="related-2">Related</h2>`, `id="main"`} {
		if !strings.Contains(page, want) {
			t.Errorf("story page lacks %s", want)
		}
	}
	if n := strings.Count(page, `id="main"`); n != 1 {
		t.Errorf(`id="main" appears %d times, want once`, n)
	}
}

// TestOutputCollisionAtSource: a theme file where a story's page goes
// stops the render at the theme file, before any page is written.
func TestOutputCollisionAtSource(t *testing.T) {
	fsys := siteFS(t)
	fsys["themes/default/static/news/river-clean/index.html"] = fsys["content/news/river-clean.md"]
	w, err := buildMem(t, fsys)
	want := "themes/default/static/news/river-clean/index.html: output news/river-clean/index.html is claimed twice: also by content/news/river-clean.md"
	if err == nil || err.Error() != want {
		t.Errorf("build error = %v, want %s", err, want)
	}
	if w != nil && len(w.files) > 0 {
		t.Errorf("%d files written before the collision was found", len(w.files))
	}
}
