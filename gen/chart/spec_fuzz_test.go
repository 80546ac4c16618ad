package chart

import (
	"errors"
	"testing"

	"gongjian/gen/diag"
)

// FuzzParseSpec reads arbitrary YAML as a chart spec: a spec is either
// accepted with a dataset named and a line inside the text, or refused
// with a diag.List whose every entry has a message; never a panic.
func FuzzParseSpec(f *testing.F) {
	for _, s := range []string{
		"dataset: requests\nkind: bar\ntitle: 各类诉求\nx: category\ny: count\n",
		"dataset: points\nkind: line\ntitle: t\nx: month\ny: [redeemed, issued]\nseries: compound\nstack: true\n",
		"dataset: points\nkind: pie\ntitle: t\nx: month\ny: {sum: redeemed}\nfilter: month >= 2026-01\nlimit: 5\nsort: desc\n",
		"dataset: r\nkind: number\ntitle: t\nvalue: requests | count\nunit: 件\nnote: 说明\n",
		"dataset: r\nkind: bar\nhorizontal: yes\nlimit: -1\n",
		"- a\n- b\n",
		"dataset: [a, b]\nkind: {x: 1}\n",
		"&a [*a]\n",
		"dataset: r\ndataset: r\n",
		"\t\n",
		"",
		"dataset: r\nunknown: 1\n",
		"dataset: \"\\xff\"\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := ParseBlock(b, 10)
		if err == nil {
			if s.Dataset == "" {
				t.Fatalf("ParseBlock(%q) accepted a spec without a dataset", b)
			}
			return
		}
		var se diag.List
		if !errors.As(err, &se) || len(se) == 0 {
			t.Fatalf("ParseBlock(%q) error %v (%T) is not a diag.List", b, err, err)
		}
		for _, e := range se {
			if e.Msg == "" {
				t.Fatalf("ParseBlock(%q): an error without a message", b)
			}
			if e.Line != 0 && e.Line <= 10 {
				t.Fatalf("ParseBlock(%q): line %d is not below the fence on line 10", b, e.Line)
			}
		}
	})
}
