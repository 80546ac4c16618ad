package dataset

import (
	"strings"
	"time"

	"gongjian/gen/cjk"
	"gongjian/gen/diag"
)

// A Schema is what data/NAME.yaml says about a dataset, as values: what a
// program that makes a dataset in memory (the kiosk aggregates) gives New.
type Schema struct {
	Title       string
	Description string
	Source      string
	Licence     string
	Updated     time.Time
	Topic       string // a topic slug; the site checks it against content/site.yaml
	Sample      bool   // figures are invented; pages say 示例数据
	Frequency   string // how often it is updated: one of Frequencies, or ""
	Columns     []ColumnSpec
	Charts      []ChartSpec
}

// A ColumnSpec declares one column: its name, type (one of Types; String
// when empty), unit, label, decimals (Float and Percent; nil for the
// default) and, for a category, the allowed values in display order.
type ColumnSpec struct {
	Name     string   `yaml:"name"`
	Type     string   `yaml:"type"`
	Unit     string   `yaml:"unit"`
	Label    string   `yaml:"label"`
	Decimals *int     `yaml:"decimals"`
	Levels   []string `yaml:"levels"`

	line int // in the schema file; 0 for a Schema made in memory
}

// A ChartSpec says which chart to draw from which data. It is written in
// YAML, in a dataset's charts list or in a ```chart block of a story, or
// made in memory for New. Package chart decodes, checks and draws it
// (chart.Spec is this type); it lives here so that a Dataset can carry
// the charts New was given.
type ChartSpec struct {
	Dataset    string      `yaml:"dataset"`    // dataset name; implied in a dataset's own charts
	Kind       string      `yaml:"kind"`       // one of chart.Kinds
	Title      string      `yaml:"title"`      // shown above the chart
	X          string      `yaml:"x"`          // category or time column (slice labels for pie)
	Y          []string    `yaml:"y"`          // value column(s); none counts rows
	Series     string      `yaml:"series"`     // column whose values become series (with one y)
	Filter     string      `yaml:"filter"`     // rows to keep, as after "where" in Eval
	Agg        string      `yaml:"agg"`        // one of chart.Aggregates; sum, or count without y
	Stack      bool        `yaml:"stack"`      // stack bar or line series
	Horizontal bool        `yaml:"horizontal"` // bars run left to right (long labels on phones)
	Sort       string      `yaml:"sort"`       // "desc" or "asc": order x by value (bar, pie)
	Unit       string      `yaml:"unit"`       // unit of the values; default: the y column's
	Value      string      `yaml:"value"`      // number cards: an expression after "DATASET |"
	Note       string      `yaml:"note"`       // number cards: a short line under the figure
	Limit      *ChartLimit `yaml:"limit"`      // a reference value drawn across line and bar charts

	Line int `yaml:"-"` // line of the spec in its source, when known
}

// A ChartLimit is a reference value, such as a water-quality standard,
// drawn as a dashed line: {value: 20, label: III类标准}.
type ChartLimit struct {
	Value float64 `yaml:"value"`
	Label string  `yaml:"label"`
}

// New makes a dataset in memory from its schema and rows, checked as
// ParseSchema and ParseCSV check a dataset read from files. path is where
// its schema would be (dir/NAME.yaml): problems are reported there and at
// dir/NAME.csv, which need not exist. Each row holds one cell per column,
// in the order of s.Columns, as text a CSV cell would hold ("" for a blank);
// it is converted by the column's type exactly as a cell of data/NAME.csv
// is, so the values are those the same table read from a file would have.
// The dataset is published as UTF-8 CSV (its Encoding). s.Charts are
// checked and drawn by package chart, like the charts of a schema file.
func New(path, name string, s Schema, rows [][]string) (*Dataset, diag.List) {
	d := start(path, name, s)
	d.Encoding, d.Delimiter, d.ChartSpecs = "UTF-8", ',', s.Charts
	errs := d.check(map[string]string{"updated": updatedText(s.Updated)}, func(string) int { return 0 })
	errs.Merge(d.setColumns(s.Columns, func(string) int { return 0 }))
	if len(errs) > 0 {
		return nil, errs
	}
	for _, c := range d.Columns {
		c.reset(len(rows))
	}
	for i, row := range rows {
		if len(row) != len(d.Columns) {
			errs.Addf(d.Path, 0, "row %d: %d cells, but the schema has %d columns", i+1, len(row), len(d.Columns))
			return nil, errs
		}
		for j, c := range d.Columns {
			if err := c.appendCell(row[j], i); err != nil {
				errs.Addf(d.Path, 0, "row %d: %s", i+1, cellError(c, row[j], err))
			}
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	d.Rows = len(rows)
	return d, nil
}

// start begins the dataset name whose schema is at path (dir/NAME.yaml,
// its data at dir/NAME.csv) with the metadata of s, trimmed; the texts of
// a description broken over lines are joined as Chinese prose wants.
func start(path, name string, s Schema) *Dataset {
	return &Dataset{
		Name:        name,
		Path:        strings.TrimSuffix(path, ".yaml") + ".csv",
		SchemaPath:  path,
		Title:       strings.TrimSpace(s.Title),
		Description: cjk.Join(strings.TrimSpace(s.Description)),
		Source:      strings.TrimSpace(s.Source),
		Licence:     strings.TrimSpace(s.Licence),
		Updated:     s.Updated,
		Topic:       s.Topic,
		Sample:      s.Sample,
		Frequency:   s.Frequency,
	}
}

// updatedText is t as the "updated" key of a schema file would need it
// to be present: "" for the zero time.
func updatedText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}
