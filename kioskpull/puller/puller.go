package puller

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"time"

	"gongjian/gen/kiosklog"
	"gongjian/kioskpull/msg"
	"gongjian/kioskpull/protocol"
	"gongjian/kioskpull/store"
)

// Store is what a pull needs from the record store.
type Store interface {
	Lock(ctx context.Context, kiosk string) (unlock func() error, err error)
	Missing(kiosk string, epoch uint32, from, to uint64) ([]store.Range, error)
	Last(kiosk string, epoch uint32) (uint64, bool, error)
	EpochOffset(kiosk string) (uint32, error)
	Replace(kiosk string, r store.Replacement) (uint32, error)
	Commit(recs []kiosklog.Record) (store.Result, error)
	ReadPull(kiosk string) (kiosklog.Pull, bool, error)
	WritePull(p kiosklog.Pull) error
}

// DialFunc opens the link to the kiosk: first at the start, then after the
// link was lost. It should fail fast while the kiosk is not there.
type DialFunc func(ctx context.Context) (io.ReadWriteCloser, error)

// Progress is told how a pull advances (a progress bar, or nothing).
// Begin gives the records the kiosk holds that are not stored; Received
// reports records of the current batch as their lines arrive and pass
// their checks; Committed(n) says the batch is stored (n records new or
// already stored); Rejected says the batch received so far was dropped.
type Progress interface {
	Begin(kiosk string, total int64)
	Received(n int)
	Committed(n int)
	Rejected()
	End()
}

// Logf tells people how a pull goes: a message of the catalogue and its
// arguments.
type Logf func(key msg.Key, args ...any)

// Config sets up a pull.
type Config struct {
	Store     Store
	Pseudonym func(card string) string // required: raw card numbers never reach the store
	// Batch is the most records asked for per DUMP (default 1000). On a
	// noisy line the batch halves after each bad one, down to MinBatch
	// (default 16, one R line), and doubles again after growAfter good
	// ones in a row.
	Batch    int
	MinBatch int
	Retries  int // bad batches tolerated in a row at MinBatch before giving up (default 5)

	HelloTimeout time.Duration // wait for the HELLO answer (default 2s)
	LineTimeout  time.Duration // wait between lines of a batch (default 2s)
	// ResyncTimeout bounds the greeting (lines still arriving from an
	// interrupted earlier pull are skipped for at most this long) and the
	// skipping of a rejected batch's rest (default 15s).
	ResyncTimeout time.Duration

	// Reconnect is how long to wait for the kiosk to come back after the
	// link is lost (0: do not wait; the pull ends with ErrLinkLost).
	Reconnect     time.Duration
	ReconnectPoll time.Duration // how often to look for it (default 500ms)

	USBSerial string // recorded in pull.yaml

	// Replaced is what staff confirm has changed since the last pull when
	// the kiosk does not look like the one pulled before (ErrReplaced):
	// "kiosk" (other hardware under the same id: its log is stored under
	// new epoch numbers) or "adapter" (the same kiosk on another USB
	// adapter). Empty: refuse.
	Replaced string
	Source   string // "pull" (default)

	Progress Progress
	Logf     Logf
	Clock    Clock // nil: the system's clock
}

// Errors a pull ends with; test with errors.Is. ErrHostile is a kiosk
// that breaks the protocol in a way no retry mends.
var (
	ErrLinkLost    = msg.Errorf(msg.PullerLinkLost)
	ErrBadBatches  = msg.Errorf(msg.PullerBadBatches)
	ErrWrongKiosk  = msg.Errorf(msg.PullerWrongKiosk)
	ErrKioskFailed = msg.Errorf(msg.PullerKioskFailed)
	ErrHostile     = msg.Errorf(msg.PullerHostile)
	ErrReplaced    = msg.Errorf(msg.PullerReplaced)
	// ErrStillSending: the kiosk was still sending an earlier pull's
	// batch when the greeting ran out of time; running again helps.
	ErrStillSending = msg.Errorf(msg.PullerStillSending)
)

// Summary tells what a pull did.
type Summary struct {
	Kiosk       string
	Firmware    string
	Epoch       uint32
	Last        uint64 // last sequence number the kiosk held at HELLO
	New         int    // records stored by this pull
	Duplicates  int    // records received that were already stored
	Quarantined int    // records with impossible times, kept out of the site's data
	Gaps        []kiosklog.Gap
	BadBatches  int // batches rejected and asked for again
	MinBatch    int // the smallest batch size asked for, if a noisy line shrank it (else 0)
	Reconnects  int
	Complete    bool // everything the kiosk held (at its last HELLO) is stored
	Elapsed     time.Duration

	RecordBytes int64 // record text received in verified batches
	LineBytes   int64 // all bytes of all lines received
}

// Lost returns how many deposits the kiosk had overwritten before they
// could be pulled.
func (s Summary) Lost() uint64 {
	var n uint64
	for _, g := range s.Gaps {
		n += g.To - g.From + 1
	}
	return n
}

func (c *Config) defaults() {
	if c.Batch <= 0 {
		c.Batch = 1000
	}
	if c.MinBatch <= 0 {
		c.MinBatch = 16
	}
	c.MinBatch = min(c.MinBatch, c.Batch)
	if c.ResyncTimeout <= 0 {
		c.ResyncTimeout = 15 * time.Second
	}
	if c.Retries <= 0 {
		c.Retries = 5
	}
	if c.HelloTimeout <= 0 {
		c.HelloTimeout = 2 * time.Second
	}
	if c.LineTimeout <= 0 {
		c.LineTimeout = 2 * time.Second
	}
	if c.ReconnectPoll <= 0 {
		c.ReconnectPoll = 500 * time.Millisecond
	}
	if c.Source == "" {
		c.Source = "pull"
	}
	if c.Logf == nil {
		c.Logf = func(msg.Key, ...any) {}
	}
	if c.Clock == nil {
		c.Clock = realClock{}
	}
}

// Pull pulls everything new from the kiosk that dial reaches. It returns
// with a nil error once all the kiosk held at its last HELLO is stored.
// Whatever happens, committed batches stay committed and the next pull
// resumes after them. The summary's Elapsed is set on every return.
func Pull(ctx context.Context, cfg Config, dial DialFunc) (sum Summary, err error) {
	cfg.defaults()
	if cfg.Store == nil || cfg.Pseudonym == nil {
		return Summary{}, errors.New("puller: Store and Pseudonym are required")
	}
	start := cfg.Clock.Now()
	defer func() { sum.Elapsed = cfg.Clock.Now().Sub(start) }()
	if cfg.Progress != nil {
		defer cfg.Progress.End()
	}
	p := &pull{cfg: cfg, sum: &sum, size: cfg.Batch, seenEpochs: map[uint32]bool{}}
	defer func() {
		if p.unlock != nil {
			p.unlock()
		}
	}()
	for {
		link, err := dial(ctx)
		if err != nil {
			if sum.Kiosk == "" {
				return sum, err
			}
			return sum, msg.Errorf(msg.PullerErrReconnect, sum.Kiosk, err)
		}
		err = p.session(ctx, link)
		link.Close()
		if err == nil {
			return sum, nil
		}
		if ctx.Err() != nil {
			return sum, ctx.Err()
		}
		if errors.Is(err, errEpochChanged) {
			if p.epochChanges++; p.epochChanges > maxEpochChanges {
				return sum, msg.Errorf(msg.PullerErrEpochChurn, sum.Kiosk, ErrHostile, p.epochChanges, maxEpochChanges)
			}
			cfg.Logf(msg.PullerEpochRestart, sum.Kiosk)
			continue
		}
		if !errors.Is(err, ErrLinkLost) || cfg.Reconnect <= 0 {
			return sum, err
		}
		cfg.Logf(msg.PullerWaitBack, sum.Kiosk, err, cfg.Reconnect)
		if err := p.waitBack(ctx, dial); err != nil {
			return sum, err
		}
		sum.Reconnects++
	}
}

// waitBack polls until dial succeeds again or cfg.Reconnect passes. The
// link it finds is closed again; the session loop dials once more.
func (p *pull) waitBack(ctx context.Context, dial DialFunc) error {
	deadline := p.cfg.Clock.Now().Add(p.cfg.Reconnect)
	for {
		link, err := dial(ctx)
		if err == nil {
			link.Close()
			return nil
		}
		if p.cfg.Clock.Now().After(deadline) {
			return msg.Errorf(msg.PullerErrNoComeBack, p.sum.Kiosk, p.cfg.Reconnect, ErrLinkLost, err)
		}
		if err := sleep(ctx, p.cfg.Clock, p.cfg.ReconnectPoll); err != nil {
			return err
		}
	}
}

var errEpochChanged = errors.New("kiosk log epoch changed")

// Bounds on what a kiosk can make a pull do.
const (
	maxBusy         = 30 // ERR BUSY answers in a row (a second apart)
	maxEpochChanges = 3  // log resets within one pull
	helloTries      = 5  // HELLOs sent per greeting, each after a silence
	maxStray        = 8  // stray HELLO or BYE answers before a batch
	growAfter       = 4  // good batches in a row before the batch doubles
)

type pull struct {
	cfg    Config
	sum    *Summary
	begun  bool
	unlock func() error // of the kiosk's folder, held from the first HELLO to the end

	size         int // records per DUMP now
	epochChanges int
	staleEpoch   uint32 // the epoch a kiosk said was no longer current
	off          uint32 // stored epoch = the kiosk's epoch + off (store.EpochOffset)
	seenEpochs   map[uint32]bool
}

// linkErr classifies an error from the link: everything but a context
// cancellation means the kiosk is gone.
func linkErr(ctx context.Context, what msg.Key, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return msg.Errorf(msg.PullerErrLink, what, ErrLinkLost, err)
}

func (p *pull) session(ctx context.Context, link io.ReadWriter) (err error) {
	c := newConn(link, p.sum, p.cfg.Clock)
	defer c.stop()
	h, err := p.hello(ctx, c)
	if err != nil {
		return err
	}
	committed := 0
	defer func() {
		// A session cut short still brought data in: say so in pull.yaml.
		if err != nil && committed > 0 {
			p.writePull(h, false)
		}
	}()
	sum := p.sum
	if sum.Kiosk != "" && sum.Kiosk != h.Kiosk {
		return msg.Errorf(msg.PullerErrWrongKiosk, sum.Kiosk, h.Kiosk, ErrWrongKiosk)
	}
	// Checked before anything is written: a kiosk flipping epochs must not
	// leave made-up gaps behind.
	if p.staleEpoch != 0 && h.Epoch == p.staleEpoch {
		return msg.Errorf(msg.PullerErrEpochSame, h.Kiosk, ErrHostile, h.Epoch)
	}
	if p.seenEpochs[h.Epoch] && h.Epoch+p.off != sum.Epoch {
		return msg.Errorf(msg.PullerErrEpochSame, h.Kiosk, ErrHostile, h.Epoch)
	}
	p.seenEpochs[h.Epoch] = true
	if p.unlock == nil {
		// One writer per kiosk folder: an import or another pull of this
		// kiosk waits, or this one does.
		unlock, err := p.cfg.Store.Lock(ctx, h.Kiosk)
		if err != nil {
			return err
		}
		p.unlock = unlock
	}
	if sum.Kiosk == "" {
		if err := p.checkReplaced(h); err != nil {
			return err
		}
	}
	// From here on h speaks of epochs as stored; the kiosk hears its own.
	h.Epoch += p.off
	if err := p.epochLoss(h); err != nil {
		return err
	}
	sum.Kiosk, sum.Firmware, sum.Epoch, sum.Last = h.Kiosk, h.Firmware, h.Epoch, h.Last

	old, _, err := p.cfg.Store.ReadPull(h.Kiosk)
	if err != nil {
		return err
	}
	lost := gapRanges(append(old.Gaps, sum.Gaps...), h.Epoch)
	// todo lists what is neither stored nor known lost, from "from" up to
	// what the kiosk holds: holes left by an import or an earlier pull
	// come first, then the new records.
	todo := func(from uint64) ([]store.Range, error) {
		if from > h.Last {
			return nil, nil
		}
		m, err := p.cfg.Store.Missing(h.Kiosk, h.Epoch, from, h.Last)
		if err != nil {
			return nil, err
		}
		return store.Subtract(m, lost), nil
	}
	if p.cfg.Progress != nil && !p.begun {
		rs, err := todo(max(h.First, 1))
		if err != nil {
			return err
		}
		var total int64
		for _, r := range rs {
			total += int64(r.Len())
		}
		p.cfg.Progress.Begin(h.Kiosk, total)
		p.begun = true
	}
	bad, busy, good := 0, 0, 0
	next := uint64(1)
	for {
		rs, err := todo(next)
		if err != nil {
			return err
		}
		if len(rs) == 0 {
			break
		}
		from := rs[0].From
		// The kiosk sends records from the larger of FROM and its FIRST:
		// ask for no more than the hole holds.
		n := p.size
		if first := max(from, h.First); rs[0].To >= first {
			n = int(min(uint64(n), rs[0].To-first+1))
		} else {
			n = 1 // all of the hole is lost; MAX must be at least 1
		}
		if err := c.send(protocol.Dump{Epoch: h.Epoch - p.off, From: from, Max: n}.Body()); err != nil {
			return linkErr(ctx, msg.PullerWhatDump, err)
		}
		b, err := p.readBatch(ctx, c, from, n)
		var kerr *protocol.Err
		switch {
		case errors.As(err, &kerr) && kerr.Code == protocol.CodeEpoch:
			if kerr.Message == fmt.Sprint(h.Epoch-p.off) {
				return msg.Errorf(msg.PullerErrEpochOwn, h.Kiosk, ErrHostile, h.Epoch-p.off, protocol.Redact(kerr.Message))
			}
			p.staleEpoch = h.Epoch - p.off
			return errEpochChanged
		case errors.As(err, &kerr) && kerr.Code == protocol.CodeBusy:
			if busy++; busy > maxBusy {
				return msg.Errorf(msg.PullerErrBusy, h.Kiosk, ErrKioskFailed, busy)
			}
			if err := sleep(ctx, p.cfg.Clock, time.Second); err != nil {
				return err
			}
			continue
		case errors.As(err, &kerr) && kerr.Code != protocol.CodeCRC:
			return msg.Errorf(msg.PullerErrKiosk, h.Kiosk, ErrKioskFailed, kerr)
		case errors.Is(err, errBadBatch) || kerr != nil:
			if p.cfg.Progress != nil {
				p.cfg.Progress.Rejected()
			}
			bad++
			good = 0
			sum.BadBatches++
			p.cfg.Logf(msg.PullerBatchRejected, h.Kiosk, from, err)
			if p.size > p.cfg.MinBatch {
				// A noisy line spoils long batches: ask for fewer records,
				// and count failures afresh at the new size.
				p.size = max(p.size/2, p.cfg.MinBatch)
				if sum.MinBatch == 0 || p.size < sum.MinBatch {
					sum.MinBatch = p.size
				}
				bad = 0
				p.cfg.Logf(msg.PullerBatchSize, h.Kiosk, p.size)
			} else if bad > p.cfg.Retries {
				if errors.Is(err, protocol.ErrFormat) {
					// Lines that pass their checksum yet do not parse are
					// the kiosk's doing, not the line's: no retry mends them.
					return msg.Errorf(msg.PullerErrMalformed, h.Kiosk, ErrHostile, bad, err)
				}
				return msg.Errorf(msg.PullerErrBadBatches, h.Kiosk, ErrBadBatches, bad, p.size, err)
			}
			// After a whole reply (a valid END, or an ERR) nothing is left
			// to skip.
			if !errors.Is(err, errBatchEnded) && kerr == nil {
				if err := p.drain(ctx, c, n); err != nil {
					return err
				}
			}
			continue
		case err != nil:
			return err
		}
		if good++; good >= growAfter && p.size < p.cfg.Batch {
			p.size = min(p.size*2, p.cfg.Batch)
			good = 0
		}
		bad, busy = 0, 0
		if b.gap != nil {
			// Only what is not stored is lost: an import may have brought
			// part of the run in.
			gone, err := todo(b.gap.From)
			if err != nil {
				return err
			}
			var gaps []kiosklog.Gap
			for _, r := range gone {
				if r.From > b.gap.To {
					break
				}
				g := kiosklog.Gap{Epoch: h.Epoch, From: r.From, To: min(r.To, b.gap.To)}
				gaps = append(gaps, g)
				lost = append(lost, store.Range{From: g.From, To: g.To})
				p.cfg.Logf(msg.PullerGap, h.Kiosk, g.From, g.To)
			}
			sum.Gaps = append(sum.Gaps, gaps...)
			// Record the gap before committing past it, or a resumed pull
			// would never hear of it again.
			if err := p.writePull(h, false); err != nil {
				return err
			}
		}
		if len(b.recs) > 0 {
			res, err := p.cfg.Store.Commit(b.recs)
			if err != nil {
				return err
			}
			sum.New += res.Added
			committed += res.Added
			sum.Duplicates += res.Duplicates
			sum.Quarantined += res.Quarantined
			sum.RecordBytes += b.recordBytes
			if res.Quarantined > 0 {
				p.cfg.Logf(msg.PullerQuarantined, h.Kiosk, res.Quarantined, h.Kiosk+"/"+store.QuarantineDir, store.ShowReasons(res.Reasons))
			}
			if p.cfg.Progress != nil {
				p.cfg.Progress.Committed(len(b.recs))
			}
		}
		if b.end.Count == 0 {
			break // the kiosk has nothing more, whatever HELLO said
		}
		next = b.end.Last + 1
	}
	rs, err := todo(1)
	if err != nil {
		return err
	}
	sum.Complete = len(rs) == 0
	// BYE is a courtesy: the data is already safe.
	c.send("BYE")
	return p.writePull(h, sum.Complete)
}

// gapRanges returns the runs of gaps of one epoch.
func gapRanges(gaps []kiosklog.Gap, epoch uint32) []store.Range {
	var rs []store.Range
	for _, g := range gaps {
		if g.Epoch == epoch {
			rs = append(rs, store.Range{From: g.From, To: g.To})
		}
	}
	return rs
}

func (p *pull) writePull(h protocol.Hello, complete bool) error {
	old, _, err := p.cfg.Store.ReadPull(h.Kiosk)
	if err != nil {
		return err
	}
	gaps := old.Gaps
	for _, g := range p.sum.Gaps {
		if !slices.Contains(gaps, g) {
			gaps = append(gaps, g)
		}
	}
	pl := kiosklog.Pull{
		Kiosk: h.Kiosk, LastPull: p.cfg.Clock.Now(), Source: p.cfg.Source, Firmware: h.Firmware,
		Epoch: h.Epoch, LastSeq: h.Last, Complete: complete, USBSerial: p.cfg.USBSerial,
		Gaps: gaps,
	}
	return p.cfg.Store.WritePull(pl)
}

// hello greets the kiosk. Lines may still be arriving from an earlier pull
// that was killed mid-batch: the kiosk finishes that batch before it reads
// our HELLO. So every line but an answer to HELLO is skipped, and HELLO is
// sent again only after a silence (the command itself may have been
// damaged), with a short backoff; all within cfg.ResyncTimeout.
func (p *pull) hello(ctx context.Context, c *conn) (protocol.Hello, error) {
	clock := p.cfg.Clock
	start := clock.Now()
	deadline := start.Add(p.cfg.ResyncTimeout)
	var lastErr error = errTimeout
	stale, batchLines, tries := 0, 0, 0
	defer func() {
		if stale > 0 {
			p.cfg.Logf(msg.PullerStaleSkipped, stale, clock.Now().Sub(start).Round(time.Millisecond))
		}
	}()
greet:
	for tries < helloTries {
		if tries > 0 {
			backoff := min(100*time.Millisecond<<tries, time.Second)
			if err := sleep(ctx, clock, min(backoff, deadline.Sub(clock.Now()))); err != nil {
				return protocol.Hello{}, err
			}
		}
		tries++
		if err := c.send(fmt.Sprintf("HELLO %d", protocol.Version)); err != nil {
			return protocol.Hello{}, linkErr(ctx, msg.PullerWhatHello, err)
		}
		for {
			left := deadline.Sub(clock.Now())
			if left <= 0 {
				return protocol.Hello{}, p.helloFailed(ctx, tries, stale, batchLines, lastErr)
			}
			line, err := c.readLine(ctx, min(p.cfg.HelloTimeout, left))
			if errors.Is(err, errTimeout) {
				lastErr = err
				continue greet // silence: say HELLO again
			}
			if err != nil {
				return protocol.Hello{}, linkErr(ctx, msg.PullerWhatWaitHelo, err)
			}
			body, err := protocol.ParseLine(line)
			if err != nil {
				stale++
				lastErr = err
				continue
			}
			switch protocol.Kind(body) {
			case "HELLO":
				h, err := protocol.ParseHello(body)
				if err != nil {
					lastErr = err
					stale++
					continue
				}
				if h.Version != protocol.Version {
					return h, msg.Errorf(msg.PullerErrHelloVer, h.Version, protocol.Version)
				}
				return h, nil
			case "ERR":
				kerr, err := protocol.ParseErr(body)
				if err != nil {
					lastErr = err
					stale++
					continue
				}
				if kerr.Code == protocol.CodeVersion {
					return protocol.Hello{}, msg.Errorf(msg.PullerErrVersion, protocol.Version, kerr)
				}
				// ERR CRC or BUSY answer our HELLO; anything else may
				// close a stale batch. Either way, greet again.
				lastErr = kerr
				if kerr.Code == protocol.CodeCRC || kerr.Code == protocol.CodeBusy {
					continue greet
				}
				stale++
			default:
				stale++ // R, END, GAP, BYE of an earlier pull
				batchLines++
			}
		}
	}
	return protocol.Hello{}, p.helloFailed(ctx, tries, stale, batchLines, lastErr)
}

// helloFailed says why greeting failed: silence throughout means the
// kiosk is not there (ErrLinkLost, worth waiting for); anything else is a
// kiosk that talks but not sense.
func (p *pull) helloFailed(ctx context.Context, tries, stale, batchLines int, lastErr error) error {
	switch {
	case errors.Is(lastErr, errTimeout) && stale == 0:
		return linkErr(ctx, msg.PullerWhatWaitHelo, lastErr)
	case batchLines > 0:
		// Still sending a long batch of an earlier pull: it will be done
		// some time, and a later pull will get through.
		return msg.Errorf(msg.PullerErrStillSending, ErrStillSending, p.cfg.ResyncTimeout, batchLines)
	}
	return msg.Errorf(msg.PullerErrHello, p.cfg.ResyncTimeout, tries, stale, lastErr)
}

// A bad batch's error wraps protocol.ErrFormat only for a line that passed
// its checksum but did not parse: damage on the line shows as a checksum
// or framing error instead.
var (
	errBadBatch   = errors.New("bad batch")
	errBatchEnded = fmt.Errorf("%w, seen to its END", errBadBatch)
)

// batchError is why a batch was rejected, said for people; errors.Is sees
// errBadBatch in it (and errBatchEnded when the reply was read to its END).
type batchError struct {
	ended bool
	err   error
}

func (e *batchError) Error() string { return e.err.Error() }
func (e *batchError) Unwrap() error { return e.err }
func (e *batchError) Is(target error) bool {
	return target == errBadBatch || e.ended && target == errBatchEnded
}

func badBatch(key msg.Key, args ...any) error {
	return &batchError{err: msg.Errorf(key, args...)}
}

func badEnded(key msg.Key, args ...any) error {
	return &batchError{ended: true, err: msg.Errorf(key, args...)}
}

type batch struct {
	gap         *protocol.Gap
	recs        []kiosklog.Record
	end         protocol.End
	recordBytes int64
}

// readBatch reads the answer to DUMP from "from": an optional GAP, R
// lines, END. Every line is checked on arrival; the batch as a whole is
// checked against END. A kiosk ERR comes back as *protocol.Err.
func (p *pull) readBatch(ctx context.Context, c *conn, from uint64, asked int) (batch, error) {
	var b batch
	var sum protocol.BatchSum
	next := from
	count, lines, stray := 0, 0, 0
	h := p.sum
	for {
		// A batch is at most GAP, one R line per record and END; a kiosk
		// sending more lines is not sending a batch.
		if lines++; lines > asked+2 {
			return b, msg.Errorf(msg.PullerErrNeverEnding, h.Kiosk, ErrHostile, asked+2)
		}
		line, err := c.readLine(ctx, p.cfg.LineTimeout)
		if err != nil {
			return b, linkErr(ctx, msg.PullerWhatBatch, err)
		}
		body, err := protocol.ParseLine(line)
		if err != nil {
			return b, badBatch(msg.PullerBadLine, err)
		}
		switch protocol.Kind(body) {
		case "HELLO", "BYE":
			// A late answer to a HELLO sent again during the greeting.
			if count > 0 || b.gap != nil {
				return b, badBatch(msg.PullerLineInBatch, protocol.Kind(body))
			}
			if stray++; stray > maxStray {
				return b, msg.Errorf(msg.PullerErrStrayLines, h.Kiosk, ErrHostile, stray)
			}
			lines--
		case "ERR":
			kerr, err := protocol.ParseErr(body)
			if err != nil {
				return b, badBatch(msg.PullerBadMessage, err)
			}
			return b, kerr
		case "GAP":
			g, err := protocol.ParseGap(body)
			if err != nil {
				return b, badBatch(msg.PullerBadMessage, err)
			}
			if count > 0 || b.gap != nil || g.From != from {
				return b, badBatch(msg.PullerGapOutOfPlace, g.From, g.To)
			}
			b.gap = &g
			next = g.To + 1
		case "R":
			recs, texts, err := protocol.ParseRecords(body)
			if err != nil {
				return b, badBatch(msg.PullerBadMessage, err)
			}
			for i, r := range recs {
				if r.Seq != next {
					return b, badBatch(msg.PullerSeqSkip, r.Seq, next)
				}
				next++
				count++
				sum.Add(texts[i])
				b.recordBytes += int64(len(texts[i]))
				b.recs = append(b.recs, kiosklog.Record{
					Kiosk: h.Kiosk, Epoch: h.Epoch, Seq: r.Seq,
					Time: time.Unix(r.Time, 0).In(kiosklog.Location), Card: p.cfg.Pseudonym(r.Card),
					Category: r.Category, Grams: r.Grams, Points: r.Points,
				})
			}
			if count > asked {
				return b, badBatch(msg.PullerTooMany, count, asked)
			}
			if p.cfg.Progress != nil {
				p.cfg.Progress.Received(len(recs))
			}
		case "END":
			e, err := protocol.ParseEnd(body)
			if err != nil {
				return b, badBatch(msg.PullerBadMessage, err)
			}
			switch {
			case e.Count != count:
				return b, badEnded(msg.PullerEndCount, e.Count, count)
			case e.Last != next-1:
				return b, badEnded(msg.PullerEndLast, e.Last, next-1)
			case e.Sum != sum.Sum():
				return b, badEnded(msg.PullerEndSum, e.Sum, sum.Sum())
			}
			for _, r := range b.recs {
				if err := r.Validate(); err != nil {
					return b, badEnded(msg.PullerBadRecord, r.Seq, err)
				}
			}
			b.end = e
			return b, nil
		default:
			return b, badBatch(msg.PullerUnexpected, protocol.Redact(protocol.Kind(body)))
		}
	}
}

// drain skips the rest of a rejected batch: lines up to a valid END, or
// until the kiosk falls quiet. The rest of a batch is at most one line per
// record asked for and takes at most cfg.ResyncTimeout; a kiosk that goes
// on longer is not finishing a batch.
func (p *pull) drain(ctx context.Context, c *conn, asked int) error {
	quiet := min(p.cfg.LineTimeout, 500*time.Millisecond)
	start := p.cfg.Clock.Now()
	limit := asked + 2
	for n := 0; ; n++ {
		if took := p.cfg.Clock.Now().Sub(start); n > limit || took > p.cfg.ResyncTimeout {
			return msg.Errorf(msg.PullerErrDrain, p.sum.Kiosk, ErrHostile, n, took.Round(time.Millisecond))
		}
		line, err := c.readLine(ctx, quiet)
		if errors.Is(err, errTimeout) {
			return nil
		}
		if err != nil {
			return linkErr(ctx, msg.PullerWhatDrain, err)
		}
		if body, err := protocol.ParseLine(line); err == nil && protocol.Kind(body) == "END" {
			return nil
		}
	}
}

// checkReplaced refuses a kiosk that cannot be the one pulled before under
// its id: its log goes back (an epoch below the last one seen, or fewer
// records in the same epoch than are stored) or it comes on another USB
// adapter. Storing its records as if it were the old kiosk would skip
// them as duplicates of the old kiosk's; only staff know whether it is
// other hardware (cfg.Replaced "kiosk": its log goes under new epoch
// numbers) or the same kiosk on a new adapter (cfg.Replaced "adapter").
func (p *pull) checkReplaced(h protocol.Hello) error {
	off, err := p.cfg.Store.EpochOffset(h.Kiosk)
	if err != nil {
		return err
	}
	p.off = off
	if uint64(h.Epoch)+uint64(off) > math.MaxUint32 {
		return msg.Errorf(msg.PullerErrEpochOffset, h.Kiosk, h.Epoch, off)
	}
	old, ok, err := p.cfg.Store.ReadPull(h.Kiosk)
	if err != nil || !ok {
		return err
	}
	local := h.Epoch + off
	var why error
	switch {
	case local < old.Epoch:
		why = msg.Errorf(msg.PullerReplacedEpoch, h.Epoch, old.Epoch-off)
	case local == old.Epoch:
		stored, _, err := p.cfg.Store.Last(h.Kiosk, local)
		if err != nil {
			return err
		}
		if have := max(stored, old.LastSeq); h.Last < have {
			why = msg.Errorf(msg.PullerReplacedSeq, h.Epoch, h.Last, have)
		}
	}
	if why == nil && p.cfg.USBSerial != "" && old.USBSerial != "" && p.cfg.USBSerial != old.USBSerial {
		if p.cfg.Replaced == "adapter" {
			return nil
		}
		why = msg.Errorf(msg.PullerReplacedSerial, p.cfg.USBSerial, old.USBSerial)
	}
	if why == nil {
		return nil
	}
	if p.cfg.Replaced != "kiosk" {
		return msg.Errorf(msg.PullerErrReplaced, h.Kiosk, why, ErrReplaced)
	}
	off, err = p.cfg.Store.Replace(h.Kiosk, store.Replacement{At: p.cfg.Clock.Now(), USBSerial: p.cfg.USBSerial,
		Firmware: h.Firmware, Reason: why.Error()})
	if err != nil {
		return err
	}
	if uint64(h.Epoch)+uint64(off) > math.MaxUint32 {
		return msg.Errorf(msg.PullerErrEpochOffset, h.Kiosk, h.Epoch, off)
	}
	p.off = off
	p.cfg.Logf(msg.PullerLogReplaced, h.Kiosk, why, h.Epoch, h.Epoch+off)
	return nil
}

// epochLoss notices a log reset since the last contact: whatever the old
// epoch held beyond what is stored is gone, and is recorded as a gap.
func (p *pull) epochLoss(h protocol.Hello) error {
	old, ok, err := p.cfg.Store.ReadPull(h.Kiosk)
	if err != nil {
		return err
	}
	if p.sum.Epoch != 0 {
		// Met earlier in this pull: that HELLO is the freshest word.
		old.Kiosk, old.Epoch, old.LastSeq, ok = h.Kiosk, p.sum.Epoch, p.sum.Last, true
	}
	if !ok || old.Epoch == h.Epoch {
		return nil
	}
	p.cfg.Logf(msg.PullerLogReset, h.Kiosk, old.Epoch, h.Epoch)
	if old.LastSeq == 0 {
		return nil
	}
	miss, err := p.cfg.Store.Missing(h.Kiosk, old.Epoch, 1, old.LastSeq)
	if err != nil {
		return err
	}
	miss = store.Subtract(miss, gapRanges(append(old.Gaps, p.sum.Gaps...), old.Epoch))
	if len(miss) == 0 {
		return nil
	}
	for _, r := range miss {
		g := kiosklog.Gap{Epoch: old.Epoch, From: r.From, To: r.To}
		p.sum.Gaps = append(p.sum.Gaps, g)
		p.cfg.Logf(msg.PullerLostInReset, h.Kiosk, g.From, g.To, g.Epoch)
	}
	// Recorded now: once the new epoch is stored, nothing would tell again.
	return p.writePull(h, false)
}
