package sim

import (
	"context"
	"fmt"
	"os"

	"github.com/creack/pty"
	"golang.org/x/sys/unix"
	"golang.org/x/term"
)

// PTY is a pseudo-terminal pair: the kiosk side holds the master, a host
// opens Path (the slave) as a serial port.
type PTY struct {
	Master *os.File
	slave  *os.File
	Path   string
}

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

// Close hangs up: the host's next read or write on Path fails.
func (p *PTY) Close() error {
	err := p.Master.Close()
	p.slave.Close()
	return err
}

// Read and Write make the pseudo-terminal a link for Serve.
func (p *PTY) Read(b []byte) (int, error)  { return p.Master.Read(b) }
func (p *PTY) Write(b []byte) (int, error) { return p.Master.Write(b) }

// ServePTY serves k once on a new pseudo-terminal: ready receives the
// device path before serving starts. The pseudo-terminal is closed (hung
// up) when serving ends.
func ServePTY(ctx context.Context, k *Kiosk, ready func(path string)) error {
	p, err := OpenPTY()
	if err != nil {
		return err
	}
	defer p.Close()
	ready(p.Path)
	return k.Serve(ctx, p)
}
