package puller_test

import (
	"context"
	"errors"
	"io"
	"os"
	"testing"

	"gongjian/gen/kiosklog"
	"gongjian/kioskpull/puller"
	"gongjian/kioskpull/serialport"
	"gongjian/kioskpull/sim"
	"gongjian/kioskpull/store"
)

// TestHangupCutPoints cuts the link at 120 byte offsets spread over a whole
// transfer (inside lines, between lines, inside and between batches); each
// cut is followed by a resumed pull, and the store must then hold every
// record exactly once.
func TestHangupCutPoints(t *testing.T) {
	base := kioskCfg(120)
	base.RecordsPerLine = 4
	// Measure the whole transfer once.
	st, _ := store.Open(t.TempDir())
	path, _ := servePTY(t, sim.New(base))
	cfg := testConfig(t, st)
	cfg.Batch = 25
	full, err := pullPath(t, cfg, path)
	if err != nil {
		t.Fatal(err)
	}
	total := int(full.LineBytes)
	const cuts = 120
	lost := 0
	for i := range cuts {
		cut := 1 + i*(total-1)/cuts
		dir := t.TempDir()
		st, _ := store.Open(dir)
		kc := base
		kc.HangupAfterBytes = cut
		k := sim.New(kc)
		cfg := testConfig(t, st)
		cfg.Batch = 25
		path, stop := servePTY(t, k)
		_, err := pullPath(t, cfg, path)
		stop()
		if err != nil && !errors.Is(err, puller.ErrLinkLost) {
			t.Fatalf("cut at byte %d: first pull: %v", cut, err)
		}
		if err != nil {
			lost++
		}
		path, stop = servePTY(t, k)
		sum, err := pullPath(t, cfg, path)
		stop()
		if err != nil || !sum.Complete {
			t.Fatalf("cut at byte %d: resumed pull: %+v, %v", cut, sum, err)
		}
		if sum.Duplicates != 0 {
			t.Errorf("cut at byte %d: %d duplicates received", cut, sum.Duplicates)
		}
		checkStore(t, dir, expected(t, k, 1))
	}
	if lost < cuts-2 {
		t.Errorf("only %d of %d cuts broke the first pull", lost, cuts)
	}
}

func TestNoiseRetriesBatches(t *testing.T) {
	dir := t.TempDir()
	st, _ := store.Open(dir)
	kc := kioskCfg(400)
	kc.RecordsPerLine = 8
	kc.Noise = 0.05
	k := sim.New(kc)
	path, _ := servePTY(t, k)
	cfg := testConfig(t, st)
	cfg.Retries = 10
	sum, err := pullPath(t, cfg, path)
	if err != nil {
		t.Fatal(err)
	}
	if sum.BadBatches == 0 {
		t.Errorf("no batch was rejected under 5%% line noise: %+v", sum)
	}
	if sum.New != 400 || !sum.Complete {
		t.Errorf("summary %+v", sum)
	}
	checkStore(t, dir, expected(t, k, 1))
}

func TestTooMuchNoiseGivesUp(t *testing.T) {
	st, _ := store.Open(t.TempDir())
	kc := kioskCfg(200)
	kc.Noise = 1
	path, _ := servePTY(t, sim.New(kc))
	cfg := testConfig(t, st)
	cfg.Retries = 2
	_, err := pullPath(t, cfg, path)
	if err == nil {
		t.Fatal("pull over a hopeless line succeeded")
	}
	if n, _ := st.Count("K01"); n != 0 {
		t.Errorf("%d records stored from a hopeless line", n)
	}
}

// dialSim serves k on a new pseudo-terminal at every dial, as if the cable
// were plugged back in.
func dialSim(t *testing.T, k *sim.Kiosk) puller.DialFunc {
	return func(ctx context.Context) (io.ReadWriteCloser, error) {
		path, _ := servePTY(t, k)
		return serialport.Open(path)
	}
}

func TestEpochResetDuringPull(t *testing.T) {
	dir := t.TempDir()
	st, _ := store.Open(dir)
	kc := kioskCfg(300)
	kc.ResetAfterRecords = 120
	k := sim.New(kc)
	cfg := testConfig(t, st)
	cfg.Reconnect = 2e9
	cfg.ReconnectPoll = 1e6
	sum, err := puller.Pull(context.Background(), cfg, dialSim(t, k))
	if err != nil {
		t.Fatal(err)
	}
	if k.Epoch() != 2 || sum.Epoch != 2 || !sum.Complete || sum.Reconnects < 1 {
		t.Fatalf("summary %+v (kiosk epoch %d)", sum, k.Epoch())
	}
	// Epoch 1: whole batches before the reset (records 1..100); 101..300 were lost.
	want := []kiosklog.Gap{{Epoch: 1, From: 101, To: 300}}
	if len(sum.Gaps) != 1 || sum.Gaps[0] != want[0] {
		t.Errorf("gaps = %v, want %v", sum.Gaps, want)
	}
	got, err := kiosklog.ReadStore(os.DirFS(dir), ".")
	if err != nil {
		t.Fatal(err)
	}
	var e1 []kiosklog.Record
	for _, r := range got {
		if r.Epoch == 1 {
			e1 = append(e1, r)
		}
	}
	if len(e1) != 100 {
		t.Errorf("epoch 1: %d records stored, want 100", len(e1))
	}
	if len(got)-len(e1) != len(k.Records()) {
		t.Errorf("epoch 2: %d records stored, want %d", len(got)-len(e1), len(k.Records()))
	}
	pulls, _ := kiosklog.ReadPulls(os.DirFS(dir), ".")
	if len(pulls) != 1 || pulls[0].Epoch != 2 || len(pulls[0].Gaps) != 1 {
		t.Errorf("pull.yaml = %+v", pulls)
	}
}

func TestEpochResetBetweenPulls(t *testing.T) {
	dir := t.TempDir()
	st, _ := store.Open(dir)
	k := sim.New(kioskCfg(200))
	path, _ := servePTY(t, k)
	if _, err := pullPath(t, testConfig(t, st), path); err != nil {
		t.Fatal(err)
	}
	old := expected(t, k, 1)
	k.Reset(80)
	path, _ = servePTY(t, k)
	sum, err := pullPath(t, testConfig(t, st), path)
	if err != nil {
		t.Fatal(err)
	}
	if sum.New != 80 || sum.Epoch != 2 || len(sum.Gaps) != 0 {
		t.Errorf("summary %+v", sum)
	}
	checkStore(t, dir, append(old, expected(t, k, 2)...))
}

func TestGapRingBuffer(t *testing.T) {
	dir := t.TempDir()
	st, _ := store.Open(dir)
	kc := kioskCfg(300)
	kc.RingFirst = 101
	k := sim.New(kc)
	path, _ := servePTY(t, k)
	sum, err := pullPath(t, testConfig(t, st), path)
	if err != nil {
		t.Fatal(err)
	}
	if len(sum.Gaps) != 1 || sum.Gaps[0] != (kiosklog.Gap{Epoch: 1, From: 1, To: 100}) || sum.Lost() != 100 || sum.New != 200 {
		t.Errorf("summary %+v", sum)
	}
	checkStore(t, dir, expected(t, k, 1))
	pulls, _ := kiosklog.ReadPulls(os.DirFS(dir), ".")
	if len(pulls) != 1 || len(pulls[0].Gaps) != 1 {
		t.Errorf("pull.yaml = %+v", pulls)
	}
	// Pulling again reports nothing new and keeps the gap on record.
	path, _ = servePTY(t, k)
	sum, err = pullPath(t, testConfig(t, st), path)
	if err != nil || sum.New != 0 || len(sum.Gaps) != 0 {
		t.Errorf("second pull: %+v, %v", sum, err)
	}
	pulls, _ = kiosklog.ReadPulls(os.DirFS(dir), ".")
	if len(pulls) != 1 || len(pulls[0].Gaps) != 1 {
		t.Errorf("pull.yaml after second pull = %+v", pulls)
	}
}
