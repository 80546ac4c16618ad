package puller_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"gongjian/gen/kiosklog"
	"gongjian/kioskpull/puller"
	"gongjian/kioskpull/sim"
	"gongjian/kioskpull/store"
	"gongjian/kioskpull/usbexport"
)

// TestReplacementKiosk: other hardware under the same id, its log starting
// again at #1 of epoch 1, is refused (nothing stored, pull.yaml kept) until
// staff confirm the replacement; then its log goes under a new epoch
// beside the old kiosk's, and later pulls and imports follow it there.
func TestReplacementKiosk(t *testing.T) {
	dir := t.TempDir()
	st, _ := store.Open(dir)
	old := sim.New(kioskCfg(500))
	path, _ := servePTY(t, old)
	if _, err := pullPath(t, testConfig(t, st), path); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(filepath.Join(dir, "K01", kiosklog.PullFile))

	nc := kioskCfg(200)
	nc.Log.Seed = 99
	nc.Log.Start = testStart.AddDate(0, 3, 0)
	repl := sim.New(nc)
	path, _ = servePTY(t, repl)
	sum, err := pullPath(t, testConfig(t, st), path)
	if !errors.Is(err, puller.ErrReplaced) {
		t.Fatalf("pull of a replacement kiosk: %+v, %v; want ErrReplaced", sum, err)
	}
	after, _ := os.ReadFile(filepath.Join(dir, "K01", kiosklog.PullFile))
	if string(after) != string(before) {
		t.Errorf("refused pull changed pull.yaml:\n%s\nwas\n%s", after, before)
	}
	checkStore(t, dir, expected(t, old, 1))

	cfg := testConfig(t, st)
	cfg.Replaced = "kiosk"
	path, _ = servePTY(t, repl)
	sum, err = pullPath(t, cfg, path)
	if err != nil || sum.New != 200 || sum.Epoch != 2 || !sum.Complete || len(sum.Gaps) != 0 {
		t.Fatalf("confirmed replacement: %+v, %v", sum, err)
	}
	want := append(expected(t, old, 1), expected(t, repl, 2)...)
	checkStore(t, dir, want)

	// The next pull needs no flag and finds nothing new.
	path, _ = servePTY(t, repl)
	sum, err = pullPath(t, testConfig(t, st), path)
	if err != nil || sum.New != 0 || !sum.Complete {
		t.Errorf("pull after the replacement: %+v, %v", sum, err)
	}
	// Its own stick imports under the same epoch: nothing new.
	stick := filepath.Join(t.TempDir(), "K01.csv")
	exportRange(t, repl, stick, 1, 200)
	is, err := usbexport.Import(context.Background(), st, hasher(t).Card, []string{stick}, time.Now())
	if err != nil || is.New != 0 || is.Duplicates != 200 || is.Offsets["K01"] != 1 {
		t.Errorf("import after the replacement: %+v, %v", is, err)
	}
	checkStore(t, dir, want)
}

// TestEpochGoingBack: a kiosk answering with an epoch below the last one
// seen is refused, whatever it holds.
func TestEpochGoingBack(t *testing.T) {
	dir := t.TempDir()
	st, _ := store.Open(dir)
	oc := kioskCfg(100)
	oc.Epoch = 3
	path, _ := servePTY(t, sim.New(oc))
	if _, err := pullPath(t, testConfig(t, st), path); err != nil {
		t.Fatal(err)
	}
	nc := kioskCfg(900)
	nc.Log.Seed = 5
	path, _ = servePTY(t, sim.New(nc))
	if sum, err := pullPath(t, testConfig(t, st), path); !errors.Is(err, puller.ErrReplaced) || sum.New != 0 {
		t.Fatalf("kiosk gone back to epoch 1: %+v, %v", sum, err)
	}
	if n, _ := st.Count("K01"); n != 100 {
		t.Errorf("%d records stored, want the first kiosk's 100", n)
	}
}

// TestOtherAdapter: the same kiosk on another USB adapter is refused until
// staff say only the adapter changed; then it resumes as the same kiosk.
func TestOtherAdapter(t *testing.T) {
	dir := t.TempDir()
	st, _ := store.Open(dir)
	k := sim.New(kioskCfg(300))
	cfg := testConfig(t, st)
	cfg.USBSerial = "GJK-0001"
	path, _ := servePTY(t, k)
	if _, err := pullPath(t, cfg, path); err != nil {
		t.Fatal(err)
	}
	cfg.USBSerial = "GJK-0009"
	path, _ = servePTY(t, k)
	if _, err := pullPath(t, cfg, path); !errors.Is(err, puller.ErrReplaced) {
		t.Fatalf("other adapter: %v, want ErrReplaced", err)
	}
	cfg.Replaced = "adapter"
	path, _ = servePTY(t, k)
	sum, err := pullPath(t, cfg, path)
	if err != nil || sum.New != 0 || sum.Epoch != 1 || !sum.Complete {
		t.Fatalf("other adapter, confirmed: %+v, %v", sum, err)
	}
	if p, _, _ := st.ReadPull("K01"); p.USBSerial != "GJK-0009" {
		t.Errorf("pull.yaml serial = %q", p.USBSerial)
	}
	checkStore(t, dir, expected(t, k, 1))
}

// TestEpochOffsetOverflow: a kiosk whose epoch plus the replacement
// offset would not fit an epoch number is refused, not wrapped round onto
// an old kiosk's epochs.
func TestEpochOffsetOverflow(t *testing.T) {
	dir := t.TempDir()
	st, _ := store.Open(dir)
	os.MkdirAll(filepath.Join(dir, "K01"), 0o755)
	os.WriteFile(filepath.Join(dir, "K01", store.EpochsFile), []byte("replacements:\n  - at: 2026-11-01T10:00:00+08:00\n    offset: 10\n    reason: test\n"), 0o644)
	kc := kioskCfg(20)
	kc.Epoch = 4294967290
	path, _ := servePTY(t, sim.New(kc))
	sum, err := pullPath(t, testConfig(t, st), path)
	if err == nil || sum.New != 0 {
		t.Fatalf("pull with an epoch that overflows: %+v, %v", sum, err)
	}
	if n, _ := st.Count("K01"); n != 0 {
		t.Errorf("%d records stored", n)
	}
}
