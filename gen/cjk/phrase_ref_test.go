package cjk

// The segmenter as it reads most directly: the model in Go maps keyed by
// packed runes, the punctuation sets as strings, and the removal of
// one-character phrases restarting from the first phrase after each
// removal. phrasesRef and budouxSplitRef are what FuzzPhrasesMatchesRef
// holds Phrases and budouxSplit to, and BenchmarkPhrasesRef measures it
// beside BenchmarkPhrases.

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// wideRef is Wide by its definition alone, with no fast path.
func wideRef(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) ||
		(r >= 0x3000 && r <= 0x303f) || (r >= 0xff00 && r <= 0xffef)
}

// A refModel scores a break between two characters from the characters
// around it. Unigram features look at one character at offsets -3..+2 of
// the break, bigrams at the pairs at -2, -1 and 0, trigrams at the triples
// at -3..0; a break is proposed where the weights of the features present
// outweigh half of all weights. Each n-gram is looked up once in a Go map,
// keyed by its runes packed into an integer (refGramKey), for its weights
// at every offset.
type refModel struct {
	uni  map[uint64]*[6]int // UW1..UW6
	bi   map[uint64]*[3]int // BW1..BW3
	tri  map[uint64]*[4]int // TW1..TW4
	base int                // minus the sum of every weight; a break needs 2×score + base > 0
}

// refGramKey packs up to three runes, 21 bits each, first rune highest. A
// rune of -1 (a byte that is not UTF-8) makes a key no feature has.
func refGramKey(rs []rune) (uint64, bool) {
	var k uint64
	for _, r := range rs {
		if r < 0 || r > unicode.MaxRune {
			return 0, false
		}
		k = k<<21 | uint64(r)
	}
	return k, true
}

// refAddGroup puts the weights of the feature group name, whose n-grams
// have n runes, at offset i of table's entries.
func refAddGroup[W interface{ *[6]int | *[3]int | *[4]int }](table map[uint64]W, groups map[string]map[string]int, name string, n, i int, alloc func() W) {
	for text, w := range groups[name] {
		rs := []rune(text)
		k, ok := refGramKey(rs)
		if !ok || len(rs) != n || !utf8.ValidString(text) {
			continue
		}
		e, seen := table[k]
		if !seen {
			e = alloc()
			table[k] = e
		}
		e[i] = w
	}
}

func refParseModel(data []byte) (*refModel, error) {
	var raw map[string]map[string]int
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("cjk: phrase model: %w", err)
	}
	m := &refModel{}
	groups := map[string]map[string]int{}
	for name, features := range raw {
		groups[name] = features
		for _, w := range features {
			m.base -= w
		}
	}
	m.uni, m.bi, m.tri = map[uint64]*[6]int{}, map[uint64]*[3]int{}, map[uint64]*[4]int{}
	for i := range 6 {
		refAddGroup(m.uni, groups, fmt.Sprintf("UW%d", i+1), 1, i, func() *[6]int { return new([6]int) })
	}
	for i := range 3 {
		refAddGroup(m.bi, groups, fmt.Sprintf("BW%d", i+1), 2, i, func() *[3]int { return new([3]int) })
	}
	for i := range 4 {
		refAddGroup(m.tri, groups, fmt.Sprintf("TW%d", i+1), 3, i, func() *[4]int { return new([4]int) })
	}
	if len(m.uni) == 0 || len(m.bi) == 0 || len(m.tri) == 0 {
		return nil, fmt.Errorf("cjk: phrase model: missing feature groups (have %d)", len(raw))
	}
	return m, nil
}

var refZhHans = sync.OnceValue(func() *refModel {
	m, err := refParseModel(zhHansJSON)
	if err != nil {
		// The model is compiled in; a broken one is a broken build.
		panic(err)
	}
	return m
})

// scores returns, for each rune i in 1..n-1 of rs, twice the model's
// score for a break before rune i (positive: a break); scores[0] is
// unused. Features that would reach past either end of the text are
// absent.
func (m *refModel) scores(rs []rune) []int {
	n := len(rs)
	out := make([]int, n)
	// Each n-gram of rs adds its weight at offset k to the break k-3
	// (unigrams, trigrams) or k-2 (bigrams) runes after its start.
	for j := range n {
		for size := 1; size <= 3 && j+size <= n; size++ {
			key, ok := refGramKey(rs[j : j+size])
			if !ok {
				continue
			}
			switch size {
			case 1:
				if w := m.uni[key]; w != nil {
					refAddAt(out, j+3, w[:])
				}
			case 2:
				if w := m.bi[key]; w != nil {
					refAddAt(out, j+2, w[:])
				}
			case 3:
				if w := m.tri[key]; w != nil {
					refAddAt(out, j+3, w[:])
				}
			}
		}
	}
	for i := 1; i < n; i++ {
		out[i] = 2*out[i] + m.base
	}
	return out
}

// refAddAt adds w[k] to the score of the break at - k for each k, where
// that break is one of out's (1..len(out)-1).
func refAddAt(out []int, at int, w []int) {
	for k, v := range w {
		if i := at - k; i >= 1 && i < len(out) {
			out[i] += v
		}
	}
}

// refRunes returns the runes of s, with -1 for each byte that is not UTF-8,
// and their byte offsets, with len(s) after the last, so that pieces are
// cut from s itself (invalid UTF-8 included).
func refRunes(s string) ([]rune, []int) {
	rs := make([]rune, 0, len(s))
	offs := make([]int, 0, len(s)+1)
	for i, r := range s {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				r = -1
			}
		}
		rs = append(rs, r)
		offs = append(offs, i)
	}
	return rs, append(offs, len(s))
}

// budouxSplitRef splits s where the model alone proposes breaks, as
// BudouX's own parser does.
func budouxSplitRef(s string) []string {
	if s == "" {
		return nil
	}
	rs, offs := refRunes(s)
	sc := refZhHans().scores(rs)
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

// Characters that must not end a line (opening brackets and quotes) or
// begin one (closing punctuation).
const (
	refNoLineEnd   = "“‘《〈「『（【〔［｛([{"
	refNoLineStart = "，。、：；！？”’》〉」』）】〕］｝,.:;!?)]}…—%％"
	// Particles and suffixes that belong to the word before them.
	refLeftAttached = "的了们着过地得吗呢吧啊"
)

// phrasesRef splits s into phrases that a line may break between: the
// breaks BudouX's zh-Hans model proposes, kept only next to a wide (CJK)
// character (never inside a Latin word or a number), never after an
// opening quote or before closing punctuation,
// and with no phrase of a single Chinese character: the model alone
// splits 四队上阵 into 四|队|上|阵 and 居民 into 居|民, so a lone
// character joins its neighbour, a particle such as 的 or 们 the word
// before it, any other the side whose break the model is less sure of.
// Joined together the phrases are s.
func phrasesRef(s string) []string {
	if s == "" {
		return nil
	}
	rs, offs := refRunes(s)
	if len(rs) < 2 {
		return []string{s}
	}
	sc := refZhHans().scores(rs)
	var cuts []int // positions of breaks, ascending
	for i := 1; i < len(rs); i++ {
		a, b := rs[i-1], rs[i]
		if sc[i] <= 0 || !refBreakable(a) && !refBreakable(b) || unicode.IsSpace(a) || unicode.IsSpace(b) {
			continue
		}
		if strings.ContainsRune(refNoLineEnd, a) || strings.ContainsRune(refNoLineStart, b) {
			continue
		}
		cuts = append(cuts, i)
	}
	cuts = refJoinLone(rs, sc, cuts)
	out := make([]string, 0, len(cuts)+1)
	start := 0
	for _, c := range cuts {
		out = append(out, s[offs[start]:offs[c]])
		start = c
	}
	return append(out, s[offs[start]:])
}

// refJoinLone removes breaks from cuts around one-character phrases until
// none is left, rescanning from the first phrase after each removal.
func refJoinLone(rs []rune, sc []int, cuts []int) []int {
	// Remove breaks around one-character phrases until none is left; each
	// round removes one break, so this ends within len(cuts) rounds.
	for changed := true; changed; {
		changed = false
		for k := 0; k <= len(cuts); k++ {
			from, to := 0, len(rs)
			if k > 0 {
				from = cuts[k-1]
			}
			if k < len(cuts) {
				to = cuts[k]
			}
			if to-from != 1 || !unicode.Is(unicode.Han, rs[from]) {
				continue
			}
			// Drop the break before the phrase (index k-1) or after it (k).
			drop := k
			switch {
			case k == 0:
			case k == len(cuts):
				drop = k - 1
			case strings.ContainsRune(refLeftAttached, rs[from]):
				drop = k - 1
			case sc[cuts[k-1]] < sc[cuts[k]]:
				drop = k - 1
			}
			cuts = append(cuts[:drop], cuts[drop+1:]...)
			changed = true
			break
		}
	}
	return cuts
}

// refBreakable reports whether a phrase break may sit next to r: CJK
// characters and the quotes and dashes Chinese text shares with Latin.
// Between two letters or digits the browser's own rules decide.
func refBreakable(r rune) bool {
	return wideRef(r) || strings.ContainsRune("“”‘’—…·", r)
}
