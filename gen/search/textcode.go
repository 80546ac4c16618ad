package search

import (
	"cmp"
	"errors"
	"slices"
	"strings"
	"sync"
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
func textTableOf(texts []string) ([]rune, *ranks) {
	counts := newRuneTable[int32]()
	for _, s := range texts {
		for _, r := range s {
			counts.set(r, counts.at(r)+1)
		}
	}
	var chars []rune
	counts.each(func(r rune, _ int32) { chars = append(chars, r) })
	slices.SortFunc(chars, func(a, b rune) int {
		if c := cmp.Compare(counts.at(b), counts.at(a)); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	chars = chars[:min(len(chars), textTable)]
	return chars, ranksOf(chars)
}

// ranks are the characters' ranks in a text table, plus one (0: not in
// the table). A map look-up per character was half of coding the texts
// (BenchmarkWriteEdit).
type ranks struct{ plus1 *runeTable[int32] }

func ranksOf(chars []rune) *ranks {
	k := &ranks{newRuneTable[int32]()}
	for i, r := range chars {
		k.plus1.set(r, int32(i)+1)
	}
	return k
}

func (k *ranks) at(r rune) (int, bool) {
	i := k.plus1.at(r)
	return int(i) - 1, i > 0
}

// appendTextCode appends the code of s (valid UTF-8) by the ranks of a
// table.
func appendTextCode(b []byte, s string, rank *ranks) []byte {
	for _, r := range s {
		i, ok := rank.at(r)
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

// The text the feature keeps of every page, from the moment the page
// renders until the index is written (and in gen build's record), is
// packed by fixed ranges of characters, because the site's frequencies
// (the code above) are not known until every page has rendered. ASCII
// takes one byte; a character of the ranges Chinese text is written in
// (CJK, its punctuation, full-width forms, Latin and Greek letters, ①…)
// two: a first byte from packTwo to packRaw-1 and a second; any other
// character packUTF8 and its UTF-8 bytes; a byte that is not UTF-8
// packRaw and the byte, so that every string packs and unpacks to itself.
// Chinese text takes two thirds of its UTF-8 size.
const (
	packTwo  = 0x80
	packRaw  = 0xFE
	packUTF8 = 0xFF
)

// packRanges are the ranges of characters with a two-byte code, [from,
// to), in code order.
var packRanges = [...][2]rune{
	{0x0080, 0x0250}, // Latin-1, Latin Extended-A and -B: é, ·, ×
	{0x0370, 0x0500}, // Greek, Cyrillic
	{0x2000, 0x2070}, // general punctuation: “ ” — …
	{0x2100, 0x2200}, // letterlike symbols, number forms, arrows: ℃ Ⅲ →
	{0x2460, 0x2500}, // enclosed alphanumerics: ①
	{0x3000, 0x3100}, // CJK symbols and punctuation, kana: 。、《》
	{0x3400, 0xA000}, // CJK Extension A and Unified Ideographs
	{0xF900, 0xFB00}, // CJK compatibility ideographs
	{0xFF00, 0xFFF0}, // full-width forms: ，：（）
}

// packTables map a BMP character to its two-byte code + 1 (0: none) and
// a code back to its character.
type packTables struct {
	code [0x10000]uint16
	char []rune
}

var packTable = sync.OnceValue(func() *packTables {
	t := &packTables{}
	for _, rg := range packRanges {
		for r := rg[0]; r < rg[1]; r++ {
			t.char = append(t.char, r)
			t.code[r] = uint16(len(t.char))
		}
	}
	return t
})

// appendPacked appends s, packed, to b.
func appendPacked(b []byte, s string) []byte {
	t := packTable()
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			b = append(b, c)
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			b = append(b, packRaw, c)
		case r < 0x10000 && t.code[r] != 0:
			k := int(t.code[r]) - 1
			b = append(b, byte(packTwo+k>>8), byte(k))
		default:
			b = append(b, packUTF8)
			b = append(b, s[i:i+n]...)
		}
		i += n
	}
	return b
}

var errPacked = errors.New("search: corrupt packed text")

// packFold is foldClass of the character of each two-byte code. It is
// apart from packTable, which reading a record needs, because folding
// loads the traditional-to-simplified table (20 ms).
var packFold = sync.OnceValue(func() []uint32 {
	chars := packTable().char
	fold := make([]uint32, len(chars))
	for k, r := range chars {
		fold[k] = foldClass(r)
	}
	return fold
})

// scanPackedRuns is scanRuns of the text packed in b, read without
// unpacking it: each two-byte code is folded and classed by one table
// look-up. Corrupt text ends where appendUnpacked stops.
func scanPackedRuns(b []byte, fn func(rs []rune, cjk bool)) {
	fold, bmp := packFold(), foldBMP()
	var sc runScanner
	sc.rs = sc.buf[:0]
	for len(b) > 0 {
		c := b[0]
		switch {
		case c < packTwo:
			sc.add(bmp[c], fn)
			b = b[1:]
		case c < packRaw:
			if len(b) < 2 {
				b = nil
				break
			}
			k := int(c-packTwo)<<8 | int(b[1])
			if k >= len(fold) {
				b = nil
				break
			}
			sc.add(fold[k], fn)
			b = b[2:]
		case c == packRaw:
			if len(b) < 2 {
				b = nil
				break
			}
			// The byte is not UTF-8: the text reads it as U+FFFD.
			sc.add(bmp[utf8.RuneError], fn)
			b = b[2:]
		default:
			r, n := utf8.DecodeRune(b[1:])
			if r == utf8.RuneError && n <= 1 {
				b = nil
				break
			}
			sc.add(foldClass(r), fn)
			b = b[1+n:]
		}
	}
	sc.end(fn)
}

// appendUnpacked appends to dst the text packed in b, up to and including
// the character that makes dst at least limit bytes longer (limit < 0: all
// of it), and returns the rest of b.
func appendUnpacked(dst, b []byte, limit int) ([]byte, []byte, error) {
	t := packTable()
	start := len(dst)
	for len(b) > 0 && (limit < 0 || len(dst)-start < limit) {
		c := b[0]
		switch {
		case c < packTwo:
			dst = append(dst, c)
			b = b[1:]
		case c < packRaw:
			if len(b) < 2 {
				return dst, nil, errPacked
			}
			k := int(c-packTwo)<<8 | int(b[1])
			if k >= len(t.char) {
				return dst, nil, errPacked
			}
			dst = utf8.AppendRune(dst, t.char[k])
			b = b[2:]
		case c == packRaw:
			if len(b) < 2 {
				return dst, nil, errPacked
			}
			dst = append(dst, b[1])
			b = b[2:]
		default:
			r, n := utf8.DecodeRune(b[1:])
			if r == utf8.RuneError && n <= 1 {
				return dst, nil, errPacked
			}
			dst = append(dst, b[1:1+n]...)
			b = b[1+n:]
		}
	}
	return dst, b, nil
}
