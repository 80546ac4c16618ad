package search

import (
	"errors"
	"math/bits"
	"slices"
	"unicode/utf8"
)

// The pairs file (pairs.HASH.bin, loaded with meta.json) lists every pair
// of characters the site has whose two characters are in the bitmap of
// meta.json, so that a query's pairs that no page has cost no shard, and a
// query whose pairs cannot cover it costs none at all.
//
// A pair (a, b) is the number rank(a)·K + rank(b), where rank is a
// character's place among the bitmap's characters and K their count; the
// sorted numbers are stored as Rice-coded gaps (gap−1; the quotient in
// unary, ones ended by a zero, then the remainder in meta.json's "rice"
// bits, most significant bit first). This exact list takes about
// log2(K²/n)+1.5 bits a pair: 7.2 bits on the 10,000-story corpus (215,000
// pairs, 194 KB). A Bloom filter needs 9.6 bits a pair for a 1% false
// positive rate and a Golomb-coded set of hashes 8.1; both are smaller only
// at false positive rates above about 1 in 16, where one absent pair in 16
// would still cost a shard.

// charRanks maps each character of the bitmap to its rank among them
// (charsLen entries, -1 where the bitmap has none), and returns their count.
func charRanks(chars []byte) ([]int32, int) {
	rank := make([]int32, charsLen)
	k := 0
	for i := range rank {
		if chars[i/8]&(1<<(i%8)) != 0 {
			rank[i] = int32(k)
			k++
		} else {
			rank[i] = -1
		}
	}
	return rank, k
}

// pairCode is the number of the pair p (two runes) by rank, or false if a
// character of it is outside the bitmap's range or not in it.
func pairCode(a, b rune, rank []int32, k int) (uint64, bool) {
	if a < charsFrom || a >= charsFrom+charsLen || b < charsFrom || b >= charsFrom+charsLen {
		return 0, false
	}
	ra, rb := rank[a-charsFrom], rank[b-charsFrom]
	if ra < 0 || rb < 0 {
		return 0, false
	}
	return uint64(ra)*uint64(k) + uint64(rb), true
}

// encodePairs returns the Rice code of the pairs among terms whose
// characters the bitmap has, with its parameter and count.
func encodePairs(terms []term, chars []byte) (data []byte, rice, n int) {
	rank, k := charRanks(chars)
	var vs []uint64
	for i := range terms {
		s := terms[i].text
		a, n1 := utf8.DecodeRuneInString(s)
		b, n2 := utf8.DecodeRuneInString(s[n1:])
		if n1+n2 != len(s) || n2 == 0 {
			continue
		}
		if v, ok := pairCode(a, b, rank, k); ok {
			vs = append(vs, v)
		}
	}
	slices.Sort(vs)
	vs = slices.Compact(vs)
	if len(vs) == 0 {
		return nil, 0, 0
	}
	// The Rice parameter near the best: log2 of the mean gap.
	if mean := (uint64(k)*uint64(k))/uint64(len(vs)) + 1; mean > 1 {
		rice = bits.Len64(mean) - 1
	}
	return encodeRice(vs, rice), rice, len(vs)
}

// encodeRice codes increasing numbers as Rice-coded gaps with parameter
// rice: what decodePairs reads.
func encodeRice(vs []uint64, rice int) []byte {
	var w bitWriter
	prev := uint64(0)
	for i, v := range vs {
		g := v
		if i > 0 {
			g = v - prev - 1
		}
		prev = v
		for q := g >> rice; q > 0; q-- {
			w.bit(1)
		}
		w.bit(0)
		for j := rice - 1; j >= 0; j-- {
			w.bit(uint(g>>j) & 1)
		}
	}
	return w.bytes()
}

type bitWriter struct {
	out []byte
	cur byte
	n   uint
}

func (w *bitWriter) bit(b uint) {
	w.cur = w.cur<<1 | byte(b)
	if w.n++; w.n == 8 {
		w.out = append(w.out, w.cur)
		w.cur, w.n = 0, 0
	}
}

func (w *bitWriter) bytes() []byte {
	if w.n > 0 {
		w.out = append(w.out, w.cur<<(8-w.n))
		w.cur, w.n = 0, 0
	}
	return w.out
}

// maxGapOnes bounds the unary quotient of one gap in decodePairs, so that a
// corrupt file cannot make it loop for long.
const maxGapOnes = 1 << 20

// decodePairs reads n pair numbers of a pairs file.
func decodePairs(b []byte, rice, n int) ([]uint64, error) {
	bad := errors.New("search: corrupt pairs file")
	if rice < 0 || rice > 40 || n < 0 || n > len(b)*8 {
		return nil, bad
	}
	out := make([]uint64, 0, n)
	pos := 0 // bit position
	bit := func() (uint64, bool) {
		if pos >= len(b)*8 {
			return 0, false
		}
		v := uint64(b[pos/8]>>(7-pos%8)) & 1
		pos++
		return v, true
	}
	prev := uint64(0)
	for i := range n {
		var q uint64
		for {
			v, ok := bit()
			if !ok || q > maxGapOnes {
				return nil, bad
			}
			if v == 0 {
				break
			}
			q++
		}
		g := q
		for range rice {
			v, ok := bit()
			if !ok {
				return nil, bad
			}
			g = g<<1 | v
		}
		if i > 0 {
			g += prev + 1
		}
		out = append(out, g)
		prev = g
	}
	return out, nil
}
