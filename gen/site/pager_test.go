package site

import (
	"fmt"
	"strings"
	"testing"
)

// TestPager: the pager shows the first and last pages and two on each side
// of the current one, and a gap never hides a single page.
func TestPager(t *testing.T) {
	tests := []struct {
		n, total int
		want     string
	}{
		{1, 5, "[1] 2 3 4 5 next"},
		{1, 6, "[1] 2 3 … 6 next"},
		{5, 9, "prev 1 2 3 4 [5] 6 7 8 9 next"},
		{1, 12, "[1] 2 3 … 12 next"},
		{6, 12, "prev 1 … 4 5 [6] 7 8 … 12 next"},
		{12, 12, "prev 1 … 10 11 [12]"},
	}
	for _, tt := range tests {
		p := NewPager("/news/", tt.n, tt.total*10, 10)
		var parts []string
		if p.Prev != "" {
			parts = append(parts, "prev")
		}
		for _, l := range p.Links {
			switch {
			case l.N == 0:
				parts = append(parts, "…")
			case l.Current:
				parts = append(parts, fmt.Sprintf("[%d]", l.N))
			default:
				parts = append(parts, fmt.Sprint(l.N))
			}
		}
		if p.Next != "" {
			parts = append(parts, "next")
		}
		if got := strings.Join(parts, " "); got != tt.want {
			t.Errorf("NewPager(page %d of %d) = %s, want %s", tt.n, tt.total, got, tt.want)
		}
	}
	if p := NewPager("/news/", 1, 10, 10); p != nil {
		t.Errorf("a single page has a pager: %+v", p)
	}
	if got := PageURL("/tags/积分制/", 3); got != "/tags/积分制/page/3/" {
		t.Errorf("PageURL = %q", got)
	}
}
