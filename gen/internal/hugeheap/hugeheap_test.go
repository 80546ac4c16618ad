package hugeheap

import (
	"runtime"
	"runtime/debug"
	"syscall"
	"testing"
)

// minorFaults is the number of page faults the process has taken that
// needed no disk.
func minorFaults(t *testing.T) int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		t.Fatal(err)
	}
	return ru.Minflt
}

// touch allocates n bytes in blocks of 32 KiB and writes to every page.
func touch(n int) [][]byte {
	var blocks [][]byte
	for range n / (32 << 10) {
		b := make([]byte, 32<<10)
		for i := 0; i < len(b); i += 4096 {
			b[i] = 1
		}
		blocks = append(blocks, b)
	}
	return blocks
}

// TestGrow: memory the heap allocates after Grow takes far fewer page
// faults than the same allocations without it (one a 2 MiB page, not one
// a 4 KiB page), in a process of its own kind (this test's) whose heap is
// small.
func TestGrow(t *testing.T) {
	if raceDetector {
		t.Skip("under the race detector every page the heap touches faults in shadow memory too, which Grow does not mark")
	}
	const n = 48 << 20
	defer debug.SetGCPercent(debug.SetGCPercent(200)) // as gen build from a record
	runtime.GC()
	if !Grow(64 << 20) {
		t.Skip("the system has no transparent huge pages")
	}
	fallbacks := hugePageFallbacks()
	before := minorFaults(t)
	kept := touch(n)
	faults := minorFaults(t) - before
	runtime.KeepAlive(kept)
	if hugePageFallbacks() > fallbacks {
		t.Skip("the system had no free huge page to give")
	}
	t.Logf("%d page faults touching %d MiB after Grow", faults, n>>20)
	// Without Grow, touching 48 MiB of new memory takes 12,288 faults,
	// one a page; with it, one a huge page (24), but for what the
	// runtime's scavenger gives back meanwhile.
	if want := int64(n / 4096 / 4); faults > want {
		t.Errorf("%d page faults touching %d MiB after Grow: want at most %d", faults, n>>20, want)
	}
}

func TestGrowSmall(t *testing.T) {
	if Grow(1 << 10) {
		t.Error("Grow took 1 KiB: it should not bother below a megabyte")
	}
}

// TestResident: the heap's resident memory counts a block the heap holds.
func TestResident(t *testing.T) {
	debug.FreeOSMemory()
	before := Resident()
	b := make([]byte, 32<<20)
	for i := 0; i < len(b); i += 4096 {
		b[i] = 1
	}
	if after := Resident(); after < before+30<<20 {
		t.Errorf("resident heap %d MiB with a 32 MiB block held, %d MiB before it", after>>20, before>>20)
	}
	runtime.KeepAlive(b)
}
