package markdown

import (
	"errors"
	"flag"
	"fmt"
	"html/template"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"gongjian/gen/diag"
)

var update = flag.Bool("update", false, "update golden files")

// TestConvertGolden renders each testdata/convert/*.txtar archive's input.md
// and compares it with want.html (and want.errors when the case has errors).
func TestConvertGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/convert/*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden cases: %v", err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			input := section(ar, "input.md")
			if input == nil {
				t.Fatalf("%s: no input.md section", file)
			}
			doc, errs := New().Convert(input, Options{File: "x.md", Line: 1, Hooks: testHooks()})
			got := map[string]string{"want.html": string(doc.HTML), "want.errors": "", "want.warnings": ""}
			if len(errs) > 0 {
				got["want.errors"] = errs.Error() + "\n"
			}
			if len(doc.Warnings) > 0 {
				got["want.warnings"] = doc.Warnings.Error() + "\n"
			}
			if *update {
				var out []txtar.File
				out = append(out, txtar.File{Name: "input.md", Data: input})
				out = append(out, txtar.File{Name: "want.html", Data: []byte(got["want.html"])})
				for _, name := range []string{"want.errors", "want.warnings"} {
					if got[name] != "" {
						out = append(out, txtar.File{Name: name, Data: []byte(got[name])})
					}
				}
				ar.Files = out
				if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			for _, name := range []string{"want.html", "want.errors", "want.warnings"} {
				want := string(section(ar, name))
				if got[name] != want {
					t.Errorf("Convert(%s) %s:\n--- got ---\n%s\n--- want ---\n%s", file, name, got[name], want)
				}
			}
		})
	}
}

func section(ar *txtar.Archive, name string) []byte {
	for _, f := range ar.Files {
		if f.Name == name {
			return f.Data
		}
	}
	return nil
}

// testHooks stand in for the build's dataset and chart hooks: they make the
// hook plumbing visible in the golden output, including line numbers.
func testHooks() *Hooks {
	return &Hooks{
		Blocks: map[string]func([]byte, int) (template.HTML, error){
			"chart": func(body []byte, line int) (template.HTML, error) {
				if strings.Contains(string(body), "broken") {
					return "", errors.New("dataset \"broken\" does not exist")
				}
				if strings.Contains(string(body), "kind: bars") {
					// Problems of the block's text, at lines of the file.
					return "", diag.List{{Line: line + 2, Msg: `kind "bars" is not one of line, bar`}, {Msg: `missing "title"`}}
				}
				return template.HTML(fmt.Sprintf("<figure data-line=\"%d\">%s</figure>", line, template.HTMLEscapeString(strings.TrimSpace(string(body))))), nil
			},
		},
		Image: func(img Image) (template.HTML, error) {
			if img.Alone {
				return template.HTML(fmt.Sprintf("<figure data-line=\"%d\"><img src=\"%s\" alt=\"%s\"></figure>", img.Line, template.HTMLEscapeString(img.Dest), template.HTMLEscapeString(img.Alt))), nil
			}
			return template.HTML(fmt.Sprintf("<img data-line=\"%d\" src=\"%s\" alt=\"%s\">", img.Line, template.HTMLEscapeString(img.Dest), template.HTMLEscapeString(img.Alt))), nil
		},
		Figure: func(expr string, line int) (string, error) {
			if expr == "requests | count" {
				return "62", nil
			}
			return "", fmt.Errorf("unknown expression")
		},
	}
}

func TestSplit(t *testing.T) {
	tests := []struct {
		in        string
		front     string
		body      string
		bodyLine  int
		wantError error
	}{
		{"---\ntitle: a\n---\nbody\n", "title: a\n", "body\n", 4, nil},
		{"\xef\xbb\xbf---\r\ntitle: a\r\n---\r\nbody", "title: a\r\n", "body", 4, nil},
		{"---\n---\n", "", "", 3, nil},
		{"---\na: 1\nb: 2\n---", "a: 1\nb: 2\n", "", 5, nil},
		{"title: a\n", "", "", 0, ErrNoFrontMatter},
		{"---\ntitle: a\n", "", "", 0, ErrUnclosedFrontMatter},
		{"---", "", "", 0, ErrUnclosedFrontMatter},
	}
	for _, tt := range tests {
		got, err := Split([]byte(tt.in))
		if !errors.Is(err, tt.wantError) {
			t.Errorf("Split(%q) error = %v, want %v", tt.in, err, tt.wantError)
			continue
		}
		if err != nil {
			continue
		}
		if string(got.Front) != tt.front || string(got.Body) != tt.body || got.BodyLine != tt.bodyLine {
			t.Errorf("Split(%q) = front %q body %q line %d, want %q %q %d", tt.in, got.Front, got.Body, got.BodyLine, tt.front, tt.body, tt.bodyLine)
		}
	}
}

func TestSafeURL(t *testing.T) {
	tests := []struct {
		url  string
		want bool
	}{
		{"/news/a/", true},
		{"../photos/a.jpg", true},
		{"#fn:1", true},
		{"https://example.org/", true},
		{"HTTP://example.org/", true},
		{"mailto:a@example.org", true},
		{"tel:+86-719-000", true},
		{"javascript:alert(1)", false},
		{"JaVaScRiPt:alert(1)", false},
		{" javascript:alert(1)", false},
		{"java\tscript:alert(1)", false},
		{"java\nscript:alert(1)", false},
		{"vbscript:x", false},
		{"data:text/html,<script>", false},
		{"file:///etc/passwd", false},
		{"a/b:c", true},
		{"?q=a:b", true},
		{"&#106;avascript:alert(1)", false},
		{"&#x6A;avascript:alert(1)", false},
		{"javascript&colon;alert(1)", false},
		{"/search/?q=a&amp;b:c", true},
	}
	for _, tt := range tests {
		if got := SafeURL(tt.url); got != tt.want {
			t.Errorf("SafeURL(%q) = %v, want %v", tt.url, got, tt.want)
		}
	}
}

func TestSlugify(t *testing.T) {
	tests := []struct{ in, want string }{
		{"积分怎么兑换", "积分怎么兑换"},
		{"“5433”工作机制", "5433-工作机制"},
		{"Hello, World!", "hello-world"},
		{"  多余  空格 ", "多余-空格"},
		{"！？", ""},
	}
	for _, tt := range tests {
		if got := Slugify(tt.in); got != tt.want {
			t.Errorf("Slugify(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestPlainText(t *testing.T) {
	src := "## 标题\n\n第一段中文\n接着写。Latin\nwords here.\n\n```\ncode\n```\n"
	doc, errs := New().Convert([]byte(src), Options{File: "x.md", Text: true})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	want := "标题\n第一段中文接着写。Latin words here."
	if doc.Text != want {
		t.Errorf("Text = %q, want %q", doc.Text, want)
	}
}

// TestFigureLinks: with FigureLink, a figure links to the page of its
// dataset, except in the text of another link (links do not nest), and
// when the hook gives no address or an unsafe one.
func TestFigureLinks(t *testing.T) {
	h := testHooks()
	h.FigureLink = func(expr string) string {
		switch {
		case strings.HasPrefix(expr, "requests"):
			return "/data/requests/"
		case strings.HasPrefix(expr, "evil"):
			return "javascript:alert(1)"
		}
		return ""
	}
	h.Figure = func(expr string, _ int) (string, error) { return "62", nil }
	tests := []struct{ in, want string }{
		{"共 {{data: requests | count}} 件", `<p>共 <a class="data-figure" href="/data/requests/">62</a> 件</p>`},
		{"[共 {{data: requests | count}} 件](/news/x/)", `<p><a href="/news/x/">共 62 件</a></p>`},
		{"**{{data: requests | count}}**", `<p><strong><a class="data-figure" href="/data/requests/">62</a></strong></p>`},
		{"{{data: other | count}}", `<p>62</p>`},
		{"{{data: evil | count}}", `<p>62</p>`},
	}
	for _, tt := range tests {
		doc, errs := New().Convert([]byte(tt.in), Options{File: "x.md", Line: 1, Hooks: h})
		if len(errs) > 0 {
			t.Fatalf("Convert(%q): %v", tt.in, errs.Err())
		}
		if got := strings.TrimSpace(string(doc.HTML)); got != tt.want {
			t.Errorf("Convert(%q) =\n%s\nwant\n%s", tt.in, got, tt.want)
		}
	}
}
