package prefault

import "golang.org/x/sys/unix"

// populate allocates n bytes and has the system back them, writable, in
// one call (MADV_POPULATE_WRITE). A new block of the heap is not written
// by the runtime, which knows it zero, so nothing faults it in before.
func populate(n int64) bool {
	b := make([]byte, n)
	return unix.Madvise(b, unix.MADV_POPULATE_WRITE) == nil
}
