package chart

import (
	"fmt"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"gongjian/gen/dataset"
	"gongjian/gen/diag"
)

// Kinds of chart a spec may ask for. "stacked-bar" is bar with stack set;
// "number" is a big-number card, not an ECharts chart.
var Kinds = []string{"line", "bar", "stacked-bar", "pie", "donut", "number"}

// Aggregates say how the rows that share an x value (and series) are
// combined into one value.
var Aggregates = []string{"sum", "count", "avg", "min", "max", "last"}

// A Spec says which chart to draw from which data. It is written in YAML,
// in a dataset's charts list or in a ```chart block of a story, or made in
// memory for dataset.New; the type is dataset's, so that a dataset can
// carry the charts it was made with.
type Spec = dataset.ChartSpec

// A Limit is a reference value, such as a water-quality standard, drawn
// as a dashed line: {value: 20, label: III类标准}.
type Limit = dataset.ChartLimit

var specKeys = []string{"dataset", "kind", "title", "x", "y", "series", "filter", "agg", "stack", "horizontal", "sort", "unit", "value", "note", "limit"}

// ParseSpec reads the YAML of a chart spec. The error, if any, is a
// diag.List without file names, with lines counted from 1 at the first line
// of b.
func ParseSpec(b []byte) (Spec, error) {
	return ParseBlock(b, 0)
}

// ParseBlock reads the body of a ```chart block whose fence is on line
// fence of its file, so that the lines in errors (a diag.List without
// file names; diag.List.In names the file) and Spec.Line are lines of the
// file.
func ParseBlock(body []byte, fence int) (Spec, error) {
	var root yaml.Node
	fail := func(errs diag.List) (Spec, error) {
		for _, e := range errs {
			if e.Line > 0 {
				e.Line += fence
			}
		}
		return Spec{}, errs
	}
	if err := yaml.Unmarshal(body, &root); err != nil {
		return fail(dataset.YAMLErrors("", 0, err))
	}
	if root.Kind == 0 || len(root.Content) == 0 {
		return fail(diag.List{diag.Errorf("", 1, "empty chart block: give at least dataset, kind and title")})
	}
	s, errs := decodeSpec(root.Content[0])
	if s.Dataset == "" {
		errs.Addf("", 1, "missing \"dataset\": name the dataset the chart draws from")
	}
	if len(errs) > 0 {
		return fail(errs)
	}
	s.Line += fence
	return s, nil
}

// decodeSpec decodes one spec mapping, checking keys and values that need
// no dataset.
func decodeSpec(n *yaml.Node) (Spec, diag.List) {
	var errs diag.List
	var s Spec
	s.Line = n.Line
	if n.Kind != yaml.MappingNode {
		errs.Addf("", n.Line, "a chart is a mapping of dataset, kind, title, x, y, …")
		return s, errs
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if !slices.Contains(specKeys, k.Value) {
			errs.Addf("", k.Line, "unknown chart field %q (fields: %s)", k.Value, strings.Join(specKeys, ", "))
			continue
		}
		var err error
		switch k.Value {
		case "y":
			// One column or a list of them.
			if v.Kind == yaml.ScalarNode {
				s.Y = []string{v.Value}
			} else {
				err = v.Decode(&s.Y)
			}
		case "stack":
			err = v.Decode(&s.Stack)
		case "horizontal":
			err = v.Decode(&s.Horizontal)
		case "limit":
			s.Limit = new(Limit)
			err = v.Decode(s.Limit)
			if err == nil && s.Limit.Label == "" {
				s.Limit.Label = "标准限值"
			}
		default:
			var str string
			if err = v.Decode(&str); err == nil {
				*stringField(&s, k.Value) = strings.TrimSpace(str)
			}
		}
		if err != nil {
			errs.Merge(dataset.YAMLErrors("", 0, err))
		}
	}
	line := func(key string) int {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == key {
				return n.Content[i].Line
			}
		}
		return n.Line
	}
	errs.Merge(checkSpec(&s, line))
	return s, errs
}

// checkSpec checks the values of s that need no dataset, each problem at
// the line of its key, and turns kind stacked-bar into a stacked bar.
func checkSpec(s *Spec, line func(key string) int) diag.List {
	var errs diag.List
	switch {
	case s.Kind == "":
		errs.Addf("", line("kind"), "missing \"kind\": one of %s", strings.Join(Kinds, ", "))
	case !slices.Contains(Kinds, s.Kind):
		errs.Addf("", line("kind"), "kind %q is not one of %s", s.Kind, strings.Join(Kinds, ", "))
	}
	if s.Kind == "stacked-bar" {
		s.Kind, s.Stack = "bar", true
	}
	if s.Title == "" {
		errs.Addf("", line("title"), "missing \"title\"")
	}
	if s.Agg != "" && !slices.Contains(Aggregates, s.Agg) {
		errs.Addf("", line("agg"), "agg %q is not one of %s", s.Agg, strings.Join(Aggregates, ", "))
	}
	if s.Sort != "" && s.Sort != "asc" && s.Sort != "desc" {
		errs.Addf("", line("sort"), "sort %q is not asc or desc", s.Sort)
	}
	switch {
	case s.Kind == "number" && s.Value == "":
		errs.Addf("", line("kind"), "a number card needs \"value\", an expression such as \"rate resolved\"")
	case s.Kind != "number" && s.Kind != "" && s.X == "":
		errs.Addf("", line("kind"), "a %s chart needs \"x\", the column along the axis (or the slices)", s.Kind)
	}
	if s.Limit != nil && s.Kind != "line" && s.Kind != "bar" && s.Kind != "stacked-bar" {
		errs.Addf("", line("limit"), "limit applies to line and bar charts, not %s", s.Kind)
	}
	if s.Series != "" && len(s.Y) > 1 {
		errs.Addf("", line("series"), "series splits one y column; this chart has %d", len(s.Y))
	}
	return errs
}

func stringField(s *Spec, key string) *string {
	switch key {
	case "dataset":
		return &s.Dataset
	case "kind":
		return &s.Kind
	case "title":
		return &s.Title
	case "x":
		return &s.X
	case "series":
		return &s.Series
	case "filter":
		return &s.Filter
	case "agg":
		return &s.Agg
	case "sort":
		return &s.Sort
	case "unit":
		return &s.Unit
	case "value":
		return &s.Value
	case "note":
		return &s.Note
	}
	panic(fmt.Sprintf("chart: no string field %q", key))
}

// FromDataset builds the charts of ds: those listed in its schema file
// (ds.Charts) and those it was made with (ds.ChartSpecs). Errors carry the
// schema's path and the line of each problem.
func FromDataset(ds *dataset.Dataset) ([]*Chart, diag.List) {
	var errs diag.List
	var out []*Chart
	build := func(s Spec, serrs diag.List) {
		for _, e := range serrs {
			e.File = ds.SchemaPath
		}
		errs.Merge(serrs)
		if len(serrs) > 0 {
			return
		}
		if s.Dataset != "" && s.Dataset != ds.Name {
			errs.Addf(ds.SchemaPath, s.Line, "chart of dataset %q names dataset %q; leave dataset out here", ds.Name, s.Dataset)
			return
		}
		s.Dataset = ds.Name
		c, err := Build(s, ds)
		if err != nil {
			errs.Addf(ds.SchemaPath, s.Line, "chart %q: %v", s.Title, err)
			return
		}
		out = append(out, c)
	}
	for i := range ds.Charts {
		build(decodeSpec(&ds.Charts[i]))
	}
	for _, s := range ds.ChartSpecs {
		errs := checkSpec(&s, func(string) int { return s.Line })
		build(s, errs)
	}
	return out, errs
}

// Block parses the body of a ```chart block (fence on line fence) and
// builds its chart from sets: what a Markdown hook needs in one call.
// Spec problems come back as a diag.List with file lines; data problems
// (unknown dataset or column, a filter that matches nothing) as plain
// errors, to be reported at the fence.
func Block(body []byte, fence int, sets []*dataset.Dataset) (*Chart, error) {
	s, err := ParseBlock(body, fence)
	if err != nil {
		return nil, err
	}
	return BuildFrom(s, sets)
}
