package dataset

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func evalSets(t *testing.T) []*Dataset {
	t.Helper()
	req := mustSchema(t, `title: t
source: s
licence: l
updated: 2026-03-31
topic: governance
columns:
  - {name: id, type: int}
  - {name: category, type: category, label: 类别}
  - {name: status, type: category, levels: [已解决, 处理中]}
  - {name: received, type: date}
  - {name: resolved, type: date}
  - {name: share, type: percent}
`)
	if errs := req.ParseCSV([]byte(`id,category,status,received,resolved,share
1,水电气暖,已解决,2026-03-01,2026-03-03,10%
2,安全隐患,已解决,2026-03-02,2026-03-06,20%
3,水电气暖,处理中,2026-03-05,,30%
4,房屋裂缝,已解决,2026-03-10,2026-03-20,40%
`)); len(errs) > 0 {
		t.Fatal(errs.Err())
	}
	pts, errs := ParseSchema("data/points.yaml", "points", []byte(`title: t
source: s
licence: l
updated: 2026-03-31
topic: garbage-sorting
columns:
  - {name: month, type: month}
  - {name: redeemed, type: int}
  - {name: year, type: year}
`))
	if len(errs) > 0 {
		t.Fatal(errs.Err())
	}
	if errs := pts.ParseCSV([]byte("month,redeemed,year\n2026-01,\"2,000,000\",2026\n2026-02,3123456,2026\n")); len(errs) > 0 {
		t.Fatal(errs.Err())
	}
	return []*Dataset{req, pts}
}

func TestEval(t *testing.T) {
	sets := evalSets(t)
	tests := []struct{ expr, want string }{
		{"requests | count", "4"},
		{"requests | count where status = 已解决", "3"},
		{"requests | where status = 已解决 | count", "3"},
		{"requests | count where category = 水电气暖 and status = 已解决", "1"},
		{`requests | count where 类别 = "水电气暖"`, "2"},
		{"requests | count where resolved is blank", "1"},
		{"requests | count where received >= 2026/3/5", "2"},
		{"requests | rate resolved", "75%"},
		{"requests | rate status = 已解决 where category = 水电气暖", "50%"},
		{"requests | rate resolved as int", "75%"},
		{"requests | median days received to resolved", "4"},
		{"requests | avg days received to resolved", "5.3"},
		{"requests | max days received to resolved", "10"},
		{"requests | sum id", "10"},
		{"requests | avg share", "25%"},
		{"requests | distinct category", "3"},
		{"requests | max received", "2026年3月10日"},
		{"requests | last category", "房屋裂缝"},
		{"points | sum redeemed", "512万"},
		{"points | sum redeemed as exact", "5,123,456"},
		{"points | last redeemed as int", "3123456"},
		{"points | last month", "2026年2月"},
		{"points | max year", "2026"},
		{"requests | count as percent", "400%"},
		{"requests | change id to share", "900%"},
		{"points | drop redeemed to year", "99.9%"},
	}
	for _, tt := range tests {
		got, err := Eval(sets, tt.expr)
		if err != nil || got != tt.want {
			t.Errorf("Eval(%q) = %q, %v; want %q", tt.expr, got, err, tt.want)
		}
	}
}

func TestEvalErrors(t *testing.T) {
	sets := evalSets(t)
	tests := []struct{ expr, want string }{
		{"", "empty expression"},
		{"request | count", `no dataset "request" (datasets: points, requests)`},
		{"requests", "no aggregate"},
		{"requests | cnt", `unknown stage "cnt"`},
		{"requests | sum", `expected a column after "sum", found the end`},
		{"requests | sum nope", `no column "nope" in requests (columns: id, category, status, received, resolved, share)`},
		{"requests | sum status", `sum needs a numeric column; "status" is category`},
		{"requests | count where status = 已解快", `status = "已解快": no row has "已解快" (values: 已解决, 处理中)`},
		{"requests | count where status > 已解决", `compare text with = or !=`},
		{"requests | count where received = 2026-13-01", `"2026-13-01" is not a date`},
		{"requests | count where id = x", `"x" is not a number`},
		{"requests | count where id =", `expected a value after "id =", found the end`},
		{"requests | count as wan", `unknown format "wan"`},
		{"requests | count extra", `unexpected "extra" after the aggregate`},
		{"requests | median days id to resolved", `days needs date columns; "id" is int`},
		{"requests | avg id where id > 100", `avg over no values`},
		{`requests | count where status = "已解决`, "unterminated quote"},
		{"requests | last category as cn", `format "cn" does not apply to text`},
		{"requests | count | count", `unexpected "|" after the aggregate`},
		{"requests | drop id to category", `drop needs numeric columns; "category" is category`},
		{"requests | change id resolved", `expected "to" after change id, found "resolved"`},
	}
	for _, tt := range tests {
		got, err := Eval(sets, tt.expr)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Eval(%q) = %q, %v; want error containing %q", tt.expr, got, err, tt.want)
		}
	}
}

// TestEvalWithheld: rows that match but whose values are all blank are
// withheld figures (ErrWithheld), unlike a filter that matches no row.
func TestEvalWithheld(t *testing.T) {
	sets := evalSets(t)
	for _, expr := range []string{
		"requests | last resolved where status = 处理中",
		"requests | max resolved where status = 处理中",
	} {
		if _, err := Eval(sets, expr); !errors.Is(err, ErrWithheld) {
			t.Errorf("Eval(%q) = %v, want ErrWithheld", expr, err)
		}
	}
	// No row matches: the sum of nothing, not a withheld figure.
	if got, err := Eval(sets, "requests | sum id where id > 100"); err != nil || got != "0" {
		t.Errorf("sum over no row = %q, %v; want 0", got, err)
	}
}

func TestMedian(t *testing.T) {
	for _, tt := range []struct {
		xs   []float64
		want float64
	}{
		{nil, 0},
		{[]float64{7}, 7},
		{[]float64{9, 1, 5}, 5},
		{[]float64{4, 1, 3, 2}, 2.5},
		{[]float64{-1, -1, 10}, -1},
	} {
		in := slices.Clone(tt.xs)
		if got := Median(tt.xs); got != tt.want || !slices.Equal(tt.xs, in) {
			t.Errorf("Median(%v) = %v (input now %v), want %v, input unchanged", in, got, tt.xs, tt.want)
		}
	}
}
