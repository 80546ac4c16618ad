package site

import (
	"bytes"
	"cmp"
	"encoding/xml"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// sitemapPages makes n story pages and, last, the 404 page, which no
// sitemap lists.
func sitemapPages(n int) []*Page {
	pages := make([]*Page, 0, n+1)
	day := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		p := &Page{Kind: "story", Canonical: fmt.Sprintf("https://example.org/news/story-%06d/", i)}
		if i%2 == 0 { // every other page has a date
			p.Date = day.AddDate(0, 0, i%400)
		}
		pages = append(pages, p)
	}
	return append(pages, &Page{Kind: "404", Canonical: "https://example.org/404.html"})
}

type urlset struct {
	XMLName xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []struct {
		Loc     string `xml:"loc"`
		Lastmod string `xml:"lastmod"`
	} `xml:"url"`
}

type sitemapIndex struct {
	XMLName  xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 sitemapindex"`
	Sitemaps []struct {
		Loc     string `xml:"loc"`
		Lastmod string `xml:"lastmod"`
	} `xml:"sitemap"`
}

func abs(p string) string { return "https://example.org" + p }

// readSitemaps checks the files sitemaps made and returns the URLs they
// list in order, and how many each sitemap of URLs holds.
func readSitemaps(t *testing.T, files []File, maxBytes int) (locs []string, counts []int) {
	t.Helper()
	if len(files) == 0 || files[0].Path != "sitemap.xml" {
		t.Fatalf("files %v: want sitemap.xml first", paths(files))
	}
	byPath := map[string][]byte{}
	for _, f := range files {
		if len(f.Data) > maxBytes {
			t.Errorf("%s is %d bytes, more than %d", f.Path, len(f.Data), maxBytes)
		}
		byPath[f.Path] = f.Data
	}
	parts := []string{"sitemap.xml"}
	if len(files) > 1 {
		var idx sitemapIndex
		if err := xml.Unmarshal(files[0].Data, &idx); err != nil {
			t.Fatalf("sitemap.xml is not a sitemap index: %v\n%.300s", err, files[0].Data)
		}
		parts = nil
		for i, s := range idx.Sitemaps {
			want := fmt.Sprintf("https://example.org/sitemap-%d.xml", i+1)
			if s.Loc != want {
				t.Errorf("index entry %d = %q, want %q", i, s.Loc, want)
			}
			parts = append(parts, strings.TrimPrefix(s.Loc, "https://example.org/"))
		}
		if len(parts) != len(files)-1 {
			t.Errorf("the index lists %d sitemaps, %d were made", len(parts), len(files)-1)
		}
	}
	for _, p := range parts {
		data, ok := byPath[p]
		if !ok {
			t.Fatalf("%s is listed but not made (files %v)", p, paths(files))
		}
		var us urlset
		if err := xml.Unmarshal(data, &us); err != nil {
			t.Fatalf("%s is not a sitemap: %v", p, err)
		}
		for _, u := range us.URLs {
			locs = append(locs, u.Loc)
		}
		counts = append(counts, len(us.URLs))
	}
	return locs, counts
}

func paths(files []File) []string {
	var out []string
	for _, f := range files {
		out = append(out, f.Path)
	}
	return out
}

func TestSitemapsAtTheLimit(t *testing.T) {
	for _, c := range []struct {
		pages, maxURLs int
		files          []string
		counts         []int
	}{
		{pages: 0, files: []string{"sitemap.xml"}, counts: []int{0}},
		{pages: 1, files: []string{"sitemap.xml"}, counts: []int{1}},
		{pages: 49999, files: []string{"sitemap.xml"}, counts: []int{49999}},
		{pages: 50000, files: []string{"sitemap.xml"}, counts: []int{50000}},
		{pages: 50001, files: []string{"sitemap.xml", "sitemap-1.xml", "sitemap-2.xml"}, counts: []int{50000, 1}},
		// The same split, scaled down, into more than two.
		{pages: 7, maxURLs: 3, files: []string{"sitemap.xml", "sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml"}, counts: []int{3, 3, 1}},
	} {
		pages := sitemapPages(c.pages)
		maxURLs := cmp.Or(c.maxURLs, sitemapMaxURLs)
		files := sitemaps(abs, pages, maxURLs, sitemapMaxBytes)
		if got := paths(files); !slices.Equal(got, c.files) {
			t.Errorf("%d pages: files %v, want %v", c.pages, got, c.files)
			continue
		}
		locs, counts := readSitemaps(t, files, sitemapMaxBytes)
		if !slices.Equal(counts, c.counts) {
			t.Errorf("%d pages: URLs per sitemap %v, want %v", c.pages, counts, c.counts)
		}
		var want []string
		for _, p := range pages[:c.pages] {
			want = append(want, p.Canonical)
		}
		if !slices.Equal(locs, want) {
			t.Errorf("%d pages: the sitemaps list %d URLs, not the %d pages in order", c.pages, len(locs), len(want))
		}
		again := sitemaps(abs, pages, maxURLs, sitemapMaxBytes)
		for i := range files {
			if !bytes.Equal(files[i].Data, again[i].Data) {
				t.Errorf("%d pages: %s differs from one run to the next", c.pages, files[i].Path)
			}
		}
	}
}

// TestSitemapsByteLimit splits by size before the count is reached: the
// 50 MiB limit, scaled down.
func TestSitemapsByteLimit(t *testing.T) {
	pages := sitemapPages(10)
	whole := len(sitemaps(abs, pages, sitemapMaxURLs, sitemapMaxBytes)[0].Data)
	one := len(urlsetHead) + len(urlsetFoot)
	entry := len("  <url><loc>https://example.org/news/story-000000/</loc><lastmod>2026-01-01</lastmod></url>\n")
	for _, c := range []struct {
		maxBytes int
		counts   []int
	}{
		{maxBytes: whole, counts: []int{10}},
		{maxBytes: whole - 1, counts: []int{9, 1}},
		{maxBytes: one + 4*entry, counts: []int{4, 4, 2}},
		{maxBytes: 1, counts: []int{1, 1, 1, 1, 1, 1, 1, 1, 1, 1}}, // a URL too long for any file stands alone
	} {
		files := sitemaps(abs, pages, sitemapMaxURLs, c.maxBytes)
		limit := c.maxBytes
		if c.maxBytes < one+entry {
			limit = one + entry
		}
		locs, counts := readSitemaps(t, files, max(limit, len(files[0].Data)))
		if !slices.Equal(counts, c.counts) {
			t.Errorf("at most %d bytes: URLs per sitemap %v, want %v", c.maxBytes, counts, c.counts)
		}
		if len(locs) != 10 {
			t.Errorf("at most %d bytes: %d URLs listed, want 10", c.maxBytes, len(locs))
		}
	}
}

// TestSitemapIndexLastmod: each sitemap in the index carries the newest
// date of the pages it lists, and none when its pages have no date.
func TestSitemapIndexLastmod(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 3, d, 0, 0, 0, 0, time.UTC) }
	pages := []*Page{
		{Kind: "story", Canonical: "https://example.org/a/", Date: day(2)},
		{Kind: "story", Canonical: "https://example.org/b/", Date: day(9)},
		{Kind: "list", Canonical: "https://example.org/c/"},
		{Kind: "list", Canonical: "https://example.org/d/"},
		{Kind: "story", Canonical: "https://example.org/e/", Date: day(5)},
	}
	files := sitemaps(abs, pages, 2, sitemapMaxBytes)
	var idx sitemapIndex
	if err := xml.Unmarshal(files[0].Data, &idx); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range idx.Sitemaps {
		got = append(got, s.Lastmod)
	}
	if want := []string{"2026-03-09", "", "2026-03-05"}; !slices.Equal(got, want) {
		t.Errorf("lastmod of each sitemap = %q, want %q", got, want)
	}
}
