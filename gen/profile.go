package main

import (
	"bytes"
	"io"
	"os"
	"runtime/pprof"
	"sync"
	"time"

	"gongjian/gen/internal/memlimit"
)

// startCPUProfile profiles the process into file until stop is called.
func startCPUProfile(file string) (stop func(), err error) {
	f, err := os.Create(file)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}

// startHeapProfile watches the live heap until stop is called, then writes
// to file the heap profile taken when it was largest: its inuse_space says
// what the build holds at its peak, its alloc_space what it had allocated
// by then. A profile taken at the end would show the heap after the build
// let go of it.
// stop returns the live heap the profile was taken at.
func startHeapProfile(file string) (stop func() (uint64, error), err error) {
	w, err := watchHeap(file)
	if err != nil {
		return nil, err
	}
	return w.stop, nil
}

// heapWatch samples the live heap on a ticker into a heapPeak.
type heapWatch struct {
	f    *os.File
	mu   sync.Mutex // guards h
	h    heapPeak
	done chan struct{}
	wg   sync.WaitGroup
}

func watchHeap(file string) (*heapWatch, error) {
	f, err := os.Create(file)
	if err != nil {
		return nil, err
	}
	w := &heapWatch{f: f, done: make(chan struct{})}
	w.h = heapPeak{live: memlimit.LiveHeap, snap: func(w io.Writer) error { return pprof.Lookup("heap").WriteTo(w, 0) }}
	w.wg.Go(func() {
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-w.done:
				return
			case <-tick.C:
				w.sample()
			}
		}
	})
	return w, nil
}

func (w *heapWatch) sample() {
	w.mu.Lock()
	w.h.sample()
	w.mu.Unlock()
}

// peak is the live heap of the profile kept so far.
func (w *heapWatch) peak() uint64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.h.peak
}

func (w *heapWatch) stop() (uint64, error) {
	close(w.done)
	w.wg.Wait()
	w.sample()
	err := w.h.err
	if err == nil {
		_, err = w.f.Write(w.h.prof)
	}
	if cerr := w.f.Close(); err == nil {
		err = cerr
	}
	return w.h.peak, err
}

// heapPeak keeps the heap profile of the largest live heap seen. A new
// profile is taken only when the heap has grown by an eighth since the
// last, so that a growing heap costs a few dozen profiles, not one a tick,
// and the one kept is within an eighth of the peak.
type heapPeak struct {
	live func() uint64           // the live heap now, in bytes
	snap func(w io.Writer) error // writes a heap profile
	peak uint64                  // the live heap when prof was taken
	prof []byte
	err  error
}

func (h *heapPeak) sample() {
	n := h.live()
	if h.prof != nil && n < h.peak+h.peak/8 {
		return
	}
	var b bytes.Buffer
	if err := h.snap(&b); err != nil {
		h.err = err
		return
	}
	h.peak, h.prof = n, b.Bytes()
}
