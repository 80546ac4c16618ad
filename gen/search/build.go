package search

import (
	"bytes"
	"cmp"
	"compress/flate"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/cespare/xxhash/v2"

	"gongjian/gen/internal/parallel"
	"gongjian/gen/outpath"
)

// Doc is one page to find.
type Doc struct {
	URL     string // site path, e.g. /news/slug/
	Title   string
	Kind    string // story, topic, place (a compound's page), dataset or album
	Summary string
	Text    string // plain text of the body
	Tags    []string
	Date    time.Time
	// packed, when not nil, holds the text instead of Text (see
	// appendPacked): the feature keeps the text of every page it saw so.
	// It is what appendPacked gave, or what a record kept of it (which
	// the record's checksum vouches for): reading stops at anything
	// appendUnpacked cannot read, with no panic.
	packed []byte
}

// textStart returns the start of the document's text, at least n bytes
// of it when it has them, and whether the text goes on after that with
// anything but line breaks.
func (d *Doc) textStart(n int) (string, bool) {
	if d.packed == nil {
		return d.Text, false
	}
	b, rest, _ := appendUnpacked(nil, d.packed, n)
	// A line break packs as the byte '\n'; the code of any other
	// character has a byte that is not.
	return string(b), len(bytes.TrimLeft(rest, "\n")) > 0
}

// code is the document's text, packed.
func (d *Doc) code() []byte {
	if d.packed != nil {
		return d.packed
	}
	return appendPacked(nil, d.Text)
}

// File is one output file, its path relative to the site root.
type File struct {
	Path string
	Data []byte
	// Same says the file is one the Writer's last index had, with the
	// same name and content: Data is nil, and the file written then
	// serves.
	Same bool
}

// A Writer writes one index after another, remembering the compressed
// files of the last by the hash of their content before compression, so
// that the next compresses only the files whose name and content are not
// as they were: after a small edit, the files of the groups (fileNames)
// that no changed file is in. It also keeps the last index's postings
// (keptIndex), so that after a small edit only the changed documents
// are tokenized. The zero Writer remembers nothing. One goroutine at a
// time may use a Writer.
type Writer struct {
	last map[uint64]string // xxhash of a file's base and uncompressed content → its name
	kept *keptIndex        // the last index's postings, for the next to update
	// heads maps what a chunk of the last index's document table was
	// made from (headsKey) to its sum (contentSum): a chunk made from
	// the same is not made again unless it must be written.
	heads     map[uint64]uint64
	headsMade int // by the last Write: chunks of the document table made
	tokenized int // by the last Write
	// By the last Write: how many terms took what phase 2 made of them
	// the time before, and whether the text packs were the last index's.
	reused    reuseCount
	keptTexts bool
}

// reuseCount counts the terms whose impacts phase 2 took from the last
// index: as they were, or dense with the changed documents' nibbles
// changed.
type reuseCount struct{ same, spliced int }

// Tokenized is the number of documents the last Write tokenized: all of
// them unless it updated the postings it kept.
func (w *Writer) Tokenized() int { return w.tokenized }

// Tuning of the index. The browser fetches one shard per query token and one
// chunk per result shown, so these sizes bound what a query downloads.
const (
	shardTarget  = 4 << 10 // average postings bytes per shard
	chunkTarget  = 3584    // average bytes of document table per chunk, before compression
	snippetBytes = 510     // summary and text shipped per document for snippets: about 170 Chinese characters
	headBytes    = 600     // title or summary shipped per document: about 200 Chinese characters

	// Weights of a token occurrence by field: the title boost of BM25F.
	titleWeight = 3
	tagWeight   = 2

	bm25K1 = 1.2
	bm25B  = 0.75
	levels = 15 // impacts are quantised to 1..levels
)

// averageLength is the documents' average weighted length, which BM25
// divides each document's length by, rounded down to its 6 leading bits
// (steps of 1.6-3.1%, which change an impact by at most about a third of
// its rounding step, 1/15). Unrounded, a few words added to one story
// moved the average enough to round some impact of other documents the
// other way, and an edit of one story on 10,000 then renamed 223 shards
// instead of 22 (make bench-site, files changed after one story changed).
func averageLength(total uint64, docs int) float64 {
	if docs == 0 || total == 0 {
		return 1
	}
	avg := min(total, 1<<47) << 16 / uint64(docs) // in 65536ths
	if avg == 0 {
		return float64(total) / float64(docs)
	}
	if shift := bits.Len64(avg) - 6; shift > 0 {
		avg = avg >> shift << shift
	}
	return float64(avg) / (1 << 16)
}

// Dir is where the files go, relative to the site root.
const Dir = outpath.SearchDir

// term is one distinct token of the collection.
type term struct {
	text string
	df   int32
	last int32  // last doc appended, for delta coding
	buf  []byte // phase 1: varint(doc delta), varint(weighted tf)
	// phase 2: buf is dense, an impact per document (0: absent), two to a
	// byte, low nibble first: smaller than varints for a common term.
	dense bool
	size  int32 // phase 2: what impacts counted for the term's shard
	// The documents with the term in their title: varint(doc delta),
	// varint(title length in characters, at most 255), so that a title
	// that is the query ranks first.
	tbuf  []byte
	tlast int32
}

// pieceBytes bounds what one file carries of one term's postings: past
// their first pieceBytes bytes, a term's postings and title postings (one
// stream) are cut into pieces of pieceBytes, each in a file of pieces of
// its shard (more-N), which the browser fetches with the shard when the
// query has that term. A term in most documents has about N/2 bytes of
// postings (dense); without pieces, its shard would grow with the corpus.
// A variable so that a test can cut small pieces; meta.json says it.
var pieceBytes = 16 << 10

// pieces is the number of pieces of the term's postings, at least 1.
func (t *term) pieces() int {
	return max(1, (len(t.buf)+len(t.tbuf)+pieceBytes-1)/pieceBytes)
}

// appendPiece appends piece k of the term's postings and title postings,
// nothing if it has none.
func (t *term) appendPiece(out []byte, k int) []byte {
	n, lo := len(t.buf), k*pieceBytes
	hi := min(lo+pieceBytes, n+len(t.tbuf))
	if lo >= hi {
		return out
	}
	if lo < n {
		out = append(out, t.buf[lo:min(hi, n)]...)
	}
	if hi > n {
		out = append(out, t.tbuf[max(lo, n)-n:hi-n]...)
	}
	return out
}

// indexer collects the postings of a run of documents.
type indexer struct {
	terms  []term
	uni    *runeTable[int32] // single character → term+1
	big    pairTable
	words  map[string]int32
	tf     []uint32 // per term, for the current doc
	seen   []int32  // terms touched by the current doc
	titled int      // seen[:titled] are in the current doc's title
	tlen   uint64   // the current doc's title length in characters
}

func (x *indexer) newTerm(text string) int32 {
	x.terms = append(x.terms, term{text: text, last: -1, tlast: -1})
	x.tf = append(x.tf, 0)
	return int32(len(x.terms) - 1)
}

func (x *indexer) count(id int32, w uint32) {
	if x.tf[id] == 0 {
		x.seen = append(x.seen, id)
	}
	x.tf[id] += w
}

// addText tokenizes s into the current document with weight w and returns
// the weighted number of tokens.
func (x *indexer) addText(s string, w uint32) uint32 {
	return x.addRuns(func(fn func([]rune, bool)) { scanRuns(s, fn) }, w)
}

// addRuns counts the terms of the runs scan reports, with weight w, and
// returns their weighted number.
func (x *indexer) addRuns(scan func(fn func([]rune, bool)), w uint32) uint32 {
	var n uint32
	scan(func(rs []rune, cjk bool) {
		if !cjk {
			id, ok := x.words[string(rs)]
			if !ok {
				id = x.newTerm(string(rs))
				x.words[x.terms[id].text] = id
			}
			x.count(id, w)
			n += w
			return
		}
		for i, r := range rs {
			x.count(x.unigram(r), w)
			n += w
			if i+1 < len(rs) {
				r2 := rs[i+1]
				p := x.big.slot(uint64(r)<<21 | uint64(r2))
				if *p == 0 {
					*p = x.newTerm(string([]rune{r, r2})) + 1
				}
				x.count(*p-1, w)
			}
		}
	})
	return n
}

func (x *indexer) unigram(r rune) int32 {
	id := x.uni.at(r)
	if id == 0 {
		id = x.newTerm(string(r)) + 1
		x.uni.set(r, id)
	}
	return id - 1
}

// pairTable maps a pair of runes (packed into 42 bits, never 0) to a term
// id + 1: open addressing with linear probing, several times faster than a
// Go map on this hot path.
type pairTable struct {
	keys []uint64
	vals []int32
	n    int
}

// slot returns where the value for key lives, 0 if new.
func (t *pairTable) slot(key uint64) *int32 {
	if t.n*2 >= len(t.keys) {
		t.grow()
	}
	mask := uint64(len(t.keys) - 1)
	for i := (key * 0x9E3779B97F4A7C15) >> 20 & mask; ; i = (i + 1) & mask {
		switch t.keys[i] {
		case key:
			return &t.vals[i]
		case 0:
			t.keys[i] = key
			t.n++
			return &t.vals[i]
		}
	}
}

func (t *pairTable) grow() {
	old, oldVals := t.keys, t.vals
	size := max(1<<14, 2*len(old))
	t.keys, t.vals, t.n = make([]uint64, size), make([]int32, size), 0
	for i, k := range old {
		if k != 0 {
			*t.slot(k) = oldVals[i]
		}
	}
}

// packTarget is the bytes of coded texts per pack; a variable so that a
// test can make many packs of few documents.
var packTarget = 256 << 10

// minSplit is the number of documents from which Build tokenizes in two
// halves; a variable so that a test can compare with one piece.
var minSplit = 1000

// index tokenizes the documents order[lo:hi], whose ids are their
// positions in order, and sets their lengths in dl.
func index(docs []Doc, order []int, lo, hi int, dl []uint32) *indexer {
	x := newIndexer()
	for i := lo; i < hi; i++ {
		dl[i] = x.addDoc(&docs[order[i]])
		x.endDoc(int32(i))
	}
	return x
}

func newIndexer() *indexer {
	return &indexer{uni: newRuneTable[int32](), words: make(map[string]int32, 1<<12)}
}

// addDoc tokenizes d as the current document and returns its weighted
// length; endDoc appends its postings.
func (x *indexer) addDoc(d *Doc) uint32 {
	n := x.addText(d.Title, titleWeight)
	x.titled, x.tlen = len(x.seen), uint64(min(255, utf8.RuneCountInString(d.Title)))
	n += x.addText(d.Summary, 1)
	if d.packed != nil {
		n += x.addRuns(func(fn func([]rune, bool)) { scanPackedRuns(d.packed, fn) }, 1)
	} else {
		n += x.addText(d.Text, 1)
	}
	for _, tag := range d.Tags {
		n += x.addText(tag, tagWeight)
	}
	return n
}

// merge appends the postings of y, which indexed documents after all of
// x's, to x's.
func (x *indexer) merge(y *indexer) {
	ids := make(map[string]int32, len(x.terms))
	for id := range x.terms {
		ids[x.terms[id].text] = int32(id)
	}
	for i := range y.terms {
		yt := &y.terms[i]
		if yt.df == 0 {
			continue
		}
		id, ok := ids[yt.text]
		if !ok {
			x.terms = append(x.terms, *yt)
			continue
		}
		t := &x.terms[id]
		// y's first delta counts from -1; make it count from t.last.
		first, n := binary.Uvarint(yt.buf)
		t.buf = binary.AppendUvarint(t.buf, first-1-uint64(t.last))
		t.buf = append(t.buf, yt.buf[n:]...)
		t.df += yt.df
		t.last = yt.last
		if len(yt.tbuf) > 0 {
			first, n := binary.Uvarint(yt.tbuf)
			t.tbuf = binary.AppendUvarint(t.tbuf, first-1-uint64(t.tlast))
			t.tbuf = append(t.tbuf, yt.tbuf[n:]...)
			t.tlast = yt.tlast
		}
	}
}

// endDoc appends the current document's postings.
func (x *indexer) endDoc(doc int32) {
	for i, id := range x.seen {
		t := &x.terms[id]
		if i < x.titled {
			t.tbuf = binary.AppendUvarint(t.tbuf, uint64(doc-t.tlast))
			t.tbuf = binary.AppendUvarint(t.tbuf, x.tlen)
			t.tlast = doc
		}
		t.buf = binary.AppendUvarint(t.buf, uint64(doc-t.last))
		t.buf = binary.AppendUvarint(t.buf, uint64(x.tf[id]))
		t.last = doc
		t.df++
		x.tf[id] = 0
	}
	x.seen, x.titled = x.seen[:0], 0
}

// impactTF is the weighted term frequencies below which impacts
// computes each document's impacts once, in a table, rather than for
// each posting: at most 32 a document, 3.2 MB for 100,000. With the
// dense lists written in one pass, it takes BenchmarkBuild's CPU from
// 1,039-1,061 to 882-922 ms/op.
const impactTF = 32

// impact quantises the BM25 term-frequency part, with the document's
// length normalisation norm folded in, to 1..levels.
func impact(tf uint64, norm float64) uint64 {
	f := float64(tf)
	w := f * (bm25K1 + 1) / (f + norm) / (bm25K1 + 1)
	return max(1, min(levels, uint64(math.Round(w*levels))))
}

// impacts is phase 2 of Write: it turns each term's postings (delta, tf)
// into (delta, quantised impact), so that the browser needs no document
// lengths, or into an impact per document, two to a byte, when that is
// smaller (dense). It returns what the shard count follows: the varint
// size of each term's postings, up to a piece (a shard then has as many
// terms as with no dense lists; past a piece, the postings are in files
// of pieces, not in the shard), counted as one byte a document for a term
// in most documents. With own, the postings may be written where they
// are; else new buffers are made (the Writer keeps the old). With re, a
// term takes what phase 2 made of it last time when that still holds.
// ok is false when postings do not decode or name a document past dl
// (kept postings, damaged).
func (x *indexer) impacts(dl []uint32, avgdl float64, own bool, re *reuse) (postBytes int, reused reuseCount, ok bool) {
	docs := len(dl)
	// next decodes a posting after doc, if it fits.
	next := func(b []byte, doc int64) (int64, uint64, []byte, bool) {
		delta, tf, rest, ok := nextPair(b)
		doc += int64(delta)
		return doc, tf, rest, ok && delta > 0 && doc < int64(docs)
	}
	norm := func(doc int) float64 { return bm25K1 * (1 - bm25B + bm25B*float64(dl[doc])/avgdl) }
	table := make([]uint8, docs*impactTF)
	for d := range dl {
		n := norm(d)
		for tf := 1; tf < impactTF; tf++ {
			table[d*impactTF+tf] = uint8(impact(uint64(tf), n))
		}
	}
	q := func(doc int64, tf uint64) uint64 {
		if tf < impactTF {
			return uint64(table[doc*impactTF+int64(tf)])
		}
		return impact(tf, norm(int(doc)))
	}
	half := (docs + 1) / 2
	var tmp []byte
	for id := range x.terms {
		t := &x.terms[id]
		last, same, known := re.final(id, avgdl)
		if same {
			t.buf, t.dense, t.size = last.buf, last.dense, last.size
			postBytes += min(int(t.size), pieceBytes)
			reused.same++
			continue
		}
		if int(t.df) > half {
			// Dense for sure (a posting takes a byte at least): the
			// impacts go straight to their nibbles. After an edit in
			// place, only the changed documents' nibbles change.
			dense, postings := make([]byte, half), t.buf
			if known && last.dense && len(last.buf) == half && int(re.prev.terms[re.from[id]].df) > half {
				copy(dense, last.buf)
				for _, doc := range re.changed {
					dense[doc/2] &^= 15 << (4 * (doc % 2))
				}
				postings = re.add[id]
				reused.spliced++
			}
			for doc := int64(-1); len(postings) > 0; {
				var tf uint64
				doc, tf, postings, ok = next(postings, doc)
				if !ok {
					return 0, reused, false
				}
				dense[doc/2] |= byte(q(doc, tf)) << (4 * (doc % 2))
			}
			t.buf, t.dense, t.size = dense, true, t.df
			postBytes += min(int(t.size), pieceBytes)
			continue
		}
		tmp = tmp[:0]
		doc, prev := int64(-1), int64(-1)
		for b := t.buf; len(b) > 0; {
			var tf uint64
			doc, tf, b, ok = next(b, doc)
			if !ok {
				return 0, reused, false
			}
			tmp = binary.AppendUvarint(tmp, uint64(doc-prev)<<4|q(doc, tf))
			prev = doc
		}
		if !own {
			t.buf = nil
		}
		t.buf = append(t.buf[:0], tmp...)
		if half < len(tmp) {
			t.buf, t.dense = slices.Grow(t.buf[:0], half)[:half], true
			clear(t.buf)
			for b, doc := tmp, uint64(0); len(b) > 0; {
				v, k := binary.Uvarint(b)
				b = b[k:]
				doc += v >> 4
				t.buf[(doc-1)/2] |= byte(v&15) << (4 * ((doc - 1) % 2))
			}
		}
		t.size = int32(len(tmp))
		postBytes += min(len(tmp), pieceBytes)
	}
	return postBytes, reused, true
}

// Build indexes docs and returns the files to write under the site root
// (paths start with Dir), in the order Write emits them, meta.json last.
func Build(docs []Doc) ([]File, error) {
	var files []File
	err := Write(docs, func(f File) error {
		files = append(files, f)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return files, nil
}

// kindOrder is the order of the kinds in the document table: ids of one
// kind are a range (meta.json lists them), so that the browser can filter
// results by kind with no more data; ties in rank go to the lower id, so
// topic and data pages before stories.
var kindOrder = []string{"topic", "place", "dataset", "album", "story"}

func kindRank(k string) int {
	if i := slices.Index(kindOrder, k); i >= 0 {
		return i
	}
	return len(kindOrder)
}

// Write indexes docs as Writer.Write does, with nothing remembered: every
// file has its data.
func Write(docs []Doc, emit func(File) error) error {
	var w Writer
	return w.Write(docs, emit)
}

// Write indexes docs and passes each file of the index to emit as soon as
// it is encoded, so that the index is never in memory whole: the text
// packs, the postings shards, the document table, the traditional to
// simplified table and meta.json last. emit is called from one goroutine
// at a time; it may keep the data.
//
// Documents are ordered by kind (topics, datasets, albums, stories, others),
// then newest first, then by URL, so the output does not depend on the
// order of docs. Two documents with one URL, or one without, are an error.
// Write uses up to three goroutines and does not keep docs. A file the
// last index had is passed with Same set and no data (see Writer); w then
// remembers this index's files, or nothing if Write fails.
func (w *Writer) Write(docs []Doc, emit func(File) error) error {
	return w.WriteKeyed(Key(docs), emit)
}

// WriteKeyed is Write of k.Docs, whose keys Key took.
func (w *Writer) WriteKeyed(k Keyed, emit func(File) error) error {
	k = k.keyed()
	docs := k.Docs
	last, prev, lastHeads := w.last, w.kept, w.heads
	w.last, w.kept, w.heads = nil, nil, nil
	w.reused, w.keptTexts = reuseCount{}, false
	order := make([]int, len(docs))
	for i := range order {
		order[i] = i
	}
	// By kind, newest first, then by URL: the rank and the time of each
	// document are taken once, not in every comparison. Only documents
	// with one URL compare equal, which is an error below.
	type sortKey struct {
		rank int
		sec  int64
		nsec int
	}
	sk := make([]sortKey, len(docs))
	for i := range docs {
		sk[i] = sortKey{kindRank(docs[i].Kind), docs[i].Date.Unix(), docs[i].Date.Nanosecond()}
	}
	slices.SortFunc(order, func(a, b int) int {
		ka, kb := &sk[a], &sk[b]
		if c := cmp.Compare(ka.rank, kb.rank); c != 0 {
			return c
		}
		if c := cmp.Compare(kb.sec, ka.sec); c != 0 {
			return c
		}
		if c := cmp.Compare(kb.nsec, ka.nsec); c != 0 {
			return c
		}
		return strings.Compare(docs[a].URL, docs[b].URL)
	})
	var errs []error
	for i := 1; i < len(order); i++ {
		if docs[order[i]].URL == docs[order[i-1]].URL {
			errs = append(errs, fmt.Errorf("search: two documents with the URL %q", docs[order[i]].URL))
		}
	}
	for _, d := range docs {
		if d.URL == "" {
			errs = append(errs, fmt.Errorf("search: document %q has no URL", d.Title))
		}
	}
	if _, err := simplified(); err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}

	// The texts do not depend on the postings: compress them on another
	// core meanwhile, unless the last index's serve. The shards need
	// where each text went.
	textc := make(chan *textPacks, 1)
	pack := func() {
		go func() {
			t := packTexts(docs, order)
			textc <- &t
		}()
	}
	if prev == nil {
		pack()
	}

	// Tokenizing is most of the work. After a small change the postings
	// of the last index serve, with those of the changed documents
	// replaced (keptIndex.update); else two halves of the documents are
	// tokenized on two cores, then the second half's postings appended
	// to the first's.
	dl := make([]uint32, len(docs))
	keys := make([]uint64, len(order)) // by id
	for i, o := range order {
		keys[i] = k.keys[o]
	}
	var (
		x  *indexer
		re *reuse
	)
	updated := false
	if prev != nil {
		x, w.tokenized, re = prev.update(docs, order, keys, dl)
		updated = x != nil
		w.keptTexts = re != nil && re.sameTexts(docs, order)
		if w.keptTexts {
			textc <- prev.texts
		} else {
			pack()
		}
	}
	// tokenizeAll indexes every document: two halves on two cores, the
	// second half's postings then appended to the first's.
	tokenizeAll := func() {
		w.tokenized = len(docs)
		half := len(order) / 2
		if len(order) < minSplit {
			half = len(order)
		}
		second := make(chan *indexer, 1)
		go func() { second <- index(docs, order, half, len(order), dl) }()
		x = index(docs, order, 0, half, dl)
		x.merge(<-second)
	}
	if x == nil {
		tokenizeAll()
	}
	var (
		keep      *keptIndex
		avgdl     float64
		postBytes int
		reused    reuseCount
	)
	phase2 := func() bool {
		// The postings so far are what the next index starts from,
		// unless they are too large to keep; phase 2 leaves kept
		// buffers as they are.
		keep = newKept(x, keys, dl)
		var total uint64
		for _, n := range dl {
			total += uint64(n)
		}
		avgdl = averageLength(total, len(docs))
		// Postings that update kept are the last index's own: they are
		// not written over.
		var ok bool
		postBytes, reused, ok = x.impacts(dl, avgdl, keep == nil && !updated, re)
		return ok
	}
	if !phase2() {
		// Kept postings that do not decode: index everything again, and
		// pack the texts again too.
		updated, re = false, nil
		if w.keptTexts {
			<-textc
			w.keptTexts = false
			pack()
		}
		tokenizeAll()
		phase2()
	}
	w.reused = reused

	texts := <-textc
	if keep != nil {
		keep.keepFinal(x, avgdl, texts)
	}
	z := compressor{last: last, made: make(map[uint64]string, len(last)), emit: emit}
	var names fileNames
	var err error
	// The text packs are kept as they are; the other kinds' files are
	// made in one buffer, and copied out of it for group to keep.
	names.Text, err = z.group("text", upTo(len(texts.packs)), fileGroups, false, func(i int) []byte { return texts.packs[i] })
	if err != nil {
		return err
	}

	nShards := max(1, (postBytes+shardTarget-1)/shardTarget)
	byShard := make([][]int32, nShards)
	for id := range x.terms {
		s := hashTerm(x.terms[id].text) % uint32(nShards)
		byShard[s] = append(byShard[s], int32(id))
	}
	for _, ids := range byShard {
		slices.SortFunc(ids, func(a, b int32) int { return strings.Compare(x.terms[a].text, x.terms[b].text) })
	}
	var out []byte
	// Every shard is written, even an empty one, so that the browser
	// never meets a 404.
	names.Shard, err = z.group("shard", upTo(nShards), shardGroups, true, func(s int) []byte {
		ids := byShard[s]
		out = binary.AppendUvarint(out[:0], uint64(len(ids)))
		for _, id := range ids {
			t := &x.terms[id]
			out = binary.AppendUvarint(out, uint64(len(t.text)))
			out = append(out, t.text...)
			// The document frequency is not written: it is the number of
			// varints, or of non-zero nibbles, of the postings.
			flags := uint64(0)
			if t.dense {
				flags |= 2
			}
			if len(t.tbuf) > 0 {
				flags |= 1
			}
			out = binary.AppendUvarint(out, uint64(len(t.buf))<<2|flags)
			if len(t.tbuf) > 0 {
				out = binary.AppendUvarint(out, uint64(len(t.tbuf)))
			}
		}
		for _, id := range ids {
			out = x.terms[id].appendPiece(out, 0)
		}
		return bytes.Clone(out)
	})
	if err != nil {
		return err
	}
	// The pieces past the first of long postings: piece k ≥ 1 of the terms
	// of shard s is file s×more+k-1, if one of them has it.
	more := 0
	for id := range x.terms {
		more = max(more, x.terms[id].pieces()-1)
	}
	var pieceFiles []int
	for s, ids := range byShard {
		n := 0
		for _, id := range ids {
			n = max(n, x.terms[id].pieces())
		}
		for k := 1; k < n; k++ {
			pieceFiles = append(pieceFiles, s*more+k-1)
		}
	}
	names.More, err = z.group("more", pieceFiles, fileGroups, true, func(f int) []byte {
		out = out[:0]
		for _, id := range byShard[f/more] {
			out = x.terms[id].appendPiece(out, f%more+1)
		}
		return bytes.Clone(out)
	})
	if err != nil {
		return err
	}

	per := docsPerChunk(docs)
	heads := map[uint64]uint64{}
	w.headsMade = 0
	chunkKeys := make([]uint64, (len(order)+per-1)/per)
	for c := range chunkKeys {
		chunkKeys[c] = headsKey(docs, order, keys, texts.at, per, c)
	}
	names.Docs, err = z.groupKnown("docs", upTo(len(chunkKeys)), fileGroups, true, func(c int) []byte {
		w.headsMade++
		end := min(len(order), (c+1)*per)
		out = append(out[:0], '[')
		for i := c * per; i < end; i++ {
			if i > c*per {
				out = append(out, ",\n"...)
			}
			out = append(out, '[')
			out = appendHead(out, &docs[order[i]], texts.at[i])
			out = append(out, ']')
		}
		out = append(out, "]\n"...)
		return bytes.Clone(out)
	}, func(c int) (uint64, bool) {
		sum, ok := lastHeads[chunkKeys[c]]
		return sum, ok
	}, func(c int, sum uint64) { heads[chunkKeys[c]] = sum })
	if err != nil {
		return err
	}

	t2s, err := t2sFile()
	if err != nil {
		return err
	}
	if names.T2S, err = z.single("t2s", t2s, true); err != nil {
		return err
	}

	var chars [charsLen / 8]byte
	for _, t := range x.terms {
		r, n := utf8.DecodeRuneInString(t.text)
		if n == len(t.text) && r >= charsFrom && r < charsFrom+charsLen {
			chars[(r-charsFrom)/8] |= 1 << ((r - charsFrom) % 8)
		}
	}
	pairs, rice, nPairs := encodePairs(x.terms, chars[:])
	wordsAt := len(pairs)
	words, nWords, wmod := encodeWords(x.terms)
	pairs = append(pairs, words...)
	tradAt := len(pairs)
	trad, trice, nTrad, err := foldingChars(chars[:])
	if err != nil {
		return err
	}
	pairs = append(pairs, trad...)
	if names.Pairs, err = z.single("pairs", pairs, false); err != nil {
		return err
	}
	meta := fmt.Appendf(nil, `{"v":6,"docs":%d,"shards":%d,"piece":%d,"more":%d,"per":%d,"pairs":%d,"rice":%d,"words":%d,"wrice":%d,"wmod":%d,"wordsAt":%d,"trad":%d,"trice":%d,"tradAt":%d,"kinds":[`,
		len(docs), nShards, pieceBytes, more, per, nPairs, rice, nWords, wordRice, wmod, wordsAt, nTrad, trice, tradAt)
	for i := 0; i < len(order); {
		k := docs[order[i]].Kind
		j := i
		for j < len(order) && docs[order[j]].Kind == k {
			j++
		}
		if i > 0 {
			meta = append(meta, ',')
		}
		meta = append(meta, '[')
		meta = appendJSONString(meta, k)
		meta = fmt.Appendf(meta, ",%d]", j)
		i = j
	}
	meta = append(meta, `],"topics":[`...)
	for i, n := 0, 0; i < len(order) && docs[order[i]].Kind == "topic"; i++ {
		if n > 0 {
			meta = append(meta, ',')
		}
		n++
		meta = append(meta, '[')
		meta = appendJSONString(meta, docs[order[i]].URL)
		meta = append(meta, ',')
		meta = appendJSONString(meta, clip(docs[order[i]].Title, headBytes))
		meta = append(meta, ']')
	}
	files, err := json.Marshal(names)
	if err != nil {
		return err
	}
	meta = append(meta, `],"files":`...)
	meta = append(meta, files...)
	meta = append(meta, `,"tc":`...)
	meta = appendJSONString(meta, string(texts.table))
	meta = append(meta, `,"chars":"`...)
	meta = base64.StdEncoding.AppendEncode(meta, chars[:])
	meta = append(meta, "\"}\n"...)
	if err := emit(File{Path: Dir + "meta.json", Data: meta}); err != nil {
		return err
	}
	w.last, w.kept, w.heads = z.made, keep, heads
	return nil
}

// headsKey is a hash of what chunk c of the document table, of per
// documents, is made from (appendHead): each document's key (which
// covers its URL and title), day and place in the text packs.
func headsKey(docs []Doc, order []int, keys []uint64, at []textAt, per, c int) uint64 {
	var b []byte
	b = binary.AppendUvarint(b, uint64(per))
	b = binary.AppendUvarint(b, uint64(c))
	for i := c * per; i < min(len(order), (c+1)*per); i++ {
		d := &docs[order[i]]
		_, off := d.Date.Zone()
		b = binary.LittleEndian.AppendUint64(b, keys[i])
		b = binary.AppendVarint(b, d.Date.Unix())
		b = binary.AppendVarint(b, int64(off))
		if d.Date.IsZero() {
			b = append(b, 1)
		} else {
			b = append(b, 0)
		}
		b = binary.AppendUvarint(b, uint64(at[i].pack))
		b = binary.AppendUvarint(b, uint64(at[i].off))
		b = binary.AppendUvarint(b, uint64(at[i].n))
	}
	return xxhash.Sum64(b)
}

// fileNames say the names of the index files in meta.json, in a size
// that does not depend on the number of files: every file but meta.json is
// named after content, so that browsers and caches may keep it for good
// and a deploy that uploads the new files first and meta.json last never
// mixes two indexes under one reader (package deploy uploads meta.json
// with the feeds, after every content-hashed file).
//
// The files of a kind (shard, more, docs, text) fall into at most
// shardGroups or fileGroups groups, file i into group i mod the number of groups, and each is named
// after its group: shard-1f.GROUP.bin, GROUP being 8 hex digits of a hash
// of the contents of every file of the group. The kind's field is the
// groups' hashes one after the other, so that the browser finds any
// file's name with no other fetch (fileName), and a change to one file
// renames only the files of its group.
type fileNames struct {
	Shard string `json:"shard"`
	Docs  string `json:"docs"`
	Text  string `json:"text"`
	More  string `json:"more"`
	T2S   string `json:"t2s"`
	Pairs string `json:"pairs"`
}

// fileGroups is the most groups the files of one kind but the shards fall
// into, shardGroups the most the shards do: meta.json carries 8 hex
// digits for each (8 KiB at most in all). More groups rename fewer files
// when one changes. A story's terms hash to shards all over, and an edit
// changes the postings of tens of them (with its length, the impacts of
// its terms): an edit that changes 60 shards renames the shards of about
// 60 groups, 11% of them at 512 groups, 37% at 128. The document chunks
// and text packs that an edit changes are next to each other: few groups.
const (
	fileGroups  = 128
	shardGroups = 512
)

// groupHashLen is the hex digits of a group's hash in a file name: the
// length deploy knows content-hashed names by.
const groupHashLen = outpath.HashLen

// fileName is the name of file i of kind, whose groups' hashes are groups
// (a field of fileNames), or "" if groups is not a whole number of hashes.
func fileName(kind string, i int, groups string) string {
	n := len(groups) / groupHashLen
	if n == 0 || len(groups)%groupHashLen != 0 || i < 0 {
		return ""
	}
	g := i % n
	return kind + "-" + strconv.FormatUint(uint64(i), 16) + "." + groups[g*groupHashLen:(g+1)*groupHashLen] + ".bin"
}

// The characters the site contains, as a bitmap in meta.json: a query with
// a pair of characters one of which is not there needs no shard to know
// that the pair is absent. The bitmap covers CJK Extension A and the
// Unified Ideographs; other characters count as present.
const (
	charsFrom = 0x3400
	charsLen  = 0xA000 - 0x3400
)

// compressor names, deflates (raw DEFLATE, which the browser's
// DecompressionStream("deflate-raw") reads) and emits the files of an
// index, reusing its state; a file whose name and content the last index
// had is emitted as Same, with no data (see Writer).
type compressor struct {
	last map[uint64]string // of the last index
	made map[uint64]string // of this one
	emit func(File) error

	mu    sync.Mutex
	spare []*deflater // for the next files' goroutines
}

// member is one file of a group being emitted: file num, its content
// made (made) only when it is needed if its sum was known.
type member struct {
	name    string
	num     int
	sum     uint64
	content []byte
	made    bool
}

// group emits the files of kind numbered nums (ascending), file i with
// content(i) (before compression when deflate), in at most groups groups
// (see fileNames), and returns the groups' hashes. content's result is
// kept until its group is emitted: one in groups of the kind's files at a
// time.
func (z *compressor) group(kind string, nums []int, groups int, deflate bool, content func(i int) []byte) (string, error) {
	return z.groupKnown(kind, nums, groups, deflate, content, nil, nil)
}

// groupKnown is group where known, unless nil, gives the sum of file i's
// content when it knows it (the last index's, for the same inputs), and
// content(i) is then called only if the file is not the last index's
// under its name. sums, unless nil, is told every file's sum. A known
// sum that is not the content's, should content be called, is not used:
// the group is made again from every file's content.
func (z *compressor) groupKnown(kind string, nums []int, groups int, deflate bool, content func(i int) []byte, known func(i int) (uint64, bool), sums func(i int, sum uint64)) (string, error) {
	g := min(len(nums), groups)
	byGroup := make([][]int, g)
	for _, i := range nums {
		byGroup[i%g] = append(byGroup[i%g], i)
	}
	hashes := make([]byte, 0, g*groupHashLen)
	var members []member
	base := func(i int) string { return kind + "-" + strconv.FormatUint(uint64(i), 16) }
	// name names the members of a group after the sums, and returns
	// the group's hash.
	name := func() string {
		gh := sha256.New()
		for i := range members {
			gh.Write(binary.LittleEndian.AppendUint64(nil, members[i].sum))
		}
		h := hex.EncodeToString(gh.Sum(nil)[:groupHashLen/2])
		for i := range members {
			members[i].name = base(members[i].num) + "." + h + ".bin"
		}
		return h
	}
	for _, nums := range byGroup {
		members = members[:0]
		for _, i := range nums {
			m := member{num: i}
			var ok bool
			if known != nil {
				m.sum, ok = known(i)
			}
			if !ok {
				m.content, m.made = content(i), true
				m.sum = contentSum(base(i), m.content)
			}
			members = append(members, m)
		}
		h := name()
		for i := range members {
			m := &members[i]
			if m.made || z.last[m.sum] == m.name {
				continue
			}
			m.content, m.made = content(m.num), true
			if contentSum(base(m.num), m.content) != m.sum {
				for j := range members {
					if !members[j].made {
						members[j].content, members[j].made = content(members[j].num), true
					}
					members[j].sum = contentSum(base(members[j].num), members[j].content)
				}
				h = name()
				break
			}
		}
		hashes = append(hashes, h...)
		if sums != nil {
			for _, m := range members {
				sums(m.num, m.sum)
			}
		}
		var packed [][]byte
		if deflate {
			packed = z.deflate(members)
		}
		for i, m := range members {
			var data []byte
			if packed != nil {
				data = packed[i]
			}
			if err := z.put(m.name, m.sum, m.content, data); err != nil {
				return "", err
			}
		}
	}
	return string(hashes), nil
}

// deflate compresses, on every core, the content of each member that put
// will not emit as Same: gen build waits for the index after its last page,
// when a core is free.
func (z *compressor) deflate(members []member) [][]byte {
	packed := make([][]byte, len(members))
	_ = parallel.Workers(context.Background(), len(members), 0, func(next func() (int, bool)) {
		d := z.deflater()
		defer z.release(d)
		for i, ok := next(); ok; i, ok = next() {
			if m := &members[i]; z.last[m.sum] != m.name {
				packed[i] = d.compress(m.content)
			}
		}
	})
	return packed
}

// deflater returns a spare deflater, or a new one. A deflater's state
// is large (flate's hash tables): the index's files reuse a few.
func (z *compressor) deflater() *deflater {
	z.mu.Lock()
	defer z.mu.Unlock()
	if n := len(z.spare); n > 0 {
		d := z.spare[n-1]
		z.spare = z.spare[:n-1]
		return d
	}
	return new(deflater)
}

func (z *compressor) release(d *deflater) {
	z.mu.Lock()
	z.spare = append(z.spare, d)
	z.mu.Unlock()
}

// upTo is 0, 1, …, n-1.
func upTo(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}

// single emits a file that is a kind of its own and returns its name.
func (z *compressor) single(base string, content []byte, deflate bool) (string, error) {
	sum := contentSum(base, content)
	h := sha256.Sum256(binary.LittleEndian.AppendUint64(nil, sum))
	name := base + "." + hex.EncodeToString(h[:groupHashLen/2]) + ".bin"
	var packed []byte
	if deflate && z.last[sum] != name {
		d := z.deflater()
		packed = d.compress(content)
		z.release(d)
	}
	return name, z.put(name, sum, content, packed)
}

// put emits the file name whose content before compression (data) has
// sum: as Same when the last index had that content under that name, else
// as packed, its compressed form, or as data when packed is nil.
func (z *compressor) put(name string, sum uint64, data, packed []byte) error {
	f := File{Path: Dir + name, Data: data}
	switch {
	case z.last[sum] == name:
		f.Data, f.Same = nil, true
	case packed != nil:
		f.Data = packed
	}
	z.made[sum] = name
	return z.emit(f)
}

// contentSum identifies a file by its base name and its content before
// compression: two files may have one content (empty shards).
func contentSum(base string, content []byte) uint64 {
	d := xxhash.New()
	d.WriteString(base)
	d.Write([]byte{0})
	d.Write(content)
	return d.Sum64()
}

// compress deflates b (raw DEFLATE) at flate's default level. The best
// level made the index of a 100,000-story site 0.09% smaller (21.89
// against 21.91 MB of 44.0 MB deflated) in 1.7 times the time (3.1
// against 1.8 s of CPU).
func (d *deflater) compress(b []byte) []byte {
	d.buf.Reset()
	if d.w == nil {
		d.w, _ = flate.NewWriter(&d.buf, flate.DefaultCompression)
	} else {
		d.w.Reset(&d.buf)
	}
	d.w.Write(b)
	d.w.Close()
	return bytes.Clone(d.buf.Bytes())
}

// deflater is one goroutine's compression state, reused from file to file.
type deflater struct {
	w   *flate.Writer
	buf bytes.Buffer
}

// textAt is where a document's text is: each text is coded on its own, so
// that a result's snippet is one HTTP range request of its bytes.
type textAt struct{ pack, off, n int }

type textPacks struct {
	packs [][]byte
	at    []textAt // by document id
	table []rune   // the characters of the code, most frequent first
}

// packTexts codes the summary (one line) and the start of the text of
// each document (see textcode.go) into packs of about packTarget bytes.
func packTexts(docs []Doc, order []int) textPacks {
	texts := make([]string, len(order))
	for i, o := range order {
		texts[i] = snippetText(&docs[o])
	}
	var out textPacks
	var rank *ranks
	out.table, rank = textTableOf(texts)
	out.at = make([]textAt, len(order))
	var cur []byte
	for i, s := range texts {
		if len(cur) > 0 && len(cur)+len(s) > packTarget {
			out.packs = append(out.packs, cur)
			cur = nil
		}
		n := len(cur)
		cur = appendTextCode(cur, s, rank)
		out.at[i] = textAt{pack: len(out.packs), off: n, n: len(cur) - n}
	}
	if len(cur) > 0 {
		out.packs = append(out.packs, cur)
	}
	return out
}

// clipMark ends the stored text of a document that goes on past it: a
// quoted phrase not in the stored text may still be in the rest.
const clipMark = "…"

// snippetText is what the index keeps of a document's text: its summary
// on one line, a line break and the start of its text, at most
// snippetBytes in all, ending in clipMark when the text goes on.
func snippetText(d *Doc) string {
	text, more := d.textStart(snippetBytes)
	if !more {
		text = strings.TrimRight(text, "\n")
	}
	// With more text, s is the start of the whole, longer than
	// snippetBytes: what it clips to is the same.
	s := strings.ReplaceAll(clip(d.Summary, headBytes), "\n", " ") + "\n" + text
	if len(s) > snippetBytes {
		s = clip(s, snippetBytes-len(clipMark)) + clipMark
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}

// headSize is about the bytes of a document's head in the document table.
func headSize(d *Doc) int {
	return len(d.URL) + min(len(d.Title), headBytes) + 40
}

// appendHead appends url, title, date and where the text is (pack,
// offset, length) as JSON values separated by commas: the head of a
// document. The kind follows from the id (meta.json), the summary is at the
// start of the text.
func appendHead(buf []byte, d *Doc, at textAt) []byte {
	buf = appendJSONString(buf, d.URL)
	buf = append(buf, ',')
	buf = appendJSONString(buf, clip(d.Title, headBytes))
	buf = append(buf, ',', '"')
	if !d.Date.IsZero() {
		buf = d.Date.AppendFormat(buf, "2006-01-02")
	}
	buf = append(buf, '"')
	for _, n := range [3]int{at.pack, at.off, at.n} {
		buf = strconv.AppendInt(append(buf, ','), int64(n), 10)
	}
	return buf
}

// docsPerChunk picks how many documents share a chunk of the document
// table, so that a chunk is about chunkTarget bytes before compression.
func docsPerChunk(docs []Doc) int {
	if len(docs) == 0 {
		return 1
	}
	var size int
	for i := range docs {
		size += headSize(&docs[i])
	}
	return max(1, chunkTarget/(size/len(docs)+1))
}

// clip cuts s to at most n bytes, at a rune boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// hashTerm is 32-bit FNV-1a over the term's UTF-8 bytes; search.js has the
// same function to find a term's shard.
func hashTerm(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= 16777619
	}
	return h
}

// appendJSONString appends s as a JSON string. Only what JSON requires is
// escaped: the files are fetched as data, never inlined in HTML.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			i++
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"':
			b = append(b, `\"`...)
		case '\\':
			b = append(b, `\\`...)
		case '\n':
			b = append(b, `\n`...)
		case '\t':
			b = append(b, `\t`...)
		default:
			b = append(b, `\u00`...)
			b = append(b, "0123456789abcdef"[c>>4], "0123456789abcdef"[c&15])
		}
		i++
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
