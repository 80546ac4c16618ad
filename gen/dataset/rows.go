package dataset

import (
	"errors"
	"time"

	"github.com/gocarina/gocsv"
)

// NewCSVReader prepares messy CSV text for gocsv, for files whose row type
// is a Go struct: it decodes the text (see ParseCSV; enc may be empty to
// detect it), finds the delimiter and the header row naming every one of
// columns, and returns a reader positioned on that header, so that
//
//	r, err := dataset.NewCSVReader(data, "", "seq", "time", "grams")
//	err = gocsv.UnmarshalCSV(r, &rows)
//
// reads a GB18030, semicolon-separated export with a title row as easily
// as a clean file. Use Number and Day as field types for messy values.
func NewCSVReader(data []byte, enc string, columns ...string) (gocsv.CSVReader, error) {
	text, _, _, err := decodeText(data, enc, false)
	if err != nil {
		return nil, err
	}
	cols := make([]*Column, len(columns))
	for i, name := range columns {
		cols[i] = &Column{Name: name}
	}
	str := string(text)
	delim, skip, _, herr := findHeaderLoose(str, cols)
	if herr != nil {
		return nil, errors.New(herr.msg)
	}
	r := newRecordReader(str, byte(delim))
	for range skip {
		if _, err := r.Read(); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// findHeaderLoose is findHeader that allows header cells beyond the named
// columns: a struct may read only some of a file's columns.
func findHeaderLoose(text string, cols []*Column) (rune, int, []*Column, *headerError) {
	m := newColumnMatcher(cols)
	for _, dl := range []rune{',', '\t', ';'} {
		r := newRecordReader(text, byte(dl))
		for i := 0; i < headerSearch; i++ {
			rec, err := r.Read()
			if err != nil {
				break
			}
			n := 0
			for _, cell := range rec {
				if m.match(trimCell(cell)) != nil {
					n++
				}
			}
			if n == len(cols) {
				return dl, i, nil, nil
			}
		}
	}
	return findHeader(text, cols, 0)
}

// Number is a float64 field for gocsv that reads values the way ParseCSV
// does: "1,234", "91.9%" (as 91.9), "512万"; a blank cell is 0.
type Number float64

// UnmarshalCSV implements gocsv.TypeUnmarshaller.
func (n *Number) UnmarshalCSV(s string) error {
	s = trimCell(s)
	if s == "" {
		*n = 0
		return nil
	}
	v, _, err := parseNumber(s)
	if err != nil {
		return errors.New(s + " is " + err.Error())
	}
	*n = Number(v)
	return nil
}

// Day is a time field for gocsv that reads 2026-03-05, 2026/3/5,
// 2026年3月5日, optionally with a time of day; a blank cell is the zero Time.
type Day struct{ time.Time }

// UnmarshalCSV implements gocsv.TypeUnmarshaller.
func (d *Day) UnmarshalCSV(s string) error {
	s = trimCell(s)
	if s == "" {
		d.Time = time.Time{}
		return nil
	}
	t, err := parseTime(s, false)
	if err != nil {
		return errors.New(s + " is " + err.Error())
	}
	d.Time = t
	return nil
}

// MarshalCSV implements gocsv.TypeMarshaller: dates at midnight as
// 2026-03-05, others with their time, in Zone.
func (d Day) MarshalCSV() (string, error) {
	if d.IsZero() {
		return "", nil
	}
	t := d.In(Zone)
	if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 {
		return t.Format("2006-01-02"), nil
	}
	return t.Format(time.RFC3339), nil
}
