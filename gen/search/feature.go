package search

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"io/fs"
	"maps"
	"slices"
	"sync"

	"github.com/cespare/xxhash/v2"

	"gongjian/gen/diag"
	"gongjian/gen/render"
	"gongjian/gen/site"
)

// DocSource is a feature whose pages the index covers without their
// Markdown: datasets, albums.
type DocSource interface {
	SearchDocs() []Doc
}

// Feature is the site's search: the search page, the text of every story
// and topic page as it renders, and the index over them and what sources
// give. It keeps the text between builds of a watch session, so the index
// can be rebuilt without rendering unchanged pages again.
type Feature struct {
	sources []DocSource
	mu      sync.Mutex
	all     map[string]keptDoc // by URL
	urls    []string           // of all, sorted; nil until sortedURLs
}

// A keptDoc is a document the feature keeps, with its key (docKey),
// taken once, when the page rendered: a build from a record hashes
// again only the text of the pages that rendered again.
type keptDoc struct {
	Doc
	key uint64
}

// NewFeature makes the search feature, indexing what sources give too.
func NewFeature(sources ...DocSource) *Feature {
	return &Feature{sources: sources, all: map[string]keptDoc{}}
}

// Owns reports false: search reads no source files of its own.
func (f *Feature) Owns(string) bool { return false }

// Load does nothing: the index is made from what other features read.
func (f *Feature) Load(context.Context, fs.FS, *site.Model) diag.List { return nil }

// Plan adds the search page and forgets the text of pages the plan no
// longer has.
func (f *Feature) Plan(pl *site.Plan) {
	pl.Add(pl.NewPage("search", "/search/", pl.T("search.title"), ""))
	urls := make(map[string]bool, len(pl.Pages))
	for _, p := range pl.Pages {
		urls[p.Path] = true
	}
	f.mu.Lock()
	for u := range f.all {
		if !urls[u] {
			delete(f.all, u)
			f.urls = nil
		}
	}
	f.mu.Unlock()
}

// BeforeRender asks for the text of story and topic pages.
func (f *Feature) BeforeRender(_ context.Context, p *site.Page, prep *render.Prep) error {
	if p.Source == nil || (p.Kind != "story" && p.Kind != "topic") {
		return nil
	}
	prep.Text = true
	prep.AfterMarkdown(func(text string) {
		// The text is kept packed, in a slice of its own size: the text
		// of every story is the most the build keeps per story.
		bp := packBufs.Get().(*[]byte)
		*bp = appendPacked((*bp)[:0], text)
		d := Doc{URL: p.Path, Title: p.Title, Kind: p.Kind, Summary: p.Description, packed: bytes.Clone(*bp), Date: p.Date}
		packBufs.Put(bp)
		if p.Story != nil {
			d.Tags = p.Story.Tags
		}
		k := keptDoc{d, docKey(xxhash.New(), &d)}
		f.mu.Lock()
		if _, ok := f.all[d.URL]; !ok {
			f.urls = nil
		}
		f.all[d.URL] = k
		f.mu.Unlock()
	})
	return nil
}

// packBufs hold text as it is packed.
var packBufs = sync.Pool{New: func() any { return new([]byte) }}

// Keyed gives the documents the index covers now, with their keys:
// every page rendered so far and what the sources give, sorted by URL.
// The list is the caller's own, so it can be encoded while pages render
// again.
func (f *Feature) Keyed() Keyed {
	var more []Doc
	for _, s := range f.sources {
		more = append(more, s.SearchDocs()...)
	}
	slices.SortFunc(more, func(a, b Doc) int { return cmp.Compare(a.URL, b.URL) })
	h := xxhash.New()
	f.mu.Lock()
	defer f.mu.Unlock()
	n := len(f.all) + len(more)
	k := Keyed{Docs: make([]Doc, 0, n), keys: make([]uint64, 0, n)}
	// The pages' documents, in the order of their URLs, merged with the
	// sources' (a page's first, for one URL).
	for urls := f.sortedURLs(); len(urls) > 0 || len(more) > 0; {
		if len(urls) > 0 && (len(more) == 0 || urls[0] <= more[0].URL) {
			d := f.all[urls[0]]
			k.Docs, k.keys = append(k.Docs, d.Doc), append(k.keys, d.key)
			urls = urls[1:]
		} else {
			k.Docs, k.keys = append(k.Docs, more[0]), append(k.keys, docKey(h, &more[0]))
			more = more[1:]
		}
	}
	return k
}

// sortedURLs are the URLs of all, sorted: made again only when a page
// came or went. f.mu must be held.
func (f *Feature) sortedURLs() []string {
	if f.urls == nil {
		f.urls = slices.Sorted(maps.Keys(f.all))
	}
	return f.urls
}

// WriteIndex writes the index files over the documents Keyed gives with
// w (see Writer), and returns their Keyed.Sum (0: unknown).
func (f *Feature) WriteIndex(w *Writer, emit func(File) error) (uint64, error) {
	k := f.Keyed()
	sum, err := k.Sum()
	if err != nil {
		sum = 0
	}
	return sum, w.WriteKeyed(k, emit)
}

// Keep encodes the text of every page rendered so far, which Resume gives
// back to a later build that renders only some pages again. The text of
// every page is most of gen build's record, so it has a plain encoding of
// its own: length-prefixed fields, the text packed as the feature keeps
// it (appendPacked), in URL order (gob took 8 times longer
// to encode and decode it, 0.55 s of CPU for 10,000 stories), written as
// it is made rather than held in memory whole.
func (f *Feature) Keep(w io.Writer) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	// A writer that buffers already (gen build's record) is written to
	// directly: the text of every page is not copied twice.
	bw, direct := w.(docWriter)
	var b *bufio.Writer
	if !direct {
		b = bufio.NewWriter(w)
		bw = b
	}
	bw.WriteString(keptMagic)
	bw.WriteByte(0)
	urls := f.sortedURLs()
	bw.Write(binary.AppendUvarint(nil, uint64(len(urls))))
	for _, u := range urls {
		k := f.all[u]
		if err := writeDoc(bw, k.Doc); err != nil {
			return err
		}
		bw.Write(binary.LittleEndian.AppendUint64(nil, k.key))
	}
	if b != nil {
		return b.Flush()
	}
	return nil
}

// docWriter is what writeDoc writes to: a bufio.Writer, or a writer that
// buffers as one does.
type docWriter interface {
	io.Writer
	io.StringWriter
	io.ByteWriter
}

// writeDoc writes every field of d, length-prefixed: what Keep keeps of
// a document before its key.
func writeDoc(w docWriter, d Doc) error {
	var buf [binary.MaxVarintLen64]byte
	num := func(n int) { w.Write(binary.AppendUvarint(buf[:0], uint64(n))) }
	str := func(s string) {
		num(len(s))
		w.WriteString(s)
	}
	for _, s := range []string{d.URL, d.Title, d.Kind, d.Summary} {
		str(s)
	}
	code := d.code()
	num(len(code))
	w.Write(code)
	num(len(d.Tags))
	for _, t := range d.Tags {
		str(t)
	}
	date, err := d.Date.MarshalBinary()
	if err != nil {
		return err
	}
	str(string(date))
	return nil
}

const keptMagic = "search docs 3"

// Resume takes back the text and keys Keep encoded, keeping parts of data. Plan
// forgets the pages the site no longer has, and pages that render again
// replace theirs.
func (f *Feature) Resume(_ context.Context, data []byte) error {
	all, urls, err := decodeKept(data)
	if err != nil {
		return err
	}
	f.mu.Lock()
	f.all, f.urls = all, urls
	f.mu.Unlock()
	return nil
}

var errKept = errors.New("search: damaged text of pages")

// decodeKept decodes what Keep wrote: the documents by URL, and their
// URLs in order (sorted, as Keep writes them; nil if they are not).
func decodeKept(b []byte) (all map[string]keptDoc, urls []string, err error) {
	if !bytes.HasPrefix(b, []byte(keptMagic+"\x00")) {
		return nil, nil, errKept
	}
	b = b[len(keptMagic)+1:]
	bad := false
	num := func() uint64 {
		n, k := binary.Uvarint(b)
		if k <= 0 {
			bad = true
			return 0
		}
		b = b[k:]
		return n
	}
	str := func() string {
		n := num()
		if bad || n > uint64(len(b)) {
			bad = true
			return ""
		}
		s := string(b[:n])
		b = b[n:]
		return s
	}
	count := num()
	if count > uint64(len(b)) {
		return nil, nil, errKept
	}
	all = make(map[string]keptDoc, count)
	urls = make([]string, 0, count)
	for range count {
		d := Doc{URL: str(), Title: str(), Kind: str(), Summary: str()}
		n := num()
		if bad || n > uint64(len(b)) {
			return nil, nil, errKept
		}
		d.packed = b[:n:n] // data is the feature's own (pipeline's keeper)
		b = b[n:]
		tags := num()
		if tags > uint64(len(b)) {
			return nil, nil, errKept
		}
		for range tags {
			d.Tags = append(d.Tags, str())
		}
		if err := d.Date.UnmarshalBinary([]byte(str())); err != nil || bad || len(b) < 8 {
			return nil, nil, errKept
		}
		if _, dup := all[d.URL]; dup {
			return nil, nil, errKept
		}
		// The key is the one Keep wrote, which the record's checksum
		// vouches for, as it does for the text.
		all[d.URL] = keptDoc{d, binary.LittleEndian.Uint64(b)}
		b = b[8:]
		urls = append(urls, d.URL)
	}
	if bad || len(b) != 0 {
		return nil, nil, errKept
	}
	if !slices.IsSorted(urls) {
		urls = nil
	}
	return all, urls, nil
}
