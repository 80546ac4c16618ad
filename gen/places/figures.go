package places

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"gongjian/gen/catalog"
	"gongjian/gen/dataset"
	"gongjian/gen/kioskdata"
)

// table reads the rows of one kiosk dataset that belong to a compound.
type table struct {
	v    *catalog.DatasetView
	cols map[string]*dataset.Column
	rows []int
}

// rowsOf are the rows of v whose compound column is name (and, for the
// households table, the rows of single compounds, not the month totals).
func rowsOf(v *catalog.DatasetView, name string) *table {
	if v == nil {
		return nil
	}
	t := &table{v: v, cols: map[string]*dataset.Column{}}
	for _, c := range v.Columns {
		t.cols[c.Name] = c
	}
	comp := t.cols["compound"]
	if comp == nil || t.cols["month"] == nil || t.cols["note"] == nil {
		return nil
	}
	scope := t.cols["scope"]
	for i := range v.Rows {
		if comp.Text(i) == name && (scope == nil || scope.Text(i) != "合计") {
			t.rows = append(t.rows, i)
		}
	}
	return t
}

// cell is column col of row i: its figure, or the note that says why it
// is withheld.
func (t *table) cell(col string, i int) Cell {
	c := t.cols[col]
	if c == nil {
		return Cell{}
	}
	if !c.Null(i) {
		return Cell{Text: c.Fixed(i)}
	}
	return withheld(t.cols["note"].Text(i))
}

// withheld is a cell left out for the reason note gives: its first words,
// before the colon, say how (不公开, 统计中).
func withheld(note string) Cell {
	if note == "" {
		return Cell{}
	}
	word, _, ok := strings.Cut(note, "：")
	if !ok {
		word = note
	}
	return Cell{Withheld: word, Why: note}
}

type monthKiosk struct {
	month time.Time
	kiosk string
}

// kiosk sets the compound's kiosk figures from the households, weights
// and points datasets.
func (p *Place) kiosk(hh, wv, pv *catalog.DatasetView) {
	h, w, pt := rowsOf(hh, p.Name), rowsOf(wv, p.Name), rowsOf(pv, p.Name)
	months := map[monthKiosk]*Month{}
	row := func(t *table, i int) *Month {
		k := monthKiosk{month: t.cols["month"].Time(i)}
		if kc := t.cols["kiosk"]; kc != nil {
			k.kiosk = kc.Text(i)
		}
		m := months[k]
		if m == nil {
			m = &Month{Month: k.month, Kiosk: k.kiosk}
			months[k] = m
		}
		return m
	}
	if h != nil {
		for _, i := range h.rows {
			row(h, i).Households = h.cell("households", i)
		}
	}
	var points sum
	if pt != nil {
		for _, i := range pt.rows {
			m := row(pt, i)
			m.Points, m.Deposits = pt.cell("points", i), pt.cell("deposits", i)
			points.add(pt.cols["points"], i)
		}
	}
	// The weights table has a row per category, or one row with the note
	// when the month's figures are withheld.
	var (
		weight      sum
		byCat       = map[string]float64{}
		monthWeight = map[*Month]float64{}
	)
	if w != nil {
		wc, cat := w.cols["weight"], w.cols["category"]
		for _, i := range w.rows {
			m := row(w, i)
			if !weight.add(wc, i) {
				m.Weight = w.cell("weight", i)
				continue
			}
			monthWeight[m] += wc.Float(i)
			m.Weight = Cell{Text: dataset.FormatFixed(monthWeight[m], 1, true)}
			if cat != nil {
				byCat[cat.Text(i)] += wc.Float(i)
			}
		}
		if cat != nil {
			for _, name := range cat.Levels() {
				if v, ok := byCat[name]; ok {
					c := Category{Name: name, Weight: dataset.FormatFixed(v, 1, true)}
					if weight.total > 0 {
						// One decimal in every row, so the column lines up.
						c.Share = dataset.FormatFixed(v/weight.total*100, 1, false) + "%"
					}
					p.Categories = append(p.Categories, c)
				}
			}
		}
		if weight.any {
			p.Total = dataset.FormatFixed(weight.total, 1, true)
		}
	}
	for _, m := range months {
		p.Months = append(p.Months, *m)
	}
	slices.SortFunc(p.Months, func(a, b Month) int {
		return cmp.Or(b.Month.Compare(a.Month), cmp.Compare(a.Kiosk, b.Kiosk))
	})

	// Headline figures: totals over published rows only, up to the newest
	// month with published figures, and the households of the newest
	// closed month.
	var covered time.Time
	for _, m := range p.Months {
		if m.Weight.Text != "" && m.Month.After(covered) {
			covered = m.Month
		}
	}
	if w != nil {
		p.Figures = append(p.Figures, weight.figure("weight", "千克", covered, w.v, p.Months, func(m Month) Cell { return m.Weight }))
	}
	if pt != nil {
		p.Figures = append(p.Figures, points.figure("points", "分", covered, pt.v, p.Months, func(m Month) Cell { return m.Points }))
	}
	if h != nil && len(p.Kiosks) == 1 {
		// Shown, or withheld with its reason. Counts of two kiosks cannot
		// be added (a household may use both), so a compound with
		// several kiosks has no such figure.
		for _, m := range p.Months {
			if m.Households == (Cell{}) || (m.Households.Text == "" && kioskdata.Open(m.Households.Why)) {
				continue
			}
			p.Figures = append(p.Figures, Figure{Key: "households", Cell: m.Households, Unit: "户", AsOf: m.Month, Dataset: h.v})
			break
		}
	}
	p.number()
}

// sum adds up the published values of a column.
type sum struct {
	total float64
	any   bool
}

// add adds row i of c, and reports whether it had a value.
func (s *sum) add(c *dataset.Column, i int) bool {
	if c == nil || c.Null(i) {
		return false
	}
	s.total += c.Float(i)
	s.any = true
	return true
}

// figure is the total as a headline figure; with nothing published, the
// figure says why, as the newest withheld cell does.
func (s sum) figure(key, unit string, asOf time.Time, v *catalog.DatasetView, months []Month, cell func(Month) Cell) Figure {
	f := Figure{Key: key, Unit: unit, AsOf: asOf, Dataset: v}
	if s.any {
		f.Text = dataset.FormatCN(s.total)
		return f
	}
	for _, m := range months {
		if c := cell(m); c.Withheld != "" {
			f.Cell = c
			break
		}
	}
	return f
}

// number numbers the distinct reasons of the withheld cells, in the order
// the page shows them: headline figures, then months.
func (p *Place) number() {
	ref := func(c *Cell) {
		if c.Why == "" {
			return
		}
		i := slices.IndexFunc(p.Reasons, func(r Reason) bool { return r.Text == c.Why })
		if i < 0 {
			i = len(p.Reasons)
			p.Reasons = append(p.Reasons, Reason{N: i + 1, Text: c.Why})
		}
		c.Ref = i + 1
	}
	for i := range p.Figures {
		ref(&p.Figures[i].Cell)
	}
	for i := range p.Months {
		m := &p.Months[i]
		for _, c := range []*Cell{&m.Households, &m.Weight, &m.Points, &m.Deposits} {
			ref(c)
		}
	}
}

// kioskSets are the datasets kioskdata makes: their figures are the
// compound's kiosk figures.
var kioskSets = map[string]bool{kioskdata.Weights: true, kioskdata.Points: true, kioskdata.Households: true, kioskdata.Freshness: true}

// others are the rows of datasets other than the kiosk ones that have a
// compound column naming the compound, as the dataset's preview shows
// them, without the compound and sample_name columns.
func others(views []*catalog.DatasetView, name string) []Rows {
	var out []Rows
	for _, v := range views {
		comp := v.Column("compound")
		if kioskSets[v.Name] || comp == nil || comp.Name != "compound" {
			continue
		}
		var keep []int
		t := &catalog.PreviewPage{From: 1}
		for j, c := range v.Columns {
			if c != comp && c.Name != "sample_name" {
				keep = append(keep, j)
				t.Header = append(t.Header, catalog.ColumnHeader(c))
			}
		}
		for i := range v.Rows {
			if comp.Text(i) != name {
				continue
			}
			t.Total++
			if len(t.Rows) == maxOtherRows {
				t.Capped = true
				continue
			}
			cells := v.Page(i, i+1)[0]
			row := make([]dataset.Cell, len(keep))
			for k, j := range keep {
				row[k] = cells[j]
			}
			t.Rows = append(t.Rows, row)
		}
		t.To = len(t.Rows)
		if len(t.Rows) > 0 && len(keep) > 0 {
			out = append(out, Rows{Dataset: v, Table: t})
		}
	}
	return out
}
