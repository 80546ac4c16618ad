package site

import (
	"bytes"
	"encoding/xml"
	"strconv"
	"time"
)

// The limits of one sitemap file in the sitemaps.org protocol: at most
// 50,000 URLs and at most 50 MiB (52,428,800 bytes) uncompressed. A sitemap
// index has the same limits on the sitemaps it lists; at 50,000 sitemaps of
// 50,000 URLs each it would name 2.5 billion pages, far beyond any site a
// build can hold in memory, so the index is never split.
const (
	sitemapMaxURLs  = 50000
	sitemapMaxBytes = 50 << 20
)

const (
	sitemapNS   = `xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"`
	urlsetHead  = xml.Header + `<urlset ` + sitemapNS + ">\n"
	urlsetFoot  = "</urlset>\n"
	sitemapPath = "sitemap.xml"
)

// Sitemaps are the sitemap files of a site of pages (every page but the 404
// page, in the order given). A site whose pages fit in one sitemap has
// sitemap.xml alone; a larger one has sitemap-1.xml, sitemap-2.xml, … of
// at most 50,000 URLs and 50 MiB each, and sitemap.xml is the sitemap
// index that lists them. Either way sitemap.xml is where a crawler starts,
// so robots.txt and an address registered with a search engine stay the
// same as the site grows.
func Sitemaps(m *Model, pages []*Page) []File {
	return sitemaps(m.Abs, pages, sitemapMaxURLs, sitemapMaxBytes)
}

// sitemaps splits pages into sitemaps of at most maxURLs URLs and maxBytes
// bytes each (a single URL longer than that alone in its file), with an
// index when there is more than one.
func sitemaps(abs func(string) string, pages []*Page, maxURLs, maxBytes int) []File {
	type part struct {
		b       bytes.Buffer
		urls    int
		lastmod time.Time
	}
	var parts []*part
	// Most URLs of a site take about 100 bytes of sitemap.
	grow := func(b *bytes.Buffer, urls int) { b.Grow(min(urls, maxURLs) * 100) }
	cur := &part{}
	grow(&cur.b, len(pages))
	cur.b.WriteString(urlsetHead)
	var entry bytes.Buffer
	for i, p := range pages {
		if p.Kind == "404" {
			continue
		}
		entry.Reset()
		entry.WriteString("  <url><loc>")
		escTo(&entry, p.Canonical)
		entry.WriteString("</loc>")
		if !p.Date.IsZero() {
			entry.WriteString("<lastmod>")
			entry.Write(p.Date.AppendFormat(entry.AvailableBuffer(), time.DateOnly))
			entry.WriteString("</lastmod>")
		}
		entry.WriteString("</url>\n")
		if cur.urls > 0 && (cur.urls == maxURLs || cur.b.Len()+entry.Len()+len(urlsetFoot) > maxBytes) {
			parts = append(parts, cur)
			cur = &part{}
			grow(&cur.b, len(pages)-i)
			cur.b.WriteString(urlsetHead)
		}
		cur.b.Write(entry.Bytes())
		cur.urls++
		if p.Date.After(cur.lastmod) {
			cur.lastmod = p.Date
		}
	}
	parts = append(parts, cur)
	for _, pt := range parts {
		pt.b.WriteString(urlsetFoot)
	}
	if len(parts) == 1 {
		return []File{{Path: sitemapPath, Data: parts[0].b.Bytes()}}
	}
	var index bytes.Buffer
	index.WriteString(xml.Header + `<sitemapindex ` + sitemapNS + ">\n")
	files := []File{{Path: sitemapPath}}
	for i, pt := range parts {
		path := "sitemap-" + strconv.Itoa(i+1) + ".xml"
		files = append(files, File{Path: path, Data: pt.b.Bytes()})
		index.WriteString("  <sitemap><loc>" + esc(abs("/"+path)) + "</loc>")
		if !pt.lastmod.IsZero() {
			index.WriteString("<lastmod>" + pt.lastmod.Format(time.DateOnly) + "</lastmod>")
		}
		index.WriteString("</sitemap>\n")
	}
	index.WriteString("</sitemapindex>\n")
	files[0].Data = index.Bytes()
	return files
}
