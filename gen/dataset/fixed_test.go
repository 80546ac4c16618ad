package dataset

import (
	"strings"
	"testing"
)

func TestFormatFixed(t *testing.T) {
	tests := []struct {
		v        float64
		decimals int
		group    bool
		want     string
	}{
		{1250.5, 2, true, "1,250.50"},
		{1250.6, 0, true, "1,251"},
		{12, 1, false, "12.0"},
		{-0.001, 2, false, "0.00"},
		{-3.5, 1, true, "-3.5"},
		{1e6, 2, true, "1,000,000.00"},
	}
	for _, tt := range tests {
		if got := FormatFixed(tt.v, tt.decimals, tt.group); got != tt.want {
			t.Errorf("FormatFixed(%v, %d, %v) = %q, want %q", tt.v, tt.decimals, tt.group, got, tt.want)
		}
	}
	if got := FormatDecimal(-0.001, 2, false); got != "0" {
		t.Errorf("FormatDecimal(-0.001, 2, false) = %q, want 0", got)
	}
}

// TestPageAligned: the figures of a preview column have the same number
// of decimals, the most any value needs unless the schema sets them, and
// are marked as figures.
func TestPageAligned(t *testing.T) {
	d := mustSchema(t, `title: t
source: s
licence: l
updated: 2026-03-31
topic: governance
columns:
  - {name: site, type: string}
  - {name: kg, type: float}
  - {name: rate, type: percent}
  - {name: ph, type: float, decimals: 2}
  - {name: n, type: int}
  - {name: year, type: year}
`)
	if errs := d.ParseCSV([]byte("site,kg,rate,ph,n,year\n" +
		"玫瑰苑,12,91.9%,7,1200,2025\n" +
		"西苑小区,9475.8,100%,7.25,3,2026\n" +
		"和平里,,5.25%,6.5,,2026\n" +
		"十堰经济技术开发区白浪街道白浪东区安置小区,1,1%,1,1,2026\n")); len(errs) > 0 {
		t.Fatal(errs.Err())
	}
	var got []string
	for _, row := range d.Page(0, 10) {
		var cells []string
		for _, c := range row {
			s := c.Text
			if c.Num {
				s = "#" + s
			}
			if c.Long {
				s += "…"
			}
			cells = append(cells, s)
		}
		got = append(got, strings.Join(cells, " | "))
	}
	want := []string{
		"玫瑰苑 | #12.0 | #91.90% | #7.00 | #1,200 | 2025",
		"西苑小区 | #9,475.8 | #100.00% | #7.25 | #3 | 2026",
		"和平里 | # | #5.25% | #6.50 | # | 2026",
		"十堰经济技术开发区白浪街道白浪东区安置小区… | #1.0 | #1.00% | #1.00 | #1 | 2026",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("Page:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
