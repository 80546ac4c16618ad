package search

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// smallDocs are n short stories of about 2.3 × words characters, whose
// words are drawn from a fixed pool, so that a larger set has more
// documents but no more characters.
func smallDocs(n, words int) []Doc {
	rng := rand.New(rand.NewPCG(3, 4))
	pool := []string{"垃圾分类", "积分", "兑换", "志愿者", "社区", "食堂", "污水", "处理厂", "小河", "治理", "居民",
		"诉求", "办结", "长者", "服务", "中心", "党员", "物业", "业委会", "改造", "道路", "公园", "绿化", "停车",
		"养老", "托育", "健身", "图书馆", "夜市", "消防", "安全", "演练", "文明", "创建", "环境", "整治"}
	// Half the words are two characters of chars, so that the
	// collection has many rare pairs as well as common ones.
	chars := []rune("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理府研")
	some := func(k int) string {
		var b strings.Builder
		for range k {
			if rng.IntN(2) == 0 {
				b.WriteString(pool[rng.IntN(len(pool))])
			} else {
				b.WriteRune(chars[rng.IntN(len(chars))])
				b.WriteRune(chars[rng.IntN(len(chars))])
			}
		}
		return b.String()
	}
	docs := make([]Doc, n)
	for i := range docs {
		docs[i] = Doc{URL: fmt.Sprintf("/news/s-%05d/", i), Kind: "story", Title: some(6),
			Summary: some(4), Text: some(words), Date: time.Date(2026, 1, 1+i%300, 0, 0, 0, 0, time.UTC)}
	}
	return docs
}

// fileBase is a file's name without its hash: shard-1f.
func fileBase(path string) string {
	name := strings.TrimPrefix(path, Dir)
	if i := strings.IndexByte(name, '.'); i >= 0 {
		return name[:i]
	}
	return name
}

// reachAll opens files and reaches every file of the index as search.js
// would, by the names fileName gives: every shard with the postings of
// every term (and so every file of pieces), every document's head and
// text. It fails the test if one is missing or if a file is never
// reached.
func reachAll(t *testing.T, files []File) {
	t.Helper()
	x, fetched := openFiles(t, files)
	for s := range x.Shards {
		b, err := x.fetch(Dir + fileName("shard", s, x.files.Shard))
		if err != nil {
			t.Fatalf("shard %x: %v", s, err)
		}
		if b, err = inflate(b); err != nil {
			t.Fatal(err)
		}
		terms, err := decodeShard(b, x.piece)
		if err != nil {
			t.Fatal(err)
		}
		for term := range terms {
			p, err := x.term(term)
			if err != nil {
				t.Fatalf("%q: %v", term, err)
			}
			if p.df == 0 || p.rest != nil {
				t.Fatalf("%q: %d documents, pieces left %v", term, p.df, p.rest)
			}
		}
	}
	for id := range x.Docs {
		if _, err := x.Text(id); err != nil {
			t.Fatalf("document %d: %v", id, err)
		}
	}
	if _, err := x.fetch(Dir + x.files.T2S); err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if fetched[f.Path] == 0 && f.Path != Dir+"meta.json" {
			t.Errorf("%s: no name of the index leads to it", f.Path)
		}
	}
}

// TestMetaBounded builds an index of many short documents at two sizes
// and holds meta.json to the same size at both (up to the digits of its
// counts), while every file search.js names is there.
func TestMetaBounded(t *testing.T) {
	defer func(p int) { packTarget = p }(packTarget)
	// Packs small enough that both sizes have more packs than groups.
	packTarget = 2 << 10
	sizes := []int{5000, 10000}
	var metas [][]byte
	for _, n := range sizes {
		files, err := Build(smallDocs(n, 80))
		if err != nil {
			t.Fatal(err)
		}
		count := map[string]int{}
		for _, f := range files {
			count[strings.SplitN(fileBase(f.Path), "-", 2)[0]]++
		}
		for kind, groups := range map[string]int{"shard": shardGroups, "docs": fileGroups, "text": fileGroups} {
			if count[kind] <= groups {
				t.Fatalf("%d documents: %d %s files, want more than the %d groups", n, count[kind], kind, groups)
			}
		}
		reachAll(t, files)
		meta := files[len(files)-1]
		if meta.Path != Dir+"meta.json" {
			t.Fatalf("last file %s, want meta.json", meta.Path)
		}
		metas = append(metas, meta.Data)
		t.Logf("%d documents: %d files (%v), meta.json %d bytes", n, len(files), count, len(meta.Data))
	}
	if a, b := len(metas[0]), len(metas[1]); b < a || b > a+16 {
		t.Errorf("meta.json is %d bytes at %d documents, %d at %d: want the same but for a few digits", a, sizes[0], b, sizes[1])
	}
}

// TestEditRenamesItsGroups: after an edit, a file keeps its name exactly
// when no file of its group changed content; a Writer passes such a file
// as Same.
func TestEditRenamesItsGroups(t *testing.T) {
	docs := smallDocs(3000, 200)
	var w Writer
	collect := func(docs []Doc) map[string]File {
		files := map[string]File{}
		if err := w.Write(docs, func(f File) error {
			files[fileBase(f.Path)] = f
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return files
	}
	first := collect(docs)
	edited := append([]Doc(nil), docs...)
	// One character of the text, past what snippets keep: the lengths and
	// so every impact stay as they were, and a few terms change.
	d := &edited[1234]
	r := []rune(d.Text)
	r[len(r)-2] = '鹭'
	d.Text = string(r)
	second := collect(edited)
	fresh, err := Build(edited)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fresh {
		if second[fileBase(f.Path)].Path != f.Path {
			t.Errorf("%s: named %s by a fresh Write", second[fileBase(f.Path)].Path, f.Path)
		}
	}

	content := func(f File, old map[string]File) []byte {
		data := f.Data
		if f.Same {
			data = old[fileBase(f.Path)].Data
		}
		if strings.HasPrefix(f.Path, Dir+"text-") || strings.HasPrefix(f.Path, Dir+"pairs.") || f.Path == Dir+"meta.json" {
			return data
		}
		b, err := inflate(data)
		if err != nil {
			t.Fatalf("%s: %v", f.Path, err)
		}
		return b
	}
	// Which groups have a file whose content changed.
	groups := func(base string) string {
		kind, num, ok := strings.Cut(base, "-")
		if !ok {
			return base
		}
		n := 0
		for _, f := range second {
			if strings.HasPrefix(fileBase(f.Path), kind+"-") {
				n++
			}
		}
		var i int
		fmt.Sscanf(num, "%x", &i)
		groups := fileGroups
		if kind == "shard" {
			groups = shardGroups
		}
		return fmt.Sprintf("%s/%d", kind, i%min(n, groups))
	}
	if len(second) != len(first) {
		t.Fatalf("%d files, then %d", len(first), len(second))
	}
	changed := map[string]bool{}
	for base, f := range second {
		if base == "meta" {
			continue
		}
		if !bytes.Equal(content(f, first), content(first[base], nil)) {
			changed[groups(base)] = true
		}
	}
	renamed, shards := 0, 0
	for base, f := range second {
		if base == "meta" {
			continue
		}
		g := groups(base)
		same := f.Path == first[base].Path
		if same == changed[g] {
			t.Errorf("%s (was %s): renamed %v, but a file of its group changed %v", f.Path, first[base].Path, !same, changed[g])
		}
		if f.Same != same {
			t.Errorf("%s: Same %v, name kept %v", f.Path, f.Same, same)
		}
		if !same {
			renamed++
		}
		if strings.HasPrefix(base, "shard-") {
			shards++
		}
	}
	if renamed == 0 || renamed > shards/2 {
		t.Errorf("%d of %d files renamed after one character changed, want some but fewer than half the %d shards", renamed, len(second), shards)
	}
	for g := range changed {
		if !strings.HasPrefix(g, "shard/") && g != "pairs" {
			t.Errorf("group %s changed, want only shards and the pairs", g)
		}
	}
	t.Logf("%d of %d files renamed, %d groups changed", renamed, len(second), len(changed))

	var meta struct{ Files fileNames }
	if err := json.Unmarshal(second["meta"].Data, &meta); err != nil {
		t.Fatal(err)
	}
	if len(meta.Files.Shard) != min(shards, shardGroups)*groupHashLen {
		t.Errorf("meta.json has %d hex digits of shard groups, want %d", len(meta.Files.Shard), min(shards, shardGroups)*groupHashLen)
	}
}

// TestPieces cuts the postings into pieces of a few bytes: the index
// answers every query as with whole postings, no shard or file of pieces
// carries more than a piece of any term, and every file is reached.
func TestPieces(t *testing.T) {
	docs := smallDocs(600, 60)
	whole, err := Build(docs)
	if err != nil {
		t.Fatal(err)
	}
	defer func(p int) { pieceBytes = p }(pieceBytes)
	pieceBytes = 40
	cut, err := Build(docs)
	if err != nil {
		t.Fatal(err)
	}
	more := 0
	for _, f := range cut {
		if !strings.HasPrefix(f.Path, Dir+"shard-") && !strings.HasPrefix(f.Path, Dir+"more-") {
			continue
		}
		b, err := inflate(f.Data)
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(f.Path, Dir+"more-") {
			more++
			// A file of pieces k has one piece of each of its shard's
			// terms with a piece k.
			if len(b) > pieceBytes*64 {
				t.Errorf("%s: %d bytes", f.Path, len(b))
			}
			continue
		}
		terms, err := decodeShard(b, pieceBytes)
		if err != nil {
			t.Fatalf("%s: %v", f.Path, err)
		}
		for term, p := range terms {
			if len(p.list)+len(p.title) > pieceBytes {
				t.Errorf("%s: %q has %d bytes of postings in the shard", f.Path, term, len(p.list)+len(p.title))
			}
		}
	}
	if more == 0 {
		t.Fatal("no file of pieces")
	}
	reachAll(t, cut)
	queries := append([]string{"垃圾分类积分", "社区食堂", "污水处理厂", "志愿者 服务", "长者中心", "文明创建 环境整治", "停车"}, benchQueries...)
	for _, q := range queries {
		x, _ := openFiles(t, whole)
		y, _ := openFiles(t, cut)
		a, err := x.Query(q, 20)
		if err != nil {
			t.Fatal(err)
		}
		b, err := y.Query(q, 20)
		if err != nil {
			t.Fatal(err)
		}
		if a.N != b.N || fmt.Sprint(a.Hits) != fmt.Sprint(b.Hits) {
			t.Errorf("%s: %d results %v with whole postings, %d %v in pieces", q, a.N, urls(a.Hits), b.N, urls(b.Hits))
		}
	}
	t.Logf("%d files, %d of pieces", len(cut), more)
}
