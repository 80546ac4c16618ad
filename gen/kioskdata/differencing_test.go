package kioskdata

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math/big"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"gongjian/gen/chart"
	"gongjian/gen/dataset"
	"gongjian/gen/diag"
	"gongjian/gen/kiosklog"
)

// TestDifferencingRevealsNoHousehold is the property that suppression holds
// across any sequence of builds. Each seed plays a pilot: kiosks are pulled
// in random order on random days, some first pulled (and listed in
// kiosks.yaml) months after their first deposit, some pulls leave a hole
// that an import fills later, and staff sometimes close a month by hand.
// After every pull the store is closed as kioskpull closes it, and the site
// is built (Datasets, then the CSV and JSON downloads and the chart tables
// as published). An attacker then puts every published household figure of
// every build into one linear system (a shown cell is an equation, a month
// total is the sum of that month's cells), with bounds from every published
// deposit count (households ≤ deposits) and stored-record count, and
// solves it. The attacker is told, for free, which builds' cells hold the
// same true count; it must still not pin down any count below 10.
func TestDifferencingRevealsNoHousehold(t *testing.T) {
	seeds := 40
	if testing.Short() {
		seeds = 10
	}
	// About 0.1 s a seed on one idle core; on a busy machine fewer seeds
	// run rather than the test running long.
	deadline := time.Now().Add(10 * time.Second)
	// What the seeds went through, to show the cases the rule is about
	// were met: months closed by staff, builds after records came late for
	// a closed month, and kiosk-months hidden in one build and shown in
	// another.
	var staff, lateBuilds, builds int
	defer func() {
		t.Logf("%d builds; %d months closed by staff; %d builds after late records", builds, staff, lateBuilds)
		if !t.Failed() && time.Now().Before(deadline) && (staff == 0 || lateBuilds == 0) {
			t.Errorf("the pilots never had a staff closing (%d) or late records (%d): the test does not cover them", staff, lateBuilds)
		}
	}()
	for seed := range seeds {
		if time.Now().After(deadline) {
			t.Logf("stopped after %d seeds to stay within the time limit", seed)
			break
		}
		p := newPilot(uint64(seed))
		atk := newAttacker()
		for step := 0; p.step(); step++ {
			if step > 200 {
				t.Fatalf("seed %d: the pilot does not end", seed)
			}
			fsys := p.store()
			if fsys["data/kiosk/kiosks.yaml"] == nil {
				continue // no kiosk pulled yet: no store
			}
			closeMonths(t, fsys, p.clock)
			p.remember(fsys)
			sets, warns, errs := Datasets(fsys, "data/kiosk", "garbage-sorting")
			if err := errs.Err(); err != nil {
				t.Fatalf("seed %d, build %d: %v", seed, step, err)
			}
			builds++
			if slices.ContainsFunc(warns, func(w *diag.Error) bool { return strings.Contains(w.Msg, "when it closed") }) {
				lateBuilds++
			}
			atk.observe(t, sets, p.truth())
		}
		staff += p.staff
		if leaks := atk.solve(); len(leaks) > 0 {
			t.Errorf("seed %d: %d builds; the attacker recovers %s", seed, atk.builds, strings.Join(leaks, ", "))
		}
	}
}

// closeMonths does what kioskpull does after a pull: every month that every
// listed kiosk has reported past is frozen into the ledger, once.
func closeMonths(t *testing.T, fsys fstest.MapFS, now time.Time) {
	t.Helper()
	log, err := kiosklog.Load(fsys, "data/kiosk")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range kiosklog.Closable(log) {
		freeze(t, fsys, log, m, now, kiosklog.ClosedReported)
	}
}

func freeze(t *testing.T, fsys fstest.MapFS, log *kiosklog.Log, month string, now time.Time, by string) {
	t.Helper()
	name := "data/kiosk/" + kiosklog.PublishedFileName(month)
	if fsys[name] != nil {
		return
	}
	p, err := kiosklog.Freeze(log, month, now, by)
	if err != nil {
		t.Fatal(err)
	}
	data, err := kiosklog.MarshalPublished(p)
	if err != nil {
		t.Fatal(err)
	}
	fsys[name] = &fstest.MapFile{Data: data}
}

var pilotMonths = []string{"2026-05", "2026-06", "2026-07"}

// pilot is a random history of deposits and of their arrival in the store.
type pilot struct {
	rng    *rand.Rand
	clock  time.Time
	end    time.Time
	kiosks []*simKiosk
	ledger map[string][]byte // every closing so far, by month
	staff  int               // months staff closed
}

type simKiosk struct {
	id      string
	recs    []kiosklog.Record // every deposit, in seq order
	firstAt time.Time         // its first pull: until then it is not listed
	stored  []bool            // by seq-1
	pulled  int               // records up to here were offered to a pull
	holes   [][2]int          // seq-1 ranges a pull skipped, to import later
	batches [][2]int          // stored ranges, one batch file each
	lastPul time.Time
}

func newPilot(seed uint64) *pilot {
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	start := time.Date(2026, 5, 1, 0, 0, 0, 0, kiosklog.Location)
	p := &pilot{rng: rng, clock: start, end: time.Date(2026, 8, 20, 0, 0, 0, 0, kiosklog.Location)}
	n := 2 + rng.IntN(4)
	for i := range n {
		k := &simKiosk{id: fmt.Sprintf("K%02d", i+1)}
		for mi, m := range pilotMonths {
			first, _ := time.ParseInLocation("2006-01", m, kiosklog.Location)
			var households int
			switch r := rng.IntN(10); {
			case r == 0:
				households = 0
			case r < 5:
				households = 1 + rng.IntN(9)
			default:
				households = 10 + rng.IntN(25)
			}
			for h := range households {
				card := fmt.Sprintf("h%02x%02x%012x", i+1, mi, h)
				for range 1 + rng.IntN(2) {
					at := first.Add(time.Duration(rng.IntN(28*24*60)) * time.Minute)
					k.recs = append(k.recs, kiosklog.Record{Kiosk: k.id, Epoch: 1, Time: at, Card: card, Category: kiosklog.Categories[rng.IntN(5)], Grams: 100 + rng.IntN(3000), Points: 1 + rng.IntN(30)})
				}
			}
		}
		slices.SortFunc(k.recs, func(a, b kiosklog.Record) int { return a.Time.Compare(b.Time) })
		for j := range k.recs {
			k.recs[j].Seq = uint64(j + 1)
		}
		k.stored = make([]bool, len(k.recs))
		// Most kiosks are first pulled in May or June; some only after a
		// month or two they took deposits in has closed.
		k.firstAt = start.Add(time.Duration(rng.IntN(110*24)) * time.Hour)
		p.kiosks = append(p.kiosks, k)
	}
	return p
}

// step advances the clock and brings one kiosk's records in, by a pull
// (maybe leaving a hole) or by an import filling a hole; now and then
// staff close the oldest ended month. It reports false when the pilot is
// over and every record is stored.
func (p *pilot) step() bool {
	if !p.clock.Before(p.end) {
		for _, k := range p.kiosks {
			if len(k.holes) > 0 || k.pulled < len(k.recs) || k.lastPul.IsZero() {
				p.pull(k, true)
				return true
			}
		}
		return false
	}
	p.clock = p.clock.Add(time.Duration(12+p.rng.IntN(5*24)) * time.Hour)
	var due []*simKiosk
	for _, k := range p.kiosks {
		if !p.clock.Before(k.firstAt) {
			due = append(due, k)
		}
	}
	if len(due) == 0 {
		return true
	}
	p.pull(due[p.rng.IntN(len(due))], false)
	return true
}

func (p *pilot) pull(k *simKiosk, final bool) {
	if len(k.holes) > 0 && (final || p.rng.IntN(3) == 0) {
		h := k.holes[0]
		k.holes = k.holes[1:]
		p.storeRange(k, h[0], h[1])
		return
	}
	from := k.pulled
	to := from
	for to < len(k.recs) && !k.recs[to].Time.After(p.clock) {
		to++
	}
	if final {
		to = len(k.recs)
	}
	k.pulled = to
	if to-from >= 4 && !final && p.rng.IntN(4) == 0 {
		a := from + 1 + p.rng.IntN(to-from-2)
		b := a + 1 + p.rng.IntN(to-a-1)
		k.holes = append(k.holes, [2]int{a, b})
		p.storeRange(k, from, a)
		p.storeRange(k, b, to)
	} else {
		p.storeRange(k, from, to)
	}
	k.lastPul = p.clock
}

func (p *pilot) storeRange(k *simKiosk, from, to int) {
	if from >= to {
		return
	}
	for i := from; i < to; i++ {
		k.stored[i] = true
	}
	k.batches = append(k.batches, [2]int{from, to})
}

// store writes the store as kioskpull leaves it, with the ledger so far.
func (p *pilot) store() fstest.MapFS {
	fsys := fstest.MapFS{}
	var kiosks strings.Builder
	kiosks.WriteString("kiosks:\n")
	listed := 0
	for _, k := range p.kiosks {
		if k.lastPul.IsZero() {
			continue
		}
		listed++
		fmt.Fprintf(&kiosks, "  - id: %s\n    compound: 小区%s\n    sample_name: true\n", k.id, k.id)
		for _, b := range k.batches {
			var text bytes.Buffer
			if err := kiosklog.WriteCSV(&text, k.recs[b[0]:b[1]]); err != nil {
				panic(err)
			}
			name := kiosklog.BatchFileName(1, uint64(b[0]+1), uint64(b[1]))
			fsys["data/kiosk/"+k.id+"/"+name] = &fstest.MapFile{Data: text.Bytes()}
		}
		fsys["data/kiosk/"+k.id+"/pull.yaml"] = &fstest.MapFile{Data: fmt.Appendf(nil,
			"kiosk: %s\nlast_pull: %s\nsource: pull\nfirmware: sim-1.0\nepoch: 1\nlast_seq: %d\ncomplete: true\n",
			k.id, k.lastPul.Format(time.RFC3339), k.pulled)}
	}
	if listed > 0 {
		fsys["data/kiosk/kiosks.yaml"] = &fstest.MapFile{Data: []byte(kiosks.String())}
	}
	if p.ledger == nil {
		p.ledger = map[string][]byte{}
	}
	for m, data := range p.ledger {
		fsys["data/kiosk/"+kiosklog.PublishedFileName(m)] = &fstest.MapFile{Data: data}
	}
	// Staff close the oldest ended month now and then.
	if listed > 0 && p.rng.IntN(12) == 0 {
		for _, m := range pilotMonths {
			end, _ := kiosklog.MonthEnd(m)
			if end.Before(p.clock) && p.ledger[m] == nil {
				log, err := kiosklog.Load(fsys, "data/kiosk")
				if err != nil {
					panic(err)
				}
				pm, err := kiosklog.Freeze(log, m, p.clock, kiosklog.ClosedByStaff)
				if err != nil {
					panic(err)
				}
				data, err := kiosklog.MarshalPublished(pm)
				if err != nil {
					panic(err)
				}
				p.ledger[m] = data
				p.staff++
				fsys["data/kiosk/"+kiosklog.PublishedFileName(m)] = &fstest.MapFile{Data: data}
				break
			}
		}
	}
	return fsys
}

// remember keeps the ledger files a build's closing wrote, as the store
// on disk keeps them.
func (p *pilot) remember(fsys fstest.MapFS) {
	for _, m := range pilotMonths {
		if f := fsys["data/kiosk/"+kiosklog.PublishedFileName(m)]; f != nil && p.ledger[m] == nil {
			p.ledger[m] = f.Data
		}
	}
}

// truth is the true household count of every kiosk-month from the stored
// records: the attacker's check, never its input.
func (p *pilot) truth() map[kioskMonth]int {
	cards := map[kioskMonth]map[string]bool{}
	for _, k := range p.kiosks {
		if k.lastPul.IsZero() {
			continue
		}
		for i, r := range k.recs {
			if !k.stored[i] {
				continue
			}
			km := kioskMonth{k.id, kiosklog.MonthOf(r.Time)}
			if cards[km] == nil {
				cards[km] = map[string]bool{}
			}
			cards[km][r.Card] = true
		}
	}
	n := map[kioskMonth]int{}
	for km, set := range cards {
		n[km] = len(set)
	}
	return n
}

// unknown is one true household count: of a kiosk-month at a given value.
// Builds in which a kiosk-month has the same true count share the unknown
// (the attacker is told which ones do).
type unknown struct {
	kiosk, month string
	count        int
}

type attacker struct {
	builds int
	vars   map[unknown]int
	names  []unknown
	rows   [][]*big.Rat // coefficients, then the right-hand side
	hi     map[int]int  // upper bounds from deposit and record counts

	catDeposits map[kioskMonth]int    // one build's kiosk-weights deposits, summed over categories
	shown       map[kioskMonth]string // every household figure published so far ("" kiosk: the total)
}

func newAttacker() *attacker {
	return &attacker{vars: map[unknown]int{}, hi: map[int]int{}, shown: map[kioskMonth]string{}}
}

func (a *attacker) v(u unknown) int {
	if i, ok := a.vars[u]; ok {
		return i
	}
	a.vars[u] = len(a.names)
	a.names = append(a.names, u)
	for i := range a.rows {
		rhs := a.rows[i][len(a.rows[i])-1]
		a.rows[i] = append(a.rows[i][:len(a.rows[i])-1], new(big.Rat), rhs)
	}
	return a.vars[u]
}

func (a *attacker) equation(coef map[int]int64, rhs int64) {
	row := make([]*big.Rat, len(a.names)+1)
	for i := range row {
		row[i] = new(big.Rat)
	}
	for i, c := range coef {
		row[i].SetInt64(c)
	}
	row[len(a.names)].SetInt64(rhs)
	a.rows = append(a.rows, row)
}

func (a *attacker) bound(i, hi int) {
	if old, ok := a.hi[i]; !ok || hi < old {
		a.hi[i] = hi
	}
}

// dlTable is a download parsed into rows of column → text, blanks left out.
type dlTable []map[string]string

// downloads reads the CSV and the JSON download of d; both are attacked.
func downloads(t *testing.T, d *dataset.Dataset) []dlTable {
	t.Helper()
	dls, err := d.Downloads()
	if err != nil {
		t.Fatal(err)
	}
	var out []dlTable
	for _, dl := range dls {
		var tab dlTable
		switch dl.Format {
		case "CSV":
			// The download starts with a byte order mark, for Excel.
			recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(dl.Data, []byte("\ufeff")))).ReadAll()
			if err != nil {
				t.Fatalf("%s: %v", dl.Path, err)
			}
			if len(recs) == 0 || !slices.Contains(recs[0], "month") && !slices.Contains(recs[0], "kiosk") {
				t.Fatalf("%s: header %q has neither month nor kiosk", dl.Path, recs[0])
			}
			for _, r := range recs[1:] {
				row := map[string]string{}
				for j, v := range r {
					if v != "" {
						row[recs[0][j]] = v
					}
				}
				tab = append(tab, row)
			}
		case "JSON":
			var doc struct{ Rows []map[string]any }
			dec := json.NewDecoder(bytes.NewReader(dl.Data))
			dec.UseNumber()
			if err := dec.Decode(&doc); err != nil {
				t.Fatalf("%s: %v", dl.Path, err)
			}
			for _, r := range doc.Rows {
				row := map[string]string{}
				for k, v := range r {
					if v != nil {
						row[k] = fmt.Sprint(v)
					}
				}
				tab = append(tab, row)
			}
		}
		out = append(out, tab)
	}
	return out
}

func month(s string) string { return s[:min(len(s), 7)] }

// observe adds one build's published figures to the attacker's system.
func (a *attacker) observe(t *testing.T, sets []*dataset.Dataset, truth map[kioskMonth]int) {
	t.Helper()
	a.builds++
	x := func(kiosk, m string) (int, bool) {
		n := truth[kioskMonth{kiosk, m}]
		if n == 0 {
			return 0, false
		}
		return a.v(unknown{kiosk, m, n}), true
	}
	deposits := map[kioskMonth]int{}
	records := map[string]int{}
	for _, d := range sets {
		for _, tab := range downloads(t, d) {
			for _, r := range tab {
				switch d.Name {
				case Households:
					n, err := strconv.ParseInt(r["households"], 10, 64)
					if err != nil {
						continue
					}
					m := month(r["month"])
					a.published(t, kioskMonth{r["kiosk"], m}, r["households"])
					if r["scope"] == "合计" {
						coef := map[int]int64{}
						for km := range truth {
							if km.month == m {
								i, _ := x(km.kiosk, m)
								coef[i] = 1
							}
						}
						a.equation(coef, n)
					} else if i, ok := x(r["kiosk"], m); ok {
						a.equation(map[int]int64{i: 1}, n)
					}
				case Points, Weights:
					if n, err := strconv.Atoi(r["deposits"]); err == nil {
						km := kioskMonth{r["kiosk"], month(r["month"])}
						if d.Name == Points {
							deposits[km] = n
						} else if _, ok := deposits[km]; !ok {
							// kiosk-weights splits a kiosk-month by category.
							a.depositsByCategory(km, n)
						}
					}
				case Freshness:
					if n, err := strconv.Atoi(r["records"]); err == nil {
						records[r["kiosk"]] = n
					}
				}
			}
		}
		// A chart may show no household figure the table does not.
		if d.Name == Households {
			a.chartsShowNothingMore(t, d)
		}
	}
	for km, n := range deposits {
		if i, ok := x(km.kiosk, km.month); ok {
			a.bound(i, n)
		}
	}
	for km, n := range a.catDeposits {
		if i, ok := x(km.kiosk, km.month); ok {
			a.bound(i, n)
		}
	}
	a.catDeposits = nil
	// Stored records less the published deposits of a kiosk's other
	// months bound its one month without published deposits.
	for kiosk, n := range records {
		var missing []string
		for km := range truth {
			if km.kiosk != kiosk {
				continue
			}
			if d, ok := deposits[km]; ok {
				n -= d
			} else {
				missing = append(missing, km.month)
			}
		}
		if len(missing) == 1 {
			if i, ok := x(kiosk, missing[0]); ok {
				a.bound(i, n)
			}
		}
	}
}

// published checks that a household figure, once published, is never
// undone nor changed by a later build.
func (a *attacker) published(t *testing.T, km kioskMonth, v string) {
	t.Helper()
	if old := a.shown[km]; old != "" && old != v {
		t.Fatalf("build %d publishes %s %s = %q, an earlier build %s", a.builds, km.kiosk, km.month, v, old)
	}
	if v != "" {
		a.shown[km] = v
	}
}

func (a *attacker) depositsByCategory(km kioskMonth, n int) {
	if a.catDeposits == nil {
		a.catDeposits = map[kioskMonth]int{}
	}
	a.catDeposits[km] += n
}

func (a *attacker) chartsShowNothingMore(t *testing.T, d *dataset.Dataset) {
	t.Helper()
	published := map[string]bool{}
	col := d.Column("households")
	for i := range d.Rows {
		if !col.Null(i) {
			published[col.Format(i)] = true
		}
	}
	charts, errs := chart.FromDataset(d)
	if err := errs.Err(); err != nil {
		t.Fatal(err)
	}
	for _, c := range charts {
		for _, r := range c.Table.Rows {
			for j, v := range r {
				if _, err := strconv.Atoi(strings.ReplaceAll(v, ",", "")); j > 0 && err == nil && !published[v] {
					t.Fatalf("chart %q shows %q, which is no published household count (%v)", c.Title, v, r)
				}
			}
		}
	}
}

// solve eliminates the system exactly and then narrows every unknown's
// range (at least 1 household, at most its deposits) through every row
// until nothing changes. It returns the counts below 10 it pins down.
func (a *attacker) solve() []string {
	n := len(a.names)
	rows := a.rows
	for i := range rows {
		for len(rows[i]) < n+1 {
			rhs := rows[i][len(rows[i])-1]
			rows[i] = append(rows[i][:len(rows[i])-1], new(big.Rat), rhs)
		}
	}
	// Reduced row echelon form.
	r := 0
	for c := 0; c < n && r < len(rows); c++ {
		p := -1
		for i := r; i < len(rows); i++ {
			if rows[i][c].Sign() != 0 {
				p = i
				break
			}
		}
		if p < 0 {
			continue
		}
		rows[r], rows[p] = rows[p], rows[r]
		inv := new(big.Rat).Inv(rows[r][c])
		for j := range rows[r] {
			rows[r][j].Mul(rows[r][j], inv)
		}
		for i := range rows {
			if i == r || rows[i][c].Sign() == 0 {
				continue
			}
			f := new(big.Rat).Set(rows[i][c])
			for j := range rows[i] {
				rows[i][j].Sub(rows[i][j], new(big.Rat).Mul(f, rows[r][j]))
			}
		}
		r++
	}
	lo := make([]*big.Rat, n)
	hi := make([]*big.Rat, n)
	for i := range n {
		lo[i] = big.NewRat(1, 1)
		hi[i] = big.NewRat(1<<40, 1)
		if h, ok := a.hi[i]; ok {
			hi[i].SetInt64(int64(h))
		}
	}
	for range 50 {
		changed := false
		for _, row := range rows[:r] {
			for i := range n {
				if row[i].Sign() == 0 {
					continue
				}
				// row[i]·x_i = rhs - Σ row[j]·x_j: bound the sum.
				sumLo, sumHi := new(big.Rat).Set(row[n]), new(big.Rat).Set(row[n])
				for j := range n {
					if j == i || row[j].Sign() == 0 {
						continue
					}
					if row[j].Sign() > 0 {
						sumLo.Sub(sumLo, new(big.Rat).Mul(row[j], hi[j]))
						sumHi.Sub(sumHi, new(big.Rat).Mul(row[j], lo[j]))
					} else {
						sumLo.Sub(sumLo, new(big.Rat).Mul(row[j], lo[j]))
						sumHi.Sub(sumHi, new(big.Rat).Mul(row[j], hi[j]))
					}
				}
				inv := new(big.Rat).Inv(row[i])
				l, h := sumLo.Mul(sumLo, inv), sumHi.Mul(sumHi, inv)
				if row[i].Sign() < 0 {
					l, h = h, l
				}
				if l.Cmp(lo[i]) > 0 {
					lo[i], changed = ceil(l), true
				}
				if h.Cmp(hi[i]) < 0 {
					hi[i], changed = floor(h), true
				}
			}
		}
		if !changed {
			break
		}
	}
	var leaks []string
	for i, u := range a.names {
		if u.count < kiosklog.DefaultMinHouseholds && lo[i].Cmp(hi[i]) == 0 && lo[i].Cmp(big.NewRat(int64(u.count), 1)) == 0 {
			leaks = append(leaks, fmt.Sprintf("%s %s = %d", u.kiosk, u.month, u.count))
		}
	}
	slices.Sort(leaks)
	return slices.Compact(leaks)
}

func floor(r *big.Rat) *big.Rat {
	q := new(big.Int).Div(r.Num(), r.Denom()) // Euclidean: floor for a positive denominator
	return new(big.Rat).SetInt(q)
}

func ceil(r *big.Rat) *big.Rat {
	f := floor(r)
	if f.Cmp(r) < 0 {
		f.Add(f, big.NewRat(1, 1))
	}
	return f
}
