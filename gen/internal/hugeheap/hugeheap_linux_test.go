package hugeheap

import (
	"bufio"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// hugeAdvised is the size of the process's memory marked for
// transparent huge pages (VmFlags "hg" in /proc/self/smaps).
func hugeAdvised(t *testing.T) int64 {
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	var total, size int64
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if kb, ok := strings.CutPrefix(line, "Size:"); ok {
			n, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(kb, "kB")), 10, 64)
			if err != nil {
				t.Fatalf("smaps: %q: %v", line, err)
			}
			size = n << 10
		}
		if flags, ok := strings.CutPrefix(line, "VmFlags:"); ok && strings.Contains(" "+flags+" ", " hg ") {
			total += size
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return total
}

// TestGrowHugePages: the block Grow gives the heap is marked for
// transparent huge pages, where the kernel has them, so that the heap it
// serves is backed in 2 MiB pages.
func TestGrowHugePages(t *testing.T) {
	if !hugePagesOn() {
		t.Skip("the kernel gives no transparent huge pages")
	}
	before := hugeAdvised(t)
	if !Grow(64 << 20) {
		t.Fatal("Grow(64 MiB) did nothing, with transparent huge pages on")
	}
	runtime.GC()
	// The block's whole huge pages: all of it but up to 2 MiB at each end.
	if got, want := hugeAdvised(t)-before, int64(64<<20-2*hugePage); got < want {
		t.Errorf("Grow(64 MiB) marked %d MiB for huge pages, want at least %d", got>>20, want>>20)
	}
}

// hugePageFallbacks is how many times the system gave small pages where
// huge ones were asked for, since it started; 0 where it does not say.
func hugePageFallbacks() int64 {
	b, err := os.ReadFile("/proc/vmstat")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "thp_fault_fallback "); ok {
			n, _ := strconv.ParseInt(v, 10, 64)
			return n
		}
	}
	return 0
}
