package search_test

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"gongjian/gen/search"
	"gongjian/gen/search/searchtest"
)

// chrome starts Chromium for one test, or skips the test when there is none
// (unless GONGJIAN_REQUIRE_BROWSER=1, as in CI).
func chrome(t *testing.T) context.Context {
	t.Helper()
	if testing.Short() {
		t.Skip("browser test")
	}
	ctx, cancel, err := searchtest.Chrome(context.Background())
	if err != nil {
		if os.Getenv("GONGJIAN_REQUIRE_BROWSER") == "1" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	t.Cleanup(cancel)
	return ctx
}

var browserDocs = []search.Doc{
	{URL: "/news/points/", Kind: "story", Date: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), Title: "积分卡用起来了",
		Summary: "居民参加垃圾分类，攒下的积分可以在超市兑换生活用品。",
		Text:    "小区推行垃圾分类已经一年。智能回收亭自动称重，把积分记到积分卡上。每月第一个周六，居民拿着积分卡到爱心超市兑换洗发水和纸巾。"},
	{URL: "/news/sorting/", Kind: "story", Date: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), Title: "垃圾分类进小区",
		Summary: "四分类垃圾桶摆到了楼下。", Text: "社区志愿者在垃圾分类投放点值守，教居民分清厨余垃圾和其他垃圾。"},
	{URL: "/news/sewage/", Kind: "story", Date: time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC), Title: "走进污水处理厂",
		Summary: "学生们了解一滴水的旅程。", Text: "污水处理厂每天处理生活污水五万吨。"},
	{URL: "/data/requests/", Kind: "dataset", Title: "居民诉求统计 <script>", Summary: "按月统计的诉求数量。", Text: "诉求 办结 COVID-19"},
}

func TestBrowserSearch(t *testing.T) {
	ctx := chrome(t)
	files, err := search.Build(browserDocs)
	if err != nil {
		t.Fatal(err)
	}
	srv := serveFiles(t, files)
	x, _ := search.OpenFiles(t, files)
	tests := []struct {
		q     string
		first string
		marks []string // highlighted texts that must appear
	}{
		{"垃圾分类积分怎么兑换", "/news/points/", []string{"垃圾分类", "积分", "兑换"}},
		{"污水处理厂", "/news/sewage/", []string{"污水处理厂"}},
		{"ＣＯＶＩＤ", "/data/requests/", []string{"COVID"}},
		{"没有这个词", "", nil},
	}
	for _, tt := range tests {
		r, err := searchtest.Query(ctx, srv.URL, tt.q, true)
		if err != nil {
			t.Fatal(err)
		}
		first := ""
		if len(r.URLs) > 0 {
			first = r.URLs[0]
		}
		if first != tt.first {
			t.Errorf("%s: first result %q, want %q (all: %q)", tt.q, first, tt.first, r.URLs)
		}
		for _, m := range tt.marks {
			if !slices.Contains(r.Marks, m) {
				t.Errorf("%s: highlights %q, want %q among them", tt.q, r.Marks, m)
			}
		}
		// The script ranks as the Go reference does.
		hits, n, err := x.Search(tt.q, 10)
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		for _, h := range hits {
			want = append(want, h.URL)
		}
		if !slices.Equal(r.URLs, want) || r.N != n {
			t.Errorf("%s: page shows %d: %q; Go ranks %d: %q", tt.q, r.N, r.URLs, n, want)
		}
		if tt.first != "" && !strings.Contains(r.Status, "找到") {
			t.Errorf("%s: status %q, want the count announced", tt.q, r.Status)
		}
		for _, u := range r.Requests {
			if !strings.HasPrefix(u, srv.URL+"/") {
				t.Errorf("%s: request to another host: %s", tt.q, u)
			}
			// A content-named file is asked for by its name alone, so
			// that caches keep it across builds.
			if strings.Contains(u, "/search/") && strings.HasSuffix(strings.Split(u, "?")[0], ".bin") && strings.Contains(u, "?") {
				t.Errorf("%s: %s: an index file with a query string", tt.q, u)
			}
		}
		if len(r.Failed) > 0 || len(r.Console) > 0 {
			t.Errorf("%s: failed requests %q, console errors %q", tt.q, r.Failed, r.Console)
		}
	}
}

// serveDocs serves the search page over the index of docs until the test
// ends.
func serveDocs(t *testing.T, docs []search.Doc) *searchtest.Server {
	t.Helper()
	files, err := search.Build(docs)
	if err != nil {
		t.Fatal(err)
	}
	return serveFiles(t, files)
}

// serveFiles serves the search page over the index files until the test
// ends.
func serveFiles(t *testing.T, files []search.File) *searchtest.Server {
	t.Helper()
	srv, err := searchtest.Serve("../..", files)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return srv
}

// emptyIndex is the index of no documents: meta.json and the traditional
// to simplified table, which the tokenizer needs.
func emptyIndex(t *testing.T) []search.File {
	files, err := search.Build(nil)
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestTokensAgree runs search.js's tokenizer on the same inputs as
// Normalize: the two must agree, or the browser looks for terms the index
// does not have.
func TestTokensAgree(t *testing.T) {
	ctx := chrome(t)
	srv := serveFiles(t, emptyIndex(t))
	inputs := []string{"", "垃圾分类积分怎么兑换", "长者服务中心 食堂", "5433机制", "ＡＢＣ１２３　Ｘ", "Hello, World! hello",
		"Café ÉTÉ Ωmega", "COVID-19", "水", "水水水", "河长制“一河一策”", "ひらがなカタカナ", "한국어", "〇", "İstanbul",
		"K Kelvin Å", "ǅ ǈ", "Ⅻ ⓐ", "𠀀𠀁 𝐀𝐁", "emoji 😀 表情", "tab\there\nnewline", "a-b_c.d", "１２．５％", "ｱｲｳ", "Straße ß",
		"ΣΑΣ σας", "Привет МИР", "中英mixed混合text", "〈标题〉【注】", strings.Repeat("甲乙", 40)}
	got, err := searchtest.Tokens(ctx, srv.URL, inputs)
	if err != nil {
		t.Fatal(err)
	}
	for i, in := range inputs {
		want := search.Normalize(in)
		if !slices.Equal(got[i], want) && !(len(got[i]) == 0 && len(want) == 0) {
			t.Errorf("tokens(%q): JS %q, Go %q", in, got[i], want)
		}
	}
}

// TestTextCodeAgrees decodes in the page texts coded by Go, with codes of
// one byte, two bytes and escapes (characters past the table).
func TestTextCodeAgrees(t *testing.T) {
	ctx := chrome(t)
	srv := serveFiles(t, emptyIndex(t))
	// More than 128 characters, so that the rarer ones take two bytes.
	var many strings.Builder
	for r := rune(0x4E00); r < 0x4E00+300; r++ {
		many.WriteRune(r)
	}
	texts := []string{"居民议事会讨论停车难题。\n大家各抒己见…", many.String(), "𠀋 é ① 😀", ""}
	// The table leaves out the third text's characters: they are escaped.
	table, codes := search.TextCode(texts[:2], texts)
	for i, c := range codes {
		var js strings.Builder
		for j, b := range c {
			if j > 0 {
				js.WriteByte(',')
			}
			fmt.Fprint(&js, b)
		}
		got, err := searchtest.Eval[string](ctx, srv.URL, fmt.Sprintf("window.gongjianSearch.untext(Uint8Array.of(%s), Array.from(%s))", js.String(), searchtest.JSString(table)))
		if err != nil {
			t.Fatal(err)
		}
		if got != texts[i] {
			t.Errorf("untext of %q's code = %q", texts[i], got)
		}
	}
}

// TestTokensAgreeEveryCharacter compares, for every code point below
// U+40000, the token that the character alone gives in Go and in the
// script: the case tables of Go and of the browser's ICU could differ.
func TestTokensAgreeEveryCharacter(t *testing.T) {
	ctx := chrome(t)
	srv := serveFiles(t, emptyIndex(t))
	const limit = 0x40000
	got, err := searchtest.Eval[[]string](ctx, srv.URL, `window.gongjianSearch.loadT2S().then(function () {
  var out = [];
  for (var c = 0; c < 0x40000; c++) {
    if (c >= 0xd800 && c <= 0xdfff) { out.push(""); continue; }
    var t = window.gongjianSearch.tokens(String.fromCodePoint(c));
    out.push(t.length ? t[0].t : "");
  }
  return out;
})`)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != limit {
		t.Fatalf("%d answers, want %d", len(got), limit)
	}
	bad := 0
	for c := rune(0); c < limit; c++ {
		if c >= 0xD800 && c <= 0xDFFF {
			continue
		}
		want := ""
		if toks := search.Normalize(string(c)); len(toks) > 0 {
			want = toks[0]
		}
		if got[c] != want {
			if bad++; bad <= 20 {
				t.Errorf("U+%04X %q: JS %q, Go %q", c, string(c), got[c], want)
			}
		}
	}
	if bad > 20 {
		t.Errorf("and %d more", bad-20)
	}
}

// TestBrowserTypingAndMore types a query (debounced input, no submit),
// then asks for more results: the address follows the query, the count is
// announced, and the focus moves to the first new result.
func TestBrowserTypingAndMore(t *testing.T) {
	ctx := chrome(t)
	var docs []search.Doc
	for i := range 25 {
		docs = append(docs, search.Doc{URL: fmt.Sprintf("/news/canteen-%02d/", i), Kind: "story", Title: fmt.Sprintf("社区食堂第%d期", i),
			Summary: "食堂的故事。", Text: strings.Repeat("长者在食堂吃饭。", 1+i%5), Date: time.Date(2026, 1, 1+i, 0, 0, 0, 0, time.UTC)})
	}
	srv := serveDocs(t, docs)
	type state struct {
		Items, Marks          int
		Status, Search, Focus string
		More                  bool
	}
	got, err := searchtest.Eval[[]state](ctx, srv.URL, `(async function () {
  const until = async (f) => { for (let i = 0; i < 500 && !f(); i++) await new Promise(r => setTimeout(r, 10)); };
  const snap = () => ({Items: document.querySelectorAll("#search-results li").length,
    Marks: document.querySelectorAll("#search-results mark").length,
    Status: document.getElementById("search-status").textContent, Search: location.search,
    Focus: document.activeElement.getAttribute("href") || document.activeElement.id,
    More: !document.getElementById("search-more").hidden});
  const input = document.getElementById("search-q"), out = [];
  input.focus();
  input.value = "食堂";
  input.dispatchEvent(new Event("input", {bubbles: true}));
  await until(() => window.gongjianSearch.last && window.gongjianSearch.last.q === "食堂" && /25/.test(document.getElementById("search-status").textContent));
  out.push(snap());
  document.getElementById("search-more").click();
  await until(() => document.querySelectorAll("#search-results li").length > 10 && document.activeElement.tagName === "A");
  out.push(snap());
  document.getElementById("search-more").click();
  await until(() => document.querySelectorAll("#search-results li").length > 20);
  out.push(snap());
  return out;
})()`)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("got %d states", len(got))
	}
	first, second, third := got[0], got[1], got[2]
	if first.Items != 10 || !first.More || first.Status != "找到 25 条结果" || first.Search != "?q=%E9%A3%9F%E5%A0%82" || first.Marks < 10 {
		t.Errorf("after typing: %+v", first)
	}
	if second.Items != 20 || !second.More || !strings.HasPrefix(second.Focus, "/news/canteen-") {
		t.Errorf("after one more: %+v", second)
	}
	if third.Items != 25 || third.More {
		t.Errorf("after all: %+v", third)
	}
}

// TestBrowserRules runs the queries of the matching rule in the page and
// in the Go reference: the same results in the same order, the same terms
// reported unknown, the same approximate answers, and nothing fetched for
// a query with characters the site lacks.
func TestBrowserRules(t *testing.T) {
	ctx := chrome(t)
	files, err := search.Build(search.RulesDocs)
	if err != nil {
		t.Fatal(err)
	}
	srv := serveFiles(t, files)
	qs := []string{"社区火锅", "AI 垃圾分类", "APP积分兑换", "工業園區", "開發區講座", "志原者", "火星探测器",
		"小河重新变清", "“小河重新变清”", `"重新回来"`, `"小河火锅"`, "污水处理厂", "龘",
		"“居民签名的倡议书”", search.LongQuote, "居民火锅", "工業圓區", "上门 志原者", "志愿者", "志原", "xyzzy", "Café"}
	rs, err := searchtest.Queries(ctx, srv.URL, qs)
	if err != nil {
		t.Fatal(err)
	}
	for i, q := range qs {
		r := rs[i]
		x, _ := search.OpenFiles(t, files)
		a, err := x.Query(q, 10)
		if err != nil {
			t.Fatal(err)
		}
		if got := urls(a.Hits); !slices.Equal(r.URLs, got) || r.N != a.N {
			t.Errorf("%s: page shows %d: %q; Go ranks %d: %q", q, r.N, r.URLs, a.N, got)
		}
		if !slices.Equal(r.Unknown, a.Unknown) && !(len(r.Unknown) == 0 && len(a.Unknown) == 0) || r.Approx != a.Approx {
			t.Errorf("%s: page: unknown %q approx %v; Go: %q %v", q, r.Unknown, r.Approx, a.Unknown, a.Approx)
		}
		// A correction is offered with a link to it; nothing else is.
		if offer := "你是不是要找： " + a.Suggest; a.Suggest != "" && !strings.Contains(r.Note, offer) || a.Suggest == "" && strings.Contains(r.Note, "你是不是要找") {
			t.Errorf("%s: note %q; Go suggests %q", q, r.Note, a.Suggest)
		}
		// What a resident reads besides the results.
		switch q {
		case "AI 垃圾分类":
			if !strings.Contains(r.Note, "未找到：AI") {
				t.Errorf("%s: note %q, want 未找到：AI", q, r.Note)
			}
		case "志原者":
			if !strings.Contains(r.Note, "近似结果") || !strings.Contains(r.Note, "你是不是要找： 志愿者") || len(r.URLs) == 0 || r.URLs[0] != "/news/volunteer/" {
				t.Errorf("%s: note %q, results %q; want /news/volunteer/ first, labelled 近似结果, and 志愿者 offered", q, r.Note, r.URLs)
			}
		case "“居民签名的倡议书”", search.LongQuote:
			if r.N != 1 || len(r.URLs) != 1 || r.URLs[0] != "/news/long/" {
				t.Errorf("%.40s…: page shows %d: %q, want /news/long/ alone", q, r.N, r.URLs)
			}
		case "社区火锅":
			if !strings.Contains(r.Note, "试试其中的词： 社区") || !strings.Contains(r.Note, "或者浏览专题： 生活污水处理厂") {
				t.Errorf("%s: note %q, want 社区 and the topics offered", q, r.Note)
			}
		case "污水处理厂":
			if len(r.Kinds) < 3 || !strings.HasPrefix(r.Kinds[0], "全部 ") || !slices.ContainsFunc(r.Kinds, func(k string) bool { return strings.HasPrefix(k, "专题 ") }) {
				t.Errorf("%s: kind filter %q, want 全部 and 专题 with counts", q, r.Kinds)
			}
		}
		// Characters the site lacks, or pairs on the site that cannot
		// cover the query: the metadata answers, no shard is fetched.
		if slices.Contains([]string{"火星探测器", "龘", "社区火锅", "居民火锅", "xyzzy", "Café"}, q) {
			if a.N != 0 {
				t.Errorf("%s: %d results, want none", q, a.N)
			}
			for _, u := range r.Requests {
				if strings.Contains(u, "/shard-") || strings.Contains(u, "/docs-") || strings.Contains(u, "/text-") {
					t.Errorf("%s: fetched %s for a query the metadata answers", q, u)
				}
			}
		}
	}
}

func urls(hits []search.Hit) []string {
	var u []string
	for _, h := range hits {
		u = append(u, h.URL)
	}
	return u
}

// TestBrowserKindFilter narrows the results of a query to one kind with
// the filter's button, as a resident would, and back to all.
func TestBrowserKindFilter(t *testing.T) {
	ctx := chrome(t)
	srv := serveDocs(t, search.RulesDocs)
	type shown struct{ All, Topics, Again []string }
	got, err := searchtest.Eval[shown](ctx, srv.URL, `(async function () {
  const wait = async ok => { for (let i = 0; i < 2000 && !ok(); i++) await new Promise(r => setTimeout(r, 5)); };
  const metas = () => Array.from(document.querySelectorAll("#search-results .search-meta"), p => p.textContent.split(" ")[0]);
  const input = document.getElementById("search-q");
  input.value = "污水处理厂";
  input.form.requestSubmit();
  await wait(() => document.querySelectorAll(".search-kinds button").length > 0 && metas().length > 0);
  const all = metas(), buttons = Array.from(document.querySelectorAll(".search-kinds button"));
  buttons.find(b => b.textContent.startsWith("专题")).click();
  await wait(() => metas().length > 0 && metas().length < all.length);
  const topics = metas();
  buttons[0].click();
  await wait(() => metas().length === all.length);
  return {All: all, Topics: topics, Again: metas()};
})()`)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.All) < 2 || len(got.Topics) == 0 || slices.ContainsFunc(got.Topics, func(k string) bool { return k != "专题" }) {
		t.Errorf("results by kind: all %q, after 专题 %q; want only topics after the click", got.All, got.Topics)
	}
	if !slices.Equal(got.Again, got.All) {
		t.Errorf("after 全部 %q, want all again %q", got.Again, got.All)
	}
}

// TestBrowserT2SOnlyWhenFolding: the traditional to simplified table is
// fetched for a query with a traditional character whose simplified form
// the site has, and not for one whose characters the site lacks outright.
func TestBrowserT2SOnlyWhenFolding(t *testing.T) {
	ctx := chrome(t)
	srv := serveDocs(t, search.RulesDocs)
	for q, want := range map[string]bool{"工業園區": true, "火星探测器": false, "龍": false} {
		r, err := searchtest.Query(ctx, srv.URL, q, true)
		if err != nil {
			t.Fatal(err)
		}
		got := slices.ContainsFunc(r.Requests, func(u string) bool { return strings.Contains(u, "/search/t2s.") })
		if got != want {
			t.Errorf("%s: fetched t2s.bin: %v, want %v (requests %q)", q, got, want, r.Requests)
		}
		if q == "工業園區" && (len(r.URLs) == 0 || r.URLs[0] != "/news/park/") {
			t.Errorf("%s: results %q, want /news/park/ first", q, r.URLs)
		}
	}
}

// TestBrowserPieces: with postings cut into pieces of a few bytes, the
// script fetches a long term's pieces with its shard and ranks as the Go
// reference does.
func TestBrowserPieces(t *testing.T) {
	ctx := chrome(t)
	search.CutPieces(t, 40)
	files, err := search.Build(search.SmallDocs(300, 40))
	if err != nil {
		t.Fatal(err)
	}
	srv := serveFiles(t, files)
	for _, q := range []string{"垃圾分类积分", "社区食堂", "志愿者 服务", "文明创建环境整治"} {
		r, err := searchtest.Query(ctx, srv.URL, q, true)
		if err != nil {
			t.Fatal(err)
		}
		x, _ := search.OpenFiles(t, files)
		hits, n, err := x.Search(q, 10)
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		for _, h := range hits {
			want = append(want, h.URL)
		}
		if n == 0 || !slices.Equal(r.URLs, want) || r.N != n {
			t.Errorf("%s: page shows %d: %q; Go ranks %d: %q", q, r.N, r.URLs, n, want)
		}
		pieces := 0
		for _, u := range r.Requests {
			if strings.Contains(u, "/search/more-") {
				pieces++
			}
		}
		if pieces == 0 {
			t.Errorf("%s: no file of pieces fetched (%q)", q, r.Requests)
		}
		if len(r.Failed) > 0 || len(r.Console) > 0 {
			t.Errorf("%s: failed requests %q, console errors %q", q, r.Failed, r.Console)
		}
	}
}
