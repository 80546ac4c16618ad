package kiosklog

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/gocarina/gocsv"

	"gongjian/gen/diag"
)

// CellValue lists the types a Cell can hold.
type CellValue interface {
	uint32 | uint64 | int | time.Time | Category | []Span | []FileSum
}

// Cell is one typed column of a fixed CSV layout, read and written by
// gocsv through a row struct's `csv:"name"` tags. Parsing is strict (gocsv's
// own numbers accept "", "0x10" and "12.7"), and a bad value does not fail
// gocsv's decoding: gocsv would wrap the error in text about Go types and
// index chains, which staff cannot act on. The cell keeps the problem in
// Err and the reader reports it as "file:line: column "name": what".
type Cell[T CellValue] struct {
	V   T
	Err error
}

// UnmarshalCSV implements gocsv.TypeUnmarshaller.
func (c *Cell[T]) UnmarshalCSV(s string) error {
	c.Err = nil
	switch p := any(&c.V).(type) {
	case *uint32:
		n, err := strconv.ParseUint(s, 10, 32)
		if err != nil {
			c.Err = fmt.Errorf("%q is not a whole number", s)
		}
		*p = uint32(n)
	case *uint64:
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			c.Err = fmt.Errorf("%q is not a whole number", s)
		}
		*p = n
	case *int:
		n, err := strconv.Atoi(s)
		if err != nil {
			c.Err = fmt.Errorf("%q is not a whole number", s)
		}
		*p = n
	case *time.Time:
		t, err := time.Parse(TimeLayout, s)
		if err != nil {
			c.Err = fmt.Errorf("%q is not an RFC 3339 time", s)
		}
		*p = t.In(Location)
	case *Category:
		*p, c.Err = ParseCategory(s)
	case *[]Span:
		*p, c.Err = ParseSpans(s)
	case *[]FileSum:
		*p, c.Err = ParseFileSums(s)
	}
	return nil
}

// MarshalCSV implements gocsv.TypeMarshaller.
func (c Cell[T]) MarshalCSV() (string, error) {
	switch v := any(c.V).(type) {
	case uint32:
		return strconv.FormatUint(uint64(v), 10), nil
	case uint64:
		return strconv.FormatUint(v, 10), nil
	case int:
		return strconv.Itoa(v), nil
	case time.Time:
		return v.In(Location).Format(TimeLayout), nil
	case Category:
		return v.String(), nil
	case []Span:
		return FormatSpans(v), nil
	case []FileSum:
		return FormatFileSums(v), nil
	}
	return "", fmt.Errorf("kiosklog: no CSV form for %T", c.V)
}

// ColumnError returns the first non-nil error of errs as
// `column "name": what`, where names[i] names errs[i].
func ColumnError(names []string, errs ...error) error {
	for i, err := range errs {
		if err != nil {
			return fmt.Errorf("column %q: %v", names[i], err)
		}
	}
	return nil
}

// EachRow reads CSV text through gocsv's Unmarshaller into rows of type T
// (a struct with `csv` tags), using cr as given: no gocsv package-global
// setting is read or changed beyond its defaults. header checks the header
// line (the Unmarshaller holds it and the columns it could not match; it
// may rename them with RenormalizeHeaders). fn gets each row with its line
// number, or a CSV syntax error of that line with the zero row; returning
// false stops the reading. An empty input calls header with nil. The error
// returned is header's, or a *diag.Error of file name.
func EachRow[T any](cr *csv.Reader, name string, header func(um *gocsv.Unmarshaller) error, fn func(row T, line int, err error) bool) error {
	var zero T
	um, err := gocsv.NewUnmarshaller(cr, zero)
	if errors.Is(err, io.EOF) {
		return header(nil)
	}
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return diag.At(name, pe.Line, pe.Err)
		}
		return diag.At(name, 1, err)
	}
	if err := header(um); err != nil {
		return err
	}
	for {
		v, err := um.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				return diag.At(name, 0, err)
			}
			if !fn(zero, pe.Line, pe.Err) {
				return nil
			}
			if !errors.Is(pe.Err, csv.ErrFieldCount) {
				return nil // the reader cannot be trusted past broken quoting
			}
			continue
		}
		line, _ := cr.FieldPos(0)
		row, ok := v.(T)
		if !ok {
			return diag.Errorf(name, line, "gocsv returned %T, want %T", v, zero)
		}
		if !fn(row, line, nil) {
			return nil
		}
	}
}
