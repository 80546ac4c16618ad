//go:build unix

package sim

import (
	"fmt"
	"os"

	"github.com/creack/pty"
	"golang.org/x/sys/unix"
	"golang.org/x/term"
)

// OpenPTY opens a pseudo-terminal in raw mode. The slave stays open here
// too, so reading the master does not fail before a host opens Path.
func OpenPTY() (*PTY, error) {
	m, s, err := pty.Open()
	if err != nil {
		return nil, fmt.Errorf("sim: open pty: %w", err)
	}
	if _, err := term.MakeRaw(int(s.Fd())); err != nil {
		m.Close()
		s.Close()
		return nil, fmt.Errorf("sim: raw mode on %s: %w", s.Name(), err)
	}
	// pty.Open leaves the master in blocking mode, where Close waits for a
	// pending Read and so can never hang up an idle line. A non-blocking
	// duplicate goes through Go's poller, whose Close interrupts the Read.
	fd, err := unix.Dup(int(m.Fd()))
	m.Close()
	if err == nil {
		err = unix.SetNonblock(fd, true)
	}
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("sim: pty master: %w", err)
	}
	return &PTY{Master: os.NewFile(uintptr(fd), "/dev/ptmx"), slave: s, Path: s.Name()}, nil
}
