package search

import (
	"fmt"
	"math/bits"
	"slices"
	"sync"
	"unicode/utf8"
)

// simplified maps traditional characters to simplified ones, one character
// to one, so that offsets in a text carry over to its folded copy: the
// table t2sPairs, which TestT2SPairs derives from OpenCC's t2s conversion
// (OpenCC's dictionaries, Apache License 2.0, through
// github.com/longbridgeapp/opencc) and keeps current. Converting each
// character through OpenCC took 15-22 ms of every build; reading the
// table takes well under one.
var simplified = sync.OnceValues(func() (*t2sTable, error) {
	m := &t2sTable{}
	for s := t2sPairs; s != ""; {
		r, n := utf8.DecodeRuneInString(s)
		to, k := utf8.DecodeRuneInString(s[n:])
		if r == utf8.RuneError || to == utf8.RuneError || r >= 0x10000 || to >= 0x10000 {
			return nil, fmt.Errorf("search: t2sPairs is damaged at byte %d", len(t2sPairs)-len(s))
		}
		m.set(r, to)
		s = s[n+k:]
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
// characters, as UTF-8 text, in the order of the traditional ones
// (t2sPairs as it is).
func t2sFile() ([]byte, error) {
	if _, err := simplified(); err != nil {
		return nil, err
	}
	return []byte(t2sPairs), nil
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
