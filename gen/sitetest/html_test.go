package sitetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/net/html"

	"gongjian/gen/pipeline"
)

// TestHTMLValid builds the example site and checks every page it writes
// against the nesting rules of HTML that browsers repair silently (and
// differently): see checkHTML. It needs no browser.
func TestHTMLValid(t *testing.T) {
	out := builtSite(t)
	var pages, problems int
	err := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		pages++
		rel, _ := filepath.Rel(out, p)
		for _, msg := range checkHTML(data) {
			problems++
			if problems <= 40 {
				t.Errorf("%s:%s", filepath.ToSlash(rel), msg)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if pages < 20 {
		t.Fatalf("checked %d pages, want the whole example site", pages)
	}
	if problems > 40 {
		t.Errorf("… %d problems in all", problems)
	}
	t.Logf("checked %d pages", pages)
}

var (
	siteOnce sync.Once
	siteDir  string
	siteErr  error
)

// builtSite builds the site at *src once per test run and returns its
// output folder; TestMain removes it. The build does not use the test's
// context: a later test may need the site after this one ended.
func builtSite(t *testing.T) string {
	t.Helper()
	siteOnce.Do(func() {
		dir, err := os.MkdirTemp("", "sitetest-")
		if err != nil {
			siteErr = err
			return
		}
		siteDir = filepath.Join(dir, "public")
		start := time.Now()
		var stats pipeline.Stats
		stats, siteErr = pipeline.Build(context.Background(), pipeline.Options{Src: *src, Out: siteDir, CacheDir: filepath.Join(dir, "cache")})
		t.Logf("built %d pages in %v", stats.Pages, time.Since(start).Round(time.Millisecond))
	})
	if siteErr != nil {
		t.Fatalf("building the example site: %v", siteErr)
	}
	return siteDir
}

func TestCheckHTML(t *testing.T) {
	page := func(body string) string {
		return "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><title>t</title></head><body>\n" + body + "\n</body></html>\n"
	}
	tests := []struct {
		name, body string
		want       []string // problems, as "LINE: message"
	}{
		{"valid", `<main id="main"><p>文字 <a href="/">链接</a><br><img src="a.png" alt="图"></p><ul><li>一</li></ul></main>`, nil},
		{"figure in p", `<p><figure><img src="a" alt="a"></figure></p>`, []string{
			`3: <figure> inside <p> (opened at line 3): a paragraph holds only phrasing content`,
		}},
		{"heading in p", "<p>\n<h2>标题</h2></p>", []string{
			`4: <h2> inside <p> (opened at line 3): a paragraph holds only phrasing content`,
		}},
		{"div in span in p", `<p><span><div>x</div></span></p>`, []string{
			`3: <div> inside <p> (opened at line 3): a paragraph holds only phrasing content`,
		}},
		{"a in a", `<a href="/a">一<a href="/b">二</a></a>`, []string{
			`3: <a> inside <a> (opened at line 3): interactive elements do not nest`,
		}},
		{"input in button", `<button><input type="checkbox"></button>`, []string{
			`3: <input> inside <button> (opened at line 3): interactive elements do not nest`,
		}},
		{"form in form", `<form><div><form></form></div></form>`, []string{
			`3: <form> inside <form> (opened at line 3)`,
		}},
		{"div in ul", `<ul><div>x</div><li>y</li></ul>`, []string{
			`3: <div> inside <ul>: a list holds only <li>`,
		}},
		{"bad id", `<h2 id="a b">x</h2><p id="">y</p>`, []string{
			`3: <h2> has the id "a b": an id is not empty and has no spaces`,
			`3: <p> has the id "": an id is not empty and has no spaces`,
		}},
		{"misnested", `<b><i>x</b></i>`, []string{
			`3: </b> closes <i> (opened at line 3)`,
			`3: </i> with no open <i>`,
		}},
		{"unclosed", `<div><span>x</div><section>`, []string{
			`3: </div> closes <span> (opened at line 3)`,
			`4: </body> closes <section> (opened at line 3)`,
		}},
		{"duplicate id", "<h2 id=\"a\">一</h2>\n<h2 id=\"a\">二</h2>", []string{
			`4: id "a" used again (first at line 3)`,
		}},
		{"li outside a list", `<div><li>x</li></div>`, []string{
			`3: <li> inside <div>: expected inside <ul>, <ol> or <menu>`,
		}},
		{"svg self-closing", `<svg viewBox="0 0 1 1"><path d="M0 0"/></svg>`, nil},
		{"void end tag", `<br></br>`, []string{
			`3: </br> ends a void element`,
		}},
	}
	for _, tt := range tests {
		got := checkHTML([]byte(page(tt.body)))
		if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
			t.Errorf("%s: checkHTML(%q):\n%s\nwant:\n%s", tt.name, tt.body, strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
		}
	}
	if got := checkHTML([]byte("<html><body></body></html>")); len(got) != 1 || !strings.Contains(got[0], "DOCTYPE") {
		t.Errorf("checkHTML without a doctype = %q, want one problem naming it", got)
	}
	if got := strings.Join(checkHTML([]byte("<!DOCTYPE html>\n<div>\n")), "\n"); got != "3: <div> (opened at line 2) is never closed" {
		t.Errorf("checkHTML of an unclosed page = %q", got)
	}
}

// voidElements have no content and no end tag.
var voidElements = set("area base br col embed hr img input link meta source track wbr")

// flowOnly elements may not stand inside a <p>: a parser closes the
// paragraph before them, and the page's structure is not what the
// template says.
var flowOnly = set("address article aside blockquote details dialog div dl dd dt fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr li main menu nav ol p pre search section table ul")

// interactive elements may not contain one another.
var interactive = set("a button details embed iframe input label select textarea")

func set(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// open is an element whose end tag has not come yet.
type open struct {
	name string
	line int
}

// checkHTML checks one page: a doctype first; every element closed, in
// order (no end tag may be left for the parser to imply); no flow content
// inside <p>; no interactive element (a, button, input, …) inside <a> or
// <button>; no form in a form; <li> only in lists and lists of <li> only;
// ids unique, not empty and without spaces. It returns the problems, each as
// "LINE: message".
func checkHTML(page []byte) []string {
	var (
		problems []string
		stack    []open
		ids      = map[string]int{}
		line     = 1
		first    = true
	)
	report := func(format string, args ...any) {
		problems = append(problems, fmt.Sprintf("%d: ", line)+fmt.Sprintf(format, args...))
	}
	within := func(name string) (open, bool) {
		for i := len(stack) - 1; i >= 0; i-- {
			if stack[i].name == name {
				return stack[i], true
			}
		}
		return open{}, false
	}
	z := html.NewTokenizer(bytes.NewReader(page))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			if err := z.Err(); !errors.Is(err, io.EOF) {
				report("cannot tokenize: %v", err)
			}
			break
		}
		raw := z.Raw()
		startLine := line
		line += bytes.Count(raw, []byte{'\n'})
		if tt == html.TextToken && len(bytes.TrimSpace(raw)) == 0 || tt == html.CommentToken {
			continue
		}
		if first {
			first = false
			if tt != html.DoctypeToken {
				line = startLine
				report("the page does not start with <!DOCTYPE html>")
			}
		}
		switch tt {
		case html.StartTagToken, html.SelfClosingTagToken:
			nameb, more := z.TagName()
			name := string(nameb)
			var attrs []html.Attribute
			for more {
				var k, v []byte
				k, v, more = z.TagAttr()
				attrs = append(attrs, html.Attribute{Key: string(k), Val: string(v)})
			}
			// Problems are reported at the line the tag starts on.
			here := line
			line = startLine
			if p, ok := within("p"); ok && flowOnly[name] {
				report("<%s> inside <p> (opened at line %d): a paragraph holds only phrasing content", name, p.line)
			}
			if interactive[name] {
				for _, outer := range []string{"a", "button"} {
					if o, ok := within(outer); ok {
						report("<%s> inside <%s> (opened at line %d): interactive elements do not nest", name, outer, o.line)
					}
				}
			}
			if f, ok := within("form"); ok && name == "form" {
				report("<form> inside <form> (opened at line %d)", f.line)
			}
			if parent := top(stack); (parent == "ul" || parent == "ol") && name != "li" && name != "script" && name != "template" {
				report("<%s> inside <%s>: a list holds only <li>", name, parent)
			}
			if name == "li" {
				if parent := top(stack); parent != "ul" && parent != "ol" && parent != "menu" {
					report("<li> inside <%s>: expected inside <ul>, <ol> or <menu>", parent)
				}
			}
			for _, a := range attrs {
				if a.Key == "id" && (a.Val == "" || strings.ContainsAny(a.Val, " \t\n\f\r")) {
					report("<%s> has the id %q: an id is not empty and has no spaces", name, a.Val)
				}
				if a.Key == "id" {
					if at, dup := ids[a.Val]; dup {
						report("id %q used again (first at line %d)", a.Val, at)
					} else {
						ids[a.Val] = startLine
					}
				}
			}
			line = here
			if tt == html.StartTagToken && !voidElements[name] {
				stack = append(stack, open{name, startLine})
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			here := line
			line = startLine
			switch {
			case voidElements[string(name)]:
				report("</%s> ends a void element", name)
			case len(stack) == 0 || !slices.ContainsFunc(stack, func(o open) bool { return o.name == string(name) }):
				report("</%s> with no open <%s>", name, name)
			default:
				for {
					o := stack[len(stack)-1]
					stack = stack[:len(stack)-1]
					if o.name == string(name) {
						break
					}
					report("</%s> closes <%s> (opened at line %d)", name, o.name, o.line)
				}
			}
			line = here
		}
	}
	for i := len(stack) - 1; i >= 0; i-- {
		report("<%s> (opened at line %d) is never closed", stack[i].name, stack[i].line)
	}
	return problems
}

func top(stack []open) string {
	if len(stack) == 0 {
		return "(none)"
	}
	return stack[len(stack)-1].name
}
