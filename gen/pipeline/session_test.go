package pipeline

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"gongjian/gen/diag"
)

func TestSessionRebuildsWhatChanged(t *testing.T) {
	fsys := siteFS(t)
	ss := NewSession(fsys, Options{CacheDir: t.TempDir()})
	ctx := context.Background()
	first, err := ss.Update(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	index, _, err := ss.SearchIndex()
	if err != nil {
		t.Fatal(err)
	}
	if len(index) == 0 {
		t.Fatal("session built no search index")
	}
	for p, data := range index {
		first.Files[p] = data
	}
	full, err := buildMem(t, fsys)
	if err != nil {
		t.Fatal(err)
	}
	if len(first.Files) != len(full.files) {
		t.Errorf("first update wrote %d files, a full build %d", len(first.Files), len(full.files))
	}
	for p, data := range full.files {
		if string(first.Files[p]) != string(data) {
			t.Errorf("%s: session output differs from a full build", p)
		}
	}

	// No change, nothing to do.
	res, err := ss.Update(ctx, []string{"content/news/river-clean.md"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Files) != 0 || len(res.Removed) != 0 {
		t.Errorf("update without a change wrote %v, removed %v", keys(res.Files), res.Removed)
	}

	// A body edit: the story and the lists that show it, nothing else.
	edit(fsys, "content/news/river-clean.md", "说水清了。", "说水真的清了。")
	res, err = ss.Update(ctx, []string{"content/news/river-clean.md"})
	if err != nil {
		t.Fatal(err)
	}
	got := keys(res.Files)
	for _, want := range []string{"news/river-clean/index.html", "news/page/2/index.html", "topics/river/index.html", "tags/生态环境/index.html", "news/unsafe-story/index.html"} {
		if !slices.Contains(got, want) {
			t.Errorf("after a story edit, %s was not re-rendered (got %v)", want, got)
		}
	}
	for _, not := range []string{"news/kiosk-weights/index.html", "tags/积分制/index.html", "topics/garbage-sorting/index.html", "404.html", "tags/index.html"} {
		if slices.Contains(got, not) {
			t.Errorf("after a story edit, %s was re-rendered though it does not show the story", not)
		}
	}
	if !strings.Contains(string(res.Files["news/river-clean/index.html"]), "说水真的清了") {
		t.Error("re-rendered story page lacks the edit")
	}

	// A broken story: an error with file:line; fixing it works again.
	saved := fsys["content/news/river-clean.md"].Data
	fsys["content/news/river-clean.md"] = &fstest.MapFile{Data: []byte("---\ntitle: t\ndate: 2026-99-01\nsummary: s\n---\n")}
	_, err = ss.Update(ctx, []string{"content/news/river-clean.md"})
	var list diag.List
	if !errors.As(err, &list) || !strings.Contains(err.Error(), "content/news/river-clean.md:3: ") {
		t.Fatalf("broken story: error %v, want content/news/river-clean.md:3", err)
	}
	fsys["content/news/river-clean.md"] = &fstest.MapFile{Data: saved}
	if _, err := ss.Update(ctx, []string{"content/news/river-clean.md"}); err != nil {
		t.Fatalf("after the fix: %v", err)
	}

	// A rename removes the old page and adds the new one.
	fsys["content/news/river-clear.md"] = fsys["content/news/river-clean.md"]
	delete(fsys, "content/news/river-clean.md")
	res, err = ss.Update(ctx, []string{"content/news/river-clean.md", "content/news/river-clear.md"})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(res.Removed, "news/river-clean/index.html") || res.Files["news/river-clear/index.html"] == nil {
		t.Errorf("rename: removed %v, written %v", res.Removed, keys(res.Files))
	}

	// A dataset edit: its pages, the story that charts it, the home page's
	// figures; not the stories that do not quote data.
	edit(fsys, "data/waste.csv", "800,610", "800,500")
	res, err = ss.Update(ctx, []string{"data/waste.csv"})
	if err != nil {
		t.Fatal(err)
	}
	got = keys(res.Files)
	for _, want := range []string{"data/waste/index.html", "data/waste/waste.csv", "data.json", "news/waste-chart/index.html", "index.html", "topics/garbage-sorting/index.html"} {
		if !slices.Contains(got, want) {
			t.Errorf("after a dataset edit, %s was not re-rendered (got %v)", want, got)
		}
	}
	for _, not := range []string{"news/kiosk-weights/index.html", "topics/river/index.html", "news/unsafe-story/index.html"} {
		if slices.Contains(got, not) {
			t.Errorf("after a dataset edit, %s was re-rendered though it shows no data", not)
		}
	}
	if !strings.Contains(string(res.Files["news/waste-chart/index.html"]), `减少了 <a class="data-figure" href="/data/waste/">30%</a>`) {
		t.Error("the story's figure was not recomputed from the edited dataset")
	}

	// A theme edit re-renders every page.
	edit(fsys, "themes/default/templates/partials/cards.html", `class="card"`, `class="card story"`)
	res, err = ss.Update(ctx, []string{"themes/default/templates/partials/cards.html"})
	if err != nil {
		t.Fatal(err)
	}
	pages := 0
	for p := range full.files {
		if strings.HasSuffix(p, ".html") {
			pages++
		}
	}
	if res.Files["news/kiosk-weights/index.html"] == nil || res.Files["404.html"] == nil {
		t.Error("theme edit did not re-render every page")
	}
	if res.Pages != pages {
		t.Errorf("theme edit re-rendered %d pages, want all %d", res.Pages, pages)
	}
}

func edit(fsys fstest.MapFS, name, old, new string) {
	f := fsys[name]
	fsys[name] = &fstest.MapFile{Data: []byte(strings.Replace(string(f.Data), old, new, 1))}
}

func keys[V any](m map[string]V) []string {
	return sortedKeys(m)
}

// TestSessionRefusesHostileStory: gen serve converts through the same
// checks as gen build. A story nested 500,000 block quotes deep, or one
// tagged index.html, is an error at its line and leaves the last good
// pages; restoring the story builds again.
func TestSessionRefusesHostileStory(t *testing.T) {
	fsys := siteFS(t)
	ss := NewSession(fsys, Options{CacheDir: t.TempDir()})
	ctx := context.Background()
	if _, err := ss.Update(ctx, nil); err != nil {
		t.Fatal(err)
	}
	const file = "content/news/river-clean.md"
	good := fsys[file].Data
	for _, tt := range []struct {
		name, old, new, want string
	}{
		{"deep quotes", "说水清了。", "说水清了。\n\n" + strings.Repeat(">", 500000), "block quotes and lists nested 33 levels deep, over the limit of 32"},
		{"tag index.html", "tags: [", "tags: [index.html, ", `tag "index.html": /tags/index.html is the page that lists every tag`},
	} {
		edit(fsys, file, tt.old, tt.new)
		_, err := ss.Update(ctx, []string{file})
		var list diag.List
		if !errors.As(err, &list) || len(list) != 1 || list[0].File != file || list[0].Line == 0 || !strings.Contains(list[0].Msg, tt.want) {
			t.Errorf("%s: Update = %v, want one error at a line of %s: …%s…", tt.name, err, file, tt.want)
		}
		fsys[file] = &fstest.MapFile{Data: good}
		if _, err := ss.Update(ctx, []string{file}); err != nil {
			t.Fatalf("%s: after restoring the story: %v", tt.name, err)
		}
	}
}

// TestSessionChecksOutputsWhenTheyChange: an update skips the output-path
// check while the paths are those that last passed it, so a theme file
// added at a story's address must still be refused, and removing it must
// build again.
func TestSessionChecksOutputsWhenTheyChange(t *testing.T) {
	fsys := siteFS(t)
	ss := NewSession(fsys, Options{CacheDir: t.TempDir()})
	ctx := context.Background()
	if _, err := ss.Update(ctx, nil); err != nil {
		t.Fatal(err)
	}
	const story = "content/news/river-clean.md"
	edit(fsys, story, "说水清了。", "说水真的清了。")
	if _, err := ss.Update(ctx, []string{story}); err != nil {
		t.Fatalf("a body edit: %v", err)
	}
	const clash = "themes/default/static/news/river-clean/index.html"
	fsys[clash] = &fstest.MapFile{Data: []byte("<p>x</p>")}
	_, err := ss.Update(ctx, []string{clash})
	if err == nil || !strings.Contains(err.Error(), "output news/river-clean/index.html is claimed twice") {
		t.Fatalf("a theme file at a story's address: Update = %v, want it claimed twice", err)
	}
	// The same clash is refused again, however often the editor saves.
	if _, err := ss.Update(ctx, []string{story}); err == nil {
		t.Fatal("the clash passed on the next update")
	}
	delete(fsys, clash)
	if _, err := ss.Update(ctx, []string{clash}); err != nil {
		t.Fatalf("after removing the theme file: %v", err)
	}
}
