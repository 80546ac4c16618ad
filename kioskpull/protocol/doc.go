// Package protocol encodes and decodes the lines of version 1 of the kiosk
// link protocol described in kioskpull/PROTOCOL.md: every line is an ASCII
// body, '*', the CRC-32 of the body in 8 lowercase hex digits, and '\n'.
// Both the kiosk side (package sim) and the host side (package puller) use it.
package protocol
