package puller

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"gongjian/kioskpull/protocol"
)

// errTimeout is returned by readLine when no line came in time.
var errTimeout = errors.New("timed out waiting for the kiosk")

type lineOrErr struct {
	line []byte
	err  error
}

// conn reads lines from a link in its own goroutine, so that waiting can
// time out whatever the link does: a serial port answers a read timeout
// with (0, nil), a pseudo-terminal blocks.
type conn struct {
	rw    io.ReadWriter
	lines chan lineOrErr
	done  chan struct{}
	wbuf  []byte
	stats *Summary
	clock Clock
}

func newConn(rw io.ReadWriter, stats *Summary, clock Clock) *conn {
	c := &conn{rw: rw, lines: make(chan lineOrErr, 64), done: make(chan struct{}), stats: stats, clock: clock}
	go c.readLoop()
	return c
}

// stop ends the reading goroutine once the link is closed (or, for a link
// whose reads time out, at its next timeout).
func (c *conn) stop() { close(c.done) }

func (c *conn) readLoop() {
	buf := make([]byte, 4096)
	var line []byte
	junk := false
	for {
		n, err := c.rw.Read(buf)
		for _, b := range buf[:n] {
			if b == '\n' {
				if !junk {
					select {
					case c.lines <- lineOrErr{line: append(line, b)}:
					case <-c.done:
						return
					}
				} else {
					select {
					case c.lines <- lineOrErr{line: []byte("overlong\n")}:
					case <-c.done:
						return
					}
				}
				line, junk = nil, false
				continue
			}
			if len(line) > protocol.MaxLine+2 {
				junk = true
				continue
			}
			line = append(line, b)
		}
		if err != nil {
			select {
			case c.lines <- lineOrErr{err: err}:
			case <-c.done:
			}
			return
		}
		select {
		case <-c.done:
			return
		default:
		}
	}
}

// readLine returns the next line, or errTimeout, or the link's error. A
// line already read off the link is returned without starting a timer.
func (c *conn) readLine(ctx context.Context, timeout time.Duration) ([]byte, error) {
	select {
	case l := <-c.lines:
		return c.got(l)
	default:
	}
	timer, stop := c.clock.Timer(timeout)
	defer stop()
	select {
	case l := <-c.lines:
		return c.got(l)
	case <-timer:
		// A line that arrived as the timer fired still counts.
		select {
		case l := <-c.lines:
			return c.got(l)
		default:
		}
		return nil, errTimeout
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// got is what readLine returns for l, counting its bytes.
func (c *conn) got(l lineOrErr) ([]byte, error) {
	if l.err != nil {
		return nil, l.err
	}
	if c.stats != nil {
		c.stats.LineBytes += int64(len(l.line))
	}
	return l.line, nil
}

func (c *conn) send(body string) error {
	c.wbuf = protocol.AppendLine(c.wbuf[:0], body)
	if _, err := c.rw.Write(c.wbuf); err != nil {
		return fmt.Errorf("sending %s: %w", protocol.Kind(body), err)
	}
	return nil
}
