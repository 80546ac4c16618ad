package search

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"，。！ ", nil},
		{"水", []string{"水"}},
		{"污水", []string{"污水"}},
		{"污水处理厂", []string{"污水", "水处", "处理", "理厂"}},
		{"垃圾分类积分怎么兑换", []string{"垃圾", "圾分", "分类", "类积", "积分", "分怎", "怎么", "么兑", "兑换"}},
		{"长者服务中心 食堂", []string{"长者", "者服", "服务", "务中", "中心", "食堂"}},
		{"长者，食", []string{"长者", "食"}},
		{"5433机制", []string{"5433", "机制"}},
		{"ＡＢＣ１２３　Ｘ", []string{"abc123", "x"}},
		{"Hello, World! hello", []string{"hello", "world"}},
		{"Café ÉTÉ", []string{"café", "été"}},
		{"COVID-19", []string{"covid", "19"}},
		{"水水水", []string{"水水"}},
		{"河长制“一河一策”", []string{"河长", "长制", "一河", "河一", "一策"}},
		{"ひらがなカタカナ", []string{"ひら", "らが", "がな", "なカ", "カタ", "タカ", "カナ"}},
		{"한국어", []string{"한국", "국어"}},
		{"〇", []string{"〇"}},
		{"\xff水", []string{"水"}},
		{"Ωmega", []string{"ωmega"}},
	}
	for _, tt := range tests {
		if got := Normalize(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestNormalizeLimit(t *testing.T) {
	var q []rune
	for i := range 100 {
		q = append(q, rune(0x4E00+i))
	}
	if n := len(Normalize(string(q))); n != maxQueryTokens {
		t.Errorf("len(Normalize(long)) = %d, want %d", n, maxQueryTokens)
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"垃圾分类积分怎么兑换", "ＡＢＣ　１２３", "Hello, World", "5433机制", "\xff\xfe", "İstanbul"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		toks := Normalize(q)
		if len(toks) > maxQueryTokens {
			t.Fatalf("Normalize(%q): %d tokens", q, len(toks))
		}
		seen := map[string]bool{}
		for _, tok := range toks {
			if tok == "" || seen[tok] {
				t.Fatalf("Normalize(%q) = %q: empty or repeated token", q, toks)
			}
			seen[tok] = true
			// A token is already normal: it tokenizes to itself, except
			// that a Chinese bigram also has no other token inside it.
			if again := Normalize(tok); len(again) != 1 || again[0] != tok {
				t.Fatalf("Normalize(%q) has token %q, which normalizes to %q", q, tok, again)
			}
		}
		// Folding is idempotent: the tokens of the tokens joined by spaces
		// are the Latin words and Chinese n-grams again.
		if again := Normalize(strings.Join(toks, " ")); len(toks) < maxQueryTokens && !containsAll(again, toks) {
			t.Fatalf("Normalize(%q) = %q, but tokens joined give %q", q, toks, again)
		}
	})
}

func containsAll(have, want []string) bool {
	for _, w := range want {
		if !slices.Contains(have, w) {
			return false
		}
	}
	return true
}

// memIndex builds docs and opens the result in memory; fetched counts the
// bytes each path read.
func memIndex(t testing.TB, docs []Doc) (*Index, map[string]int) {
	t.Helper()
	files, err := Build(docs)
	if err != nil {
		t.Fatal(err)
	}
	return openFiles(t, files)
}

// openFiles opens a fresh Index on files, as a browser with an empty cache.
func openFiles(t testing.TB, files []File) (*Index, map[string]int) {
	t.Helper()
	m := map[string][]byte{}
	for _, f := range files {
		m[f.Path] = f.Data
	}
	fetched := map[string]int{}
	x, err := Open(func(p string) ([]byte, error) {
		b, ok := m[p]
		if !ok {
			return nil, fmt.Errorf("%s: not found", p)
		}
		fetched[p] = len(b)
		return b, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return x, fetched
}

func day(d int) time.Time { return time.Date(2026, 3, d, 0, 0, 0, 0, time.UTC) }

var table = []Doc{
	{URL: "/news/points/", Kind: "story", Date: day(1), Title: "积分卡用起来了",
		Summary: "居民参加垃圾分类，攒下的积分可以在超市兑换生活用品。",
		Text:    "小区推行垃圾分类已经一年。智能回收亭自动称重，把积分记到积分卡上。每月第一个周六，居民拿着积分卡到爱心超市兑换洗发水和纸巾。"},
	{URL: "/news/sorting/", Kind: "story", Date: day(2), Title: "垃圾分类进小区",
		Summary: "四分类垃圾桶摆到了楼下。", Text: "社区志愿者在垃圾分类投放点值守，教居民分清厨余垃圾和其他垃圾。"},
	{URL: "/news/sewage/", Kind: "story", Date: day(3), Title: "走进污水处理厂",
		Summary: "学生们了解一滴水的旅程。", Text: "污水处理厂每天处理生活污水五万吨，出水达到一级A标准。"},
	{URL: "/news/elderly/", Kind: "story", Date: day(4), Title: "长者服务中心的幸福食堂",
		Summary: "老人在家门口吃上热饭。", Text: "长者服务中心二楼的食堂每天中午供应两荤两素，七十岁以上老人有优惠。"},
	{URL: "/news/canteen/", Kind: "story", Date: day(5), Title: "社区食堂开业",
		Summary: "新的社区食堂面向所有居民。", Text: "食堂由物业公司运营，提供早餐和午餐。"},
	{URL: "/news/5433/", Kind: "story", Date: day(6), Title: "“5433”工作法", Tags: []string{"5433机制"},
		Summary: "诉求办理有了新机制。", Text: "居民诉求办理实行5433工作法：5天内答复。"},
	{URL: "/topics/river/", Kind: "topic", Title: "小流域治理", Summary: "家门口的小河重新变清。",
		Text: "河长制落实到每一段河道，污水不再直排。"},
	{URL: "/data/requests/", Kind: "dataset", Date: day(7), Title: "居民诉求统计", Summary: "按月统计的诉求数量与办结率。",
		Text: "诉求 办结 月份 COVID-19"},
}

func urls(hits []Hit) []string {
	var u []string
	for _, h := range hits {
		u = append(u, h.URL)
	}
	return u
}

func TestSearchRanking(t *testing.T) {
	tests := []struct {
		q    string
		want []string // the first results, in order
		n    int      // number of matches; -1 to skip
	}{
		// Chinese without spaces finds the page with 垃圾分类, 积分 and 兑换.
		{"垃圾分类积分怎么兑换", []string{"/news/points/"}, -1},
		{"积分", []string{"/news/points/"}, 1},
		{"污水处理厂", []string{"/news/sewage/"}, -1},
		// The title boost puts the story about the centre's canteen first.
		{"长者服务中心 食堂", []string{"/news/elderly/"}, -1},
		// Shorter and more about it: the new canteen.
		{"食堂", []string{"/news/canteen/", "/news/elderly/"}, 2},
		{"5433", []string{"/news/5433/"}, 1},
		// The statistics have 诉求 but not 办理: 1 of 3 bigrams is too few.
		{"诉求办理", []string{"/news/5433/"}, 1},
		{"诉求", []string{"/data/requests/", "/news/5433/"}, 2},
		{"covid", []string{"/data/requests/"}, 1},
		{"ＣＯＶＩＤ", []string{"/data/requests/"}, 1},
		{"河", []string{"/topics/river/"}, 1},
		{"没有这个词", nil, 0},
		{"xyzzy", nil, 0},
		{"，，", nil, 0},
		// A word no page has is left out (and reported, see TestUnknown).
		{"covid xyzzy", []string{"/data/requests/"}, 1},
	}
	x, _ := memIndex(t, table)
	for _, tt := range tests {
		hits, n, err := x.Search(tt.q, 10)
		if err != nil {
			t.Fatalf("Search(%q): %v", tt.q, err)
		}
		got := urls(hits)
		if len(got) < len(tt.want) || !slices.Equal(got[:len(tt.want)], tt.want) {
			t.Errorf("Search(%q) = %q, want it to start %q", tt.q, got, tt.want)
		}
		if tt.n >= 0 && n != tt.n {
			t.Errorf("Search(%q) found %d, want %d (%q)", tt.q, n, tt.n, got)
		}
	}
}

func TestBuildDeterministic(t *testing.T) {
	a, err := Build(table)
	if err != nil {
		t.Fatal(err)
	}
	shuffled := slices.Clone(table)
	rand.New(rand.NewPCG(3, 4)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	b, err := Build(shuffled)
	if err != nil {
		t.Fatal(err)
	}
	if len(a) != len(b) {
		t.Fatalf("%d files, then %d", len(a), len(b))
	}
	for i := range a {
		if a[i].Path != b[i].Path || !bytes.Equal(a[i].Data, b[i].Data) {
			t.Errorf("file %d: %s differs from %s after shuffling the docs", i, a[i].Path, b[i].Path)
		}
	}
}

func TestBuildErrors(t *testing.T) {
	_, err := Build([]Doc{{URL: "/a/"}, {URL: "/a/"}, {Title: "无地址"}})
	if err == nil || !strings.Contains(err.Error(), `two documents with the URL "/a/"`) || !strings.Contains(err.Error(), "无地址") {
		t.Errorf("Build(duplicates, no URL) error = %v", err)
	}
	files, err := Build(nil)
	if err != nil || len(files) == 0 || files[len(files)-1].Path != "search/meta.json" {
		t.Errorf("Build(nil) = %v, %v; want a meta.json", files, err)
	}
}

func TestDocChunkJSON(t *testing.T) {
	odd := Doc{URL: "/x/", Title: "引号\"反斜杠\\换行\n制表\t\x01", Text: "坏字节\xff好", Kind: "story"}
	x, _ := memIndex(t, []Doc{odd})
	h, err := x.head(0)
	if err != nil {
		t.Fatal(err)
	}
	text, err := x.Text(0)
	if err != nil {
		t.Fatal(err)
	}
	if h.Title != odd.Title || text != "\n坏字节\uFFFD好" {
		t.Errorf("doc round trip = %q, %q", h.Title, text)
	}
}

// TestQueryBytes checks the download budget on the bench corpus: meta.json,
// the shards of the query's tokens and the chunks of the first ten results.
func TestQueryBytes(t *testing.T) {
	if testing.Short() {
		t.Skip("builds 10,000 documents")
	}
	files, err := Build(benchDocs(10000))
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range benchQueries {
		x, fetched := openFiles(t, files)
		if _, _, err := x.Search(q, 10); err != nil {
			t.Fatal(err)
		}
		total := 0
		for _, n := range fetched {
			total += n
		}
		shards := 0
		for p, n := range fetched {
			if strings.HasSuffix(p, ".bin") {
				shards += n
			}
		}
		t.Logf("%s: %d KB in %d files, %d KB of it postings", q, total>>10, len(fetched), shards>>10)
		if total > 300<<10 {
			t.Errorf("query %q fetches %d KB from %d files, want at most 300 KB", q, total>>10, len(fetched))
		}
	}
}

// benchQueries are realistic queries of residents; searchbench runs them too.
var benchQueries = []string{"垃圾分类积分怎么兑换", "污水处理厂", "长者服务中心 食堂", "5433", "诉求办理",
	"水", "积分卡", "智能回收亭", "幸福食堂", "业委会物业", "小河变清", "党员中心户", "志愿者上门走访",
	"白浪路改造", "工业园区", "舞蹈队", "爱心积分超市兑换洗发水", "共同缔造第125期", "水电气暖", "科普"}

func FuzzDecodeShard(f *testing.F) {
	files, err := Build(table)
	if err != nil {
		f.Fatal(err)
	}
	for _, fl := range files {
		if strings.HasSuffix(fl.Path, ".bin") {
			f.Add(fl.Data)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := DecodeShard(b)
		if err != nil {
			return
		}
		size := 0
		for term, p := range m {
			size += len(term) + len(p.list)
		}
		if size > len(b) {
			t.Fatalf("decoded %d bytes of terms and postings from %d bytes", size, len(b))
		}
	})
}

// TestBuildSplit checks that tokenizing in two halves and merging gives the
// same files as one pass.
func TestBuildSplit(t *testing.T) {
	docs := benchDocs(1500)
	docs[700].Title += " 唯一标题 uniqueword" // terms in one half only
	docs[1400].Text += " 另一半 otherhalf"
	split, err := Build(docs)
	if err != nil {
		t.Fatal(err)
	}
	defer func(m int) { minSplit = m }(minSplit)
	minSplit = len(docs) + 1
	whole, err := Build(docs)
	if err != nil {
		t.Fatal(err)
	}
	sameFiles(t, split, whole, "when the documents are tokenized in two halves")
}

// sameFiles fails the test unless got and want are the same files in the
// same order; how says what made got.
func sameFiles(t *testing.T, got, want []File, how string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d files %s, %d without", len(got), how, len(want))
	}
	for i := range got {
		if got[i].Path != want[i].Path || !bytes.Equal(got[i].Data, want[i].Data) {
			t.Fatalf("%s differs %s", want[i].Path, how)
		}
	}
}

// TestWriteStopsAtEmitError: a file that cannot be written ends the index
// with that error, whichever goroutine met it.
func TestWriteStopsAtEmitError(t *testing.T) {
	docs := benchDocs(50)
	for _, prefix := range []string{Dir + "text-", Dir + "shard-", Dir + "docs-", Dir + "t2s.", Dir + "meta.json"} {
		failed := errors.New("disk full")
		err := Write(docs, func(f File) error {
			if strings.HasPrefix(f.Path, prefix) {
				return failed
			}
			return nil
		})
		if !errors.Is(err, failed) {
			t.Errorf("emit failing for %s*: Write = %v, want the emit error", prefix, err)
		}
	}
}

// TestHugeDocHead checks that a document with a huge title, summary and
// text ships only their starts: a dataset description or a story summary
// of a megabyte must not be copied into every shard that lists it.
func TestHugeDocHead(t *testing.T) {
	huge := strings.Repeat("长", 1<<18) // 768 KB
	docs := []Doc{{URL: "/huge/", Title: "标题" + huge, Summary: "摘要" + huge, Text: "正文" + huge, Kind: "dataset"}}
	files, err := Build(docs)
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, f := range files {
		if strings.HasPrefix(f.Path, Dir+"t2s.") {
			continue // the same for every site
		}
		total += len(f.Data)
		if strings.HasPrefix(f.Path, Dir+"pairs.") {
			continue // Rice code, one pair here
		}
		data := f.Data
		if strings.HasSuffix(f.Path, ".bin") && !strings.HasPrefix(f.Path, Dir+"text-") {
			var err error
			if data, err = inflate(data); err != nil {
				t.Fatalf("%s: %v", f.Path, err)
			}
		}
		if strings.HasPrefix(f.Path, Dir+"text-") {
			continue // coded texts: checked through Text below
		}
		if strings.HasPrefix(f.Path, Dir+"shard-") {
			if _, err := decodeShard(data, pieceBytes); err != nil {
				t.Fatal(err)
			}
			continue // the postings are binary
		}
		if !utf8.Valid(data) {
			t.Errorf("%s: not UTF-8 after clipping", f.Path)
		}
	}
	if limit := 2*headBytes + snippetBytes + 4<<10; total > limit {
		t.Errorf("index of one huge document is %d bytes, want under %d", total, limit)
	}
	x, _ := memIndex(t, docs)
	d, err := x.head(0)
	if err != nil {
		t.Fatal(err)
	}
	text, err := x.Text(0)
	if err != nil {
		t.Fatal(err)
	}
	summary, _, _ := strings.Cut(text, "\n")
	if !strings.HasPrefix(d.Title, "标题长") || len(d.Title) > headBytes || !strings.HasPrefix(summary, "摘要长") || len(summary) > headBytes {
		t.Errorf("doc head = %.40q, %.40q; want the starts of the title and summary within %d bytes", d.Title, summary, headBytes)
	}
	if len(text) > snippetBytes {
		t.Errorf("text shipped is %d bytes, want at most %d", len(text), snippetBytes)
	}
}

// TestWriterReuses holds a Writer that remembers its last index to a
// fresh Write: after one document changed, every file is the one a fresh
// Write makes, a reused one (Same) being byte for byte the file of that
// name the last index had; most shards are reused, and a failed Write
// leaves nothing remembered.
func TestWriterReuses(t *testing.T) {
	docs := benchDocs(300)
	collect := func(w *Writer, docs []Doc) ([]File, error) {
		var files []File
		err := w.Write(docs, func(f File) error {
			files = append(files, f)
			return nil
		})
		return files, err
	}
	var w Writer
	first, err := collect(&w, docs)
	if err != nil {
		t.Fatal(err)
	}
	before := map[string][]byte{}
	for _, f := range first {
		if f.Same {
			t.Fatalf("%s: Same in the first index", f.Path)
		}
		before[f.Path] = f.Data
	}

	edited := slices.Clone(docs)
	edited[7].Text += "第二次修改时补充的一句话，说明积分兑换时间。"
	second, err := collect(&w, edited)
	if err != nil {
		t.Fatal(err)
	}
	fresh, err := Build(edited)
	if err != nil {
		t.Fatal(err)
	}
	if len(second) != len(fresh) {
		t.Fatalf("%d files with the memory, %d fresh", len(second), len(fresh))
	}
	reused, shards := 0, 0
	for i, f := range second {
		want := fresh[i]
		if f.Path != want.Path {
			t.Fatalf("file %d is %s, fresh %s", i, f.Path, want.Path)
		}
		if strings.HasPrefix(f.Path, Dir+"shard-") {
			shards++
		}
		data := f.Data
		if f.Same {
			reused++
			if f.Data != nil {
				t.Errorf("%s: Same with data", f.Path)
			}
			var ok bool
			if data, ok = before[f.Path]; !ok {
				t.Fatalf("%s: Same, but the last index had no such file", f.Path)
			}
		}
		if !bytes.Equal(data, want.Data) {
			t.Errorf("%s differs from a fresh Write (Same: %v)", f.Path, f.Same)
		}
	}
	if reused == 0 || reused == len(second) {
		t.Errorf("%d of %d files reused after one document changed, want some but not all", reused, len(second))
	}
	t.Logf("%d of %d files reused (%d shards)", reused, len(second), shards)

	failed := errors.New("disk full")
	if err := w.Write(edited, func(f File) error {
		if strings.HasPrefix(f.Path, Dir+"docs-") {
			return failed
		}
		return nil
	}); !errors.Is(err, failed) {
		t.Fatalf("Write = %v, want the emit error", err)
	}
	if w.last != nil || w.kept != nil {
		t.Errorf("a failed Write left %d files and postings (%v) remembered", len(w.last), w.kept != nil)
	}
}

// TestFoldBMP holds the table scanRuns reads to fold and class, for every
// rune of the Basic Multilingual Plane.
func TestFoldBMP(t *testing.T) {
	tab := foldBMP()
	for r := range rune(0x10000) {
		f := fold(r)
		if f >= 0x10000 {
			t.Fatalf("fold(%U) = %U, outside the plane the table covers", r, f)
		}
		if got, c := rune(tab[r]>>2), int(tab[r]&3); got != f || c != class(f) {
			t.Fatalf("table at %U: %U class %d, want %U class %d", r, got, c, f, class(f))
		}
	}
}
