package chart

import (
	"cmp"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"html/template"
	"math"
	"slices"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"gongjian/gen/dataset"
)

// Palette is the Okabe–Ito palette, which stays distinguishable with the
// common colour-vision deficiencies, ordered so that the first colours also
// contrast well with a white page.
var Palette = []string{"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"}

// A Chart is everything a template needs to show one chart (or number
// card) and its data: the ECharts options, a plain sentence for screen
// readers, the same numbers as a table, and where they come from.
type Chart struct {
	ID      string // stable HTML id, "chart-NAME-HASH"; unique per spec
	Kind    string // line, bar, pie, donut or number
	Title   string
	Summary string // one sentence describing the data, also the ECharts aria description

	Options template.JS // ECharts options as JSON (HTML-escaped, safe inside <script>); empty for number cards
	Table   Table

	Number string // number cards: the formatted figure ("91.9%")
	Note   string // number cards: a short line under the figure
	Unit   string // unit of the values, for formatters and captions
	Format string // "percent" when values are percentages, "date" for a number card showing a date, else "number"

	DatasetName  string // NAME, for the link /data/NAME/
	DatasetTitle string
	Source       string
	Licence      string
	Updated      string // 2026-03-31
	Sample       bool   // the figures are invented (示例数据)
}

// DatasetURL is the page of the chart's dataset.
func (c *Chart) DatasetURL() string { return "/data/" + c.DatasetName + "/" }

// A Table holds the chart's numbers as text, ready for an HTML table.
type Table struct {
	Header  []string
	Rows    [][]string
	Numeric []bool // per column: right-aligned figures
}

// BuildFrom builds s from the dataset it names in sets.
func BuildFrom(s Spec, sets []*dataset.Dataset) (*Chart, error) {
	var names []string
	for _, ds := range sets {
		if ds.Name == s.Dataset {
			return Build(s, ds)
		}
		names = append(names, ds.Name)
	}
	slices.Sort(names)
	return nil, fmt.Errorf("no dataset %q (datasets: %s)", s.Dataset, strings.Join(names, ", "))
}

// Build computes the chart s draws from ds. The result is a pure function
// of its inputs: the same spec and data give the same bytes.
func Build(s Spec, ds *dataset.Dataset) (*Chart, error) {
	if s.Kind == "stacked-bar" {
		s.Kind, s.Stack = "bar", true
	}
	c := &Chart{
		ID:           chartID(s, ds.Name),
		Kind:         s.Kind,
		Title:        s.Title,
		Note:         s.Note,
		DatasetName:  ds.Name,
		DatasetTitle: ds.Title,
		Source:       ds.Source,
		Licence:      ds.Licence,
		Sample:       ds.Sample,
		Format:       "number",
	}
	if !ds.Updated.IsZero() {
		c.Updated = ds.Updated.In(dataset.Zone).Format("2006-01-02")
	}
	if s.Kind == "number" {
		return c, buildNumber(c, s, ds)
	}
	g, err := group(s, ds)
	if err != nil {
		return nil, err
	}
	c.Unit = g.unit
	if g.percent {
		c.Format = "percent"
	}
	c.Table = g.table(s)
	c.Summary = g.summary(s)
	var o map[string]any
	switch s.Kind {
	case "line":
		o = lineOptions(s, g, c.Summary)
	case "bar":
		o = barOptions(s, g, c.Summary)
	case "pie", "donut":
		if len(g.series) > 1 {
			return nil, fmt.Errorf("a %s chart shows one series; this one has %d (%s)", s.Kind, len(g.series), strings.Join(g.series, ", "))
		}
		o = pieOptions(s, g, c.Summary)
	default:
		return nil, fmt.Errorf("kind %q is not one of %s", s.Kind, strings.Join(Kinds, ", "))
	}
	// encoding/json sorts map keys, and escapes <, > and & so that the
	// options can sit inside a <script> element.
	b, err := json.Marshal(o)
	if err != nil {
		return nil, err
	}
	c.Options = template.JS(b)
	return c, nil
}

func chartID(s Spec, name string) string {
	// %q prints the limit with the name of its type: the type declared
	// here keeps the ID a function of the spec's values alone.
	type Limit dataset.ChartLimit
	h := fnv.New32a()
	fmt.Fprintf(h, "%q", []any{s.Kind, s.Title, s.X, s.Y, s.Series, s.Filter, s.Agg, s.Stack, s.Horizontal, s.Sort, s.Unit, s.Value, (*Limit)(s.Limit)})
	return fmt.Sprintf("chart-%s-%08x", name, h.Sum32())
}

func buildNumber(c *Chart, s Spec, ds *dataset.Dataset) error {
	expr := ds.Name + " | " + s.Value
	v, err := dataset.EvalValue([]*dataset.Dataset{ds}, expr)
	if err != nil {
		return fmt.Errorf("value %q: %v", s.Value, err)
	}
	text, err := dataset.Eval([]*dataset.Dataset{ds}, expr)
	if err != nil {
		return fmt.Errorf("value %q: %v", s.Value, err)
	}
	c.Number = text
	c.Unit = s.Unit
	switch v.Kind {
	case "rate":
		c.Format = "percent"
	case "date":
		// A date (when data were last pulled) is not a headline figure.
		c.Format = "date"
	}
	c.Table = Table{Header: []string{"指标", "数值"}, Rows: [][]string{{s.Title, text + c.Unit}}, Numeric: []bool{false, true}}
	c.Summary = fmt.Sprintf("%s：%s%s。", s.Title, text, c.Unit)
	if s.Note != "" {
		c.Summary = fmt.Sprintf("%s：%s%s（%s）。", s.Title, text, c.Unit, s.Note)
	}
	return nil
}

// grid is the data of an axis chart: one value per series and x.
type grid struct {
	xTitle  string
	xs      []string
	series  []string
	vals    [][]float64 // [series][x]
	has     [][]bool
	unit    string
	percent bool
	decimal int
	ordered bool // x is a date or number, so "from … to …" means something
}

// group filters the rows of ds and combines them by x and series.
func group(s Spec, ds *dataset.Dataset) (*grid, error) {
	col := func(name, role string) (*dataset.Column, error) {
		if c := ds.Column(name); c != nil {
			return c, nil
		}
		names := make([]string, len(ds.Columns))
		for i, c := range ds.Columns {
			names[i] = c.Name
		}
		return nil, fmt.Errorf("%s: no column %q in %s (columns: %s)", role, name, ds.Name, dataset.ShortList(names))
	}
	xc, err := col(s.X, "x")
	if err != nil {
		return nil, err
	}
	var ycs []*dataset.Column
	for _, y := range s.Y {
		yc, err := col(y, "y")
		if err != nil {
			return nil, err
		}
		if !yc.Numeric() {
			return nil, fmt.Errorf("y: column %q is %s, not numbers", yc.Name, yc.Type)
		}
		ycs = append(ycs, yc)
	}
	var sc *dataset.Column
	if s.Series != "" {
		if sc, err = col(s.Series, "series"); err != nil {
			return nil, err
		}
	}
	agg := s.Agg
	if agg == "" {
		agg = "sum"
		if len(ycs) == 0 {
			agg = "count"
		}
	}
	if agg != "count" && len(ycs) == 0 {
		return nil, fmt.Errorf("agg %s needs a y column", agg)
	}
	rows, err := ds.Where(s.Filter)
	if err != nil {
		return nil, fmt.Errorf("filter %q: %v", s.Filter, err)
	}
	g := &grid{xTitle: xc.Title(), unit: s.Unit, ordered: (xc.Temporal() || xc.Numeric()) && s.Sort == ""}
	if len(ycs) > 0 && agg != "count" {
		// The table lines its figures up with the column's own decimals;
		// an average of whole numbers gets one.
		g.decimal = ycs[0].Places()
		if agg == "avg" && g.decimal == 0 {
			g.decimal = 1
		}
	}
	if len(ycs) > 0 {
		if g.unit == "" {
			g.unit = ycs[0].Unit
		}
		g.percent = ycs[0].Type == dataset.Percent && agg != "count"
	}

	// x and series keys in display order.
	var xIndex, sIndex map[string]int
	g.xs, xIndex = orderedKeys(xc, rows, xc.Format)
	switch {
	case sc != nil:
		g.series, sIndex = orderedKeys(sc, rows, sc.Text)
	case len(ycs) == 0:
		g.series = []string{"数量"}
	default:
		for _, yc := range ycs {
			g.series = append(g.series, yc.Title())
		}
	}
	n := make([][]int, len(g.series))
	g.vals = make([][]float64, len(g.series))
	g.has = make([][]bool, len(g.series))
	for k := range g.series {
		n[k] = make([]int, len(g.xs))
		g.vals[k] = make([]float64, len(g.xs))
		g.has[k] = make([]bool, len(g.xs))
	}
	put := func(k, j int, v float64) {
		switch {
		case !g.has[k][j]:
			g.vals[k][j] = v
		case agg == "sum" || agg == "avg":
			g.vals[k][j] += v
		case agg == "min":
			g.vals[k][j] = min(g.vals[k][j], v)
		case agg == "max":
			g.vals[k][j] = max(g.vals[k][j], v)
		case agg == "last":
			g.vals[k][j] = v
		}
		g.has[k][j] = true
		n[k][j]++
	}
	for _, i := range rows {
		if xc.Null(i) {
			continue
		}
		j := xIndex[xc.Format(i)]
		if sc != nil {
			if sc.Null(i) {
				continue
			}
			k := sIndex[sc.Text(i)]
			if agg == "count" {
				g.vals[k][j]++
				g.has[k][j] = true
			} else if !ycs[0].Null(i) {
				put(k, j, ycs[0].Float(i))
			}
			continue
		}
		if agg == "count" {
			g.vals[0][j]++
			g.has[0][j] = true
			continue
		}
		for k, yc := range ycs {
			if !yc.Null(i) {
				put(k, j, yc.Float(i))
			}
		}
	}
	if agg == "avg" {
		for k := range g.vals {
			for j := range g.vals[k] {
				if n[k][j] > 0 {
					g.vals[k][j] /= float64(n[k][j])
				}
			}
		}
	}
	if agg == "count" {
		// Counting fills every cell: an absent combination is zero.
		for k := range g.has {
			for j := range g.has[k] {
				g.has[k][j] = true
			}
		}
	}
	if len(g.xs) == 0 {
		return nil, fmt.Errorf("no rows to draw (filter %q)", s.Filter)
	}
	if s.Sort != "" {
		g.sortByValue(s.Sort == "desc")
	}
	// Labels appear in the options, the summary and the table: a huge
	// cell is shown by its start.
	for j, x := range g.xs {
		g.xs[j] = dataset.Truncate(x, dataset.CellChars)
	}
	for k, name := range g.series {
		g.series[k] = dataset.Truncate(name, dataset.CellChars)
	}
	return g, nil
}

// sortKey orders x or series values: dates and numbers by value,
// categories in the order of their levels, text by first appearance.
// orderedKeys lists the distinct labels of column c over rows, in the
// column's display order (sortKey), with each label's position.
func orderedKeys(c *dataset.Column, rows []int, label func(int) string) ([]string, map[string]int) {
	type key struct {
		label string
		order float64
	}
	index := map[string]int{}
	var keys []key
	for _, i := range rows {
		if c.Null(i) {
			continue
		}
		l := label(i)
		if _, ok := index[l]; !ok {
			index[l] = len(keys)
			keys = append(keys, key{l, sortKey(c, i, len(keys))})
		}
	}
	slices.SortStableFunc(keys, func(a, b key) int { return cmp.Compare(a.order, b.order) })
	labels := make([]string, len(keys))
	for k, x := range keys {
		index[x.label] = k
		labels[k] = x.label
	}
	return labels, index
}

func sortKey(c *dataset.Column, i, seen int) float64 {
	switch {
	case c.Temporal():
		return float64(c.Time(i).Unix())
	case c.Numeric():
		return c.Float(i)
	case c.Type == dataset.Category:
		return float64(c.Code(i))
	}
	return float64(seen)
}

// sortByValue orders x by the total over all series.
func (g *grid) sortByValue(desc bool) {
	idx := make([]int, len(g.xs))
	total := make([]float64, len(g.xs))
	for j := range g.xs {
		idx[j] = j
		for k := range g.series {
			total[j] += g.vals[k][j]
		}
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		d := total[a] - total[b]
		if desc {
			d = -d
		}
		switch {
		case d < 0:
			return -1
		case d > 0:
			return 1
		}
		return 0
	})
	xs := make([]string, len(idx))
	for j, from := range idx {
		xs[j] = g.xs[from]
	}
	g.xs = xs
	for k := range g.series {
		vals := make([]float64, len(idx))
		has := make([]bool, len(idx))
		for j, from := range idx {
			vals[j], has[j] = g.vals[k][from], g.has[k][from]
		}
		g.vals[k], g.has[k] = vals, has
	}
}

// axisUnit names the value axis by its unit ("亿元"), if any.
func (g *grid) axisUnit() string {
	if g.percent {
		return ""
	}
	return g.unit
}

// exact formats a value for the table: grouped, with the same decimals
// in every row.
func (g *grid) exact(v float64) string {
	s := dataset.FormatFixed(v, g.decimal, !g.percent)
	if g.percent {
		s += "%"
	}
	return s
}

// short formats a value for prose: 万 and 亿, with the unit.
func (g *grid) short(v float64) string {
	if g.percent {
		return dataset.FormatDecimal(v, 1, false) + "%"
	}
	if math.Abs(v) < 1e4 {
		return dataset.FormatDecimal(v, g.decimal, false) + g.unit
	}
	return dataset.FormatCN(v) + g.unit
}

func (g *grid) table(s Spec) Table {
	t := Table{Header: []string{g.xTitle}, Numeric: []bool{false}}
	unit := ""
	if g.unit != "" {
		unit = "（" + g.unit + "）"
	}
	for _, name := range g.series {
		t.Header = append(t.Header, name+unit)
		t.Numeric = append(t.Numeric, true)
	}
	pie := s.Kind == "pie" || s.Kind == "donut"
	total := 0.0
	if pie {
		t.Header = append(t.Header, "占比")
		t.Numeric = append(t.Numeric, true)
		for j := range g.xs {
			total += g.vals[0][j]
		}
	}
	for j, x := range g.xs {
		row := []string{x}
		for k := range g.series {
			if g.has[k][j] {
				row = append(row, g.exact(g.vals[k][j]))
			} else {
				row = append(row, "—")
			}
		}
		if pie {
			share := ""
			if total != 0 {
				share = dataset.FormatPercent(g.vals[0][j] / total)
			}
			row = append(row, share)
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// summary is one plain sentence about the data for screen readers: the
// range covered and the extremes, or the largest share for pies.
func (g *grid) summary(s Spec) string {
	var b strings.Builder
	b.WriteString(s.Title)
	b.WriteString("：")
	switch s.Kind {
	case "pie", "donut":
		total, top := 0.0, 0
		for j := range g.xs {
			total += g.vals[0][j]
			if g.vals[0][j] > g.vals[0][top] {
				top = j
			}
		}
		fmt.Fprintf(&b, "共%d项，合计%s，其中“%s”最多，为%s", len(g.xs), g.short(total), g.xs[top], g.short(g.vals[0][top]))
		if total != 0 {
			fmt.Fprintf(&b, "，占%s", dataset.FormatPercent(g.vals[0][top]/total))
		}
		b.WriteString("。")
		return b.String()
	}
	switch {
	case len(g.xs) > 1 && g.ordered:
		fmt.Fprintf(&b, "%s从%s到%s共%d项", g.xTitle, g.xs[0], g.xs[len(g.xs)-1], len(g.xs))
	case len(g.xs) > 1:
		fmt.Fprintf(&b, "共%d个%s", len(g.xs), g.xTitle)
	default:
		fmt.Fprintf(&b, "%s为%s", g.xTitle, g.xs[0])
	}
	for k, name := range g.series {
		if k == 3 {
			fmt.Fprintf(&b, "；另有%d个系列见数据表", len(g.series)-3)
			break
		}
		lo, hi := -1, -1
		for j := range g.xs {
			if !g.has[k][j] {
				continue
			}
			if lo < 0 || g.vals[k][j] < g.vals[k][lo] {
				lo = j
			}
			if hi < 0 || g.vals[k][j] > g.vals[k][hi] {
				hi = j
			}
		}
		if hi < 0 {
			continue
		}
		b.WriteString("；")
		if len(g.series) > 1 || s.Series != "" || len(s.Y) > 0 {
			b.WriteString(name)
		}
		if g.vals[k][lo] == g.vals[k][hi] {
			if len(g.xs) > 1 {
				b.WriteString("均")
			}
			fmt.Fprintf(&b, "为%s", g.short(g.vals[k][hi]))
			continue
		}
		fmt.Fprintf(&b, "最高为%s（%s），最低为%s（%s）", g.short(g.vals[k][hi]), g.xs[hi], g.short(g.vals[k][lo]), g.xs[lo])
	}
	if s.Limit != nil {
		fmt.Fprintf(&b, "；%s为%s", s.Limit.Label, g.short(s.Limit.Value))
	}
	b.WriteString("。")
	return b.String()
}

// common are the options every axis chart and pie shares: the palette,
// aria with the summary, and decal patterns where colour alone would
// separate series.
func common(summary string, decal bool) []charts.GlobalOpts {
	aria := &opts.Aria{Enabled: opts.Bool(true), Label: &opts.AriaLabel{Enabled: opts.Bool(true), Description: summary}}
	if decal {
		aria.Decal = &opts.AriaDecal{Show: opts.Bool(true)}
	}
	return []charts.GlobalOpts{
		charts.WithColorsOpts(opts.Colors(slices.Clone(Palette))),
		charts.WithAriaOpts(aria),
		charts.WithAnimation(false),
	}
}

func legend(g *grid) charts.GlobalOpts {
	if len(g.series) < 2 {
		return charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)})
	}
	// A plain legend wraps onto more lines when it must; a scrolling one
	// would hide names behind page buttons.
	return charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Type: "plain", Bottom: "0"})
}

func axisGrid(g *grid) charts.GlobalOpts {
	bottom := "8"
	if len(g.series) > 1 {
		bottom = "36"
	}
	return charts.WithGridOpts(opts.Grid{ContainLabel: opts.Bool(true), Left: "8", Right: "16", Top: "36", Bottom: bottom})
}

// values turns series k into ECharts data, "-" marking a missing value.
func values(g *grid, k int) []any {
	out := make([]any, len(g.xs))
	for j := range g.xs {
		if g.has[k][j] {
			out[j] = g.vals[k][j]
		} else {
			out[j] = "-"
		}
	}
	return out
}

func barOptions(s Spec, g *grid, summary string) map[string]any {
	bar := charts.NewBar()
	// charts.js has every category label printed, turned upright when the
	// labels do not fit side by side; none is hidden.
	cat := opts.XAxis{Type: "category"}
	val := opts.YAxis{Type: "value"}
	gopts := append(common(summary, len(g.series) > 1), legend(g), axisGrid(g),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}))
	if s.Horizontal {
		bar.XYReversal()
		gopts = append(gopts,
			charts.WithXAxisOpts(opts.XAxis{Type: "value"}),
			charts.WithYAxisOpts(opts.YAxis{Type: "category", Inverse: opts.Bool(true)}))
	} else {
		val.Name = g.axisUnit()
		gopts = append(gopts, charts.WithXAxisOpts(cat), charts.WithYAxisOpts(val))
	}
	bar.SetGlobalOptions(gopts...)
	bar.SetXAxis(g.xs)
	stack := ""
	if s.Stack {
		stack = "total"
	}
	for k, name := range g.series {
		data := make([]opts.BarData, len(g.xs))
		for j, v := range values(g, k) {
			data[j] = opts.BarData{Value: v}
		}
		bar.AddSeries(name, data, append(limitLine(s, k), charts.WithBarChartOpts(opts.BarChart{Stack: stack}))...)
	}
	bar.Validate()
	return bar.JSON()
}

func lineOptions(s Spec, g *grid, summary string) map[string]any {
	line := charts.NewLine()
	line.SetGlobalOptions(append(common(summary, false), legend(g), axisGrid(g),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithXAxisOpts(opts.XAxis{Type: "category"}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Name: g.axisUnit()}),
	)...)
	line.SetXAxis(g.xs)
	stack := ""
	if s.Stack {
		stack = "total"
	}
	// Distinct symbols tell the lines apart without colour.
	symbols := []string{"circle", "rect", "triangle", "diamond", "roundRect", "pin", "arrow"}
	for k, name := range g.series {
		data := make([]opts.LineData, len(g.xs))
		for j, v := range values(g, k) {
			data[j] = opts.LineData{Value: v}
		}
		line.AddSeries(name, data, append(limitLine(s, k), charts.WithLineChartOpts(opts.LineChart{Stack: stack, Symbol: symbols[k%len(symbols)], SymbolSize: 7, ShowSymbol: opts.Bool(true)}))...)
	}
	line.Validate()
	return line.JSON()
}

// limitLine draws s.Limit on the first series as a dashed, labelled line.
func limitLine(s Spec, k int) []charts.SeriesOpts {
	if s.Limit == nil || k > 0 {
		return nil
	}
	item := opts.MarkLineNameYAxisItem{Name: s.Limit.Label, YAxis: s.Limit.Value}
	if s.Horizontal {
		return []charts.SeriesOpts{
			charts.WithMarkLineNameXAxisItemOpts(opts.MarkLineNameXAxisItem{Name: s.Limit.Label, XAxis: s.Limit.Value}),
			limitStyle(),
		}
	}
	return []charts.SeriesOpts{charts.WithMarkLineNameYAxisItemOpts(item), limitStyle()}
}

func limitStyle() charts.SeriesOpts {
	return charts.WithMarkLineStyleOpts(opts.MarkLineStyle{
		Symbol:    []string{"none", "none"},
		Label:     &opts.Label{Show: opts.Bool(true), Formatter: "{b} {c}", Position: "insideEndTop"},
		LineStyle: &opts.LineStyle{Type: "dashed", Color: "#a8321c", Width: 1.5},
	})
}

func pieOptions(s Spec, g *grid, summary string) map[string]any {
	pie := charts.NewPie()
	pie.SetGlobalOptions(append(common(summary, true),
		// The slices are labelled; a legend would only repeat the labels.
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
	)...)
	data := make([]opts.PieData, len(g.xs))
	for j, x := range g.xs {
		data[j] = opts.PieData{Name: x, Value: g.vals[0][j]}
	}
	radius := any("62%")
	if s.Kind == "donut" {
		radius = []string{"38%", "62%"}
	}
	pie.AddSeries(g.series[0], data,
		charts.WithPieChartOpts(opts.PieChart{Radius: radius, Center: []string{"50%", "50%"}}),
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Formatter: "{b}\n{d}%"}))
	pie.Validate()
	return pie.JSON()
}
