package dataset

import (
	"bytes"
	"strings"
	"testing"
)

const datesSchema = `title: 日期
source: 开发区
licence: CC BY 4.0
updated: 2026-03-31
topic: governance
columns:
  - {name: d, type: date}
  - {name: m, type: month}
  - {name: t, type: datetime}
`

// TestDateRange holds every date a CSV can write in years 0001–9999 exact,
// at both ends and well beyond the 1678–2262 of int64 nanoseconds, and
// refuses what lies outside with the file, the line and the reason.
func TestDateRange(t *testing.T) {
	tests := []struct {
		d, m, tm string
		want     string // d|m|t as Format gives them; "" when refused
		wantErr  string
	}{
		{"2300-01-01", "2300-01", "2300-01-01T12:00:00", "2300-01-01|2300-01|2300-01-01 12:00:00", ""},
		{"1600-06-15", "1600-06", "1600-06-15 08:30:00", "1600-06-15|1600-06|1600-06-15 08:30:00", ""},
		{"1677-09-21", "1677-09", "1677-09-21T00:12:43Z", "1677-09-21|1677-09|1677-09-21 08:12:43", ""},
		{"2262-04-12", "2262-04", "2262-04-11T23:47:17Z", "2262-04-12|2262-04|2262-04-12 07:47:17", ""},
		{"0001-01-01", "0001-01", "0001-01-01T00:00:00", "0001-01-01|0001-01|0001-01-01 00:00:00", ""},
		{"9999-12-31", "9999-12", "9999-12-31T23:59:59", "9999-12-31|9999-12|9999-12-31 23:59:59", ""},
		{"9999年12月31日", "9999年12月", "9999-12-31T15:59:59Z", "9999-12-31|9999-12|9999-12-31 23:59:59", ""},
		{"2026-03-05", "2026-03", "2026-03-05T08:12:33.5+08:00", "2026-03-05|2026-03|2026-03-05 08:12:33", ""},
		{"0000-12-31", "2026-03", "2026-03-05", "", `data/dates.csv:2: column "d": "0000-12-31" is outside the years 0001 to 9999`},
		{"2026-03-05", "0000-01", "2026-03-05", "", `data/dates.csv:2: column "m": "0000-01" is outside the years 0001 to 9999`},
		// In UTC still 9999, in China Standard Time already 10000.
		{"2026-03-05", "2026-03", "9999-12-31T16:00:00Z", "", `data/dates.csv:2: column "t": "9999-12-31T16:00:00Z" is outside the years 0001 to 9999`},
		{"2026-03-05", "2026-03", "0001-01-01T00:00:00+09:00", "", `data/dates.csv:2: column "t": "0001-01-01T00:00:00+09:00" is outside the years 0001 to 9999`},
		{"10000-01-01", "2026-03", "2026-03-05", "", `data/dates.csv:2: column "d": "10000-01-01" is not a date`},
	}
	for _, tt := range tests {
		d, errs := ParseSchema("data/dates.yaml", "dates", []byte(datesSchema))
		if err := errs.Err(); err != nil {
			t.Fatal(err)
		}
		csv := "d,m,t\n" + tt.d + "," + tt.m + "," + tt.tm + "\n"
		errs = d.ParseCSV([]byte(csv))
		if tt.wantErr != "" {
			if got := errText(errs); !strings.HasPrefix(got, tt.wantErr) {
				t.Errorf("ParseCSV(%q) errors = %q, want %q…", csv, got, tt.wantErr)
			}
			continue
		}
		if err := errs.Err(); err != nil {
			t.Errorf("ParseCSV(%q): %v", csv, err)
			continue
		}
		if got := strings.TrimSuffix(rows(d), "\n"); got != tt.want {
			t.Errorf("ParseCSV(%q) rows = %q, want %q", csv, got, tt.want)
		}
	}
}

// TestDateRangeExport checks the downloads and the figures built on dates
// away from the present: the exact value comes out, with its fraction of
// a second, and day counts span centuries.
func TestDateRangeExport(t *testing.T) {
	d, errs := ParseSchema("data/dates.yaml", "dates", []byte(datesSchema))
	if err := errs.Err(); err != nil {
		t.Fatal(err)
	}
	csv := "d,m,t\n1600-06-15,1600-06,2300-01-01T00:00:00.25+08:00\n2026-03-05,2026-03,\n"
	if err := d.ParseCSV([]byte(csv)).Err(); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := d.WriteCSV(&b); err != nil {
		t.Fatal(err)
	}
	want := "\uFEFFd,m,t\r\n1600-06-15,1600-06,2300-01-01T00:00:00.25+08:00\r\n2026-03-05,2026-03,\r\n"
	if b.String() != want {
		t.Errorf("WriteCSV = %q, want %q", b.String(), want)
	}
	for expr, want := range map[string]string{
		"dates | min d":                      "1600年6月15日",
		"dates | max t":                      "2300年1月1日",
		"dates | min m":                      "1600年6月",
		"dates | max days d to t as exact":   "255,504",
		"dates | count where d < 1700-01-01": "1",
	} {
		got, err := Eval([]*Dataset{d}, expr)
		if err != nil || got != want {
			t.Errorf("Eval(%q) = %q, %v; want %q", expr, got, err, want)
		}
	}
}
