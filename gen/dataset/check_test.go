package dataset

import (
	"strings"
	"testing"
	"time"
)

func TestCheckVerify(t *testing.T) {
	sets := evalSets(t)
	tests := []struct {
		expr string
		want string // "" when the check holds; else a part of the error
	}{
		{"requests | count = 4", ""},
		{"requests | count = 5", "expected 5, found 4"},
		{"requests | count != 4", "expected anything but 4, found 4"},
		{"requests | count where status = 已解决 = 3", ""},
		{"requests | count where status = 已解决 and category = 水电气暖 = 1", ""},
		{"requests | where status = 处理中 | count >= 2", "expected at least 2, found 1"},
		{"requests | rate status = 已解决 = 75%", ""},
		{"requests | rate status = 已解决 = 75.0%", ""},
		{"requests | rate status = 已解决 = 74.9%", "expected 74.9%, found 75%"},
		{"requests | rate status = 已解决 = 75", "write the figure expected as a percentage"},
		{"requests | rate status = 已解决 > 70%", ""},
		{"requests | rate resolved is not blank = 75%", ""},
		{"requests | rate resolved = 75%", "was read as the rate's condition"},
		{"requests | avg share = 25%", ""},
		{"requests | avg share = 25", ""},
		{"requests | avg share < 20%", "expected less than 20%, found 25%"},
		{"requests | count = 4%", "not a rate"},
		{"requests | avg days received to resolved = 5.3", ""},
		{"requests | avg days received to resolved = 5.4", "expected 5.4, found 5.33"},
		{"requests | avg days received to resolved = 5", ""},
		{"requests | avg days received to resolved <= 5", "expected at most 5, found 5.33"},
		{"points | sum redeemed = 5,123,456", ""},
		{"points | sum redeemed = 512万", ""},
		{"points | sum redeemed = 513万", "expected 513万, found 5,123,456"},
		{"points | sum redeemed = 0.05亿", ""},
		{"points | sum redeemed > 500万", ""},
		{"points | sum redeemed > 5200000", "expected more than 5200000, found 5,123,456"},
		{"points | drop redeemed to redeemed = 0%", ""},
		{"points | last month = 2026-02", ""},
		{"points | last month = 2026年2月", ""},
		{"points | max month < 2026-02", "expected less than 2026-02, found 2026-02"},
		{"requests | max received = 2026/3/10", ""},
		{"requests | min received > 2026-03-01", "expected more than 2026-03-01, found 2026-03-01"},
		{"requests | max received = March", "is not a date"},
		{"requests | last category = 房屋裂缝", ""},
		{`requests | first category = "安全隐患"`, `expected 安全隐患, found "水电气暖"`},
		{"requests | first category > 安全隐患", "compare it with = or !="},
		{"requests | count = many", `"many", is not a number`},
		{"requests | distinct category = 3", ""},
		{"requests | count", "no comparison"},
		{"requests | count as int = 4", `leave out "as int"`},
		{"requests | count = 4 5", `unexpected "5"`},
		{"requests | count where", "expected a column"},
		{"requests | count =", "expected the figure expected"},
		{"requests | count and 4", `found "and"`},
		{"nothing | count = 1", `no dataset "nothing"`},
		{"requests | sum missing = 1", `no column "missing"`},
	}
	for _, tt := range tests {
		err := Check{Expr: tt.expr}.Verify(sets)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("Verify(%q) = %v, want it to hold", tt.expr, err)
		case tt.want != "" && err == nil:
			t.Errorf("Verify(%q) holds, want an error with %q", tt.expr, tt.want)
		case tt.want != "" && !strings.Contains(err.Error(), tt.want):
			t.Errorf("Verify(%q) = %v, want an error with %q", tt.expr, err, tt.want)
		}
	}
}

func TestWrittenUnit(t *testing.T) {
	tests := []struct {
		in   string
		want float64
	}{
		{"62", 1}, {"91.9%", 0.1}, {"512万", 1e4}, {"1.25万", 100}, {"3.4亿", 1e7}, {"5,123,456", 1}, {"0.919", 0.001},
	}
	for _, tt := range tests {
		if got := writtenUnit(tt.in); got < tt.want*0.999999 || got > tt.want*1.000001 {
			t.Errorf("writtenUnit(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

// TestRunChecksLines: every failing check is reported at its own line of
// the schema or of site.yaml; those that hold say nothing.
func TestRunChecksLines(t *testing.T) {
	sets := evalSets(t)
	schema := `title: t
source: s
licence: l
updated: 2026-03-31
topic: governance
columns:
  - {name: k, type: category}
  - {name: n, type: int}
checks:
  - tally | count = 3
  - tally | sum n = 7
  - requests | count where status = 已解决 = 2
  - tally | distinct k = 2
`
	d, errs := ParseSchema("data/tally.yaml", "tally", []byte(schema))
	if len(errs) > 0 {
		t.Fatal(errs.Err())
	}
	if errs := d.ParseCSV([]byte("k,n\na,1\nb,2\na,3\n")); len(errs) > 0 {
		t.Fatal(errs.Err())
	}
	sets = append(sets, d)
	extra := []Check{
		{File: "content/site.yaml", Line: 4, Expr: "points | sum redeemed > 500万"},
		{File: "content/site.yaml", Line: 5, Expr: "tally | max n = 2"},
	}
	got := errText(RunChecks(sets, extra))
	want := strings.Join([]string{
		`content/site.yaml:5: check "tally | max n = 2": expected 2, found 3`,
		`data/tally.yaml:11: check "tally | sum n = 7": expected 7, found 6`,
		`data/tally.yaml:12: check "requests | count where status = 已解决 = 2": expected 2, found 3`,
	}, "\n")
	if got != want {
		t.Errorf("RunChecks:\n%s\nwant:\n%s", got, want)
	}
}

// TestSchemaChecks: a malformed check is refused when the schema is read,
// at its line, before any data is loaded.
func TestSchemaChecks(t *testing.T) {
	head := "title: t\nsource: s\nlicence: l\nupdated: 2026-03-31\ntopic: governance\ncolumns:\n  - {name: n, type: int}\n"
	tests := []struct{ checks, want string }{
		{"checks:\n  - x | count\n", `data/x.yaml:9: check "x | count": no comparison`},
		{"checks:\n  - x | count = 1\n  - {a: b}\n", `data/x.yaml:10: check: expected an expression such as "x | count = 62", found a mapping`},
		{"checks:\n  - 62\n", `data/x.yaml:9: check: expected an expression such as "x | count = 62", found "62"`},
		{"checks: x | count = 1\n", "data/x.yaml:8:"},
	}
	for _, tt := range tests {
		_, errs := ParseSchema("data/x.yaml", "x", []byte(head+tt.checks))
		if got := errText(errs); !strings.Contains(got, tt.want) {
			t.Errorf("checks %q: errors\n%s\nwant %q", tt.checks, got, tt.want)
		}
	}
	d, errs := ParseSchema("data/x.yaml", "x", []byte(head+"checks:\n  - x | count = 1\n  - 'x | sum n >= 0'\n"))
	if len(errs) > 0 {
		t.Fatal(errs.Err())
	}
	want := []Check{{"data/x.yaml", 9, "x | count = 1"}, {"data/x.yaml", 10, "x | sum n >= 0"}}
	if len(d.Checks) != 2 || d.Checks[0] != want[0] || d.Checks[1] != want[1] {
		t.Errorf("Checks = %+v, want %+v", d.Checks, want)
	}
}

// TestSchemaNotes: notes: in a schema are editors' notes at their lines,
// apart from the description a page shows.
func TestSchemaNotes(t *testing.T) {
	head := "title: t\ndescription: 公开的说明\nsource: s\nlicence: l\nupdated: 2026-03-31\ntopic: governance\ncolumns:\n  - {name: n, type: int}\n"
	d, errs := ParseSchema("data/x.yaml", "x", []byte(head+"notes:\n  - 原始文件编码 UTF-8 BOM\n  - 户数待核实\n"))
	if len(errs) > 0 {
		t.Fatal(errs.Err())
	}
	want := "data/x.yaml:10: note for editors: 原始文件编码 UTF-8 BOM\ndata/x.yaml:11: note for editors: 户数待核实"
	if got := d.Notes.Error(); got != want || d.Description != "公开的说明" {
		t.Errorf("notes:\n%s\nwant:\n%s (description %q)", got, want, d.Description)
	}
	_, errs = ParseSchema("data/x.yaml", "x", []byte(head+"notes: {a: b}\n"))
	if got, want := errText(errs), "data/x.yaml:9: notes: expected a text or a list of texts"; got != want {
		t.Errorf("errors = %q, want %q", got, want)
	}
}

func TestNextUpdate(t *testing.T) {
	updated := time.Date(2026, 3, 31, 0, 0, 0, 0, Zone)
	tests := []struct {
		freq string
		want string // "" for the zero Time
	}{
		{Monthly, "2026-04-01"},
		{Quarterly, "2026-06-01"},
		{Yearly, "2027-03-01"},
		{Irregular, ""},
		{"", ""},
	}
	for _, tt := range tests {
		d := &Dataset{Frequency: tt.freq, Updated: updated}
		got := d.NextUpdate()
		if (tt.want == "" && !got.IsZero()) || (tt.want != "" && got.Format(time.DateOnly) != tt.want) {
			t.Errorf("NextUpdate(%q, updated 2026-03-31) = %v, want %q", tt.freq, got, tt.want)
		}
	}
	d := &Dataset{Frequency: Monthly, Updated: time.Date(2026, 12, 15, 0, 0, 0, 0, Zone)}
	if got := d.NextUpdate().Format(time.DateOnly); got != "2027-01-01" {
		t.Errorf("NextUpdate(monthly, updated 2026-12-15) = %s, want 2027-01-01", got)
	}
	// Counted from the later of updated and the rows' last change.
	for _, tt := range []struct {
		last time.Time
		want string
	}{
		{time.Time{}, "2027-01-01"},
		{time.Date(2026, 11, 30, 0, 0, 0, 0, Zone), "2027-01-01"},
		{time.Date(2027, 2, 28, 23, 0, 0, 0, time.UTC), "2027-04-01"}, // 1 March in China
	} {
		if got := d.NextUpdateAfter(tt.last).Format(time.DateOnly); got != tt.want {
			t.Errorf("NextUpdateAfter(%v), monthly, updated 2026-12-15 = %s, want %s", tt.last, got, tt.want)
		}
	}
	if got := (&Dataset{Frequency: Irregular, Updated: d.Updated}).NextUpdateAfter(time.Now()); !got.IsZero() {
		t.Errorf("NextUpdateAfter, irregular = %v, want none", got)
	}
	head := "title: t\nsource: s\nlicence: l\nupdated: 2026-03-31\ntopic: governance\ncolumns:\n  - {name: n, type: int}\n"
	_, errs := ParseSchema("data/x.yaml", "x", []byte(head+"frequency: weekly\n"))
	if got, want := errText(errs), `data/x.yaml:8: frequency "weekly" is not one of monthly, quarterly, yearly, irregular`; got != want {
		t.Errorf("errors = %q, want %q", got, want)
	}
	d, errs = ParseSchema("data/x.yaml", "x", []byte(head+"frequency: quarterly\n"))
	if len(errs) > 0 || d.Frequency != Quarterly {
		t.Errorf("frequency: quarterly: %q, %v", d.Frequency, errs)
	}
}
