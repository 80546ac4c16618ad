package puller_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"gongjian/gen/kiosklog"
	"gongjian/kioskpull/msg"
	"gongjian/kioskpull/sim"
	"gongjian/kioskpull/store"
	"gongjian/kioskpull/usbexport"
)

// exportRange writes the kiosk's records from..to (sequence numbers) to a
// USB-stick export file, as if a stick held just that part of the log.
func exportRange(t *testing.T, k *sim.Kiosk, name string, from, to uint64) {
	t.Helper()
	var rows []usbexport.Row
	for _, r := range k.Records() {
		if r.Seq >= from && r.Seq <= to {
			rows = append(rows, usbexport.Row{Kiosk: "K01", Epoch: k.Epoch(), Record: r})
		}
	}
	f, err := os.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := usbexport.Write(f, rows, false); err != nil {
		t.Fatal(err)
	}
}

// TestPullFillsHolesLeftByImport: a stick held records #501-#1000 of a
// kiosk holding #1-#3000; the pull after the import must bring in #1-#500
// as well as #1001-#3000, and only then call itself complete.
func TestPullFillsHolesLeftByImport(t *testing.T) {
	dir := t.TempDir()
	st, _ := store.Open(dir)
	k := sim.New(kioskCfg(3000))
	stick := filepath.Join(t.TempDir(), "K01.csv")
	exportRange(t, k, stick, 501, 1000)
	is, err := usbexport.Import(context.Background(), st, hasher(t).Card, []string{stick}, time.Now())
	if err != nil || is.New != 500 {
		t.Fatalf("import: %+v, %v", is, err)
	}
	path, _ := servePTY(t, k)
	cfg := testConfig(t, st)
	cfg.Batch = 400
	sum, err := pullPath(t, cfg, path)
	if err != nil {
		t.Fatal(err)
	}
	if sum.New != 2500 || sum.Duplicates != 0 || !sum.Complete || len(sum.Gaps) != 0 {
		t.Errorf("summary %+v, want 2500 new, no duplicates, complete", sum)
	}
	checkStore(t, dir, expected(t, k, 1))
	if p, _, _ := st.ReadPull("K01"); !p.Complete || p.LastSeq != 3000 {
		t.Errorf("pull.yaml = %+v", p)
	}
}

// TestHoleBelowRingBuffer: the part of a hole the kiosk has overwritten is
// a gap (only what is not stored), the rest is pulled.
func TestHoleBelowRingBuffer(t *testing.T) {
	dir := t.TempDir()
	st, _ := store.Open(dir)
	full := sim.New(kioskCfg(1000))
	stick := filepath.Join(t.TempDir(), "K01.csv")
	exportRange(t, full, stick, 101, 200)
	exportRange(t, full, filepath.Join(filepath.Dir(stick), "K01-b.csv"), 251, 260)
	if _, err := usbexport.Import(context.Background(), st, hasher(t).Card, []string{stick, filepath.Join(filepath.Dir(stick), "K01-b.csv")}, time.Now()); err != nil {
		t.Fatal(err)
	}
	kc := kioskCfg(1000)
	kc.RingFirst = 301
	k := sim.New(kc)
	path, _ := servePTY(t, k)
	sum, err := pullPath(t, testConfig(t, st), path)
	if err != nil {
		t.Fatal(err)
	}
	wantGaps := []kiosklog.Gap{{Epoch: 1, From: 1, To: 100}, {Epoch: 1, From: 201, To: 250}, {Epoch: 1, From: 261, To: 300}}
	if len(sum.Gaps) != 3 || sum.Gaps[0] != wantGaps[0] || sum.Gaps[1] != wantGaps[1] || sum.Gaps[2] != wantGaps[2] {
		t.Errorf("gaps = %v, want %v", sum.Gaps, wantGaps)
	}
	if sum.New != 700 || !sum.Complete {
		t.Errorf("summary %+v", sum)
	}
	var want []kiosklog.Record
	for _, r := range expected(t, full, 1) {
		if r.Seq >= 101 && r.Seq <= 200 || r.Seq >= 251 && r.Seq <= 260 || r.Seq >= 301 {
			want = append(want, r)
		}
	}
	checkStore(t, dir, want)
	// Known gaps are not asked for again.
	path, _ = servePTY(t, k)
	sum, err = pullPath(t, testConfig(t, st), path)
	if err != nil || sum.New != 0 || len(sum.Gaps) != 0 || !sum.Complete {
		t.Errorf("second pull: %+v, %v", sum, err)
	}
}

// TestPullAndImportAtOnce runs a pull and an import of the same kiosk at
// the same time, each with its own Store handle on the folder: the second
// waits for the first, and every record is stored exactly once.
func TestPullAndImportAtOnce(t *testing.T) {
	dir := t.TempDir()
	k := sim.New(kioskCfg(2000))
	stick := filepath.Join(t.TempDir(), "K01.csv")
	exportRange(t, k, stick, 1, 2000)
	path, _ := servePTY(t, k)
	var wg sync.WaitGroup
	var pullErr, importErr error
	var pulled, imported int
	wg.Add(2)
	go func() {
		defer wg.Done()
		st, _ := store.Open(dir)
		st.LockWait = time.Minute
		sum, err := pullPath(t, testConfig(t, st), path)
		pulled, pullErr = sum.New, err
	}()
	go func() {
		defer wg.Done()
		st, _ := store.Open(dir)
		st.LockWait = time.Minute
		sum, err := usbexport.Import(context.Background(), st, hasher(t).Card, []string{stick}, time.Now())
		imported, importErr = sum.New, err
	}()
	wg.Wait()
	if err := errors.Join(pullErr, importErr); err != nil {
		t.Fatal(err)
	}
	if pulled+imported != 2000 {
		t.Errorf("pull stored %d and import %d, want 2000 in all", pulled, imported)
	}
	checkStore(t, dir, expected(t, k, 1))
}

// TestPullRefusedWhileLocked: with the folder held by another writer, a
// pull gives up after its lock wait, names the holder and stores nothing.
func TestPullRefusedWhileLocked(t *testing.T) {
	dir := t.TempDir()
	holder, _ := store.Open(dir)
	holder.Command = "kioskpull import /media/usb"
	unlock, err := holder.Lock(context.Background(), "K01")
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	st, _ := store.Open(dir)
	st.LockWait = 200 * time.Millisecond
	path, _ := servePTY(t, sim.New(kioskCfg(100)))
	_, err = pullPath(t, testConfig(t, st), path)
	if !errors.Is(err, store.ErrLocked) || !strings.Contains(err.Error(), "(kioskpull import /media/usb)") {
		t.Fatalf("pull of a locked kiosk: %v", err)
	}
	if n, _ := holder.Count("K01"); n != 0 {
		t.Errorf("%d records stored past the lock", n)
	}
}

// TestQuarantineImpossibleTimes: a kiosk whose clock says the year 10000,
// 1970, or weeks ahead of the puller's clock gets its records pulled into
// quarantine, never into the files the site reads.
func TestQuarantineImpossibleTimes(t *testing.T) {
	for _, tt := range []struct {
		name  string
		start time.Time
		now   time.Time
		quar  int
	}{
		{"year 10000", time.Unix(253402300800, 0), time.Date(2026, 12, 1, 0, 0, 0, 0, kiosklog.Location), 200},
		{"unix 0", time.Unix(0, 0), time.Date(2026, 12, 1, 0, 0, 0, 0, kiosklog.Location), 200},
		// The log runs 60 days from 5 January; the clock says 1 February.
		{"ahead", testStart, time.Date(2026, 2, 1, 0, 0, 0, 0, kiosklog.Location), -1},
		{"fine", testStart, time.Date(2026, 12, 1, 0, 0, 0, 0, kiosklog.Location), 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			st, _ := store.Open(dir)
			st.Now = func() time.Time { return tt.now }
			kc := kioskCfg(200)
			kc.Log.Start = tt.start
			k := sim.New(kc)
			wantQuar := tt.quar
			if wantQuar < 0 {
				wantQuar = 0
				for _, r := range k.Records() {
					if time.Unix(r.Time, 0).After(tt.now.Add(store.MaxAhead)) {
						wantQuar++
					}
				}
				if wantQuar == 0 || wantQuar == 200 {
					t.Fatalf("test log has %d records ahead of the clock; want some, not all", wantQuar)
				}
			}
			var logged []string
			cfg := testConfig(t, st)
			cfg.Logf = func(k msg.Key, args ...any) { logged = append(logged, string(k)) }
			path, _ := servePTY(t, k)
			sum, err := pullPath(t, cfg, path)
			if err != nil {
				t.Fatal(err)
			}
			if sum.Quarantined != wantQuar || sum.New != 200-wantQuar || !sum.Complete {
				t.Errorf("summary %+v, want %d quarantined", sum, wantQuar)
			}
			if (wantQuar > 0) != (len(logged) > 0) {
				t.Errorf("%d quarantined, reported %d times", wantQuar, len(logged))
			}
			var want []kiosklog.Record
			for _, r := range expected(t, k, 1) {
				if store.ImpossibleTime(r.Time, tt.now) == "" {
					want = append(want, r)
				}
			}
			checkStore(t, dir, want)
			// Pulled again: the quarantined records count as received.
			path, _ = servePTY(t, k)
			sum, err = pullPath(t, cfg, path)
			if err != nil || sum.New != 0 || sum.Quarantined != 0 || !sum.Complete {
				t.Errorf("second pull: %+v, %v", sum, err)
			}
		})
	}
}
