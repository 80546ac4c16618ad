package sim

import (
	"context"
	"os"
)

// PTY is a pseudo-terminal pair: the kiosk side holds the master, a host
// opens Path (the slave) as a serial port.
type PTY struct {
	Master *os.File
	slave  *os.File
	Path   string
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
