package search

import "unicode"

// Character classes of the tokenizer. search.js has the same ranges, so the
// two agree without depending on either side's Unicode tables.
const (
	classSep  = iota // punctuation, space, symbols: ends a run
	classCJK         // Han, kana, hangul: indexed by n-grams
	classWord        // Latin, Greek, Cyrillic letters and digits: words
)

// fold maps full-width ASCII forms to ASCII and the ideographic space to a
// space, then lower-cases letters of the word ranges of class. Other
// characters keep their case: Go's and the browser's Unicode versions differ
// there (U+A7DC has a lower case in Unicode 16 only).
func fold(r rune) rune {
	switch {
	case r >= 0xFF01 && r <= 0xFF5E:
		r -= 0xFEE0
	case r == 0x3000:
		return ' '
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

// maxQueryTokens bounds the work a pasted paragraph can cause.
const maxQueryTokens = 32

// Normalize returns the search tokens of a query: full-width forms folded to
// ASCII, lower-cased, punctuation dropped; a run of Chinese characters gives
// its overlapping bigrams (or the character itself when it stands alone), a
// run of letters or digits gives one word. Tokens are unique, in order of
// first appearance, at most 32.
func Normalize(q string) []string {
	toks := QueryTokens(q)
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = t.Text
	}
	return out
}

// QueryTokens is Normalize with each token's run and class.
func QueryTokens(q string) []Token {
	var toks []Token
	seen := map[string]bool{}
	add := func(s string, run int, cjk bool) {
		if len(toks) < maxQueryTokens && !seen[s] {
			seen[s] = true
			toks = append(toks, Token{Text: s, Run: run, CJK: cjk})
		}
	}
	runs := 0
	scanRuns(q, func(rs []rune, cjk bool) {
		if cjk {
			if len(rs) == 1 {
				add(string(rs), runs, true)
			}
			for i := 0; i+1 < len(rs); i++ {
				add(string(rs[i:i+2]), runs, true)
			}
		} else {
			add(string(rs), runs, false)
		}
		runs++
	})
	return toks
}

// scanRuns calls fn with each maximal run of folded CJK or word runes of s.
// The slice is reused between calls.
func scanRuns(s string, fn func(rs []rune, cjk bool)) {
	var buf [64]rune
	rs := buf[:0]
	cur := classSep
	for _, r := range s {
		r = fold(r)
		c := class(r)
		if c != cur && len(rs) > 0 {
			fn(rs, cur == classCJK)
			rs = rs[:0]
		}
		cur = c
		if c != classSep {
			rs = append(rs, r)
		}
	}
	if len(rs) > 0 {
		fn(rs, cur == classCJK)
	}
}
