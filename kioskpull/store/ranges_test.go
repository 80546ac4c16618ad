package store

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestRangeSet(t *testing.T) {
	for _, tt := range []struct {
		add      []uint64
		from, to uint64
		want     []Range
	}{
		{nil, 1, 10, []Range{{1, 10}}},
		{[]uint64{1, 2, 3}, 1, 3, nil},
		{[]uint64{1, 2, 3}, 1, 5, []Range{{4, 5}}},
		{[]uint64{501, 502, 503}, 1, 505, []Range{{1, 500}, {504, 505}}},
		{[]uint64{5, 3, 4, 9}, 1, 10, []Range{{1, 2}, {6, 8}, {10, 10}}},
		{[]uint64{5, 3, 4, 9}, 4, 8, []Range{{6, 8}}},
		{[]uint64{5, 3, 4, 9}, 0, 2, []Range{{1, 2}}},
		{[]uint64{2, 4, 3}, 2, 4, nil},
		{[]uint64{^uint64(0)}, ^uint64(0) - 1, ^uint64(0), []Range{{^uint64(0) - 1, ^uint64(0) - 1}}},
	} {
		var s rangeSet
		for _, seq := range tt.add {
			s.add(seq)
		}
		if got := s.missing(tt.from, tt.to); !slices.Equal(got, tt.want) {
			t.Errorf("after adding %v, missing(%d, %d) = %v, want %v", tt.add, tt.from, tt.to, got, tt.want)
		}
	}
}

// TestRangeSetAgainstMap adds random numbers and checks the set against a
// plain map after each.
func TestRangeSetAgainstMap(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var s rangeSet
	m := map[uint64]bool{}
	for i := range 3000 {
		seq := 1 + r.Uint64N(400)
		if got, want := s.add(seq), !m[seq]; got != want {
			t.Fatalf("step %d: add(%d) = %v, want %v", i, seq, got, want)
		}
		m[seq] = true
		for j := 1; j < len(s); j++ {
			if s[j-1].To+1 >= s[j].From {
				t.Fatalf("step %d: ranges %v and %v overlap or touch", i, s[j-1], s[j])
			}
		}
	}
	var want []Range
	for seq := uint64(1); seq <= 410; seq++ {
		if m[seq] {
			continue
		}
		if n := len(want); n > 0 && want[n-1].To+1 == seq {
			want[n-1].To = seq
		} else {
			want = append(want, Range{seq, seq})
		}
	}
	if got := s.missing(1, 410); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("missing = %v, want %v", got, want)
	}
}

func TestSubtract(t *testing.T) {
	got := Subtract([]Range{{1, 10}, {20, 30}}, []Range{{5, 6}, {25, 40}, {1, 1}})
	want := []Range{{2, 4}, {7, 10}, {20, 24}}
	if !slices.Equal(got, want) {
		t.Errorf("Subtract = %v, want %v", got, want)
	}
}
