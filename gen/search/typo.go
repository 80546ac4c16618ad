package search

import (
	"cmp"
	"slices"
	"unicode/utf8"
)

// A mistyped character in a stretch of Chinese (志原者 for 志愿者) leaves
// the two pairs it is in off the site, while the stretch's other pairs
// are on it. Such a stretch is corrected from the metadata and a few
// shards: the characters X for which the site has both pairs (a,X) and
// (X,b) around the typo, read from the sorted pairs list (pairs starting
// with a are one range of it), are the candidates; the rarest few on the
// site (by the order of meta.json's text code, commonest first) are tried,
// since two pairs with a rare character are the least likely to meet by
// chance; of those, the one whose two pairs meet in a page with the best
// score wins. The query with it is then searched instead, labelled
// approximate, and offered as 你是不是要找. A stretch that is on the site as
// typed is never corrected: its pairs are all there.

// maxCorrections is how many candidates of a typo have their pairs'
// shards fetched.
const maxCorrections = 4

// typoAt returns the place, among the n+1 characters of a Chinese run of n
// pairs, of the one character both of whose pairs the site lacks while
// it has the run's other pairs: 1 ≤ place < n. It returns -1 for any other
// run, for a quoted one, and for one of fewer than three characters.
func typoAt(r Run, present []bool) int {
	if !r.CJK || r.Quoted || len(r.Toks) < 2 {
		return -1
	}
	first, missing := -1, 0
	for j, t := range r.Toks {
		if !present[t] {
			if missing == 0 {
				first = j
			}
			missing++
		}
	}
	if missing != 2 || first+1 == len(r.Toks) || present[r.Toks[first+1]] {
		return -1
	}
	return first + 1
}

// runChars is the characters of a Chinese run of pairs, from its tokens.
func runChars(pq Query, r Run) []rune {
	var cs []rune
	for j, t := range r.Toks {
		rs := []rune(pq.Tokens[t].Text)
		if j == 0 {
			cs = append(cs, rs[0])
		}
		cs = append(cs, rs[len(rs)-1])
	}
	return cs
}

// candidates is the characters X with pairs (a,X) and (X,b) on the site,
// rarest first (then by code point), at most maxCorrections.
func (x *Index) candidates(a, b rune) []rune {
	if x.pairs == nil || !x.inBitmap(a) || !x.inBitmap(b) {
		return nil
	}
	if x.byRank == nil {
		x.byRank = make([]rune, 0, x.nchars)
		for i, r := range x.charRank {
			if r >= 0 {
				x.byRank = append(x.byRank, rune(charsFrom+i))
			}
		}
		x.commonness = make(map[rune]int, len(x.tc))
		for i, r := range x.tc {
			if _, ok := x.commonness[r]; !ok {
				x.commonness[r] = len(x.tc) - i
			}
		}
	}
	from := uint64(x.charRank[a-charsFrom]) * uint64(x.nchars)
	lo, _ := slices.BinarySearch(x.pairs, from)
	var out []rune
	for _, v := range x.pairs[lo:] {
		if v >= from+uint64(x.nchars) {
			break
		}
		c := x.byRank[v-from]
		if w, ok := pairCode(c, b, x.charRank, x.nchars); ok {
			if _, found := slices.BinarySearch(x.pairs, w); found {
				out = append(out, c)
			}
		}
	}
	slices.SortFunc(out, func(p, q rune) int {
		if c := cmp.Compare(x.commonness[p], x.commonness[q]); c != 0 {
			return c
		}
		return cmp.Compare(p, q)
	})
	return out[:min(len(out), maxCorrections)]
}

// inBitmap reports whether r is one of the characters of the bitmap.
func (x *Index) inBitmap(r rune) bool {
	return r >= charsFrom && r < charsFrom+charsLen && x.charRank[r-charsFrom] >= 0
}

// correct returns q with the mistyped character of its first run that has
// one (typoAt) replaced by the best candidate, or "" if there is none or
// no candidate's pairs meet in a page.
func (x *Index) correct(q string, pq Query, present []bool) (string, error) {
	for _, r := range pq.Runs {
		at := typoAt(r, present)
		if at < 0 {
			continue
		}
		cs := runChars(pq, r)
		best, bestScore := rune(0), 0.0
		for _, c := range x.candidates(cs[at-1], cs[at+1]) {
			s, err := x.meet(string([]rune{cs[at-1], c}), string([]rune{c, cs[at+1]}))
			if err != nil {
				return "", err
			}
			if s > bestScore {
				best, bestScore = c, s
			}
		}
		if best == 0 {
			return "", nil
		}
		// The run's characters as typed are all Chinese, one per place.
		i := r.At
		for range at {
			_, n := utf8.DecodeRuneInString(q[i:])
			i += n
		}
		_, n := utf8.DecodeRuneInString(q[i:])
		return q[:i] + string(best) + q[i+n:], nil
	}
	return "", nil
}

// meet is the best score of a page with both tokens s and t (each weighed
// by its idf), 0 if no page has both.
func (x *Index) meet(s, t string) (float64, error) {
	p, err := x.term(s)
	if err != nil {
		return 0, err
	}
	q, err := x.term(t)
	if err != nil || p.df == 0 || q.df == 0 {
		return 0, err
	}
	ws, wt := x.idf(p.df), x.idf(q.df)
	first := map[int]float64{}
	if err := p.each(func(doc int, i byte) { first[doc] = ws * float64(i) }); err != nil {
		return 0, err
	}
	best := 0.0
	err = q.each(func(doc int, i byte) {
		if f, ok := first[doc]; ok {
			best = max(best, f+wt*float64(i))
		}
	})
	return best, err
}
