package sim

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"sync"
	"time"

	"gongjian/kioskpull/protocol"
)

// ErrHangup is returned by Serve when a hang-up fault cut the link.
var ErrHangup = errors.New("sim: hung up (fault)")

// Config sets up a simulated kiosk.
type Config struct {
	Kiosk    string // kiosk id, e.g. "K01"
	Firmware string // default "sim-1.0"
	Epoch    uint32 // log epoch, default 1
	Log      LogSpec

	// RingFirst drops every record below this sequence number, as if the
	// kiosk's ring buffer had overwritten them (0: keep all).
	RingFirst uint64
	// RecordsPerLine is how many records go in one R line
	// (default protocol.RecordsPerLine).
	RecordsPerLine int
	// MaxBatch caps the records sent per DUMP whatever the host asks
	// (0: no cap beyond the host's MAX).
	MaxBatch int

	// Faults.
	Baud              int     // throttle output to Baud/10 bytes per second (0: as fast as possible)
	Noise             float64 // probability that a sent line gets one bit flipped
	HangupAfterBytes  int     // once: cut the link after this many bytes were sent (0: never)
	HangupAfterRecs   int     // once: cut the link after this many records were sent (0: never)
	ResetAfterRecords int     // once: after this many records, reset the log (new epoch) and hang up

	Hostile Hostile // a kiosk that breaks the protocol (tests of the host's bounds)
}

// Hostile is a way a broken or hostile kiosk misbehaves.
type Hostile int

// Hostile behaviours.
const (
	Polite Hostile = iota
	// EpochLoop answers every DUMP with ERR EPOCH and its own epoch.
	EpochLoop
	// JunkForever answers DUMP with a batch whose checksum is wrong, then
	// sends lines of 0xff bytes until the link goes.
	JunkForever
	// CardInBadRecord answers DUMP with a record whose card field is
	// BadCard (not a valid card number) in a line with a good checksum,
	// every time it is asked.
	CardInBadRecord
)

// BadCard is the raw card number the CardInBadRecord kiosk leaks onto the
// link; a host must never print it.
const BadCard = "8642-001234567890"

// Kiosk is a simulated kiosk. Its log and one-shot faults persist across
// Serve calls, as a real kiosk's do across cable plugs.
type Kiosk struct {
	mu       sync.Mutex
	cfg      Config
	epoch    uint32
	recs     []protocol.Record // the records still held, ascending
	last     uint64
	rng      *rand.Rand
	sentRecs int
}

// New returns a kiosk with its generated log.
func New(cfg Config) *Kiosk {
	if cfg.Firmware == "" {
		cfg.Firmware = "sim-1.0"
	}
	if cfg.Epoch == 0 {
		cfg.Epoch = 1
	}
	if cfg.RecordsPerLine <= 0 {
		cfg.RecordsPerLine = protocol.RecordsPerLine
	}
	k := &Kiosk{cfg: cfg, epoch: cfg.Epoch, rng: rand.New(rand.NewPCG(cfg.Log.Seed, 0x6e6f697365))}
	k.recs = GenerateLog(cfg.Log)
	if n := len(k.recs); n > 0 {
		k.last = k.recs[n-1].Seq
	} else {
		k.last = max(cfg.Log.FirstSeq, 1) - 1
	}
	if cfg.RingFirst > 0 {
		k.dropBelow(cfg.RingFirst)
	}
	return k
}

func (k *Kiosk) dropBelow(seq uint64) {
	i := 0
	for i < len(k.recs) && k.recs[i].Seq < seq {
		i++
	}
	k.recs = k.recs[i:]
}

// Records returns a copy of the records the kiosk holds now.
func (k *Kiosk) Records() []protocol.Record {
	k.mu.Lock()
	defer k.mu.Unlock()
	return append([]protocol.Record(nil), k.recs...)
}

// Epoch returns the current log epoch.
func (k *Kiosk) Epoch() uint32 {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.epoch
}

// Hello returns what the kiosk answers to HELLO now.
func (k *Kiosk) Hello() protocol.Hello {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.helloLocked()
}

func (k *Kiosk) helloLocked() protocol.Hello {
	first := k.last + 1
	if len(k.recs) > 0 {
		first = k.recs[0].Seq
	}
	return protocol.Hello{Version: protocol.Version, Kiosk: k.cfg.Kiosk, Firmware: k.cfg.Firmware, Epoch: k.epoch, First: first, Last: k.last}
}

// Reset wipes the log and starts a new epoch with a freshly generated log
// of n records beginning where the old one ended in time.
func (k *Kiosk) Reset(n int) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.resetLocked(n)
}

func (k *Kiosk) resetLocked(n int) {
	spec := k.cfg.Log
	spec.Seed += uint64(k.epoch) * 7919
	spec.Records = n
	spec.FirstSeq = 1
	if len(k.recs) > 0 {
		spec.Start = time.Unix(k.recs[len(k.recs)-1].Time+60, 0)
		spec.Days = max(spec.Days/4, 1)
	}
	k.epoch++
	k.recs = GenerateLog(spec)
	k.last = uint64(n)
}

// Serve answers commands on link until the link fails,
// a hang-up fault fires or ctx is done. The caller closes the link
// afterwards (that is what hangs up a pseudo-terminal), which also ends the
// goroutine reading commands.
func (k *Kiosk) Serve(ctx context.Context, link io.ReadWriter) error {
	lines := make(chan []byte)
	readErr := make(chan error, 1)
	go func() {
		// A serial port with a read timeout answers (0, nil) when idle,
		// which bufio would take for a broken reader.
		br := bufio.NewReaderSize(patientReader{link, ctx}, 4096)
		for {
			line, err := br.ReadSlice('\n')
			if err != nil {
				if err == bufio.ErrBufferFull {
					continue // drop over-long junk
				}
				readErr <- err
				return
			}
			select {
			case lines <- append([]byte(nil), line...):
			case <-ctx.Done():
				return
			}
		}
	}()
	w := &wire{w: link, baud: k.cfg.Baud, start: time.Now()}
	k.mu.Lock()
	if k.cfg.HangupAfterBytes > 0 {
		w.budget = k.cfg.HangupAfterBytes
		k.cfg.HangupAfterBytes = 0
	}
	k.mu.Unlock()
	for {
		var line []byte
		select {
		case <-ctx.Done():
			return ctx.Err()
		case err := <-readErr:
			if err == io.EOF {
				return nil
			}
			return fmt.Errorf("sim: reading command: %w", err)
		case line = <-lines:
		}
		body, err := protocol.ParseLine(line)
		if errors.Is(err, protocol.ErrCRC) {
			err = k.send(w, protocol.Err{Code: protocol.CodeCRC, Message: "command checksum mismatch"}.Body())
		} else if err != nil {
			err = k.send(w, protocol.Err{Code: protocol.CodeSyntax, Message: "malformed command"}.Body())
		} else {
			err = k.handle(ctx, w, body)
		}
		if err != nil {
			return err
		}
	}
}

// handle answers one command. BYE is acknowledged but does not end the
// session: a kiosk keeps listening until the cable goes.
func (k *Kiosk) handle(ctx context.Context, w *wire, body string) error {
	switch protocol.Kind(body) {
	case "HELLO":
		if body != "HELLO 1" {
			return k.send(w, protocol.Err{Code: protocol.CodeVersion, Message: "this kiosk speaks version 1"}.Body())
		}
		return k.send(w, k.Hello().Body())
	case "DUMP":
		d, err := protocol.ParseDump(body)
		if err != nil {
			return k.send(w, protocol.Err{Code: protocol.CodeSyntax, Message: "DUMP EPOCH FROM MAX"}.Body())
		}
		if ok, err := k.hostileDump(ctx, w, d); ok {
			return err
		}
		return k.dump(w, d)
	case "BYE":
		return k.send(w, "BYE")
	default:
		return k.send(w, protocol.Err{Code: protocol.CodeSyntax, Message: "unknown command"}.Body())
	}
}

// hostileDump answers DUMP the way cfg.Hostile says; ok is false for a
// polite kiosk.
func (k *Kiosk) hostileDump(ctx context.Context, w *wire, d protocol.Dump) (ok bool, err error) {
	switch k.cfg.Hostile {
	case EpochLoop:
		return true, k.send(w, protocol.Err{Code: protocol.CodeEpoch, Message: fmt.Sprint(k.Epoch())}.Body())
	case JunkForever:
		if err := k.send(w, "R 1,1777597212,8642001234567890,PA,1830,18"); err != nil {
			return true, err
		}
		if err := k.send(w, protocol.End{Count: 1, Last: 1, Sum: 0}.Body()); err != nil {
			return true, err
		}
		junk := append(bytes.Repeat([]byte{0xff}, 60), '\n')
		for ctx.Err() == nil {
			if err := w.write(junk); err != nil {
				return true, err
			}
		}
		return true, ctx.Err()
	case CardInBadRecord:
		text := fmt.Sprintf("%d,1777597212,%s,PA,1830,18", d.From, BadCard)
		var sum protocol.BatchSum
		sum.Add(text)
		if err := k.send(w, "R "+text); err != nil {
			return true, err
		}
		return true, k.send(w, protocol.End{Count: 1, Last: d.From, Sum: sum.Sum()}.Body())
	}
	return false, nil
}

func (k *Kiosk) dump(w *wire, d protocol.Dump) error {
	k.mu.Lock()
	if d.Epoch != k.epoch {
		e := k.epoch
		k.mu.Unlock()
		return k.send(w, protocol.Err{Code: protocol.CodeEpoch, Message: fmt.Sprint(e)}.Body())
	}
	h := k.helloLocked()
	max := d.Max
	if k.cfg.MaxBatch > 0 && k.cfg.MaxBatch < max {
		max = k.cfg.MaxBatch
	}
	from := d.From
	var batch []protocol.Record
	for _, r := range k.recs {
		if r.Seq >= from && len(batch) < max {
			batch = append(batch, r)
		}
	}
	k.mu.Unlock()

	if from < h.First {
		if err := k.send(w, protocol.Gap{From: from, To: h.First - 1}.Body()); err != nil {
			return err
		}
		from = h.First
	}
	var sum protocol.BatchSum
	var buf []byte
	lastSent := from - 1
	for i := 0; i < len(batch); i += k.cfg.RecordsPerLine {
		part := batch[i:min(i+k.cfg.RecordsPerLine, len(batch))]
		buf = append(buf[:0], "R "...)
		for j, r := range part {
			if j > 0 {
				buf = append(buf, ';')
			}
			at := len(buf)
			buf = protocol.AppendRecord(buf, r)
			sum.Add(string(buf[at:]))
			lastSent = r.Seq
		}
		if err := k.send(w, string(buf)); err != nil {
			return err
		}
		if err := k.afterRecords(len(part)); err != nil {
			return err
		}
	}
	return k.send(w, protocol.End{Count: len(batch), Last: lastSent, Sum: sum.Sum()}.Body())
}

// afterRecords fires the record-counting faults.
func (k *Kiosk) afterRecords(n int) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.sentRecs += n
	if k.cfg.HangupAfterRecs > 0 && k.sentRecs >= k.cfg.HangupAfterRecs {
		k.cfg.HangupAfterRecs = 0
		return ErrHangup
	}
	if k.cfg.ResetAfterRecords > 0 && k.sentRecs >= k.cfg.ResetAfterRecords {
		k.cfg.ResetAfterRecords = 0
		k.resetLocked(max(len(k.recs)/3, 10))
		return ErrHangup
	}
	return nil
}

func (k *Kiosk) send(w *wire, body string) error {
	line := protocol.AppendLine(nil, body)
	k.mu.Lock()
	if k.cfg.Noise > 0 && k.rng.Float64() < k.cfg.Noise {
		i := k.rng.IntN(len(line) - 1) // never the newline, so framing survives
		line[i] ^= 1 << k.rng.IntN(7)
		if line[i] == '\n' {
			line[i] = '#'
		}
	}
	k.mu.Unlock()
	return w.write(line)
}

// wire writes to the link, throttled to a baud rate and cut after a byte
// budget.
type wire struct {
	w      io.Writer
	baud   int
	start  time.Time
	sent   int
	budget int // 0: unlimited
}

func (w *wire) write(p []byte) error {
	for len(p) > 0 {
		n := len(p)
		if w.baud > 0 {
			n = min(n, 64)
			// 10 bits per byte on the wire: start, 8 data, stop.
			due := w.start.Add(time.Duration(w.sent+n) * 10 * time.Second / time.Duration(w.baud))
			if d := time.Until(due); d > 0 {
				time.Sleep(d)
			}
		}
		if w.budget > 0 && w.sent+n >= w.budget {
			n = w.budget - w.sent
			if n > 0 {
				if _, err := w.w.Write(p[:n]); err != nil {
					return fmt.Errorf("sim: write: %w", err)
				}
			}
			return ErrHangup
		}
		m, err := w.w.Write(p[:n])
		w.sent += m
		if err != nil {
			return fmt.Errorf("sim: write: %w", err)
		}
		p = p[m:]
	}
	return nil
}

// patientReader retries reads that return nothing and no error.
type patientReader struct {
	r   io.Reader
	ctx context.Context
}

func (p patientReader) Read(b []byte) (int, error) {
	for {
		n, err := p.r.Read(b)
		if n > 0 || err != nil {
			return n, err
		}
		if p.ctx.Err() != nil {
			return 0, p.ctx.Err()
		}
	}
}
