package search

import (
	"bytes"
	"compress/flate"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"unicode/utf8"
)

// Index answers queries from built files the way search.js does. The site
// does not use it; tests use it to check rankings and the file formats, and
// the benchmark to check the script's answers.
type Index struct {
	fetch        func(path string) ([]byte, error)
	Docs, Shards int
	per          int
	more         int // pieces past the first of the longest postings (see pieceBytes)
	piece        int // their size
	chars        []byte
	tc           []rune   // the characters of the text code (textcode.go)
	pairs        []uint64 // the pairs the site has (pairs.go), sorted
	words        []uint64 // the codes of the words the site has (words.go), sorted
	wordMod      uint64   // their modulus; 0 without a word list
	charRank     []int32  // of each character of the bitmap
	byRank       []rune   // the characters of the bitmap, for corrections (typo.go)
	commonness   map[rune]int
	nchars       int
	Kinds        []KindRange
	shards       map[uint32]map[string]posting
	heads        map[int]Head
	packs        map[int][]byte
	files        fileNames
}

// KindRange is the ids of one kind of document: From ≤ id < To.
type KindRange struct {
	Kind     string
	From, To int
}

type posting struct {
	df    int
	list  []byte
	dense bool   // list is an impact per document, two to a byte, low nibble first
	title []byte // varint(doc delta), varint(title length) of the documents with the term in the title
	// rest, when not empty, is where the pieces of the postings past
	// the first are (see pieceBytes); list is then the first piece of
	// the postings and title postings, size the length of the postings.
	rest []piece
	size int
}

// piece is where piece k of a long posting list is in its shard's file
// of pieces k.
type piece struct{ k, off, n int }

// Hit is one result.
type Hit struct {
	ID    int
	URL   string
	Title string
	Score float64
}

// Answer is what a query found.
type Answer struct {
	Hits    []Hit    // the first results, best first
	N       int      // results in all
	Unknown []string // terms of the query the site does not contain, as typed
	Approx  bool     // results of a corrected query (Suggest), or by single characters when no pair matched
	Suggest string   // the query with a mistyped character corrected, whose results these are
}

// maxFile bounds what a compressed index file may inflate to.
const maxFile = 64 << 20

// inflate reads a raw DEFLATE file.
func inflate(b []byte) ([]byte, error) {
	out, err := io.ReadAll(io.LimitReader(flate.NewReader(bytes.NewReader(b)), maxFile+1))
	if err != nil {
		return nil, err
	}
	if len(out) > maxFile {
		return nil, errors.New("search: file inflates past 64 MB")
	}
	return out, nil
}

// Open reads meta.json through fetch, which takes a path relative to the
// site root such as search/meta.json.
func Open(fetch func(path string) ([]byte, error)) (*Index, error) {
	b, err := fetch(Dir + "meta.json")
	if err != nil {
		return nil, err
	}
	var m struct {
		V, Docs, Shards, Per int
		More, Piece          int
		Kinds                [][2]json.RawMessage
		Files                fileNames
		Chars                string
		TC                   string
		Pairs, Rice          int
		Words, WRice         int
		WMod                 uint64
		WordsAt              *int
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("search: meta.json: %w", err)
	}
	if m.V != 6 || m.Shards < 1 || m.Per < 1 || m.Docs < 0 || len(m.Files.Shard) != min(m.Shards, shardGroups)*groupHashLen {
		return nil, errors.New("search: meta.json: unsupported index")
	}
	chars, err := base64.StdEncoding.DecodeString(m.Chars)
	if err != nil || len(chars) != charsLen/8 {
		return nil, errors.New("search: meta.json: bad character bitmap")
	}
	if m.Piece < 1 || m.More < 0 || m.More > maxFile/m.Piece {
		return nil, errors.New("search: meta.json: bad pieces")
	}
	x := &Index{fetch: fetch, Docs: m.Docs, Shards: m.Shards, more: m.More, piece: m.Piece, per: m.Per, chars: chars, files: m.Files, tc: []rune(m.TC),
		shards: map[uint32]map[string]posting{}, heads: map[int]Head{}, packs: map[int][]byte{}}
	x.charRank, x.nchars = charRanks(chars)
	if m.Files.Pairs != "" {
		b, err := fetch(Dir + m.Files.Pairs)
		if err != nil {
			return nil, err
		}
		if x.pairs, err = decodePairs(b, m.Rice, m.Pairs); err != nil {
			return nil, err
		}
		if at := m.WordsAt; at != nil && m.WMod > 0 {
			if *at < 0 || *at > len(b) {
				return nil, errors.New("search: meta.json: bad word list")
			}
			if x.words, err = decodePairs(b[*at:], m.WRice, m.Words); err != nil {
				return nil, err
			}
			x.wordMod = m.WMod
		}
	}
	from := 0
	for _, k := range m.Kinds {
		var r KindRange
		if json.Unmarshal(k[0], &r.Kind) != nil || json.Unmarshal(k[1], &r.To) != nil || r.To < from || r.To > m.Docs {
			return nil, errors.New("search: meta.json: bad kinds")
		}
		r.From, from = from, r.To
		x.Kinds = append(x.Kinds, r)
	}
	return x, nil
}

// DecodeShard parses one shard file (after inflating it) into its terms.
func DecodeShard(b []byte) (map[string]posting, error) {
	return decodeShard(b, pieceBytes)
}

// Head is what the index carries of a document besides its text: enough
// to show it as a result, and where its text is.
type Head struct {
	ID               int
	URL, Title, Date string
	Pack, Off, Len   int
}

// decodeHeads parses a chunk of the document table, a JSON array of heads,
// the first of which is document first.
func decodeHeads(b []byte, first int) ([]Head, error) {
	var raw [][]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("search: heads: %w", err)
	}
	heads := make([]Head, len(raw))
	for i, r := range raw {
		h := &heads[i]
		h.ID = first + i
		if len(r) != 6 {
			return nil, errors.New("search: heads: wrong number of fields")
		}
		for j, f := range []*string{&h.URL, &h.Title, &h.Date} {
			if err := json.Unmarshal(r[j], f); err != nil {
				return nil, fmt.Errorf("search: heads: %w", err)
			}
		}
		for j, f := range []*int{&h.Pack, &h.Off, &h.Len} {
			if err := json.Unmarshal(r[3+j], f); err != nil || *f < 0 {
				return nil, errors.New("search: heads: bad text position")
			}
		}
	}
	return heads, nil
}

func decodeShard(b []byte, pieceLen int) (map[string]posting, error) {
	bad := errors.New("search: corrupt shard")
	n, k := binary.Uvarint(b)
	if k <= 0 || n > uint64(len(b)) {
		return nil, bad
	}
	b = b[k:]
	type head struct {
		text        string
		size, tsize uint64
		dense       bool
	}
	heads := make([]head, 0, n)
	var total uint64
	for range n {
		l, k := binary.Uvarint(b)
		if k <= 0 || l > uint64(len(b)-k) {
			return nil, bad
		}
		h := head{text: string(b[k : k+int(l)])}
		b = b[k+int(l):]
		if h.size, k = binary.Uvarint(b); k <= 0 || h.size>>2 > maxFile {
			return nil, bad
		}
		titled := h.size&1 == 1
		h.dense, h.size = h.size&2 == 2, h.size>>2
		b = b[k:]
		if titled {
			if h.tsize, k = binary.Uvarint(b); k <= 0 || h.tsize > maxFile {
				return nil, bad
			}
			b = b[k:]
		}
		total += min(h.size+h.tsize, uint64(pieceLen))
		heads = append(heads, h)
	}
	if total != uint64(len(b)) {
		return nil, bad
	}
	m := make(map[string]posting, n)
	// off[k-1] is where the next long term's piece k is in the shard's
	// file of pieces k.
	var off []int
	for _, h := range heads {
		size, all := int(h.size), int(h.size+h.tsize)
		first := min(all, pieceLen)
		p := posting{dense: h.dense}
		if all == first {
			p.list, p.title = b[:size], b[size:all]
			p.df = p.count()
		} else {
			p.list, p.size = b[:first], size
			for k := 1; k*pieceLen < all; k++ {
				if len(off) < k {
					off = append(off, 0)
				}
				n := min(all-k*pieceLen, pieceLen)
				p.rest = append(p.rest, piece{k: k, off: off[k-1], n: n})
				off[k-1] += n
			}
		}
		m[h.text] = p
		b = b[first:]
	}
	return m, nil
}

// absent reports whether the metadata shows that the site has no
// document with token t: a Chinese token with a character the bitmap
// lacks, a pair the pairs file lacks, or a word the word list lacks.
func (x *Index) absent(t string) bool {
	if x.wordAbsent(t) {
		return true
	}
	for _, r := range t {
		if r >= charsFrom && r < charsFrom+charsLen && x.chars[(r-charsFrom)/8]&(1<<((r-charsFrom)%8)) == 0 {
			return true
		}
	}
	if a, b, ok := pairOf(t); ok && x.pairs != nil {
		if v, ok := pairCode(a, b, x.charRank, x.nchars); ok {
			_, found := slices.BinarySearch(x.pairs, v)
			return !found
		}
	}
	return false
}

// settled reports whether the metadata alone says if the site has token t:
// a character in the bitmap's range, or a pair of them.
func (x *Index) settled(t string) bool {
	rs := 0
	for _, r := range t {
		if r < charsFrom || r >= charsFrom+charsLen {
			return false
		}
		rs++
	}
	return rs == 1 || (rs == 2 && x.pairs != nil)
}

// pairOf splits a token of two runes.
func pairOf(t string) (rune, rune, bool) {
	a, n1 := utf8.DecodeRuneInString(t)
	b, n2 := utf8.DecodeRuneInString(t[n1:])
	return a, b, n1+n2 == len(t) && n2 > 0
}

func (x *Index) term(t string) (posting, error) {
	if x.absent(t) {
		return posting{}, nil
	}
	s := hashTerm(t) % uint32(x.Shards)
	sh, ok := x.shards[s]
	if !ok {
		b, err := x.fetch(Dir + fileName("shard", int(s), x.files.Shard))
		if err != nil {
			return posting{}, err
		}
		if b, err = inflate(b); err != nil {
			return posting{}, fmt.Errorf("search: shard %x: %w", s, err)
		}
		if sh, err = decodeShard(b, x.piece); err != nil {
			return posting{}, err
		}
		x.shards[s] = sh
	}
	p := sh[t]
	if len(p.rest) == 0 {
		return p, nil
	}
	all := slices.Clip(p.list)
	for _, pc := range p.rest {
		b, err := x.fetch(Dir + fileName("more", int(s)*x.more+pc.k-1, x.files.More))
		if err != nil {
			return posting{}, err
		}
		if b, err = inflate(b); err != nil {
			return posting{}, fmt.Errorf("search: pieces %d of shard %x: %w", pc.k, s, err)
		}
		if pc.off+pc.n > len(b) {
			return posting{}, fmt.Errorf("search: pieces %d of shard %x: too short", pc.k, s)
		}
		all = append(all, b[pc.off:pc.off+pc.n]...)
	}
	p.list, p.title, p.rest = all[:p.size], all[p.size:], nil
	p.df = p.count()
	sh[t] = p
	return p, nil
}

// count is the number of documents of a posting list: of non-zero
// nibbles, or of varints (bytes without the continuation bit).
func (p posting) count() int {
	n := 0
	for _, c := range p.list {
		if p.dense {
			n += min(1, int(c&15)) + min(1, int(c>>4))
		} else if c < 0x80 {
			n++
		}
	}
	return n
}

// each calls fn with each document of a posting list and its impact.
func (p posting) each(fn func(doc int, q byte)) error {
	if p.dense {
		for j, c := range p.list {
			if c&15 != 0 {
				fn(2*j, c&15)
			}
			if c>>4 != 0 {
				fn(2*j+1, c>>4)
			}
		}
		return nil
	}
	doc := -1
	for b := p.list; len(b) > 0; {
		v, k := binary.Uvarint(b)
		if k <= 0 {
			return errors.New("search: corrupt postings")
		}
		b = b[k:]
		doc += int(v >> 4)
		fn(doc, byte(v&15))
	}
	return nil
}

// verifyMax is how many of the best candidates of a quoted query have their
// text fetched to check the phrase.
const verifyMax = 20

// Query ranks the documents for q and returns the first limit hits.
//
// The rule, the same for Chinese and Latin: a term (a word, or a stretch
// of Chinese characters) that no page contains is reported in Unknown and
// left out; of the rest, every word must match, every pair of a quoted
// stretch, and the pairs a page has must cover more than half of the
// characters of the Chinese terms. A page with all of a term's pairs in
// order ranks twice as high. A stretch with one mistyped character (see
// correct) is searched as corrected (Approx, Suggest). When no pair of a
// Chinese query is on the site, its single characters are searched
// instead (Approx), more than half of them per page.
func (x *Index) Query(q string, limit int) (*Answer, error) {
	ans, scored, err := x.answer(q, true)
	if err != nil {
		return nil, err
	}
	ans.N = len(scored)
	ans.Hits = scored[:min(limit, len(scored))]
	for i := range ans.Hits {
		h, err := x.head(ans.Hits[i].ID)
		if err != nil {
			return nil, err
		}
		ans.Hits[i].URL, ans.Hits[i].Title = h.URL, h.Title
	}
	return ans, nil
}

// answer is Query's answer but for the hits' heads, with every match
// ranked; fix allows a typo's correction.
func (x *Index) answer(q string, fix bool) (*Answer, []Hit, error) {
	pq := Parse(q)
	ans := &Answer{}
	// Whether the site has a token: from the metadata for a character or
	// pair in the bitmap's range (its shard is fetched only if the query
	// can match), from its shard for the others.
	ps := make([]posting, len(pq.Tokens))
	present := make([]bool, len(pq.Tokens))
	var later []int
	for i, t := range pq.Tokens {
		if x.settled(t.Text) {
			if present[i] = !x.absent(t.Text); present[i] {
				later = append(later, i)
			}
			continue
		}
		p, err := x.term(t.Text)
		if err != nil {
			return nil, nil, err
		}
		ps[i], present[i] = p, p.df > 0
	}
	var active []Run
	longCJK := false
	for _, r := range pq.Runs {
		known, all := false, true
		for _, t := range r.Toks {
			if present[t] {
				known = true
			} else {
				all = false
			}
		}
		if r.CJK && len(r.Toks) > 0 && len([]rune(pq.Tokens[r.Toks[0]].Text)) == 2 {
			longCJK = true
		}
		if !known || (r.Quoted && !all) {
			ans.Unknown = append(ans.Unknown, r.Text)
			continue
		}
		active = append(active, r)
	}
	if fix {
		cq, err := x.correct(q, pq, present)
		if err != nil {
			return nil, nil, err
		}
		if cq != "" {
			a, scored, err := x.answer(cq, false)
			if err != nil {
				return nil, nil, err
			}
			if len(scored) > 0 {
				a.Unknown, a.Approx, a.Suggest = ans.Unknown, true, cq
				return a, scored, nil
			}
		}
	}
	var mask uint32
	for i, p := range present {
		if p {
			mask |= 1 << i
		}
	}
	if len(active) > 0 && Coverage(pq, active, mask) > 0 {
		for _, i := range later {
			p, err := x.term(pq.Tokens[i].Text)
			if err != nil {
				return nil, nil, err
			}
			ps[i] = p
		}
	}
	var scored []Hit
	var err error
	switch {
	case len(active) > 0:
		scored, err = x.rank(pq, active, ps)
	case longCJK:
		ans.Approx = true
		scored, err = x.approx(pq)
	}
	if err != nil {
		return nil, nil, err
	}
	if slices.ContainsFunc(active, func(r Run) bool { return r.Quoted && r.CJK }) {
		if scored, err = x.verify(scored, active); err != nil {
			return nil, nil, err
		}
	}
	ans.Approx = ans.Approx && len(scored) > 0
	return ans, scored, nil
}

// Search is Query's hits and count.
func (x *Index) Search(q string, limit int) ([]Hit, int, error) {
	a, err := x.Query(q, limit)
	if err != nil {
		return nil, 0, err
	}
	return a.Hits, a.N, nil
}

func (x *Index) idf(df int) float64 {
	return math.Log(1 + (float64(x.Docs)-float64(df)+0.5)/(float64(df)+0.5))
}

// sortHits orders hits best first, ties to the lower id.
func sortHits(hits []Hit) {
	slices.SortFunc(hits, func(a, b Hit) int {
		if a.Score != b.Score {
			if a.Score > b.Score {
				return -1
			}
			return 1
		}
		return a.ID - b.ID
	})
}

// Coverage is how a page's set of tokens (a bit mask) meets the active
// runs: the factor its score is multiplied by, 0 if it does not match.
// search.js has the same function.
func Coverage(pq Query, active []Run, m uint32) float64 {
	has := func(t int) bool { return m&(1<<t) != 0 }
	total, covered, pairs, adj := 0, 0, 0, 0
	for _, r := range active {
		if !r.CJK {
			if !has(r.Toks[0]) {
				return 0
			}
			continue
		}
		k := len(r.Toks)
		single := k == 1 && len([]rune(pq.Tokens[r.Toks[0]].Text)) == 1
		if single {
			total++
			if has(r.Toks[0]) {
				covered++
			} else if r.Quoted {
				return 0
			}
			continue
		}
		total += k + 1
		for j := 0; j <= k; j++ {
			if (j > 0 && has(r.Toks[j-1])) || (j < k && has(r.Toks[j])) {
				covered++
			}
		}
		pairs += k - 1
		for j := 0; j < k; j++ {
			if !has(r.Toks[j]) {
				if r.Quoted {
					return 0
				}
			} else if j > 0 && has(r.Toks[j-1]) {
				adj++
			}
		}
	}
	if total > 0 && 2*covered <= total {
		return 0
	}
	f := 1.0
	if total > 0 {
		f += float64(covered) / float64(total)
	}
	if pairs > 0 {
		f *= 1 + 0.5*float64(adj)/float64(pairs)
	}
	if covered == total && adj == pairs {
		f *= 2
	}
	return f
}

// TitleFactor is what a page's title adds to its score: when the title
// has every token of the active runs that the site has (known, a bit mask
// like tm), 1 + the share of the title (tl characters) that the query's
// qlen characters make up, so that a title that is the query doubles the
// score; else 1. search.js has the same function.
func TitleFactor(known, tm uint32, qlen, tl int) float64 {
	if known == 0 || tm&known != known || tl == 0 {
		return 1
	}
	return 1 + math.Min(1, float64(qlen)/float64(tl))
}

// queryLen is the number of characters of the active runs and the mask of
// their tokens that the site has.
func queryLen(pq Query, active []Run, ps []posting) (qlen int, known uint32) {
	for _, r := range active {
		for _, t := range r.Toks {
			if ps[t].df > 0 {
				known |= 1 << t
			}
		}
		switch n := len([]rune(pq.Tokens[r.Toks[0]].Text)); {
		case !r.CJK:
			qlen += n
		case n == 1:
			qlen++
		default:
			qlen += len(r.Toks) + 1
		}
	}
	return qlen, known
}

func (x *Index) rank(pq Query, active []Run, ps []posting) ([]Hit, error) {
	score := map[int]float64{}
	mask := map[int]uint32{}
	tmask := map[int]uint32{}
	tlen := map[int]int{}
	for i, p := range ps {
		if p.df == 0 {
			continue
		}
		idf := x.idf(p.df)
		if err := p.each(func(doc int, q byte) {
			score[doc] += idf * float64(q)
			mask[doc] |= 1 << i
		}); err != nil {
			return nil, err
		}
		doc := -1
		for b := p.title; len(b) > 0; {
			d, k1 := binary.Uvarint(b)
			l, k2 := binary.Uvarint(b[max(0, k1):])
			if k1 <= 0 || k2 <= 0 {
				return nil, errors.New("search: corrupt title postings")
			}
			b = b[k1+k2:]
			doc += int(d)
			tmask[doc] |= 1 << i
			tlen[doc] = int(l)
		}
	}
	qlen, known := queryLen(pq, active, ps)
	memo := map[uint32]float64{}
	var hits []Hit
	for doc, m := range mask {
		f, ok := memo[m]
		if !ok {
			f = Coverage(pq, active, m)
			memo[m] = f
		}
		if f > 0 {
			hits = append(hits, Hit{ID: doc, Score: score[doc] * f * TitleFactor(known, tmask[doc], qlen, tlen[doc])})
		}
	}
	sortHits(hits)
	return hits, nil
}

// approxChars is the distinct characters of the Chinese runs of a query,
// at most maxQueryTokens.
func approxChars(pq Query) []string {
	var cs []string
	for _, r := range pq.Runs {
		if !r.CJK {
			continue
		}
		for j, t := range r.Toks {
			rs := []rune(pq.Tokens[t].Text)
			for k, c := range rs {
				if (j == 0 || k == 1) && !slices.Contains(cs, string(c)) && len(cs) < maxQueryTokens {
					cs = append(cs, string(c))
				}
			}
		}
	}
	return cs
}

func (x *Index) approx(pq Query) ([]Hit, error) {
	cs := approxChars(pq)
	present := 0
	for _, c := range cs {
		if !x.absent(c) {
			present++
		}
	}
	if 2*present <= len(cs) {
		return nil, nil // no page can have more than half of them
	}
	score := map[int]float64{}
	count := map[int]int{}
	for _, c := range cs {
		p, err := x.term(c)
		if err != nil {
			return nil, err
		}
		if p.df == 0 {
			continue
		}
		idf := x.idf(p.df)
		if err := p.each(func(doc int, q byte) {
			score[doc] += idf * float64(q)
			count[doc]++
		}); err != nil {
			return nil, err
		}
	}
	var hits []Hit
	for doc, n := range count {
		if 2*n > len(cs) {
			hits = append(hits, Hit{ID: doc, Score: score[doc] * (1 + float64(n)/float64(len(cs)))})
		}
	}
	sortHits(hits)
	return hits, nil
}

// verify keeps, of the first verifyMax hits, those whose title, summary or
// text has each quoted Chinese run of the query exactly, then those whose
// stored text is cut short (it ends in clipMark) before a run could be
// checked: they have every pair of the runs, and the rest of their text may
// have the runs in order. A quoted phrase longer than the stored text (about
// 170 characters) is thus found in any page with all its pairs.
func (x *Index) verify(hits []Hit, active []Run) ([]Hit, error) {
	var phrases []string
	for _, r := range active {
		if r.Quoted && r.CJK {
			phrases = append(phrases, FoldText(r.Text))
		}
	}
	var out, maybe []Hit
	for _, h := range hits[:min(len(hits), verifyMax)] {
		hd, err := x.head(h.ID)
		if err != nil {
			return nil, err
		}
		text, err := x.Text(h.ID)
		if err != nil {
			return nil, err
		}
		all := FoldText(hd.Title + "\n" + text)
		switch {
		case !slices.ContainsFunc(phrases, func(p string) bool { return !strings.Contains(all, p) }):
			out = append(out, h)
		case strings.HasSuffix(text, clipMark):
			maybe = append(maybe, h)
		}
	}
	return append(out, maybe...), nil
}

// FoldText folds every character of s as the index does (the same number
// of characters).
func FoldText(s string) string {
	var b strings.Builder
	for _, r := range s {
		b.WriteRune(fold(r))
	}
	return b.String()
}

// head returns a document's head, from its chunk of the document table.
func (x *Index) head(id int) (Head, error) {
	if h, ok := x.heads[id]; ok {
		return h, nil
	}
	c := id / x.per
	b, err := x.fetch(Dir + fileName("docs", c, x.files.Docs))
	if err != nil {
		return Head{}, err
	}
	if b, err = inflate(b); err != nil {
		return Head{}, fmt.Errorf("search: docs chunk %d: %w", c, err)
	}
	hs, err := decodeHeads(b, c*x.per)
	if err != nil {
		return Head{}, fmt.Errorf("search: docs chunk %d: %w", c, err)
	}
	for _, h := range hs {
		x.heads[h.ID] = h
	}
	h, ok := x.heads[id]
	if !ok {
		return Head{}, fmt.Errorf("search: document %d missing", id)
	}
	return h, nil
}

// Text returns a document's summary, a line break and the start of its text
// (what snippets come from).
func (x *Index) Text(id int) (string, error) {
	h, err := x.head(id)
	if err != nil {
		return "", err
	}
	p, ok := x.packs[h.Pack]
	if !ok {
		if p, err = x.fetch(Dir + fileName("text", int(h.Pack), x.files.Text)); err != nil {
			return "", err
		}
		x.packs[h.Pack] = p
	}
	if h.Off+h.Len > len(p) {
		return "", fmt.Errorf("search: text of document %d outside its pack", id)
	}
	t, err := decodeText(p[h.Off:h.Off+h.Len], x.tc)
	if err != nil {
		return "", fmt.Errorf("search: text of document %d: %w", id, err)
	}
	return t, nil
}
