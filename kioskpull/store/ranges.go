package store

import "sort"

// Range is a run of sequence numbers, From to To inclusive.
type Range struct {
	From, To uint64
}

// Len returns how many sequence numbers r covers.
func (r Range) Len() uint64 { return r.To - r.From + 1 }

// rangeSet is a set of sequence numbers kept as sorted, disjoint,
// non-adjacent ranges: a kiosk's log is mostly one or two runs, so this
// stays small however many records are stored.
type rangeSet []Range

// find returns the index of the first range whose To is at least seq.
func (s rangeSet) find(seq uint64) int {
	return sort.Search(len(s), func(i int) bool { return s[i].To >= seq })
}

func (s rangeSet) has(seq uint64) bool {
	i := s.find(seq)
	return i < len(s) && s[i].From <= seq
}

// add puts seq into the set; it reports false if seq was there already.
func (s *rangeSet) add(seq uint64) bool {
	rs := *s
	// The common case: the next record after the last one.
	if n := len(rs); n > 0 && rs[n-1].To+1 == seq {
		rs[n-1].To = seq
		return true
	}
	i := rs.find(seq)
	if i < len(rs) && rs[i].From <= seq {
		return false
	}
	joinLeft := i > 0 && rs[i-1].To+1 == seq
	joinRight := i < len(rs) && seq+1 == rs[i].From
	switch {
	case joinLeft && joinRight:
		rs[i-1].To = rs[i].To
		rs = append(rs[:i], rs[i+1:]...)
	case joinLeft:
		rs[i-1].To = seq
	case joinRight:
		rs[i].From = seq
	default:
		rs = append(rs, Range{})
		copy(rs[i+1:], rs[i:])
		rs[i] = Range{seq, seq}
	}
	*s = rs
	return true
}

// max returns the highest number in the set, and false if it is empty.
func (s rangeSet) max() (uint64, bool) {
	if len(s) == 0 {
		return 0, false
	}
	return s[len(s)-1].To, true
}

// missing returns the runs of [from, to] not in the set, in ascending order.
func (s rangeSet) missing(from, to uint64) []Range {
	if from == 0 {
		from = 1
	}
	var out []Range
	next := from
	for i := s.find(from); i < len(s) && next <= to; i++ {
		r := s[i]
		if r.From > to {
			break
		}
		if r.From > next {
			out = append(out, Range{next, r.From - 1})
		}
		if r.To == ^uint64(0) {
			return out
		}
		next = max(next, r.To+1)
	}
	if next <= to {
		out = append(out, Range{next, to})
	}
	return out
}

// Subtract returns the parts of rs (sorted, disjoint) not covered by cut
// (in any order).
func Subtract(rs []Range, cut []Range) []Range {
	out := rs
	for _, c := range cut {
		var next []Range
		for _, r := range out {
			if c.To < r.From || c.From > r.To {
				next = append(next, r)
				continue
			}
			if r.From < c.From {
				next = append(next, Range{r.From, c.From - 1})
			}
			if r.To > c.To {
				next = append(next, Range{c.To + 1, r.To})
			}
		}
		out = next
	}
	return out
}
