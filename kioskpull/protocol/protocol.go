package protocol

import (
	"errors"
	"fmt"
	"hash/crc32"
	"strconv"
	"strings"

	"gongjian/kioskpull/msg"
)

// Version is the protocol version this package speaks.
const Version = 1

// MaxLine is the longest line, body and trailer included, a peer may send.
const MaxLine = 1024

// MaxBatch is the largest MAX a host may ask for in DUMP.
const MaxBatch = 100000

// RecordsPerLine is how many records a kiosk packs into one R line by
// default; more per line means less overhead (see PROTOCOL.md).
const RecordsPerLine = 16

// Errors returned by ParseLine and the message parsers.
var (
	ErrCRC    = msg.Errorf(msg.ProtocolCRC)
	ErrFormat = errors.New("malformed line")
)

// Checksum is the CRC-32 (IEEE) used for lines and batches.
func Checksum(b []byte) uint32 { return crc32.ChecksumIEEE(b) }

// AppendLine appends body framed as a line: body '*' crc '\n'.
func AppendLine(dst []byte, body string) []byte {
	dst = append(dst, body...)
	dst = append(dst, '*')
	dst = appendHex8(dst, crc32.ChecksumIEEE([]byte(body)))
	return append(dst, '\n')
}

func appendHex8(dst []byte, v uint32) []byte {
	const hexdigits = "0123456789abcdef"
	for shift := 28; shift >= 0; shift -= 4 {
		dst = append(dst, hexdigits[(v>>uint(shift))&0xf])
	}
	return dst
}

// ParseLine checks one received line (with or without its trailing "\n" or
// "\r\n") and returns its body. It fails with ErrFormat for a line that is
// not framed right or holds bytes outside printable ASCII, and with ErrCRC
// when the checksum does not match.
func ParseLine(line []byte) (string, error) {
	n := len(line)
	if n > 0 && line[n-1] == '\n' {
		n--
	}
	if n > 0 && line[n-1] == '\r' {
		n--
	}
	line = line[:n]
	if n > MaxLine {
		return "", fmt.Errorf("%w: %d bytes, longer than %d", ErrFormat, n, MaxLine)
	}
	if n < 10 || line[n-9] != '*' {
		return "", fmt.Errorf("%w: no *CRC trailer", ErrFormat)
	}
	body := line[:n-9]
	var want uint32
	for _, c := range line[n-8:] {
		var d byte
		switch {
		case c >= '0' && c <= '9':
			d = c - '0'
		case c >= 'a' && c <= 'f':
			d = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			d = c - 'A' + 10
		default:
			return "", fmt.Errorf("%w: CRC %s is not 8 hex digits", ErrFormat, Redact(string(line[n-8:])))
		}
		want = want<<4 | uint32(d)
	}
	for _, c := range body {
		if c < 0x20 || c > 0x7e || c == '*' {
			// Check the CRC first so noise is reported as noise.
			if crc32.ChecksumIEEE(body) != want {
				return "", ErrCRC
			}
			return "", fmt.Errorf("%w: byte %#02x in body", ErrFormat, c)
		}
	}
	if crc32.ChecksumIEEE(body) != want {
		return "", ErrCRC
	}
	return string(body), nil
}

// Kind is the first word of a line body.
func Kind(body string) string {
	if i := strings.IndexByte(body, ' '); i >= 0 {
		return body[:i]
	}
	return body
}

func fields(body, kind string, n int) ([]string, error) {
	f := strings.Split(body, " ")
	if f[0] != kind {
		return nil, fmt.Errorf("%w: %s line expected, got %s", ErrFormat, kind, Redact(Kind(body)))
	}
	if n >= 0 && len(f) != n+1 {
		return nil, fmt.Errorf("%w: %s line has %d fields, want %d", ErrFormat, kind, len(f)-1, n)
	}
	return f[1:], nil
}

func parseUint(s, what string, bits int) (uint64, error) {
	if s == "" || (len(s) > 1 && s[0] == '0') {
		return 0, fmt.Errorf("%w: %s %s is not a canonical decimal number", ErrFormat, what, Redact(s))
	}
	v, err := strconv.ParseUint(s, 10, bits)
	if err != nil {
		return 0, fmt.Errorf("%w: %s %s is not a decimal number", ErrFormat, what, Redact(s))
	}
	return v, nil
}

func parseHex32(s, what string) (uint32, error) {
	if len(s) != 8 {
		return 0, fmt.Errorf("%w: %s %s is not 8 hex digits", ErrFormat, what, Redact(s))
	}
	v, err := strconv.ParseUint(s, 16, 32)
	if err != nil {
		return 0, fmt.Errorf("%w: %s %s is not 8 hex digits", ErrFormat, what, Redact(s))
	}
	return uint32(v), nil
}

// words are the first words of lines this protocol knows; Redact shows
// them as they are.
var words = map[string]bool{
	"HELLO": true, "DUMP": true, "BYE": true, "GAP": true, "R": true, "END": true, "ERR": true,
	CodeCRC: true, CodeSyntax: true, CodeVersion: true, CodeEpoch: true, CodeBusy: true, CodeInternal: true,
}

// Redact quotes text that came from a kiosk for an error message without
// revealing it: any field of a hostile line may hold a card number, which
// must never be printed. Protocol words and text of up to 4 bytes are
// shown as they are; anything longer keeps its first 2 bytes and says how
// long it was.
func Redact(s string) string {
	if len(s) <= 4 || words[s] {
		return fmt.Sprintf("%q", s)
	}
	return fmt.Sprintf("%q… (%d bytes, not shown)", s[:2], len(s))
}
