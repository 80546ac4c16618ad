// Package serialport opens kiosk links on serial ports (USB adapters or
// pseudo-terminals) with go.bug.st/serial, lists the ports with their USB
// identity, and finds a kiosk's port again by its USB serial number after
// it was unplugged.
package serialport
