package theme_test

import (
	"os"
	"regexp"
	"slices"
	"testing"

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
