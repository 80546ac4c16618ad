package site

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strings"
	"time"
)

// Atom is the feed of the 20 newest stories.
func Atom(m *Model) []byte {
	c := m.Content
	var b bytes.Buffer
	b.WriteString(xml.Header)
	b.WriteString(`<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="` + esc(c.Language) + `">` + "\n")
	b.WriteString("  <title>" + esc(c.Title) + "</title>\n")
	if c.Description != "" {
		b.WriteString("  <subtitle>" + esc(c.Description) + "</subtitle>\n")
	}
	b.WriteString(`  <link href="` + esc(m.Abs("/")) + `"/>` + "\n")
	b.WriteString(`  <link rel="self" href="` + esc(m.Abs("/atom.xml")) + `"/>` + "\n")
	b.WriteString("  <id>" + esc(m.Abs("/")) + "</id>\n")
	updated := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, st := range firstN(c.Stories, 20) {
		if st.Updated().After(updated) {
			updated = st.Updated()
		}
	}
	b.WriteString("  <updated>" + updated.Format(time.RFC3339) + "</updated>\n")
	for _, st := range firstN(c.Stories, 20) {
		b.WriteString("  <entry>\n")
		b.WriteString("    <title>" + esc(st.Title) + "</title>\n")
		b.WriteString(`    <link href="` + esc(m.Abs(st.URL())) + `"/>` + "\n")
		b.WriteString("    <id>" + esc(m.Abs(st.URL())) + "</id>\n")
		b.WriteString("    <published>" + st.Date.Format(time.RFC3339) + "</published>\n")
		b.WriteString("    <updated>" + st.Updated().Format(time.RFC3339) + "</updated>\n")
		b.WriteString("    <author><name>" + esc(c.Title) + "</name></author>\n")
		summary := st.Summary
		for _, cr := range st.Corrections {
			// A feed reader shows the summary: a correction must reach
			// those who read the story there.
			summary += fmt.Sprintf(" 【更正 %d年%d月%d日】%s", cr.Date.Year(), cr.Date.Month(), cr.Date.Day(), cr.Text)
		}
		b.WriteString("    <summary>" + esc(summary) + "</summary>\n")
		for _, t := range st.Topics {
			if topic := m.Topics[t]; topic != nil {
				b.WriteString(`    <category term="` + esc(t) + `" label="` + esc(topic.Title) + `"/>` + "\n")
			}
		}
		b.WriteString("  </entry>\n")
	}
	b.WriteString("</feed>\n")
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
