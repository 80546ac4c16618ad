package search

import (
	"strings"
	"testing"
)

func TestTypoAt(t *testing.T) {
	tests := []struct {
		present string // per pair of the run: y on the site, n not
		quoted  bool
		want    int
	}{
		{"nn", false, 1},
		{"ynn", false, 2},
		{"nny", false, 1},
		{"yynny", false, 3},
		{"nn", true, -1},  // quoted: matched exactly or not at all
		{"n", false, -1},  // two characters: either could be wrong
		{"yn", false, -1}, // the last character: one pair, and the rest covers the run
		{"ny", false, -1},
		{"yny", false, -1}, // one pair off the site: a word boundary, not a typo
		{"nnn", false, -1}, // two characters wrong, or none of it on the site
		{"nyn", false, -1},
		{"nnynn", false, -1},
		{"yyy", false, -1},
	}
	for _, tt := range tests {
		r := Run{CJK: true, Quoted: tt.quoted}
		var present []bool
		for i, c := range tt.present {
			r.Toks = append(r.Toks, i)
			present = append(present, c == 'y')
		}
		if got := typoAt(r, present); got != tt.want {
			t.Errorf("typoAt(%s, quoted %v) = %d, want %d", tt.present, tt.quoted, got, tt.want)
		}
	}
}

// typoDocs have six characters between 志 and 者: 一, 七 and 三 common,
// 丙 and 丁 rare, 愿 between; 丙's pairs are in two pages.
var typoDocs = []Doc{
	{URL: "/a/", Kind: "story", Title: "志愿者", Text: "志愿者上门。心愿，愿望，愿意。"},
	{URL: "/b/", Kind: "story", Title: "一一一", Text: strings.Repeat("一", 50) + "志一，一者。"},
	{URL: "/c/", Kind: "story", Title: "七七", Text: strings.Repeat("七", 20) + "志七，七者。"},
	{URL: "/d/", Kind: "story", Title: "三三", Text: strings.Repeat("三", 10) + "志三，三者。"},
	{URL: "/e/", Kind: "story", Title: "丙", Text: "志丙。"},
	{URL: "/f/", Kind: "story", Title: "丁", Text: "丙者。志丁，丁者。"},
}

func TestCandidates(t *testing.T) {
	x, _ := memIndex(t, typoDocs)
	// Rarest first, at most maxCorrections: 一 and 七 are the commonest.
	got := string(x.candidates('志', '者'))
	if want := "丙丁愿三"; got != want {
		t.Errorf("candidates(志, 者) = %q, want %q", got, want)
	}
	if got := x.candidates('志', '龘'); len(got) != 0 {
		t.Errorf("candidates(志, 龘) = %q, want none: 龘 is not on the site", string(got))
	}
	// 丙's pairs are in two pages; 丁's meet in a page, but 愿's meet in
	// the page whose title they are, with the best score.
	a, err := x.Query("志原者", 10)
	if err != nil {
		t.Fatal(err)
	}
	if a.Suggest != "志愿者" || !a.Approx || len(a.Hits) == 0 || a.Hits[0].URL != "/a/" {
		t.Errorf("Query(志原者): suggest %q approx %v hits %q, want 志愿者, approximate, /a/ first", a.Suggest, a.Approx, urls(a.Hits))
	}
}

// TestNoCorrectionOfWhatIsThere: a stretch of a page's text is never
// corrected, whatever its length.
func TestNoCorrectionOfWhatIsThere(t *testing.T) {
	x, _ := memIndex(t, rulesDocs)
	n := 0
	for _, d := range rulesDocs {
		scanRuns(d.Title+"。"+d.Summary+"。"+d.Text, func(rs []rune, cjk bool) {
			if !cjk {
				return
			}
			for i := 0; i+3 <= len(rs) && i < 40; i++ {
				for l := 3; l <= 6 && i+l <= len(rs); l++ {
					q := string(rs[i : i+l])
					a, err := x.Query(q, 10)
					if err != nil {
						t.Fatal(err)
					}
					n++
					if a.Suggest != "" || a.Approx || a.N == 0 {
						t.Errorf("Query(%q) from %s: suggest %q approx %v, %d results; want it found as typed", q, d.URL, a.Suggest, a.Approx, a.N)
					}
				}
			}
		})
	}
	if n < 100 {
		t.Errorf("only %d stretches tried", n)
	}
}
