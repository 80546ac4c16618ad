// Package kioskdata turns the smart sorting kiosks' deposit log
// (data/kiosk/, written by kioskpull) into ordinary datasets at build time,
// so that every kiosk figure on the site has a dataset page, charts and
// downloads like any data/NAME.csv. Datasets makes each table in memory
// with dataset.New, its charts as chart specs, so nothing here bypasses the
// checks, charts and exports a file in data/ goes through.
//
// Only aggregates leave this package: no card pseudonym, no record and no
// per-household figure. Household counts are published exactly as
// kiosklog.Aggregate decides: only for months closed in the publication
// ledger (data/kiosk/published-MONTH.yaml, written by kioskpull), as they
// were frozen there (counts under 10 hidden, with secondary suppression),
// so that no two builds publish different counts for a month; an open
// month shows 统计中 and no figure at all. Because a deposit count is an upper bound on the households
// behind it, and weights and points of a handful of households describe
// those households, a compound-month whose household count is hidden has
// none of its figures published, and totals are never computed from hidden
// cells; see Datasets for the whole rule.
//
// # Datasets and columns
//
//	kiosk-weights     month, compound, kiosk, category (塑料 纸张 金属 玻璃 电池),
//	                  weight (千克, 1 decimal), points (分), deposits (次), note
//	kiosk-points      month, compound, kiosk, points, deposits, note
//	kiosk-households  month, scope (小区 or 合计), compound (全部试点小区 on
//	                  合计 rows), kiosk, households (户; blank when hidden), note
//	kiosk-freshness   kiosk, compound, sample_name, last_pull (数据拉取于), source,
//	                  last_record, records, lost, complete, note
//
// # Figures in prose
//
// The datasets answer dataset.Eval like any other (Headlines lists figures
// for the home page):
//
//	kiosk-weights | sum weight                            9475.8 (千克, closed months)
//	kiosk-weights | sum weight where category = 塑料
//	kiosk-points | sum points                             10.5万 (分)
//	kiosk-points | sum points where compound = 玫瑰苑
//	kiosk-households | max households where scope = 合计  1059 (户)
//	kiosk-freshness | max last_pull                       2026年11月27日
//	kiosk-freshness | sum lost                            150 (条)
//
// Household counts must not be summed: a household is counted once per
// month however often it deposits, and a sum would add hidden cells back
// in or count a household twice. Sums and maxima cover closed months
// only; while no month is closed every kiosk figure is blank, Eval reports
// dataset.ErrWithheld and the home page shows 统计中 for such a figure.
package kioskdata
