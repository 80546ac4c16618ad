package main

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

// TestHeapPeak feeds heapPeak a series of live heap sizes and checks which
// of them it profiles: the first, then each that has grown by an eighth
// since the last profile; the one kept is the last taken.
func TestHeapPeak(t *testing.T) {
	for _, c := range []struct {
		heaps []uint64
		taken []uint64
	}{
		{heaps: []uint64{100}, taken: []uint64{100}},
		{heaps: []uint64{1000, 1124, 1125, 1500, 800, 1600, 1690}, taken: []uint64{1000, 1125, 1500, 1690}},
		{heaps: []uint64{800, 100, 200, 899, 900}, taken: []uint64{800, 900}},
		{heaps: []uint64{0, 0, 1}, taken: []uint64{0, 0, 1}}, // beside an empty heap, every sample is as large
	} {
		var i int
		var taken []uint64
		h := &heapPeak{
			live: func() uint64 { return c.heaps[i] },
			snap: func(w io.Writer) error {
				taken = append(taken, c.heaps[i])
				_, err := fmt.Fprintf(w, "profile at %d", c.heaps[i])
				return err
			},
		}
		for i = range c.heaps {
			h.sample()
		}
		if fmt.Sprint(taken) != fmt.Sprint(c.taken) {
			t.Errorf("heaps %v: profiled at %v, want %v", c.heaps, taken, c.taken)
		}
		last := c.taken[len(c.taken)-1]
		if want := fmt.Sprintf("profile at %d", last); string(h.prof) != want || h.peak != last {
			t.Errorf("heaps %v: kept %q (peak %d), want %q", c.heaps, h.prof, h.peak, want)
		}
	}
}

// TestHeapProfileFile profiles a heap that grows to 64 MiB and then is let
// go, and checks that the profile was taken near the peak, not at the end,
// and that the file is a gzipped heap profile that names the function that
// held the memory.
func TestHeapProfileFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "heap.out")
	w, err := watchHeap(file)
	if err != nil {
		t.Fatal(err)
	}
	held := holdHeap(64 << 20)
	runtime.GC()
	// The profile kept is within an eighth of the peak (heapPeak): the
	// watcher may have sampled the heap as it grew, and not again at 64
	// MiB.
	const want = 64 << 20 * 8 / 9
	// Bounded: the watcher samples every 50 ms; a loaded machine may
	// hold it back, so the test waits until it has seen the peak.
	for range 1000 {
		if w.peak() >= want {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	runtime.KeepAlive(held)
	held = nil
	runtime.GC()
	peak, err := w.stop()
	if err != nil {
		t.Fatal(err)
	}
	if peak < want {
		t.Errorf("profile taken at a live heap of %d bytes, want within an eighth of the peak of 64 MiB, at least %d", peak, want)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%s is not gzipped: %v", file, err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	// The profile's string table holds its sample types and the functions
	// of its samples.
	for _, want := range []string{"inuse_space", "alloc_space", "holdHeap"} {
		if !bytes.Contains(raw, []byte(want)) {
			t.Errorf("the heap profile does not mention %q", want)
		}
	}
}

//go:noinline
func holdHeap(n int) [][]byte {
	var out [][]byte
	for range n >> 20 {
		out = append(out, make([]byte, 1<<20))
	}
	return out
}
