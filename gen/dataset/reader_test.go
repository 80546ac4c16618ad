package dataset

import (
	"encoding/csv"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
)

// csvRecords reads s with encoding/csv, the reference for recordReader.
func csvRecords(s string, delim rune) ([][]string, []int, error) {
	r := csv.NewReader(strings.NewReader(s))
	r.Comma = delim
	r.FieldsPerRecord = -1
	var recs [][]string
	var lines []int
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return recs, lines, nil
		}
		if err != nil {
			return nil, nil, err
		}
		recs = append(recs, rec)
		for j := range rec {
			l, _ := r.FieldPos(j)
			lines = append(lines, l)
		}
	}
}

func ourRecords(s string, delim byte) ([][]string, []int, error) {
	r := newRecordReader(s, delim)
	var recs [][]string
	var lines []int
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return recs, lines, nil
		}
		if err != nil {
			return nil, nil, err
		}
		recs = append(recs, append([]string(nil), rec...))
		for j := range rec {
			lines = append(lines, r.FieldLine(j))
		}
	}
}

func TestRecordReader(t *testing.T) {
	inputs := []string{
		"a,b,c\n1,2,3\n",
		"a,b\r\n1,2\r\n\r\n\n3,4",
		"\"a,b\",\"c\"\"d\"\n\"x\ny\",z\n",
		"\"multi\r\nline\",2\r\nnext,3\r\n",
		"a,,\n,,\n",
		"  ,\" \"\n",
		"\"\"\n",
		"a\rb,c\n",
		"a;b;\"c;d\"\n",
		"x\n\"a\"b\n",
		"x\na\"b\n",
		"\"open\n",
		"end,\"q\"",
	}
	for _, in := range inputs {
		want, wantLines, wantErr := csvRecords(in, ',')
		got, gotLines, gotErr := ourRecords(in, ',')
		if (wantErr == nil) != (gotErr == nil) || !reflect.DeepEqual(got, want) || !reflect.DeepEqual(gotLines, wantLines) {
			t.Errorf("records of %q = %q %v %v, want (encoding/csv) %q %v %v", in, got, gotLines, gotErr, want, wantLines, wantErr)
		}
		if wantErr != nil && gotErr != nil {
			var pe *csv.ParseError
			var re *RecordError
			if errors.As(wantErr, &pe) && errors.As(gotErr, &re) && (pe.Err.Error() != re.Err.Error() || pe.Line != re.Line) {
				t.Errorf("error of %q = line %d %v, want line %d %v", in, re.Line, re.Err, pe.Line, pe.Err)
			}
		}
	}
}

// FuzzRecordReader checks recordReader against encoding/csv on any input
// encoding/csv accepts.
func FuzzRecordReader(f *testing.F) {
	f.Add("a,b\r\n\"1,\"\"2\"\"\n3\",4\n\n")
	f.Add("x;y\n1;2")
	f.Fuzz(func(t *testing.T, in string) {
		want, wantLines, wantErr := csvRecords(in, ',')
		if wantErr != nil {
			return
		}
		got, gotLines, gotErr := ourRecords(in, ',')
		if gotErr != nil || !reflect.DeepEqual(got, want) || !reflect.DeepEqual(gotLines, wantLines) {
			t.Errorf("records of %q = %q %v %v, want %q %v", in, got, gotLines, gotErr, want, wantLines)
		}
	})
}
