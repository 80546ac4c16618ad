package kiosklog

import (
	"bytes"
	"cmp"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"gongjian/gen/diag"
)

// The publication ledger: one file per closed month beside kiosks.yaml,
// data/kiosk/published-2026-05.yaml. kioskpull writes each file once, when
// the month closes, and never changes it; the site reads them and publishes
// exactly the household figures they hold.
const (
	publishedPrefix = "published-"
	publishedSuffix = ".yaml"
)

// PublishedFileName is the ledger file of month ("2026-05").
func PublishedFileName(month string) string { return publishedPrefix + month + publishedSuffix }

// How a month came to be closed.
const (
	ClosedReported = "reported" // every listed kiosk had reported past the month's end
	ClosedByStaff  = "staff"    // staff closed it: kioskpull close MONTH
)

// PublishedMonth is one closed month's household table as it was frozen:
// the figures the site publishes for that month in every build from then
// on, whatever records arrive later.
type PublishedMonth struct {
	Month    string    `yaml:"month"`
	ClosedAt time.Time `yaml:"closed_at"`
	ClosedBy string    `yaml:"closed_by"`
	// Kiosks lists every kiosk the month was closed over: those listed in
	// kiosks.yaml then, and any other with records in the month.
	Kiosks []string `yaml:"kiosks"`
	// Households has one cell per kiosk that had records in the month.
	Households []PublishedCell `yaml:"households"`
	Total      PublishedCount  `yaml:"total"`
}

// PublishedCell is one kiosk's frozen household count.
type PublishedCell struct {
	Kiosk          string `yaml:"kiosk"`
	PublishedCount `yaml:",inline"`
	// Records is how many records of the kiosk in the month were stored
	// when it closed, so that records arriving later are noticed.
	Records int `yaml:"records"`
}

// PublishedCount is a household count as published: Households when
// Hidden is empty, else why it is hidden ("primary" or "secondary") and no
// number at all.
type PublishedCount struct {
	Households int    `yaml:"households,omitempty"`
	Hidden     string `yaml:"hidden,omitempty"`
}

func publishedCount(c HouseholdCell) PublishedCount {
	if c.Shown {
		return PublishedCount{Households: c.Count}
	}
	return PublishedCount{Hidden: c.Suppressed.String()}
}

// cell is the count as Aggregate reports it.
func (p PublishedCount) cell(kiosk, compound, month string) HouseholdCell {
	c := HouseholdCell{Kiosk: kiosk, Compound: compound, Month: month, Count: p.Households, Shown: p.Hidden == ""}
	switch p.Hidden {
	case "":
	case Secondary.String():
		c.Suppressed = Secondary
	default:
		c.Suppressed = Primary
	}
	return c
}

// MarshalPublished encodes p as the text of its ledger file.
func MarshalPublished(p PublishedMonth) ([]byte, error) {
	p.ClosedAt = p.ClosedAt.In(Location).Truncate(time.Second)
	var b bytes.Buffer
	fmt.Fprintf(&b, "# Household figures of %s as published on the site, frozen when the month closed.\n"+
		"# Written once by kioskpull; never edit: a later release must not differ from an earlier one.\n", p.Month)
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(p); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// ParsePublished decodes and checks a ledger file; errors are a diag.List
// of file name. A hand-edited file that would publish a
// count below DefaultMinHouseholds, or one hidden count next to a shown
// total, is refused.
func ParsePublished(data []byte, name string) (PublishedMonth, error) {
	var p PublishedMonth
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return p, diag.List{diag.At(name, 0, err)}
	}
	if len(root.Content) == 0 {
		return p, diag.List{diag.Errorf(name, 1, "empty ledger file (want month, closed_at, closed_by, kiosks, households, total)")}
	}
	var doc struct {
		Month      string         `yaml:"month"`
		ClosedAt   time.Time      `yaml:"closed_at"`
		ClosedBy   string         `yaml:"closed_by"`
		Kiosks     []string       `yaml:"kiosks"`
		Households []yaml.Node    `yaml:"households"`
		Total      PublishedCount `yaml:"total"`
	}
	top := root.Content[0]
	if err := decodeStrict(top, &doc); err != nil {
		return p, diag.List{diag.At(name, top.Line, err)}
	}
	line := func(key string) int {
		for i := 0; i+1 < len(top.Content); i += 2 {
			if top.Content[i].Value == key {
				return top.Content[i].Line
			}
		}
		return top.Line
	}
	var errs diag.List
	if _, err := time.Parse("2006-01", doc.Month); err != nil || len(doc.Month) != 7 {
		errs.Addf(name, line("month"), "month %q is not a month like 2026-05", doc.Month)
	} else if want := PublishedFileName(doc.Month); path.Base(name) != want {
		errs.Addf(name, line("month"), "month %s belongs in %s", doc.Month, want)
	}
	if doc.ClosedAt.IsZero() {
		errs.Addf(name, line("closed_at"), "no closed_at time")
	}
	if doc.ClosedBy != ClosedReported && doc.ClosedBy != ClosedByStaff {
		errs.Addf(name, line("closed_by"), "closed_by %q is neither %q nor %q", doc.ClosedBy, ClosedReported, ClosedByStaff)
	}
	listed := map[string]bool{}
	for _, k := range doc.Kiosks {
		if !ValidKioskID(k) || listed[k] {
			errs.Addf(name, line("kiosks"), "kiosk %q is not a valid kiosk id or is listed twice", k)
		}
		listed[k] = true
	}
	p = PublishedMonth{Month: doc.Month, ClosedAt: doc.ClosedAt.In(Location), ClosedBy: doc.ClosedBy, Kiosks: doc.Kiosks, Total: doc.Total}
	checkCount := func(where int, c PublishedCount) {
		switch {
		case c.Hidden == "" && TooFew(c.Households, 0):
			errs.Addf(name, where, "%d households is below %d and may not be published", c.Households, DefaultMinHouseholds)
		case c.Hidden != "" && c.Hidden != Primary.String() && c.Hidden != Secondary.String():
			errs.Addf(name, where, "hidden %q is neither %q nor %q", c.Hidden, Primary, Secondary)
		case c.Hidden != "" && c.Households != 0:
			errs.Addf(name, where, "a hidden count has a number (%d)", c.Households)
		}
	}
	seen := map[string]bool{}
	hidden := 0
	for i := range doc.Households {
		n := &doc.Households[i]
		var c PublishedCell
		if err := decodeStrict(n, &c); err != nil {
			errs.Add(diag.At(name, n.Line, err))
			continue
		}
		switch {
		case !listed[c.Kiosk]:
			errs.Addf(name, n.Line, "kiosk %q is not in the month's kiosks", c.Kiosk)
			continue
		case seen[c.Kiosk]:
			errs.Addf(name, n.Line, "kiosk %q has two cells", c.Kiosk)
			continue
		case c.Records < max(1, c.Households):
			errs.Addf(name, n.Line, "%d records cannot hold %d households", c.Records, max(1, c.Households))
		}
		seen[c.Kiosk] = true
		checkCount(n.Line, c.PublishedCount)
		if c.Hidden != "" {
			hidden++
		}
		p.Households = append(p.Households, c)
	}
	checkCount(line("total"), p.Total)
	if hidden == 1 && p.Total.Hidden == "" {
		errs.Addf(name, line("total"), "one hidden cell beside a shown total gives it away")
	}
	return p, errOf(errs)
}

// ReadPublished reads every ledger file in dir, sorted by month. Problems
// come together as a diag.List.
func ReadPublished(fsys fs.FS, dir string) ([]PublishedMonth, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, diag.List{diag.At(dir, 0, diag.Cause(err))}
	}
	var months []PublishedMonth
	var errs diag.List
	for _, e := range entries {
		if e.IsDir() || !strings.HasPrefix(e.Name(), publishedPrefix) || !strings.HasSuffix(e.Name(), publishedSuffix) {
			continue
		}
		name := path.Join(dir, e.Name())
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			errs.Add(diag.At(name, 0, diag.Cause(err)))
			continue
		}
		p, err := ParsePublished(data, name)
		if err != nil {
			merge(&errs, name, err)
			continue
		}
		months = append(months, p)
	}
	slices.SortFunc(months, func(a, b PublishedMonth) int { return cmp.Compare(a.Month, b.Month) })
	return months, errOf(errs)
}

// MonthEnd returns the first instant after month ("2026-05") in China
// Standard Time.
func MonthEnd(month string) (time.Time, error) {
	t, err := time.ParseInLocation("2006-01", month, Location)
	if err != nil || len(month) != 7 {
		return time.Time{}, fmt.Errorf("%q is not a month like 2026-05", month)
	}
	return t.AddDate(0, 1, 0), nil
}

// ReportedUntil gives, for each kiosk with records or a pull, the time up
// to which it has reported: its newest record, or its last complete pull
// if that is later (a kiosk that took no deposit since still reported).
func ReportedUntil(log *Log) map[string]time.Time {
	until := map[string]time.Time{}
	for _, r := range log.Records {
		if r.Time.After(until[r.Kiosk]) {
			until[r.Kiosk] = r.Time
		}
	}
	for _, p := range log.Pulls {
		if p.Complete && p.LastPull.After(until[p.Kiosk]) {
			until[p.Kiosk] = p.LastPull
		}
	}
	return until
}

// Closable returns the months, ascending, that have records, are not in
// the ledger yet, and that every kiosk listed in kiosks.yaml has reported
// past the end of: they close by themselves (ClosedReported). A listed
// kiosk that never reported keeps every month open until staff close it.
func Closable(log *Log) []string {
	var months []string
	for _, o := range OpenMonths(log) {
		if len(o.Waiting) == 0 && len(log.Kiosks) > 0 {
			months = append(months, o.Month)
		}
	}
	return months
}

// OpenMonth is a month with records that is not closed yet.
type OpenMonth struct {
	Month   string
	Waiting []string // listed kiosks that have not reported past its end
}

// OpenMonths lists the months with records that are not in the ledger,
// ascending, each with the kiosks it waits for.
func OpenMonths(log *Log) []OpenMonth {
	published := map[string]bool{}
	for _, p := range log.Published {
		published[p.Month] = true
	}
	until := ReportedUntil(log)
	var months []string
	seen := map[string]bool{}
	for _, r := range log.Records {
		if m := MonthOf(r.Time); !seen[m] && !published[m] {
			seen[m] = true
			months = append(months, m)
		}
	}
	slices.Sort(months)
	open := make([]OpenMonth, 0, len(months))
	for _, m := range months {
		end, _ := MonthEnd(m)
		o := OpenMonth{Month: m}
		for _, k := range log.Kiosks {
			if until[k.ID].Before(end) {
				o.Waiting = append(o.Waiting, k.ID)
			}
		}
		open = append(open, o)
	}
	return open
}

// Freeze computes the household table month would publish if it closed
// now, with primary and secondary suppression (Suppress), over every
// kiosk listed in kiosks.yaml or with records in the month.
func Freeze(log *Log, month string, at time.Time, by string) (PublishedMonth, error) {
	if _, err := MonthEnd(month); err != nil {
		return PublishedMonth{}, err
	}
	var recs []Record
	for _, r := range log.Records {
		if MonthOf(r.Time) == month {
			recs = append(recs, r)
		}
	}
	p := PublishedMonth{Month: month, ClosedAt: at.In(Location).Truncate(time.Second), ClosedBy: by}
	kiosks := map[string]bool{}
	for _, k := range log.Kiosks {
		kiosks[k.ID] = true
	}
	records := map[string]int{}
	for _, r := range recs {
		kiosks[r.Kiosk] = true
		records[r.Kiosk]++
	}
	p.Kiosks = slices.Sorted(maps.Keys(kiosks))
	cells, totals := LiveHouseholds(recs, DefaultMinHouseholds)
	for _, c := range cells {
		p.Households = append(p.Households, PublishedCell{Kiosk: c.Kiosk, PublishedCount: publishedCount(c), Records: records[c.Kiosk]})
	}
	p.Total = PublishedCount{Hidden: Primary.String()}
	if len(totals) == 1 {
		p.Total = publishedCount(totals[0])
	}
	return p, nil
}

// LateRecords is a kiosk-month of a closed month whose stored records
// differ from those it was closed with.
type LateRecords struct {
	Month    string
	Kiosk    string
	ClosedAt time.Time
	Closed   int // records when the month closed
	Now      int // records stored now
}

// LateSince lists, by month and kiosk, the kiosk-months of closed months whose
// records changed since they closed (an import filling a hole, a kiosk
// listed later): their household figures stay as frozen.
func LateSince(log *Log) []LateRecords {
	now := map[kioskMonthKey]int{}
	for _, r := range log.Records {
		now[kioskMonthKey{r.Kiosk, MonthOf(r.Time)}]++
	}
	var late []LateRecords
	for _, p := range log.Published {
		closed := map[string]int{}
		for _, c := range p.Households {
			closed[c.Kiosk] = c.Records
		}
		ids := map[string]bool{}
		for k := range closed {
			ids[k] = true
		}
		for k := range now {
			if k.month == p.Month {
				ids[k.kiosk] = true
			}
		}
		for id := range ids {
			if n := now[kioskMonthKey{id, p.Month}]; n != closed[id] {
				late = append(late, LateRecords{Month: p.Month, Kiosk: id, ClosedAt: p.ClosedAt, Closed: closed[id], Now: n})
			}
		}
	}
	slices.SortFunc(late, func(a, b LateRecords) int {
		return cmp.Or(cmp.Compare(a.Month, b.Month), cmp.Compare(a.Kiosk, b.Kiosk))
	})
	return late
}

type kioskMonthKey struct{ kiosk, month string }

// Mismatch is a closed month whose ledger file no longer agrees with the
// stored records it was frozen from, although none arrived since.
type Mismatch struct {
	Month string
	Kiosk string // "" for the month total
}

// Mismatched recomputes every closed month that received no late records
// and lists the cells whose frozen figure (or whether it is hidden)
// differs from what the stored records give: a ledger file edited by
// hand, or records changed under it. The figures themselves are not
// reported, since some are hidden.
func Mismatched(log *Log) []Mismatch {
	late := map[string]bool{}
	for _, l := range LateSince(log) {
		late[l.Month] = true
	}
	var out []Mismatch
	for _, p := range log.Published {
		if late[p.Month] {
			continue
		}
		again, err := Freeze(log, p.Month, p.ClosedAt, p.ClosedBy)
		if err != nil {
			continue
		}
		want := map[string]PublishedCount{}
		for _, c := range again.Households {
			want[c.Kiosk] = c.PublishedCount
		}
		for _, c := range p.Households {
			if want[c.Kiosk] != c.PublishedCount {
				out = append(out, Mismatch{p.Month, c.Kiosk})
			}
		}
		if again.Total != p.Total {
			out = append(out, Mismatch{Month: p.Month})
		}
	}
	return out
}
