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

// logNotes lists the editors' notes of the content and of every feature's
// sources as warnings, sorted by file and line. Notes are never published.
func (e *engine) logNotes(c *content.Site) {
	notes := c.Notes()
	for _, f := range e.features() {
		if n, ok := f.(noter); ok {
			notes = append(notes, n.Notes()...)
		}
	}
	notes.Sort()
	for _, n := range notes {
		e.opt.Logf("warning: %v", n)
	}
}
