package build

import (
	"bytes"
	"encoding/xml"
	"strings"
	"time"
)

// atom is the feed of the 20 newest stories.
func (s *Site) atom() []byte {
	c := s.Content
	var b bytes.Buffer
	b.WriteString(xml.Header)
	b.WriteString(`<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="` + esc(c.Language) + `">` + "\n")
	b.WriteString("  <title>" + esc(c.Title) + "</title>\n")
	if c.Description != "" {
		b.WriteString("  <subtitle>" + esc(c.Description) + "</subtitle>\n")
	}
	b.WriteString(`  <link href="` + esc(s.abs("/")) + `"/>` + "\n")
	b.WriteString(`  <link rel="self" href="` + esc(s.abs("/atom.xml")) + `"/>` + "\n")
	b.WriteString("  <id>" + esc(s.abs("/")) + "</id>\n")
	updated := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	if len(c.Stories) > 0 {
		updated = c.Stories[0].Date
	}
	b.WriteString("  <updated>" + updated.Format(time.RFC3339) + "</updated>\n")
	for _, st := range firstN(c.Stories, 20) {
		b.WriteString("  <entry>\n")
		b.WriteString("    <title>" + esc(st.Title) + "</title>\n")
		b.WriteString(`    <link href="` + esc(s.abs(st.URL())) + `"/>` + "\n")
		b.WriteString("    <id>" + esc(s.abs(st.URL())) + "</id>\n")
		b.WriteString("    <updated>" + st.Date.Format(time.RFC3339) + "</updated>\n")
		b.WriteString("    <author><name>" + esc(c.Title) + "</name></author>\n")
		b.WriteString("    <summary>" + esc(st.Summary) + "</summary>\n")
		for _, t := range st.Topics {
			if topic := s.topics[t]; topic != nil {
				b.WriteString(`    <category term="` + esc(t) + `" label="` + esc(topic.Title) + `"/>` + "\n")
			}
		}
		b.WriteString("  </entry>\n")
	}
	b.WriteString("</feed>\n")
	return b.Bytes()
}

// sitemap lists every HTML page but the 404 page, in the fixed order of
// the job list.
func (s *Site) sitemap(pages []*job) []byte {
	var b bytes.Buffer
	b.WriteString(xml.Header)
	b.WriteString(`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n")
	for _, j := range pages {
		if j.page == nil || j.kind == "404" {
			continue
		}
		b.WriteString("  <url><loc>" + esc(j.page.Canonical) + "</loc>")
		if !j.page.Date.IsZero() {
			b.WriteString("<lastmod>" + j.page.Date.Format("2006-01-02") + "</lastmod>")
		}
		b.WriteString("</url>\n")
	}
	b.WriteString("</urlset>\n")
	return b.Bytes()
}

func esc(s string) string {
	if !strings.ContainsAny(s, "<>&'\"\r\n\t") {
		return s
	}
	var b bytes.Buffer
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}
