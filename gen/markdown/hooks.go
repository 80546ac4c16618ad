package markdown

import (
	"bytes"
	"errors"
	"fmt"
	"html"
	"html/template"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"gongjian/gen/diag"
)

// rawHTML is HTML that a hook produced; it is written to the page as is.
// Hooks own its safety: they return template.HTML.
type rawHTML struct {
	ast.BaseInline
	html  []byte
	block bool
	// plain is the HTML without a link, for a figure that stands in the
	// text of a link (links do not nest); nil for other hook HTML.
	plain []byte
}

var kindRawHTML = ast.NewNodeKind("HookHTML")

func (n *rawHTML) Kind() ast.NodeKind { return kindRawHTML }

func (n *rawHTML) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"HTML": string(n.html)}, nil)
}

type rawRenderer struct{}

func (rawRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(kindRawHTML, func(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			raw := n.(*rawHTML)
			_, _ = w.Write(raw.html)
			if raw.block {
				_ = w.WriteByte('\n')
			}
		}
		return ast.WalkSkipChildren, nil
	})
}

const figureOpen = "{{data:"

// figureParser reads {{data: EXPR}} and asks the Figure hook for its text.
type figureParser struct{}

func (figureParser) Trigger() []byte { return []byte{'{'} }

func (figureParser) Parse(_ ast.Node, block text.Reader, pc parser.Context) ast.Node {
	line, seg := block.PeekLine()
	if !bytes.HasPrefix(line, []byte(figureOpen)) {
		return nil
	}
	st, _ := pc.Get(stateKey).(*state)
	if st == nil {
		return nil
	}
	if seg.Start < st.noFigureCloser {
		return nil // reported already; scanning the line again would cost its length per "{"
	}
	end := bytes.Index(line, []byte("}}"))
	if end < 0 {
		st.fail(seg.Start, errors.New(`figure "{{data:" is not closed with "}}" on the same line`))
		st.noFigureCloser = seg.Stop
		return nil
	}
	expr := strings.TrimSpace(string(line[len(figureOpen):end]))
	block.Advance(end + 2)
	var value string
	switch {
	case st.opt.Hooks == nil || st.opt.Hooks.Figure == nil:
		st.fail(seg.Start, fmt.Errorf("figure {{data: %s}}: no datasets to compute it from", expr))
	case expr == "":
		st.fail(seg.Start, errors.New("figure {{data: }} is empty: expected an expression such as {{data: requests | count}}"))
	default:
		v, err := st.opt.Hooks.Figure(expr, st.line(seg.Start))
		if err != nil {
			st.fail(seg.Start, fmt.Errorf("figure {{data: %s}}: %w", expr, err))
		}
		value = v
	}
	plain := []byte(template.HTMLEscapeString(value))
	if st.opt.Hooks != nil && st.opt.Hooks.FigureLink != nil && value != "" {
		if href := st.opt.Hooks.FigureLink(expr); href != "" && SafeURL(href) {
			linked := `<a class="data-figure" href="` + template.HTMLEscapeString(href) + `">` + string(plain) + `</a>`
			return &rawHTML{html: []byte(linked), plain: plain}
		}
	}
	return &rawHTML{html: plain}
}

// hookTransformer runs the block and image hooks, and removes raw HTML and
// unsafe links with a warning each.
type hookTransformer struct{}

func (hookTransformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	st, _ := pc.Get(stateKey).(*state)
	if st == nil {
		return
	}
	src := reader.Source()
	var todo []ast.Node
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			switch n.Kind() {
			case ast.KindFencedCodeBlock, ast.KindImage, ast.KindLink, ast.KindAutoLink, ast.KindRawHTML, ast.KindHTMLBlock:
				todo = append(todo, n)
			}
		}
		return ast.WalkContinue, nil
	})
	for _, n := range todo {
		switch n := n.(type) {
		case *ast.FencedCodeBlock:
			st.block(n, src)
		case *ast.Image:
			st.image(n, src)
		case *ast.Link:
			unlinkFigures(n)
			if dest := string(n.Destination); !SafeURL(dest) {
				st.warn(nodeOffset(n), "link %q left out, its text kept: %s", dest, LinkPolicy)
				unwrap(n)
			}
		case *ast.AutoLink:
			if dest := string(n.URL(src)); !SafeURL(dest) {
				st.warn(nodeOffset(n), "link %q published as text: %s", dest, LinkPolicy)
				n.Parent().ReplaceChild(n.Parent(), n, ast.NewString(n.Label(src)))
			}
		case *ast.RawHTML:
			st.rawHTML(n, n.Segments, src)
		case *ast.HTMLBlock:
			st.rawHTML(n, n.Lines(), src)
		}
	}
}

// unlinkFigures drops the links of the figures in a link's text: links
// do not nest.
func unlinkFigures(link ast.Node) {
	_ = ast.Walk(link, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if raw, ok := c.(*rawHTML); ok && entering && raw.plain != nil {
			raw.html = raw.plain
		}
		return ast.WalkContinue, nil
	})
}

// LinkPolicy says which links a page may carry, for messages about the
// links SafeURL refuses.
const LinkPolicy = "links may only be relative or start with http:, https:, mailto: or tel:"

// rawHTML removes HTML written in the Markdown, with a warning unless it is
// a comment, which a page would not show anyway.
func (st *state) rawHTML(n ast.Node, segs *text.Segments, src []byte) {
	var raw []byte
	off := 0
	if segs != nil && segs.Len() > 0 {
		seg := segs.At(0)
		off = seg.Start
		raw = bytes.TrimSpace(seg.Value(src))
	}
	remove(n)
	if bytes.HasPrefix(raw, []byte("<!--")) {
		return
	}
	if i := bytes.IndexByte(raw, '\n'); i >= 0 {
		raw = raw[:i]
	}
	if len(raw) > 60 {
		raw = append(bytes.ToValidUTF8(raw[:60], nil), "…"...)
	}
	st.warn(off, "raw HTML %q is not published: write it in Markdown", raw)
}

// nodeOffset is where an inline node starts in the source, as near as its
// segments tell: its first text, or else the start of its block.
func nodeOffset(n ast.Node) int {
	for c := n.FirstChild(); c != nil; c = c.FirstChild() {
		if t, ok := c.(*ast.Text); ok {
			return t.Segment.Start
		}
	}
	for p := n.Parent(); p != nil; p = p.Parent() {
		if p.Type() == ast.TypeBlock {
			if lines := p.Lines(); lines != nil && lines.Len() > 0 {
				return lines.At(0).Start
			}
		}
	}
	return 0
}

func (st *state) block(n *ast.FencedCodeBlock, src []byte) {
	if st.opt.Hooks == nil {
		return
	}
	lang := string(n.Language(src))
	hook := st.opt.Hooks.Blocks[lang]
	if hook == nil {
		return
	}
	var body []byte
	lines := n.Lines()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		body = append(body, seg.Value(src)...)
	}
	// The fence line is the line before the first body line.
	start := n.Info.Segment.Start
	fence := st.line(start)
	html, err := hook(body, fence)
	var list diag.List
	switch {
	case errors.As(err, &list):
		// Problems of the block's own text, each at its line of the file.
		for _, e := range list {
			line := e.Line
			if line == 0 {
				line = fence
			}
			st.failAt(line, fmt.Errorf("```%s block: %s", lang, e.Msg))
		}
		return
	case err != nil:
		st.fail(start, fmt.Errorf("```%s block: %w", lang, err))
		return
	}
	n.Parent().ReplaceChild(n.Parent(), n, &rawHTML{html: []byte(html), block: true})
}

func (st *state) image(n *ast.Image, src []byte) {
	dest := string(n.Destination)
	off := nodeOffset(n)
	if !SafeURL(dest) {
		st.warn(off, "image %q left out: %s", dest, LinkPolicy)
		remove(n)
		return
	}
	if st.opt.Hooks == nil || st.opt.Hooks.Image == nil {
		return
	}
	para, alone := n.Parent().(*ast.Paragraph)
	alone = alone && onlyChild(para, n, src)
	html, err := st.opt.Hooks.Image(Image{Dest: dest, Alt: string(nodeText(n, src)), Line: st.line(off), Alone: alone})
	if err != nil {
		st.fail(off, fmt.Errorf("image %q: %w", dest, err))
		return
	}
	if alone {
		para.Parent().ReplaceChild(para.Parent(), para, &rawHTML{html: []byte(html), block: true})
		return
	}
	n.Parent().ReplaceChild(n.Parent(), n, &rawHTML{html: []byte(html)})
}

// remove takes n out of the document, and its paragraph too when nothing
// else is left in it.
func remove(n ast.Node) {
	p := n.Parent()
	p.RemoveChild(p, n)
	if p.Kind() == ast.KindParagraph && p.ChildCount() == 0 && p.Parent() != nil {
		p.Parent().RemoveChild(p.Parent(), p)
	}
}

// onlyChild reports whether n is the only child of p but for blank text.
func onlyChild(p, n ast.Node, src []byte) bool {
	for c := p.FirstChild(); c != nil; c = c.NextSibling() {
		if c == n {
			continue
		}
		t, ok := c.(*ast.Text)
		if !ok || len(bytes.TrimSpace(t.Segment.Value(src))) > 0 {
			return false
		}
	}
	return true
}

// nodeText is the text of n's inline children.
func nodeText(n ast.Node, src []byte) []byte {
	var b []byte
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Text:
			b = append(b, c.Segment.Value(src)...)
		case *ast.String:
			b = append(b, c.Value...)
		default:
			b = append(b, nodeText(c, src)...)
		}
	}
	return b
}

// unwrap replaces n with its children: the link text stays, the link goes.
func unwrap(n ast.Node) {
	parent := n.Parent()
	for c := n.FirstChild(); c != nil; {
		next := c.NextSibling()
		parent.InsertBefore(parent, n, c)
		c = next
	}
	parent.RemoveChild(parent, n)
}

// SafeURL reports whether a link target may appear on a page: relative
// references, fragments and http, https, mailto and tel URLs, with HTML
// entities decoded. Browsers ignore
// ASCII tabs, newlines and leading spaces in a scheme, so those are removed
// before the scheme is read.
func SafeURL(u string) bool {
	// Entities are decoded before a browser reads the address:
	// "&#106;avascript:" is "javascript:".
	if strings.IndexByte(u, '&') >= 0 {
		u = html.UnescapeString(u)
	}
	clean := strings.Map(func(r rune) rune {
		if r <= ' ' || r == 0x7f {
			return -1
		}
		return r
	}, u)
	colon := strings.IndexByte(clean, ':')
	if colon < 0 {
		return true
	}
	// A colon after the first /, ? or # is not a scheme separator.
	if i := strings.IndexAny(clean, "/?#"); i >= 0 && i < colon {
		return true
	}
	switch strings.ToLower(clean[:colon]) {
	case "http", "https", "mailto", "tel":
		return true
	}
	return false
}
