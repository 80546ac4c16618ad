package pipeline

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"maps"
	"slices"

	"gongjian/gen/content"
	"gongjian/gen/site"
)

// The record's payload is a plain encoding of its fields in a fixed order:
// numbers as uvarints, strings and byte strings with their length first,
// maps as sorted lists (the files' sums in the order of the files); its
// largest parts (page states, stories, each feature's state, the search
// memory) have their lengths in a trailer (see part). It streams to the
// file, with the CRC-32C computed on the way (recordWriter); gob took
// 0.25 s of CPU each way for a 10,000-story site and held the whole
// payload in memory twice (make bench-site; gen build -cpuprofile after
// one story changed).

// recordWriter encodes into chunks that another goroutine sums (CRC-32C)
// and writes to w, so that encoding a large record and writing it take
// two cores (BenchmarkRecordEncode). end must be called once the encoding
// is done or given up, and before sum and n are read.
type recordWriter struct {
	chunk []byte
	full  chan []byte // to the writing goroutine
	spare chan []byte // written chunks, back for reuse
	done  chan struct{}
	buf   [binary.MaxVarintLen64]byte
	err   error
	pos   int64 // bytes encoded so far
	// parts are the lengths of the parts written so far (see part).
	parts []int64
	// Set by the writing goroutine, read once done is closed.
	sum  uint32 // CRC-32C of what was written
	n    int64
	werr error
}

// recordChunk is the size of the chunks a recordWriter hands over.
const recordChunk = 256 << 10

func newRecordWriter(w io.Writer) *recordWriter {
	e := &recordWriter{
		chunk: make([]byte, 0, recordChunk),
		full:  make(chan []byte, 4),
		spare: make(chan []byte, 6),
		done:  make(chan struct{}),
	}
	go func() {
		defer close(e.done)
		for c := range e.full {
			if e.werr == nil {
				e.sum = crc32.Update(e.sum, castagnoli, c)
				e.n += int64(len(c))
				_, e.werr = w.Write(c)
			}
			select {
			case e.spare <- c[:0]:
			default:
			}
		}
	}()
	return e
}

// hand passes the current chunk, if it holds anything, to the writing
// goroutine and starts another.
func (e *recordWriter) hand() {
	if len(e.chunk) == 0 {
		return
	}
	e.full <- e.chunk
	select {
	case e.chunk = <-e.spare:
	default:
		e.chunk = make([]byte, 0, recordChunk)
	}
}

// end hands over what is left and waits until it is written; it returns
// the first error of the encoding or of the writing.
func (e *recordWriter) end() error {
	e.hand()
	close(e.full)
	<-e.done
	if e.err == nil {
		e.err = e.werr
	}
	return e.err
}

func (e *recordWriter) raw(b []byte) { encodeRaw(e, b) }

// encodeRaw copies b into e's chunks, handing each over as it fills.
func encodeRaw[B string | []byte](e *recordWriter, b B) {
	e.pos += int64(len(b))
	for len(b) > 0 {
		if len(e.chunk) == cap(e.chunk) {
			e.hand()
		}
		n := copy(e.chunk[len(e.chunk):cap(e.chunk)], b)
		e.chunk, b = e.chunk[:len(e.chunk)+n], b[n:]
	}
}

// Write makes a recordWriter an io.Writer, for encoders of other packages;
// WriteString and WriteByte let those that buffer their writes (as a
// bufio.Writer would) write to it directly.
func (e *recordWriter) Write(b []byte) (int, error) {
	e.raw(b)
	return len(b), e.err
}

func (e *recordWriter) WriteString(s string) (int, error) {
	encodeRaw(e, s)
	return len(s), e.err
}

func (e *recordWriter) WriteByte(c byte) error {
	e.buf[0] = c
	e.raw(e.buf[:1])
	return e.err
}

func (e *recordWriter) num(x uint64) { e.raw(binary.AppendUvarint(e.buf[:0], x)) }
func (e *recordWriter) int(x int64)  { e.num(uint64(x)) }
func (e *recordWriter) str(s string) {
	e.num(uint64(len(s)))
	encodeRaw(e, s)
}
func (e *recordWriter) bytes(b []byte) { e.num(uint64(len(b))); e.raw(b) }
func (e *recordWriter) strs(l []string) {
	e.num(uint64(len(l)))
	for _, s := range l {
		e.str(s)
	}
}

// nums writes a map of numbers by name, in the order of the names.
func (e *recordWriter) nums(m map[string]uint64) {
	e.num(uint64(len(m)))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		e.str(k)
		e.num(m[k])
	}
}
func (e *recordWriter) ints(l []int) {
	e.num(uint64(len(l)))
	for _, x := range l {
		e.int(int64(x))
	}
}
func (e *recordWriter) bool(b bool) {
	if b {
		e.num(1)
	} else {
		e.num(0)
	}
}

// recordReader decodes a payload; the first problem sticks, and every
// later read gives zero values.
type recordReader struct {
	b     []byte
	err   error
	parts []uint64 // the lengths of the parts not read yet
	heap  int64
}

// trailer takes the trailer off the end of the payload (see encodeEnd),
// and reports whether it is one.
func (d *recordReader) trailer() bool {
	if len(d.b) < 12 {
		return false
	}
	end := len(d.b) - 12
	d.heap = int64(binary.LittleEndian.Uint64(d.b[end+4:]))
	n := int(binary.LittleEndian.Uint32(d.b[end : end+4]))
	if n > end {
		return false
	}
	t := d.b[end-n : end]
	d.b = d.b[:end-n]
	for len(t) > 0 {
		x, k := binary.Uvarint(t)
		if k <= 0 || x > uint64(len(d.b)) {
			return false
		}
		d.parts = append(d.parts, x)
		t = t[k:]
	}
	return true
}

// part reads the next part (see recordWriter.part).
func (d *recordReader) part() []byte {
	if d.err != nil {
		return nil
	}
	if len(d.parts) == 0 {
		d.err = errDamaged
		return nil
	}
	n := d.parts[0]
	d.parts = d.parts[1:]
	return d.next(int(n))
}

var errDamaged = errors.New("the record is damaged")

func (d *recordReader) num() uint64 {
	if d.err != nil {
		return 0
	}
	x, k := binary.Uvarint(d.b)
	if k <= 0 {
		d.err = errDamaged
		return 0
	}
	d.b = d.b[k:]
	return x
}

func (d *recordReader) int() int64 { return int64(d.num()) }

// count reads a length that each of its items takes at least one byte of
// what is left to hold.
func (d *recordReader) count() int {
	n := d.num()
	if n > uint64(len(d.b)) {
		d.err = errDamaged
		return 0
	}
	return int(n)
}

func (d *recordReader) bytes() []byte {
	n := d.count()
	if d.err != nil {
		return nil
	}
	b := d.b[:n:n]
	d.b = d.b[n:]
	return b
}

func (d *recordReader) str() string { return string(d.bytes()) }

// next reads n bytes as they are.
func (d *recordReader) next(n int) []byte {
	if d.err != nil || len(d.b) < n {
		d.err = errDamaged
		return nil
	}
	b := d.b[:n:n]
	d.b = d.b[n:]
	return b
}

func (d *recordReader) strs() []string {
	n := d.count()
	if n == 0 {
		return nil
	}
	l := make([]string, n)
	for i := range l {
		l[i] = d.str()
	}
	return l
}

// nums reads what recordWriter.nums wrote.
func (d *recordReader) nums() map[string]uint64 {
	n := d.count()
	m := make(map[string]uint64, n)
	for range n {
		k := d.str()
		m[k] = d.num()
	}
	return m
}

func (d *recordReader) ints() []int {
	n := d.count()
	if n == 0 {
		return nil
	}
	l := make([]int, n)
	for i := range l {
		l[i] = int(d.int())
	}
	return l
}

func (d *recordReader) bool() bool { return d.num() == 1 }

// encodeHead writes what a record holds of a build before its search
// index (encodeTail the rest, and Gen ends it: see pendingRecord), so
// that it can be encoded while the index is made.
func (rec *record) encodeHead(e *recordWriter) {
	e.int(rec.Scanned)
	// The page states and the stories are each a part, so that a reader
	// decodes them on other cores while it decodes the rest
	// (recordReader.aside).
	pages := slices.Sorted(maps.Keys(rec.Pages))
	e.part(func(e *recordWriter) { encodePages(e, pages, rec.Pages) })
	e.part(func(e *recordWriter) {
		e.num(uint64(len(rec.Stories)))
		for i := range rec.Stories {
			encodeStory(e, &rec.Stories[i])
		}
	})
	e.num(uint64(len(rec.Stamps)))
	for _, p := range slices.Sorted(maps.Keys(rec.Stamps)) {
		st := rec.Stamps[p]
		e.str(p)
		e.int(st.Size)
		e.int(st.Mod)
		e.int(st.Ctime)
		e.num(st.Ino)
		e.num(uint64(st.Mode))
		e.str(st.Link)
	}
	e.strs(rec.Outputs)
	e.num(rec.Theme)
	e.num(rec.Site)
	e.str(rec.Lang)
	e.strs(rec.Photos)
	e.num(uint64(len(rec.keep)))
	for _, nk := range rec.keep {
		e.str(nk.name)
		e.kept(nk)
	}
	e.nums(rec.Outside)
}

// part writes what encode writes as one part of the record, whose
// length the record's trailer gives (see encodeEnd), so that a reader
// can hand the part to another core, or to a feature, before it reads
// what follows. Encoding it once, with no length before it, halves
// what the record's largest parts cost to write (BenchmarkRecordEncode).
func (e *recordWriter) part(encode func(*recordWriter)) {
	start := e.pos
	encode(e)
	e.parts = append(e.parts, e.pos-start)
}

// encodeEnd ends a record's payload: the output folder's generation gen,
// then the trailer, which is the lengths of the parts (see part), their
// size in bytes (4 bytes), and heap (see record.Heap, 8 bytes), last so
// that it can be read before the rest (heapHint).
func (e *recordWriter) encodeEnd(gen string, heap int64) {
	e.str(gen)
	start := e.pos
	for _, n := range e.parts {
		e.num(uint64(n))
	}
	e.raw(binary.LittleEndian.AppendUint32(e.buf[:0], uint32(e.pos-start)))
	e.raw(binary.LittleEndian.AppendUint64(e.buf[:0], uint64(heap)))
}

// encodePages writes the states of pages, by output path, in the order
// of paths.
func encodePages(e *recordWriter, paths []string, pages map[string]*pageState) {
	e.num(uint64(len(paths)))
	for _, p := range paths {
		st := pages[p]
		e.str(p)
		e.num(st.fp)
		e.strs(st.keys)
		e.nums(st.reads)
	}
}

// kept writes a feature's state as one part, so that a record read in
// place (loadRecord maps it) hands the feature its state where it lies.
func (e *recordWriter) kept(nk namedKeeper) {
	e.part(func(e *recordWriter) {
		if err := nk.k.Keep(e); err != nil {
			e.fail(fmt.Errorf("%s: %w", nk.name, err))
		}
	})
}

// fail sets the encoder's error, unless it has one.
func (e *recordWriter) fail(err error) {
	if e.err == nil {
		e.err = err
	}
}

// encodeTail writes what a record holds of a build's search index and
// output files.
func (rec *record) encodeTail(e *recordWriter) {
	e.strs(rec.Files)
	encodeSums(e, rec.Files, rec.Sums)
	e.strs(rec.Index)
	e.part(func(e *recordWriter) {
		if m := rec.indexMemo; m != nil {
			// Streamed rather than copied into one slice first: the
			// postings the memory holds are 9 MB for 10,000 stories.
			m.WriteTo(e)
		} else {
			e.raw(rec.IndexMemo)
		}
	})
	e.num(rec.Docs)
}

// encodeSums writes the sums of the files, which are those of files
// (sorted) as a rule: then only the sums go, in the order of files, and
// need no sorting; else, the map.
func encodeSums(e *recordWriter, files []string, sums map[string]uint64) {
	inOrder := len(files) == len(sums)
	for i := 0; inOrder && i < len(files); i++ {
		_, inOrder = sums[files[i]]
	}
	if !inOrder {
		e.num(0)
		e.nums(sums)
		return
	}
	e.num(1)
	for _, f := range files {
		e.num(sums[f])
	}
}

// sums reads what encodeSums wrote for files.
func (d *recordReader) sums(files []string) map[string]uint64 {
	switch d.num() {
	case 0:
		return d.nums()
	case 1:
		sums := make(map[string]uint64, len(files))
		for _, f := range files {
			sums[f] = d.num()
		}
		return sums
	}
	d.err = errDamaged
	return nil
}

// decode reads a record encode wrote.
func (d *recordReader) record() (*record, error) {
	if !d.trailer() {
		return nil, errDamaged
	}
	rec := &record{Scanned: d.int()}
	waits := []func() error{
		d.aside(func(r *recordReader) { rec.Pages = r.pages() }),
		d.aside(func(r *recordReader) { rec.Stories, rec.stories = r.stories() }),
	}
	n := d.count()
	rec.Stamps = make(map[string]stamp, n)
	for range n {
		p := d.str()
		rec.Stamps[p] = stamp{Size: d.int(), Mod: d.int(), Ctime: d.int(), Ino: d.num(), Mode: uint32(d.num()), Link: d.str()}
	}
	rec.Outputs = d.strs()
	rec.Theme, rec.Site, rec.Lang = d.num(), d.num(), d.str()
	rec.Photos = d.strs()
	n = d.count()
	rec.Features = make(map[string][]byte, n)
	for range n {
		name := d.str()
		if b := d.part(); len(b) > 0 {
			rec.Features[name] = b
		} else {
			rec.Features[name] = nil
		}
	}
	rec.Outside = d.nums()
	rec.Files = d.strs()
	rec.Sums = d.sums(rec.Files)
	rec.Index = d.strs()
	// The search Writer keeps parts of it for the whole build, as the
	// features keep parts of theirs: both are most of a record, and are
	// read where they lie (see loadRecord).
	rec.IndexMemo = d.part()
	rec.Docs = d.num()
	rec.Gen = d.str()
	rec.Heap = d.heap
	if d.err == nil && (len(d.b) != 0 || len(d.parts) != 0) {
		d.err = errDamaged
	}
	for _, wait := range waits {
		if err := wait(); d.err == nil {
			d.err = err
		}
	}
	if d.err != nil {
		return nil, d.err
	}
	return rec, nil
}

// aside decodes the next part of d with decode, on another
// goroutine: wait returns what went wrong, once decode is done. Until
// then the caller must not touch what decode sets.
func (d *recordReader) aside(decode func(*recordReader)) (wait func() error) {
	b := d.part()
	done := make(chan error, 1)
	go func() {
		r := &recordReader{b: b}
		decode(r)
		if r.err == nil && len(r.b) != 0 {
			r.err = errDamaged
		}
		done <- r.err
	}()
	return func() error { return <-done }
}

// stories reads the stories of a record, and makes each the story it
// is a record of.
func (d *recordReader) stories() ([]content.StoryRecord, []*content.Story) {
	n := d.count()
	recs := make([]content.StoryRecord, n)
	stories := make([]*content.Story, n)
	for i := range recs {
		decodeStory(d, &recs[i])
		if d.err != nil {
			return nil, nil
		}
		st, err := recs[i].Story()
		if err != nil {
			d.err = err
			return nil, nil
		}
		stories[i] = st
	}
	return recs, stories
}

// pages reads what encodePages wrote.
func (d *recordReader) pages() map[string]*pageState {
	n := d.count()
	pages := make(map[string]*pageState, n)
	// Pages name the same inputs over and over: one string each.
	intern := map[string]string{}
	in := func(b []byte) string {
		if s, ok := intern[string(b)]; ok {
			return s
		}
		s := string(b)
		intern[s] = s
		return s
	}
	states := make([]pageState, n) // one allocation, not one a page
	for i := range states {
		p, st := d.str(), &states[i]
		st.fp = d.num()
		if k := d.count(); k > 0 {
			st.keys = make([]string, k)
			for i := range st.keys {
				st.keys[i] = in(d.bytes())
			}
		}
		if k := d.count(); k > 0 {
			st.reads = make(site.Reads, k)
			for range k {
				key := in(d.bytes())
				st.reads[key] = d.num()
			}
		}
		pages[p] = st
	}
	return pages
}

func encodeInstant(e *recordWriter, in content.Instant) {
	e.bool(in.Set)
	e.int(in.Nanos)
	e.str(in.Zone)
	e.int(int64(in.Offset))
}

func decodeInstant(d *recordReader) content.Instant {
	return content.Instant{Set: d.bool(), Nanos: d.int(), Zone: d.str(), Offset: int(d.int())}
}

func encodeStory(e *recordWriter, s *content.StoryRecord) {
	for _, x := range []string{s.File, s.Slug, s.Title, s.Summary} {
		e.str(x)
	}
	encodeInstant(e, s.Date)
	e.strs(s.Topics)
	e.strs(s.Tags)
	e.str(s.Cover)
	e.str(s.CoverAlt)
	e.int(int64(s.CoverLine))
	e.bool(s.Draft)
	e.bool(s.Sample)
	e.num(uint64(len(s.Corrections)))
	for _, c := range s.Corrections {
		encodeInstant(e, c.Date)
		e.str(c.Text)
		e.int(int64(c.Line))
	}
	e.num(uint64(len(s.Notes)))
	for _, n := range s.Notes {
		e.str(n.File)
		e.int(int64(n.Line))
		e.str(n.Msg)
	}
	e.int(int64(s.BodyLine))
	e.num(s.Hash)
	e.num(s.FrontHash)
	e.ints(s.TopicLines)
	e.ints(s.TagLines)
}

func decodeStory(d *recordReader, s *content.StoryRecord) {
	s.File, s.Slug, s.Title, s.Summary = d.str(), d.str(), d.str(), d.str()
	s.Date = decodeInstant(d)
	s.Topics, s.Tags = d.strs(), d.strs()
	s.Cover, s.CoverAlt, s.CoverLine = d.str(), d.str(), int(d.int())
	s.Draft, s.Sample = d.bool(), d.bool()
	if n := d.count(); n > 0 {
		s.Corrections = make([]content.CorrectionRecord, n)
		for i := range s.Corrections {
			s.Corrections[i] = content.CorrectionRecord{Date: decodeInstant(d), Text: d.str(), Line: int(d.int())}
		}
	}
	if n := d.count(); n > 0 {
		s.Notes = make([]content.NoteRecord, n)
		for i := range s.Notes {
			s.Notes[i] = content.NoteRecord{File: d.str(), Line: int(d.int()), Msg: d.str()}
		}
	}
	s.BodyLine = int(d.int())
	s.Hash, s.FrontHash = d.num(), d.num()
	s.TopicLines, s.TagLines = d.ints(), d.ints()
}
