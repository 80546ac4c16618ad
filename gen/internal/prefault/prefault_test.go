package prefault

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

// TestHeap: memory the heap allocates after Heap takes far fewer page
// faults than the same allocations without it, in a process of its own
// kind (this test's) whose heap is small.
func TestHeap(t *testing.T) {
	if raceDetector {
		t.Skip("under the race detector every page the heap touches faults in shadow memory too, which Heap does not back")
	}
	const n = 48 << 20
	defer debug.SetGCPercent(debug.SetGCPercent(200)) // as gen build from a record
	runtime.GC()
	before := minorFaults(t)
	if !Heap(64 << 20) {
		t.Skip("the system cannot make memory resident in one call (Linux 5.14 or later can)")
	}
	after := minorFaults(t)
	kept := touch(n)
	faults := minorFaults(t) - after
	runtime.KeepAlive(kept)
	t.Logf("%d page faults touching %d MiB after Heap", faults, n>>20)
	// Without Heap, touching 48 MiB of new memory takes 12,288 faults,
	// one a page; with it, a few hundred: the pages are the block's, but
	// for what the runtime's scavenger gives back meanwhile, more on a
	// busy machine (up to 1,166 seen with both cores busy elsewhere).
	if want := int64(n / 4096 / 4); faults > want {
		t.Errorf("%d page faults touching %d MiB after Heap (%d faults to make it resident): want at most %d", faults, n>>20, after-before, want)
	}
}

func TestHeapSmall(t *testing.T) {
	if Heap(1 << 10) {
		t.Error("Heap made 1 KiB resident: it should not bother below a megabyte")
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
