package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"gongjian/gen/kiosklog"
)

// TestTwoWritersNeverDouble commits overlapping record sets from two
// goroutines through separate Store handles on one folder, as a pull and
// an import of the same kiosk would: every record must be stored exactly
// once, whatever the interleaving.
func TestTwoWritersNeverDouble(t *testing.T) {
	dir := t.TempDir()
	const total = 600
	var wg sync.WaitGroup
	added := make([]int, 2)
	errs := make([]error, 2)
	for w := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := Open(dir)
			if err != nil {
				errs[w] = err
				return
			}
			// Writer 0 goes up in batches of 7, writer 1 comes down in
			// batches of 11: they cross in the middle.
			size := []int{7, 11}[w]
			for i := 0; i < total; i += size {
				var recs []kiosklog.Record
				for j := i; j < min(i+size, total); j++ {
					seq := uint64(j + 1)
					if w == 1 {
						seq = uint64(total - j)
					}
					recs = append(recs, rec(1, seq))
				}
				res, err := s.Commit(recs)
				if err != nil {
					errs[w] = err
					return
				}
				added[w] += res.Added
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	if added[0]+added[1] != total {
		t.Errorf("writers added %d + %d records, want %d in all", added[0], added[1], total)
	}
	got, err := kiosklog.ReadKioskDir(os.DirFS(dir), "K01")
	if err != nil {
		t.Fatalf("store after two writers: %v", err)
	}
	if len(got) != total {
		t.Errorf("store holds %d records, want %d", len(got), total)
	}
}

// TestLockRefusesAndNamesHolder: a second handle waits LockWait, then
// fails naming the holder; once the holder lets go it gets in and sees
// what the holder committed.
func TestLockRefusesAndNamesHolder(t *testing.T) {
	dir := t.TempDir()
	a, _ := Open(dir)
	a.Command = "kioskpull pull -port /dev/ttyUSB0"
	b, _ := Open(dir)
	b.LockWait = 100 * time.Millisecond
	ctx := context.Background()
	if n, err := b.Count("K01"); err != nil || n != 0 {
		t.Fatalf("Count before anything = %d, %v", n, err)
	}
	unlock, err := a.Lock(ctx, "K01")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Commit([]kiosklog.Record{rec(1, 1), rec(1, 2)}); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = b.Lock(ctx, "K01")
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("second Lock = %v, want ErrLocked", err)
	}
	want := fmt.Sprintf("pid %d (kioskpull pull -port /dev/ttyUSB0) since ", os.Getpid())
	if !strings.Contains(err.Error(), want) {
		t.Errorf("error %q does not name the holder (%q)", err, want)
	}
	if waited := time.Since(start); waited < 100*time.Millisecond {
		t.Errorf("gave up after %s, want the 100ms LockWait", waited)
	}
	if _, err := b.Commit([]kiosklog.Record{rec(1, 2), rec(1, 3)}); !errors.Is(err, ErrLocked) {
		t.Errorf("Commit through a locked folder = %v, want ErrLocked", err)
	}
	if err := unlock(); err != nil {
		t.Fatal(err)
	}
	res, err := b.Commit([]kiosklog.Record{rec(1, 2), rec(1, 3)})
	if err != nil || res.Added != 1 || res.Duplicates != 1 {
		t.Errorf("Commit after unlock = %+v, %v; want 1 added, 1 duplicate", res, err)
	}
	// Nested locks of one handle release on the last unlock.
	u1, err := b.Lock(ctx, "K01")
	if err != nil {
		t.Fatal(err)
	}
	u2, err := b.Lock(ctx, "K01")
	if err != nil {
		t.Fatal(err)
	}
	u1()
	a.LockWait = 0
	if _, err := a.Lock(ctx, "K01"); !errors.Is(err, ErrLocked) {
		t.Errorf("Lock while a nested lock is held = %v, want ErrLocked", err)
	}
	u2()
	u3, err := a.Lock(ctx, "K01")
	if err != nil {
		t.Errorf("Lock after the last unlock: %v", err)
	} else {
		u3()
	}
	if _, err := os.Stat(filepath.Join(dir, "K01", LockFile)); err != nil {
		t.Errorf("lock file: %v", err)
	}
	// The lock file is not a record file.
	if got, err := kiosklog.ReadStore(os.DirFS(dir), "."); err != nil || len(got) != 3 {
		t.Errorf("ReadStore = %d records, %v", len(got), err)
	}
}

func TestLockCancelled(t *testing.T) {
	dir := t.TempDir()
	a, _ := Open(dir)
	b, _ := Open(dir)
	b.LockWait = time.Minute
	unlock, err := a.Lock(context.Background(), "K01")
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := b.Lock(ctx, "K01"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Lock with a cancelled context = %v", err)
	}
}

func TestHolderRoundTrip(t *testing.T) {
	h := Holder{PID: 42, Command: "kioskpull import\n/media/usb", Started: time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)}
	got := parseHolder(h.marshal())
	if got.PID != 42 || got.Command != "kioskpull import /media/usb" || !got.Started.Equal(h.Started) {
		t.Errorf("parseHolder(marshal(%+v)) = %+v", h, got)
	}
	if s := parseHolder([]byte("garbage\n\x00")).String(); s != "an unknown process" {
		t.Errorf("holder of a garbled lock file = %q", s)
	}
}
