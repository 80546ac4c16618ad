package theme_test

import (
	"strings"
	"testing"
	"testing/fstest"

	"gongjian/gen/theme"
)

// TestWBR: the theme itself offers wbr, which breaks Chinese between
// phrases and escapes what it is given.
func TestWBR(t *testing.T) {
	fsys := fstest.MapFS{
		"themes/x/i18n/zh-CN.yaml":           {Data: []byte("a: b\n")},
		"themes/x/templates/pages/page.html": {Data: []byte(`<h1>{{wbr .}}</h1>`)},
	}
	th, errs := theme.Load(fsys, "x", "zh-CN", nil)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	var b strings.Builder
	if err := th.Render(&b, "page", "居民诉求台账<b>"); err != nil {
		t.Fatal(err)
	}
	want := `<h1><span class="phrases">居民<wbr>诉求<wbr>台账<wbr>&lt;b&gt;</span></h1>`
	if b.String() != want {
		t.Errorf("{{wbr .}} = %s, want %s", b.String(), want)
	}
}
