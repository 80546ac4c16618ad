package tmplexec

import (
	"bytes"
	"errors"
	"html/template"
	"strings"
	"testing"
	"time"
)

type item struct {
	Title string
	N     int
	U     uint8
	Tags  []string
	Next  *item
	Attrs map[string]string
	When  time.Time
	Body  template.HTML
	Count counter
	any   int
}

func (i item) Upper() string          { return strings.ToUpper(i.Title) }
func (i *item) Label(p string) string { return p + i.Title }
func (i item) Fails() (string, error) { return "", errors.New("no") }

type counter int

func (c counter) String() string { return "counted" }

var funcs = template.FuncMap{
	"wrap":  func(s string) template.HTML { return template.HTML("<b>" + s + "</b>") },
	"day":   func(t time.Time) string { return t.Format("2006-01-02") },
	"say":   func(k string, args ...any) string { return k + strings.Repeat("!", len(args)) },
	"boom":  func() string { panic("boom") },
	"pair":  func(a, b string, x any) (template.HTML, error) { return template.HTML(a + b), nil },
	"fails": func(string) (string, error) { return "", errors.New("failed") },
	"other": func(a string, b int) string { return a + strings.Repeat("+", b) },
}

func sample() *item {
	return &item{
		Title: `Tom & "Jerry" <3 +1 '垃圾分类'`,
		N:     3,
		U:     3,
		Tags:  []string{"一", "二", "三"},
		Next:  &item{Title: "next", Tags: []string{}},
		Attrs: map[string]string{"b": "2", "a": "1"},
		When:  time.Date(2026, 3, 4, 0, 0, 0, 0, time.UTC),
		Body:  "<p>body &amp; more</p>",
	}
}

// run executes src with html/template and with a compiled Program; it
// fails when the outputs differ, and reports whether the Program ran the
// data itself.
func run(t *testing.T, src string, data any) (compiled bool) {
	t.Helper()
	set, err := template.New("t").Funcs(funcs).Parse(src)
	if err != nil {
		t.Fatalf("%s: %v", src, err)
	}
	var want bytes.Buffer
	wantErr := set.Execute(&want, data)
	p, ok := Compile(set, "t", funcs)
	if !ok {
		t.Fatalf("%s: not compiled", src)
	}
	got := bytes.NewBufferString("kept")
	err = p.Execute(got, data)
	switch {
	case err != nil && !errors.Is(err, ErrFallback):
		t.Errorf("%s: error %v, not ErrFallback", src, err)
	case err != nil && got.String() != "kept":
		t.Errorf("%s: fell back leaving %q in the buffer", src, got.String())
	case err == nil && wantErr != nil:
		t.Errorf("%s: compiled gave %q where html/template failed: %v", src, got.String(), wantErr)
	case err == nil && got.String() != "kept"+want.String():
		t.Errorf("%s:\n compiled: %q\ntemplate: %q", src, strings.TrimPrefix(got.String(), "kept"), want.String())
	}
	return err == nil
}

func TestExecute(t *testing.T) {
	for _, tc := range []struct {
		src string
		// fast: the Program runs it itself; otherwise it must fall back.
		fast bool
	}{
		{`<p>{{.Title}}</p>`, true},
		{`<p title="{{.Title}}">{{.N}} {{.U}}</p>`, true},
		{`<title>{{.Title}} {{.Body}}</title>`, true},
		{`<a href="{{.Title}}">x</a><a href="/s?q={{.Title}}&n={{.N}}">y</a>`, true},
		{`{{.Upper}} {{.Label "a: "}} {{.Next.Title}} {{.Next.Upper}}`, true},
		{`{{with .Next}}{{.Title}} {{$.Title}}{{end}}`, true},
		{`{{with .Next.Next}}x{{else}}none{{end}}`, true},
		{`{{with .Next.Next}}x{{else with .Next}}{{.Title}}{{end}}`, true},
		{`{{if .Tags}}{{range $i, $t := .Tags}}{{$i}}={{$t}};{{end}}{{end}}`, true},
		{`{{range .Tags}}{{if eq . "二"}}{{break}}{{end}}{{.}}{{end}}`, true},
		{`{{range .Tags}}{{if eq . "二"}}{{continue}}{{end}}{{.}}{{end}}`, true},
		{`{{range .Next.Tags}}x{{else}}empty{{end}}`, true},
		{`{{range $k, $v := .Attrs}}{{$k}}:{{$v}} {{end}}`, true},
		{`{{$x := .Title}}{{$x = "changed"}}{{$x}}`, true},
		{`{{if true}}{{$y := 1}}{{$y}}{{end}}`, true},
		{`{{.Attrs.a}}{{index .Attrs "b"}}{{index .Tags 1}}{{len .Tags}}{{len .Title}}`, true},
		{`{{and .N .Title}} {{or .Next.Next .Title}} {{and 0 (boom)}} {{or 1 (boom)}} {{not .Tags}}`, true},
		{`{{eq .N 3}} {{eq .U 3}} {{eq .N .U}} {{ne .Title "x"}} {{lt .N 4}} {{le 3 .N}} {{gt .U 1}} {{ge "a" "b"}} {{eq .N 1 2 3}}`, true},
		{`{{eq true false}} {{ne true false}} {{lt -1 .U}} {{gt .U -1}}`, true},
		{`{{printf "%d-%s" .N .Title}} {{print 1 2}} {{say "k"}} {{say "k" 1 .N}}`, true},
		{`{{wrap .Title}} <p title="{{.Upper | printf "%s!"}}">{{.Body}}</p>`, true},
		{`{{day .When}} {{pair "a" "b" .}} {{other "x" 2}} {{2 | other "x" | printf "%s"}}`, true},
		{`{{.Title | other 2}}`, false}, // a number for a string
		{`{{template "x" .Next}}{{define "x"}}[{{.Title}} {{$.Title}}]{{end}}`, true},
		{`{{block "b" .}}{{.N}}{{end}}`, true},
		{`<img srcset="{{.Title}}, /a.jpg 2x, javascript:x 1x, /b.jpg 1.5x">`, true},
		// What the Program leaves to html/template.
		{`<p title="{{.Body}}">`, false},                // tags stripped from HTML in attributes
		{`{{.Count}}`, false},                           // a Stringer
		{`{{.Attrs.missing}}`, false},                   // no value
		{`{{.Next.Next.Title}}`, false},                 // nil pointer
		{`{{.Fails}}`, false},                           // a method's error
		{`{{fails "x"}}`, false},                        // a function's error
		{`{{boom}}`, false},                             // a panic
		{`{{index .Tags 5}}`, false},                    // out of range
		{`{{eq .Title 1}}`, false},                      // incomparable
		{`{{range 3}}{{.}}{{end}}`, false},              // range over an integer
		{`<script>var x = {{.Title}};</script>`, false}, // jsvalescaper
		{`{{len .N}}`, false},
	} {
		if got := run(t, tc.src, sample()); got != tc.fast {
			t.Errorf("%s: compiled ran it %v, want %v", tc.src, got, tc.fast)
		}
	}
}

// TestCompileRefuses: a function the set does not have, or text/template's
// builtins not done here, leave the template to html/template.
func TestCompileRefuses(t *testing.T) {
	for _, src := range []string{`{{slice .Tags 1}}`, `{{call .F}}`, `{{js .Title}}`} {
		set := template.Must(template.New("t").Parse(src))
		_ = set.Execute(&bytes.Buffer{}, sample())
		if _, ok := Compile(set, "t", nil); ok {
			t.Errorf("%s: compiled", src)
		}
	}
	set := template.Must(template.New("t").Parse(`{{.}}`))
	if _, ok := Compile(set, "t", nil); ok {
		t.Error("compiled a template html/template had not escaped")
	}
}

// FuzzEscapers puts any text, plain or as template.HTML, in every context
// the escapers done here serve, and compares with html/template.
func FuzzEscapers(f *testing.F) {
	for _, s := range []string{
		"", "plain", `<a href="x">&amp;'+"</a>`, "\x00", "\xff\xfe", "javascript:alert(1)", "mailto:a@b",
		"HTTPS://x/y?z=1&w=%zz%41", "/标签/垃圾分类/", "a.jpg 1x, b.jpg 2x", " /a b.jpg 1x,", "tel:123", "/x:y",
	} {
		f.Add(s, false)
		f.Add(s, true)
	}
	const src = `<p>{{.}}</p><p title="{{.}}" data-x='{{.}}'></p><a href="{{.}}"></a><a href="/s?q={{.}}"></a><a href="/{{.}}/x"></a><img srcset="{{.}}"><title>{{.}}</title>`
	set := template.Must(template.New("t").Parse(src))
	_ = set.Execute(&bytes.Buffer{}, "")
	p, ok := Compile(set, "t", nil)
	if !ok {
		f.Fatal("not compiled")
	}
	f.Fuzz(func(t *testing.T, s string, html bool) {
		var data any = s
		if html {
			data = template.HTML(s)
		}
		var want, got bytes.Buffer
		if err := set.Execute(&want, data); err != nil {
			t.Fatal(err)
		}
		if err := p.Execute(&got, data); err != nil {
			if html {
				return // tags in attributes are html/template's
			}
			t.Fatalf("%q fell back", s)
		}
		if got.String() != want.String() {
			t.Fatalf("%q:\n compiled: %q\ntemplate: %q", s, got.String(), want.String())
		}
	})
}
