package store

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"gongjian/gen/kiosklog"
)

func rec(epoch uint32, seq uint64) kiosklog.Record {
	return kiosklog.Record{Kiosk: "K01", Epoch: epoch, Seq: seq, Time: time.Date(2026, 2, 1, 10, 0, 0, 0, kiosklog.Location),
		Card: "h0123456789abcdef", Category: kiosklog.Paper, Grams: 900, Points: 9}
}

func TestCommitDedupesAndResumes(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	res, err := s.Commit([]kiosklog.Record{rec(1, 1), rec(1, 2), rec(1, 3)})
	if err != nil || res.Added != 3 || res.Duplicates != 0 || len(res.Files) != 1 || res.Files[0] != filepath.Join("K01", "e1-0000000001-0000000003.csv") {
		t.Fatalf("Commit = %+v, %v", res, err)
	}
	res, err = s.Commit([]kiosklog.Record{rec(1, 3), rec(1, 4), rec(1, 4), rec(2, 1)})
	if err != nil || res.Added != 2 || res.Duplicates != 2 || len(res.Files) != 2 {
		t.Fatalf("second Commit = %+v, %v", res, err)
	}
	// A temp file left by a killed commit is cleaned up, not read.
	os.WriteFile(filepath.Join(dir, "K01", ".tmp-e1-0000000005-0000000009.csv-1"), []byte("half"), 0o644)
	s2, _ := Open(dir)
	unlock, err := s2.Lock(context.Background(), "K01")
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	for _, tt := range []struct {
		epoch uint32
		want  uint64
	}{{1, 4}, {2, 1}} {
		if last, ok, err := s2.Last("K01", tt.epoch); err != nil || !ok || last != tt.want {
			t.Errorf("Last(K01, %d) = %d, %v, %v; want %d", tt.epoch, last, ok, err, tt.want)
		}
	}
	if _, ok, _ := s2.Last("K01", 3); ok {
		t.Error("Last of an unknown epoch reports records")
	}
	if n, _ := s2.Count("K01"); n != 5 {
		t.Errorf("Count = %d, want 5", n)
	}
	if _, err := os.Stat(filepath.Join(dir, "K01", ".tmp-e1-0000000005-0000000009.csv-1")); err == nil {
		t.Error("stale temp file left in place")
	}
}

func TestCommitRefusesRawCards(t *testing.T) {
	s, _ := Open(t.TempDir())
	r := rec(1, 1)
	r.Card = "8642000012345678"
	if _, err := s.Commit([]kiosklog.Record{r}); err == nil {
		t.Error("Commit stored a raw card number")
	}
}

func TestPullFile(t *testing.T) {
	s, _ := Open(t.TempDir())
	p := kiosklog.Pull{Kiosk: "K01", LastPull: time.Date(2026, 4, 30, 17, 5, 0, 0, kiosklog.Location), Source: "pull", Epoch: 2, LastSeq: 900, Complete: true,
		Gaps: []kiosklog.Gap{{Epoch: 1, From: 1, To: 100}}}
	if err := s.WritePull(p); err != nil {
		t.Fatal(err)
	}
	got, ok, err := s.ReadPull("K01")
	if err != nil || !ok || !got.LastPull.Equal(p.LastPull) || got.LastSeq != 900 || len(got.Gaps) != 1 {
		t.Errorf("ReadPull = %+v, %v, %v", got, ok, err)
	}
}
