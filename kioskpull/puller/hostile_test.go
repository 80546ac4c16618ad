package puller_test

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

	"gongjian/kioskpull/msg"
	"gongjian/kioskpull/puller"
	"gongjian/kioskpull/sim"
	"gongjian/kioskpull/store"
)

// logRecorder keeps what a pull tells people, in both languages.
type logRecorder struct {
	mu  sync.Mutex
	out strings.Builder
}

func (l *logRecorder) logf(key msg.Key, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintln(&l.out, msg.New(msg.EN).Sprintf(key, args...))
	fmt.Fprintln(&l.out, msg.New(msg.ZH).Sprintf(key, args...))
}

func (l *logRecorder) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.out.String()
}

// TestHostileKiosks pulls from kiosks that break the protocol, over real
// pseudo-terminals: each pull must end within its bounds with a clear
// error, store nothing (no records, no made-up gaps), and print no raw
// card number.
func TestHostileKiosks(t *testing.T) {
	tests := []struct {
		name    string
		hostile sim.Hostile
		want    error
		wantMsg string
	}{
		{"ERR EPOCH for its own epoch", sim.EpochLoop, puller.ErrHostile, "the epoch its HELLO reported"},
		{"bad batch then endless junk", sim.JunkForever, puller.ErrHostile, "following a rejected batch"},
		{"card number in a bad record", sim.CardInBadRecord, puller.ErrHostile, "good checksums that do not parse"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			st, _ := store.Open(dir)
			kc := kioskCfg(300)
			kc.Hostile = tt.hostile
			path, _ := servePTY(t, sim.New(kc))
			cfg := testConfig(t, st)
			cfg.LineTimeout = time.Second
			cfg.ResyncTimeout = 3 * time.Second
			cfg.Retries = 2
			var log logRecorder
			cfg.Logf = log.logf
			start := time.Now()
			sum, err := pullPath(t, cfg, path)
			took := time.Since(start)
			if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), tt.wantMsg) {
				t.Fatalf("err = %v, want %v saying %q", err, tt.want, tt.wantMsg)
			}
			if took > 10*time.Second {
				t.Errorf("the pull took %s", took)
			}
			if sum.Elapsed <= 0 || sum.Elapsed > took {
				t.Errorf("a failed pull reports Elapsed %s; it took %s", sum.Elapsed, took)
			}
			if n, _ := st.Count("K01"); n != 0 || sum.New != 0 || len(sum.Gaps) != 0 {
				t.Errorf("stored %d records, summary %+v", n, sum)
			}
			if _, ok, _ := st.ReadPull("K01"); ok {
				t.Error("pull.yaml written for a hostile kiosk that delivered nothing")
			}
			all := log.String() + err.Error() + "\n" + msg.New(msg.ZH).Error(err)
			for _, raw := range []string{sim.BadCard, "8642001234567890", "001234567890"} {
				if strings.Contains(all, raw) {
					t.Errorf("output shows the raw card number %q:\n%s", raw, all)
				}
			}
			files, _ := filepath.Glob(filepath.Join(dir, "*", "*"))
			for _, f := range files {
				b, _ := os.ReadFile(f)
				if strings.Contains(string(b), "001234567890") {
					t.Errorf("%s holds a raw card number", f)
				}
			}
		})
	}
}

// TestResyncAfterInterruptedPull interrupts a pull in the middle of a slow
// batch, then pulls again at once over the same port: the kiosk is still
// sending the old batch, and the new pull must skip it, greet the kiosk
// and finish, without duplicates or losses.
func TestResyncAfterInterruptedPull(t *testing.T) {
	// About 0.04 ms per byte: a 1000-record batch takes 2 s.
	dir, k, path, cfg := interruptMidBatch(t, 1500, 230400)
	var log logRecorder
	cfg.Logf = log.logf
	start := time.Now()
	sum, err := pullPath(t, cfg, path)
	if err != nil {
		t.Fatalf("pull after an interrupted one: %v\nlog:\n%s", err, &log)
	}
	if !sum.Complete || sum.New+sum.Duplicates != 1500 {
		t.Errorf("summary %+v", sum)
	}
	if !strings.Contains(log.String(), "left over from an earlier, interrupted pull") {
		t.Errorf("no stale lines were skipped; the test did not interrupt a batch:\n%s", &log)
	}
	t.Logf("second pull: %s, %s", time.Since(start), strings.TrimSpace(log.String()))
	checkStore(t, dir, expected(t, k, 1))
}

// interruptMidBatch serves a kiosk of n records throttled to baud, and
// interrupts a pull of it (batches of 1000) as soon as the first records
// of a batch arrive. It returns the store folder, the kiosk, its port and
// a config for the next pull.
func interruptMidBatch(t *testing.T, n, baud int) (string, *sim.Kiosk, string, puller.Config) {
	t.Helper()
	dir := t.TempDir()
	st, _ := store.Open(dir)
	kc := kioskCfg(n)
	kc.Baud = baud
	k := sim.New(kc)
	path, _ := servePTY(t, k)
	cfg := testConfig(t, st)
	cfg.Batch = 1000
	ctx, cancel := context.WithCancel(context.Background())
	cfg.Progress = &cancelOnFirstLine{cancel: cancel}
	if _, err := puller.Pull(ctx, cfg, dialPath(path)); !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted pull: %v", err)
	}
	cfg.Progress = nil
	return dir, k, path, cfg
}

// cancelOnFirstLine cancels the pull as soon as the first records of a
// batch have arrived, so the kiosk is mid-batch.
type cancelOnFirstLine struct{ cancel context.CancelFunc }

func (c *cancelOnFirstLine) Begin(string, int64) {}
func (c *cancelOnFirstLine) Committed(int)       {}
func (c *cancelOnFirstLine) Rejected()           {}
func (c *cancelOnFirstLine) Received(int)        { c.cancel() }
func (c *cancelOnFirstLine) End()                {}

// TestNoisyLineShrinksBatch: at 3% line noise a 1000-record batch almost
// never arrives whole; the pull must shrink its batches and finish.
func TestNoisyLineShrinksBatch(t *testing.T) {
	dir := t.TempDir()
	st, _ := store.Open(dir)
	kc := kioskCfg(3000)
	kc.Noise = 0.03
	k := sim.New(kc)
	path, _ := servePTY(t, k)
	cfg := testConfig(t, st)
	cfg.Batch = 1000
	sum, err := pullPath(t, cfg, path)
	if err != nil {
		t.Fatalf("pull at 3%% noise: %v (%+v)", err, sum)
	}
	if sum.BadBatches == 0 || sum.MinBatch == 0 || sum.MinBatch >= 1000 || !sum.Complete {
		t.Errorf("summary %+v: want bad batches and a smaller batch", sum)
	}
	checkStore(t, dir, expected(t, k, 1))
}

// TestResyncOutOfTime: when the kiosk is still sending an interrupted
// pull's batch after ResyncTimeout, the pull says so (ErrStillSending, which
// running again mends), and a later pull gets through.
func TestResyncOutOfTime(t *testing.T) {
	dir, k, path, cfg := interruptMidBatch(t, 1200, 115200) // a 1000-record batch takes about 4 s
	short := cfg
	short.ResyncTimeout = 500 * time.Millisecond
	_, err := pullPath(t, short, path)
	if !errors.Is(err, puller.ErrStillSending) {
		t.Fatalf("greeting a kiosk busy with a long batch for 0.5 s: %v, want ErrStillSending", err)
	}
	sum, err := pullPath(t, cfg, path)
	if err != nil || !sum.Complete {
		t.Fatalf("pull after it: %+v, %v", sum, err)
	}
	checkStore(t, dir, expected(t, k, 1))
}
