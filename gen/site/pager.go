package site

// NewPager links page n of a list of total items at base, size to a page;
// it shows the first and last pages and two on each side of the current
// one. A list that fits one page has none (nil).
func NewPager(base string, n, total, size int) *Pager {
	pages := max(1, (total+size-1)/size)
	if pages == 1 {
		return nil
	}
	p := &Pager{Page: n, Total: pages}
	if n > 1 {
		p.Prev = PageURL(base, n-1)
	}
	if n < pages {
		p.Next = PageURL(base, n+1)
	}
	// The first and last pages and two on each side of the current one; a
	// gap that would hide a single page shows that page instead.
	var want []int
	for _, i := range []int{1, 2, 3, n - 3, n - 2, n - 1, n, n + 1, n + 2, n + 3, pages - 2, pages - 1, pages} {
		if i < 1 || i > pages || (len(want) > 0 && i <= want[len(want)-1]) {
			continue
		}
		near := i == 1 || i == pages || (i >= n-2 && i <= n+2)
		fills := (i == 2 && n-2 == 3) || (i == pages-1 && n+2 == pages-2) || (i == n-3 && n-4 == 1) || (i == n+3 && n+4 == pages)
		if near || fills {
			want = append(want, i)
		}
	}
	for k, i := range want {
		if k > 0 && i > want[k-1]+1 {
			p.Links = append(p.Links, PageLink{}) // a gap, shown as …
		}
		p.Links = append(p.Links, PageLink{N: i, URL: PageURL(base, i), Current: i == n})
	}
	return p
}
