package kiosklog

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

const goodLedger = `month: 2026-05
closed_at: 2026-06-03T10:00:00+08:00
closed_by: reported
kiosks: [K01, K02, K03]
households:
  - kiosk: K01
    households: 23
    records: 40
  - kiosk: K02
    hidden: primary
    records: 9
  - kiosk: K03
    hidden: secondary
    records: 30
total:
  households: 210
`

func TestParsePublished(t *testing.T) {
	const name = "data/kiosk/published-2026-05.yaml"
	p, err := ParsePublished([]byte(goodLedger), name)
	if err != nil {
		t.Fatalf("ParsePublished(good) = %v", err)
	}
	if p.Month != "2026-05" || len(p.Households) != 3 || p.Households[1].Hidden != "primary" || p.Total.Households != 210 {
		t.Errorf("ParsePublished(good) = %+v", p)
	}
	// What MarshalPublished writes parses back to the same.
	data, err := MarshalPublished(p)
	if err != nil {
		t.Fatal(err)
	}
	if q, err := ParsePublished(data, name); err != nil || !reflect.DeepEqual(q, p) {
		t.Errorf("round trip: %+v, %v\nwant %+v\n%s", q, err, p, data)
	}

	tests := []struct {
		name, old, new string
		want           string // in the error
	}{
		{"small count shown", "households: 23", "households: 7", name + ":6: 7 households is below 10"},
		{"small total shown", "households: 210", "households: 9", name + ":15: 9 households is below 10"},
		{"one hidden beside a shown total", "hidden: secondary", "households: 12", name + ":15: one hidden cell beside a shown total"},
		{"hidden with a number", "hidden: primary", "hidden: primary\n    households: 4", name + ":9: a hidden count has a number (4)"},
		{"bad hidden", "hidden: primary", "hidden: maybe", `:9: hidden "maybe"`},
		{"unknown key", "records: 40", "records: 40\n    cards: 3", name + `:6: field cards not found`},
		{"kiosk not listed", "kiosk: K03", "kiosk: K09", name + `:12: kiosk "K09" is not in the month's kiosks`},
		{"cell twice", "kiosk: K03", "kiosk: K02", name + `:12: kiosk "K02" has two cells`},
		{"too few records", "records: 40", "records: 20", name + ":6: 20 records cannot hold 23 households"},
		{"wrong month", "month: 2026-05", "month: 2026-06", name + ":1: month 2026-06 belongs in published-2026-06.yaml"},
		{"not a month", "month: 2026-05", "month: May", name + `:1: month "May" is not a month`},
		{"closed by whom", "closed_by: reported", "closed_by: me", name + `:3: closed_by "me"`},
		{"no time", "closed_at: 2026-06-03T10:00:00+08:00", "closed_at: 0001-01-01T00:00:00Z", name + ":2: no closed_at time"},
		{"bad kiosk id", "[K01, K02, K03]", "[K01, K02, K03, ../x]", name + `:4: kiosk "../x" is not a valid kiosk id`},
		{"not YAML", "total:", "total: [", name + ": yaml:"},
	}
	for _, tt := range tests {
		if !strings.Contains(goodLedger, tt.old) {
			t.Fatalf("%s: %q not in the good ledger", tt.name, tt.old)
		}
		text := strings.Replace(goodLedger, tt.old, tt.new, 1)
		_, err := ParsePublished([]byte(text), name)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: ParsePublished = %v, want an error containing %q", tt.name, err, tt.want)
		}
	}
	if _, err := ParsePublished(nil, name); err == nil || !strings.Contains(err.Error(), name+":1: empty ledger file") {
		t.Errorf("ParsePublished(empty) = %v", err)
	}
}

func FuzzParsePublished(f *testing.F) {
	f.Add([]byte(goodLedger))
	f.Add([]byte("month: 2026-05\nclosed_at: 2026-06-03T10:00:00+08:00\nclosed_by: staff\nkiosks: []\nhouseholds: []\ntotal: {hidden: primary}\n"))
	f.Add([]byte("month: 2026-05\nhouseholds: [{kiosk: K01, households: 1, records: 1}]\n"))
	f.Add([]byte("- a\n- b\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ParsePublished(data, "published-2026-05.yaml")
		if err != nil {
			return
		}
		// Whatever is accepted publishes no count below the threshold...
		for _, c := range append([]PublishedCount{p.Total}, cellCounts(p)...) {
			if c.Hidden == "" && c.Households < DefaultMinHouseholds {
				t.Fatalf("accepted a shown count of %d", c.Households)
			}
		}
		// ...and survives a round trip.
		out, err := MarshalPublished(p)
		if err != nil {
			t.Fatal(err)
		}
		q, err := ParsePublished(out, "published-2026-05.yaml")
		if err != nil || !reflect.DeepEqual(q, p) {
			t.Fatalf("round trip: %+v, %v; want %+v", q, err, p)
		}
	})
}

func cellCounts(p PublishedMonth) []PublishedCount {
	var out []PublishedCount
	for _, c := range p.Households {
		out = append(out, c.PublishedCount)
	}
	return out
}

func TestClosable(t *testing.T) {
	may := func(day int) time.Time { return time.Date(2026, 5, day, 12, 0, 0, 0, Location) }
	june := func(day int) time.Time { return time.Date(2026, 6, day, 12, 0, 0, 0, Location) }
	rec := func(kiosk string, at time.Time) Record {
		return Record{Kiosk: kiosk, Epoch: 1, Seq: uint64(at.Unix()), Time: at, Card: "h0123456789abcdef", Category: Paper, Grams: 100}
	}
	kiosks := []Kiosk{{ID: "K01", Compound: "a"}, {ID: "K02", Compound: "b"}}
	tests := []struct {
		name      string
		recs      []Record
		pulls     []Pull
		published []string
		want      []string
	}{
		{"K02 never reported", []Record{rec("K01", may(3)), rec("K01", june(2))}, nil, nil, nil},
		{"both have June records", []Record{rec("K01", may(3)), rec("K01", june(2)), rec("K02", june(1))}, nil, nil, []string{"2026-05"}},
		{"K02 pulled completely in June, no deposits", []Record{rec("K01", may(3)), rec("K01", june(2))},
			[]Pull{{Kiosk: "K02", LastPull: june(1), Complete: true}}, nil, []string{"2026-05"}},
		{"K02's June pull did not finish", []Record{rec("K01", may(3)), rec("K01", june(2))},
			[]Pull{{Kiosk: "K02", LastPull: june(1)}}, nil, nil},
		{"already closed", []Record{rec("K01", may(3)), rec("K01", june(2)), rec("K02", june(1))}, nil, []string{"2026-05"}, nil},
		{"the last second of May is May", []Record{rec("K01", may(3)), rec("K01", june(2)), rec("K02", time.Date(2026, 5, 31, 23, 59, 59, 0, Location))}, nil, nil, nil},
		{"midnight of 1 June is past May", []Record{rec("K01", may(3)), rec("K01", june(2)), rec("K02", time.Date(2026, 5, 31, 16, 0, 0, 0, time.UTC))}, nil, nil, []string{"2026-05"}},
	}
	for _, tt := range tests {
		log := &Log{Kiosks: kiosks, Records: tt.recs, Pulls: tt.pulls}
		for _, m := range tt.published {
			log.Published = append(log.Published, PublishedMonth{Month: m})
		}
		if got := Closable(log); !slices.Equal(got, tt.want) {
			t.Errorf("%s: Closable = %v, want %v", tt.name, got, tt.want)
		}
	}
	open := OpenMonths(&Log{Kiosks: kiosks, Records: []Record{rec("K01", may(3)), rec("K01", june(2)), rec("K02", june(1))}})
	if len(open) != 2 || open[0].Month != "2026-05" || len(open[0].Waiting) != 0 || open[1].Month != "2026-06" || !slices.Equal(open[1].Waiting, []string{"K01", "K02"}) {
		t.Errorf("OpenMonths = %+v, want May waiting for nobody, June for K01 and K02", open)
	}
	if got := Closable(&Log{Records: []Record{rec("K01", may(3)), rec("K01", june(2))}}); got != nil {
		t.Errorf("Closable without kiosks.yaml = %v, want nothing", got)
	}
}

// TestFreezeAndLate freezes May, then records arrive late: for a shown
// cell, a hidden one and a kiosk listed after May closed. The published
// figures stay as frozen; the late records are listed.
func TestFreezeAndLate(t *testing.T) {
	var recs []Record
	seq := map[string]uint64{}
	add := func(kiosk string, households, from int) {
		for h := range households {
			seq[kiosk]++
			recs = append(recs, Record{Kiosk: kiosk, Epoch: 1, Seq: seq[kiosk], Time: time.Date(2026, 5, 1+h%28, 9, 0, 0, 0, Location),
				Card: fmt.Sprintf("h%s%014x", kiosk[1:], from+h), Category: Metal, Grams: 300})
		}
	}
	add("K01", 23, 0)
	add("K02", 7, 0)
	add("K03", 180, 0)
	kiosks := []Kiosk{{ID: "K01", Compound: "a"}, {ID: "K02", Compound: "b"}, {ID: "K03", Compound: "c"}}
	log := &Log{Kiosks: kiosks, Records: recs}
	p, err := Freeze(log, "2026-05", time.Date(2026, 6, 3, 10, 0, 0, 0, Location), ClosedReported)
	if err != nil {
		t.Fatal(err)
	}
	want := []PublishedCell{
		{Kiosk: "K01", PublishedCount: PublishedCount{Hidden: "secondary"}, Records: 23},
		{Kiosk: "K02", PublishedCount: PublishedCount{Hidden: "primary"}, Records: 7},
		{Kiosk: "K03", PublishedCount: PublishedCount{Households: 180}, Records: 180},
	}
	if !slices.Equal(p.Households, want) || p.Total != (PublishedCount{Households: 210}) || !slices.Equal(p.Kiosks, []string{"K01", "K02", "K03"}) {
		t.Fatalf("Freeze = %+v", p)
	}
	data, err := MarshalPublished(p)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ParsePublished(data, "published-2026-05.yaml"); err != nil {
		t.Fatalf("what Freeze gives does not parse: %v\n%s", err, data)
	}
	log.Published = []PublishedMonth{p}
	if got := Mismatched(log); got != nil {
		t.Errorf("Mismatched right after Freeze = %v", got)
	}
	edited := p
	edited.Households = slices.Clone(p.Households)
	edited.Households[2].Households = 181
	if got := Mismatched(&Log{Kiosks: log.Kiosks, Records: log.Records, Published: []PublishedMonth{edited}}); !slices.Equal(got, []Mismatch{{"2026-05", "K03"}}) {
		t.Errorf("Mismatched(K03 edited) = %v", got)
	}
	before := Aggregate(log.Records, Options{Kiosks: log.Kiosks, Published: log.Published})

	add("K02", 5, 100) // a hole filled: K02 now has 12 households
	add("K03", 2, 500)
	add("K07", 7, 0) // listed after May closed
	log.Kiosks = append(log.Kiosks, Kiosk{ID: "K07", Compound: "g"})
	log.Records = recs
	after := Aggregate(log.Records, Options{Kiosks: log.Kiosks, Published: log.Published})
	if !slices.Equal(after.MonthTotals, before.MonthTotals) || !slices.Equal(after.Households[:3], before.Households) {
		t.Errorf("late records changed published figures:\nbefore %+v %+v\nafter  %+v %+v", before.Households, before.MonthTotals, after.Households, after.MonthTotals)
	}
	if k07 := after.Households[3]; k07.Kiosk != "K07" || k07.Shown || k07.Count != 0 || k07.Suppressed != Late {
		t.Errorf("K07 = %+v, want hidden as late", k07)
	}
	var late []string
	for _, l := range LateSince(log) {
		late = append(late, fmt.Sprintf("%s %s %d→%d", l.Month, l.Kiosk, l.Closed, l.Now))
	}
	if want := []string{"2026-05 K02 7→12", "2026-05 K03 180→182", "2026-05 K07 0→7"}; !slices.Equal(late, want) {
		t.Errorf("LateSince = %v, want %v", late, want)
	}
	if got := Mismatched(log); got != nil {
		t.Errorf("Mismatched with late records = %v, want nothing checked", got)
	}
	if _, err := Freeze(log, "May", time.Now(), ClosedByStaff); err == nil {
		t.Error("Freeze(May) took a month that is not one")
	}
}
