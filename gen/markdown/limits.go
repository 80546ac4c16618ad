package markdown

import (
	"bytes"
	"fmt"
	"unicode/utf8"

	"gongjian/gen/diag"
)

// Limits on what one document may ask of the Markdown parser. goldmark's
// work grows faster than the text for some shapes of input: deeply nested
// block quotes and lists (each level measures the line again from its
// start) and long runs of lines that read as link reference definitions
// (each one parses the paragraph again). A story within these limits
// converts in well under a second; one beyond them is refused before the
// parser sees it, with the line at fault.
const (
	// MaxSize is the most bytes of Markdown one document may hold.
	MaxSize = 1 << 20
	// MaxDepth is the deepest nesting of block quotes and lists. Leading
	// indentation before a quote or list marker counts one level per two
	// columns, the least a nested list item needs.
	MaxDepth = 32
	// MaxRefLines is the most lines that start like a link reference
	// definition ("[label]: …").
	MaxRefLines = 1000
	// maxErrors is the most problems reported for one document: the rest
	// would repeat them.
	maxErrors = 50
)

// CheckLimits scans src once, in linear time, and reports the first line
// that goes beyond a limit; file and line say where src starts.
func CheckLimits(src []byte, file string, line int) diag.List {
	if line == 0 {
		line = 1
	}
	if len(src) > MaxSize {
		return diag.List{diag.Errorf(file, line, "the text is %s, over the limit of %s: split it into several stories", sizeString(len(src)), sizeString(MaxSize))}
	}
	if !utf8.Valid(src) {
		// goldmark's CJK line breaking panics on some bad bytes before a
		// line break, and a page must be UTF-8 anyway.
		bad := 0
		for bad < len(src) {
			r, size := utf8.DecodeRune(src[bad:])
			if r == utf8.RuneError && size <= 1 {
				break
			}
			bad += size
		}
		return diag.List{diag.Errorf(file, line+bytes.Count(src[:bad], []byte{'\n'}), "the text is not valid UTF-8 (byte %#02x): save the file as UTF-8", src[bad])}
	}
	var (
		fence    []byte // the open fence of a code block, or nil
		refLines int
	)
	for n := line; len(src) > 0; n++ {
		l, rest, _ := cutLine(src)
		src = rest
		if fence != nil {
			if closesFence(l, fence) {
				fence = nil
			}
			continue
		}
		if f := openFence(l); f != nil {
			fence = f
			continue
		}
		depth, after := nesting(l)
		if depth > MaxDepth {
			return diag.List{diag.Errorf(file, n, "block quotes and lists nested %d levels deep, over the limit of %d", depth, MaxDepth)}
		}
		if isRefDefStart(after) {
			refLines++
			if refLines > MaxRefLines {
				return diag.List{diag.Errorf(file, n, "more than %d lines that start like a link definition \"[label]: …\"", MaxRefLines)}
			}
		}
	}
	return nil
}

// nesting counts the block quote and list markers that open line, and the
// levels its indentation before each of them stands for; after is the line
// after them.
func nesting(line []byte) (depth int, after []byte) {
	i := 0
	for {
		col := 0
		for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
			if line[i] == '\t' {
				col += 4 - col%4
			} else {
				col++
			}
			i++
		}
		n := markerLen(line[i:])
		if n == 0 {
			return depth, line[i:]
		}
		depth += 1 + col/2
		if depth > MaxDepth {
			// Enough to refuse the line: stop before scanning the rest,
			// so that a line of markers costs its length once.
			return depth, nil
		}
		i += n
	}
}

// markerLen is the length of the block quote or list marker at the start of
// b, or 0.
func markerLen(b []byte) int {
	if len(b) == 0 {
		return 0
	}
	switch b[0] {
	case '>':
		return 1
	case '-', '+', '*':
		if len(b) == 1 || b[1] == ' ' || b[1] == '\t' {
			return 1
		}
		return 0
	}
	d := 0
	for d < len(b) && d < 9 && b[d] >= '0' && b[d] <= '9' {
		d++
	}
	if d == 0 || d == len(b) || (b[d] != '.' && b[d] != ')') {
		return 0
	}
	if d+1 == len(b) || b[d+1] == ' ' || b[d+1] == '\t' {
		return d + 1
	}
	return 0
}

// isRefDefStart reports whether b starts like a link reference definition:
// a bracket, a label, "]:".
func isRefDefStart(b []byte) bool {
	if len(b) < 3 || b[0] != '[' {
		return false
	}
	end := bytes.IndexByte(b, ']')
	return end > 0 && end+1 < len(b) && b[end+1] == ':'
}

// openFence returns the fence (``` or ~~~, as long as written) that line
// opens a code block with, or nil.
func openFence(line []byte) []byte {
	i := 0
	for i < len(line) && i < 3 && line[i] == ' ' {
		i++
	}
	rest := line[i:]
	if len(rest) < 3 || (rest[0] != '`' && rest[0] != '~') {
		return nil
	}
	n := 0
	for n < len(rest) && rest[n] == rest[0] {
		n++
	}
	if n < 3 || (rest[0] == '`' && bytes.IndexByte(rest[n:], '`') >= 0) {
		return nil
	}
	return rest[:n]
}

// closesFence reports whether line closes a code block opened with fence.
func closesFence(line, fence []byte) bool {
	t := bytes.TrimLeft(line, " ")
	if len(line)-len(t) > 3 {
		return false
	}
	n := 0
	for n < len(t) && t[n] == fence[0] {
		n++
	}
	return n >= len(fence) && len(bytes.TrimRight(t[n:], " \t\r")) == 0
}

func sizeString(n int) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%d KB", (n+1023)/1024)
}
