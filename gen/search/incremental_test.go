package search

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestWriterUpdates holds a Writer that updates its kept postings to a
// fresh Write, byte for byte, over random edits: documents changed,
// retitled, retagged, added at either end, removed, moved by date, and
// many at once; every few steps the Writer is carried through Memory and
// Recall, as gen build carries it between runs. It also checks that the
// updates tokenize only what changed, so that the comparison is of the
// path it means to test.
func TestWriterUpdates(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	docs := benchDocs(240)
	docs[3].Kind, docs[3].Tags = "topic", []string{"垃圾分类", "河道"}
	docs[9].Kind, docs[9].Summary = "dataset", "玫瑰苑 回收亭 称重 数据"
	for i := range docs {
		if i%5 == 0 {
			docs[i].packed = appendPacked(nil, docs[i].Text)
			docs[i].Text = ""
		}
	}
	var w Writer
	have := map[string][]byte{} // the files written so far, by path
	write := func(step string) {
		t.Helper()
		var got []File
		err := w.Write(docs, func(f File) error {
			if f.Same {
				old, ok := have[f.Path]
				if !ok {
					return fmt.Errorf("%s: Same, but never written", f.Path)
				}
				f.Data = old
			}
			got = append(got, f)
			return nil
		})
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		want, err := Build(docs)
		if err != nil {
			t.Fatal(err)
		}
		sameFiles(t, got, want, "after "+step)
		for _, f := range got {
			have[f.Path] = f.Data
		}
	}
	write("the first index")

	fresh := 0
	next := len(docs)
	word := func() string {
		return fmt.Sprintf("新词%d 补充说明第%d条 word%d", rng.IntN(1000), rng.IntN(50), rng.IntN(99))
	}
	type edit struct {
		name string
		do   func(i int) int // returns the documents it changed
	}
	edits := []edit{
		{"text", func(i int) int {
			docs[i].Text, docs[i].packed = docs[i].unpacked()+word(), nil
			return 1
		}},
		{"packed text", func(i int) int {
			docs[i].packed, docs[i].Text = appendPacked(nil, docs[i].unpacked()+word()), ""
			return 1
		}},
		{"title", func(i int) int { docs[i].Title = "新标题 " + word(); return 1 }},
		{"tags", func(i int) int { docs[i].Tags = append(slices.Clip(docs[i].Tags), word()); return 1 }},
		{"summary", func(i int) int { docs[i].Summary = word(); return 1 }},
		{"newest story", func(int) int {
			docs = append(docs, Doc{URL: fmt.Sprintf("/news/new-%d/", next), Title: "新闻 " + word(), Kind: "story", Text: word(), Date: time.Date(2027, 1, 1+next%28, 0, 0, 0, 0, time.UTC)})
			next++
			return 1
		}},
		{"oldest story", func(int) int {
			docs = append(docs, Doc{URL: fmt.Sprintf("/news/old-%d/", next), Title: "旧闻", Kind: "story", Text: word(), Date: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)})
			next++
			return 1
		}},
		{"removed", func(i int) int { docs = slices.Delete(docs, i, i+1); return 1 }},
		{"moved", func(i int) int { docs[i].Date = docs[i].Date.AddDate(0, 0, 40); return 1 }},
		{"kind", func(i int) int { docs[i].Kind = "album"; return 1 }},
		{"nothing", func(int) int { return 0 }},
		{"many", func(int) int {
			for j := 0; j < len(docs)/4; j++ {
				k := rng.IntN(len(docs))
				docs[k].Title += "改"
			}
			return len(docs) / 4
		}},
	}
	counts := map[string]int{}
	// Edits in place keep every id: phase 2 and the text packs are
	// reused where they hold, and the comparison with Build above is what
	// says they were right to.
	inPlace := map[string]bool{"text": true, "packed text": true, "title": true, "tags": true, "summary": true, "nothing": true}
	var reused reuseCount
	keptTexts := 0
	headsMade, heads := 0, 0 // after edits in place that kept the texts
	for step := range 80 {
		e := edits[rng.IntN(len(edits))]
		changed := e.do(rng.IntN(len(docs)))
		if step%7 == 6 {
			var next Writer
			if err := next.Recall(w.Memory().Bytes()); err != nil {
				t.Fatalf("step %d: Recall(Memory()) = %v", step, err)
			}
			w = next
		}
		write(fmt.Sprintf("step %d (%s)", step, e.name))
		counts[e.name]++
		switch {
		case e.name == "many":
			if w.tokenized != len(docs) {
				t.Errorf("step %d: %d documents tokenized after %d changed, want all %d", step, w.tokenized, changed, len(docs))
			}
		case w.tokenized > changed:
			t.Errorf("step %d (%s): %d documents tokenized, want at most %d", step, e.name, w.tokenized, changed)
		default:
			fresh++
		}
		if inPlace[e.name] {
			reused.same += w.reused.same
			reused.spliced += w.reused.spliced
			if w.keptTexts {
				keptTexts++
				headsMade += w.headsMade
				heads += len(w.heads)
			}
		} else if w.reused != (reuseCount{}) || w.keptTexts {
			t.Errorf("step %d (%s): reused %+v, texts kept %v, after an edit that moved documents", step, e.name, w.reused, w.keptTexts)
		}
	}
	if fresh < 50 {
		t.Errorf("only %d of 80 steps updated the kept postings", fresh)
	}
	if reused.same == 0 || reused.spliced == 0 || keptTexts == 0 {
		t.Errorf("edits in place reused %+v terms and kept the texts %d times: the reuse paths went untested", reused, keptTexts)
	}
	// Such an edit changes a chunk of the document table or none: the
	// others are the last index's, and are not made again.
	if headsMade*4 > heads {
		t.Errorf("edits in place that kept the texts made %d chunks of the document table of %d", headsMade, heads)
	}
	t.Logf("edits in place reused %+v terms, kept the texts %d times, made %d chunks of %d", reused, keptTexts, headsMade, heads)
	t.Logf("edits: %v", counts)
}

func TestIncreasing(t *testing.T) {
	for _, c := range []struct {
		in   []int32
		want int // length of the run
	}{
		{nil, 0},
		{[]int32{-1, -1}, 0},
		{[]int32{0, 1, 2, 3}, 4},
		{[]int32{3, 0, 1, 2}, 3},
		{[]int32{1, 2, 3, 0}, 3},
		{[]int32{0, -1, 5, 1, 2, -1, 3}, 4},
		{[]int32{4, 3, 2, 1}, 1},
		{[]int32{0, 2, 1, 3}, 3},
	} {
		in := increasing(c.in)
		n, last := 0, int32(-1)
		for i, ok := range in {
			if !ok {
				continue
			}
			if c.in[i] <= last {
				t.Errorf("increasing(%v) = %v: not increasing", c.in, in)
			}
			last = c.in[i]
			n++
		}
		if n != c.want {
			t.Errorf("increasing(%v) marks %d, want %d", c.in, n, c.want)
		}
	}
}

// TestWriterKeepsBounded: past keepBytes of postings the Writer keeps
// none, and tokenizes everything next time.
func TestWriterKeepsBounded(t *testing.T) {
	defer func(n int) { keepBytes = n }(keepBytes)
	keepBytes = 1 << 10
	docs := benchDocs(50)
	var w Writer
	for range 2 {
		if err := w.Write(docs, func(File) error { return nil }); err != nil {
			t.Fatal(err)
		}
		if w.kept != nil || w.tokenized != len(docs) {
			t.Fatalf("kept %v, tokenized %d of %d, with postings over the bound", w.kept != nil, w.tokenized, len(docs))
		}
	}
}

// FuzzRecall: no memory, however damaged, makes Recall or the next
// Write panic or fail; a Memory recalled encodes the same again.
func FuzzRecall(f *testing.F) {
	docs := benchDocs(30)
	var w Writer
	if err := w.Write(docs, func(File) error { return nil }); err != nil {
		f.Fatal(err)
	}
	mem := w.Memory().Bytes()
	f.Add(mem)
	f.Add(mem[:len(mem)/2])
	f.Add([]byte(memoryMagic))
	f.Fuzz(func(t *testing.T, b []byte) {
		var w Writer
		if err := w.Recall(b); err != nil {
			if w.last != nil || w.kept != nil {
				t.Fatal("a failed Recall remembers something")
			}
			return
		}
		mem := w.Memory().Bytes()
		if len(mem) != w.Memory().Size() {
			t.Fatalf("Memory is %d bytes, Size says %d", len(mem), w.Memory().Size())
		}
		var again Writer
		if err := again.Recall(mem); err != nil {
			t.Fatalf("Recall(Memory()) = %v", err)
		}
		if m := again.Memory().Bytes(); !bytes.Equal(m, mem) {
			t.Fatalf("Memory after Recall differs: %d bytes, recalled %d", len(m), len(mem))
		}
		if err := w.Write(docs, func(File) error { return nil }); err != nil {
			t.Fatal(err)
		}
	})
}

// TestEditKeepsOtherImpacts: words added to one document leave the
// impact of every other document's postings as it was, so that the
// shards of terms the edited document does not have keep their names.
// With the exact average length BM25 divides by, the edit below moves
// the average by about 1% and rounds some of the 200 other documents'
// impacts the other way.
func TestEditKeepsOtherImpacts(t *testing.T) {
	docs := make([]Doc, 200)
	for i := range docs {
		docs[i] = Doc{URL: fmt.Sprintf("/news/%d/", i), Title: fmt.Sprintf("标题 only%d", i), Kind: "story", Date: day(1 + i%28),
			Text: strings.Repeat(fmt.Sprintf("w%d ", i), 1+i%9) + strings.Repeat("公共 ", 20+i%37)}
	}
	impacts := func() map[string]map[int]byte {
		x, _ := memIndex(t, docs)
		out := map[string]map[int]byte{}
		for i := range docs {
			term := fmt.Sprintf("w%d", i)
			p, err := x.term(term)
			if err != nil {
				t.Fatal(err)
			}
			m := map[int]byte{}
			if err := p.each(func(doc int, q byte) { m[doc] = q }); err != nil {
				t.Fatal(err)
			}
			if len(m) != 1 {
				t.Fatalf("%s is in %d documents, want 1", term, len(m))
			}
			out[term] = m
		}
		return out
	}
	before := impacts()
	docs[0].Text += strings.Repeat(" 新增 ", 40)
	after := impacts()
	for term, m := range before {
		if term == "w0" {
			continue
		}
		if !maps.Equal(m, after[term]) {
			t.Errorf("%s: impacts %v before an edit of another document, %v after", term, m, after[term])
		}
	}
}

func TestAverageLength(t *testing.T) {
	for total := uint64(1); total < 1<<24; total = total*3/2 + 1 {
		for _, n := range []int{1, 7, 1000} {
			avg := averageLength(total, n)
			exact := float64(total) / float64(n)
			if avg > exact || avg < exact*0.96 {
				t.Errorf("averageLength(%d, %d) = %g, exact %g", total, n, avg, exact)
			}
		}
	}
	if averageLength(0, 0) != 1 || averageLength(5, 0) != 1 {
		t.Error("the average of nothing is not 1")
	}
}

// TestImpacts holds phase 2 of Write (the impact table, the direct dense
// path) to the formula applied to every posting.
func TestImpacts(t *testing.T) {
	docs := benchDocs(300)
	docs[5].Text = strings.Repeat("积分 ", 90) // a weighted tf past the table
	// A word in half the documents, some far apart: dense by the size
	// of its postings, not by its count.
	for i := range 140 {
		docs[i].Text += " sizedense"
	}
	for i := 150; i < 300; i += 15 {
		docs[i].Text += " sizedense"
	}
	order := make([]int, len(docs))
	for i := range order {
		order[i] = i
	}
	dl := make([]uint32, len(docs))
	x := index(docs, order, 0, len(docs), dl)
	var total uint64
	for _, n := range dl {
		total += uint64(n)
	}
	avg := averageLength(total, len(docs))
	want := map[string]map[int64]uint64{}
	bigTF, direct := 0, 0
	for _, tm := range x.terms {
		m := map[int64]uint64{}
		doc := int64(-1)
		for b := tm.buf; len(b) > 0; {
			d, tf, rest, _ := nextPair(b)
			b, doc = rest, doc+int64(d)
			m[doc] = impact(tf, bm25K1*(1-bm25B+bm25B*float64(dl[doc])/avg))
			if tf >= impactTF {
				bigTF++
			}
		}
		want[tm.text] = m
		if int(tm.df) > (len(docs)+1)/2 {
			direct++
		}
	}
	x.impacts(dl, avg, true, nil)
	dense := 0
	for _, tm := range x.terms {
		got := map[int64]uint64{}
		if tm.dense {
			dense++
			for i, b := range tm.buf {
				for k, v := range []byte{b & 15, b >> 4} {
					if v != 0 {
						got[int64(2*i+k)] = uint64(v)
					}
				}
			}
		} else {
			doc := int64(-1)
			for b := tm.buf; len(b) > 0; {
				v, n := binary.Uvarint(b)
				b = b[n:]
				doc += int64(v >> 4)
				got[doc] = v & 15
			}
		}
		if !maps.Equal(got, want[tm.text]) {
			t.Fatalf("%q: impacts %v, want %v", tm.text, got, want[tm.text])
		}
	}
	if bigTF == 0 || direct == 0 || dense == direct {
		t.Errorf("postings past the table: %d; dense: %d, %d of them for sure; want some of each and some dense found by size", bigTF, dense, direct)
	}
}

// TestWriterDamagedPostings: kept postings that name a document past the
// last (damage no checksum caught) make the Writer index every document
// again, to the index a fresh Write makes, not panic or write them. The
// bad posting follows the last good one, where merging copies a list
// without reading it: phase 2 is what finds it.
func TestWriterDamagedPostings(t *testing.T) {
	docs := benchDocs(200)
	var w Writer
	have := map[string][]byte{}
	if err := w.Write(docs, func(f File) error { have[f.Path] = f.Data; return nil }); err != nil {
		t.Fatal(err)
	}
	var again Writer
	if err := again.Recall(w.Memory().Bytes()); err != nil {
		t.Fatal(err)
	}
	// The changed document is the first (the newest): the list of a
	// term it does not have, before or after, is not read by merging,
	// only by phase 2, which the average length changing makes compute
	// every term again.
	first := 0
	for i, d := range docs {
		if d.Date.After(docs[first].Date) || d.Date.Equal(docs[first].Date) && d.URL < docs[first].URL {
			first = i
		}
	}
	edited := docs[first]
	edited.Text += strings.Repeat(" 补充说明一句新的内容", 2000)
	touched := map[string]bool{}
	for _, d := range []Doc{docs[first], edited} {
		x := newIndexer()
		x.addDoc(&d)
		for _, tm := range x.terms {
			touched[tm.text] = true
		}
	}
	damaged := 0
	for i := range again.kept.terms {
		tm := &again.kept.terms[i]
		if !touched[tm.text] {
			tm.buf = binary.AppendUvarint(binary.AppendUvarint(slices.Clip(tm.buf), uint64(int32(len(docs))-tm.last)), 1)
			damaged++
		}
	}
	if damaged == 0 {
		t.Fatal("no term to damage")
	}
	docs[first] = edited
	var got []File
	if err := again.Write(docs, func(f File) error {
		if f.Same {
			f.Data = have[f.Path]
		}
		got = append(got, f)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if again.tokenized != len(docs) {
		t.Errorf("%d documents tokenized after damaged postings, want all %d", again.tokenized, len(docs))
	}
	want, err := Build(docs)
	if err != nil {
		t.Fatal(err)
	}
	sameFiles(t, got, want, "after damaged postings")
}

// readToSlow is readTo one pair at a time, with nextPair: what readTo
// must agree with.
func readToSlow(b []byte, head int64, maxDelta uint64) (cut int, doc int64, read int32, ok bool) {
	doc = -1
	for cut < len(b) {
		d, _, rest, ok := nextPair(b[cut:])
		if !ok || d == 0 || d > maxDelta {
			return 0, 0, 0, false
		}
		if doc+int64(d) >= head {
			break
		}
		doc += int64(d)
		cut = len(b) - len(rest)
		read++
	}
	return cut, doc, read, true
}

func TestReadTo(t *testing.T) {
	pairs := func(p ...uint64) []byte {
		var b []byte
		for _, x := range p {
			b = binary.AppendUvarint(b, x)
		}
		return b
	}
	long := pairs(1, 1, 2, 3, 1, 1, 4, 2, 1, 1, 1, 1, 3, 1, 200, 5, 1, 300, 2, 1, 1, 1)
	for _, tc := range []struct {
		name     string
		b        []byte
		head     int64
		maxDelta uint64
		cut      int
		doc      int64
		read     int32
		ok       bool
	}{
		{"empty", nil, 10, 100, 0, -1, 0, true},
		{"before the first", pairs(5, 1), 4, 100, 0, -1, 0, true},
		{"through all", pairs(1, 1, 2, 1), 100, 100, 4, 2, 2, true},
		{"stops at head", long, 8, 1000, 8, 7, 4, true},
		{"word, then pair by pair", long, 12, 1000, 12, 9, 6, true},
		{"past a long delta and value", long, 1000, 1000, len(long), 9 + 3 + 200 + 1 + 2 + 1, 11, true},
		{"a delta past maxDelta", long, 1000, 100, 0, 0, 0, false},
		{"a zero delta in a word", pairs(1, 1, 0, 1, 1, 1, 1, 1), 100, 100, 0, 0, 0, false},
		{"a zero delta past head", pairs(1, 1, 5, 1, 0, 1, 1, 1), 3, 100, 2, 0, 1, true},
		{"cut short", []byte{1, 1, 2, 0x80}, 100, 100, 0, 0, 0, false},
	} {
		cut, doc, read, ok := readTo(tc.b, tc.head, tc.maxDelta)
		if cut != tc.cut || doc != tc.doc || read != tc.read || ok != tc.ok {
			t.Errorf("%s: readTo = %d, %d, %d, %v; want %d, %d, %d, %v", tc.name, cut, doc, read, ok, tc.cut, tc.doc, tc.read, tc.ok)
		}
		if c, d, r, o := readToSlow(tc.b, tc.head, tc.maxDelta); c != cut || d != doc || r != read || o != ok {
			t.Errorf("%s: readTo = %d, %d, %d, %v; one pair at a time %d, %d, %d, %v", tc.name, cut, doc, read, ok, c, d, r, o)
		}
	}
}

// FuzzReadTo: readTo reads any bytes as readToSlow does.
func FuzzReadTo(f *testing.F) {
	f.Add([]byte{1, 1, 2, 3, 1, 1, 4, 2, 1, 1, 0x81, 1, 5}, int64(9), uint64(200))
	f.Add([]byte{1, 1, 0, 1, 1, 1, 1, 1, 1}, int64(100), uint64(5))
	f.Fuzz(func(t *testing.T, b []byte, head int64, maxDelta uint64) {
		cut, doc, read, ok := readTo(b, head, maxDelta)
		c, d, r, o := readToSlow(b, head, maxDelta)
		if cut != c || doc != d || read != r || ok != o {
			t.Fatalf("readTo = %d, %d, %d, %v; one pair at a time %d, %d, %d, %v", cut, doc, read, ok, c, d, r, o)
		}
	})
}

// TestWriterWrongHeads: a Writer whose remembered sums of the document
// table's chunks are wrong (as a damaged memory would be) still writes
// the index a fresh Write does.
func TestWriterWrongHeads(t *testing.T) {
	docs := benchDocs(300)
	var w Writer
	have := map[string][]byte{}
	collect := func(got *[]File) func(File) error {
		return func(f File) error {
			if f.Same {
				old, ok := have[f.Path]
				if !ok {
					return fmt.Errorf("%s: Same, but never written", f.Path)
				}
				f.Data = old
			}
			*got = append(*got, f)
			return nil
		}
	}
	var first []File
	if err := w.Write(docs, collect(&first)); err != nil {
		t.Fatal(err)
	}
	for _, f := range first {
		have[f.Path] = f.Data
	}
	if len(w.heads) < 3 {
		t.Fatalf("%d chunks in the document table: too few to test", len(w.heads))
	}
	for k := range w.heads {
		w.heads[k] ^= 1
	}
	docs[100].Text += "补充说明"
	var got []File
	if err := w.Write(docs, collect(&got)); err != nil {
		t.Fatal(err)
	}
	if w.headsMade < len(w.heads) {
		t.Errorf("made %d chunks of %d with every remembered sum wrong", w.headsMade, len(w.heads))
	}
	want, err := Build(docs)
	if err != nil {
		t.Fatal(err)
	}
	sameFiles(t, got, want, "with wrong sums")
}
