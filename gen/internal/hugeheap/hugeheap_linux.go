package hugeheap

import (
	"os"
	"strings"
	"sync"
	"unsafe"

	"golang.org/x/sys/unix"
)

// hugePage is the size of an x86-64 or arm64 transparent huge page.
const hugePage = 2 << 20

// advise allocates n bytes and marks the block's whole huge pages for
// transparent huge pages (MADV_HUGEPAGE); it reports whether the system
// took the mark. A new block of the heap is not written by the runtime,
// which knows it zero, so nothing has touched it before.
//
// Making the block resident at once (MADV_POPULATE_WRITE) was measured
// too, and lost (make bench-site, one story changed): it backs, on one
// core before the build starts, pages the build may never touch, which
// the build otherwise faults in as it goes, on whichever core allocates.
func advise(n int64) bool {
	if !hugePagesOn() {
		return false
	}
	b := make([]byte, n)
	start := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	from := (start + hugePage - 1) &^ (hugePage - 1)
	to := (start + uintptr(n)) &^ (hugePage - 1)
	if from >= to {
		return false
	}
	return unix.Madvise(b[from-start:to-start], unix.MADV_HUGEPAGE) == nil
}

// hugePagesOn reports whether the kernel gives transparent huge pages, to
// memory marked for them at least: it has them, and they are not turned
// off ("[never]").
var hugePagesOn = sync.OnceValue(func() bool {
	mode, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled")
	return err == nil && !strings.Contains(string(mode), "[never]")
})
