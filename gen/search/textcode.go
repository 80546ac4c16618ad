package search

import (
	"cmp"
	"errors"
	"slices"
	"strings"
	"unicode/utf8"
)

// The stored texts (text-X.bin) are coded by the site's own character
// frequencies rather than compressed: each character is its rank in a
// table of the characters of all the texts, most frequent first, which
// meta.json carries ("tc"). Ranks below 128 take one byte, the next
// 127×256 two, and a character past the table is 0xFF and its UTF-8
// bytes. A text of 300 Chinese characters is then about 400 bytes, where
// DEFLATE on its own gave 590 (each text pays for its own Huffman table),
// and coding needs no compressor: no DEFLATE state to clear per text.
const (
	textOne    = 0x80                      // ranks with a one-byte code
	textTable  = textOne + (0xFF-0x80)*256 // ranks with a code at all
	textEscape = 0xFF                      // then the character in UTF-8
)

// textTableOf returns the characters of texts, most frequent first (ties
// in code point order), at most textTable of them, and each one's rank.
func textTableOf(texts []string) ([]rune, map[rune]int) {
	var bmp [0x10000]int32
	astral := map[rune]int32{}
	for _, s := range texts {
		for _, r := range s {
			if r < 0x10000 {
				bmp[r]++
			} else {
				astral[r]++
			}
		}
	}
	count := func(r rune) int32 {
		if r < 0x10000 {
			return bmp[r]
		}
		return astral[r]
	}
	var chars []rune
	for r, n := range bmp {
		if n > 0 {
			chars = append(chars, rune(r))
		}
	}
	for r := range astral {
		chars = append(chars, r)
	}
	slices.SortFunc(chars, func(a, b rune) int {
		if c := cmp.Compare(count(b), count(a)); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	chars = chars[:min(len(chars), textTable)]
	rank := make(map[rune]int, len(chars))
	for i, r := range chars {
		rank[r] = i
	}
	return chars, rank
}

// appendTextCode appends the code of s (valid UTF-8) by the ranks of a
// table.
func appendTextCode(b []byte, s string, rank map[rune]int) []byte {
	for _, r := range s {
		i, ok := rank[r]
		switch {
		case !ok:
			b = append(b, textEscape)
			b = utf8.AppendRune(b, r)
		case i < textOne:
			b = append(b, byte(i))
		default:
			i -= textOne
			b = append(b, byte(textOne+(i>>8)), byte(i))
		}
	}
	return b
}

var errTextCode = errors.New("search: corrupt text code")

// decodeText is the text coded in b by the table chars (meta.json's "tc").
func decodeText(b []byte, chars []rune) (string, error) {
	var s strings.Builder
	for i := 0; i < len(b); {
		c := int(b[i])
		switch {
		case c < textOne:
			i++
		case c < textEscape:
			if i+1 >= len(b) {
				return "", errTextCode
			}
			c = textOne + ((c-textOne)<<8 | int(b[i+1]))
			i += 2
		default:
			r, n := utf8.DecodeRune(b[i+1:])
			if r == utf8.RuneError && n <= 1 {
				return "", errTextCode
			}
			s.WriteRune(r)
			i += 1 + n
			continue
		}
		if c >= len(chars) {
			return "", errTextCode
		}
		s.WriteRune(chars[c])
	}
	return s.String(), nil
}
