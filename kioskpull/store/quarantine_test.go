package store

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gongjian/gen/kiosklog"
)

func TestImpossibleTime(t *testing.T) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		t    time.Time
		want string // part of the reason, "" for a possible time
	}{
		{time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC), ""},
		{time.Date(2020, 1, 1, 0, 0, 0, 0, kiosklog.Location), ""},
		{now.Add(23 * time.Hour), ""},
		{now.Add(25 * time.Hour), "ahead of this computer's clock"},
		{time.Unix(0, 0), "before 2020-01-01"},
		{time.Unix(253402300800, 0), "year 10000"},
		{time.Date(2019, 12, 31, 23, 59, 0, 0, kiosklog.Location), "before"},
	} {
		got := ImpossibleTime(tt.t, now)
		if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
			t.Errorf("ImpossibleTime(%v) = %q, want %q", tt.t, got, tt.want)
		}
	}
}

// TestCommitQuarantines: records with impossible times never reach the
// files the site reads, are kept in the quarantine folder, and count as
// received (a second commit of them is a duplicate).
func TestCommitQuarantines(t *testing.T) {
	dir := t.TempDir()
	s, _ := Open(dir)
	s.Now = func() time.Time { return time.Date(2026, 3, 1, 0, 0, 0, 0, kiosklog.Location) }
	future, zero, far := rec(1, 2), rec(1, 3), rec(1, 4)
	future.Time = time.Date(2026, 3, 5, 0, 0, 0, 0, kiosklog.Location)
	zero.Time = time.Unix(0, 0)
	far.Time = time.Unix(253402300800, 0)
	recs := []kiosklog.Record{rec(1, 1), future, zero, far, rec(1, 5)}
	res, err := s.Commit(recs)
	if err != nil {
		t.Fatal(err)
	}
	if res.Added != 2 || res.Quarantined != 3 || len(res.Reasons) != 3 || len(res.Files) != 2 {
		t.Fatalf("Commit = %+v", res)
	}
	got, err := kiosklog.ReadStore(os.DirFS(dir), ".")
	if err != nil || len(got) != 2 || got[0].Seq != 1 || got[1].Seq != 5 {
		t.Errorf("site's view of the store = %v, %v", got, err)
	}
	q, err := ReadQuarantineFile(filepath.Join(dir, res.Files[1]))
	if err != nil || len(q) != 3 || q[2].Time != 253402300800 || !strings.Contains(q[0].Reason, "ahead") {
		t.Errorf("quarantine file = %+v, %v", q, err)
	}
	data, _ := os.ReadFile(filepath.Join(dir, res.Files[1]))
	if !strings.Contains(string(data), rec(1, 1).Card) {
		t.Errorf("quarantine file lacks the pseudonym:\n%s", data)
	}
	s2, _ := Open(dir)
	res, err = s2.Commit(recs)
	if err != nil || res.Added != 0 || res.Quarantined != 0 || res.Duplicates != 5 {
		t.Errorf("second Commit = %+v, %v", res, err)
	}
	if miss, _ := s2.Missing("K01", 1, 1, 5); len(miss) != 0 {
		t.Errorf("Missing after quarantine = %v", miss)
	}
}
