package outpath

import (
	"fmt"
	"strings"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"

	"gongjian/gen/diag"
)

// MaxSegment is the most bytes one name in a path may have: the limit of
// ext4, XFS, btrfs and APFS alike.
const MaxSegment = 255

// Claim is one file a build means to write and the source that asks for
// it. Line is 0 when the whole file is the source; File is "" for a file
// gen makes on its own (the home page, feeds).
type Claim struct {
	Path string // slash-separated, relative to the output folder
	File string
	Line int
}

func (c Claim) source() string {
	switch {
	case c.File == "":
		return "a page gen makes itself"
	case c.Line > 0:
		return fmt.Sprintf("%s:%d", c.File, c.Line)
	}
	return c.File
}

// Check reports every claim that cannot be written beside the others: a
// path that is not clean and relative, a name over MaxSegment bytes, two
// claims of one path (or of two paths that differ only in letter case or
// Unicode normalization), a file where another claim needs a folder. Work
// is linear in the total length of the paths.
func Check(claims []Claim) diag.List {
	var errs diag.List
	fail := func(c, other Claim, format string, args ...any) {
		if c.File == "" {
			c, other = other, c
		}
		msg := fmt.Sprintf(format, args...)
		if c.File == "" {
			errs.Addf("output "+c.Path, 0, "%s", msg)
			return
		}
		errs.Addf(c.File, c.Line, "%s", msg)
	}
	files := make(map[string]int, len(claims))
	folded := make(map[string]int, len(claims))
	dirs := make(map[string]int, len(claims))
	fold := cases.Fold()
	for i, c := range claims {
		if msg := problem(c.Path); msg != "" {
			fail(c, Claim{}, "output %q: %s", c.Path, msg)
			continue
		}
		if j, dup := files[c.Path]; dup {
			fail(c, claims[j], "output %s is claimed twice: also by %s", c.Path, claims[j].source())
			continue
		}
		files[c.Path] = i
		// macOS and Windows, where editors build the site, hold "AI" and
		// "ai" (or é composed and decomposed) to be one name: one page
		// would overwrite the other.
		f := fold.String(norm.NFC.String(c.Path))
		if j, dup := folded[f]; dup {
			fail(c, claims[j], "output %s and %s (by %s) differ only in letter case or Unicode form: on macOS and Windows they are one file", c.Path, claims[j].Path, claims[j].source())
		} else {
			folded[f] = i
		}
		for k := strings.IndexByte(c.Path, '/'); k >= 0; k = next(c.Path, k) {
			if _, ok := dirs[c.Path[:k]]; !ok {
				dirs[c.Path[:k]] = i
			}
		}
	}
	for i, c := range claims {
		if j, ok := dirs[c.Path]; ok && files[c.Path] == i {
			fail(claims[j], c, "output %s needs %s to be a folder, but %s makes it a file", claims[j].Path, c.Path, c.source())
		}
	}
	return errs
}

// next is the index of the next slash in p after index k, or -1.
func next(p string, k int) int {
	if i := strings.IndexByte(p[k+1:], '/'); i >= 0 {
		return k + 1 + i
	}
	return -1
}

// problem says why p cannot be an output path, or "".
func problem(p string) string {
	if p == "" || strings.HasPrefix(p, "/") {
		return "expected a relative path"
	}
	for seg := range strings.SplitSeq(p, "/") {
		switch {
		case seg == "" || seg == "." || seg == "..":
			return fmt.Sprintf("the name %q is not allowed in a path", seg)
		case len(seg) > MaxSegment:
			return fmt.Sprintf("the name %.40q… is %d bytes long, over the %d a file system allows", seg, len(seg), MaxSegment)
		case strings.ContainsAny(seg, "\x00\\"):
			return fmt.Sprintf("the name %q holds a NUL or a backslash", seg)
		}
	}
	return ""
}
