package markdown

import (
	"strings"
	"testing"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
)

// FuzzCheckLimits holds the pre-scan to what goldmark does: whatever the
// scan lets through parses into block quotes and lists nested no deeper
// than MaxDepth levels (a list level is two nodes, list and item), and a
// refusal names one line of the input.
func FuzzCheckLimits(f *testing.F) {
	for _, seed := range []string{
		"正文\n\n> 引用\n> > 嵌套\n\n- a\n  - b\n",
		strings.Repeat(">", MaxDepth) + " a\n",
		strings.Repeat("- ", MaxDepth) + "a\n",
		strings.Repeat("1. ", 20) + "\n" + strings.Repeat("   ", 20) + "- b\n",
		"- a\n\n      - b\n\n            - c\n",
		"> - > - > - a\n> - > - b\n",
		"```\n>>>>\n```\n>>>>\n",
		"\t- a\n\t\t- b\n",
		"[a]: /b\n[c]: /d\n",
	} {
		f.Add(seed)
	}
	c := New()
	f.Fuzz(func(t *testing.T, src string) {
		if len(src) > 1<<16 {
			return
		}
		errs := CheckLimits([]byte(src), "x.md", 1)
		lines := strings.Count(src, "\n") + 1
		if len(errs) > 1 {
			t.Fatalf("%d errors, want at most one: %v", len(errs), errs)
		}
		if len(errs) == 1 {
			if e := errs[0]; e.File != "x.md" || e.Line < 1 || e.Line > lines {
				t.Fatalf("error %v outside the input's %d lines", e, lines)
			}
			return
		}
		doc := c.md.Parser().Parse(text.NewReader([]byte(src)))
		if d := containerDepth(doc); d > 2*MaxDepth {
			t.Fatalf("accepted, but goldmark nests %d container nodes deep (limit %d levels):\n%q", d, MaxDepth, src)
		}
	})
}

// containerDepth is the deepest nesting of block quote, list and list item
// nodes under n.
func containerDepth(n ast.Node) int {
	deepest := 0
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		deepest = max(deepest, containerDepth(c))
	}
	switch n.Kind() {
	case ast.KindBlockquote, ast.KindList, ast.KindListItem:
		deepest++
	}
	return deepest
}
