// Package hugeheap has the Go heap grow into transparent huge pages, where
// the system has them, rather than 4 KiB pages: on a virtual machine the
// first touch of each small page costs microseconds (a fault, and the
// host's own work behind it), and a huge page pays that once per 2 MiB.
// Go marks none of its heap for huge pages, and most systems give them
// only to memory so marked. gen build uses it, and make bench-site shows
// what it gains, in a build from a record after one story changed and in
// a cold build.
package hugeheap

import (
	"math"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// Grow gives the heap a free block of about n bytes marked for
// transparent huge pages, for the allocations that follow: it allocates
// the block, marks it (nothing is made resident: each huge page is when
// first touched), and collects it. It costs a collection of the heap
// there is, so it pays before a build allocates, when the heap is small.
// It reports whether it did; it does nothing for less than a megabyte,
// and where the system has no transparent huge pages (systems other than
// Linux, and Linux with them turned off). The block is at most half the
// runtime's soft memory limit, or without one maxHeap. Calls on several
// goroutines take turns.
func Grow(n int64) bool {
	mu.Lock()
	defer mu.Unlock()
	limit := debug.SetMemoryLimit(-1)
	if limit == math.MaxInt64 {
		limit = 2 * maxHeap
	}
	n = min(n, limit/2)
	if n < 1<<20 {
		return false
	}
	// A block larger than the heap would start a collection at once,
	// one that marks the heap while the block is held, and the block
	// is freed only by the collection after: none until it is made.
	old := debug.SetGCPercent(-1)
	ok := advise(n)
	debug.SetGCPercent(old)
	if ok {
		runtime.GC()
	}
	return ok
}

// mu serialises Grow: each turns the collector off and back on.
var mu sync.Mutex

// maxHeap bounds the block Grow makes when the runtime has no memory
// limit.
const maxHeap = 1 << 30

// heapClasses are the runtime's measures of the heap's memory that the
// system backs: objects (live, and dead not yet swept), the unused parts
// of spans that hold objects, and free spans not given back.
var heapClasses = []string{
	"/memory/classes/heap/objects:bytes",
	"/memory/classes/heap/unused:bytes",
	"/memory/classes/heap/free:bytes",
}

// Resident is how much of the heap's memory the system backs now: what a
// process that does the same work again would have Grow give the heap.
func Resident() int64 {
	samples := make([]metrics.Sample, len(heapClasses))
	for i, name := range heapClasses {
		samples[i].Name = name
	}
	metrics.Read(samples)
	var n int64
	for _, s := range samples {
		if s.Value.Kind() == metrics.KindUint64 {
			n += int64(s.Value.Uint64())
		}
	}
	return n
}
