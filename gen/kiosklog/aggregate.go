package kiosklog

import (
	"cmp"
	"slices"
	"time"
)

// DefaultMinHouseholds is the smallest household count the site may show.
const DefaultMinHouseholds = 10

// TooFew is the small-count rule: a figure counted from n households (or,
// on a compound's page, from n residents' requests) is not published when
// n is below min, or below DefaultMinHouseholds when min is 0 or less.
func TooFew(n, min int) bool {
	if min <= 0 {
		min = DefaultMinHouseholds
	}
	return n < min
}

// Options tunes Aggregate.
type Options struct {
	// Kiosks maps kiosk ids to compounds (from kiosks.yaml). A kiosk with
	// records but no entry is reported under its id.
	Kiosks []Kiosk
	// Pulls gives freshness (from every pull.yaml).
	Pulls []Pull
	// Published is the publication ledger (Log.Published): the frozen
	// household table of every closed month. Household counts are
	// published from it only; every other month is open.
	Published []PublishedMonth
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
	Open                      // the month is not closed: no household count is published yet
	Late                      // the kiosk's records of a closed month arrived after it closed
)

func (s Suppression) String() string {
	return [...]string{"shown", "primary", "secondary", "open", "late"}[s]
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
// Household counts are published only for closed months, exactly as
// opts.Published froze them (see Freeze and Closable): differencing two
// builds can then never reveal a hidden count, because a month's figures
// never change once published and nothing of them is published before.
// Cells of open months have Suppressed == Open, and a kiosk whose records
// of a closed month were not part of its closing has Late. Distinct counts
// do not add up over months, so no per-kiosk total over months is
// published, and the site must not add household counts up itself.
func Aggregate(recs []Record, opts Options) Aggregates {
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
	cells := map[hkey]bool{}
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
		cells[hkey{r.Kiosk, m}] = true
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

	published := map[string]PublishedMonth{}
	for _, p := range opts.Published {
		published[p.Month] = p
		months[p.Month] = true
		for _, c := range p.Households {
			kiosks[c.Kiosk] = true
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

	for m := range months {
		p, closed := published[m]
		if !closed {
			a.MonthTotals = append(a.MonthTotals, HouseholdCell{Month: m, Suppressed: Open})
			continue
		}
		a.MonthTotals = append(a.MonthTotals, p.Total.cell("", "", m))
		for _, c := range p.Households {
			a.Households = append(a.Households, c.cell(c.Kiosk, compoundOf(c.Kiosk), m))
			delete(cells, hkey{c.Kiosk, m})
		}
	}
	for hk := range cells {
		why := Open
		if _, closed := published[hk.month]; closed {
			why = Late
		}
		a.Households = append(a.Households, HouseholdCell{Kiosk: hk.kiosk, Compound: compoundOf(hk.kiosk), Month: hk.month, Suppressed: why})
	}
	byMonth := func(x, y HouseholdCell) int {
		return cmp.Or(cmp.Compare(x.Month, y.Month), cmp.Compare(x.Kiosk, y.Kiosk))
	}
	slices.SortFunc(a.Households, byMonth)
	slices.SortFunc(a.MonthTotals, byMonth)

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

// LiveHouseholds counts the distinct cards per kiosk × month of recs and
// per month over all kiosks, and suppresses them with Suppress (min 0
// means DefaultMinHouseholds). It is what closing those months now would
// freeze; the site publishes only frozen months (Aggregate), since two
// live tables of different builds could be differenced.
func LiveHouseholds(recs []Record, min int) (cells, totals []HouseholdCell) {
	type hkey struct{ kiosk, month string }
	cards := map[hkey]map[string]bool{}
	monthCards := map[string]map[string]bool{}
	for _, r := range recs {
		m := MonthOf(r.Time)
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
	}
	for hk, set := range cards {
		cells = append(cells, HouseholdCell{Kiosk: hk.kiosk, Month: hk.month, Count: len(set)})
	}
	for m, set := range monthCards {
		totals = append(totals, HouseholdCell{Month: m, Count: len(set)})
	}
	return Suppress(cells, totals, min)
}

// Suppress applies primary and secondary suppression to household counts:
// cells are kiosk × month counts, totals are the per-month totals over all
// kiosks (Kiosk == ""). Every count below min (TooFew; min 0 means
// DefaultMinHouseholds) is hidden; then, as long as some month with a
// shown total has exactly one hidden cell, its smallest shown cell is
// hidden too (or the total, if no shown cell is left). Hidden counts are
// zeroed. The results are sorted by (month, kiosk).
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
		if TooFew(cells[i].Count, min) {
			cells[i].Shown, cells[i].Suppressed = false, Primary
		}
	}
	for i := range totals {
		totals[i].Shown, totals[i].Suppressed = true, NotSuppressed
		if TooFew(totals[i].Count, min) {
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
