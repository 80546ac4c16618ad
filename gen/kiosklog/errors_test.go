package kiosklog

import (
	"errors"
	"strings"
	"testing"
)

func TestProblems(t *testing.T) {
	p := NewProblems("data/kiosk/K01/0001.csv")
	if p.Err() != nil {
		t.Fatalf("no problems yet, Err = %v", p.Err())
	}
	for i := 1; i < maxErrors; i++ {
		if !p.Add(i+1, errors.New("bad weight")) {
			t.Fatalf("Add %d of %d said stop", i, maxErrors)
		}
	}
	if p.Add(maxErrors+1, errors.New("bad weight")) {
		t.Fatalf("Add %d said go on", maxErrors)
	}
	msg := p.Err().Error()
	lines := strings.Split(msg, "\n")
	if len(lines) != maxErrors+1 {
		t.Fatalf("%d lines, want %d problems and the last word:\n%s", len(lines), maxErrors, msg)
	}
	if lines[0] != "data/kiosk/K01/0001.csv:2: bad weight" || lines[maxErrors] != "data/kiosk/K01/0001.csv: too many errors" {
		t.Errorf("first line %q, last %q", lines[0], lines[maxErrors])
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
	if err == nil {
		t.Fatal("50 bad rows read without error")
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != maxErrors+1 || !strings.HasPrefix(lines[0], "bad.csv:2: ") || lines[maxErrors] != "bad.csv: too many errors" {
		t.Errorf("got %d lines, first %q, last %q", len(lines), lines[0], lines[len(lines)-1])
	}
}
