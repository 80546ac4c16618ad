package kiosklog

import (
	"errors"
	"strings"
	"testing"

	"gongjian/gen/diag"
)

func TestReport(t *testing.T) {
	var l diag.List
	const file = "data/kiosk/K01/0001.csv"
	for i := 1; i < MaxErrors; i++ {
		if !Report(&l, file, i+1, errors.New("bad weight")) {
			t.Fatalf("Report %d of %d said stop", i, MaxErrors)
		}
	}
	if Report(&l, file, MaxErrors+1, errors.New("bad weight")) {
		t.Fatalf("Report %d said go on", MaxErrors)
	}
	if len(l) != MaxErrors+1 {
		t.Fatalf("%d problems, want %d and the last word:\n%v", len(l), MaxErrors+1, l)
	}
	first, last := l[0], l[MaxErrors]
	if first.File != file || first.Line != 2 || first.Msg != "bad weight" {
		t.Errorf("first problem %+v, want %s:2: bad weight", first, file)
	}
	if last.File != file || last.Line != 0 || last.Msg != "too many errors" {
		t.Errorf("last problem %+v, want %s: too many errors", last, file)
	}
	if msg := errOf(l).Error(); !strings.HasPrefix(msg, file+":2: bad weight\n") || !strings.HasSuffix(msg, "\n"+file+": too many errors") {
		t.Errorf("errOf(l) = %q", msg)
	}
	if errOf(nil) != nil {
		t.Error("errOf(nil) is not nil")
	}
}

// TestReadCSVStopsAtTooManyErrors: a file of bad rows reports the first
// twenty, each at its line, and says there are more.
func TestReadCSVStopsAtTooManyErrors(t *testing.T) {
	var b strings.Builder
	b.WriteString(strings.Join(Header, ",") + "\n")
	for range 50 {
		b.WriteString(strings.Repeat("x,", len(Header)-1) + "x\n")
	}
	_, err := ReadCSV(strings.NewReader(b.String()), "bad.csv")
	var l diag.List
	if !errors.As(err, &l) {
		t.Fatalf("50 bad rows read with error %v, want a diag.List", err)
	}
	if len(l) != MaxErrors+1 || l[0].File != "bad.csv" || l[0].Line != 2 || l[MaxErrors].Line != 0 || l[MaxErrors].Msg != "too many errors" {
		t.Errorf("got %d problems, first %v, last %v", len(l), l[0], l[len(l)-1])
	}
	for i, p := range l[:MaxErrors] {
		if p.Line != i+2 {
			t.Errorf("problem %d at line %d, want %d: %v", i, p.Line, i+2, p)
		}
	}
}
