package markdown_test

import (
	"bytes"
	"html/template"
	"testing"

	"gongjian/gen/chart"
	"gongjian/gen/dataset"
	"gongjian/gen/markdown"
)

// fuzzSets is one small real dataset for the figures and charts of
// FuzzConvert.
func fuzzSets(t *testing.T) []*dataset.Dataset {
	d, errs := dataset.ParseSchema("data/requests.yaml", "requests", []byte(`title: 居民诉求
source: 开发区
licence: CC BY 4.0
updated: 2026-03-31
topic: governance
columns:
  - {name: id, type: int}
  - {name: category, type: category, label: 类别}
  - {name: received, type: date}
  - {name: note, type: string}
`))
	if err := errs.Err(); err != nil {
		t.Fatal(err)
	}
	csv := "id,category,received,note\n1,水电气暖,2026-03-01,<script>alert(1)</script>\n2,安全隐患,2300-01-02,=1+1\n3,水电气暖,,\n"
	if err := d.ParseCSV([]byte(csv)).Err(); err != nil {
		t.Fatal(err)
	}
	return []*dataset.Dataset{d}
}

// FuzzConvert converts arbitrary stories whose {{data: …}} figures and
// chart blocks are evaluated against a real dataset: every input gives
// HTML or errors, each error names the file and a line of it, and no
// script element reaches the output (dataset text included).
func FuzzConvert(f *testing.F) {
	for _, s := range []string{
		"# 标题\n\n共受理 {{data: requests | count}} 件。\n",
		"{{data: requests | count where 类别 = 水电气暖}}{{data: requests | min received}}\n",
		"{{data: requests | last note}} 和 {{data: requests | first note}}\n",
		"{{data: requests | count where received > 1600-01-01",
		"{{data: }}\n{{data: requests | nope}}\n",
		"```chart\ndataset: requests\nkind: bar\ntitle: 各类\nx: category\ny: count\n```\n",
		"```chart\ndataset: requests\nkind: number\ntitle: t\nvalue: requests | count\n```\n",
		"```chart\n- [\n```\n",
		"> {{data: requests | count}}\n> - {{data: requests | distinct category}}\n",
		"| a | b |\n|---|---|\n| {{data: requests | count}} | x |\n",
		"<script>alert(1)</script>\n\n[x](javascript:alert(1))\n",
		"![{{data: requests | count}}](a.png)\n",
		"{{data: requests | count}}}}{{{{data:\n",
	} {
		f.Add([]byte(s))
	}
	conv := markdown.New()
	f.Fuzz(func(t *testing.T, src []byte) {
		sets := fuzzSets(t)
		hooks := &markdown.Hooks{
			Figure: func(expr string, line int) (string, error) { return dataset.Eval(sets, expr) },
			Blocks: map[string]func([]byte, int) (template.HTML, error){
				"chart": func(body []byte, line int) (template.HTML, error) {
					c, err := chart.Block(body, line, sets)
					if err != nil {
						return "", err
					}
					return template.HTML("<figure>" + template.HTMLEscapeString(c.Title) + "</figure>"), nil
				},
			},
		}
		doc, errs := conv.Convert(src, markdown.Options{File: "content/news/x.md", Line: 3, Hooks: hooks})
		lines := 3 + bytes.Count(src, []byte{'\n'})
		for _, e := range errs {
			if e.File != "content/news/x.md" || e.Msg == "" {
				t.Fatalf("error without file or message: %#v", e)
			}
			if e.Line < 3 || e.Line > lines {
				t.Fatalf("error on line %d, outside lines 3..%d: %v", e.Line, lines, e)
			}
		}
		if bytes.Contains(bytes.ToLower(doc.HTML), []byte("<script")) {
			t.Fatalf("Convert(%q) let a script element through: %s", src, doc.HTML)
		}
	})
}
