package photo

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// writePNGs writes one PNG per size into a new folder and returns the jobs.
func writePNGs(t *testing.T, sizes [][2]int) []Job {
	t.Helper()
	dir := t.TempDir()
	jobs := make([]Job, len(sizes))
	for i, sz := range sizes {
		img := image.NewGray(image.Rect(0, 0, sz[0], sz[1]))
		for j := range img.Pix {
			img.Pix[j] = byte(i*31 + j) // each photo distinct: no shared cache key
		}
		var b bytes.Buffer
		if err := png.Encode(&b, img); err != nil {
			t.Fatal(err)
		}
		name := fmt.Sprintf("p%d.png", i)
		if err := os.WriteFile(filepath.Join(dir, name), b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		jobs[i] = Job{FS: os.DirFS(dir), Path: name}
	}
	return jobs
}

// budgetWatch records, through the budget's hook, the pixels and photos
// being decoded at once.
type budgetWatch struct {
	mu                 sync.Mutex
	pixels, photos     int64
	peakPx, peakPhotos int64
	bigAlone           bool // a photo over the budget was seen, and alone
}

func (w *budgetWatch) hook(size int64) func(int64) {
	return func(n int64) {
		w.mu.Lock()
		defer w.mu.Unlock()
		if n < 0 {
			w.pixels += n
			w.photos--
			return
		}
		w.pixels += n
		w.photos++
		w.peakPx = max(w.peakPx, w.pixels)
		w.peakPhotos = max(w.peakPhotos, w.photos)
		if n == size {
			w.bigAlone = w.photos == 1
		}
	}
}

// TestDecodeBudgetHolds: with room for two photos and six workers, two
// photos are decoded at once, never three; a photo larger than the whole
// budget is decoded alone. Each photo waits in the hook (bounded) until two
// have been seen at once, so the test does not depend on how the scheduler
// happens to interleave the workers.
func TestDecodeBudgetHolds(t *testing.T) {
	const w, h = 120, 90
	px := int64(w * h)
	sizes := [][2]int{{w, h}, {w, h}, {w, h}, {w, h}, {w, h}, {w, h}}
	jobs := writePNGs(t, sizes)
	opt := smallOptions()
	opt.Workers, opt.DecodePixels = 6, 2*px
	p := NewProcessor(t.TempDir(), opt)
	var watch budgetWatch
	record := watch.hook(2 * px)
	p.budget.hold = func(n int64) {
		record(n)
		if n < 0 {
			return
		}
		for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
			watch.mu.Lock()
			two := watch.peakPhotos >= 2
			watch.mu.Unlock()
			if two {
				break
			}
		}
	}
	res, errs := p.ProcessAll(context.Background(), jobs)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if got := p.Stats().Decoded; got != int64(len(jobs)) || len(res) != len(jobs) {
		t.Fatalf("decoded %d photos, want %d", got, len(jobs))
	}
	if watch.peakPx > 2*px || watch.peakPhotos != 2 {
		t.Errorf("peak while decoding: %d pixels in %d photos, want at most %d pixels, and 2 photos at once", watch.peakPx, watch.peakPhotos, 2*px)
	}
	if watch.pixels != 0 || watch.photos != 0 {
		t.Errorf("after the run %d pixels in %d photos are still held", watch.pixels, watch.photos)
	}

	// One photo three times the budget among small ones: it runs alone.
	jobs = writePNGs(t, [][2]int{{w / 2, h / 2}, {w / 2, h / 2}, {3 * w, h}, {w / 2, h / 2}, {w / 2, h / 2}})
	p = NewProcessor(t.TempDir(), opt)
	watch = budgetWatch{}
	p.budget.hold = watch.hook(2 * px)
	if _, errs := p.ProcessAll(context.Background(), jobs); len(errs) > 0 {
		t.Fatal(errs)
	}
	if !watch.bigAlone || watch.peakPx > 2*px {
		t.Errorf("large photo alone: %v; peak %d pixels, want at most %d", watch.bigAlone, watch.peakPx, 2*px)
	}
}

// TestPixelBudgetOrder: waiters are served first come, first served, and a
// cancelled waiter leaves the budget as it was.
func TestPixelBudgetOrder(t *testing.T) {
	ctx := context.Background()
	b := newPixelBudget(10)
	first, err := b.acquire(ctx, 8)
	if err != nil || first != 8 {
		t.Fatalf("acquire(8) = %d, %v", first, err)
	}
	order := make(chan int64, 2)
	var wg sync.WaitGroup
	big := make(chan struct{})
	wg.Go(func() {
		close(big)
		n, _ := b.acquire(ctx, 50) // more than the whole budget: takes all of it
		order <- n
		b.release(n)
	})
	<-big
	waitQueued(t, b, 1)
	// A small request fits beside the 8 held, but must not pass the large
	// one that waits before it.
	wg.Go(func() {
		n, _ := b.acquire(ctx, 1)
		order <- n
		b.release(n)
	})
	waitQueued(t, b, 2)
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if n, err := b.acquire(cctx, 5); err == nil {
		t.Errorf("acquire with a cancelled context took %d", n)
	}
	b.release(first)
	wg.Wait()
	if a, c := <-order, <-order; a != 10 || c != 1 {
		t.Errorf("served %d then %d, want the large request (clamped to 10) first, then 1", a, c)
	}
	if b.used != 0 || len(b.waiters) != 0 {
		t.Errorf("after all releases: used %d, %d waiting", b.used, len(b.waiters))
	}
}

// waitQueued waits (bounded) until n requests wait for the budget.
func waitQueued(t *testing.T, b *pixelBudget, n int) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		b.mu.Lock()
		queued := len(b.waiters)
		b.mu.Unlock()
		if queued == n {
			return
		}
	}
	t.Fatalf("%d requests never queued", n)
}
