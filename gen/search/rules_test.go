package search

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// rulesDocs are small pages for the matching rule: phrases that belong to
// one page, traditional text, a Latin word beside Chinese.
var rulesDocs = []Doc{
	{URL: "/news/hotpot/", Kind: "story", Date: day(1), Title: "社区邻里节",
		Summary: "居民一起包饺子。", Text: "社区在广场办邻里节，居民带来家常菜，场面火热。"},
	{URL: "/news/park/", Kind: "story", Date: day(2), Title: "工业园区开放日",
		Summary: "工厂向居民开放。", Text: "产城融合，工业园区和居民小区越走越近。"},
	{URL: "/news/volunteer/", Kind: "story", Date: day(3), Title: "志愿者上门走访",
		Summary: "社区干部和志愿者逐户上门。", Text: "志愿者记下居民提出的水电气暖问题。"},
	{URL: "/news/app/", Kind: "story", Date: day(4), Title: "积分兑换上线APP",
		Summary: "手机上就能兑换积分。", Text: "居民下载APP后可以查询积分，到超市兑换生活用品。"},
	{URL: "/news/tw/", Kind: "story", Date: day(5), Title: "開發區舉辦講座",
		Summary: "繁體寫成的報道。", Text: "講座介紹垃圾分類的做法。"},
	{URL: "/news/phrase/", Kind: "story", Date: day(6), Title: "河道清淤",
		Summary: "清淤工程完工。", Text: "小河重新变清，鱼回来了。河道两岸种上了柳树。"},
	{URL: "/news/split/", Kind: "story", Date: day(7), Title: "变清的小河",
		Summary: "两岸的柳树。", Text: "鱼和小河，重新回来。河道清淤让水变清。"},
	{URL: "/news/long/", Kind: "story", Date: day(9), Title: "议事会纪要",
		Summary: "一份很长的纪要。", Text: longText + "文末写着居民签名的倡议书。"},
	{URL: "/topics/sewage-plant/", Kind: "topic", Title: "生活污水处理厂", Summary: "污水处理厂的专题。", Text: "处理生活污水。"},
	{URL: "/photos/sewage/", Kind: "album", Date: day(8), Title: "参观污水处理厂", Summary: "两张照片。", Text: "污水池。"},
}

// longText is a page's text far longer than the index stores of it (the
// first snippetBytes), in sentences that differ.
var longText = func() string {
	var b strings.Builder
	for i := 0; b.Len() < max(3000, 3*snippetBytes); i++ {
		fmt.Fprintf(&b, "第%d次居民议事会讨论停车难题，大家各抒己见%c%c。", i, rune(0x4E00+i*7), rune(0x4E01+i*11))
	}
	return b.String()
}()

// longQuote is a quoted phrase of about 1,200 bytes from the middle of
// longText, past what the index stores of it.
var longQuote = func() string {
	rs := []rune(longText)
	return "“" + string(rs[len(rs)/3:len(rs)/3+400]) + "”"
}()

func TestQueryRules(t *testing.T) {
	tests := []struct {
		q       string
		first   string // "" for no results
		n       int    // -1: any
		unknown []string
		approx  bool
		suggest string // the corrected query searched instead
	}{
		// Most of the pairs of 社区火锅 are on no page together.
		{"社区火锅", "", 0, nil, false, ""},
		// A Latin term the site lacks is reported; the rest is searched.
		{"AI 垃圾分类", "/news/tw/", 1, []string{"AI"}, false, ""},
		{"APP积分兑换", "/news/app/", 1, nil, false, ""},
		{"xyzzy积分兑换", "/news/app/", 1, []string{"xyzzy"}, false, ""},
		// Traditional characters fold to simplified on both sides.
		{"工業園區", "/news/park/", 1, nil, false, ""},
		{"开发区讲座", "/news/tw/", 1, nil, false, ""},
		// A typo: both pairs of 原 are off the site; 愿 is the character
		// whose pairs (志愿, 愿者) are on it and meet in a page. The
		// corrected query is searched, labelled approximate.
		{"志原者", "/news/volunteer/", 1, []string{"志原者"}, true, "志愿者"},
		{"工业圆区", "/news/park/", 1, nil, true, "工业园区"},
		// The correction is simplified; the rest stays as typed.
		{"工業圓區", "/news/park/", 1, nil, true, "工業园區"},
		{"上门 志原者", "/news/volunteer/", 1, []string{"志原者"}, true, "上门 志愿者"},
		// Spelt right: never corrected.
		{"志愿者", "/news/volunteer/", 1, nil, false, ""},
		// Two characters are too few to tell which one is wrong.
		{"志原", "", 0, []string{"志原"}, false, ""},
		// Nothing at all.
		{"火星探测器", "", 0, []string{"火星探测器"}, false, ""},
		// A phrase: the page that has it in order first.
		{"小河重新变清", "/news/phrase/", -1, nil, false, ""},
		// Quoted: only the page with the exact phrase.
		{"“小河重新变清”", "/news/phrase/", 1, nil, false, ""},
		{`"重新回来"`, "/news/split/", 1, nil, false, ""},
		// A quoted phrase with a pair the site lacks cannot match.
		{`"小河火锅"`, "", 0, []string{"小河火锅"}, false, ""},
		// Quoted phrases past the stored start of a page's text, and one
		// longer than it: the page with every pair.
		{"“居民签名的倡议书”", "/news/long/", 1, nil, false, ""},
		{longQuote, "/news/long/", 1, nil, false, ""},
		// The topic whose title is the query's words ranks first.
		{"污水处理厂", "/topics/sewage-plant/", -1, nil, false, ""},
	}
	x, _ := memIndex(t, rulesDocs)
	for _, tt := range tests {
		a, err := x.Query(tt.q, 10)
		if err != nil {
			t.Fatalf("Query(%q): %v", tt.q, err)
		}
		first := ""
		if len(a.Hits) > 0 {
			first = a.Hits[0].URL
		}
		if first != tt.first || (tt.n >= 0 && a.N != tt.n) {
			t.Errorf("Query(%q) = %q (%d results), want %q first (%d)", tt.q, urls(a.Hits), a.N, tt.first, tt.n)
		}
		if !slices.Equal(a.Unknown, tt.unknown) || a.Approx != tt.approx || a.Suggest != tt.suggest {
			t.Errorf("Query(%q): unknown %q approx %v suggest %q, want %q %v %q", tt.q, a.Unknown, a.Approx, a.Suggest, tt.unknown, tt.approx, tt.suggest)
		}
	}
}

// TestNoResultCostsNothing: a query with a character no page has, or
// whose pairs on the site cannot cover it, is answered from the metadata
// alone (meta.json and the pairs file, loaded with the page).
func TestNoResultCostsNothing(t *testing.T) {
	x, fetched := memIndex(t, rulesDocs)
	// 火星探测器 and 龘 have characters no page has; of 社区火锅 and 居民火锅
	// the pairs on the site (社区, 居民) cover only half: the pairs file
	// says so; no page has the word xyzzy: the word list says so.
	for _, q := range []string{"火星探测器", "龘", "社区火锅", "居民火锅", "xyzzy", "xyzzy 火星", "ＸＹＺＺＹ"} {
		clear(fetched)
		a, err := x.Query(q, 10)
		if err != nil {
			t.Fatal(err)
		}
		if a.N != 0 || len(fetched) != 0 {
			t.Errorf("Query(%q): %d results, fetched %v; want none and nothing", q, a.N, fetched)
		}
	}
}

func TestParseQuotes(t *testing.T) {
	pq := Parse(`垃圾 “分类积分” ok`)
	var got []string
	for _, r := range pq.Runs {
		q := ""
		if r.Quoted {
			q = "quoted "
		}
		got = append(got, q+r.Text)
	}
	if want := []string{"垃圾", "quoted 分类积分", "ok"}; !slices.Equal(got, want) {
		t.Errorf("Parse runs = %q, want %q", got, want)
	}
}

// FuzzParse checks the runs of any query: each is a piece of the query
// as typed, its tokens exist, a Chinese run of n characters has n-1 pair
// tokens (or its lone character), and Query answers without error on a
// small index, whatever the query.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"垃圾分类积分怎么兑换", `"小河" “变清” 「重新」`, "AI 垃圾分类", "工業園區", "\"\"\"", "志原者\xff", "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥甲乙丙丁戊己庚辛壬癸"} {
		f.Add(s)
	}
	x, _ := memIndex(f, rulesDocs)
	f.Fuzz(func(t *testing.T, q string) {
		pq := Parse(q)
		if len(pq.Tokens) > maxQueryTokens {
			t.Fatalf("Parse(%q): %d tokens", q, len(pq.Tokens))
		}
		for _, r := range pq.Runs {
			if r.Text == "" || !strings.Contains(q, r.Text) || len(r.Toks) == 0 {
				t.Fatalf("Parse(%q): run %q is not a non-empty piece of the query with tokens", q, r.Text)
			}
			for _, tok := range r.Toks {
				if tok < 0 || tok >= len(pq.Tokens) || pq.Tokens[tok].CJK != r.CJK {
					t.Fatalf("Parse(%q): run %q has token %d of %d", q, r.Text, tok, len(pq.Tokens))
				}
			}
			if r.CJK {
				n := 0
				for _, c := range r.Text {
					if class(fold(c)) == classCJK {
						n++
					}
				}
				if n != max(1, len(r.Toks)+1) && !(n == 1 && len(r.Toks) == 1) {
					t.Fatalf("Parse(%q): run %q of %d characters has %d tokens", q, r.Text, n, len(r.Toks))
				}
			}
		}
		if _, err := x.Query(q, 10); err != nil {
			t.Fatalf("Query(%q): %v", q, err)
		}
	})
}
