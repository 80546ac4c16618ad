package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"gongjian/gen/kiosklog"
)

// writeBatch writes recs as a batch file under the given name, bypassing
// the store, as a writer without a lock or a hand edit would.
func writeRaw(t *testing.T, dir, name string, recs []kiosklog.Record) {
	t.Helper()
	var buf bytes.Buffer
	if err := kiosklog.WriteCSV(&buf, recs); err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Join(dir, "K01"), 0o755)
	if err := os.WriteFile(filepath.Join(dir, "K01", name), buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func recs(epoch uint32, from, to uint64) []kiosklog.Record {
	var out []kiosklog.Record
	for seq := from; seq <= to; seq++ {
		r := rec(epoch, seq)
		r.Grams = 100 + int(seq)
		out = append(out, r)
	}
	return out
}

func kinds(rep Report) []ProblemKind {
	var ks []ProblemKind
	for _, p := range rep.Problems {
		ks = append(ks, p.Kind)
	}
	slices.Sort(ks)
	return ks
}

func verify(t *testing.T, dir string, repair bool) Report {
	t.Helper()
	s, _ := Open(dir)
	s.Now = func() time.Time { return time.Date(2026, 12, 1, 0, 0, 0, 0, kiosklog.Location) }
	rep, err := s.Verify(context.Background(), repair, "staff@laptop")
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func TestVerifySound(t *testing.T) {
	dir := t.TempDir()
	s, _ := Open(dir)
	s.Commit(recs(1, 1, 20))
	s.Commit(recs(1, 21, 30))
	rep := verify(t, dir, false)
	if len(rep.Problems) != 0 || len(rep.Holes) != 0 || rep.Records != 30 || rep.Files != 2 || rep.Kiosks != 1 {
		t.Errorf("Verify of a sound store = %+v", rep)
	}
}

// TestVerifyRepairsDuplicates: two writers without a lock stored the same
// records in overlapping files. Repair leaves each record exactly once and
// loses none; a second repair finds nothing.
func TestVerifyRepairsDuplicates(t *testing.T) {
	dir := t.TempDir()
	writeRaw(t, dir, kiosklog.BatchFileName(1, 1, 50), recs(1, 1, 50))
	writeRaw(t, dir, kiosklog.BatchFileName(1, 31, 80), recs(1, 31, 80))
	writeRaw(t, dir, kiosklog.BatchFileName(1, 40, 45), recs(1, 40, 45))
	if _, err := kiosklog.ReadStore(os.DirFS(dir), "."); err == nil {
		t.Fatal("the doubled store reads without error")
	}
	rep := verify(t, dir, false)
	if person, repairable := rep.Unrepaired(); person != 0 || repairable != 26 {
		t.Fatalf("Verify = %d for a person, %d repairable, want 0 and 26: %v", person, repairable, kinds(rep))
	}
	rep = verify(t, dir, true)
	if person, repairable := rep.Unrepaired(); person != 0 || repairable != 0 {
		t.Fatalf("after repair: %d for a person, %d repairable: %+v", person, repairable, rep.Problems)
	}
	got, err := kiosklog.ReadStore(os.DirFS(dir), ".")
	if err != nil {
		t.Fatalf("store after repair: %v", err)
	}
	want := recs(1, 1, 80)
	if len(got) != len(want) {
		t.Fatalf("store holds %d records, want %d", len(got), len(want))
	}
	for i := range got {
		if !sameRecord(got[i], want[i]) {
			t.Fatalf("record %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	// The repair is in the ledger, with the checksums of what it wrote.
	ledger, err := kiosklog.ReadLedgerFile(os.DirFS(dir), ".")
	if err != nil || len(ledger) != 1 || ledger[0].Source != "verify" || ledger[0].Operator != "staff@laptop" || len(ledger[0].Files) != 1 {
		t.Errorf("ledger after repair = %+v, %v", ledger, err)
	}
	if rep := verify(t, dir, true); len(rep.Problems) != 0 || len(rep.Holes) != 0 {
		t.Errorf("second repair found %+v", rep)
	}
}

// TestVerifyChecksums: a file whose bytes are not those the ledger
// recorded is reported and left alone; a file the ledger does not know is
// only checked for consistency.
func TestVerifyChecksums(t *testing.T) {
	dir := t.TempDir()
	s, _ := Open(dir)
	res, err := s.Commit(recs(1, 1, 10))
	if err != nil {
		t.Fatal(err)
	}
	name := filepath.Join(dir, res.Files[0])
	data, _ := os.ReadFile(name)
	sum := sha256.Sum256(data)
	err = kiosklog.AppendLedger(dir, kiosklog.LedgerEntry{Time: time.Now(), Kiosk: "K01", Source: "pull", Status: "complete",
		New: 10, Files: []kiosklog.FileSum{{Path: filepath.ToSlash(res.Files[0]), SHA256: hex.EncodeToString(sum[:])}}})
	if err != nil {
		t.Fatal(err)
	}
	if rep := verify(t, dir, false); len(rep.Problems) != 0 {
		t.Fatalf("Verify of an untouched file: %+v", rep.Problems)
	}
	tampered := bytes.Replace(data, []byte(",103,"), []byte(",903,"), 1)
	if bytes.Equal(tampered, data) {
		t.Fatal("test data has no weight 103")
	}
	os.WriteFile(name, tampered, 0o644)
	rep := verify(t, dir, true)
	if got := kinds(rep); !slices.Equal(got, []ProblemKind{Checksum}) || rep.Problems[0].Repaired {
		t.Errorf("Verify of a changed file: %+v", rep.Problems)
	}
	if now, _ := os.ReadFile(name); !bytes.Equal(now, tampered) {
		t.Error("repair touched a file whose checksum does not match")
	}
}

// TestVerifyLeavesConflicts: the same record with different content in two
// files is reported and never resolved by repair.
func TestVerifyLeavesConflicts(t *testing.T) {
	dir := t.TempDir()
	a, b := recs(1, 1, 10), recs(1, 5, 12)
	b[0].Grams = 9999 // record #5
	writeRaw(t, dir, kiosklog.BatchFileName(1, 1, 10), a)
	writeRaw(t, dir, kiosklog.BatchFileName(1, 5, 12), b)
	rep := verify(t, dir, true)
	var conflicts []Problem
	for _, p := range rep.Problems {
		if p.Kind == Conflict {
			conflicts = append(conflicts, p)
		}
	}
	if len(conflicts) != 1 || conflicts[0].Seq != 5 || conflicts[0].Repaired || conflicts[0].Other != filepath.Join("K01", kiosklog.BatchFileName(1, 1, 10)) {
		t.Errorf("conflicts = %+v", conflicts)
	}
	// The other five duplicates (#6-#10) are the same and are dropped;
	// the conflicting #5 stays in both files.
	f, err := os.Open(filepath.Join(dir, "K01", kiosklog.BatchFileName(1, 5, 12)))
	if err != nil {
		t.Fatal(err)
	}
	left, err := kiosklog.ReadCSV(f, "b")
	f.Close()
	if err != nil || len(left) != 3 || left[0].Grams != 9999 || left[1].Seq != 11 {
		t.Errorf("second file after repair = %+v, %v; want #5 (9999 g), #11, #12", left, err)
	}
	if person, _ := rep.Unrepaired(); person != 1 {
		t.Errorf("problems for a person = %d, want 1", person)
	}
	if _, err := os.Stat(filepath.Join(dir, "K01", kiosklog.BatchFileName(1, 5, 12))); err != nil {
		t.Errorf("the file holding the conflicting copy: %v", err)
	}
}

func TestVerifyOthers(t *testing.T) {
	dir := t.TempDir()
	s, _ := Open(dir)
	s.Commit(recs(1, 1, 10))
	s.Commit(recs(1, 20, 30))
	s.WritePull(kiosklog.Pull{Kiosk: "K01", Epoch: 1, LastSeq: 40, LastPull: time.Now(), Source: "pull",
		Gaps: []kiosklog.Gap{{Epoch: 1, From: 11, To: 12}}})
	// Rows out of order, a record from 1970, a temp file, a damaged file
	// and a misplaced row.
	rev := recs(2, 1, 5)
	slices.Reverse(rev)
	writeRaw(t, dir, kiosklog.BatchFileName(2, 1, 5), rev)
	old := recs(2, 6, 8)
	old[1].Time = time.Unix(0, 0)
	writeRaw(t, dir, kiosklog.BatchFileName(2, 6, 8), old)
	os.WriteFile(filepath.Join(dir, "K01", ".tmp-e2-0000000009-0000000009.csv-123"), []byte("half"), 0o644)
	os.WriteFile(filepath.Join(dir, "K01", kiosklog.BatchFileName(3, 1, 1)), []byte("kiosk,epoch\nK01,3\n"), 0o644)
	writeRaw(t, dir, kiosklog.BatchFileName(4, 1, 1), recs(5, 1, 1))

	rep := verify(t, dir, false)
	want := []ProblemKind{Damaged, Misplaced, Unsorted, Impossible, TempFile}
	if got := kinds(rep); !slices.Equal(got, want) {
		t.Errorf("problems %v, want %v: %+v", got, want, rep.Problems)
	}
	wantHoles := []Hole{{"K01", 1, Range{13, 19}}, {"K01", 1, Range{31, 40}}}
	if !slices.Equal(rep.Holes, wantHoles) {
		t.Errorf("holes = %v, want %v", rep.Holes, wantHoles)
	}
	rep = verify(t, dir, true)
	if person, repairable := rep.Unrepaired(); person != 2 || repairable != 0 {
		t.Errorf("after repair: %d for a person, %d repairable: %+v", person, repairable, rep.Problems)
	}
	if _, err := os.Stat(filepath.Join(dir, "K01", ".tmp-e2-0000000009-0000000009.csv-123")); err == nil {
		t.Error("temp file left")
	}
	got, err := kiosklog.ReadKioskDir(os.DirFS(dir), "K01")
	if err == nil {
		t.Error("damaged and misplaced files were repaired away")
	}
	var e2 []uint64
	for _, r := range got {
		if r.Epoch == 2 {
			e2 = append(e2, r.Seq)
		}
	}
	if !slices.Equal(e2, []uint64{1, 2, 3, 4, 5, 6, 8}) {
		t.Errorf("epoch 2 after repair = %v, want 1-6 and 8 (7 in quarantine)", e2)
	}
	q, err := readQuarantine(filepath.Join(dir, "K01"))
	if err != nil || len(q) != 1 || q[0].Seq != 7 || q[0].Epoch != 2 {
		t.Errorf("quarantine = %v, %v", q, err)
	}
	data, _ := os.ReadFile(filepath.Join(dir, "K01", kiosklog.BatchFileName(3, 1, 1)))
	if string(data) != "kiosk,epoch\nK01,3\n" {
		t.Error("repair touched a damaged file")
	}
}
