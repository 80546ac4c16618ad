package search

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestTextCode(t *testing.T) {
	texts := []string{
		"居民议事会讨论停车难题。\n大家各抒己见，居民满意。",
		"APP积分兑换 5433 号…",
		"𠀋 astral 和 ① 符号",
		"",
	}
	chars, rank := textTableOf(texts)
	if chars[0] != '居' && chars[0] != ' ' {
		t.Errorf("table starts with %q, want the most frequent character", chars[0])
	}
	for _, s := range texts {
		b := appendTextCode(nil, s, rank)
		got, err := decodeText(b, chars)
		if err != nil || got != s {
			t.Errorf("decodeText(appendTextCode(%q)) = %q, %v", s, got, err)
		}
		if len(b) > utf8.RuneCountInString(s)*2 {
			t.Errorf("%q: %d bytes of code for %d characters, want at most 2 each", s, len(b), utf8.RuneCountInString(s))
		}
	}

	// Characters past the table (a site with more than textTable of
	// them) are escaped.
	rank = map[rune]int{'甲': 0, '乙': textOne, '丙': textTable - 1}
	chars = make([]rune, textTable)
	chars[0], chars[textOne], chars[textTable-1] = '甲', '乙', '丙'
	for _, s := range []string{"甲乙丙", "丁甲𠀋乙", "é", "\uFFFD"} {
		b := appendTextCode(nil, s, rank)
		if got, err := decodeText(b, chars); err != nil || got != s {
			t.Errorf("escaped %q: got %q, %v (code % x)", s, got, err, b)
		}
	}
	for _, bad := range [][]byte{{0x80}, {0xFF}, {0xFF, 0xE4, 0xB8}, {0x85, 0x00}} {
		if got, err := decodeText(bad, chars[:textOne+10]); err == nil {
			t.Errorf("decodeText(% x) = %q, want an error", bad, got)
		}
	}
}

// FuzzTextCode: any text codes and decodes to itself, and decodeText never
// panics on bytes from outside.
func FuzzTextCode(f *testing.F) {
	for _, s := range []string{"居民议事会讨论停车难题。", "\xff\x80", "𠀋", "a\nb…"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		decodeText([]byte(s), []rune("的一是"))
		s = strings.ToValidUTF8(s, "\uFFFD")
		chars, rank := textTableOf([]string{s, "的一是在"})
		got, err := decodeText(appendTextCode(nil, s, rank), chars)
		if err != nil || got != s {
			t.Fatalf("round trip of %q: %q, %v", s, got, err)
		}
	})
}
