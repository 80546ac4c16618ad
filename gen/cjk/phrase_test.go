package cjk

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// TestBudouXReference holds the model runner to BudouX's own parser:
// testdata/budoux-reference.txt has the example site's titles and headings
// as the budoux npm package splits them.
func TestBudouXReference(t *testing.T) {
	f, err := os.Open("testdata/budoux-reference.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		n++
		want := strings.Split(line, "|")
		in := strings.Join(want, "")
		if got := budouxSplit(in); strings.Join(got, "|") != line {
			t.Errorf("budouxSplit(%q) = %q, want %q", in, strings.Join(got, "|"), line)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if n < 50 {
		t.Fatalf("only %d reference sentences", n)
	}
}

func TestPhrases(t *testing.T) {
	tests := []struct{ in, want string }{
		// BudouX alone: 五级|联动、|四|队|上|阵：“5433”|机制|让|服务|沉到|楼栋
		{"五级联动、四队上阵：“5433”机制让服务沉到楼栋", "五级|联动、|四队|上阵：|“5433”|机制让|服务|沉到|楼栋"},
		// BudouX alone: 四|点|半|之后，|孩子们|有了|去处
		{"四点半之后，孩子们有了去处", "四点半|之后，|孩子们|有了|去处"},
		{"小流域治理", "小流域|治理"},
		{"居民诉求台账", "居民|诉求|台账"},
		{"智能分类回收亭分小区分品类回收重量", "智能|分类|回收亭|分小区|分品类|回收|重量"},
		// BudouX alone: 一|滴水|的|旅程：|从家|里|到|小河
		{"一滴水的旅程：从家里到小河", "一滴水的|旅程：|从家里到|小河"},
		{"ABC 2026年11月", "ABC 2026年|11月"},
		{"超过5000户，累计", "超过|5000户，|累计"},
		{"账", "账"},
		{"", ""},
	}
	for _, tt := range tests {
		got := strings.Join(Phrases(tt.in), "|")
		if got != tt.want {
			t.Errorf("Phrases(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestWBR(t *testing.T) {
	tests := []struct{ in, want string }{
		{"居民诉求台账", `<span class="phrases">居民<wbr>诉求<wbr>台账</span>`},
		{"小区<b>&</b>", `<span class="phrases">小区<wbr>&lt;b&gt;&amp;&lt;/b&gt;</span>`},
		{"Open data", "Open data"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := string(WBR(tt.in)); got != tt.want {
			t.Errorf("WBR(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// FuzzPhrases: any text splits into non-empty phrases that join back into
// it, none a lone Chinese character unless the text is one.
func FuzzPhrases(f *testing.F) {
	for _, s := range []string{"四队上阵", "孩子们", "a“b”c", "的的的的", "\xff\xfe小区", "一", "《》", "（的）"} {
		f.Add(s)
	}
	ref := referenceScorer(f)
	f.Fuzz(func(t *testing.T, s string) {
		rs, offs := runes(s, nil, nil)
		if got, want := zhHans().scores(rs, nil), ref(s, offs); !slices.Equal(got, want) {
			t.Fatalf("scores(%q) = %v, want %v (text-keyed lookups)", s, got, want)
		}
		ps := Phrases(s)
		if strings.Join(ps, "") != s {
			t.Fatalf("Phrases(%q) = %q: does not join back", s, ps)
		}
		for _, p := range ps {
			if p == "" {
				t.Fatalf("Phrases(%q) = %q: empty phrase", s, ps)
			}
			if len(ps) > 1 && utf8.RuneCountInString(p) == 1 && isHan(p) {
				t.Fatalf("Phrases(%q) = %q: lone character %q", s, ps, p)
			}
		}
	})
}

// referenceScorer scores breaks as the model's definition reads: for
// each break, thirteen lookups of the n-grams around it by their text in
// the model's JSON. It is the slow path the model's ids and tables are
// held to.
func referenceScorer(tb testing.TB) func(s string, offs []int) []int32 {
	var groups map[string]map[string]int
	if err := json.Unmarshal(zhHansJSON, &groups); err != nil {
		tb.Fatal(err)
	}
	base := 0
	for _, g := range groups {
		for _, w := range g {
			base -= w
		}
	}
	return func(s string, offs []int) []int32 {
		n := len(offs) - 1
		out := make([]int32, n)
		gram := func(group string, from, k int) int {
			if from < 0 || from+k > n {
				return 0
			}
			return groups[group][s[offs[from]:offs[from+k]]]
		}
		for i := 1; i < n; i++ {
			v := 0
			for k := range 6 {
				v += gram(fmt.Sprintf("UW%d", k+1), i-3+k, 1)
			}
			for k := range 3 {
				v += gram(fmt.Sprintf("BW%d", k+1), i-2+k, 2)
			}
			for k := range 4 {
				v += gram(fmt.Sprintf("TW%d", k+1), i-3+k, 3)
			}
			out[i] = int32(2*v + base)
		}
		return out
	}
}

func isHan(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.Is(unicode.Han, r)
}

func BenchmarkWBR(b *testing.B) {
	s := "五级联动、四队上阵：“5433”机制让服务沉到楼栋"
	for b.Loop() {
		WBR(s)
	}
}

// oneTitle is the title BenchmarkPhrases and BenchmarkPhrasesRef segment.
var oneTitle = []string{"五级联动、四队上阵：“5433”机制让服务沉到楼栋，居民的事情大家商量着办"}

// BenchmarkPhrases is the model's work for one title.
func BenchmarkPhrases(b *testing.B) {
	benchTexts(b, oneTitle, func() { zhHans() }, func(s string) { Phrases(s) })
}

// BenchmarkPhrasesRef is BenchmarkPhrases for the reference implementation
// (phrase_ref_test.go).
func BenchmarkPhrasesRef(b *testing.B) {
	benchTexts(b, oneTitle, func() { refZhHans() }, func(s string) { phrasesRef(s) })
}

// BenchmarkPhrasesTitles segments 10,000 distinct titles in turn, made
// from the example site's titles and headings with numbers in them.
func BenchmarkPhrasesTitles(b *testing.B) {
	benchTexts(b, manyTitles(b), func() { zhHans() }, func(s string) { Phrases(s) })
}

// BenchmarkPhrasesTitlesRef is BenchmarkPhrasesTitles for the reference
// implementation.
func BenchmarkPhrasesTitlesRef(b *testing.B) {
	benchTexts(b, manyTitles(b), func() { refZhHans() }, func(s string) { phrasesRef(s) })
}

// benchTexts runs seg on texts in turn, once load has readied its model.
func benchTexts(b *testing.B, texts []string, load func(), seg func(string)) {
	load()
	i := 0
	for b.Loop() {
		seg(texts[i%len(texts)])
		i++
	}
}

// manyTitles returns 10,000 titles: those of testdata/budoux-reference.txt
// with a number before, inside or after them.
func manyTitles(tb testing.TB) []string {
	data, err := os.ReadFile("testdata/budoux-reference.txt")
	if err != nil {
		tb.Fatal(err)
	}
	var base []string
	for line := range strings.Lines(string(data)) {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			base = append(base, strings.ReplaceAll(line, "|", ""))
		}
	}
	titles := make([]string, 10000)
	for i := range titles {
		t := base[i%len(base)]
		switch i % 4 {
		case 0:
			titles[i] = fmt.Sprintf("第%d期：%s", i, t)
		case 1:
			titles[i] = fmt.Sprintf("%s，%d户居民受益", t, i)
		case 2:
			rs := []rune(t)
			k := len(rs) / 2
			titles[i] = fmt.Sprintf("%s%d个%s", string(rs[:k]), i%97, string(rs[k:]))
		default:
			titles[i] = fmt.Sprintf("%s（%d年%d月）", t, 2000+i%30, 1+i%12)
		}
	}
	return titles
}

// BenchmarkWBRTitles is WBR, segmentation and HTML, for 10,000 distinct
// titles in turn: the work of a story's title or summary on its page and
// its card.
func BenchmarkWBRTitles(b *testing.B) {
	benchTexts(b, manyTitles(b), func() { zhHans() }, func(s string) { WBR(s) })
}
