package cjk

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"html/template"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"gongjian/gen/internal/memo"
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
// outweigh half of all weights. Each n-gram is looked up once, keyed by
// its runes packed into an integer (gramKey), for its weights at every
// offset: BenchmarkPhrases takes about 40% of the time that thirteen
// lookups by text per break took.
type model struct {
	uni  map[uint64]*[6]int // UW1..UW6
	bi   map[uint64]*[3]int // BW1..BW3
	tri  map[uint64]*[4]int // TW1..TW4
	base int                // minus the sum of every weight; a break needs 2×score + base > 0
}

// gramKey packs up to three runes, 21 bits each, first rune highest. A
// rune of -1 (a byte that is not UTF-8) makes a key no feature has.
func gramKey(rs []rune) (uint64, bool) {
	var k uint64
	for _, r := range rs {
		if r < 0 || r > unicode.MaxRune {
			return 0, false
		}
		k = k<<21 | uint64(r)
	}
	return k, true
}

// addGroup puts the weights of the feature group name, whose n-grams
// have n runes, at offset i of table's entries.
func addGroup[W interface{ *[6]int | *[3]int | *[4]int }](table map[uint64]W, groups map[string]map[string]int, name string, n, i int, alloc func() W) {
	for text, w := range groups[name] {
		rs := []rune(text)
		k, ok := gramKey(rs)
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

func parseModel(data []byte) (*model, error) {
	var raw map[string]map[string]int
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("cjk: phrase model: %w", err)
	}
	m := &model{}
	groups := map[string]map[string]int{}
	for name, features := range raw {
		groups[name] = features
		for _, w := range features {
			m.base -= w
		}
	}
	m.uni, m.bi, m.tri = map[uint64]*[6]int{}, map[uint64]*[3]int{}, map[uint64]*[4]int{}
	for i := range 6 {
		addGroup(m.uni, groups, fmt.Sprintf("UW%d", i+1), 1, i, func() *[6]int { return new([6]int) })
	}
	for i := range 3 {
		addGroup(m.bi, groups, fmt.Sprintf("BW%d", i+1), 2, i, func() *[3]int { return new([3]int) })
	}
	for i := range 4 {
		addGroup(m.tri, groups, fmt.Sprintf("TW%d", i+1), 3, i, func() *[4]int { return new([4]int) })
	}
	if len(m.uni) == 0 || len(m.bi) == 0 || len(m.tri) == 0 {
		return nil, fmt.Errorf("cjk: phrase model: missing feature groups (have %d)", len(raw))
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
// score for a break before rune i (positive: a break); scores[0] is
// unused. Features that would reach past either end of the text are
// absent.
func (m *model) scores(rs []rune) []int {
	n := len(rs)
	out := make([]int, n)
	// Each n-gram of rs adds its weight at offset k to the break k-3
	// (unigrams, trigrams) or k-2 (bigrams) runes after its start.
	for j := range n {
		for size := 1; size <= 3 && j+size <= n; size++ {
			key, ok := gramKey(rs[j : j+size])
			if !ok {
				continue
			}
			switch size {
			case 1:
				if w := m.uni[key]; w != nil {
					addAt(out, j+3, w[:])
				}
			case 2:
				if w := m.bi[key]; w != nil {
					addAt(out, j+2, w[:])
				}
			case 3:
				if w := m.tri[key]; w != nil {
					addAt(out, j+3, w[:])
				}
			}
		}
	}
	for i := 1; i < n; i++ {
		out[i] = 2*out[i] + m.base
	}
	return out
}

// addAt adds w[k] to the score of the break at - k for each k, where
// that break is one of out's (1..len(out)-1).
func addAt(out []int, at int, w []int) {
	for k, v := range w {
		if i := at - k; i >= 1 && i < len(out) {
			out[i] += v
		}
	}
}

// runes returns the runes of s, with -1 for each byte that is not UTF-8,
// and their byte offsets, with len(s) after the last, so that pieces are
// cut from s itself (invalid UTF-8 included).
func runes(s string) ([]rune, []int) {
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

// budouxSplit splits s where the model alone proposes breaks, as BudouX's
// own parser does.
func budouxSplit(s string) []string {
	if s == "" {
		return nil
	}
	rs, offs := runes(s)
	sc := zhHans().scores(rs)
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
	noLineEnd   = "“‘《〈「『（【〔［｛([{"
	noLineStart = "，。、：；！？”’》〉」』）】〕］｝,.:;!?)]}…—%％"
	// Particles and suffixes that belong to the word before them.
	leftAttached = "的了们着过地得吗呢吧啊"
)

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
	rs, offs := runes(s)
	if len(rs) < 2 {
		return []string{s}
	}
	sc := zhHans().scores(rs)
	var cuts []int // positions of breaks, ascending
	for i := 1; i < len(rs); i++ {
		a, b := rs[i-1], rs[i]
		if sc[i] <= 0 || !breakable(a) && !breakable(b) || unicode.IsSpace(a) || unicode.IsSpace(b) {
			continue
		}
		if strings.ContainsRune(noLineEnd, a) || strings.ContainsRune(noLineStart, b) {
			continue
		}
		cuts = append(cuts, i)
	}
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
			case strings.ContainsRune(leftAttached, rs[from]):
				drop = k - 1
			case sc[cuts[k-1]] < sc[cuts[k]]:
				drop = k - 1
			}
			cuts = append(cuts[:drop], cuts[drop+1:]...)
			changed = true
			break
		}
	}
	out := make([]string, 0, len(cuts)+1)
	start := 0
	for _, c := range cuts {
		out = append(out, s[offs[start]:offs[c]])
		start = c
	}
	return append(out, s[offs[start]:])
}

// breakable reports whether a phrase break may sit next to r: CJK
// characters and the quotes and dashes Chinese text shares with Latin.
// Between two letters or digits the browser's own rules decide.
func breakable(r rune) bool {
	return Wide(r) || strings.ContainsRune("“”‘’—…·", r)
}

// WBR returns s as HTML with <wbr> between its phrases, inside
// <span class="phrases">, which the theme's stylesheet sets to break lines
// only there (word-break: keep-all) unless a phrase is wider than the line.
// Text with no CJK character is returned escaped, with no span.
func WBR(s string) template.HTML {
	if !strings.ContainsFunc(s, Wide) {
		return template.HTML(template.HTMLEscapeString(s))
	}
	if h, ok := wbrMemo.Load(s); ok {
		return h
	}
	h := wbr(s)
	wbrMemo.Store(s, h, len(s)+len(h))
	return h
}

// wbrMemo keeps WBR's results: a story's title is shown on its own page,
// its section's list, each of its tags' pages and the home page, and
// segmenting it again each time was 9-10% of a cold build's CPU. In
// make bench-site's cold build of 10,000 stories (tmpfs, six builds each,
// taking turns with the build without it) the median wall time was 12%
// lower with the memo, on a machine whose runs differ by up to 30%. It
// stops growing past 32 MiB of strings, so a long gen serve session holds
// at most that much. BenchmarkWBRMemo (100,000 titles) took 440-590 ns a
// call with memo.Map against 1,050-1,230 with sync.Map.
var wbrMemo = memo.Map[string, template.HTML]{Max: 32 << 20}

func wbr(s string) template.HTML {
	ps := Phrases(s)
	var b bytes.Buffer
	b.WriteString(`<span class="phrases">`)
	for i, p := range ps {
		if i > 0 {
			b.WriteString("<wbr>")
		}
		template.HTMLEscape(&b, []byte(p))
	}
	b.WriteString("</span>")
	return template.HTML(b.String())
}
