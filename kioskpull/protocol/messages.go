package protocol

import (
	"fmt"
	"hash/crc32"
	"strconv"
	"strings"

	"gongjian/gen/kiosklog"
)

// Hello is the kiosk's answer to "HELLO 1".
type Hello struct {
	Version  int
	Kiosk    string
	Firmware string
	Epoch    uint32
	First    uint64 // oldest record still held; Last+1 when the log is empty
	Last     uint64 // newest record; 0 when nothing was ever logged in this epoch
}

// Body returns the line body of h.
func (h Hello) Body() string {
	return fmt.Sprintf("HELLO %d %s %s %d %d %d", h.Version, h.Kiosk, h.Firmware, h.Epoch, h.First, h.Last)
}

// ParseHello parses a kiosk's HELLO line body.
func ParseHello(body string) (Hello, error) {
	f, err := fields(body, "HELLO", 6)
	if err != nil {
		return Hello{}, err
	}
	var h Hello
	v, err := parseUint(f[0], "version", 16)
	if err != nil {
		return h, err
	}
	h.Version = int(v)
	h.Kiosk, h.Firmware = f[1], f[2]
	if !kiosklog.ValidKioskID(h.Kiosk) {
		return h, fmt.Errorf("%w: kiosk id %s", ErrFormat, Redact(h.Kiosk))
	}
	if h.Firmware == "" {
		return h, fmt.Errorf("%w: empty firmware", ErrFormat)
	}
	e, err := parseUint(f[3], "epoch", 32)
	if err != nil {
		return h, err
	}
	h.Epoch = uint32(e)
	if h.First, err = parseUint(f[4], "first", 64); err != nil {
		return h, err
	}
	if h.Last, err = parseUint(f[5], "last", 64); err != nil {
		return h, err
	}
	if h.First == 0 || h.First > h.Last+1 {
		return h, fmt.Errorf("%w: first %d and last %d do not make a range", ErrFormat, h.First, h.Last)
	}
	return h, nil
}

// Dump is the host's request for at most Max records of Epoch from From.
type Dump struct {
	Epoch uint32
	From  uint64
	Max   int
}

// Body returns the line body of d.
func (d Dump) Body() string { return fmt.Sprintf("DUMP %d %d %d", d.Epoch, d.From, d.Max) }

// ParseDump parses a host's DUMP line body.
func ParseDump(body string) (Dump, error) {
	f, err := fields(body, "DUMP", 3)
	if err != nil {
		return Dump{}, err
	}
	var d Dump
	e, err := parseUint(f[0], "epoch", 32)
	if err != nil {
		return d, err
	}
	d.Epoch = uint32(e)
	if d.From, err = parseUint(f[1], "from", 64); err != nil {
		return d, err
	}
	m, err := parseUint(f[2], "max", 32)
	if err != nil {
		return d, err
	}
	if d.From == 0 || m == 0 || m > MaxBatch {
		return d, fmt.Errorf("%w: DUMP from %d max %d out of range", ErrFormat, d.From, m)
	}
	d.Max = int(m)
	return d, nil
}

// Gap says records From..To were overwritten before they were asked for.
type Gap struct{ From, To uint64 }

// Body returns the line body of g.
func (g Gap) Body() string { return fmt.Sprintf("GAP %d %d", g.From, g.To) }

// ParseGap parses a GAP line body.
func ParseGap(body string) (Gap, error) {
	f, err := fields(body, "GAP", 2)
	if err != nil {
		return Gap{}, err
	}
	var g Gap
	if g.From, err = parseUint(f[0], "from", 64); err != nil {
		return g, err
	}
	if g.To, err = parseUint(f[1], "to", 64); err != nil {
		return g, err
	}
	if g.From == 0 || g.To < g.From {
		return g, fmt.Errorf("%w: GAP %d..%d is not a range", ErrFormat, g.From, g.To)
	}
	return g, nil
}

// End closes a batch: how many records were sent, the last sequence number
// sent (From-1 when none) and the batch checksum.
type End struct {
	Count int
	Last  uint64
	Sum   uint32
}

// Body returns the line body of e.
func (e End) Body() string {
	return fmt.Sprintf("END %d %d %s", e.Count, e.Last, appendHex8(nil, e.Sum))
}

// ParseEnd parses an END line body.
func ParseEnd(body string) (End, error) {
	f, err := fields(body, "END", 3)
	if err != nil {
		return End{}, err
	}
	var e End
	c, err := strconv.ParseUint(f[0], 10, 32)
	if err != nil || (len(f[0]) > 1 && f[0][0] == '0') {
		return e, fmt.Errorf("%w: END count %s", ErrFormat, Redact(f[0]))
	}
	e.Count = int(c)
	if f[1] == "0" {
		e.Last = 0
	} else if e.Last, err = parseUint(f[1], "last", 64); err != nil {
		return e, err
	}
	if e.Sum, err = parseHex32(f[2], "batch checksum"); err != nil {
		return e, err
	}
	return e, nil
}

// Error codes a kiosk sends in ERR lines.
const (
	CodeCRC      = "CRC"      // the command line failed its checksum: send it again
	CodeSyntax   = "SYNTAX"   // unknown command or bad arguments
	CodeVersion  = "VERSION"  // protocol version not supported
	CodeEpoch    = "EPOCH"    // DUMP named an epoch that is not current: HELLO again
	CodeBusy     = "BUSY"     // kiosk busy (weighing, exporting): retry after 1 s
	CodeInternal = "INTERNAL" // kiosk fault; the message says more
)

// Err is a kiosk's typed error reply.
type Err struct {
	Code    string
	Message string
}

// Body returns the line body of e.
func (e Err) Body() string {
	if e.Message == "" {
		return "ERR " + e.Code
	}
	return "ERR " + e.Code + " " + e.Message
}

// Error quotes the kiosk's own text with every word of 5 or more digits
// redacted: a hostile kiosk could put a card number there.
func (e *Err) Error() string {
	words := strings.Split(e.Message, " ")
	for i, w := range words {
		digits := 0
		for _, c := range []byte(w) {
			if c >= '0' && c <= '9' {
				digits++
			}
		}
		if digits >= 5 {
			words[i] = Redact(w)
		}
	}
	return "kiosk error " + Redact(e.Code) + ": " + strings.Join(words, " ")
}

// ParseErr parses an ERR line body.
func ParseErr(body string) (*Err, error) {
	f, err := fields(body, "ERR", -1)
	if err != nil {
		return nil, err
	}
	if len(f) == 0 || f[0] == "" {
		return nil, fmt.Errorf("%w: ERR without a code", ErrFormat)
	}
	return &Err{Code: f[0], Message: strings.Join(f[1:], " ")}, nil
}

// Record is one deposit as the kiosk sends it: the raw card number is
// still in it, so it must be pseudonymised before it is stored.
type Record struct {
	Seq      uint64
	Time     int64 // Unix seconds
	Card     string
	Category kiosklog.Category
	Grams    int
	Points   int
}

// AppendRecord appends the record text "seq,time,card,cat,grams,points".
func AppendRecord(dst []byte, r Record) []byte {
	dst = strconv.AppendUint(dst, r.Seq, 10)
	dst = append(dst, ',')
	dst = strconv.AppendInt(dst, r.Time, 10)
	dst = append(dst, ',')
	dst = append(dst, r.Card...)
	dst = append(dst, ',')
	dst = append(dst, r.Category.Code()...)
	dst = append(dst, ',')
	dst = strconv.AppendInt(dst, int64(r.Grams), 10)
	dst = append(dst, ',')
	return strconv.AppendInt(dst, int64(r.Points), 10)
}

// ValidCard reports whether s can be a card number on the link: 1 to 32
// ASCII letters or digits.
func ValidCard(s string) bool {
	if len(s) == 0 || len(s) > 32 {
		return false
	}
	for _, c := range []byte(s) {
		if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z') {
			return false
		}
	}
	return true
}

// ParseRecord parses one record text.
func ParseRecord(s string) (Record, error) {
	var r Record
	f := strings.Split(s, ",")
	if len(f) != 6 {
		return r, fmt.Errorf("%w: record %s has %d fields, want 6", ErrFormat, Redact(s), len(f))
	}
	var err error
	if r.Seq, err = parseUint(f[0], "seq", 64); err != nil {
		return r, err
	}
	if r.Seq == 0 {
		return r, fmt.Errorf("%w: sequence number 0", ErrFormat)
	}
	t, err := parseUint(f[1], "time", 40)
	if err != nil {
		return r, err
	}
	r.Time = int64(t)
	if !ValidCard(f[2]) {
		return r, fmt.Errorf("%w: card %s is not 1 to 32 letters or digits", ErrFormat, Redact(f[2]))
	}
	r.Card = f[2]
	if r.Category, err = kiosklog.ParseCategory(f[3]); err != nil || len(f[3]) != 2 {
		return r, fmt.Errorf("%w: category %s", ErrFormat, Redact(f[3]))
	}
	g, err := parseUint(f[4], "grams", 20)
	if err != nil {
		return r, err
	}
	r.Grams = int(g)
	var p uint64
	if f[5] == "0" {
		p = 0
	} else if p, err = parseUint(f[5], "points", 20); err != nil {
		return r, err
	}
	r.Points = int(p)
	return r, nil
}

// ParseRecords parses an R line body into its records, and also returns
// each record's text for the batch checksum.
func ParseRecords(body string) ([]Record, []string, error) {
	if !strings.HasPrefix(body, "R ") {
		return nil, nil, fmt.Errorf("%w: R line expected, got %s", ErrFormat, Redact(Kind(body)))
	}
	texts := strings.Split(body[2:], ";")
	recs := make([]Record, len(texts))
	for i, t := range texts {
		r, err := ParseRecord(t)
		if err != nil {
			return nil, nil, err
		}
		recs[i] = r
	}
	return recs, texts, nil
}

// BatchSum accumulates the batch checksum: the CRC-32 of every record
// text of the batch, each followed by "\n", in order.
type BatchSum struct{ crc uint32 }

// Add adds one record text.
func (b *BatchSum) Add(text string) {
	b.crc = crc32.Update(b.crc, crc32.IEEETable, []byte(text))
	b.crc = crc32.Update(b.crc, crc32.IEEETable, []byte{'\n'})
}

// Sum returns the checksum so far.
func (b *BatchSum) Sum() uint32 { return b.crc }
