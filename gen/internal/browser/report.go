package browser

import (
	"fmt"
	"net/url"
	"strings"
)

// Report is what one visit found. Problems lists the generic failures; the
// fields hold the detail for checks of one's own (budgets, focus order).
type Report struct {
	URL    string // as visited
	Width  int    // viewport width in CSS pixels
	Status int    // HTTP status of the document
	Lang   string // the lang attribute of <html>, "" when absent
	Title  string

	// ConsoleErrors holds console.error calls, uncaught exceptions and
	// errors the browser itself logged (CSP, parsing), each with its
	// source location when known. Failed loads are in Failed instead.
	ConsoleErrors []string
	// Requests is every request of the page, the document first.
	Requests []Request
	// Failed is every subresource request that failed: a network error, or
	// an HTTP status of 400 or more. The document's own status is Status.
	Failed []Request
	// Foreign is every request to a host other than the visited page's
	// (data: and blob: URLs are not requests to a host).
	Foreign []Request
	// Bytes is the bytes transferred per resource type ("Document",
	// "Stylesheet", "Script", "Image", "Font", "Fetch", …), headers included.
	Bytes map[string]int64

	// Overflow is set when the page scrolls sideways.
	Overflow *Overflow
	// Images lists the images whose alt text is missing or unfit.
	Images []ImageProblem
	// Contrast lists text too faint for its background (WCAG 2 AA), one
	// entry per element path.
	Contrast []Contrast
	// Headings is every visible heading in document order.
	Headings []Heading
	// Matches counts the elements of each selector in Page.Count.
	Matches map[string]int
	// Focus is where each Tab press of Page.Tabs put the focus.
	Focus []Focus
	// Screenshot is the PNG file written, if Page.Screenshot asked for one.
	Screenshot string
}

// Request is one network request of a page.
type Request struct {
	URL    string
	Type   string // resource type as Chromium names it: Document, Script, …
	Status int    // 0 when no response came
	Bytes  int64  // transferred, headers included
	Error  string // network error, such as net::ERR_NAME_NOT_RESOLVED
}

func (r Request) String() string {
	switch {
	case r.Error != "" && r.Status != 0:
		return fmt.Sprintf("%s %s: HTTP %d (%s)", r.Type, r.URL, r.Status, r.Error)
	case r.Error != "":
		return fmt.Sprintf("%s %s: %s", r.Type, r.URL, r.Error)
	case r.Status != 0:
		return fmt.Sprintf("%s %s: HTTP %d", r.Type, r.URL, r.Status)
	}
	return fmt.Sprintf("%s %s", r.Type, r.URL)
}

// Overflow says how far a page scrolls sideways and what sticks out.
type Overflow struct {
	ScrollWidth, ClientWidth int
	// Element describes the element reaching furthest right outside any
	// scrolling box, e.g. "main#main > article.story > div.prose > pre".
	Element string
	Right   float64 // its right edge, in CSS pixels from the page's left
	Width   float64 // its width
}

func (o *Overflow) String() string {
	return fmt.Sprintf("scrollWidth %d > clientWidth %d; widest: %s (%.0f px wide, right edge at %.0f px)",
		o.ScrollWidth, o.ClientWidth, o.Element, o.Width, o.Right)
}

// ImageProblem is an image whose alt text will not do.
type ImageProblem struct {
	Element string // where it is
	Src     string
	Why     string
}

// Contrast is text whose contrast with its background is below Need.
type Contrast struct {
	Element, Text     string
	Color, Background string
	Ratio, Need       float64
}

// Heading is one heading of a page.
type Heading struct {
	Level int
	Text  string
}

// Focus is the element one Tab press focused.
type Focus struct {
	Element string // "" when focus left the page (went to the browser UI)
	Tag     string // a, button, input, …
	Type    string // the type attribute of an input, e.g. search
	Text    string // its text or label, shortened
	Href    string
	Outline string // computed outline: style, width and colour
	// Visible is true when the element shows a focus indicator (an outline
	// or a box shadow) and lies at least partly inside the viewport.
	Visible bool
}

// Problems returns every generic check that failed, one sentence each:
// console errors, failed and foreign requests, sideways overflow, images
// without fit alt text, text with too little contrast, headings out of
// order, and a missing lang. It does
// not judge Status, Bytes or Focus, whose right values depend on the page.
func (r *Report) Problems() []string {
	var out []string
	for _, e := range r.ConsoleErrors {
		out = append(out, "console error: "+e)
	}
	for _, q := range r.Failed {
		out = append(out, "failed request: "+q.String())
	}
	for _, q := range r.Foreign {
		out = append(out, "request to another host: "+q.String())
	}
	if r.Overflow != nil {
		out = append(out, "horizontal overflow: "+r.Overflow.String())
	}
	for _, im := range r.Images {
		out = append(out, fmt.Sprintf("image %s (%s): %s", im.Element, im.Src, im.Why))
	}
	for _, c := range r.Contrast {
		out = append(out, fmt.Sprintf("contrast %.2f:1 (want %.1f:1) for %s %q: %s on %s", c.Ratio, c.Need, c.Element, c.Text, c.Color, c.Background))
	}
	out = append(out, HeadingProblems(r.Headings)...)
	if r.Lang == "" {
		out = append(out, "<html> has no lang attribute")
	}
	return out
}

// HeadingProblems checks an outline: the first heading is the one h1, and
// no heading goes more than one level deeper than the one before it.
func HeadingProblems(hs []Heading) []string {
	var out []string
	if len(hs) == 0 {
		return []string{"headings: the page has none (want one h1)"}
	}
	if hs[0].Level != 1 {
		out = append(out, fmt.Sprintf("headings: the first is h%d %q, want h1", hs[0].Level, hs[0].Text))
	}
	h1 := 0
	for i, h := range hs {
		if h.Level == 1 {
			h1++
			if h1 == 2 {
				out = append(out, fmt.Sprintf("headings: a second h1 %q", h.Text))
			}
		}
		if i > 0 && h.Level > hs[i-1].Level+1 {
			out = append(out, fmt.Sprintf("headings: h%d %q follows h%d %q, skipping a level",
				h.Level, h.Text, hs[i-1].Level, hs[i-1].Text))
		}
	}
	if h1 == 0 {
		out = append(out, "headings: no h1")
	}
	return out
}

// BytesWhere sums the bytes transferred by the requests that keep says to
// count, for budgets such as "HTML, CSS and our own JavaScript".
func (r *Report) BytesWhere(keep func(Request) bool) int64 {
	var n int64
	for _, q := range r.Requests {
		if keep(q) {
			n += q.Bytes
		}
	}
	return n
}

// RequestsTo returns the requests whose URL path starts with prefix.
func (r *Report) RequestsTo(prefix string) []Request {
	var out []Request
	for _, q := range r.Requests {
		if u, err := url.Parse(q.URL); err == nil && strings.HasPrefix(u.Path, prefix) {
			out = append(out, q)
		}
	}
	return out
}
