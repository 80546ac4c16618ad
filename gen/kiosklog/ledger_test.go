package kiosklog

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
)

func sampleEntry(kiosk string, n int) LedgerEntry {
	return LedgerEntry{
		Time: time.Date(2026, 12, 1, 10, 30, n%60, 0, Location), Kiosk: kiosk, Source: "pull",
		Operator: "staff@laptop, 社区办", Status: "complete", Epoch: 2, Counter: 3000,
		Stored: []Span{{1, 1, 500}, {2, 1001, 3000}}, New: 2500, Duplicates: 3, Quarantined: 1,
		Lost: []Span{{2, 501, 1000}}, Fingerprint: "0123456789abcdef",
		Files: []FileSum{{kiosk + "/e2-0000001001-0000002000.csv", strings.Repeat("ab", 32)}, {kiosk + "/pull.yaml", strings.Repeat("0f", 32)}},
	}
}

func readLedger(t *testing.T, dir string) ([]LedgerEntry, error) {
	t.Helper()
	return ReadLedgerFile(os.DirFS(dir), ".")
}

func TestLedgerRoundTrip(t *testing.T) {
	dir := t.TempDir()
	want := []LedgerEntry{sampleEntry("K01", 1), sampleEntry("K02", 2)}
	want[1].Source, want[1].Status, want[1].Counter, want[1].Lost, want[1].Fingerprint = "import", "incomplete", 0, nil, ""
	for _, e := range want {
		if err := AppendLedger(dir, e); err != nil {
			t.Fatal(err)
		}
	}
	got, err := readLedger(t, dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("read %d entries, want %d", len(got), len(want))
	}
	for i := range want {
		if !got[i].Time.Equal(want[i].Time) {
			t.Errorf("entry %d time %v, want %v", i, got[i].Time, want[i].Time)
		}
		got[i].Time = want[i].Time
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Errorf("entry %d = %+v\nwant %+v", i, got[i], want[i])
		}
	}
	data, _ := os.ReadFile(filepath.Join(dir, LedgerFile))
	if !strings.HasPrefix(string(data), strings.Join(LedgerHeader, ",")+"\n2026-12-01T10:30:01+08:00,K01,pull,\"staff@laptop, 社区办\",complete,2,3000,e1:1-500 e2:1001-3000,2500,3,1,e2:501-1000,0123456789abcdef,K01/e2-") {
		t.Errorf("ledger text:\n%s", data)
	}
	if got[0].LostCount() != 500 || got[0].StoredCount() != 2500 {
		t.Errorf("LostCount %d, StoredCount %d; want 500, 2500", got[0].LostCount(), got[0].StoredCount())
	}
}

// TestLedgerTornLine: a last line cut short by a crash is reported at its
// line, the sound entries are kept, and the next append starts a line of
// its own, so nothing is merged with the torn text.
func TestLedgerTornLine(t *testing.T) {
	dir := t.TempDir()
	if err := AppendLedger(dir, sampleEntry("K01", 1)); err != nil {
		t.Fatal(err)
	}
	line, err := ledgerLine(toLedgerRow(sampleEntry("K02", 2)))
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(filepath.Join(dir, LedgerFile), os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.Write(line[:len(line)/2])
	f.Close()

	got, err := readLedger(t, dir)
	if err == nil || !strings.Contains(err.Error(), "ledger.csv:3: the last line is cut short") || len(got) != 1 {
		t.Fatalf("torn ledger: %d entries, %v", len(got), err)
	}
	if err := AppendLedger(dir, sampleEntry("K03", 3)); err != nil {
		t.Fatal(err)
	}
	got, err = readLedger(t, dir)
	if err == nil || !strings.Contains(err.Error(), "ledger.csv:3: ") || len(got) != 2 || got[1].Kiosk != "K03" {
		t.Errorf("after another append: %d entries (%+v), %v", len(got), got, err)
	}
}

// TestLedgerChangedLine: a line whose values no longer match its check
// (edited by hand, or cut short at a field boundary) is reported.
func TestLedgerChangedLine(t *testing.T) {
	dir := t.TempDir()
	for i := range 2 {
		if err := AppendLedger(dir, sampleEntry("K01", i)); err != nil {
			t.Fatal(err)
		}
	}
	name := filepath.Join(dir, LedgerFile)
	data, _ := os.ReadFile(name)
	for _, tt := range []struct{ from, to, want string }{
		{",2500,3,1,", ",2600,3,1,", "ledger.csv:2: check"},
		{" K01/pull.yaml=" + strings.Repeat("0f", 32), "", "ledger.csv:2: check"},
		{",complete,", ",done,", `ledger.csv:2: status "done"`},
	} {
		changed := bytes.Replace(data, []byte(tt.from), []byte(tt.to), 1)
		if err := os.WriteFile(name, changed, 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := readLedger(t, dir)
		if err == nil || !strings.Contains(err.Error(), tt.want) || len(got) != 1 {
			t.Errorf("%q -> %q: %d entries, %v; want %q", tt.from, tt.to, len(got), err, tt.want)
		}
	}
}

// TestLedgerConcurrentAppends: writers appending at once, each through
// its own descriptor as separate processes would, never mix their lines.
func TestLedgerConcurrentAppends(t *testing.T) {
	dir := t.TempDir()
	const writers, each = 8, 25
	var wg sync.WaitGroup
	errs := make(chan error, writers*each)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				e := sampleEntry(fmt.Sprintf("K%02d", w), i)
				e.New = i
				if err := AppendLedger(dir, e); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	got, err := readLedger(t, dir)
	if err != nil || len(got) != writers*each {
		t.Fatalf("read %d entries, %v; want %d", len(got), err, writers*each)
	}
	seen := map[string]bool{}
	for _, e := range got {
		seen[fmt.Sprintf("%s/%d", e.Kiosk, e.New)] = true
	}
	if len(seen) != writers*each {
		t.Errorf("%d distinct entries, want %d", len(seen), writers*each)
	}
}

func TestSpans(t *testing.T) {
	recs := []Record{sample(5), sample(3), sample(4), sample(9), sample(1)}
	recs[4].Epoch = 1
	got := FormatSpans(SpansOf(recs))
	if got != "e1:1 e2:3-5 e2:9" {
		t.Errorf("FormatSpans(SpansOf) = %q", got)
	}
	back, err := ParseSpans(got)
	if err != nil || FormatSpans(back) != got {
		t.Errorf("ParseSpans(%q) = %v, %v", got, back, err)
	}
	for _, bad := range []string{"1-5", "e1:5-3", "e1:0", "ex:1", "e1:1-", "e99999999999:1"} {
		if _, err := ParseSpans(bad); err == nil {
			t.Errorf("ParseSpans(%q) accepted", bad)
		}
	}
	for _, bad := range []string{"K01/x.csv=abc", "../x=" + strings.Repeat("a", 64), "/x=" + strings.Repeat("a", 64), "K 1=" + strings.Repeat("a", 64)} {
		if _, err := ParseFileSums(bad); err == nil {
			t.Errorf("ParseFileSums(%q) accepted", bad)
		}
	}
}

// FuzzReadLedger: any input gives entries or errors, never a panic, and
// every entry read is valid and reads back the same after writing it.
func FuzzReadLedger(f *testing.F) {
	line, _ := ledgerLine(toLedgerRow(sampleEntry("K01", 1)))
	head := strings.Join(LedgerHeader, ",") + "\n"
	f.Add(head + string(line))
	f.Add(head + string(line[:40]))
	f.Add(head + "\"unterminated\n")
	f.Add("")
	f.Fuzz(func(t *testing.T, text string) {
		got, _ := ReadLedger(strings.NewReader(text), "f.csv")
		for _, e := range got {
			if err := e.Validate(); err != nil {
				t.Fatalf("entry read that is not valid: %v", err)
			}
			line, err := ledgerLine(toLedgerRow(e))
			if err != nil {
				t.Fatal(err)
			}
			back, err := ReadLedger(strings.NewReader(head+string(line)), "b.csv")
			if err != nil || len(back) != 1 {
				t.Fatalf("entry %+v does not read back: %v", e, err)
			}
		}
	})
}
