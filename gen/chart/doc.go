// Package chart turns a chart spec (YAML: dataset, kind, title, x, y,
// series, filter, …) and a dataset into what a page needs to show it: ECharts
// options built with go-echarts, a one-sentence summary for screen readers,
// the same numbers as a table, and the dataset's source and date. Kinds are
// line (time series), bar (optionally stacked or horizontal), pie, donut,
// and number, a big-figure card computed with dataset.Eval that needs no
// ECharts at all.
//
// Options are deterministic (same spec and data, same bytes), have ECharts
// aria on with the summary as description, use the colour-blind-safe
// Palette (plus decal patterns or distinct symbols where series must be told
// apart), and leave number formatting to the theme's charts.js, which
// formats axis labels and tooltips the Chinese way (万, 亿, %) using the
// chart's Unit and Format.
package chart
