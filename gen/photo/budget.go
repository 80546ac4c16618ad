package photo

import (
	"context"
	"slices"
	"sync"
)

// pixelBudget bounds the pixels being decoded at once: a photo takes its
// width×height (read from the header) before decoding and gives it back
// when its variants are written, so memory follows the photos' sizes, not
// the number of cores. A photo larger than the whole budget takes all of it
// and runs alone. Waiters are served in order, so a large photo is not
// starved by a stream of small ones.
type pixelBudget struct {
	mu      sync.Mutex
	size    int64
	used    int64
	waiters []*budgetWaiter
	// hold, when set, is called with the pixels taken once a photo holds
	// its share, and with their negation as it gives them back (tests).
	hold func(n int64)
}

type budgetWaiter struct {
	n     int64
	ready chan struct{}
}

func newPixelBudget(size int64) *pixelBudget { return &pixelBudget{size: max(size, 1)} }

// acquire takes n pixels (at most the whole budget), waiting until they are
// free or ctx is done. It returns the amount taken, for release.
func (b *pixelBudget) acquire(ctx context.Context, n int64) (int64, error) {
	n = min(max(n, 1), b.size)
	b.mu.Lock()
	if len(b.waiters) == 0 && b.used+n <= b.size {
		b.used += n
		b.mu.Unlock()
		b.held(n)
		return n, nil
	}
	w := &budgetWaiter{n: n, ready: make(chan struct{})}
	b.waiters = append(b.waiters, w)
	b.mu.Unlock()
	select {
	case <-w.ready:
		b.held(n)
		return n, nil
	case <-ctx.Done():
		b.mu.Lock()
		select {
		case <-w.ready: // granted meanwhile: give it back
			b.used -= n
		default:
			b.waiters = slices.DeleteFunc(b.waiters, func(x *budgetWaiter) bool { return x == w })
		}
		b.grant()
		b.mu.Unlock()
		return 0, ctx.Err()
	}
}

// release gives back what acquire took.
func (b *pixelBudget) release(n int64) {
	b.held(-n)
	b.mu.Lock()
	b.used -= n
	b.grant()
	b.mu.Unlock()
}

// grant wakes the waiters at the head of the queue that now fit. b.mu must
// be held.
func (b *pixelBudget) grant() {
	for len(b.waiters) > 0 && b.used+b.waiters[0].n <= b.size {
		w := b.waiters[0]
		b.used += w.n
		close(w.ready)
		b.waiters = b.waiters[1:]
	}
}

func (b *pixelBudget) held(n int64) {
	if b.hold != nil {
		b.hold(n)
	}
}
