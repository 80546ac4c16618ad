package markdown

import (
	"bytes"
	"html/template"
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"gongjian/gen/cjk"
	"gongjian/gen/diag"
)

// Hooks let the caller replace parts of a document with its own HTML. Every
// hook receives the 1-based line in the file where its input starts; an error
// it returns is reported at that line. Nil hooks leave the Markdown as is,
// except a {{data: …}} figure, which is an error without a Figure hook.
type Hooks struct {
	// Blocks renders fenced code blocks by their info word, e.g. "chart".
	Blocks map[string]func(body []byte, line int) (template.HTML, error)
	// Figure evaluates the expression of an inline {{data: EXPR}} figure and
	// returns its text.
	Figure func(expr string, line int) (string, error)
	// FigureLink, when set, gives the address of the page a figure's
	// expression reads from (its dataset); the figure then links to it,
	// unless it stands in the text of another link.
	FigureLink func(expr string) string
	// Image renders an image written in the Markdown.
	Image func(img Image) (template.HTML, error)
}

// Image is an image as the Markdown writes it.
type Image struct {
	Dest string // the path as written
	Alt  string
	Line int
	// Alone: the image is a paragraph of its own, so its HTML replaces the
	// paragraph and may be a block (a figure). Otherwise it stands among
	// text or inside a link and must be phrasing content, such as <img>.
	Alone bool
}

// Doc is a converted document.
type Doc struct {
	HTML []byte
	// Warnings are what was left out of the page: raw HTML, links and
	// images with a disallowed address. The caller shows them, or treats
	// them as errors when strict.
	Warnings diag.List
	// Text is the document's plain text, paragraphs separated by newlines;
	// filled only when Options.Text is set.
	Text string
}

// Options tune one conversion.
type Options struct {
	File  string // file name used in errors, e.g. content/news/x.md
	Line  int    // line of the first byte of the source in that file
	Hooks *Hooks
	Text  bool // also extract the plain text
	// ReservedIDs are the ids the page around the document uses; heading
	// ids avoid them ("## Main" gets main-2 beside the theme's id="main").
	ReservedIDs map[string]bool
}

// Converter is safe for concurrent use.
type Converter struct {
	md goldmark.Markdown
}

// New returns a Converter with the portal's Markdown dialect.
func New() *Converter {
	md := goldmark.New(
		goldmark.WithExtensions(
			extension.GFM,
			extension.Footnote,
			extension.NewCJK(extension.WithEastAsianLineBreaks(extension.EastAsianLineBreaksCSS3Draft), extension.WithEscapedSpace()),
		),
		goldmark.WithParserOptions(
			parser.WithAutoHeadingID(),
			parser.WithInlineParsers(util.Prioritized(figureParser{}, 50)),
			parser.WithASTTransformers(util.Prioritized(hookTransformer{}, 1000)),
		),
		goldmark.WithRendererOptions(
			renderer.WithNodeRenderers(util.Prioritized(rawRenderer{}, 10)),
		),
	)
	return &Converter{md: md}
}

// state is what one conversion carries through goldmark's parser context.
type state struct {
	opt   Options
	src   []byte
	errs  diag.List
	warns diag.List
	// at and atLine cache the last offset line was asked for: hooks and
	// errors come in document order, so each counts newlines from there
	// instead of from the start.
	at, atLine int
	// noFigureCloser is the end of a line known to hold no "}}" after the
	// last unclosed figure on it.
	noFigureCloser int
}

var stateKey = parser.NewContextKey()

func (s *state) line(offset int) int {
	offset = min(max(offset, 0), len(s.src))
	if offset >= s.at {
		s.atLine += bytes.Count(s.src[s.at:offset], []byte{'\n'})
	} else {
		s.atLine -= bytes.Count(s.src[offset:s.at], []byte{'\n'})
	}
	s.at = offset
	return s.opt.Line + s.atLine
}

func (s *state) warn(offset int, format string, args ...any) {
	if len(s.warns) < maxErrors {
		s.warns.Addf(s.opt.File, s.line(offset), format, args...)
	}
}

func (s *state) fail(offset int, err error) { s.failAt(s.line(offset), err) }

// failAt is fail at a line of the file.
func (s *state) failAt(line int, err error) {
	switch {
	case len(s.errs) < maxErrors:
		s.errs.Addf(s.opt.File, line, "%v", err)
	case len(s.errs) == maxErrors:
		s.errs.Addf(s.opt.File, line, "more problems after this line are not reported")
	}
}

// Convert renders src. The errors name opt.File and the line in it.
func (c *Converter) Convert(src []byte, opt Options) (Doc, diag.List) {
	if opt.Line == 0 {
		opt.Line = 1
	}
	if errs := CheckLimits(src, opt.File, opt.Line); len(errs) > 0 {
		return Doc{}, errs
	}
	st := &state{opt: opt, src: src}
	pc := parser.NewContext(parser.WithIDs(newHeadingIDs(opt.ReservedIDs)))
	pc.Set(stateKey, st)
	doc := c.md.Parser().Parse(text.NewReader(src), parser.WithContext(pc))
	// A story's HTML is about 1.2 times its Markdown (1.14-1.22 on the
	// example site and make bench-site's corpus): room for half again is
	// allocated once, where growing from empty copied it through every
	// size below (BenchmarkRender: 182 MB allocated a build against 190).
	var buf bytes.Buffer
	buf.Grow(len(src) + len(src)/2 + 64)
	if err := c.md.Renderer().Render(bufWriter{&buf}, src, doc); err != nil {
		st.errs.Addf(opt.File, opt.Line, "render: %v", err)
	}
	out := Doc{HTML: buf.Bytes(), Warnings: st.warns}
	if opt.Text {
		out.Text = plainText(doc, src)
	}
	return out, st.errs
}

// bufWriter lets goldmark write straight into a buffer: given a plain
// io.Writer, it would allocate a bufio.Writer for every document.
type bufWriter struct{ *bytes.Buffer }

func (w bufWriter) Buffered() int { return w.Len() }
func (bufWriter) Flush() error    { return nil }

// plainText collects the text of a document, one line per block.
func plainText(doc ast.Node, src []byte) string {
	var b strings.Builder
	b.Grow(len(src)) // the text is shorter than its Markdown, as a rule
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		switch n := n.(type) {
		case *ast.Text:
			if entering {
				b.Write(n.Segment.Value(src))
				if n.HardLineBreak() || (n.SoftLineBreak() && !isWide(lastRune(&b))) {
					b.WriteByte(' ')
				}
			}
		case *ast.String:
			if entering {
				b.Write(n.Value)
			}
		case *rawHTML:
			return ast.WalkSkipChildren, nil
		case *ast.CodeBlock, *ast.FencedCodeBlock:
			return ast.WalkSkipChildren, nil
		default:
			if !entering && n.Type() == ast.TypeBlock && b.Len() > 0 && !strings.HasSuffix(b.String(), "\n") {
				b.WriteByte('\n')
			}
		}
		return ast.WalkContinue, nil
	})
	return strings.TrimSpace(b.String())
}

func lastRune(b *strings.Builder) rune {
	if b.Len() == 0 {
		return 0
	}
	r, _ := utf8.DecodeLastRuneInString(b.String())
	return r
}

// isWide reports whether r is a CJK character, after which a soft line break
// adds no space.
func isWide(r rune) bool { return cjk.Wide(r) }
