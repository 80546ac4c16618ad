package diag

import (
	"cmp"
	"fmt"
	"io/fs"
	"slices"
	"strings"
)

// Error is one problem in one source file. File is slash-separated and
// relative to the site root (content/news/x.md); Line is 1-based, or 0 when
// the problem belongs to the file as a whole.
type Error struct {
	File string
	Line int
	Msg  string
	// Err is the error Msg says, when the problem was found as one (an
	// I/O error, a message kept for translation): errors.Is and errors.As
	// look through to it, and a printer in another language may render it
	// instead of Msg.
	Err error
}

// An Error without a File belongs to a fragment whose file its caller
// knows (a chart block in a story): it prints as "line 3: …", and In names
// the file.
func (e *Error) Error() string {
	switch {
	case e.File == "" && e.Line > 0:
		return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
	case e.File == "":
		return e.Msg
	case e.Line > 0:
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// Unwrap returns Err.
func (e *Error) Unwrap() error { return e.Err }

// At returns an *Error for file at line that says err.
func At(file string, line int, err error) *Error {
	return &Error{File: file, Line: line, Msg: err.Error(), Err: err}
}

// Errorf returns an *Error for file at line with a formatted message.
func Errorf(file string, line int, format string, args ...any) *Error {
	return &Error{File: file, Line: line, Msg: fmt.Sprintf(format, args...)}
}

// List gathers errors. The zero value is ready to use; it is not safe for
// concurrent use (collect per goroutine and Merge).
type List []*Error

// Add appends e; a nil e is ignored.
func (l *List) Add(e *Error) {
	if e != nil {
		*l = append(*l, e)
	}
}

// Addf appends a new error.
func (l *List) Addf(file string, line int, format string, args ...any) {
	l.Add(Errorf(file, line, format, args...))
}

// In returns a copy of l with every error filed under file.
func (l List) In(file string) List {
	out := make(List, len(l))
	for i, e := range l {
		out[i] = &Error{File: file, Line: e.Line, Msg: e.Msg, Err: e.Err}
	}
	return out
}

// Merge appends every error of other.
func (l *List) Merge(other List) { *l = append(*l, other...) }

// Sort orders errors by file, then line, then message, so that reports are
// stable from run to run whatever order the work was done in.
func (l List) Sort() {
	slices.SortStableFunc(l, func(a, b *Error) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Msg, b.Msg))
	})
}

// Err returns nil when the list is empty and the sorted list otherwise.
func (l List) Err() error {
	if len(l) == 0 {
		return nil
	}
	l.Sort()
	return l
}

// Unwrap returns the problems, so that errors.Is and errors.As see each
// one, and code that lists joined errors lists them.
func (l List) Unwrap() []error {
	out := make([]error, len(l))
	for i, e := range l {
		out[i] = e
	}
	return out
}

// Error prints one problem per line.
func (l List) Error() string {
	var b strings.Builder
	for i, e := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Cause is err without its path when it is an *fs.PathError: a report
// names its file already, so "content/x.md: open content/x.md: …" reads
// "content/x.md: …". Any other error, wrapped ones included, is kept whole,
// so that no context is lost.
func Cause(err error) error {
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Err
	}
	return err
}
