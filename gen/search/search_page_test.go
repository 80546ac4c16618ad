package search_test

import (
	"strings"
	"testing"

	"gongjian/gen/search/searchtest"
)

// TestSearchPage renders the search page in both languages: every string
// comes from the catalogue, the form works without JavaScript, and the
// script is loaded from this site only.
func TestSearchPage(t *testing.T) {
	for _, tt := range []struct{ lang, want string }{{"zh-CN", "找到 %d 条结果"}, {"en", "%d results"}} {
		b, th, err := searchtest.PageIn("../..", tt.lang)
		if err != nil {
			t.Fatal(err)
		}
		page := string(b)
		for _, want := range []string{
			`<form class="search-form" role="search" method="get" action="/search/">`,
			`<input id="search-q" type="search" name="q"`,
			`role="status" aria-live="polite"`,
			`<script src="` + th.Asset("js/search.js") + `" defer></script>`,
			`data-count="` + tt.want + `"`,
		} {
			if !strings.Contains(page, want) {
				t.Errorf("%s: search page lacks %s", tt.lang, want)
			}
		}
		if i := strings.Index(page, "[search."); i >= 0 {
			t.Errorf("%s: missing UI string %s", tt.lang, page[i:min(len(page), i+30)])
		}
		var box strings.Builder
		if err := th.Partial(&box, "search-box", nil); err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{`method="get" action="/search/"`, `<label class="search-label" for="site-search-q">`,
			`type="search" name="q"`, `<button type="submit">`} {
			if !strings.Contains(box.String(), want) {
				t.Errorf("%s: header search box lacks %s:\n%s", tt.lang, want, box.String())
			}
		}
		if strings.Contains(box.String(), "[search.") {
			t.Errorf("%s: header search box misses a UI string:\n%s", tt.lang, box.String())
		}
		if strings.Contains(page, `src="http`) || strings.Contains(page, `src="//`) {
			t.Errorf("%s: a script from another host", tt.lang)
		}
	}
}
