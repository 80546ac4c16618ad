package search

import (
	"sync"
	"unicode"
)

// Character classes of the tokenizer. search.js has the same ranges, so the
// two agree without depending on either side's Unicode tables.
const (
	classSep  = iota // punctuation, space, symbols: ends a run
	classCJK         // Han, kana, hangul: indexed by n-grams
	classWord        // Latin, Greek, Cyrillic letters and digits: words
)

// fold maps full-width ASCII forms to ASCII and the ideographic space to a
// space, traditional Han characters to simplified ones (OpenCC's table, see
// t2s.go), then lower-cases letters of the word ranges of class. Other
// characters keep their case: Go's and the browser's Unicode versions differ
// there (U+A7DC has a lower case in Unicode 16 only).
func fold(r rune) rune {
	switch {
	case r >= 0xFF01 && r <= 0xFF5E:
		r -= 0xFEE0
	case r == 0x3000:
		return ' '
	case r >= 0x3400:
		return toSimplified(r)
	}
	if r < 0x80 {
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		return r
	}
	if r >= 0xC0 && r <= 0x4FF {
		return unicode.ToLower(r)
	}
	return r
}

// class reports the class of a folded rune.
func class(r rune) int {
	switch {
	case r < 0x80:
		if ('a' <= r && r <= 'z') || ('0' <= r && r <= '9') {
			return classWord
		}
		return classSep
	case r >= 0x4E00 && r <= 0x9FFF, r >= 0x3400 && r <= 0x4DBF, r >= 0xF900 && r <= 0xFAFF,
		r >= 0x20000 && r <= 0x3134F, r >= 0x3040 && r <= 0x30FF, r >= 0xAC00 && r <= 0xD7AF, r == 0x3007:
		return classCJK
	case r >= 0xC0 && r <= 0x24F && r != 0xD7 && r != 0xF7, r >= 0x370 && r <= 0x3FF, r >= 0x400 && r <= 0x4FF:
		return classWord
	}
	return classSep
}

// Token is one query token with where it came from, for ranking.
type Token struct {
	Text string
	Run  int  // index of the run (a stretch of one class) it came from
	CJK  bool // a Chinese n-gram rather than a word
}

// Run is one term of a query: a stretch of Chinese characters, or a word.
type Run struct {
	Text   string // as typed
	At     int    // where Text starts in the query, in bytes
	CJK    bool
	Quoted bool  // inside quotation marks: must match exactly
	Toks   []int // the token of each character pair in order (of the word, or of a lone character)
}

// Query is a parsed query.
type Query struct {
	Tokens []Token
	Runs   []Run
}

// maxQueryTokens bounds the work a pasted paragraph can cause.
const maxQueryTokens = 32

// Normalize returns the search tokens of a query: full-width forms folded to
// ASCII, traditional characters to simplified, lower-cased, punctuation
// dropped; a run of Chinese characters gives its overlapping bigrams (or
// the character itself when it stands alone), a run of letters or digits
// gives one word. Tokens are unique, in order of first appearance, at most
// 32.
func Normalize(q string) []string {
	toks := QueryTokens(q)
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = t.Text
	}
	return out
}

// QueryTokens is Normalize with each token's run and class.
func QueryTokens(q string) []Token { return Parse(q).Tokens }

// isQuote reports whether r opens or closes a quoted phrase.
func isQuote(r rune) bool {
	switch r {
	case '"', '\u201C', '\u201D', '\u300C', '\u300D', '\u300E', '\u300F', '\uFF02':
		return true
	}
	return false
}

// Parse splits a query into its runs and their tokens. Text between
// quotation marks ("…", “…”, 「…」) forms quoted runs. A run whose tokens
// would pass the limit of 32 is cut there.
func Parse(q string) Query {
	var out Query
	seen := map[string]int{}
	add := func(s string, cjk bool) int {
		if i, ok := seen[s]; ok {
			return i
		}
		if len(out.Tokens) >= maxQueryTokens {
			return -1
		}
		seen[s] = len(out.Tokens)
		out.Tokens = append(out.Tokens, Token{Text: s, Run: len(out.Runs), CJK: cjk})
		return len(out.Tokens) - 1
	}
	var rs []rune
	start, cur, quoted := 0, classSep, false
	flush := func(end int) {
		if len(rs) == 0 {
			return
		}
		run := Run{Text: q[start:end], At: start, CJK: cur == classCJK, Quoted: quoted}
		switch {
		case cur != classCJK:
			if i := add(string(rs), false); i >= 0 {
				run.Toks = []int{i}
			}
		case len(rs) == 1:
			if i := add(string(rs), true); i >= 0 {
				run.Toks = []int{i}
			}
		default:
			for i := 0; i+1 < len(rs); i++ {
				t := add(string(rs[i:i+2]), true)
				if t < 0 {
					break
				}
				run.Toks = append(run.Toks, t)
			}
		}
		if len(run.Toks) > 0 {
			if !run.CJK || len(rs) == 1 || len(run.Toks) == len(rs)-1 {
				out.Runs = append(out.Runs, run)
			} else { // cut by the limit: the characters it covers
				n := 0
				for i, r := range run.Text {
					if n == len(run.Toks)+1 {
						run.Text = run.Text[:i]
						break
					}
					if class(fold(r)) == classCJK {
						n++
					}
				}
				out.Runs = append(out.Runs, run)
			}
		}
		rs = rs[:0]
	}
	for i, r := range q {
		if isQuote(r) {
			flush(i)
			cur = classSep
			quoted = !quoted
			continue
		}
		f := fold(r)
		c := class(f)
		if c != cur {
			flush(i)
			start = i
		}
		cur = c
		if c != classSep {
			rs = append(rs, f)
		}
	}
	flush(len(q))
	return out
}

// foldBMP is fold and class worked out for every rune of the Basic
// Multilingual Plane, where fold stays: entry r is fold(r)<<2 | class(fold(r)).
// One load per character instead of fold's and class's branches and the
// traditional-to-simplified table's once-only check made BenchmarkBuild
// (the index of 10,000 documents) about 12% faster in CPU.
var foldBMP = sync.OnceValue(func() *[0x10000]uint32 {
	t := new([0x10000]uint32)
	for r := range rune(0x10000) {
		t[r] = foldClass(r)
	}
	return t
})

// scanRuns calls fn with each maximal run of folded CJK or word runes of s.
// The slice is reused between calls.
func scanRuns(s string, fn func(rs []rune, cjk bool)) {
	var sc runScanner
	sc.rs = sc.buf[:0]
	bmp := foldBMP()
	for _, r := range s {
		if r < 0x10000 {
			sc.add(bmp[r], fn)
		} else {
			sc.add(foldClass(r), fn)
		}
	}
	sc.end(fn)
}

// foldClass is fold(r)<<2 | class(fold(r)), the entry of foldBMP for a
// rune of the Basic Multilingual Plane.
func foldClass(r rune) uint32 {
	f := fold(r)
	return uint32(f)<<2 | uint32(class(f))
}

// runScanner gathers folded runes into the runs scanRuns reports, from
// text in any coding.
type runScanner struct {
	buf [64]rune
	rs  []rune
	cur int
}

// add takes the next rune as foldClass gives it.
func (sc *runScanner) add(v uint32, fn func(rs []rune, cjk bool)) {
	r, c := rune(v>>2), int(v&3)
	if c != sc.cur && len(sc.rs) > 0 {
		fn(sc.rs, sc.cur == classCJK)
		sc.rs = sc.rs[:0]
	}
	sc.cur = c
	if c != classSep {
		sc.rs = append(sc.rs, r)
	}
}

// end reports the last run.
func (sc *runScanner) end(fn func(rs []rune, cjk bool)) {
	if len(sc.rs) > 0 {
		fn(sc.rs, sc.cur == classCJK)
	}
}
