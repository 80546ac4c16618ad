package markdown

import (
	"strings"
	"testing"
	"time"

	"gongjian/gen/internal/cputime"
)

func TestCheckLimits(t *testing.T) {
	deepIndent := func(levels int) string {
		var b strings.Builder
		for i := range levels {
			b.WriteString(strings.Repeat("  ", i) + "- 项目\n")
		}
		return b.String()
	}
	tests := []struct {
		name, src string
		line      int    // of the error; 0: no error
		msg       string // in the error
	}{
		{"plain", "正文\n\n> 引用\n> > 嵌套\n\n- a\n  - b\n", 0, ""},
		{"quotes at the limit", strings.Repeat(">", MaxDepth) + " a\n", 0, ""},
		{"quotes over the limit", "a\n\n" + strings.Repeat(">", MaxDepth+1) + " a\n", 3, "nested 33 levels deep, over the limit of 32"},
		{"spaced quotes", strings.Repeat("> ", 500000), 1, "over the limit of 32"},
		{"bullets on one line", strings.Repeat("- ", 100000), 1, "over the limit of 32"},
		{"ordered on one line", strings.Repeat("1. ", 40), 1, "over the limit of 32"},
		{"mixed", strings.Repeat("> 2) * ", 12), 1, "over the limit of 32"},
		{"indented list at the limit", deepIndent(MaxDepth), 0, ""},
		{"indented list over the limit", deepIndent(MaxDepth + 1), MaxDepth + 1, "over the limit of 32"},
		{"tab indentation", "\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t- a\n", 1, "over the limit of 32"},
		{"thematic breaks", "* * *\n- - -\n", 0, ""},
		{"not markers", strings.Repeat("-a ", 100) + "\n" + strings.Repeat("1.5 ", 100) + "\n", 0, ""},
		{"markers inside a fence", "```\n" + strings.Repeat(">", 100) + "\n```\n", 0, ""},
		{"markers after a fence", "~~~~\n~~~\n~~~~\n" + strings.Repeat(">", 100) + "\n", 4, "over the limit"},
		{"backtick info with a backtick opens nothing", "``` a`b\n" + strings.Repeat(">", 100) + "\n", 2, "over the limit"},
		{"too big", strings.Repeat("字", MaxSize/3+1), 1, "over the limit of 1.0 MB"},
		{"at the size limit", strings.Repeat("a", MaxSize), 0, ""},
		{"link definitions at the limit", strings.Repeat("[a]: /b\n", MaxRefLines), 0, ""},
		{"link definitions over the limit", strings.Repeat("[a]: /b\n", MaxRefLines+1), MaxRefLines + 1, "more than 1000 lines"},
		{"quoted link definitions", strings.Repeat("> [a]: /b\n", MaxRefLines+1), MaxRefLines + 1, "link definition"},
		{"brackets that are no definitions", strings.Repeat("[a] b\n[c]\n", MaxRefLines), 0, ""},
		{"bad UTF-8 before a line break (found by FuzzConvert)", "\xbb\n0", 1, "not valid UTF-8 (byte 0xbb)"},
		{"GBK text", "标题\n\n\xb0\xd7\xc0\xcb\n", 3, "not valid UTF-8"},
	}
	for _, tt := range tests {
		errs := CheckLimits([]byte(tt.src), "content/news/x.md", 1)
		switch {
		case tt.line == 0 && len(errs) > 0:
			t.Errorf("%s: CheckLimits = %v, want no error", tt.name, errs)
		case tt.line != 0 && len(errs) != 1:
			t.Errorf("%s: CheckLimits = %v, want one error at line %d", tt.name, errs, tt.line)
		case tt.line != 0 && (errs[0].Line != tt.line || errs[0].File != "content/news/x.md" || !strings.Contains(errs[0].Msg, tt.msg)):
			t.Errorf("%s: CheckLimits = %v, want content/news/x.md:%d: …%s…", tt.name, errs, tt.line, tt.msg)
		}
	}
}

// TestConvertRefusesBeforeParsing: a refused document gives the limit's
// error at its file and line, and no HTML.
func TestConvertRefusesBeforeParsing(t *testing.T) {
	src := "第一段\n\n" + strings.Repeat(">", 500000)
	doc, errs := New().Convert([]byte(src), Options{File: "content/news/x.md", Line: 7})
	if len(errs) != 1 || errs[0].Error() != "content/news/x.md:9: block quotes and lists nested 33 levels deep, over the limit of 32" {
		t.Fatalf("errors = %v", errs)
	}
	if len(doc.HTML) != 0 {
		t.Errorf("HTML = %q, want none", doc.HTML)
	}
}

// hostileSize is the size of the hostile documents that are not refused:
// an eighth of MaxSize keeps the test short. The documents that took
// minutes before the limits have sizes of their own (500 KB of ">",
// 100,000 nested bullets).
const hostileSize = MaxSize / 8

// fill repeats unit until the text nearly reaches hostileSize.
func fill(unit string) string { return strings.Repeat(unit, (hostileSize-64)/len(unit)) }

// hostile is Markdown written to make a parser work hard: each document is
// either refused by CheckLimits or converted.
func hostile() map[string]string {
	nested := func(levels int) string {
		var b strings.Builder
		for i := range levels {
			b.WriteString(strings.Repeat("  ", i) + "- a\n")
		}
		return b.String()
	}
	refs := func(n int) string {
		var b strings.Builder
		for i := range n {
			b.WriteString("[r" + strings.Repeat("x", i%40) + string(rune('a'+i%26)) + "]: /b\n")
		}
		return b.String()
	}
	return map[string]string{
		"quotes":             strings.Repeat(">", 500000),
		"quotes at depth":    fill(strings.Repeat(">", MaxDepth) + " 引用\n"),
		"lazy quote":         strings.Repeat("> ", MaxDepth) + "a\n" + fill("续行\n"),
		"bullets":            strings.Repeat("- ", 100000),
		"bullets at depth":   fill(strings.Repeat("- ", MaxDepth) + "a\n"),
		"ordered at depth":   fill(strings.Repeat("1. ", MaxDepth) + "a\n"),
		"indented lists":     fill(nested(16)),
		"too deep indented":  nested(2000),
		"too big":            strings.Repeat("a", MaxSize+1),
		"definitions":        refs(MaxRefLines) + fill("[ra]"),
		"paragraph brackets": "x\n" + strings.Repeat("[a]: b\n", MaxRefLines) + fill("a\n"),
		"emphasis":           fill("*a"),
		"mixed emphasis":     fill("*_"),
		"nested emphasis":    strings.Repeat("*", hostileSize/2-8) + "a" + strings.Repeat("*", hostileSize/2-8),
		"open brackets":      fill("[a"),
		"open images":        fill("!["),
		"nested links":       strings.Repeat("[", hostileSize/5) + "a" + strings.Repeat("](b)", hostileSize/5),
		"backticks":          fill("`a"),
		"angle brackets":     fill("<a"),
		"entities":           fill("&amp;"),
		"figures unclosed":   fill("{{data:"),
		"figures":            fill("{{data: requests | count}}"),
		"headings":           fill("# a\n"),
		"table columns":      strings.Repeat("|a", hostileSize/5) + "\n" + strings.Repeat("|-", hostileSize/5) + "\n",
		"table rows":         "|a|b|\n|-|-|\n" + fill("|x|y|\n"),
		"footnotes":          fill("[^a]") + "\n\n[^a]: x\n",
		"autolinks":          fill("www.a."),
		"images":             fill("![a](x.jpg)\n"),
		"fences":             fill("```\n"),
	}
}

// TestHostileMarkdown converts every hostile document within a budget of
// CPU time, which other work on the machine does not eat into as it does
// into wall time. Each takes well under a second of CPU (at the full
// MaxSize the slowest, "*_" repeated, took 4.8 s of wall time on a loaded
// 2-core machine, linear in the size); before the limits, the worst took
// minutes, so the budget separates bounded from unbounded work.
func TestHostileMarkdown(t *testing.T) {
	const budget = 4 * time.Second
	c := New()
	for name, src := range hostile() {
		start := cputime.Now()
		_, errs := c.Convert([]byte(src), Options{File: "x.md", Hooks: testHooks()})
		took := cputime.Since(start)
		t.Logf("%-20s %7d bytes: %v CPU, %d errors", name, len(src), took.Round(time.Millisecond), len(errs))
		if took > budget {
			t.Errorf("%s: converting %d bytes took %v of CPU, over %v", name, len(src), took, budget)
		}
		if len(errs) > maxErrors+1 {
			t.Errorf("%s: %d errors, want at most %d", name, len(errs), maxErrors+1)
		}
	}
}
