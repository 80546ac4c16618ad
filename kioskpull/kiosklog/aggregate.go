package kiosklog

import (
	"cmp"
	"slices"
	"time"
)

// DefaultMinHouseholds is the smallest household count the site may show.
const DefaultMinHouseholds = 10

// Options tunes Aggregate.
type Options struct {
	// Kiosks maps kiosk ids to compounds (from kiosks.yaml). A kiosk with
	// records but no entry is reported under its id.
	Kiosks []Kiosk
	// Pulls gives freshness (from every pull.yaml).
	Pulls []Pull
	// MinHouseholds is the smallest distinct-household count shown;
	// 0 means DefaultMinHouseholds.
	MinHouseholds int
}

// Compound is one pilot compound with its kiosk.
type Compound struct {
	Kiosk      string
	Name       string // compound name, e.g. 玫瑰苑
	SampleName bool   // the name is invented: mark it 示例
}

// WeightCell is what one kiosk took in during one month in one category.
type WeightCell struct {
	Kiosk    string
	Compound string
	Month    string // "2026-03", China Standard Time
	Category Category
	Grams    int64
	Points   int64
	Deposits int
}

// KG returns the weight in kilograms.
func (c WeightCell) KG() float64 { return float64(c.Grams) / 1000 }

// Suppression says why a household count is hidden.
type Suppression uint8

const (
	NotSuppressed Suppression = iota
	Primary                   // the count itself is below the threshold
	Secondary                 // hidden so that a primary cell cannot be recovered from the month total
)

func (s Suppression) String() string {
	return [...]string{"shown", "primary", "secondary"}[s]
}

// HouseholdCell is the number of distinct points cards that deposited at one
// kiosk in one month (Kiosk == "" for the total over all kiosks). When Shown
// is false, Count is 0: a hidden count never leaves this package.
type HouseholdCell struct {
	Kiosk      string
	Compound   string
	Month      string
	Count      int
	Shown      bool
	Suppressed Suppression
}

// Freshness tells how current each kiosk's data is, for "数据拉取于 …".
type Freshness struct {
	Kiosk      string
	Compound   string
	LastPull   time.Time // zero if never pulled
	Source     string    // "pull" or "import"
	LastRecord time.Time // time of the newest stored deposit; zero if none
	Records    int
	Complete   bool   // the last pull stored everything the kiosk held
	Lost       uint64 // deposits the kiosk overwrote before they were pulled
}

// Aggregates is everything the site publishes from the kiosk logs. All
// slices are sorted (kiosk, month, category), so the same log gives the
// same output.
type Aggregates struct {
	Months      []string // every month with a deposit, ascending
	Compounds   []Compound
	Weights     []WeightCell    // kiosk × month × category, only non-empty cells
	Households  []HouseholdCell // kiosk × month, only months with deposits
	MonthTotals []HouseholdCell // all kiosks × month
	Freshness   []Freshness     // one per compound
}

// MonthOf returns the "2006-01" month of t in China Standard Time.
func MonthOf(t time.Time) string { return t.In(Location).Format("2006-01") }

// Aggregate turns deposit records into the published tables.
//
// Household counts below opts.MinHouseholds are hidden (primary
// suppression). Because the site also shows each month's total over all
// kiosks, a month with exactly one hidden kiosk cell would give that cell
// away by subtraction, so the smallest shown cell of that month is hidden
// too (secondary suppression); a month total below the threshold is hidden
// itself. Distinct counts do not add up over months, so no per-kiosk
// total over months is published, and the site must not add household
// counts up itself.
func Aggregate(recs []Record, opts Options) Aggregates {
	min := opts.MinHouseholds
	if min <= 0 {
		min = DefaultMinHouseholds
	}
	names := map[string]Kiosk{}
	for _, k := range opts.Kiosks {
		names[k.ID] = k
	}
	compoundOf := func(id string) string {
		if k, ok := names[id]; ok {
			return k.Compound
		}
		return id
	}

	type wkey struct {
		kiosk, month string
		cat          Category
	}
	type hkey struct{ kiosk, month string }
	weights := map[wkey]*WeightCell{}
	cards := map[hkey]map[string]bool{}
	monthCards := map[string]map[string]bool{}
	months := map[string]bool{}
	kiosks := map[string]bool{}
	fresh := map[string]*Freshness{}
	for _, k := range opts.Kiosks {
		kiosks[k.ID] = true
	}
	for _, r := range recs {
		m := MonthOf(r.Time)
		months[m] = true
		kiosks[r.Kiosk] = true
		wk := wkey{r.Kiosk, m, r.Category}
		c := weights[wk]
		if c == nil {
			c = &WeightCell{Kiosk: r.Kiosk, Compound: compoundOf(r.Kiosk), Month: m, Category: r.Category}
			weights[wk] = c
		}
		c.Grams += int64(r.Grams)
		c.Points += int64(r.Points)
		c.Deposits++
		hk := hkey{r.Kiosk, m}
		if cards[hk] == nil {
			cards[hk] = map[string]bool{}
		}
		cards[hk][r.Card] = true
		if monthCards[m] == nil {
			monthCards[m] = map[string]bool{}
		}
		// A card is a household at one kiosk; the same card at two kiosks
		// is counted once in the month total.
		monthCards[m][r.Card] = true
		f := fresh[r.Kiosk]
		if f == nil {
			f = &Freshness{Kiosk: r.Kiosk}
			fresh[r.Kiosk] = f
		}
		f.Records++
		if r.Time.After(f.LastRecord) {
			f.LastRecord = r.Time
		}
	}

	var a Aggregates
	for m := range months {
		a.Months = append(a.Months, m)
	}
	slices.Sort(a.Months)
	for id := range kiosks {
		k, ok := names[id]
		if !ok {
			k = Kiosk{ID: id, Compound: id}
		}
		a.Compounds = append(a.Compounds, Compound{Kiosk: id, Name: k.Compound, SampleName: k.SampleName})
	}
	slices.SortFunc(a.Compounds, func(x, y Compound) int { return cmp.Compare(x.Kiosk, y.Kiosk) })

	for _, c := range weights {
		a.Weights = append(a.Weights, *c)
	}
	slices.SortFunc(a.Weights, func(x, y WeightCell) int {
		return cmp.Or(cmp.Compare(x.Kiosk, y.Kiosk), cmp.Compare(x.Month, y.Month), cmp.Compare(x.Category, y.Category))
	})

	for hk, set := range cards {
		a.Households = append(a.Households, HouseholdCell{Kiosk: hk.kiosk, Compound: compoundOf(hk.kiosk), Month: hk.month, Count: len(set)})
	}
	for m, set := range monthCards {
		a.MonthTotals = append(a.MonthTotals, HouseholdCell{Month: m, Count: len(set)})
	}
	a.Households, a.MonthTotals = Suppress(a.Households, a.MonthTotals, min)

	pulls := map[string]Pull{}
	for _, p := range opts.Pulls {
		pulls[p.Kiosk] = p
	}
	for _, c := range a.Compounds {
		f := Freshness{Kiosk: c.Kiosk}
		if got := fresh[c.Kiosk]; got != nil {
			f = *got
		}
		f.Compound = c.Name
		if p, ok := pulls[c.Kiosk]; ok {
			f.LastPull, f.Source, f.Complete = p.LastPull, p.Source, p.Complete
			for _, g := range p.Gaps {
				f.Lost += g.To - g.From + 1
			}
		}
		a.Freshness = append(a.Freshness, f)
	}
	return a
}

// Suppress applies primary and secondary suppression to household counts:
// cells are kiosk × month counts, totals are the per-month totals over all
// kiosks (Kiosk == ""). Every count below min is hidden; then, as long as
// some month with a shown total has exactly one hidden cell, its smallest
// shown cell is hidden too (or the total, if no shown cell is left). Hidden
// counts are zeroed. The results are sorted by (month, kiosk).
func Suppress(cells, totals []HouseholdCell, min int) ([]HouseholdCell, []HouseholdCell) {
	cells = slices.Clone(cells)
	totals = slices.Clone(totals)
	byMonth := func(x, y HouseholdCell) int {
		return cmp.Or(cmp.Compare(x.Month, y.Month), cmp.Compare(x.Kiosk, y.Kiosk))
	}
	slices.SortFunc(cells, byMonth)
	slices.SortFunc(totals, byMonth)
	for i := range cells {
		cells[i].Shown, cells[i].Suppressed = true, NotSuppressed
		if cells[i].Count < min {
			cells[i].Shown, cells[i].Suppressed = false, Primary
		}
	}
	for i := range totals {
		totals[i].Shown, totals[i].Suppressed = true, NotSuppressed
		if totals[i].Count < min {
			totals[i].Shown, totals[i].Suppressed = false, Primary
		}
	}
	for changed := true; changed; {
		changed = false
		for ti := range totals {
			t := &totals[ti]
			if !t.Shown {
				continue
			}
			hidden, smallest := 0, -1
			for i := range cells {
				c := &cells[i]
				if c.Month != t.Month {
					continue
				}
				if !c.Shown {
					hidden++
				} else if smallest < 0 || c.Count < cells[smallest].Count {
					smallest = i
				}
			}
			if hidden != 1 {
				continue
			}
			if smallest >= 0 {
				cells[smallest].Shown, cells[smallest].Suppressed = false, Secondary
			} else {
				t.Shown, t.Suppressed = false, Secondary
			}
			changed = true
		}
	}
	for i := range cells {
		if !cells[i].Shown {
			cells[i].Count = 0
		}
	}
	for i := range totals {
		if !totals[i].Shown {
			totals[i].Count = 0
		}
	}
	return cells, totals
}
