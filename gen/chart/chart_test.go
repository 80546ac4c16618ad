package chart

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
	"go.yaml.in/yaml/v3"

	"gongjian/gen/dataset"

	"gongjian/gen/diag"
)

var update = flag.Bool("update", false, "update golden files")

func loadSets(t *testing.T) []*dataset.Dataset {
	t.Helper()
	sets, errs := dataset.LoadDir(os.DirFS("testdata"), "data")
	if err := errs.Err(); err != nil {
		t.Fatal(err)
	}
	return sets
}

// render is what the golden files hold: the chart without its options,
// and the options indented, so that diffs are readable.
func render(t *testing.T, c *Chart) (meta, options []byte) {
	t.Helper()
	var opt bytes.Buffer
	if c.Options != "" {
		if err := json.Indent(&opt, []byte(c.Options), "", "  "); err != nil {
			t.Fatal(err)
		}
		opt.WriteByte('\n')
	}
	cc := *c
	cc.Options = ""
	meta, err := json.MarshalIndent(cc, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(meta, '\n'), opt.Bytes()
}

// TestGolden builds each testdata/golden/*.txtar's spec.yaml and compares
// the chart with its want section; go test -update rewrites them.
func TestGolden(t *testing.T) {
	sets := loadSets(t)
	files, _ := filepath.Glob("testdata/golden/*.txtar")
	if len(files) == 0 {
		t.Fatal("no golden files")
	}
	for _, file := range files {
		ar, err := txtar.ParseFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var spec, wantMeta, wantOptions []byte
		for _, f := range ar.Files {
			switch f.Name {
			case "spec.yaml":
				spec = f.Data
			case "chart.json":
				wantMeta = f.Data
			case "options.json":
				wantOptions = f.Data
			}
		}
		s, err := ParseSpec(spec)
		if err != nil {
			t.Errorf("%s: ParseSpec(%q): %v", file, spec, err)
			continue
		}
		c, err := BuildFrom(s, sets)
		if err != nil {
			t.Errorf("%s: Build(%q): %v", file, spec, err)
			continue
		}
		meta, options := render(t, c)
		c2, _ := BuildFrom(s, sets)
		if meta2, options2 := render(t, c2); !bytes.Equal(meta, meta2) || !bytes.Equal(options, options2) {
			t.Errorf("%s: two builds differ", file)
		}
		if *update {
			ar.Files = []txtar.File{{Name: "spec.yaml", Data: spec}, {Name: "chart.json", Data: meta}, {Name: "options.json", Data: options}}
			if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if !bytes.Equal(meta, wantMeta) {
			t.Errorf("%s: Build(%q) chart =\n%s\nwant\n%s", file, spec, meta, wantMeta)
		}
		if !bytes.Equal(options, wantOptions) {
			t.Errorf("%s: Build(%q) options =\n%s\nwant\n%s", file, spec, options, wantOptions)
		}
	}
}

func TestFromDataset(t *testing.T) {
	sets := loadSets(t)
	var req *dataset.Dataset
	for _, d := range sets {
		if d.Name == "requests" {
			req = d
		}
	}
	cs, errs := FromDataset(req)
	if err := errs.Err(); err != nil {
		t.Fatal(err)
	}
	if len(cs) != 2 || cs[1].Number != "80%" || cs[1].Kind != "number" || cs[0].Kind != "bar" {
		t.Fatalf("FromDataset(requests) = %d charts, card %q; want bar and number card 80%%", len(cs), cs[1].Number)
	}
	if got, want := cs[0].Summary, "各类诉求数量：共3个类别；最高为3件（水电气暖），最低为1件（安全隐患）。"; got != want {
		t.Errorf("summary = %q, want %q", got, want)
	}
	if !strings.Contains(string(cs[0].Options), `"description":"各类诉求数量`) {
		t.Errorf("options lack the aria description: %s", cs[0].Options)
	}
}

// TestFromDatasetSpecs: charts a dataset was made with (ChartSpecs) are
// checked and drawn exactly as the same specs written in its schema file.
func TestFromDatasetSpecs(t *testing.T) {
	var req *dataset.Dataset
	for _, d := range loadSets(t) {
		if d.Name == "requests" {
			req = d
		}
	}
	yamlSpecs := `
- {kind: bar, title: 各类诉求数量, x: category, sort: desc, unit: 件}
- {kind: stacked-bar, title: 各社区诉求, x: community, series: status, limit: {value: 2, label: 目标}}
- {kind: number, title: 诉求解决率, value: rate resolved, note: 已解决诉求占收集诉求的比例}
`
	var root yaml.Node
	if err := yaml.Unmarshal([]byte(yamlSpecs), &root); err != nil {
		t.Fatal(err)
	}
	fromFile := *req
	fromFile.Charts = nil
	for _, n := range root.Content[0].Content {
		fromFile.Charts = append(fromFile.Charts, *n)
	}
	made := *req
	made.Charts = nil
	made.ChartSpecs = []Spec{
		{Kind: "bar", Title: "各类诉求数量", X: "category", Sort: "desc", Unit: "件"},
		{Kind: "stacked-bar", Title: "各社区诉求", X: "community", Series: "status", Limit: &Limit{Value: 2, Label: "目标"}},
		{Kind: "number", Title: "诉求解决率", Value: "rate resolved", Note: "已解决诉求占收集诉求的比例"},
	}
	want, errs := FromDataset(&fromFile)
	if err := errs.Err(); err != nil {
		t.Fatal(err)
	}
	got, errs := FromDataset(&made)
	if err := errs.Err(); err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || !reflect.DeepEqual(got, want) {
		t.Errorf("FromDataset with ChartSpecs = %d charts, differing from the same specs in YAML:\n%+v\nwant\n%+v", len(got), got, want)
	}
	if made.ChartSpecs[1].Kind != "stacked-bar" {
		t.Errorf("FromDataset changed the dataset's spec: kind %q", made.ChartSpecs[1].Kind)
	}
	made.ChartSpecs = []Spec{{Kind: "pie", Title: "占比", X: "category", Limit: &Limit{Value: 1}}, {Kind: "bar", Title: "无", X: "nothing"}}
	_, errs = FromDataset(&made)
	if got, want := errs.Error(), "data/requests.yaml: limit applies to line and bar charts, not pie\ndata/requests.yaml: chart \"无\": "; !strings.HasPrefix(got, want) {
		t.Errorf("FromDataset with bad ChartSpecs: %q, want it to start %q", got, want)
	}
}

func TestParseSpecErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"dataset: requests\nkind: bars\ntitle: t\nx: a\n", `line 2: kind "bars" is not one of line, bar, stacked-bar, pie, donut, number`},
		{"dataset: requests\nkind: bar\ntitle: t\nx: a\ncolour: red\n", `line 5: unknown chart field "colour"`},
		{"kind: bar\ntitle: t\nx: a\n", `line 1: missing "dataset"`},
		{"dataset: requests\nkind: bar\ntitle: t\n", `line 2: a bar chart needs "x"`},
		{"dataset: requests\nkind: number\ntitle: t\n", `line 2: a number card needs "value"`},
		{"dataset: requests\nkind: bar\nx: a\n", `line 1: missing "title"`},
		{"dataset: requests\nkind: bar\ntitle: t\nx: a\nstack: maybe\n", `line 5: cannot unmarshal !!str` + " `maybe` into bool"},
		{"dataset: [\n", `line 1: did not find expected node content`},
		{"", `line 1: empty chart block`},
	}
	for _, tt := range tests {
		_, err := ParseSpec([]byte(tt.in))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseSpec(%q) error = %v, want one containing %q", tt.in, err, tt.want)
		}
	}
	// In a story, lines count from the fence.
	_, err := ParseBlock([]byte("dataset: requests\nkind: bars\ntitle: t\nx: a\n"), 10)
	var se diag.List
	if !errors.As(err, &se) || len(se) != 1 || se.In("content/news/a.md")[0].Error() != `content/news/a.md:12: kind "bars" is not one of line, bar, stacked-bar, pie, donut, number` {
		t.Errorf("ParseBlock(…, 10) error = %v, want a diag.List with one error at line 12", err)
	}
}

func TestBuildErrors(t *testing.T) {
	sets := loadSets(t)
	tests := []struct{ in, want string }{
		{"dataset: nope\nkind: bar\ntitle: t\nx: a\n", `no dataset "nope" (datasets: points, requests)`},
		{"dataset: requests\nkind: bar\ntitle: t\nx: a\n", `x: no column "a" in requests (columns: id, community, category, status, received, resolved)`},
		{"dataset: requests\nkind: bar\ntitle: t\nx: community\ny: category\n", `y: column "category" is category, not numbers`},
		{"dataset: requests\nkind: bar\ntitle: t\nx: community\nfilter: status = 已完成\n", `filter "status = 已完成": status = "已完成": no row has "已完成"`},
		{"dataset: requests\nkind: pie\ntitle: t\nx: community\nseries: status\n", `a pie chart shows one series; this one has 2 (已解决, 处理中)`},
		{"dataset: requests\nkind: number\ntitle: t\nvalue: rate nope\n", `value "rate nope": no column "nope"`},
		{"dataset: requests\nkind: bar\ntitle: t\nx: community\nfilter: id > 100\n", `no rows to draw`},
	}
	for _, tt := range tests {
		s, err := ParseSpec([]byte(tt.in))
		if err != nil {
			t.Errorf("ParseSpec(%q): %v", tt.in, err)
			continue
		}
		_, err = BuildFrom(s, sets)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Build(%q) error = %v, want one containing %q", tt.in, err, tt.want)
		}
	}
}

// TestExampleCharts builds every chart of the example site's datasets.
func TestExampleCharts(t *testing.T) {
	sets, errs := dataset.LoadDir(os.DirFS("../.."), "data")
	if err := errs.Err(); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, d := range sets {
		cs, errs := FromDataset(d)
		if err := errs.Err(); err != nil {
			t.Errorf("FromDataset(%s): %v", d.Name, err)
		}
		for _, c := range cs {
			n++
			if c.Summary == "" || (c.Kind != "number" && !json.Valid([]byte(c.Options))) || (c.Kind == "number" && c.Number == "") {
				t.Errorf("%s: chart %q is incomplete: %+v", d.Name, c.Title, c)
			}
		}
	}
	if n < 8 {
		t.Errorf("%d charts on the example site, want at least 8", n)
	}
}

func TestBlock(t *testing.T) {
	sets := loadSets(t)
	c, err := Block([]byte("dataset: requests\nkind: number\ntitle: 解决率\nvalue: rate resolved\n"), 7, sets)
	if err != nil || c.Number != "80%" {
		t.Errorf("Block(number card) = %+v, %v; want 80%%", c, err)
	}
	_, err = Block([]byte("dataset: requests\nkind: bar\ntitle: t\nx: nope\n"), 7, sets)
	if err == nil || !strings.Contains(err.Error(), `x: no column "nope" in requests`) {
		t.Errorf("Block(bad column) error = %v", err)
	}
}
