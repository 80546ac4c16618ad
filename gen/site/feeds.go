package site

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strings"
	"time"

	"gongjian/gen/content"
)

// Atom is the feed of the 20 newest stories. revised holds, by story
// file, when a story last changed after what its front matter says (see
// Plan.Revised): its entry is updated then, and says so.
func Atom(m *Model, revised map[string]time.Time) []byte {
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
	changed := func(st *content.Story) (time.Time, bool) {
		if t, ok := revised[st.File]; ok {
			return t.In(st.Date.Location()), true
		}
		return st.Updated(), false
	}
	updated := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, st := range firstN(c.Stories, 20) {
		if t, _ := changed(st); t.After(updated) {
			updated = t
		}
	}
	b.WriteString("  <updated>" + updated.Format(time.RFC3339) + "</updated>\n")
	for _, st := range firstN(c.Stories, 20) {
		b.WriteString("  <entry>\n")
		b.WriteString("    <title>" + esc(st.Title) + "</title>\n")
		b.WriteString(`    <link href="` + esc(m.Abs(st.URL())) + `"/>` + "\n")
		b.WriteString("    <id>" + esc(m.Abs(st.URL())) + "</id>\n")
		b.WriteString("    <published>" + st.Date.Format(time.RFC3339) + "</published>\n")
		last, isRevised := changed(st)
		b.WriteString("    <updated>" + last.Format(time.RFC3339) + "</updated>\n")
		b.WriteString("    <author><name>" + esc(c.Title) + "</name></author>\n")
		summary := st.Summary
		for _, cr := range st.Corrections {
			// A feed reader shows the summary: a correction must reach
			// those who read the story there.
			summary += fmt.Sprintf(" 【更正 %d年%d月%d日】%s", cr.Date.Year(), cr.Date.Month(), cr.Date.Day(), cr.Text)
		}
		if isRevised {
			summary += fmt.Sprintf(" 【更新 %d年%d月%d日】", last.Year(), last.Month(), last.Day())
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

// esc escapes s for XML text and attribute values.
func esc(s string) string {
	if !needsEsc(s) {
		return s
	}
	var b bytes.Buffer
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// escTo writes s to b escaped as esc does.
func escTo(b *bytes.Buffer, s string) {
	if !needsEsc(s) {
		b.WriteString(s)
		return
	}
	_ = xml.EscapeText(b, []byte(s))
}

func needsEsc(s string) bool { return strings.ContainsAny(s, "<>&'\"\r\n\t") }
