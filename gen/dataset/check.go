package dataset

import (
	"fmt"
	"math"
	"strings"

	"gongjian/gen/diag"
)

// A Check is a statement the data must keep true: an expression, a
// comparison and the figure expected, such as "requests | count = 62". A
// schema (data/NAME.yaml) and content/site.yaml list them under checks:, so
// that a published fact which a new export no longer supports stops the
// build instead of quietly changing on the site.
type Check struct {
	File string // where the check is written
	Line int    // the check's own line in File
	Expr string
}

// checkQuery is a parsed check.
type checkQuery struct {
	q    *query
	op   string
	want string
}

// CheckSyntax reports whether expr is a well-formed check, without
// evaluating it.
func CheckSyntax(expr string) error {
	_, err := parseCheck(expr)
	return err
}

func parseCheck(expr string) (*checkQuery, error) {
	t, err := newTokenizer(expr)
	if err != nil {
		return nil, err
	}
	q, err := parseStages(t)
	if err != nil {
		return nil, err
	}
	if q.format != "" {
		return nil, fmt.Errorf("a check compares the figure itself: leave out \"as %s\"", q.format)
	}
	op := t.next()
	switch {
	case op == "":
		msg := "no comparison: end the check with the figure expected, e.g. requests | count = 62"
		if q.agg == "rate" && isOp(q.rate.op) {
			msg += fmt.Sprintf(" (%q was read as the rate's condition; write rate %s is not blank = %s)", q.rate.col+" "+q.rate.op+" "+q.rate.value, q.rate.col, q.rate.value)
		}
		return nil, fmt.Errorf("%s", msg)
	case !isOp(op):
		return nil, fmt.Errorf("expected a comparison (=, !=, <, <=, >, >=) after the aggregate, found %q", op)
	}
	want, err := t.word("the figure expected", op)
	if err != nil {
		return nil, err
	}
	if !t.done() {
		return nil, fmt.Errorf("unexpected %q after the figure expected", t.peek())
	}
	return &checkQuery{q: q, op: op, want: want}, nil
}

// Verify evaluates the check against sets. It returns nil when the check
// holds, and otherwise an error saying what was expected and what was
// found.
func (c Check) Verify(sets []*Dataset) error {
	cq, err := parseCheck(c.Expr)
	if err != nil {
		return err
	}
	v, err := cq.q.eval(sets)
	if err != nil {
		return err
	}
	ok, found, err := cq.holds(v)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("expected %s%s, found %s", opWords[cq.op], cq.want, found)
	}
	return nil
}

var opWords = map[string]string{"=": "", "!=": "anything but ", "<": "less than ", "<=": "at most ", ">": "more than ", ">=": "at least "}

// RunChecks verifies the checks of every dataset in sets, then extra (those
// of content/site.yaml), and reports each that does not hold at its file and
// line.
func RunChecks(sets []*Dataset, extra []Check) diag.List {
	var errs diag.List
	run := func(c Check) {
		if err := c.Verify(sets); err != nil {
			errs.Addf(c.File, c.Line, "check %q: %v", c.Expr, err)
		}
	}
	for _, d := range sets {
		for _, c := range d.Checks {
			run(c)
		}
	}
	for _, c := range extra {
		run(c)
	}
	return errs
}

// holds compares v with the figure expected. An equality is judged at the
// precision the expected figure is written with, the way prose rounds it:
// "= 91.9%" holds from 91.85% to 91.95%, "= 512万" from 5,115,000 to
// 5,125,000. The other comparisons are exact. found is v as the error
// shows it, with more precision than prose.
func (c *checkQuery) holds(v Value) (ok bool, found string, err error) {
	switch v.Kind {
	case "number", "rate":
		w, pct, err := parseNumber(c.want)
		if err != nil {
			return false, "", fmt.Errorf("the figure expected, %q, is %v", c.want, err)
		}
		got := v.Num
		percentCol := v.Column != nil && v.Column.Type == Percent
		switch {
		case v.Kind == "rate":
			if !pct {
				return false, "", fmt.Errorf("the figure is a rate: write the figure expected as a percentage, e.g. %s%%", c.want)
			}
			got *= 100
			found = FormatDecimal(got, 2, false) + "%"
		case pct && !percentCol:
			return false, "", fmt.Errorf("the figure is a number, not a rate: write the figure expected without %%")
		case percentCol:
			found = FormatDecimal(got, 2, true) + "%"
		default:
			found = FormatDecimal(got, 2, true)
		}
		return compareNumber(got, w, writtenUnit(c.want), c.op), found, nil
	case "date":
		month := v.Column != nil && v.Column.Type == Month
		w, err := parseTime(c.want, month)
		if err != nil {
			return false, "", fmt.Errorf("the figure expected, %q, is %v", c.want, err)
		}
		layout := "2006-01-02 15:04:05.999999999"
		switch {
		case month:
			layout = "2006-01"
		case v.Column != nil && v.Column.Type == Date:
			layout = "2006-01-02"
		}
		got, want := v.Time.In(Zone).Format(layout), w.In(Zone).Format(layout)
		return compareOrdered(strings.Compare(got, want), c.op), got, nil
	}
	if c.op != "=" && c.op != "!=" {
		return false, "", fmt.Errorf("the figure is text: compare it with = or !=")
	}
	return compareOrdered(strings.Compare(v.Text, c.want), c.op), fmt.Sprintf("%q", v.Text), nil
}

// writtenUnit is the value of one unit in the last digit of a figure as
// written: 1 for "62", 0.1 for "91.9%", 10,000 for "512万", 0.01万 for
// "1.25万".
func writtenUnit(s string) float64 {
	scale := 1.0
	switch {
	case strings.HasSuffix(s, "万"):
		scale = 1e4
	case strings.HasSuffix(s, "亿"):
		scale = 1e8
	}
	digits := strings.TrimRight(s, "%％万亿 ")
	if i := strings.IndexByte(digits, '.'); i >= 0 {
		return scale * math.Pow(10, -float64(len(digits)-i-1))
	}
	return scale
}

func compareNumber(got, want, unit float64, op string) bool {
	if op == "=" || op == "!=" {
		// Half a unit either side, and a hair more for binary fractions
		// (91.85 is stored as 91.8499…).
		eq := math.Abs(got-want) <= unit/2*(1+1e-9)
		return eq == (op == "=")
	}
	return compareOrdered(compareFloat(got, want), op)
}

func compareOrdered(r int, op string) bool {
	switch op {
	case "=":
		return r == 0
	case "!=":
		return r != 0
	case "<":
		return r < 0
	case "<=":
		return r <= 0
	case ">":
		return r > 0
	}
	return r >= 0
}
