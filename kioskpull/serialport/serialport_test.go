package serialport_test

import (
	"context"
	"errors"
	"os"
	"sync"
	"testing"
	"time"

	"gongjian/gen/kiosklog"
	"gongjian/kioskpull/msg"
	"gongjian/kioskpull/pseudonym"
	"gongjian/kioskpull/puller"
	"gongjian/kioskpull/serialport"
	"gongjian/kioskpull/sim"
	"gongjian/kioskpull/store"
)

// TestReconnectBySerialNumber unplugs the kiosk mid-pull and plugs it back
// in on another device path, as a USB adapter does; the pull finds it again
// by its USB serial number (the enumerator is faked) and completes.
func TestReconnectBySerialNumber(t *testing.T) {
	k := sim.New(sim.Config{Kiosk: "K04", HangupAfterRecs: 300,
		Log: sim.LogSpec{Seed: 4, Records: 700, Start: time.Date(2026, 6, 1, 0, 0, 0, 0, kiosklog.Location), Days: 30}})
	var mu sync.Mutex
	var ports []serialport.Port // what the enumerator sees now
	var plug func()
	plug = func() {
		p, err := sim.OpenPTY()
		if err != nil {
			t.Error(err)
			return
		}
		mu.Lock()
		ports = []serialport.Port{{Path: "/dev/ttyS9"}, {Path: p.Path, IsUSB: true, VID: "0403", PID: "6001", SerialNumber: "GJK-0004"}}
		mu.Unlock()
		ctx, cancel := context.WithCancel(context.Background())
		t.Cleanup(cancel)
		err = k.Serve(ctx, p)
		mu.Lock()
		ports = ports[:1] // unplugged
		mu.Unlock()
		p.Close()
		if errors.Is(err, sim.ErrHangup) {
			time.Sleep(50 * time.Millisecond) // the cable is out for a moment
			go plug()
		}
	}
	go plug()
	list := func() ([]serialport.Port, error) {
		mu.Lock()
		defer mu.Unlock()
		return append([]serialport.Port(nil), ports...), nil
	}
	for {
		if got, _ := list(); len(got) == 2 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	dir := t.TempDir()
	st, _ := store.Open(dir)
	h, _ := pseudonym.New([]byte("0123456789abcdef0123456789abcdef"))
	var logged []string
	sum, err := puller.Pull(context.Background(), puller.Config{
		Store: st, Pseudonym: h.Card, Batch: 100, Reconnect: 5 * time.Second, ReconnectPoll: 10 * time.Millisecond,
		HelloTimeout: 5 * time.Second, LineTimeout: 5 * time.Second,
		USBSerial: "GJK-0004", Logf: func(k msg.Key, a ...any) { logged = append(logged, string(k)) },
	}, serialport.DialerWith(list, "", "GJK-0004"))
	if err != nil {
		t.Fatalf("Pull: %v (log %q)", err, logged)
	}
	if sum.New != 700 || sum.Reconnects < 1 || !sum.Complete {
		t.Errorf("summary %+v", sum)
	}
	recs, err := kiosklog.ReadStore(os.DirFS(dir), ".")
	if err != nil || len(recs) != 700 {
		t.Errorf("store: %d records, %v", len(recs), err)
	}
	pulls, _ := kiosklog.ReadPulls(os.DirFS(dir), ".")
	if len(pulls) != 1 || pulls[0].USBSerial != "GJK-0004" {
		t.Errorf("pull.yaml %+v", pulls)
	}
}

func TestFindUnknownSerial(t *testing.T) {
	dial := serialport.DialerWith(func() ([]serialport.Port, error) { return nil, nil }, "", "nope")
	if _, err := dial(context.Background()); !errors.Is(err, serialport.ErrNotFound) {
		t.Errorf("dial of an absent kiosk: %v", err)
	}
}
