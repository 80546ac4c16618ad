package serialport

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"go.bug.st/serial"
	"go.bug.st/serial/enumerator"
)

// Baud is the kiosk link's speed (8 data bits, no parity, 1 stop bit).
const Baud = 115200

// readTimeout bounds each read so the reader can notice it should stop;
// go.bug.st/serial reports a timeout as (0, nil).
const readTimeout = 100 * time.Millisecond

// Open opens the serial port at path (e.g. /dev/ttyUSB0 or /dev/pts/3).
func Open(path string) (io.ReadWriteCloser, error) {
	p, err := serial.Open(path, &serial.Mode{BaudRate: Baud, DataBits: 8, Parity: serial.NoParity, StopBits: serial.OneStopBit})
	if err != nil {
		return nil, fmt.Errorf("serialport: open %s: %w", path, err)
	}
	if err := p.SetReadTimeout(readTimeout); err != nil {
		p.Close()
		return nil, fmt.Errorf("serialport: %s: %w", path, err)
	}
	return p, nil
}

// Port describes one serial port.
type Port struct {
	Path         string
	IsUSB        bool
	VID, PID     string
	SerialNumber string
	Product      string
}

// List returns the serial ports of this machine, sorted by path.
func List() ([]Port, error) {
	list, err := enumerator.GetDetailedPortsList()
	if err != nil {
		return nil, fmt.Errorf("serialport: listing ports: %w", err)
	}
	var ports []Port
	for _, d := range list {
		ports = append(ports, Port{Path: d.Name, IsUSB: d.IsUSB, VID: strings.ToLower(d.VID), PID: strings.ToLower(d.PID), SerialNumber: d.SerialNumber, Product: d.Product})
	}
	slices.SortFunc(ports, func(a, b Port) int { return strings.Compare(a.Path, b.Path) })
	return ports, nil
}

// ErrNotFound is returned by Find when no port has the serial number.
var ErrNotFound = errors.New("no port with that USB serial number")

// Find returns the path of the port whose USB adapter has serial number sn
// (device paths change when a cable is plugged back in; serials do not).
func Find(sn string) (string, error) { return find(List, sn) }

func find(list func() ([]Port, error), sn string) (string, error) {
	ports, err := list()
	if err != nil {
		return "", err
	}
	for _, p := range ports {
		if p.IsUSB && p.SerialNumber == sn {
			return p.Path, nil
		}
	}
	return "", fmt.Errorf("serialport: %q: %w", sn, ErrNotFound)
}

// Dialer returns a dial function for package puller: it finds the port by
// USB serial number if sn is set, else opens path.
func Dialer(path, sn string) func(ctx context.Context) (io.ReadWriteCloser, error) {
	return DialerWith(List, path, sn)
}

// DialerWith is Dialer with the port enumerator passed in (for tests).
func DialerWith(list func() ([]Port, error), path, sn string) func(ctx context.Context) (io.ReadWriteCloser, error) {
	return func(ctx context.Context) (io.ReadWriteCloser, error) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		p := path
		if sn != "" {
			found, err := find(list, sn)
			if err != nil {
				return nil, err
			}
			p = found
		}
		return Open(p)
	}
}
