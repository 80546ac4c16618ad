// Package chart turns a chart spec (YAML: dataset, kind, title, x, y,
// series, filter, …) and a dataset into what a page needs to show it: ECharts
// options built with go-echarts, a one-sentence summary for screen readers,
// the same numbers as a table, and the dataset's source and date. Kinds are
// line (time series), bar (optionally stacked or horizontal), pie, donut,
// and number, a big-figure card computed with dataset.Eval that needs no
// ECharts at all.
//
// A spec in YAML, as in a dataset's charts list or a story's ```chart block:
//
//	dataset: river            # implied in the dataset's own list
//	kind: line                # line, bar, stacked-bar, pie, donut, number
//	title: 各断面化学需氧量
//	x: month                  # the axis (or the slices of a pie)
//	y: cod                    # one column or a list; none counts rows
//	series: station           # one series per value of this column
//	filter: station != 上游断面 # as after "where" in dataset.Eval
//	agg: avg                  # sum (default), count, avg, min, max, last
//	stack: true               # bars or lines stacked
//	horizontal: true          # bars left to right, for long labels on phones
//	sort: desc                # order x by value
//	unit: mg/L                # default: the y column's unit
//	limit: {value: 20, label: III类上限}  # a dashed reference line
//	value: rate resolved      # number cards: an expression after "DATASET |"
//	note: 已解决诉求占比       # number cards: a line under the figure
//
// Options are deterministic (same spec and data, same bytes), have ECharts
// aria on with the summary as description, use the colour-blind-safe
// Palette (plus decal patterns or distinct symbols where series must be told
// apart), and leave number formatting to the theme's charts.js, which
// formats axis labels and tooltips the Chinese way (万, 亿, %) using the
// chart's Unit and Format.
package chart
