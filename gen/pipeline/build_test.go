package pipeline

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/rogpeppe/go-internal/txtar"

	"gongjian/gen/diag"
)

var update = flag.Bool("update", false, "update golden files")

// siteFS is the site in testdata/site.txtar plus the repository's default
// theme, so that the golden files show what the real theme renders.
func siteFS(t *testing.T) fstest.MapFS {
	t.Helper()
	ar, err := txtar.ParseFile("testdata/site.txtar")
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{}
	for _, f := range ar.Files {
		fsys[f.Name] = &fstest.MapFile{Data: f.Data}
	}
	addTheme(t, fsys)
	return fsys
}

// addTheme adds the repository's default theme to fsys.
func addTheme(t *testing.T, fsys fstest.MapFS) {
	t.Helper()
	root := "../../themes/default"
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel("../..", p)
		fsys[filepath.ToSlash(rel)] = &fstest.MapFile{Data: data}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func buildMem(t *testing.T, fsys fs.FS) (*memFiles, error) {
	t.Helper()
	s, err := Load(context.Background(), fsys, Options{CacheDir: t.TempDir()})
	if err != nil {
		return nil, err
	}
	w := &memFiles{files: map[string][]byte{}}
	_, err = s.Render(context.Background(), w)
	return w, err
}

// TestSiteGolden builds testdata/site.txtar and compares every page, feed
// and generated file with testdata/site.golden. Theme files that are copied
// as they are (scripts, vendored ECharts) are listed by name only; their
// bytes are checked against the theme folder here.
func TestSiteGolden(t *testing.T) {
	w, err := buildMem(t, siteFS(t))
	if err != nil {
		t.Fatal(err)
	}
	got := &txtar.Archive{Comment: []byte("Built from site.txtar with themes/default; refresh with go test ./gen/pipeline -update.\n")}
	var static []string
	for _, name := range sortedKeys(w.files) {
		data := w.files[name]
		if strings.HasPrefix(name, "search/") && !strings.HasSuffix(name, ".html") {
			static = append(static, fmt.Sprintf("%s %d %x\n", name, len(data), sha256.Sum256(data)))
			continue
		}
		if strings.HasPrefix(name, "css/") {
			static = append(static, hashedName.ReplaceAllString(name, ".HASH.$1")+"\n")
			continue
		}
		data = hashedName.ReplaceAll(data, []byte(".HASH.$1"))
		if strings.HasPrefix(name, "vendor/") || strings.HasSuffix(name, ".js") {
			orig := hashedName.ReplaceAllString(name, ".$1")
			src, err := os.ReadFile("../../themes/default/static/" + orig)
			if err != nil || !bytes.Equal(src, data) {
				t.Errorf("%s: not a byte-for-byte copy of themes/default/static/%s (%v)", name, orig, err)
			}
			static = append(static, hashedName.ReplaceAllString(name, ".HASH.$1")+"\n")
			continue
		}
		got.Files = append(got.Files, txtar.File{Name: name, Data: data})
	}
	got.Files = append(got.Files, txtar.File{Name: "(static files)", Data: []byte(strings.Join(static, ""))})
	golden := "testdata/site.golden"
	if *update {
		if err := os.WriteFile(golden, txtar.Format(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := txtar.ParseFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	wantFiles := map[string]string{}
	for _, f := range want.Files {
		wantFiles[f.Name] = string(f.Data)
	}
	gotFiles := map[string]string{}
	for _, f := range got.Files {
		gotFiles[f.Name] = string(f.Data)
	}
	for _, name := range sortedKeys(wantFiles) {
		if _, ok := gotFiles[name]; !ok {
			t.Errorf("%s: in the golden site but not built", name)
		}
	}
	for _, name := range sortedKeys(gotFiles) {
		w, ok := wantFiles[name]
		switch {
		case !ok:
			t.Errorf("%s: built but not in the golden site", name)
		case w != gotFiles[name]:
			t.Errorf("%s differs from the golden site:\n%s", name, firstDiff(gotFiles[name], w))
		}
	}
}

// hashedName matches the content hash in the name of the stylesheet and
// the scripts, which changes with every edit of them; the golden pages show
// it as HASH (css/site.HASH.css, js/charts.HASH.js).
var hashedName = regexp.MustCompile(`\.[0-9a-f]{8}\.(css|js)\b`)

func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < max(len(g), len(w)); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return fmt.Sprintf("line %d:\n got: %s\nwant: %s", i+1, gl, wl)
		}
	}
	return "(same lines)"
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// TestSafetyOnPages checks what the golden file shows in a way that cannot be
// refreshed away: no raw HTML or script link from a story reaches its page.
func TestSafetyOnPages(t *testing.T) {
	w, err := buildMem(t, siteFS(t))
	if err != nil {
		t.Fatal(err)
	}
	page := string(w.files["news/unsafe-story/index.html"])
	if page == "" {
		t.Fatal("news/unsafe-story/index.html not built")
	}
	for _, bad := range []string{"<script>alert", "javascript:", "onerror=", "<iframe"} {
		if strings.Contains(strings.ToLower(page), strings.ToLower(bad)) {
			t.Errorf("story page contains %q", bad)
		}
	}
	for path, data := range w.files {
		if strings.HasSuffix(path, ".html") && !bytes.Contains(data, []byte(`<html lang="zh-CN">`)) {
			t.Errorf("%s: no lang=\"zh-CN\"", path)
		}
	}
}

func TestDeterministic(t *testing.T) {
	fsys := siteFS(t)
	first, err := buildMem(t, fsys)
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		again, err := buildMem(t, fsys)
		if err != nil {
			t.Fatal(err)
		}
		if len(again.files) != len(first.files) {
			t.Fatalf("second build has %d files, first %d", len(again.files), len(first.files))
		}
		for name, data := range first.files {
			if !bytes.Equal(again.files[name], data) {
				t.Errorf("%s differs between two builds of the same input", name)
			}
		}
	}
}

// TestErrorsAllReported breaks several files at once: every problem comes
// back, each at its file and line, in a stable order.
func TestErrorsAllReported(t *testing.T) {
	fsys := siteFS(t)
	fsys["content/news/bad-date.md"] = &fstest.MapFile{Data: []byte("---\ntitle: 坏日期\ndate: 2026-02-30\nsummary: s\n---\n")}
	fsys["content/news/bad-topic.md"] = &fstest.MapFile{Data: []byte("---\ntitle: t\ndate: 2026-02-01\nsummary: s\ntopics:\n  - river\n  - moon\n---\n")}
	fsys["content/news/no-title.md"] = &fstest.MapFile{Data: []byte("---\ndate: 2026-02-01\nsummary: s\n---\n")}
	fsys["content/news/figure.md"] = &fstest.MapFile{Data: []byte("---\ntitle: t\ndate: 2026-02-01\nsummary: s\n---\n\n第一段。\n\n共 {{data: complaints | count}} 件。\n")}
	fsys["themes/default/templates/pages/tags.html"] = &fstest.MapFile{Data: []byte("{{template \"base\" .}}\n{{define \"main\"}}{{.Nope}{{end}}\n")}
	_, err := buildMem(t, fsys)
	var list diag.List
	if !errors.As(err, &list) {
		t.Fatalf("build error = %v, want a diag.List", err)
	}
	want := []string{
		`content/news/bad-date.md:3: field "date": "2026-02-30" is not a date (expected YYYY-MM-DD, optionally followed by a time hh:mm)`,
		`content/news/bad-topic.md:7: unknown topic "moon" (expected one of: river, garbage-sorting)`,
		`content/news/no-title.md:1: missing field "title"`,
		`themes/default/templates/pages/tags.html:2: bad character U+007D '}'`,
	}
	if got := list.Error(); got != strings.Join(want, "\n") {
		t.Errorf("errors:\n%s\nwant:\n%s", got, strings.Join(want, "\n"))
	}
	// Render-time errors (figures, charts) come after loading succeeds.
	delete(fsys, "content/news/bad-date.md")
	delete(fsys, "content/news/bad-topic.md")
	delete(fsys, "content/news/no-title.md")
	delete(fsys, "themes/default/templates/pages/tags.html")
	fsys["themes/default/templates/pages/tags.html"] = siteFS(t)["themes/default/templates/pages/tags.html"]
	_, err = buildMem(t, fsys)
	if err == nil || !strings.Contains(err.Error(), `content/news/figure.md:9: figure {{data: complaints | count}}: no dataset "complaints" (datasets: kiosk-freshness, requests, waste)`) {
		t.Errorf("figure of an unknown dataset: error %v, want one at content/news/figure.md:9", err)
	}
}

// TestBuildAtomic builds into a real folder, then breaks a story: the failed
// build leaves every byte of the previous site in place, and a good build
// removes the pages of a deleted story.
func TestBuildAtomic(t *testing.T) {
	src := writeTree(t, siteFS(t))
	out := filepath.Join(t.TempDir(), "public")
	opt := Options{Src: src, Out: out, CacheDir: t.TempDir()}
	if _, err := Build(context.Background(), opt); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, out)
	if _, ok := before["news/kiosk-weights/index.html"]; !ok {
		t.Fatal("first build has no news/kiosk-weights/index.html")
	}
	story := filepath.Join(src, "content/news/kiosk-weights.md")
	good, _ := os.ReadFile(story)
	if err := os.WriteFile(story, []byte("---\ntitle: [broken\n---\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Build(context.Background(), opt); err == nil {
		t.Fatal("build of a broken story succeeded")
	}
	after := snapshot(t, out)
	if !maps2Equal(before, after) {
		t.Error("a failed build changed the previous output")
	}
	entries, _ := os.ReadDir(filepath.Dir(out))
	if len(entries) != 2 || entries[0].Name() != ".public.gen" || entries[1].Name() != "public" {
		t.Errorf("after a failed build the output's parent holds %v, want only public and its record", entries)
	}
	if err := os.WriteFile(story, good, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(story); err != nil {
		t.Fatal(err)
	}
	if _, err := Build(context.Background(), opt); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(out, "news/kiosk-weights/index.html")); !os.IsNotExist(err) {
		t.Errorf("page of a deleted story survived the rebuild: %v", err)
	}
}

// writeTree writes fsys into a new temporary folder and returns it.
func writeTree(t *testing.T, fsys fstest.MapFS) string {
	t.Helper()
	dir := t.TempDir()
	for name, f := range fsys {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	tree := readTree(t, dir)
	if tree == nil {
		t.Fatalf("%s: no such folder", dir)
	}
	files := make(map[string]string, len(tree))
	for p, data := range tree {
		files[p] = string(data)
	}
	return files
}

func maps2Equal(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// TestPendingFigure: a home-page figure whose rows exist but whose values
// are all withheld (kiosk months not closed yet) shows the theme's 统计中,
// not an error; a figure over no rows at all is still an error.
func TestPendingFigure(t *testing.T) {
	fsys := siteFS(t)
	fsys["data/held.yaml"] = &fstest.MapFile{Data: []byte("title: 待公布\nsource: 测试\nlicence: CC BY 4.0\nupdated: 2026-05-31\ntopic: garbage-sorting\n" +
		"columns:\n  - {name: month, type: month}\n  - {name: households, type: int}\n")}
	fsys["data/held.csv"] = &fstest.MapFile{Data: []byte("month,households\n2026-05,\n2026-06,\n")}
	site := fsys["content/site.yaml"].Data
	fsys["content/site.yaml"] = &fstest.MapFile{Data: append(slices.Clip(site), "  - title: 最近一月参与家庭\n    value: held | last households\n"...)}
	w, err := buildMem(t, fsys)
	if err != nil {
		t.Fatal(err)
	}
	home := string(w.files["index.html"])
	// The title is broken into phrases (<wbr>); its words still read in order.
	if !regexp.MustCompile(`<p class="figure-title">(<span class="phrases">)?最近一月参与家庭(</span>)?</p>\n<p class="figure-value">统计中</p>`).MatchString(strings.ReplaceAll(home, "<wbr>", "")) {
		t.Errorf("index.html does not show the withheld figure as 统计中:\n%s", home)
	}
	fsys["content/site.yaml"] = &fstest.MapFile{Data: append(slices.Clip(site), "  - title: 无\n    value: held | last households where month = 2027-01\n"...)}
	if _, err := buildMem(t, fsys); err == nil || !strings.Contains(err.Error(), `content/site.yaml:`) {
		t.Errorf("a figure over no rows: error %v, want one at content/site.yaml", err)
	}
}

// TestFullHeap: a full build has as much of its heap in huge pages as is
// in proportion to its stories' Markdown, and nothing for other files
// (photos would make it huge).
func TestFullHeap(t *testing.T) {
	for _, tc := range []struct {
		name   string
		stamps map[string]stamp
		want   int64
	}{
		{"none", nil, 0},
		{"stories", map[string]stamp{"content/news/a.md": {Size: 1000}, "content/news/b.md": {Size: 500}}, 1500 * fullHeapPerByte},
		{"photos and data", map[string]stamp{"content/news/a.md": {Size: 1000}, "content/albums/x/1.jpg": {Size: 5 << 20}, "data/a.csv": {Size: 70}, "themes/default/base.html": {Size: 900}}, 1000 * fullHeapPerByte},
	} {
		if got := fullHeap(tc.stamps); got != tc.want {
			t.Errorf("%s: fullHeap = %d, want %d", tc.name, got, tc.want)
		}
	}
}
