package dataset

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// ErrWithheld is wrapped by Eval when rows match but every one of their
// values is blank: the figures exist but are not published (yet), as
// opposed to a filter that matches nothing.
var ErrWithheld = errors.New("every matching value is blank (withheld)")

// A Value is the result of an expression before formatting.
type Value struct {
	Kind   string    // "number", "rate" (Num is a fraction), "date" or "text"
	Num    float64   // for number and rate
	Time   time.Time // for date
	Text   string    // for text
	Column *Column   // the aggregated column, if any (for its unit and type)
}

// Eval evaluates expr (see the package documentation) against sets and
// returns the figure formatted for Chinese prose.
func Eval(sets []*Dataset, expr string) (string, error) {
	q, err := parseQuery(expr)
	if err != nil {
		return "", err
	}
	v, err := q.eval(sets)
	if err != nil {
		return "", err
	}
	return v.format(q.format)
}

// EvalValue evaluates expr and returns the unformatted result.
func EvalValue(sets []*Dataset, expr string) (Value, error) {
	q, err := parseQuery(expr)
	if err != nil {
		return Value{}, err
	}
	return q.eval(sets)
}

var aggregates = []string{"count", "sum", "avg", "median", "min", "max", "first", "last", "distinct", "rate", "change", "drop"}

var formats = []string{"cn", "exact", "percent", "int", "1dp", "2dp"}

type cond struct {
	col   string
	op    string // = != < <= > >= blank notblank
	value string
}

type query struct {
	dataset string
	filters []cond
	agg     string // one of aggregates
	col     string
	days    [2]string // for "days A to B"
	rate    *cond
	format  string
}

type tokenizer struct {
	toks []string
	pos  int
}

func tokenize(s string) ([]string, error) {
	var toks []string
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n':
			i++
		case c == '|':
			toks = append(toks, "|")
			i++
		case c == '"' || c == '\'':
			j := strings.IndexByte(s[i+1:], c)
			if j < 0 {
				return nil, fmt.Errorf("unterminated quote in %q", s[i:])
			}
			toks = append(toks, s[i:i+j+2])
			i += j + 2
		case c == '=' || c == '!' || c == '<' || c == '>':
			if i+1 < len(s) && s[i+1] == '=' {
				toks = append(toks, s[i:i+2])
				i += 2
			} else if c == '!' {
				return nil, fmt.Errorf(`"!" must be followed by "="`)
			} else {
				toks = append(toks, s[i:i+1])
				i++
			}
		default:
			j := i
			for j < len(s) && !strings.ContainsRune(" \t\n|\"'=!<>", rune(s[j])) {
				j++
			}
			// ideographic spaces are separators too
			w := s[i:j]
			if k := strings.Index(w, "\u3000"); k >= 0 {
				j = i + k
				w = s[i:j]
				toks = append(toks, w)
				i = j + len("\u3000")
				continue
			}
			toks = append(toks, w)
			i = j
		}
	}
	return toks, nil
}

func (t *tokenizer) peek() string {
	if t.pos < len(t.toks) {
		return t.toks[t.pos]
	}
	return ""
}

func (t *tokenizer) next() string {
	s := t.peek()
	if t.pos < len(t.toks) {
		t.pos++
	}
	return s
}

func (t *tokenizer) done() bool { return t.pos >= len(t.toks) }

// word takes a name or value: a bare word or a quoted string (unquoted).
func (t *tokenizer) word(what, after string) (string, error) {
	w := t.next()
	switch {
	case w == "" || w == "|" || isOp(w):
		if w == "" {
			return "", fmt.Errorf("expected %s after %q, found the end", what, after)
		}
		return "", fmt.Errorf("expected %s after %q, found %q", what, after, w)
	case w[0] == '"' || w[0] == '\'':
		return w[1 : len(w)-1], nil
	}
	return w, nil
}

func isOp(s string) bool {
	switch s {
	case "=", "!=", "<", "<=", ">", ">=":
		return true
	}
	return false
}

func parseQuery(expr string) (*query, error) {
	t, err := newTokenizer(expr)
	if err != nil {
		return nil, err
	}
	q, err := parseStages(t)
	if err != nil {
		return nil, err
	}
	if !t.done() {
		return nil, fmt.Errorf("unexpected %q after the aggregate", t.peek())
	}
	return q, nil
}

func newTokenizer(expr string) (*tokenizer, error) {
	toks, err := tokenize(expr)
	if err != nil {
		return nil, err
	}
	if len(toks) == 0 {
		return nil, fmt.Errorf("empty expression: want DATASET | AGGREGATE, e.g. requests | count")
	}
	return &tokenizer{toks: toks}, nil
}

// parseStages parses an expression up to and including its format, leaving
// whatever follows (a check's comparison) in t.
func parseStages(t *tokenizer) (*query, error) {
	var err error
	q := &query{}
	if q.dataset, err = t.word("a dataset name", "start"); err != nil {
		return nil, err
	}
	for {
		if t.done() {
			return nil, fmt.Errorf("no aggregate: end the expression with | count, | sum COLUMN, | rate COLUMN, …")
		}
		if sep := t.next(); sep != "|" {
			return nil, fmt.Errorf("expected \"|\", found %q", sep)
		}
		stage := t.next()
		switch {
		case stage == "where":
			cs, err := parseConds(t, "where")
			if err != nil {
				return nil, err
			}
			q.filters = append(q.filters, cs...)
			continue
		case slices.Contains(aggregates, stage):
			if err := parseAggregate(t, q, stage); err != nil {
				return nil, err
			}
		case stage == "":
			return nil, fmt.Errorf("expected a stage after \"|\", found the end")
		default:
			return nil, fmt.Errorf("unknown stage %q: want where or one of %s", stage, strings.Join(aggregates, ", "))
		}
		break
	}
	if t.peek() == "where" {
		t.next()
		cs, err := parseConds(t, "where")
		if err != nil {
			return nil, err
		}
		q.filters = append(q.filters, cs...)
	}
	if t.peek() == "as" {
		t.next()
		q.format = t.next()
		if !slices.Contains(formats, q.format) {
			return nil, fmt.Errorf("unknown format %q after \"as\": want one of %s", q.format, strings.Join(formats, ", "))
		}
	}
	return q, nil
}

func parseAggregate(t *tokenizer, q *query, agg string) error {
	q.agg = agg
	var err error
	switch agg {
	case "count":
	case "rate":
		cs, err := parseCond(t, "rate")
		if err != nil {
			return err
		}
		q.rate = &cs
	case "change", "drop":
		if q.days[0], err = t.word("a numeric column", agg); err != nil {
			return err
		}
		if to := t.next(); to != "to" {
			return fmt.Errorf("expected \"to\" after %s %s, found %q", agg, q.days[0], to)
		}
		q.days[1], err = t.word("a numeric column", "to")
		return err
	default:
		if t.peek() == "days" && slices.Contains([]string{"avg", "median", "min", "max"}, agg) {
			t.next()
			if q.days[0], err = t.word("a date column", "days"); err != nil {
				return err
			}
			if to := t.next(); to != "to" {
				return fmt.Errorf("expected \"to\" after days %s, found %q", q.days[0], to)
			}
			q.days[1], err = t.word("a date column", "to")
			return err
		}
		q.col, err = t.word("a column", agg)
	}
	return err
}

func parseConds(t *tokenizer, after string) ([]cond, error) {
	var cs []cond
	for {
		c, err := parseCond(t, after)
		if err != nil {
			return nil, err
		}
		cs = append(cs, c)
		if t.peek() != "and" {
			return cs, nil
		}
		after = t.next()
	}
}

func parseCond(t *tokenizer, after string) (cond, error) {
	var c cond
	var err error
	if c.col, err = t.word("a column", after); err != nil {
		return c, err
	}
	switch op := t.peek(); {
	case isOp(op):
		t.next()
		c.op = op
		c.value, err = t.word("a value", c.col+" "+op)
	case op == "is":
		t.next()
		c.op = "blank"
		if t.peek() == "not" {
			t.next()
			c.op = "notblank"
		}
		if w := t.next(); w != "blank" {
			return c, fmt.Errorf("expected \"blank\" after %q, found %q", c.col+" is", w)
		}
	default:
		// A bare column: "rate resolved" means rows where it has a value.
		c.op = "notblank"
	}
	return c, err
}

func (q *query) eval(sets []*Dataset) (Value, error) {
	var d *Dataset
	names := make([]string, len(sets))
	for i, s := range sets {
		names[i] = s.Name
		if s.Name == q.dataset {
			d = s
		}
	}
	if d == nil {
		slices.Sort(names)
		return Value{}, fmt.Errorf("no dataset %q (datasets: %s)", q.dataset, strings.Join(names, ", "))
	}
	rows := make([]int, 0, d.Rows)
	preds := make([]func(int) bool, len(q.filters))
	for i, c := range q.filters {
		p, err := predicate(d, c)
		if err != nil {
			return Value{}, err
		}
		preds[i] = p
	}
	for i := 0; i < d.Rows; i++ {
		ok := true
		for _, p := range preds {
			if !p(i) {
				ok = false
				break
			}
		}
		if ok {
			rows = append(rows, i)
		}
	}
	switch q.agg {
	case "count":
		return Value{Kind: "number", Num: float64(len(rows))}, nil
	case "rate":
		p, err := predicate(d, *q.rate)
		if err != nil {
			return Value{}, err
		}
		if len(rows) == 0 {
			return Value{}, fmt.Errorf("rate over no rows")
		}
		n := 0
		for _, i := range rows {
			if p(i) {
				n++
			}
		}
		return Value{Kind: "rate", Num: float64(n) / float64(len(rows))}, nil
	case "distinct":
		c, err := column(d, q.col)
		if err != nil {
			return Value{}, err
		}
		seen := map[string]bool{}
		for _, i := range rows {
			if !c.Null(i) {
				seen[c.Text(i)] = true
			}
		}
		return Value{Kind: "number", Num: float64(len(seen))}, nil
	}
	if q.agg == "change" || q.agg == "drop" {
		var sums [2]float64
		for k, name := range q.days {
			c, err := column(d, name)
			if err != nil {
				return Value{}, err
			}
			if !c.Numeric() {
				return Value{}, fmt.Errorf("%s needs numeric columns; %q is %s", q.agg, c.Name, c.Type)
			}
			for _, i := range rows {
				if !c.Null(i) {
					sums[k] += c.Float(i)
				}
			}
		}
		if sums[0] == 0 {
			return Value{}, fmt.Errorf("%s: the total of %s is 0", q.agg, q.days[0])
		}
		v := (sums[1] - sums[0]) / sums[0]
		if q.agg == "drop" {
			v = -v
		}
		return Value{Kind: "rate", Num: v}, nil
	}
	if q.days[0] != "" {
		a, err := dateColumn(d, q.days[0])
		if err != nil {
			return Value{}, err
		}
		b, err := dateColumn(d, q.days[1])
		if err != nil {
			return Value{}, err
		}
		var xs []float64
		for _, i := range rows {
			if !a.Null(i) && !b.Null(i) {
				xs = append(xs, daysBetween(a, b, i))
			}
		}
		v, err := reduce(q.agg, xs)
		return Value{Kind: "number", Num: v}, err
	}
	c, err := column(d, q.col)
	if err != nil {
		return Value{}, err
	}
	var present []int
	for _, i := range rows {
		if !c.Null(i) {
			present = append(present, i)
		}
	}
	if len(rows) > 0 && len(present) == 0 {
		return Value{}, fmt.Errorf("%s %s: %w", q.agg, c.Name, ErrWithheld)
	}
	switch {
	case c.Numeric():
		xs := make([]float64, len(present))
		for k, i := range present {
			xs[k] = c.Float(i)
		}
		v, err := reduce(q.agg, xs)
		return Value{Kind: "number", Num: v, Column: c}, err
	case q.agg == "first" || q.agg == "last" || (c.Temporal() && (q.agg == "min" || q.agg == "max")):
		if len(present) == 0 {
			return Value{}, fmt.Errorf("%s %s: no rows with a value", q.agg, c.Name)
		}
		i := present[0]
		if q.agg == "last" {
			i = present[len(present)-1]
		}
		if c.Temporal() {
			if q.agg == "min" || q.agg == "max" {
				for _, j := range present {
					if (q.agg == "min") == c.Time(j).Before(c.Time(i)) {
						i = j
					}
				}
			}
			return Value{Kind: "date", Time: c.Time(i), Column: c}, nil
		}
		return Value{Kind: "text", Text: c.Text(i), Column: c}, nil
	}
	return Value{}, fmt.Errorf("%s needs a numeric column; %q is %s", q.agg, c.Name, c.Type)
}

// daysBetween is the days from a to b in row i, exact over the whole range
// of dates (a time.Duration holds only 292 years).
func daysBetween(a, b *Column, i int) float64 {
	as, an := a.Unix(i)
	bs, bn := b.Unix(i)
	return (float64(bs-as) + float64(bn-an)/1e9) / 86400
}

func reduce(agg string, xs []float64) (float64, error) {
	if agg == "sum" {
		s := 0.0
		for _, x := range xs {
			s += x
		}
		return s, nil
	}
	if len(xs) == 0 {
		return 0, fmt.Errorf("%s over no values", agg)
	}
	switch agg {
	case "avg":
		s := 0.0
		for _, x := range xs {
			s += x
		}
		return s / float64(len(xs)), nil
	case "median":
		return Median(xs), nil
	case "min":
		return slices.Min(xs), nil
	case "max":
		return slices.Max(xs), nil
	case "first":
		return xs[0], nil
	case "last":
		return xs[len(xs)-1], nil
	}
	return 0, fmt.Errorf("unknown aggregate %q", agg)
}

// Median is the middle value of xs (the mean of the two middle ones when
// their number is even), xs left as they are; 0 for none.
func Median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	ys := slices.Clone(xs)
	slices.Sort(ys)
	n := len(ys)
	if n%2 == 1 {
		return ys[n/2]
	}
	return (ys[n/2-1] + ys[n/2]) / 2
}

func column(d *Dataset, name string) (*Column, error) {
	if c := d.Column(name); c != nil {
		return c, nil
	}
	names := make([]string, len(d.Columns))
	for i, c := range d.Columns {
		names[i] = c.Name
	}
	return nil, fmt.Errorf("no column %q in %s (columns: %s)", name, d.Name, ShortList(names))
}

func dateColumn(d *Dataset, name string) (*Column, error) {
	c, err := column(d, name)
	if err == nil && !c.Temporal() {
		err = fmt.Errorf("days needs date columns; %q is %s", c.Name, c.Type)
	}
	return c, err
}

// predicate compiles a condition against d's columns.
func predicate(d *Dataset, cd cond) (func(int) bool, error) {
	c, err := column(d, cd.col)
	if err != nil {
		return nil, err
	}
	switch cd.op {
	case "blank":
		return c.Null, nil
	case "notblank":
		return func(i int) bool { return !c.Null(i) }, nil
	}
	var cmp func(i int) int
	switch {
	case c.Numeric():
		v, _, err := parseNumber(cd.value)
		if err != nil {
			return nil, fmt.Errorf("%s %s %q: %q is %v", cd.col, cd.op, cd.value, cd.value, err)
		}
		cmp = func(i int) int { return compareFloat(c.Float(i), v) }
	case c.Temporal():
		t, err := parseTime(cd.value, c.Type == Month)
		if err != nil {
			return nil, fmt.Errorf("%s %s %q: %q is %v", cd.col, cd.op, cd.value, cd.value, err)
		}
		cmp = func(i int) int { return c.Time(i).Compare(t) }
	default:
		if cd.op != "=" && cd.op != "!=" {
			return nil, fmt.Errorf("%s %s %q: column %q is %s; compare text with = or !=", cd.col, cd.op, cd.value, c.Name, c.Type)
		}
		if c.Type == Category && !slices.Contains(c.levels, cd.value) {
			return nil, fmt.Errorf("%s %s %q: no row has %q (values: %s)", cd.col, cd.op, cd.value, cd.value, ShortList(c.levels))
		}
		cmp = func(i int) int { return strings.Compare(c.Text(i), cd.value) }
	}
	op := cd.op
	return func(i int) bool {
		if c.Null(i) {
			return false
		}
		return compareOrdered(cmp(i), op)
	}, nil
}

func compareFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func (v Value) format(f string) (string, error) {
	switch v.Kind {
	case "text":
		if f != "" {
			return "", fmt.Errorf("format %q does not apply to text", f)
		}
		return Truncate(v.Text, CellChars), nil // a figure in prose, not the record
	case "date":
		if f != "" {
			return "", fmt.Errorf("format %q does not apply to a date", f)
		}
		t := v.Time.In(Zone)
		if v.Column != nil && v.Column.Type == Month {
			return fmt.Sprintf("%d年%d月", t.Year(), t.Month()), nil
		}
		return fmt.Sprintf("%d年%d月%d日", t.Year(), t.Month(), t.Day()), nil
	case "rate":
		switch f {
		case "", "percent", "cn":
			return FormatPercent(v.Num), nil
		case "int":
			return FormatDecimal(v.Num*100, 0, false) + "%", nil
		case "2dp":
			return FormatDecimal(v.Num*100, 2, false) + "%", nil
		case "1dp":
			return FormatDecimal(v.Num*100, 1, false) + "%", nil
		}
		return "", fmt.Errorf("format %q does not apply to a rate", f)
	}
	suffix := ""
	if v.Column != nil && v.Column.Type == Percent {
		suffix = "%"
	}
	if math.IsNaN(v.Num) || math.IsInf(v.Num, 0) {
		return "", fmt.Errorf("result is not a number")
	}
	switch f {
	case "", "cn":
		if v.Column != nil && v.Column.Type == Year {
			return FormatDecimal(v.Num, 0, false), nil
		}
		return FormatCN(v.Num) + suffix, nil
	case "exact":
		return FormatDecimal(v.Num, 2, true) + suffix, nil
	case "percent":
		return FormatPercent(v.Num), nil
	case "int":
		return FormatDecimal(v.Num, 0, false) + suffix, nil
	case "1dp":
		return FormatDecimal(v.Num, 1, false) + suffix, nil
	}
	return FormatDecimal(v.Num, 2, false) + suffix, nil
}

// Where returns the indices of the rows of d that meet cond, written as
// after "where" in an expression ("status = 已解决 and received >= 2026-03-01");
// every row when cond is blank.
func (d *Dataset) Where(cond string) ([]int, error) {
	var preds []func(int) bool
	if strings.TrimSpace(cond) != "" {
		toks, err := tokenize(cond)
		if err != nil {
			return nil, err
		}
		t := &tokenizer{toks: toks}
		cs, err := parseConds(t, "where")
		if err != nil {
			return nil, err
		}
		if !t.done() {
			return nil, fmt.Errorf("unexpected %q in condition %q", t.peek(), cond)
		}
		for _, c := range cs {
			p, err := predicate(d, c)
			if err != nil {
				return nil, err
			}
			preds = append(preds, p)
		}
	}
	rows := make([]int, 0, d.Rows)
next:
	for i := 0; i < d.Rows; i++ {
		for _, p := range preds {
			if !p(i) {
				continue next
			}
		}
		rows = append(rows, i)
	}
	return rows, nil
}
