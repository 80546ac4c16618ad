// Package dataset loads the portal's datasets — data/NAME.csv described by
// data/NAME.yaml — into typed columns, and evaluates the small expression
// language that lets prose quote figures computed from them, so that a
// number in a story can never drift from the data a resident can download.
//
// # Schema
//
// data/NAME.yaml gives title, description, source, licence, updated (a
// date), topic (one of the topics in content/site.yaml; the site checks
// it, this package only records it), sample (true when the figures are invented;
// pages then say 示例数据), optionally frequency (monthly, quarterly, yearly
// or irregular: the dataset page says how often it is updated and, from
// updated, in which month the next update is due), encoding (utf-8, gb18030, gbk, …;
// detected when absent) and delimiter (",", ";" or "tab"; detected when
// absent), columns (name, type, unit, label, and for categories optionally
// levels, the allowed values in display order; for floats and percentages
// optionally decimals) and charts (chart specs, decoded by package chart).
//
// # CSV
//
// ParseCSV accepts files as offices export them: UTF-8 with or without BOM,
// GB18030/GBK, UTF-16 with BOM, CRLF, comma, tab or semicolon separated, with
// title rows above the header (found by the schema's column names or labels,
// in any order), blank rows anywhere, trailing blank columns, thousands
// separators ("1,234"), percentages ("91.9%"), 万/亿 ("512万"), and dates as
// 2026-03-05, 2026/3/5, 2026.3.5 or 2026年3月5日. Blank cells are missing
// values. Every problem is reported, each with file, line, column, value and
// what was expected:
//
//	data/requests.csv:17: column "resolved": "2026-13-01" is not a date
//
// Values are stored by column (float64 for numbers, time.Time for dates,
// codes for categories), which keeps a million-row file cheap to load.
// A program that derives a table (the kiosk aggregates) makes it with New
// from a Schema and rows of cells, checked and converted as a file is.
// Files whose layout is fixed in Go (the kiosk logs) can instead be read
// into structs with gocsv: NewCSVReader hands gocsv the same cleaned-up
// records, and Number and Day accept the same messy values as the columns.
//
// # Downloads
//
// WriteCSV and WriteJSON give the clean files a dataset page offers,
// Downloads the same with size and SHA-256, Page a slice of rows for a
// preview table, and Catalog the machine-readable list (data.json, shaped
// after W3C DCAT).
//
// # Figures in prose
//
// Eval computes one figure from the datasets and formats it for Chinese
// prose. An expression is a dataset name followed by stages separated by
// "|": any number of filters, then one aggregate, then optionally a format.
//
//	expr      = NAME { "|" "where" cond { "and" cond } } "|" aggregate [ "where" cond { "and" cond } ] [ "as" format ]
//	aggregate = "count"
//	          | ("sum" | "avg" | "median" | "min" | "max" | "first" | "last") COLUMN
//	          | "distinct" COLUMN
//	          | "rate" cond                       share of rows meeting cond, as a percentage
//	          | ("avg" | "median" | "min" | "max") "days" COLUMN "to" COLUMN
//	          | ("change" | "drop") COLUMN "to" COLUMN  relative change of the totals, as a percentage
//	cond      = COLUMN op VALUE | COLUMN "is" ["not"] "blank"
//	op        = "=" | "!=" | "<" | "<=" | ">" | ">="
//	format    = "cn" | "exact" | "percent" | "int" | "1dp" | "2dp"
//
// COLUMN is a column name or label; VALUE is a word or a "quoted string",
// compared as a number, date or text by the column's type. "rate resolved"
// (a condition that is only a column) is short for "rate resolved is not
// blank". "days A to B" is the number of days from column A to column B in
// each row where both are present. "change A to B" is (ΣB−ΣA)/ΣA, and
// "drop A to B" its negative, so that a fall reads as a positive figure
// after 下降 or 减少. Rows where an aggregated column is blank
// are skipped. Examples:
//
//	requests | count                                   62
//	requests | count where status = 已解决              57
//	requests | rate resolved                           91.9%
//	requests | median days received to resolved        4
//	points | sum redeemed                              512万
//	points | sum redeemed as exact                     5,123,456
//	other-waste | drop before to after                 23.4%
//	pilots | distinct village
//
// The default format is "cn": below 10,000 as is (at most one decimal),
// above in 万 or 亿 with three significant digits (see FormatCN); a rate is
// a percentage with one decimal. "exact" groups thousands without rounding
// to 万; "percent" treats the figure as a fraction; "int", "1dp", "2dp" fix
// the decimals. Errors say what is wrong and where in the expression.
//
// # Checks
//
// A schema's checks: (and content/site.yaml's) state facts the data must
// keep, each an expression followed by a comparison and the figure
// expected:
//
//	checks:
//	  - requests | count = 62
//	  - requests | count where status = 已解决 = 57
//	  - requests | rate status = 已解决 = 91.9%
//	  - points | last holders > 5000
//	  - other-waste | drop before to after > 20%
//
// RunChecks verifies them once every dataset is loaded (a check may name
// any dataset) and reports each that fails at its own line, with the figure
// expected and the figure found:
//
//	data/requests.yaml:31: check "requests | count = 62": expected 62, found 61
//
// "=" and "!=" judge a figure at the precision it is written with ("= 91.9%"
// holds from 91.85% to 91.95%, "= 512万" within 5,000 of 5,120,000); the
// other comparisons are exact. A rate is compared with a percentage, a date
// with a date (a month column by month), text with = or != only. After
// "rate COLUMN" the comparison would be read as the rate's condition: write
// "rate COLUMN is not blank = 91.9%".
package dataset
