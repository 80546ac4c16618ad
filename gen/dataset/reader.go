package dataset

import (
	"errors"
	"fmt"
	"io"
	"strings"
)

// Errors of the record reader; the texts match encoding/csv's.
var (
	errBareQuote = errors.New(`bare " in non-quoted-field`)
	errQuote     = errors.New(`extraneous or missing " in quoted-field`)

	errTooManyFields = fmt.Errorf("more than %d fields in one record", maxFields)
)

// recordReader splits CSV text into records with the rules of encoding/csv
// (RFC 4180: quoted fields with "" escapes and line breaks, CRLF or LF line
// ends, empty lines skipped), but without allocating per record: the text is
// one string and unquoted fields are substrings of it. It implements
// gocsv.CSVReader.
//
// Keeping the whole text alive while any field is retained is the price;
// a dataset keeps its values anyway.
type recordReader struct {
	s          string
	delim      byte
	pos        int
	line       int // line of s[pos], 1-based
	rec        []string
	fieldLines []int
	buf        []byte
}

func newRecordReader(s string, delim byte) *recordReader {
	return &recordReader{s: s, delim: delim, line: 1}
}

// RecordError is a malformed record at Line.
type RecordError struct {
	Line int
	Err  error
}

func (e *RecordError) Error() string { return e.Err.Error() }
func (e *RecordError) Unwrap() error { return e.Err }

// FieldLine is the line on which field j of the last record starts.
func (r *recordReader) FieldLine(j int) int {
	if j < len(r.fieldLines) {
		return r.fieldLines[j]
	}
	return r.line
}

// ReadAll implements gocsv.CSVReader: every remaining record, each in a
// slice of its own.
func (r *recordReader) ReadAll() ([][]string, error) {
	var all [][]string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return all, nil
		}
		if err != nil {
			return all, err
		}
		all = append(all, append([]string(nil), rec...))
	}
}

// Read returns the next record. The slice is reused by the next call. After
// a *RecordError, reading resumes at the next line.
func (r *recordReader) Read() ([]string, error) {
	s := r.s
	// Skip empty lines, as encoding/csv does.
	for {
		if r.pos >= len(s) {
			return nil, io.EOF
		}
		if s[r.pos] == '\n' {
			r.pos++
			r.line++
			continue
		}
		if s[r.pos] == '\r' && r.pos+1 < len(s) && s[r.pos+1] == '\n' {
			r.pos += 2
			r.line++
			continue
		}
		if s[r.pos] == '\r' && r.pos+1 == len(s) { // a final \r is dropped
			r.pos++
			return nil, io.EOF
		}
		break
	}
	r.rec = r.rec[:0]
	r.fieldLines = r.fieldLines[:0]
	end := strings.IndexByte(s[r.pos:], '\n')
	next := len(s)
	if end < 0 {
		end = len(s)
	} else {
		end += r.pos
		next = end + 1
	}
	line := s[r.pos:end]
	if len(line) > 0 && line[len(line)-1] == '\r' {
		line = line[:len(line)-1]
	}
	if strings.IndexByte(line, '"') < 0 {
		// The common case: no quotes, the record is this line.
		for {
			if len(r.rec) == maxFields {
				errLine := r.line
				r.pos = next
				r.line++
				return nil, &RecordError{Line: errLine, Err: errTooManyFields}
			}
			r.fieldLines = append(r.fieldLines, r.line)
			i := strings.IndexByte(line, r.delim)
			if i < 0 {
				r.rec = append(r.rec, line)
				break
			}
			r.rec = append(r.rec, line[:i])
			line = line[i+1:]
		}
		r.pos = next
		if next > end {
			r.line++
		}
		return r.rec, nil
	}
	return r.readQuoted()
}

// readQuoted reads a record that has quotes somewhere, byte by byte.
func (r *recordReader) readQuoted() ([]string, error) {
	s, d := r.s, r.delim
	fail := func(err error) ([]string, error) {
		// Resume after the line the error is on.
		if i := strings.IndexByte(s[r.pos:], '\n'); i >= 0 {
			r.pos += i + 1
		} else {
			r.pos = len(s)
		}
		errLine := r.line
		r.line++
		return nil, &RecordError{Line: errLine, Err: err}
	}
	for {
		if len(r.rec) >= maxFields {
			return fail(errTooManyFields)
		}
		r.fieldLines = append(r.fieldLines, r.line)
		if r.pos < len(s) && s[r.pos] == '"' {
			r.pos++
			r.buf = r.buf[:0]
			for {
				i := strings.IndexByte(s[r.pos:], '"')
				if i < 0 {
					// encoding/csv counts a final line break as no line.
					r.line += strings.Count(strings.TrimSuffix(s[r.pos:], "\n"), "\n")
					r.pos = len(s)
					return nil, &RecordError{Line: r.line, Err: errQuote}
				}
				chunk := s[r.pos : r.pos+i]
				r.line += strings.Count(chunk, "\n")
				r.buf = appendNormalized(r.buf, chunk)
				r.pos += i + 1
				if r.pos < len(s) && s[r.pos] == '"' { // "" is a quote
					r.buf = append(r.buf, '"')
					r.pos++
					continue
				}
				break
			}
			r.rec = append(r.rec, string(r.buf))
			switch {
			case r.pos >= len(s):
				r.line++
				return r.rec, nil
			case s[r.pos] == d:
				r.pos++
				continue
			case s[r.pos] == '\n':
				r.pos++
				r.line++
				return r.rec, nil
			case s[r.pos] == '\r' && r.pos+1 < len(s) && s[r.pos+1] == '\n':
				r.pos += 2
				r.line++
				return r.rec, nil
			case s[r.pos] == '\r' && r.pos+1 == len(s):
				r.pos++
				r.line++
				return r.rec, nil
			}
			return fail(errQuote)
		}
		// An unquoted field: up to the delimiter or the end of the line.
		start := r.pos
		for r.pos < len(s) && s[r.pos] != d && s[r.pos] != '\n' {
			if s[r.pos] == '"' {
				return fail(errBareQuote)
			}
			r.pos++
		}
		field := s[start:r.pos]
		if r.pos >= len(s) || s[r.pos] == '\n' {
			field = strings.TrimSuffix(field, "\r")
			r.rec = append(r.rec, field)
			r.pos++
			r.line++
			return r.rec, nil
		}
		r.rec = append(r.rec, field)
		r.pos++ // the delimiter
	}
}

// appendNormalized appends chunk with "\r\n" turned into "\n", as
// encoding/csv does inside quoted fields.
func appendNormalized(buf []byte, chunk string) []byte {
	for {
		i := strings.Index(chunk, "\r\n")
		if i < 0 {
			return append(buf, chunk...)
		}
		buf = append(buf, chunk[:i]...)
		buf = append(buf, '\n')
		chunk = chunk[i+2:]
	}
}
