package theme_test

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"gongjian/gen/outpath"
	"gongjian/gen/render"
	"gongjian/gen/theme"
)

// TestCataloguesMatch: every UI string of the default theme exists in both
// languages, and every key a template uses exists, so an English edition
// needs no template change.
func TestCataloguesMatch(t *testing.T) {
	fsys := os.DirFS("../..")
	zh, errs := theme.Load(fsys, "default", "zh-CN", render.New(render.Options{}).Funcs())
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	en, errs := theme.Load(fsys, "default", "en", render.New(render.Options{}).Funcs())
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	for k := range zh.Strings {
		if _, ok := en.Strings[k]; !ok {
			t.Errorf("en.yaml lacks %q", k)
		}
	}
	for k := range en.Strings {
		if _, ok := zh.Strings[k]; !ok {
			t.Errorf("zh-CN.yaml lacks %q", k)
		}
	}
	var keys []string
	for _, dir := range []string{"../../themes/default/templates", "../../themes/default/templates/pages", "../../themes/default/templates/partials"} {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if e.IsDir() {
				continue
			}
			src, err := os.ReadFile(dir + "/" + e.Name())
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range regexp.MustCompile(`t "([a-z0-9.\-_]+)"`).FindAllSubmatch(src, -1) {
				keys = append(keys, string(m[1]))
			}
		}
	}
	if len(keys) < 30 {
		t.Fatalf("found only %d string keys in the templates", len(keys))
	}
	slices.Sort(keys)
	for _, k := range slices.Compact(keys) {
		if _, ok := zh.Strings[k]; !ok {
			t.Errorf("templates use %q, which zh-CN.yaml lacks", k)
		}
	}
}

func TestT(t *testing.T) {
	th := &theme.Theme{Strings: theme.Catalogue{"a": "第 %d 页", "b": "plain"}}
	tests := []struct {
		key  string
		args []any
		want string
	}{
		{"a", []any{3}, "第 3 页"},
		{"b", nil, "plain"},
		{"missing", nil, "[missing]"},
	}
	for _, tt := range tests {
		if got := th.T(tt.key, tt.args...); got != tt.want {
			t.Errorf("T(%q, %v) = %q, want %q", tt.key, tt.args, got, tt.want)
		}
	}
}

// TestScriptsHashed: every script of the theme is published under a
// content-hashed name, which Asset gives and the asset function prints,
// so that a page never loads a script newer than itself.
func TestScriptsHashed(t *testing.T) {
	fsys := fstest.MapFS{
		"themes/x/templates/pages/p.html": {Data: []byte(`<script src="{{asset "js/a.js"}}"></script>`)},
		"themes/x/static/js/a.js":         {Data: []byte("console.log(1)")},
		"themes/x/static/vendor/LICENSE":  {Data: []byte("licence")},
		"themes/x/i18n/zh-CN.yaml":        {Data: []byte("a: b\n")},
	}
	th, errs := theme.Load(fsys, "x", "zh-CN", nil)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	a := th.Asset("js/a.js")
	if !regexp.MustCompile(`^/js/a\.[0-9a-f]{8}\.js$`).MatchString(a) {
		t.Fatalf("Asset(js/a.js) = %q, want /js/a.HASH.js", a)
	}
	var paths []string
	for _, f := range th.Static {
		paths = append(paths, f.Path)
	}
	slices.Sort(paths)
	if want := []string{a[1:], "vendor/LICENSE"}; !slices.Equal(paths, want) {
		t.Errorf("static files %v, want %v", paths, want)
	}
	// gen deploy caches for good what outpath.ContentHashed takes: the
	// scripts and the stylesheet, not the files published as they are.
	for _, p := range append(paths, th.CSS.Path) {
		if got, want := outpath.ContentHashed(p), p != "vendor/LICENSE"; got != want {
			t.Errorf("outpath.ContentHashed(%q) = %v, want %v", p, got, want)
		}
	}
	var b strings.Builder
	if err := th.Render(&b, "p", nil); err != nil {
		t.Fatal(err)
	}
	if want := `<script src="` + a + `"></script>`; b.String() != want {
		t.Errorf("page = %s, want %s", b.String(), want)
	}
	fsys["themes/x/static/js/a.js"] = &fstest.MapFile{Data: []byte("console.log(2)")}
	th2, _ := theme.Load(fsys, "x", "zh-CN", nil)
	if th2.Asset("js/a.js") == a {
		t.Error("a changed script kept its name")
	}
	if th.Asset("js/none.js") != "" {
		t.Error("Asset of a missing script is not empty")
	}
	fsys["themes/x/templates/pages/p.html"] = &fstest.MapFile{Data: []byte(`{{asset "js/none.js"}}`)}
	th3, _ := theme.Load(fsys, "x", "zh-CN", nil)
	if err := th3.Render(&b, "p", nil); err == nil || !strings.Contains(err.Error(), "no script static/js/none.js") {
		t.Errorf("asset of a missing script: err = %v", err)
	}
}
