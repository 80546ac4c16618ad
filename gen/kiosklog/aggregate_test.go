package kiosklog

import (
	"fmt"
	"slices"
	"testing"
	"time"
)

func TestTooFew(t *testing.T) {
	for _, tt := range []struct {
		n, min int
		want   bool
	}{
		{0, 0, true},
		{DefaultMinHouseholds - 1, 0, true},
		{DefaultMinHouseholds, 0, false},
		{DefaultMinHouseholds - 1, -1, true},
		{4, 5, true},
		{5, 5, false},
		{1000, 0, false},
	} {
		if got := TooFew(tt.n, tt.min); got != tt.want {
			t.Errorf("TooFew(%d, %d) = %v, want %v", tt.n, tt.min, got, tt.want)
		}
	}
}

func TestSuppress(t *testing.T) {
	// Each case: kiosk cells "kiosk:count" for one month, the month total,
	// and the expected shown value ("-" hidden) of each cell and the total.
	tests := []struct {
		name      string
		cells     []int
		total     int
		want      []string
		wantTotal string
	}{
		{"all large", []int{40, 25, 12}, 77, []string{"40", "25", "12"}, "77"},
		{"one small hides the next smallest", []int{40, 3, 25, 12}, 80, []string{"40", "-", "25", "-"}, "80"},
		{"two small protect each other", []int{40, 3, 7, 25}, 75, []string{"40", "-", "-", "25"}, "75"},
		{"boundary: 10 shown, 9 hidden", []int{10, 9, 30}, 49, []string{"-", "-", "30"}, "49"},
		{"boundary: 10 and 10 shown", []int{10, 10}, 20, []string{"10", "10"}, "20"},
		{"small total hidden, no secondary needed", []int{4, 3}, 7, []string{"-", "-"}, "-"},
		{"single small cell: total hidden too", []int{6}, 6, []string{"-"}, "-"},
		{"one small cell, others large, ties broken by kiosk", []int{50, 2, 20, 20}, 92, []string{"50", "-", "-", "20"}, "92"},
		{"one hidden and nothing else to hide: total hidden", []int{5, 11}, 16, []string{"-", "-"}, "16"},
	}
	for _, tt := range tests {
		var cells []HouseholdCell
		for i, n := range tt.cells {
			cells = append(cells, HouseholdCell{Kiosk: fmt.Sprintf("K%02d", i+1), Month: "2026-03", Count: n})
		}
		totals := []HouseholdCell{{Month: "2026-03", Count: tt.total}}
		gotCells, gotTotals := Suppress(cells, totals, 10)
		var got []string
		for _, c := range gotCells {
			got = append(got, show(c))
		}
		if !slices.Equal(got, tt.want) || show(gotTotals[0]) != tt.wantTotal {
			t.Errorf("%s: Suppress(%v, total %d) = %v, total %s; want %v, total %s", tt.name, tt.cells, tt.total, got, show(gotTotals[0]), tt.want, tt.wantTotal)
		}
		// A hidden count never leaves the package, and no shown total lets
		// one hidden cell be recovered by subtraction.
		hidden := 0
		for _, c := range gotCells {
			if !c.Shown {
				hidden++
				if c.Count != 0 {
					t.Errorf("%s: hidden cell %s keeps count %d", tt.name, c.Kiosk, c.Count)
				}
			}
		}
		if gotTotals[0].Shown && hidden == 1 {
			t.Errorf("%s: exactly one hidden cell under a shown total", tt.name)
		}
	}
}

func show(c HouseholdCell) string {
	if !c.Shown {
		return "-"
	}
	return fmt.Sprint(c.Count)
}

func TestAggregate(t *testing.T) {
	at := func(month, day int) time.Time { return time.Date(2026, time.Month(month), day, 9, 0, 0, 0, Location) }
	var recs []Record
	seq := uint64(0)
	add := func(kiosk string, month, households int, cat Category, grams int) {
		for h := range households {
			seq++
			recs = append(recs, Record{Kiosk: kiosk, Epoch: 1, Seq: seq, Time: at(month, 1+h%28), Card: fmt.Sprintf("h%s%014x", kiosk[1:], h), Category: cat, Grams: grams, Points: grams / 100})
		}
	}
	add("K01", 1, 30, Paper, 1000)
	add("K01", 1, 30, Plastic, 500) // the same 30 households again
	add("K02", 1, 4, Glass, 2000)   // too few households
	add("K03", 1, 15, Metal, 300)
	add("K01", 2, 12, Battery, 50)
	// A deposit at 23:30 UTC on 31 January is in February in China.
	recs = append(recs, Record{Kiosk: "K03", Epoch: 1, Seq: 999, Time: time.Date(2026, 1, 31, 23, 30, 0, 0, time.UTC), Card: "h0000000000000001", Category: Paper, Grams: 100, Points: 1})
	kiosks := []Kiosk{{ID: "K01", Compound: "玫瑰苑"}, {ID: "K02", Compound: "示例小区", SampleName: true}}
	// Before any month closes, no household count is published.
	a := Aggregate(recs, Options{Kiosks: kiosks})
	for _, c := range append(a.Households, a.MonthTotals...) {
		if c.Shown || c.Count != 0 || c.Suppressed != Open {
			t.Errorf("open month: %+v, want hidden as open", c)
		}
	}
	log := &Log{Kiosks: kiosks, Records: recs}
	for _, m := range []string{"2026-01", "2026-02"} {
		p, err := Freeze(log, m, at(3, 1), ClosedByStaff)
		if err != nil {
			t.Fatal(err)
		}
		log.Published = append(log.Published, p)
	}
	a = Aggregate(recs, Options{Kiosks: kiosks, Published: log.Published})
	if !slices.Equal(a.Months, []string{"2026-01", "2026-02"}) {
		t.Errorf("Months = %v", a.Months)
	}
	if len(a.Compounds) != 3 || a.Compounds[0].Name != "玫瑰苑" || !a.Compounds[1].SampleName || a.Compounds[2].Name != "K03" {
		t.Errorf("Compounds = %+v", a.Compounds)
	}
	find := func(kiosk, month string, c Category) WeightCell {
		for _, w := range a.Weights {
			if w.Kiosk == kiosk && w.Month == month && w.Category == c {
				return w
			}
		}
		return WeightCell{}
	}
	if w := find("K01", "2026-01", Paper); w.KG() != 30 || w.Points != 300 || w.Deposits != 30 || w.Compound != "玫瑰苑" {
		t.Errorf("K01 2026-01 paper = %+v", w)
	}
	if w := find("K03", "2026-02", Paper); w.Grams != 100 {
		t.Errorf("late-night deposit not in February China time: %+v", w)
	}
	hh := map[string]string{}
	for _, c := range a.Households {
		hh[c.Kiosk+" "+c.Month] = show(c)
	}
	want := map[string]string{"K01 2026-01": "30", "K02 2026-01": "-", "K03 2026-01": "-", "K01 2026-02": "-", "K03 2026-02": "-"}
	for k, v := range want {
		if hh[k] != v {
			t.Errorf("households %s = %s, want %s (all: %v)", k, hh[k], v, hh)
		}
	}
	for _, tot := range a.MonthTotals {
		if tot.Month == "2026-01" && show(tot) != "49" {
			t.Errorf("January total = %s, want 49", show(tot))
		}
		if tot.Month == "2026-02" && show(tot) != "13" {
			// K03's single card would follow from 13-12, so K01's 12 is
			// hidden as well and the total can stay.
			t.Errorf("February total = %s, want 13", show(tot))
		}
	}
	if len(a.Freshness) != 3 || a.Freshness[2].Records != 16 {
		t.Errorf("Freshness = %+v", a.Freshness)
	}
}
