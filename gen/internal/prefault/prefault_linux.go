package prefault

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// hugePage is the size of an x86-64 or arm64 transparent huge page.
const hugePage = 2 << 20

// populate allocates n bytes and has the system back them, writable, in
// one call (MADV_POPULATE_WRITE). A new block of the heap is not written
// by the runtime, which knows it zero, so nothing faults it in before.
//
// The block's whole huge pages are first marked for transparent huge
// pages (MADV_HUGEPAGE), which the system then backs, where it can, with
// one page table entry for 2 MiB instead of 512. Go does not mark its
// heap, and most systems give huge pages only to memory so marked.
func populate(n int64) bool {
	b := make([]byte, n)
	start := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	from := (start + hugePage - 1) &^ (hugePage - 1)
	to := (start + uintptr(n)) &^ (hugePage - 1)
	if from < to {
		// Without transparent huge pages, the call fails and changes
		// nothing.
		_ = unix.Madvise(b[from-start:to-start], unix.MADV_HUGEPAGE)
	}
	return unix.Madvise(b, unix.MADV_POPULATE_WRITE) == nil
}
