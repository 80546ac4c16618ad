package parallel

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
)

// TestForEveryIndexOnce: every index is handed out exactly once, on no
// more goroutines than asked for.
func TestForEveryIndexOnce(t *testing.T) {
	for _, tt := range []struct{ n, workers int }{{0, 0}, {1, 0}, {7, 3}, {1000, 0}, {5, 100}} {
		seen := make([]atomic.Int32, tt.n)
		var running, most atomic.Int32
		err := For(context.Background(), tt.n, tt.workers, func(i int) error {
			r := running.Add(1)
			for {
				m := most.Load()
				if r <= m || most.CompareAndSwap(m, r) {
					break
				}
			}
			seen[i].Add(1)
			running.Add(-1)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		for i := range seen {
			if c := seen[i].Load(); c != 1 {
				t.Errorf("n=%d: index %d ran %d times", tt.n, i, c)
			}
		}
		if tt.workers > 0 && int(most.Load()) > tt.workers {
			t.Errorf("n=%d: %d at once, asked for at most %d", tt.n, most.Load(), tt.workers)
		}
	}
}

// TestForStopsAtFirstError: an error stops the loop and is returned; no
// index is started after it was seen by every worker.
func TestForStopsAtFirstError(t *testing.T) {
	boom := errors.New("boom")
	var ran atomic.Int32
	err := For(context.Background(), 10000, 2, func(i int) error {
		ran.Add(1)
		if i == 10 {
			return boom
		}
		return nil
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
	if n := ran.Load(); n > 100 {
		t.Errorf("%d calls ran after the error at index 10", n)
	}
}

// TestWorkersCancelled: a cancelled context hands out nothing more and
// Workers says why.
func TestWorkersCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var mu sync.Mutex
	var got []int
	err := Workers(ctx, 100, 1, func(next func() (int, bool)) {
		for {
			i, ok := next()
			if !ok {
				return
			}
			mu.Lock()
			got = append(got, i)
			mu.Unlock()
			if i == 4 {
				cancel()
			}
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if len(got) != 5 {
		t.Errorf("ran %v, want 0 to 4", got)
	}
}
