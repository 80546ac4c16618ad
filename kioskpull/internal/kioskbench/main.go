// Command kioskbench measures the kiosk link: payload efficiency through
// the simulated kiosk throttled to 115200 baud (record bytes delivered per
// second ÷ line bytes per second; target at least 90%), and records per
// second of a whole pull (verify, pseudonymise, commit with fsync) over an
// unthrottled pseudo-terminal. Run by `make bench-kiosk`.
package main

import (
	"context"
	"crypto/rand"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"gongjian/kioskpull/kiosklog"
	"gongjian/kioskpull/pseudonym"
	"gongjian/kioskpull/puller"
	"gongjian/kioskpull/serialport"
	"gongjian/kioskpull/sim"
	"gongjian/kioskpull/store"
)

func main() {
	throttled := flag.Int("throttled", 2500, "records pulled at 115200 baud")
	fast := flag.Int("fast", 50000, "records pulled unthrottled")
	flag.Parse()
	if err := run(*throttled, *fast); err != nil {
		fmt.Fprintln(os.Stderr, "kioskbench:", err)
		os.Exit(1)
	}
}

func run(throttled, fast int) error {
	key := make([]byte, 32)
	rand.Read(key)
	h, err := pseudonym.New(key)
	if err != nil {
		return err
	}
	fmt.Printf("kiosk link benchmark (protocol v1, %d records per R line, batches of 1000)\n", 16)

	s, err := pullOnce(h, throttled, 115200)
	if err != nil {
		return err
	}
	secs := s.Elapsed.Seconds()
	fmt.Printf("115200 baud: %d records in %.2fs: %.0f record bytes/s of %.0f line bytes/s (link max %d bytes/s)\n",
		s.New, secs, float64(s.RecordBytes)/secs, float64(s.LineBytes)/secs, 115200/10)
	eff := 100 * float64(s.RecordBytes) / float64(s.LineBytes)
	verdict := "meets"
	if eff < 90 {
		verdict = "MISSES"
	}
	fmt.Printf("payload efficiency: %.1f%% (%s the 90%% target); %.0f records/s\n", eff, verdict, float64(s.New)/secs)

	s, err = pullOnce(h, fast, 0)
	if err != nil {
		return err
	}
	fmt.Printf("unthrottled pty: %d records in %.2fs: %.0f records/s (verified, pseudonymised, committed with fsync)\n",
		s.New, s.Elapsed.Seconds(), float64(s.New)/s.Elapsed.Seconds())
	return nil
}

func pullOnce(h *pseudonym.Hasher, records, baud int) (puller.Summary, error) {
	dir, err := os.MkdirTemp("", "kioskbench-")
	if err != nil {
		return puller.Summary{}, err
	}
	defer os.RemoveAll(dir)
	st, err := store.Open(dir)
	if err != nil {
		return puller.Summary{}, err
	}
	k := sim.New(sim.Config{Kiosk: "K01", Baud: baud, Log: sim.LogSpec{Seed: 1, Records: records,
		Start: time.Date(2026, 1, 1, 0, 0, 0, 0, kiosklog.Location), Days: 120, Households: 300}})
	p, err := sim.OpenPTY()
	if err != nil {
		return puller.Summary{}, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { k.Serve(ctx, p); close(done) }()
	defer func() { cancel(); p.Close(); <-done }()
	sum, err := puller.Pull(context.Background(), puller.Config{Store: st, Pseudonym: h.Card},
		func(context.Context) (io.ReadWriteCloser, error) { return serialport.Open(p.Path) })
	if err == nil && sum.New != records {
		err = fmt.Errorf("pulled %d records, want %d", sum.New, records)
	}
	return sum, err
}
