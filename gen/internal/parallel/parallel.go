// Package parallel is gen's one worker pool: the iterations of a loop run
// on a bounded number of goroutines, which take indexes in order from an
// atomic counter. A counter, not a channel: a channel hand-off per item
// wakes a sleeping goroutine per item, which cost more system time than
// the work for small items (story files, pages).
package parallel

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
)

// Workers runs body on up to workers goroutines (GOMAXPROCS when workers
// is 0 or less, and never more than n). Each body takes indexes of [0, n)
// in order with next, which reports false once every index is taken or ctx
// is done. Workers returns when every body has, with ctx's error if it
// stopped handing out indexes early.
func Workers(ctx context.Context, n, workers int, body func(next func() (int, bool))) error {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, n)
	var (
		counter atomic.Int64
		stopped atomic.Bool
		wg      sync.WaitGroup
	)
	next := func() (int, bool) {
		if counter.Load() >= int64(n) {
			return 0, false
		}
		if ctx.Err() != nil {
			stopped.Store(true)
			return 0, false
		}
		i := int(counter.Add(1)) - 1
		return i, i < n
	}
	for range workers {
		wg.Go(func() { body(next) })
	}
	wg.Wait()
	if stopped.Load() {
		return ctx.Err()
	}
	return nil
}

// For calls fn(i) for every i of [0, n) on up to workers goroutines (see
// Workers). The first error stops handing out indexes and is returned;
// calls already running finish.
func For(ctx context.Context, n, workers int, fn func(i int) error) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	err := Workers(ctx, n, workers, func(next func() (int, bool)) {
		for {
			i, ok := next()
			if !ok {
				return
			}
			if err := fn(i); err != nil {
				cancel(err)
				return
			}
		}
	})
	if err != nil {
		return context.Cause(ctx)
	}
	return nil
}
