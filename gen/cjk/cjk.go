// Package cjk holds the few rules of Chinese (and Japanese and Korean) text
// the generator needs in more than one place: which characters are written
// without spaces between them, and how lines of such text join.
package cjk

import (
	"strings"
	"unicode"
)

// Wide reports whether r is a CJK ideograph, kana, hangul or full-width
// punctuation: characters written without spaces between them.
//
// Letters, digits and other runes below Hangul Jamo (U+1100), the lowest
// of those scripts, and the CJK Unified Ideographs block are answered
// without a table search, which BenchmarkPhrases shows.
func Wide(r rune) bool {
	switch {
	case r < 0x1100:
		return false
	case r >= 0x4e00 && r <= 0x9fff, r >= 0x3000 && r <= 0x303f, r >= 0xff00 && r <= 0xffef:
		return true
	}
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul)
}

// Join removes the spaces that YAML's folded and multi-line scalars put
// where a line broke between two Chinese characters: "发放的积分\n和参与"
// folds to "发放的积分 和参与", which no Chinese reader expects. A space next
// to a Latin letter or a digit stays.
func Join(s string) string {
	if !strings.Contains(s, " ") {
		return s
	}
	rs := []rune(s)
	out := make([]rune, 0, len(rs))
	for i, r := range rs {
		if r == ' ' && i > 0 && i+1 < len(rs) && Wide(rs[i-1]) && Wide(rs[i+1]) {
			continue
		}
		out = append(out, r)
	}
	return string(out)
}
