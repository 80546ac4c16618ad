package puller_test

import (
	"context"
	"errors"
	"io"
	"os"
	"testing"
	"time"

	"gongjian/gen/kiosklog"
	"gongjian/kioskpull/pseudonym"
	"gongjian/kioskpull/puller"
	"gongjian/kioskpull/serialport"
	"gongjian/kioskpull/sim"
	"gongjian/kioskpull/store"
)

var testStart = time.Date(2026, 1, 5, 0, 0, 0, 0, kiosklog.Location)

func hasher(t testing.TB) *pseudonym.Hasher {
	h, err := pseudonym.New([]byte("0123456789abcdef0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func kioskCfg(n int) sim.Config {
	return sim.Config{Kiosk: "K01", Log: sim.LogSpec{Seed: 7, Records: n, Start: testStart, Days: 60, Households: 40}}
}

// servePTY serves k once on a fresh pseudo-terminal and returns its path
// and a function that hangs up and waits for the server to end.
func servePTY(t testing.TB, k *sim.Kiosk) (string, func()) {
	t.Helper()
	p, err := sim.OpenPTY()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		k.Serve(ctx, p)
		p.Close()
	}()
	stop := func() {
		cancel()
		p.Close()
		<-done
	}
	t.Cleanup(stop)
	return p.Path, stop
}

func testConfig(t testing.TB, st *store.Store) puller.Config {
	return puller.Config{
		Store: st, Pseudonym: hasher(t).Card, Batch: 50,
		// Generous: a hang-up is seen at once (the port fails), and a
		// shared test machine can stall for a second.
		HelloTimeout: 5 * time.Second, LineTimeout: 5 * time.Second,
	}
}

func pullPath(t testing.TB, cfg puller.Config, path string) (puller.Summary, error) {
	return puller.Pull(context.Background(), cfg, dialPath(path))
}

func dialPath(path string) puller.DialFunc {
	return func(ctx context.Context) (io.ReadWriteCloser, error) {
		return serialport.Open(path)
	}
}

// checkStore asserts the store holds exactly the kiosk's records, once each.
func checkStore(t testing.TB, dir string, want []kiosklog.Record) {
	t.Helper()
	got, err := kiosklog.ReadStore(os.DirFS(dir), ".")
	if err != nil {
		t.Fatalf("ReadStore: %v", err)
	}
	if len(got) != len(want) {
		t.Fatalf("store holds %d records, want %d", len(got), len(want))
	}
	for i := range got {
		g, w := got[i], want[i]
		if !g.Time.Equal(w.Time) {
			t.Fatalf("record %d time = %v, want %v", i, g.Time, w.Time)
		}
		g.Time, w.Time = time.Time{}, time.Time{}
		if g != w {
			t.Fatalf("record %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

func expected(t testing.TB, k *sim.Kiosk, epoch uint32) []kiosklog.Record {
	h := hasher(t)
	var out []kiosklog.Record
	for _, r := range k.Records() {
		out = append(out, kiosklog.Record{Kiosk: "K01", Epoch: epoch, Seq: r.Seq, Time: time.Unix(r.Time, 0).In(kiosklog.Location),
			Card: h.Card(r.Card), Category: r.Category, Grams: r.Grams, Points: r.Points})
	}
	return out
}

func TestFullPull(t *testing.T) {
	dir := t.TempDir()
	st, _ := store.Open(dir)
	k := sim.New(kioskCfg(500))
	path, _ := servePTY(t, k)
	sum, err := pullPath(t, testConfig(t, st), path)
	if err != nil {
		t.Fatalf("Pull: %v", err)
	}
	if sum.New != 500 || sum.Duplicates != 0 || !sum.Complete || len(sum.Gaps) != 0 {
		t.Errorf("summary = %+v", sum)
	}
	checkStore(t, dir, expected(t, k, 1))
	// A second pull finds nothing new.
	sum, err = pullPath(t, testConfig(t, st), path)
	if err != nil || sum.New != 0 || !sum.Complete {
		t.Errorf("second pull: %+v, %v", sum, err)
	}
	pulls, err := kiosklog.ReadPulls(os.DirFS(dir), ".")
	if err != nil || len(pulls) != 1 || !pulls[0].Complete || pulls[0].LastSeq != 500 {
		t.Errorf("pull.yaml: %+v, %v", pulls, err)
	}
}

func TestHangupThenResume(t *testing.T) {
	dir := t.TempDir()
	st, _ := store.Open(dir)
	cfg := kioskCfg(300)
	cfg.HangupAfterRecs = 130
	k := sim.New(cfg)
	path, _ := servePTY(t, k)
	_, err := pullPath(t, testConfig(t, st), path)
	if !errors.Is(err, puller.ErrLinkLost) {
		t.Fatalf("Pull over a hang-up: %v, want ErrLinkLost", err)
	}
	n, _ := st.Count("K01")
	if n == 0 || n >= 300 || n%50 != 0 {
		t.Errorf("after hang-up: %d stored, want whole batches only", n)
	}
	if p, ok, _ := st.ReadPull("K01"); !ok || p.Complete || p.LastSeq != 300 {
		t.Errorf("pull.yaml after a cut-short pull: %+v, %v", p, ok)
	}
	path, _ = servePTY(t, k)
	sum, err := pullPath(t, testConfig(t, st), path)
	if err != nil {
		t.Fatal(err)
	}
	if sum.New != 300-n || sum.Duplicates != 0 {
		t.Errorf("resumed: %+v", sum)
	}
	checkStore(t, dir, expected(t, k, 1))
}
