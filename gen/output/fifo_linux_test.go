package output

import (
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestFolderEqualNamedPipe: a named pipe where the published site has a
// page is not equal to anything, and comparing with it does not wait for
// a writer that never comes.
func TestFolderEqualNamedPipe(t *testing.T) {
	dir := t.TempDir()
	if err := syscall.Mkfifo(filepath.Join(dir, "index.html"), 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	f, err := openFolder(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer f.close()
	done := make(chan bool, 1)
	go func() { done <- f.equal("index.html", nil) }()
	select {
	case got := <-done:
		if got {
			t.Error("a named pipe is equal to an empty page")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("equal still waits on the named pipe after 10 s")
	}
}
