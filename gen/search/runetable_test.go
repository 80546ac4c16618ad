package search

import (
	"slices"
	"testing"
)

func TestRuneTable(t *testing.T) {
	tab := newRuneTable[int32]()
	set := []struct {
		r rune
		v int32
	}{{'a', 1}, {'中', 2}, {0xFFFF, 3}, {0x10000, 4}, {'𠀋', 5}, {'中', 6}, {'b', 0}}
	for _, s := range set {
		tab.set(s.r, s.v)
	}
	for _, tt := range []struct {
		r    rune
		want int32
	}{{'a', 1}, {'中', 6}, {0xFFFF, 3}, {0x10000, 4}, {'𠀋', 5}, {'b', 0}, {'z', 0}, {0x10FFFF, 0}} {
		if got := tab.at(tt.r); got != tt.want {
			t.Errorf("at(%U) = %d, want %d", tt.r, got, tt.want)
		}
	}
	var seen []rune
	tab.each(func(r rune, v int32) {
		if v != tab.at(r) {
			t.Errorf("each gave %U %d, at says %d", r, v, tab.at(r))
		}
		seen = append(seen, r)
	})
	// The Basic Multilingual Plane in order, then the rest in any order.
	slices.Sort(seen[3:])
	if want := []rune{'a', '中', 0xFFFF, 0x10000, '𠀋'}; !slices.Equal(seen, want) {
		t.Errorf("each gave %U, want %U", seen, want)
	}
}
