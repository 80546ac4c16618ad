package diag

import (
	"strings"

	"go.yaml.in/yaml/v3"
)

// Note is an editors' note (notes: in a story's or topic's front matter, a
// dataset's schema or an album.yaml) as a diagnostic at its file and line:
// gen build lists notes as warnings, and no page publishes them.
func Note(file string, line int, text string) *Error {
	return Errorf(file, line, "%s%s", NotePrefix, text)
}

// NotePrefix starts the message of every Note, before the note's text.
const NotePrefix = "note for editors: "

// Notes reads the value of a notes: field, one text or a list of texts,
// into notes of file; lineOff is added to the YAML lines (front matter
// starts below its fence). An item that is not a text is an error at its
// line.
func Notes(file string, n *yaml.Node, lineOff int) (notes, errs List) {
	items := []*yaml.Node{n}
	if n.Kind == yaml.SequenceNode {
		items = n.Content
	}
	for _, it := range items {
		text := strings.TrimSpace(it.Value)
		if it.Kind != yaml.ScalarNode || it.ShortTag() == "!!null" || text == "" {
			errs.Addf(file, it.Line+lineOff, "notes: expected a text or a list of texts")
			continue
		}
		notes.Add(Note(file, it.Line+lineOff, text))
	}
	return notes, errs
}
