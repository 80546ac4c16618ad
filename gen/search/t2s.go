package search

import (
	"fmt"
	"math/bits"
	"slices"
	"sync"
	"unicode/utf8"

	"github.com/longbridgeapp/opencc"
)

// simplified maps traditional characters to simplified ones, one character
// to one, so that offsets in a text carry over to its folded copy. It is
// OpenCC's t2s conversion applied to each Han character on its own (the
// phrase tables need segmentation, which a character-pair index cannot
// use), worked out once per process.
var simplified = sync.OnceValues(func() (*t2sTable, error) {
	cc, err := opencc.New("t2s")
	if err != nil {
		return nil, fmt.Errorf("search: OpenCC t2s: %w", err)
	}
	m := &t2sTable{}
	// Only the Basic Multilingual Plane, and only to it: a character and
	// its simplified form then have the same length in UTF-16 too, so
	// search.js's highlights line up.
	for _, span := range [][2]rune{{0x3400, 0x4DBF}, {0x4E00, 0x9FFF}, {0xF900, 0xFAFF}} {
		for r := span[0]; r <= span[1]; r++ {
			out, err := cc.Convert(string(r))
			if err != nil {
				return nil, fmt.Errorf("search: OpenCC t2s %q: %w", r, err)
			}
			s, n := utf8.DecodeRuneInString(out)
			if n == len(out) && s < 0x10000 && s != r && s != utf8.RuneError && class(s) == classCJK {
				m.set(r, s)
			}
		}
	}
	return m, nil
})

// t2sTable is the mapping, flat for the Basic Multilingual Plane: it is
// looked up for every Han character indexed.
type t2sTable struct {
	bmp  [0x10000]rune // 0: no mapping
	keys []rune
}

func (m *t2sTable) set(r, s rune) {
	m.bmp[r] = s
	m.keys = append(m.keys, r)
}

func (m *t2sTable) get(r rune) rune {
	if r < 0x10000 && m.bmp[r] != 0 {
		return m.bmp[r]
	}
	return r
}

// toSimplified is the t2s mapping of r, r itself if it has none or the
// table could not be loaded (Write reports that error).
func toSimplified(r rune) rune {
	if r < 0x3400 {
		return r
	}
	m, err := simplified()
	if err != nil {
		return r
	}
	return m.get(r)
}

// t2sFile is the table search.js loads when a query has a character the
// site does not contain: the pairs of traditional and simplified
// characters, as UTF-8 text, in the order of the traditional ones.
func t2sFile() ([]byte, error) {
	m, err := simplified()
	if err != nil {
		return nil, err
	}
	keys := slices.Sorted(slices.Values(m.keys))
	b := make([]byte, 0, 6*len(keys))
	for _, r := range keys {
		b = utf8.AppendRune(b, r)
		b = utf8.AppendRune(b, m.get(r))
	}
	return b, nil
}

// The list of folding characters follows the word list in the pairs file
// (at meta.json's "tradAt"): the traditional characters of the bitmap's
// range whose simplified form the site has, as Rice-coded gaps of their
// offsets from charsFrom ("trad" of them, parameter "trice"). search.js
// loads t2s.bin for a query with a character the site lacks only if the
// character is on this list: a character off it folds to nothing the site
// has, so the query needs no table (量子纠缠计算机 saves its 12.7 KB).

// foldingChars returns the Rice code of the traditional characters whose
// simplified forms the bitmap chars has, its parameter and their count.
func foldingChars(chars []byte) (data []byte, rice, n int, err error) {
	m, err := simplified()
	if err != nil {
		return nil, 0, 0, err
	}
	var vs []uint64
	for _, r := range m.keys {
		s := m.get(r)
		if r >= charsFrom && r < charsFrom+charsLen && s >= charsFrom && s < charsFrom+charsLen &&
			chars[(s-charsFrom)/8]&(1<<((s-charsFrom)%8)) != 0 {
			vs = append(vs, uint64(r-charsFrom))
		}
	}
	slices.Sort(vs)
	if len(vs) > 0 {
		rice = max(0, bits.Len64(charsLen/uint64(len(vs)))-1)
	}
	return encodeRice(vs, rice), rice, len(vs), nil
}
