package markdown

import (
	"bytes"
	"errors"
)

// Source is a Markdown file split into its YAML front matter and its body.
type Source struct {
	Front     []byte // YAML between the --- fences, without them
	FrontLine int    // line of the first byte of Front in the file (1-based)
	Body      []byte // Markdown after the closing fence
	BodyLine  int    // line of the first byte of Body in the file (1-based)
}

// ErrNoFrontMatter reports a file that does not start with a --- line.
var ErrNoFrontMatter = errors.New("no front matter: the file must start with a line \"---\"")

// ErrUnclosedFrontMatter reports front matter without its closing --- line.
var ErrUnclosedFrontMatter = errors.New("front matter is not closed: expected a line \"---\" after it")

// Split separates the front matter from the body. A UTF-8 byte order mark
// and CRLF line ends are accepted.
func Split(src []byte) (Source, error) {
	src = bytes.TrimPrefix(src, []byte("\xef\xbb\xbf"))
	first, rest, ok := cutLine(src)
	if !isFence(first) {
		return Source{}, ErrNoFrontMatter
	}
	if !ok {
		return Source{}, ErrUnclosedFrontMatter
	}
	line := 2
	off := 0
	for off <= len(rest) {
		l, _, more := cutLine(rest[off:])
		if isFence(l) {
			next := off + len(l)
			if more {
				next++
			}
			return Source{
				Front:     rest[:off],
				FrontLine: 2,
				Body:      rest[next:],
				BodyLine:  line + 1,
			}, nil
		}
		if !more {
			break
		}
		off += len(l) + 1
		line++
	}
	return Source{}, ErrUnclosedFrontMatter
}

// cutLine returns the first line of b without its line end, the rest after
// the newline, and whether there was a newline.
func cutLine(b []byte) (line, rest []byte, ok bool) {
	i := bytes.IndexByte(b, '\n')
	if i < 0 {
		return b, nil, false
	}
	return b[:i], b[i+1:], true
}

func isFence(line []byte) bool {
	return string(bytes.TrimRight(line, " \t\r")) == "---"
}
