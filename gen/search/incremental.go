package search

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"maps"
	"math"
	"slices"
	"unicode"

	"github.com/cespare/xxhash/v2"
)

// keptIndex is what a Writer keeps of its last index so that the next,
// after a small change, tokenizes only the documents that changed: each
// document's key and length, and the postings before impacts (phase 1 of
// Write), which depend on nothing but the documents. Everything after
// phase 1 (impacts, shards, files) is computed again from them, so the
// index is the one a Writer that kept nothing writes, byte for byte.
type keptIndex struct {
	keys  []uint64 // docKey of each document, by id
	dl    []uint32 // weighted length of each document, by id
	terms []term   // postings (doc delta, weighted tf) and title postings
	// What phase 2 made of each term (by the index in terms) with the
	// average length avgdl, and the text packs: after an edit in place
	// (reuse) the terms no changed document has, and the texts, are as
	// they were.
	final []posted
	avgdl float64
	texts *textPacks
}

// posted is a term's postings after phase 2, and the size impacts
// counted for it.
type posted struct {
	buf   []byte
	dense bool
	size  int32
}

// keepBytes bounds the postings a Writer keeps: past it (9 MB are kept
// for 10,000 stories of the benchmark corpus, so at about 70,000) the
// index is tokenized whole each time rather than held twice in memory. A
// variable so that a test can turn keeping off.
var keepBytes = 64 << 20

// newKept keeps x's postings, before Write turns them into impacts,
// unless they are larger than keepBytes.
func newKept(x *indexer, keys []uint64, dl []uint32) *keptIndex {
	size := 0
	for i := range x.terms {
		size += len(x.terms[i].buf) + len(x.terms[i].tbuf) + len(x.terms[i].text)
	}
	if size > keepBytes {
		return nil
	}
	return &keptIndex{keys: keys, dl: dl, terms: slices.Clone(x.terms)}
}

// keepFinal keeps what phase 2 made of x's terms (x as newKept had it)
// with avgdl, and the text packs.
func (k *keptIndex) keepFinal(x *indexer, avgdl float64, texts *textPacks) {
	k.final = make([]posted, len(x.terms))
	for i := range x.terms {
		t := &x.terms[i]
		k.final[i] = posted{buf: t.buf, dense: t.dense, size: t.size}
	}
	k.avgdl, k.texts = avgdl, texts
}

// A reuse says what phase 2 may take from the last index after an edit
// in place: every document kept, or changed, keeps its id, so a term
// whose postings are as they were has the impacts it had (when the
// average length is too), and a term in most documents has them but for
// the changed documents'.
type reuse struct {
	prev    *keptIndex
	changed []int32  // ids of the documents tokenized again, in order
	from    []int32  // by term of the new index: its index in prev.terms, -1 if new
	same    []bool   // by term: its postings are prev's, unchanged
	add     [][]byte // by term: the changed documents' postings of it
}

// final is what phase 2 made of term id last time, if it still holds.
func (r *reuse) final(id int, avgdl float64) (p posted, same, ok bool) {
	if r == nil || r.prev.final == nil || r.prev.avgdl != avgdl || r.from[id] < 0 {
		return posted{}, false, false
	}
	return r.prev.final[r.from[id]], r.same[id], true
}

// sameTexts reports whether the text packs of the last index serve for
// docs: every changed document has the snippet text it had.
func (r *reuse) sameTexts(docs []Doc, order []int) bool {
	t := r.prev.texts
	if t == nil || len(t.at) != len(order) {
		return false
	}
	for _, i := range r.changed {
		at := t.at[i]
		old, err := decodeText(t.packs[at.pack][at.off:at.off+at.n], t.table)
		if err != nil || old != snippetText(&docs[order[i]]) {
			return false
		}
	}
	return true
}

// Keyed is a list of documents with the key of each: a hash of
// everything tokenizing reads of a document (its URL, which no two share,
// title, summary, text and tags), taken once for both the index (Write)
// and its Sum. Key makes it; the documents must not change after.
type Keyed struct {
	Docs []Doc
	keys []uint64 // by index in Docs
}

// Key hashes docs.
func Key(docs []Doc) Keyed {
	keys := make([]uint64, len(docs))
	h := xxhash.New()
	for i := range docs {
		keys[i] = docKey(h, &docs[i])
	}
	return Keyed{Docs: docs, keys: keys}
}

// docKey is d's key, hashed with h.
func docKey(h *xxhash.Digest, d *Doc) uint64 {
	var n [binary.MaxVarintLen64]byte
	str := func(s string) {
		h.Write(binary.AppendUvarint(n[:0], uint64(len(s))))
		h.WriteString(s)
	}
	h.Reset()
	str(d.URL)
	str(d.Title)
	str(d.Summary)
	// The text packed, as the feature holds it: a document whose text is
	// given as Text has the key it has packed.
	code := d.code()
	h.Write(binary.AppendUvarint(n[:0], uint64(len(code))))
	h.Write(code)
	h.Write(binary.AppendUvarint(n[:0], uint64(len(d.Tags))))
	for _, t := range d.Tags {
		str(t)
	}
	return h.Sum64()
}

// keyed is k with its keys: a Keyed not made by Key (a literal) has
// none, and gets them.
func (k Keyed) keyed() Keyed {
	if len(k.keys) != len(k.Docs) {
		return Key(k.Docs)
	}
	return k
}

// Sum identifies the documents (Write makes the same index from documents
// with the same sum): a hash of each one's key, kind and date, in order.
func (k Keyed) Sum() (uint64, error) {
	k = k.keyed()
	h := xxhash.New()
	var b []byte
	for i := range k.Docs {
		d := &k.Docs[i]
		b = binary.LittleEndian.AppendUint64(b[:0], k.keys[i])
		b = binary.AppendUvarint(b, uint64(len(d.Kind)))
		b = append(b, d.Kind...)
		date, err := d.Date.MarshalBinary()
		if err != nil {
			return 0, err
		}
		b = binary.AppendUvarint(b, uint64(len(date)))
		b = append(b, date...)
		h.Write(b)
	}
	return h.Sum64(), nil
}

// maxChanged is the share of documents (1 in maxChanged) past which
// changed documents are tokenized with all the others, on two cores,
// rather than merged into the kept postings on one.
const maxChanged = 8

// update returns the postings of the documents docs (ids by order, keys
// by id), as index would, from the kept ones: the documents whose key is
// kept keep their postings under their new ids, and the others are
// tokenized (n of them). It sets the lengths in dl. It returns nil when
// too much changed or the kept postings do not fit the documents; Write
// then tokenizes them all. After an edit in place it also says what
// phase 2 may reuse (re).
func (k *keptIndex) update(docs []Doc, order []int, keys []uint64, dl []uint32) (x *indexer, n int, re *reuse) {
	oldID := make(map[uint64]int32, len(k.keys))
	for j, key := range k.keys {
		oldID[key] = int32(j)
	}
	// was[i] is the kept id of document i, -1 if it is new or changed.
	was := make([]int32, len(keys))
	for i, key := range keys {
		j, ok := oldID[key]
		if !ok {
			j = -1
		}
		was[i] = j
	}
	// Postings are in id order, so the kept documents must keep their
	// order: those whose kind or date moved them past others are
	// tokenized again, as few as can be (the longest run of kept ids
	// that increases).
	stay := increasing(was)
	// newID[j] is the id of kept document j in docs, -1 if it went.
	newID := make([]int32, len(k.keys))
	for j := range newID {
		newID[j] = -1
	}
	var fresh []int32
	for i, j := range was {
		if j < 0 || !stay[i] {
			fresh = append(fresh, int32(i))
			continue
		}
		newID[j] = int32(i)
		dl[i] = k.dl[j]
	}
	gone := len(k.keys) - (len(keys) - len(fresh))
	if (len(fresh)+gone)*maxChanged > len(keys) {
		return nil, 0, nil
	}
	y := newIndexer()
	for _, i := range fresh {
		dl[i] = y.addDoc(&docs[order[i]])
		y.endDoc(i)
	}
	inY := make(map[string]int32, len(y.terms))
	for id := range y.terms {
		inY[y.terms[id].text] = int32(id)
	}
	x = &indexer{terms: make([]term, 0, len(k.terms)+len(y.terms))}
	m := newRemap(newID)
	if m.same && len(keys) == len(k.keys) {
		re = &reuse{prev: k, changed: fresh}
	}
	for i := range k.terms {
		// Every kept term is merged, even one no changed document has:
		// a changed or removed document may have had it, and ids move.
		// Merging also checks the kept postings against the documents.
		t := &k.terms[i]
		yid, inBoth := inY[t.text]
		var yt *term
		if inBoth {
			yt = &y.terms[yid]
			delete(inY, t.text)
		}
		nt, ok := mergeTerm(t, yt, m)
		if !ok {
			return nil, 0, nil
		}
		if nt.df > 0 {
			x.terms = append(x.terms, nt)
			if re != nil {
				re.from = append(re.from, int32(i))
				// A changed document may keep its postings of a
				// term (mergePostings) but not its length: same is
				// for terms no changed document has.
				re.same = append(re.same, yt == nil && sameBytes(nt.buf, t.buf))
				var add []byte
				if yt != nil {
					add = yt.buf
				}
				re.add = append(re.add, add)
			}
		}
	}
	for id := range y.terms {
		if _, only := inY[y.terms[id].text]; only {
			x.terms = append(x.terms, y.terms[id])
			if re != nil {
				re.from = append(re.from, -1)
				re.same = append(re.same, false)
				re.add = append(re.add, nil)
			}
		}
	}
	return x, len(fresh), re
}

// sameBytes reports whether a and b are one slice: merging returns the
// kept postings themselves when it changes nothing.
func sameBytes(a, b []byte) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}

// increasing marks a longest strictly increasing run (not necessarily
// contiguous) of the non-negative values of a, in O(n log n).
func increasing(a []int32) []bool {
	var (
		tails []int32 // tails[l]: index in a of the least end of a run of length l+1
		from  = make([]int32, len(a))
	)
	for i, v := range a {
		if v < 0 {
			continue
		}
		l, _ := slices.BinarySearchFunc(tails, v, func(t int32, v int32) int { return int(a[t] - v) })
		from[i] = -1
		if l > 0 {
			from[i] = tails[l-1]
		}
		if l == len(tails) {
			tails = append(tails, int32(i))
		} else {
			tails[l] = int32(i)
		}
	}
	in := make([]bool, len(a))
	if len(tails) > 0 {
		for i := tails[len(tails)-1]; i >= 0; i = from[i] {
			in[i] = true
		}
	}
	return in
}

// remap maps kept ids to new ones. Below head every kept document keeps
// its id, and from tail on every kept document stays, at its id plus off:
// before the first changed document and past the last, a list of
// postings is the kept one, its first delta after the change aside. With
// same, every kept document keeps its id (an edit in place).
type remap struct {
	newID []int32 // by kept id; -1 for a document gone or changed
	head  int32
	tail  int32
	off   int32
	same  bool
}

func newRemap(newID []int32) remap {
	m := remap{newID: newID, head: int32(len(newID)), tail: int32(len(newID)), same: true}
	for j, id := range newID {
		if id != int32(j) {
			m.head = min(m.head, int32(j))
			if id >= 0 {
				m.same = false
				break
			}
		}
	}
	if len(newID) == 0 || newID[len(newID)-1] < 0 {
		return m
	}
	last := int32(len(newID) - 1)
	m.off = newID[last] - last
	m.tail = last
	for m.tail > 0 && newID[m.tail-1] == m.tail-1+m.off {
		m.tail--
	}
	return m
}

// mergeTerm returns the postings of t, kept, with document ids mapped by
// m (dropped when gone), merged with those of the changed documents yt
// (nil: none), which have their new ids. ok is false when t's postings
// do not decode or name a document not kept.
func mergeTerm(t, yt *term, m remap) (nt term, ok bool) {
	nt = term{text: t.text}
	var ybuf, ytbuf []byte
	if yt != nil {
		ybuf, ytbuf = yt.buf, yt.tbuf
	}
	nt.buf, nt.last, nt.df, ok = mergePostings(t.buf, t.df, t.last, ybuf, m)
	if !ok {
		return term{}, false
	}
	nt.tbuf, nt.tlast, _, ok = mergePostings(t.tbuf, 0, t.tlast, ytbuf, m)
	return nt, ok
}

// mergePostings merges two lists of (doc delta, value) varint pairs: old,
// of n0 pairs (for the count returned; 0 if not needed) the last with id
// last0, counting from -1 with ids mapped by m, and add, counting from -1
// with ids already new. It returns the list, its last id (-1 if empty)
// and its length. When the list is old's, it is old itself.
func mergePostings(old []byte, n0, last0 int32, add []byte, m remap) (out []byte, last, n int32, ok bool) {
	// Up to the first document at or past m.head, the list is old's: it
	// is only read through, to where it differs. (add has no document
	// there: the ids below m.head are kept documents'.)
	cut, doc, read, ok := readTo(old, int64(m.head), uint64(len(m.newID)))
	if !ok {
		return nil, 0, 0, false
	}
	if m.same && len(add) == 0 && !dropsAny(old[cut:], doc, m) {
		return old, last0, n0, true
	}
	// A document changed in place that has the term as often as before:
	// add is its posting alone, and old has it where it was. Most terms of
	// an edited story are so; the list stays old's, not a copy of it.
	if m.same && cut < len(old) {
		ad, av, arest, aok := nextPair(add)
		d, v, rest, ok := nextPair(old[cut:])
		at := doc + int64(d) // the document of old's next posting
		if aok && ok && len(arest) == 0 && d > 0 && at == int64(ad)-1 && at < int64(len(m.newID)) &&
			m.newID[at] < 0 && v == av && !dropsAny(rest, at, m) {
			return old, last0, n0, true
		}
	}
	out = make([]byte, 0, len(old)+len(add))
	out = append(out, old[:cut]...)
	last = int32(doc)
	n = read
	put := func(id int32, v uint64) {
		out = binary.AppendUvarint(out, uint64(id-last))
		out = binary.AppendUvarint(out, v)
		last = id
		n++
	}
	var (
		addDoc int64 = -1
		addID  int32 = -1 // next id of add, -1 when add is done
		addV   uint64
	)
	nextAdd := func() bool {
		if len(add) == 0 {
			addID = -1
			return true
		}
		d, v, rest, ok := nextPair(add)
		if !ok {
			return false
		}
		add = rest
		addDoc += int64(d)
		addID, addV = int32(addDoc), v
		return true
	}
	if !nextAdd() {
		return nil, 0, 0, false
	}
	old = old[cut:]
	for len(old) > 0 {
		d, v, rest, ok := nextPair(old)
		if !ok {
			return nil, 0, 0, false
		}
		old = rest
		doc += int64(d)
		read++
		if d == 0 || d > uint64(len(m.newID)) || doc >= int64(len(m.newID)) {
			return nil, 0, 0, false
		}
		id := m.newID[doc]
		if id < 0 {
			continue
		}
		for addID >= 0 && addID < id {
			put(addID, addV)
			if !nextAdd() {
				return nil, 0, 0, false
			}
		}
		if addID == id {
			return nil, 0, 0, false
		}
		put(id, v)
		if int32(doc) >= m.tail && addID < 0 {
			// The rest moves by m.off, as this one did: its deltas stay.
			return append(out, old...), last0 + m.off, n + n0 - read, true
		}
	}
	for addID >= 0 {
		put(addID, addV)
		if !nextAdd() {
			return nil, 0, 0, false
		}
	}
	return out, last, n, true
}

// readTo reads the list of (doc delta, value) varint pairs b, counting
// from -1, through the last pair whose document is below head: cut is
// where the next pair starts, doc the document of the last pair read
// (-1 if none) and read how many were. ok is false when a pair does not
// decode, or has a delta of 0 or past maxDelta. Every edit build reads
// most of the kept postings so (mergePostings), and most pairs are two
// bytes: four such pairs are read at once from one 8-byte word, and the
// others without binary.Uvarint where they can be (BenchmarkWriteEdit).
func readTo(b []byte, head int64, maxDelta uint64) (cut int, doc int64, read int32, ok bool) {
	doc = -1
	for cut+8 <= len(b) {
		w := binary.LittleEndian.Uint64(b[cut:])
		if w&0x8080808080808080 != 0 {
			break
		}
		d0, d1, d2, d3 := w&0xff, w>>16&0xff, w>>32&0xff, w>>48&0xff
		if d0 == 0 || d1 == 0 || d2 == 0 || d3 == 0 || max(d0, d1, d2, d3) > maxDelta || doc+int64(d0+d1+d2+d3) >= head {
			break // read one pair at a time
		}
		doc += int64(d0 + d1 + d2 + d3)
		cut += 8
		read += 4
	}
	for cut < len(b) {
		var d uint64
		next := cut + 2
		if next <= len(b) && b[cut] < 0x80 && b[cut+1] < 0x80 {
			d = uint64(b[cut])
		} else {
			var rest []byte
			d, _, rest, ok = nextPair(b[cut:])
			if !ok {
				return 0, 0, 0, false
			}
			next = len(b) - len(rest)
		}
		if d == 0 || d > maxDelta {
			return 0, 0, 0, false
		}
		if doc+int64(d) >= head {
			break
		}
		doc += int64(d)
		cut = next
		read++
	}
	return cut, doc, read, true
}

// dropsAny reports whether the postings b, after a document doc, name a
// document m drops before m.tail, from where every kept one stays. It
// reports true for postings that do not decode: merging them says so.
func dropsAny(b []byte, doc int64, m remap) bool {
	for len(b) > 0 {
		d, _, rest, ok := nextPair(b)
		if !ok || d == 0 || d > uint64(len(m.newID)) {
			return true
		}
		doc += int64(d)
		if doc >= int64(len(m.newID)) {
			return true
		}
		if doc >= int64(m.tail) && m.off == 0 {
			return false
		}
		if m.newID[doc] < 0 {
			return true
		}
		b = rest
	}
	return false
}

// A Memory is what a Writer remembered of its last index when Memory
// was called; a later Write does not change it.
type Memory struct {
	last  map[uint64]string
	kept  *keptIndex
	heads map[uint64]uint64
}

// Memory is what w remembers of its last index, for Recall in another
// process (gen build keeps it in its record).
func (w *Writer) Memory() Memory { return Memory{w.last, w.kept, w.heads} }

// Size is the length of m's encoding.
func (m Memory) Size() int {
	n := 0
	m.encode(func(b []byte) { n += len(b) })
	return n
}

// WriteTo writes m's encoding, Size bytes, to w.
func (m Memory) WriteTo(w io.Writer) (int64, error) {
	var (
		n   int64
		err error
	)
	m.encode(func(b []byte) {
		if err == nil {
			var k int
			k, err = w.Write(b)
			n += int64(k)
		}
	})
	return n, err
}

// Bytes is m's encoding.
func (m Memory) Bytes() []byte {
	var buf bytes.Buffer
	buf.Grow(m.Size())
	m.WriteTo(&buf)
	return buf.Bytes()
}

// encode passes m's encoding to put, piece by piece; the postings go as
// they are, uncopied.
func (m Memory) encode(put func([]byte)) {
	var scratch [2*binary.MaxVarintLen64 + 8]byte
	num := func(x uint64) { put(binary.AppendUvarint(scratch[:0], x)) }
	field := func(b []byte) {
		num(uint64(len(b)))
		put(b)
	}
	put([]byte(memoryMagic))
	num(uint64(len(m.last)))
	for _, sum := range slices.Sorted(maps.Keys(m.last)) {
		put(binary.LittleEndian.AppendUint64(scratch[:0], sum))
		field([]byte(m.last[sum]))
	}
	num(uint64(len(m.heads)))
	for _, key := range slices.Sorted(maps.Keys(m.heads)) {
		put(binary.LittleEndian.AppendUint64(binary.LittleEndian.AppendUint64(scratch[:0], key), m.heads[key]))
	}
	k := m.kept
	if k == nil {
		put([]byte{0})
		return
	}
	put([]byte{1})
	num(uint64(len(k.keys)))
	for i, key := range k.keys {
		put(binary.AppendUvarint(binary.LittleEndian.AppendUint64(scratch[:0], key), uint64(k.dl[i])))
	}
	num(uint64(len(k.terms)))
	for i := range k.terms {
		t := &k.terms[i]
		field([]byte(t.text))
		b := binary.AppendUvarint(scratch[:0], uint64(t.df))
		b = binary.AppendUvarint(b, uint64(t.last+1))
		put(binary.AppendUvarint(b, uint64(t.tlast+1)))
		field(t.buf)
		field(t.tbuf)
	}
	if k.final == nil || k.texts == nil {
		put([]byte{0})
		return
	}
	put([]byte{1})
	put(binary.LittleEndian.AppendUint64(scratch[:0], math.Float64bits(k.avgdl)))
	for _, f := range k.final {
		flag := uint64(f.size) << 1
		if f.dense {
			flag |= 1
		}
		num(flag)
		field(f.buf)
	}
	x := k.texts
	num(uint64(len(x.table)))
	for _, r := range x.table {
		num(uint64(r))
	}
	num(uint64(len(x.packs)))
	for _, p := range x.packs {
		field(p)
	}
	for _, at := range x.at {
		put(binary.AppendUvarint(binary.AppendUvarint(binary.AppendUvarint(scratch[:0], uint64(at.pack)), uint64(at.off)), uint64(at.n)))
	}
}

// memoryMagic begins Memory's encoding; a new layout is a new magic.
const memoryMagic = "gjsearch3\n"

var errMemory = errors.New("search: the remembered index does not decode")

// Recall takes up what Memory gave. On an error w remembers nothing.
func (w *Writer) Recall(b []byte) error {
	w.last, w.kept, w.heads = nil, nil, nil
	if len(b) == 0 {
		return nil
	}
	r := memReader{b: b, ok: true}
	if string(r.next(len(memoryMagic))) != memoryMagic {
		return errMemory
	}
	n := r.count(9)
	last := make(map[uint64]string, n)
	for ; n > 0 && r.ok; n-- {
		sum := r.u64()
		last[sum] = string(r.bytes())
	}
	n = r.count(16)
	heads := make(map[uint64]uint64, n)
	for ; n > 0 && r.ok; n-- {
		key := r.u64()
		heads[key] = r.u64()
	}
	var k *keptIndex
	if flag := r.next(1); r.ok && flag[0] == 1 {
		k = &keptIndex{}
		n = r.count(9)
		k.keys, k.dl = make([]uint64, 0, n), make([]uint32, 0, n)
		for ; n > 0 && r.ok; n-- {
			k.keys = append(k.keys, r.u64())
			k.dl = append(k.dl, uint32(r.num(1<<32-1)))
		}
		n = r.count(7)
		k.terms = make([]term, 0, n)
		for ; n > 0 && r.ok; n-- {
			t := term{text: string(r.bytes())}
			t.df = int32(r.num(uint64(len(k.keys))))
			t.last = int32(r.num(uint64(len(k.keys)))) - 1
			t.tlast = int32(r.num(uint64(len(k.keys)))) - 1
			t.buf = r.bytes()
			t.tbuf = r.bytes()
			k.terms = append(k.terms, t)
		}
		if flag := r.next(1); r.ok && flag[0] == 1 {
			k.avgdl = math.Float64frombits(r.u64())
			k.final = make([]posted, len(k.terms))
			for i := range k.final {
				flag := r.num(1<<32 - 1)
				k.final[i] = posted{dense: flag&1 == 1, size: int32(flag >> 1), buf: r.bytes()}
			}
			x := &textPacks{}
			n = r.count(1)
			x.table = make([]rune, 0, n)
			for ; n > 0 && r.ok; n-- {
				x.table = append(x.table, rune(r.num(unicode.MaxRune)))
			}
			n = r.count(1)
			x.packs = make([][]byte, 0, n)
			for ; n > 0 && r.ok; n-- {
				x.packs = append(x.packs, r.bytes())
			}
			x.at = make([]textAt, 0, len(k.keys))
			for range k.keys {
				at := textAt{pack: int(r.num(uint64(len(x.packs))))}
				at.off = int(r.num(1 << 31))
				at.n = int(r.num(1 << 31))
				if !r.ok || at.pack >= len(x.packs) || at.off+at.n > len(x.packs[at.pack]) {
					r.ok = false
					break
				}
				x.at = append(x.at, at)
			}
			k.texts = x
		}
	}
	if !r.ok || len(r.b) > 0 {
		return errMemory
	}
	// The postings are not checked here, whole: what decodes them
	// (mergePostings, impacts) checks what it reads, and Write indexes
	// every document again when something does not fit. Damage on the
	// way (a record file's) is its checksum's to catch.
	w.last, w.kept, w.heads = last, k, heads
	return nil
}

// nextPair decodes the (doc delta, value) varint pair b starts with.
func nextPair(b []byte) (d, v uint64, rest []byte, ok bool) {
	d, n1 := binary.Uvarint(b)
	if n1 <= 0 {
		return 0, 0, nil, false
	}
	v, n2 := binary.Uvarint(b[n1:])
	if n2 <= 0 {
		return 0, 0, nil, false
	}
	return d, v, b[n1+n2:], true
}

// memReader reads Memory's encoding; ok turns false at the first thing
// that does not decode, and every read after returns zeros.
type memReader struct {
	b  []byte
	ok bool
}

func (r *memReader) next(n int) []byte {
	if !r.ok || n < 0 || n > len(r.b) {
		r.ok = false
		return make([]byte, max(0, n))
	}
	out := r.b[:n:n]
	r.b = r.b[n:]
	return out
}

// num reads a uvarint of at most max.
func (r *memReader) num(max uint64) uint64 {
	if !r.ok {
		return 0
	}
	v, n := binary.Uvarint(r.b)
	if n <= 0 || v > max {
		r.ok = false
		return 0
	}
	r.next(n)
	return v
}

// count reads a number of items that take at least size bytes each.
func (r *memReader) count(size int) int {
	return int(r.num(uint64(len(r.b) / size)))
}

func (r *memReader) u64() uint64 { return binary.LittleEndian.Uint64(r.next(8)) }

func (r *memReader) bytes() []byte { return r.next(int(r.num(uint64(len(r.b))))) }
