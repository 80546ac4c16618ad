package pipeline

import (
	"gongjian/gen/content"
	"gongjian/gen/diag"
)

// noter is a feature whose sources carry editors' notes (notes: in a
// dataset schema or an album.yaml).
type noter interface {
	Notes() diag.List
}

// notes are the editors' notes of the content and of every feature's
// sources, sorted by file and line.
func (e *engine) notes(c *content.Site) diag.List {
	notes := c.Notes()
	for _, f := range e.features() {
		if n, ok := f.(noter); ok {
			notes = append(notes, n.Notes()...)
		}
	}
	notes.Sort()
	return notes
}

// logNotes lists the editors' notes as warnings. Notes are never
// published.
func (e *engine) logNotes(c *content.Site) {
	for _, n := range e.notes(c) {
		e.opt.Logf("warning: %v", n)
	}
}

// PageNotes are the editors' notes of the source each page of the last
// good update is made from (a story, a topic, a dataset's schema, an
// album.yaml), by the page's output path; nil before the first good
// update. gen serve shows them over the page it previews; they are never
// written into a page.
func (ss *Session) PageNotes() map[string]diag.List {
	if ss.plan == nil || ss.model == nil {
		return nil
	}
	byFile := map[string]diag.List{}
	for _, n := range ss.e.notes(ss.model.Content) {
		byFile[n.File] = append(byFile[n.File], n)
	}
	out := map[string]diag.List{}
	for _, p := range ss.plan.Pages {
		if ns := byFile[p.From.File]; len(ns) > 0 {
			out[p.Out] = ns
		}
	}
	return out
}
