package search

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
)

// Index answers queries from built files the way search.js does. The site
// does not use it; tests use it to check rankings and the file formats, and
// the benchmark to check the script's answers.
type Index struct {
	fetch        func(path string) ([]byte, error)
	Docs, Shards int
	per          int
	shards       map[uint32]map[string]posting
	chunks       map[int][][]string
}

type posting struct {
	df    int
	list  []byte
	dense bool // list is an impact per document, two to a byte, low nibble first
}

// Hit is one result.
type Hit struct {
	ID    int
	URL   string
	Title string
	Score float64
}

// Open reads meta.json through fetch, which takes a path relative to the
// site root such as search/meta.json.
func Open(fetch func(path string) ([]byte, error)) (*Index, error) {
	b, err := fetch(Dir + "meta.json")
	if err != nil {
		return nil, err
	}
	var m struct{ V, Docs, Shards, Per int }
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("search: meta.json: %w", err)
	}
	if m.V != 3 || m.Shards < 1 || m.Per < 1 || m.Docs < 0 {
		return nil, errors.New("search: meta.json: unsupported index")
	}
	return &Index{fetch: fetch, Docs: m.Docs, Shards: m.Shards, per: m.Per,
		shards: map[uint32]map[string]posting{}, chunks: map[int][][]string{}}, nil
}

// DecodeShard parses one shard file into its terms. The rest of the file,
// after the postings, is the heads of the terms' top documents (see
// ShardHeads).
func DecodeShard(b []byte) (map[string]posting, error) {
	m, _, err := decodeShard(b)
	return m, err
}

// Head is what a shard carries of a document: enough to show it as a
// result before its chunk of the document table arrives.
type Head struct {
	ID                              int
	URL, Title, Kind, Date, Summary string
}

// ShardHeads returns the document heads of a shard file, in the order of
// their ids.
func ShardHeads(b []byte) ([]Head, error) {
	_, rest, err := decodeShard(b)
	if err != nil || len(rest) == 0 {
		return nil, err
	}
	var raw [][]json.RawMessage
	if err := json.Unmarshal(rest, &raw); err != nil {
		return nil, fmt.Errorf("search: shard heads: %w", err)
	}
	heads := make([]Head, len(raw))
	for i, r := range raw {
		if len(r) != 6 {
			return nil, errors.New("search: shard heads: wrong number of fields")
		}
		h := &heads[i]
		if err := json.Unmarshal(r[0], &h.ID); err != nil {
			return nil, fmt.Errorf("search: shard heads: %w", err)
		}
		for j, f := range []*string{&h.URL, &h.Title, &h.Kind, &h.Date, &h.Summary} {
			if err := json.Unmarshal(r[j+1], f); err != nil {
				return nil, fmt.Errorf("search: shard heads: %w", err)
			}
		}
	}
	return heads, nil
}

func decodeShard(b []byte) (map[string]posting, []byte, error) {
	bad := errors.New("search: corrupt shard")
	n, k := binary.Uvarint(b)
	if k <= 0 || n > uint64(len(b)) {
		return nil, nil, bad
	}
	b = b[k:]
	type head struct {
		text     string
		df, size uint64
		dense    bool
	}
	heads := make([]head, 0, n)
	var total uint64
	for range n {
		l, k := binary.Uvarint(b)
		if k <= 0 || l > uint64(len(b)-k) {
			return nil, nil, bad
		}
		h := head{text: string(b[k : k+int(l)])}
		b = b[k+int(l):]
		if h.df, k = binary.Uvarint(b); k <= 0 {
			return nil, nil, bad
		}
		b = b[k:]
		if h.size, k = binary.Uvarint(b); k <= 0 || h.size>>1 > uint64(len(b)) {
			return nil, nil, bad
		}
		h.dense, h.size = h.size&1 == 1, h.size>>1
		b = b[k:]
		total += h.size
		heads = append(heads, h)
	}
	if total > uint64(len(b)) {
		return nil, nil, bad
	}
	m := make(map[string]posting, n)
	for _, h := range heads {
		m[h.text] = posting{df: int(h.df), list: b[:h.size], dense: h.dense}
		b = b[h.size:]
	}
	return m, b, nil
}

func (x *Index) term(t string) (posting, error) {
	s := hashTerm(t) % uint32(x.Shards)
	sh, ok := x.shards[s]
	if !ok {
		b, err := x.fetch(Dir + "shard-" + strconv.FormatUint(uint64(s), 16) + ".bin")
		if err != nil {
			// A shard with no terms is not written.
			b = []byte{0}
		}
		if sh, err = DecodeShard(b); err != nil {
			return posting{}, err
		}
		x.shards[s] = sh
	}
	return sh[t], nil
}

// Search ranks the documents for q and returns the first limit hits and the
// number of matches.
func (x *Index) Search(q string, limit int) ([]Hit, int, error) {
	toks := QueryTokens(q)
	type acc struct {
		score float64
		mask  uint32
	}
	scores := map[int]*acc{}
	var present, presentCJK int
	var needMask uint32 // words must all match
	found := uint32(0)
	for i, t := range toks {
		p, err := x.term(t.Text)
		if err != nil {
			return nil, 0, err
		}
		if p.df == 0 {
			if !t.CJK {
				return nil, 0, nil // every word must match, and no page has this one
			}
			continue // a bigram across two words, such as 类积 in 分类积分
		}
		present++
		found |= 1 << i
		if t.CJK {
			presentCJK++
		} else {
			needMask |= 1 << i
		}
		idf := math.Log(1 + (float64(x.Docs)-float64(p.df)+0.5)/(float64(p.df)+0.5))
		add := func(doc int, q byte) {
			a := scores[doc]
			if a == nil {
				a = &acc{}
				scores[doc] = a
			}
			a.score += idf * float64(q)
			a.mask |= 1 << i
		}
		if p.dense {
			for j, c := range p.list {
				if c&15 != 0 {
					add(2*j, c&15)
				}
				if c>>4 != 0 {
					add(2*j+1, c>>4)
				}
			}
			continue
		}
		doc := -1
		for b := p.list; len(b) > 0; {
			v, k := binary.Uvarint(b)
			if k <= 0 {
				return nil, 0, errors.New("search: corrupt postings")
			}
			b = b[k:]
			doc += int(v >> 4)
			add(doc, byte(v&15))
		}
	}
	if present == 0 {
		return nil, 0, nil
	}
	needCJK := (presentCJK*3 + 4) / 5 // ceil(0.6 × present Chinese tokens)
	pairs := 0
	for i := 1; i < len(toks); i++ {
		if toks[i].CJK && toks[i-1].CJK && toks[i].Run == toks[i-1].Run && found&(3<<(i-1)) == 3<<(i-1) {
			pairs++
		}
	}
	var hits []Hit
	for id, a := range scores {
		if a.mask&needMask != needMask {
			continue
		}
		matched, cjk, adj := 0, 0, 0
		for i, t := range toks {
			if a.mask&(1<<i) == 0 {
				continue
			}
			matched++
			if t.CJK {
				cjk++
				if i > 0 && toks[i-1].CJK && toks[i-1].Run == t.Run && a.mask&(1<<(i-1)) != 0 {
					adj++
				}
			}
		}
		if cjk < needCJK {
			continue
		}
		s := a.score * (1 + float64(matched)/float64(present))
		if pairs > 0 {
			s *= 1 + 0.5*float64(adj)/float64(pairs)
		}
		hits = append(hits, Hit{ID: id, Score: s})
	}
	slices.SortFunc(hits, func(a, b Hit) int {
		if a.Score != b.Score {
			if a.Score > b.Score {
				return -1
			}
			return 1
		}
		return a.ID - b.ID
	})
	n := len(hits)
	hits = hits[:min(limit, n)]
	for i := range hits {
		d, err := x.doc(hits[i].ID)
		if err != nil {
			return nil, 0, err
		}
		hits[i].URL, hits[i].Title = d[0], d[1]
	}
	return hits, n, nil
}

func (x *Index) doc(id int) ([]string, error) {
	c := id / x.per
	ch, ok := x.chunks[c]
	if !ok {
		b, err := x.fetch(Dir + "docs-" + strconv.FormatUint(uint64(c), 16) + ".json")
		if err != nil {
			return nil, err
		}
		if err := json.Unmarshal(b, &ch); err != nil {
			return nil, fmt.Errorf("search: docs chunk %d: %w", c, err)
		}
		x.chunks[c] = ch
	}
	if id%x.per >= len(ch) || len(ch[id%x.per]) < 6 {
		return nil, fmt.Errorf("search: document %d missing", id)
	}
	return ch[id%x.per], nil
}
