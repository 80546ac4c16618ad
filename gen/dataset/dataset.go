package dataset

import (
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"go.yaml.in/yaml/v3"

	"gongjian/gen/diag"
)

// Column types a schema may declare.
const (
	String   = "string"   // free text
	Category = "category" // a small set of repeated labels (community, status)
	Int      = "int"      // whole numbers; "1,234" and "512万" accepted
	Float    = "float"    // decimal numbers
	Percent  = "percent"  // "91.9%" or 91.9, stored as 91.9
	Year     = "year"     // 2026, printed without grouping
	Month    = "month"    // 2026-03, 2026/3, 2026年3月 (a full date is kept)
	Date     = "date"     // 2026-03-05, 2026/3/5, 2026年3月5日
	DateTime = "datetime" // a date with a time of day, optionally an offset
)

// Types lists the column types in the order the documentation gives them.
var Types = []string{String, Category, Int, Float, Percent, Year, Month, Date, DateTime}

// A Dataset is one loaded data/NAME.csv with the metadata of data/NAME.yaml.
// Values are stored by column, typed by the schema.
type Dataset struct {
	Name        string // NAME
	Path        string // data/NAME.csv, relative to the site root
	SchemaPath  string // data/NAME.yaml
	Title       string
	Description string
	Source      string
	Licence     string
	Updated     time.Time
	Topic       string // a topic slug; the site checks it against content/site.yaml
	TopicLine   int    // of topic in SchemaPath; 0 when not known
	Sample      bool   // figures are invented; pages say 示例数据
	Frequency   string // how often it is updated: one of Frequencies, or "" when not said
	Encoding    string // as found: "UTF-8", "UTF-8 BOM", "GB18030", "UTF-16LE", …
	Delimiter   rune   // as found: ',', '\t' or ';'
	Columns     []*Column
	Rows        int

	// Charts holds the chart specs of the schema, undecoded: package chart
	// decodes them (it depends on this package, not the other way round).
	// Each node keeps its line in SchemaPath.
	Charts []yaml.Node
	// ChartSpecs are the charts of a dataset made with New, as values;
	// package chart checks and draws them as it does Charts.
	ChartSpecs []ChartSpec

	// Checks are the schema's checks, verified by RunChecks once every
	// dataset is loaded (a check may compare datasets).
	Checks []Check

	// Notes are the editors' notes of the schema (notes:), each at its
	// line: gen build lists them as warnings; no page shows them.
	Notes diag.List
}

// Update frequencies a schema may declare (frequency:).
const (
	Monthly   = "monthly"
	Quarterly = "quarterly"
	Yearly    = "yearly"
	Irregular = "irregular"
)

// Frequencies lists them.
var Frequencies = []string{Monthly, Quarterly, Yearly, Irregular}

// NextUpdate is the first day of the month in which the dataset is next
// due, by its frequency, counted from the month of Updated: the month after
// for monthly, three months after for quarterly, twelve for yearly. It is
// the zero Time when the dataset has no regular frequency.
func (d *Dataset) NextUpdate() time.Time { return d.NextUpdateAfter(time.Time{}) }

// NextUpdateAfter is NextUpdate counted from last, when the rows last
// changed (the site's history knows), if that is later than Updated.
func (d *Dataset) NextUpdateAfter(last time.Time) time.Time {
	months := map[string]int{Monthly: 1, Quarterly: 3, Yearly: 12}[d.Frequency]
	from := d.Updated
	if last.After(from) {
		from = last
	}
	if months == 0 || from.IsZero() {
		return time.Time{}
	}
	u := from.In(Zone)
	return time.Date(u.Year(), u.Month()+time.Month(months), 1, 0, 0, 0, 0, Zone)
}

// Column returns the column called name (or labelled name), or nil.
func (d *Dataset) Column(name string) *Column {
	for _, c := range d.Columns {
		if c.Name == name {
			return c
		}
	}
	for _, c := range d.Columns {
		if c.Label == name && c.Label != "" {
			return c
		}
	}
	return nil
}

// A Column holds one column's values, in one slice chosen by its type.
type Column struct {
	Name     string
	Type     string
	Unit     string
	Label    string // shown in tables and legends; Name when empty
	Decimals int    // for Float and Percent in tables; -1 when not set

	nums   []float64 // Int, Float, Percent, Year
	times  []int64   // Month, Date, DateTime: Unix seconds
	nanos  []int32   // the nanoseconds of times; nil when every value is whole seconds
	strs   []string  // String
	codes  []uint32  // Category: index into levels
	levels []string  // Category values in order of first appearance (or as declared)
	index  map[string]uint32
	null   []bool // nil when no value is blank
	fixed  bool   // levels were declared in the schema; others are errors

	verify  bool // check text values for bad UTF-8 (the file was only sniffed)
	badUTF8 bool // a value was not UTF-8

	placesOnce sync.Once
	places     int // see Places
}

// maxPlaces is the most decimal places a table gives a Float or Percent
// column whose schema sets none.
const maxPlaces = 2

// Places is the number of decimal places every value of the column has in
// a table, so that the figures of a column line up: Decimals when the
// schema sets it, otherwise the most any value needs, at most maxPlaces;
// 0 for whole numbers and for columns of other types.
func (c *Column) Places() int {
	if c.Type != Float && c.Type != Percent {
		return 0
	}
	if c.Decimals >= 0 {
		return c.Decimals
	}
	c.placesOnce.Do(func() {
		for i, v := range c.nums {
			if c.Null(i) {
				continue
			}
			for c.places < maxPlaces && !roundsTo(v, c.places) {
				c.places++
			}
			if c.places == maxPlaces {
				break
			}
		}
	})
	return c.places
}

// roundsTo reports whether v written with maxPlaces decimals has only zeros
// after the first places of them.
func roundsTo(v float64, places int) bool {
	s := strconv.FormatFloat(v, 'f', maxPlaces, 64)
	dot := strings.IndexByte(s, '.')
	return dot < 0 || strings.TrimRight(s[dot+1+places:], "0") == ""
}

// Fixed is row i of a numeric column as a table column shows it: grouped
// by thousands, with Places decimals (kept when they are zeros), a
// percentage with its sign; for other columns it is Format.
func (c *Column) Fixed(i int) string {
	if c.Null(i) {
		return ""
	}
	switch c.Type {
	case Int:
		return FormatFixed(c.nums[i], 0, true)
	case Float:
		return FormatFixed(c.nums[i], c.Places(), true)
	case Percent:
		return FormatFixed(c.nums[i], c.Places(), false) + "%"
	}
	return c.Format(i)
}

// Title is the column's label, or its name when it has none.
func (c *Column) Title() string {
	if c.Label != "" {
		return c.Label
	}
	return c.Name
}

// Numeric reports whether the column holds numbers.
func (c *Column) Numeric() bool {
	switch c.Type {
	case Int, Float, Percent, Year:
		return true
	}
	return false
}

// Temporal reports whether the column holds dates or times.
func (c *Column) Temporal() bool {
	switch c.Type {
	case Month, Date, DateTime:
		return true
	}
	return false
}

// Len is the number of values.
func (c *Column) Len() int {
	switch {
	case c.Numeric():
		return len(c.nums)
	case c.Temporal():
		return len(c.times)
	case c.Type == Category:
		return len(c.codes)
	}
	return len(c.strs)
}

// Null reports whether row i is blank.
func (c *Column) Null(i int) bool { return i < len(c.null) && c.null[i] }

// Float is row i of a numeric column (0 when blank).
func (c *Column) Float(i int) float64 { return c.nums[i] }

// Time is row i of a temporal column (the zero Time when blank).
func (c *Column) Time(i int) time.Time {
	if c.Null(i) {
		return time.Time{}
	}
	return time.Unix(c.times[i], int64(c.nano(i))).In(Zone)
}

// Unix is row i of a temporal column as seconds and nanoseconds since
// 1970-01-01 UTC: exact over every year a value may have (1–9999), where
// a time.Duration between two values would overflow.
func (c *Column) Unix(i int) (sec int64, nsec int32) { return c.times[i], c.nano(i) }

func (c *Column) nano(i int) int32 {
	if i < len(c.nanos) {
		return c.nanos[i]
	}
	return 0
}

// Levels lists a category column's distinct values: as declared in the
// schema, or in order of first appearance.
func (c *Column) Levels() []string { return slices.Clip(c.levels) }

// Code is the index into Levels of row i of a category column.
func (c *Column) Code(i int) int { return int(c.codes[i]) }

// Text is row i as text: the string or category value, or the formatted
// number or date.
func (c *Column) Text(i int) string {
	if c.Null(i) {
		return ""
	}
	switch c.Type {
	case String:
		return c.strs[i]
	case Category:
		return c.levels[c.codes[i]]
	}
	return c.Format(i)
}

// Format is row i as a table shows it: exact numbers grouped by thousands
// ("5,123,456"), percentages with a sign, dates as 2026-03-05, months as
// 2026-03, blanks as "".
func (c *Column) Format(i int) string {
	if c.Null(i) {
		return ""
	}
	switch c.Type {
	case Int:
		return FormatDecimal(c.nums[i], 0, true)
	case Year:
		return FormatDecimal(c.nums[i], 0, false)
	case Float:
		return FormatDecimal(c.nums[i], c.decimals(), true)
	case Percent:
		return FormatDecimal(c.nums[i], c.decimals(), false) + "%"
	case Month:
		return c.Time(i).Format("2006-01")
	case Date:
		return c.Time(i).Format("2006-01-02")
	case DateTime:
		return c.Time(i).Format("2006-01-02 15:04:05")
	}
	return c.Text(i)
}

func (c *Column) decimals() int {
	if c.Decimals >= 0 {
		return c.Decimals
	}
	return 2
}

// setNano sets the nanoseconds of row i, allocating them on first use.
func (c *Column) setNano(i int, nsec int32) {
	for len(c.nanos) <= i {
		c.nanos = append(c.nanos, 0)
	}
	c.nanos[i] = nsec
}

// setNull marks row i blank, allocating the flags on first use.
func (c *Column) setNull(i int) {
	for len(c.null) <= i {
		c.null = append(c.null, false)
	}
	c.null[i] = true
}
