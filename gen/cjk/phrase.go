package cjk

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"html/template"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// The BudouX zh-Hans model: weights of character n-grams around a
// possible break, learnt from text where phrase boundaries were marked
// (see budoux/README.md for where it comes from and its licence).
//
//go:embed budoux/zh-hans.json
var zhHansJSON []byte

// A model scores a break between two characters from the characters
// around it. Unigram features look at one character at offsets -3..+2 of
// the break, bigrams at the pairs at -2, -1 and 0, trigrams at the triples
// at -3..0; a break is proposed where the weights of the features present
// outweigh half of all weights.
//
// Each rune that occurs in some feature has an id from 1 up, 0 standing
// for every other rune; a BMP rune's id is an index into ids. A rune's
// unigram weights sit in its entry of grams, with flags saying where in
// a bigram or trigram it occurs; the bigrams and trigrams are in small
// hash tables keyed by their runes' ids. A bigram or trigram of a text is
// looked up only if each of its runes has an id and is flagged for its
// place, which spares most of them. BenchmarkPhrases and
// BenchmarkPhrasesTitles, each beside its Ref, show the gain over Go maps
// keyed by the n-gram's packed runes.
type model struct {
	ids    [0x10000]uint16     // id of each BMP rune, 0 if it is in no feature
	astral map[rune]uint16     // id of each rune above the BMP in a feature; nil if there is none
	grams  []runeGrams         // by id; grams[0] is empty
	bi     gramTable[[3]int16] // BW1..BW3
	tri    gramTable[[4]int16] // TW1..TW4
	base   int32               // minus the sum of every weight; a break needs 2×score + base > 0
}

// runeGrams is what the model has for one rune: its unigram weights and
// the places (flags) it has in bigrams and trigrams.
type runeGrams struct {
	uni   [6]int16 // UW1..UW6
	flags uint8
}

// The places of a rune in the bigrams and trigrams.
const (
	biFirst uint8 = 1 << iota
	biSecond
	triFirst
	triSecond
	triThird
)

// A gramTable maps the ids of an n-gram's runes, packed 16 bits each
// with the first rune highest, to its weights: open addressing with
// linear probing in a table at most half full, key 0 marking an empty
// slot (no rune has id 0).
type gramTable[W any] struct {
	slots []gramSlot[W]
	shift uint // 64 minus log2(len(slots))
}

type gramSlot[W any] struct {
	key uint64
	w   W
}

func newGramTable[W any](n int) gramTable[W] {
	bits := uint(1)
	for 1<<bits < 2*n {
		bits++
	}
	return gramTable[W]{slots: make([]gramSlot[W], 1<<bits), shift: 64 - bits}
}

// find returns the slot of key: the one holding it, or the empty one
// where it would go.
func (t *gramTable[W]) find(key uint64) *gramSlot[W] {
	mask := uint64(len(t.slots) - 1)
	for i := (key * 0x9e3779b97f4a7c15) >> t.shift; ; i = (i + 1) & mask {
		if s := &t.slots[i]; s.key == key || s.key == 0 {
			return s
		}
	}
}

// id returns the id of r: 0 if r is in no feature, as -1 (a byte that is
// not UTF-8) never is.
func (m *model) id(r rune) uint16 {
	if r >= 0 && r < 0x10000 {
		return m.ids[uint16(r)]
	}
	if m.astral == nil {
		return 0
	}
	return m.astral[r]
}

// bigram returns the weights of the bigram of the runes with ids a and b,
// or nil if the model has none.
func (m *model) bigram(a, b uint16) *[3]int16 {
	if s := m.bi.find(uint64(a)<<16 | uint64(b)); s.key != 0 {
		return &s.w
	}
	return nil
}

// trigram returns the weights of the trigram of the runes with ids a, b
// and c, or nil if the model has none.
func (m *model) trigram(a, b, c uint16) *[4]int16 {
	if s := m.tri.find(uint64(a)<<32 | uint64(b)<<16 | uint64(c)); s.key != 0 {
		return &s.w
	}
	return nil
}

// features returns the n-grams of n runes in raw's feature groups named
// prefix1, prefix2 and on up to the number groups, each with its weight
// in group k at index k-1.
func features(raw map[string]map[string]int, prefix string, groups, n int) map[string]*[6]int {
	out := map[string]*[6]int{}
	for k := range groups {
		for text, w := range raw[fmt.Sprintf("%s%d", prefix, k+1)] {
			if utf8.RuneCountInString(text) != n || !utf8.ValidString(text) {
				continue
			}
			e := out[text]
			if e == nil {
				e = new([6]int)
				out[text] = e
			}
			e[k] = w
		}
	}
	return out
}

func parseModel(data []byte) (*model, error) {
	var raw map[string]map[string]int
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("cjk: phrase model: %w", err)
	}
	base := 0
	for _, group := range raw {
		for _, w := range group {
			base -= w
		}
	}
	uni, bi, tri := features(raw, "UW", 6, 1), features(raw, "BW", 3, 2), features(raw, "TW", 4, 3)
	if len(uni) == 0 || len(bi) == 0 || len(tri) == 0 {
		return nil, fmt.Errorf("cjk: phrase model: missing feature groups (have %d)", len(raw))
	}
	// Scores are int32: 13 weights of int16 doubled, plus base.
	if base < -1<<30 || base > 1<<30 {
		return nil, fmt.Errorf("cjk: phrase model: weights sum to %d", -base)
	}
	m := &model{base: int32(base)}

	// Ids in the order of the runes.
	var rs []rune
	for _, fs := range []map[string]*[6]int{uni, bi, tri} {
		for text := range fs {
			rs = append(rs, []rune(text)...)
		}
	}
	slices.Sort(rs)
	rs = slices.Compact(rs)
	if len(rs) >= 0xffff {
		return nil, fmt.Errorf("cjk: phrase model: %d runes", len(rs))
	}
	for i, r := range rs {
		if r < 0x10000 {
			m.ids[r] = uint16(i + 1)
		} else {
			if m.astral == nil {
				m.astral = map[rune]uint16{}
			}
			m.astral[r] = uint16(i + 1)
		}
	}
	m.grams = make([]runeGrams, len(rs)+1)
	// key returns the ids of text's runes packed into a gramTable key,
	// flagging each rune with its place.
	key := func(text string, places ...uint8) uint64 {
		var k uint64
		for i, r := range []rune(text) {
			id := m.id(r)
			m.grams[id].flags |= places[i]
			k = k<<16 | uint64(id)
		}
		return k
	}
	var bad error
	weights := func(dst []int16, text string, w *[6]int) {
		for k := range dst {
			if w[k] < -1<<15 || w[k] >= 1<<15 {
				bad = fmt.Errorf("cjk: phrase model: weight %d of %q does not fit in int16", w[k], text)
			}
			dst[k] = int16(w[k])
		}
	}
	for text, w := range uni {
		weights(m.grams[key(text, 0)].uni[:], text, w)
	}
	m.bi = newGramTable[[3]int16](len(bi))
	for text, w := range bi {
		k := key(text, biFirst, biSecond)
		s := m.bi.find(k)
		s.key = k
		weights(s.w[:], text, w)
	}
	m.tri = newGramTable[[4]int16](len(tri))
	for text, w := range tri {
		k := key(text, triFirst, triSecond, triThird)
		s := m.tri.find(k)
		s.key = k
		weights(s.w[:], text, w)
	}
	if bad != nil {
		return nil, bad
	}
	return m, nil
}

var zhHans = sync.OnceValue(func() *model {
	m, err := parseModel(zhHansJSON)
	if err != nil {
		// The model is compiled in; a broken one is a broken build.
		panic(err)
	}
	return m
})

// scores returns, for each rune i in 1..n-1 of rs, twice the model's
// score for a break before rune i (positive: a break); the score at 0 is
// 0. Features that would reach past either end of the text are absent.
// The scores are put in buf if it has room for len(rs)+5.
func (m *model) scores(rs []rune, buf []int32) []int32 {
	n := len(rs)
	if n == 0 {
		return nil
	}
	if cap(buf) < n+5 {
		buf = make([]int32, n+5)
	}
	// acc[i+2] adds up the weights for the break before rune i, for i in
	// -2..n+2: the n-grams at either end add to breaks that are not
	// there, and no weight needs a check of where it goes.
	acc := buf[:n+5]
	clear(acc)
	// a, b and c are the ids of runes j, j+1 and j+2, 0 past the end.
	var a, b uint16
	a = m.id(rs[0])
	if n > 1 {
		b = m.id(rs[1])
	}
	for j := range n {
		var c uint16
		if j+2 < n {
			c = m.id(rs[j+2])
		}
		if a != 0 {
			// The n-grams from rune j weigh on the breaks before runes
			// j-2..j+3, at acc[j..j+5]: weight k of a unigram or trigram
			// on the break before rune j+3-k, of a bigram j+2-k.
			q := (*[6]int32)(acc[j : j+6])
			g := &m.grams[a]
			q[5] += int32(g.uni[0])
			q[4] += int32(g.uni[1])
			q[3] += int32(g.uni[2])
			q[2] += int32(g.uni[3])
			q[1] += int32(g.uni[4])
			q[0] += int32(g.uni[5])
			if b != 0 && g.flags&(biFirst|triFirst) != 0 {
				fb := m.grams[b].flags
				if g.flags&biFirst != 0 && fb&biSecond != 0 {
					if w := m.bigram(a, b); w != nil {
						q[4] += int32(w[0])
						q[3] += int32(w[1])
						q[2] += int32(w[2])
					}
				}
				if c != 0 && g.flags&triFirst != 0 && fb&triSecond != 0 && m.grams[c].flags&triThird != 0 {
					if w := m.trigram(a, b, c); w != nil {
						q[5] += int32(w[0])
						q[4] += int32(w[1])
						q[3] += int32(w[2])
						q[2] += int32(w[3])
					}
				}
			}
		}
		a, b = b, c
	}
	out := acc[2 : n+2]
	out[0] = 0
	for i := 1; i < n; i++ {
		out[i] = 2*out[i] + m.base
	}
	return out
}

// runes appends to rs the runes of s, with -1 for each byte that is not
// UTF-8, and to offs their byte offsets, with len(s) after the last, so
// that pieces are cut from s itself (invalid UTF-8 included).
func runes(s string, rs []rune, offs []int) ([]rune, []int) {
	if len(s) > cap(rs)-len(rs) {
		if n := utf8.RuneCountInString(s); n > cap(rs)-len(rs) {
			rs = slices.Grow(rs, n)
			offs = slices.Grow(offs, n+1)
		}
	}
	for i := 0; i < len(s); {
		c := s[i]
		r, size := rune(c), 1
		switch {
		case c < utf8.RuneSelf:
		case c&0xf0 == 0xe0 && i+2 < len(s) && s[i+1]&0xc0 == 0x80 && s[i+2]&0xc0 == 0x80:
			// Three bytes, as every Chinese character of the BMP takes,
			// decoded here (BenchmarkPhrases) unless they spell a
			// surrogate or a rune below U+0800.
			r, size = rune(c&0x0f)<<12|rune(s[i+1]&0x3f)<<6|rune(s[i+2]&0x3f), 3
			if r < 0x800 || r >= 0xd800 && r <= 0xdfff {
				r, size = decodeRune(s[i:])
			}
		default:
			r, size = decodeRune(s[i:])
		}
		rs = append(rs, r)
		offs = append(offs, i)
		i += size
	}
	return rs, append(offs, len(s))
}

// decodeRune returns the first rune of s and its length in bytes, the
// rune -1 if the first byte does not begin a rune in UTF-8.
func decodeRune(s string) (rune, int) {
	r, size := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError && size == 1 {
		r = -1
	}
	return r, size
}

// budouxSplit splits s where the model alone proposes breaks, as BudouX's
// own parser does.
func budouxSplit(s string) []string {
	if s == "" {
		return nil
	}
	rs, offs := runes(s, nil, nil)
	sc := zhHans().scores(rs, nil)
	var out []string
	start := 0
	for i := 1; i < len(rs); i++ {
		if sc[i] > 0 {
			out = append(out, s[offs[start]:offs[i]])
			start = i
		}
	}
	return append(out, s[offs[start]:])
}

// noLineEnd reports whether r must not end a line: an opening bracket or
// quote.
func noLineEnd(r rune) bool {
	switch r {
	case '“', '‘', '《', '〈', '「', '『', '（', '【', '〔', '［', '｛', '(', '[', '{':
		return true
	}
	return false
}

// noLineStart reports whether r must not begin a line: closing
// punctuation.
func noLineStart(r rune) bool {
	switch r {
	case '，', '。', '、', '：', '；', '！', '？', '”', '’', '》', '〉', '」', '』', '）', '】', '〕', '］', '｝',
		',', '.', ':', ';', '!', '?', ')', ']', '}', '…', '—', '%', '％':
		return true
	}
	return false
}

// leftAttached reports whether r is a particle or suffix that belongs to
// the word before it.
func leftAttached(r rune) bool {
	switch r {
	case '的', '了', '们', '着', '过', '地', '得', '吗', '呢', '吧', '啊':
		return true
	}
	return false
}

// han reports whether r is a Chinese character, taking the CJK Unified
// Ideographs block without a table search.
func han(r rune) bool {
	return r >= 0x4e00 && r <= 0x9fff || r >= 0x2e80 && unicode.Is(unicode.Han, r)
}

// phraseBuf is how many runes Phrases segments with its buffers on the
// stack; a longer text has them on the heap.
const phraseBuf = 128

// Phrases splits s into phrases that a line may break between: the breaks
// BudouX's zh-Hans model proposes, kept only next to a wide (CJK)
// character (never inside a Latin word or a number), never after an
// opening quote or before closing punctuation,
// and with no phrase of a single Chinese character: the model alone
// splits 四队上阵 into 四|队|上|阵 and 居民 into 居|民, so a lone
// character joins its neighbour, a particle such as 的 or 们 the word
// before it, any other the side whose break the model is less sure of.
// Joined together the phrases are s.
func Phrases(s string) []string {
	if s == "" {
		return nil
	}
	var (
		rsBuf  [phraseBuf]rune
		offBuf [phraseBuf + 1]int
		scBuf  [phraseBuf + 5]int32
		cutBuf [phraseBuf]int
	)
	rs, offs := runes(s, rsBuf[:0], offBuf[:0])
	if len(rs) < 2 {
		return []string{s}
	}
	sc := zhHans().scores(rs, scBuf[:])
	cuts := cutBuf[:0] // positions of breaks, ascending
	for i := 1; i < len(rs); i++ {
		if sc[i] <= 0 {
			continue
		}
		if a, b := rs[i-1], rs[i]; !ideographs(a, b) && !mayBreak(a, b) {
			continue
		}
		cuts = append(cuts, i)
	}
	cuts = joinLone(rs, sc, cuts)
	out := make([]string, 0, len(cuts)+1)
	start := 0
	for _, c := range cuts {
		out = append(out, s[offs[start]:offs[c]])
		start = c
	}
	return append(out, s[offs[start]:])
}

// joinLone removes breaks from cuts (ascending positions of breaks in rs,
// scored by sc) until no phrase is a single Chinese character, and returns
// the breaks kept, in cuts' own array. A lone character that begins the
// text joins the phrase after it; one that ends it, or a particle, the
// phrase before; any other the side whose break has the lower score.
//
// The lone characters are taken from the left, each looking only at the
// breaks on its two sides. A join never makes a phrase shorter, so none
// left of the join becomes lone; the next lone character is the first to
// its right, and one pass does what rescanning from the first phrase after
// each join would.
func joinLone(rs []rune, sc []int32, cuts []int) []int {
	kept := 0 // cuts[:kept] are kept
	from := 0 // where the phrase at hand begins: the last break kept, or 0
	for k := 0; k <= len(cuts); k++ {
		to := len(rs)
		if k < len(cuts) {
			to = cuts[k]
		}
		if to-from == 1 && han(rs[from]) {
			if kept == 0 || k < len(cuts) && !leftAttached(rs[from]) && sc[cuts[kept-1]] >= sc[to] {
				// Join the next phrase: drop the break at to.
				continue
			}
			// Join the phrase before: drop the break at from.
			kept--
		}
		if k < len(cuts) {
			cuts[kept] = to
			kept++
		}
		from = to
	}
	return cuts[:kept]
}

// mayBreak reports whether the rules let a break the model proposes
// between a and b stand.
func mayBreak(a, b rune) bool {
	return (breakable(a) || breakable(b)) && !space(a) && !space(b) && !noLineEnd(a) && !noLineStart(b)
}

// ideographs reports whether a and b are both in the CJK Unified
// Ideographs block, between which mayBreak is always true: the common
// case, answered with two comparisons each (BenchmarkPhrases).
func ideographs(a, b rune) bool {
	return a >= 0x4e00 && a <= 0x9fff && b >= 0x4e00 && b <= 0x9fff
}

// space is unicode.IsSpace, with no table search for the runes above
// U+3000, the last space, and below U+1680, the first above Latin-1.
func space(r rune) bool {
	return r <= 0xff && unicode.IsSpace(r) || r >= 0x1680 && r <= 0x3000 && unicode.IsSpace(r)
}

// breakable reports whether a phrase break may sit next to r: CJK
// characters and the quotes and dashes Chinese text shares with Latin.
// Between two letters or digits the browser's own rules decide.
func breakable(r rune) bool {
	switch r {
	case '“', '”', '‘', '’', '—', '…', '·':
		return true
	}
	return Wide(r)
}

// WBR returns s as HTML with <wbr> between its phrases, inside
// <span class="phrases">, which the theme's stylesheet sets to break lines
// only there (word-break: keep-all) unless a phrase is wider than the line.
// Text with no CJK character is returned escaped, with no span.
func WBR(s string) template.HTML {
	if !strings.ContainsFunc(s, Wide) {
		return template.HTML(template.HTMLEscapeString(s))
	}
	ps := Phrases(s)
	const open, sep, end = `<span class="phrases">`, "<wbr>", "</span>"
	var b strings.Builder
	b.Grow(len(open) + len(s) + len(sep)*(len(ps)-1) + len(end))
	b.WriteString(open)
	for i, p := range ps {
		if i > 0 {
			b.WriteString(sep)
		}
		b.WriteString(template.HTMLEscapeString(p))
	}
	b.WriteString(end)
	return template.HTML(b.String())
}
