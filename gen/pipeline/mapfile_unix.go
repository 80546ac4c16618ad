//go:build unix

package pipeline

import (
	"os"
	"syscall"
)

// mapFile maps the first size bytes of f, read only: writing to them
// faults. release unmaps them, and nothing may use them after it. Where
// the file cannot be mapped, it is read.
func mapFile(f *os.File, size int) (b []byte, release func(), err error) {
	b, err = syscall.Mmap(int(f.Fd()), 0, size, syscall.PROT_READ, syscall.MAP_PRIVATE)
	if err != nil {
		return readFile(f, size)
	}
	return b, func() { syscall.Munmap(b) }, nil
}
