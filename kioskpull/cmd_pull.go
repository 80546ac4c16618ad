package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"sync"
	"syscall"
	"time"

	"go.bug.st/serial"
	"golang.org/x/term"

	"gongjian/gen/kiosklog"
	"gongjian/kioskpull/msg"
	"gongjian/kioskpull/puller"
	"gongjian/kioskpull/serialport"
	"gongjian/kioskpull/store"
)

type pullCmd struct {
	port, serial string
	all          bool
	out, key     string
	outGiven     bool
	batch        int
	wait         time.Duration
	lockWait     time.Duration
	replaced     string
	lineTimeout  time.Duration
	progress     string
	register     bool
}

func (c *pullCmd) parse(m *Main, args []string) error {
	p := m.P
	fs := newFlags(m, "pull", "(-port PATH | -serial SN | -all) [flags]")
	fs.StringVar(&c.port, "port", "", p.Sprintf(msg.FlagPort))
	fs.StringVar(&c.serial, "serial", "", p.Sprintf(msg.FlagSerial))
	fs.BoolVar(&c.all, "all", false, p.Sprintf(msg.FlagAll))
	fs.StringVar(&c.out, "out", defaultOut, p.Sprintf(msg.FlagOut))
	fs.StringVar(&c.key, "key", "", keyFlagHelp(m))
	fs.IntVar(&c.batch, "batch", 1000, p.Sprintf(msg.FlagBatch))
	fs.DurationVar(&c.wait, "wait", 2*time.Minute, p.Sprintf(msg.FlagWait))
	fs.DurationVar(&c.lockWait, "lock-wait", store.DefaultLockWait, lockWaitHelp(m))
	fs.StringVar(&c.replaced, "replaced", "", "confirm what changed when a kiosk does not look like the one pulled before: `kiosk` (other hardware, same id) or adapter")
	fs.DurationVar(&c.lineTimeout, "timeout", 2*time.Second, p.Sprintf(msg.FlagTimeout))
	fs.StringVar(&c.progress, "progress", "auto", p.Sprintf(msg.FlagProgress))
	fs.BoolVar(&c.register, "register", true, p.Sprintf(msg.FlagRegister))
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	c.outGiven = flagGiven(fs, "out")
	n := 0
	for _, set := range []bool{c.port != "", c.serial != "", c.all} {
		if set {
			n++
		}
	}
	if n != 1 || fs.NArg() > 0 {
		fs.Usage()
		return msg.Errorf(msg.PullOneTarget)
	}
	if c.batch < 1 || c.batch > 100000 {
		return msg.Errorf(msg.PullBadBatch)
	}
	switch c.progress {
	case "auto", "on", "off":
	default:
		return msg.Errorf(msg.PullBadProgress)
	}
	switch c.replaced {
	case "", "kiosk", "adapter":
	default:
		return errors.New("-replaced must be kiosk or adapter")
	}
	if c.replaced != "" && c.all {
		return errors.New("-replaced confirms a change to one kiosk: give -port or -serial, not -all")
	}
	return nil
}

// target is one kiosk to pull: by path, or by USB serial number (which
// survives replugging).
type target struct {
	path, serial string
}

func (t target) where(p *msg.Printer) string {
	if t.path != "" {
		return t.path
	}
	return p.Sprintf(msg.PullUSBSerial, t.serial)
}

func (c *pullCmd) targets(m *Main, kiosks []kiosklog.Kiosk) ([]target, error) {
	switch {
	case c.serial != "":
		return []target{{serial: c.serial}}, nil
	case c.port != "":
		t := target{path: c.port}
		// A USB port can be found again by its serial number after an unplug.
		if ports, err := m.ListPorts(); err == nil {
			for _, p := range ports {
				if p.Path == c.port && p.IsUSB && p.SerialNumber != "" {
					t.serial = p.SerialNumber
				}
			}
		}
		return []target{t}, nil
	}
	known := map[string]bool{}
	for _, k := range kiosks {
		if k.USBSerial != "" {
			known[k.USBSerial] = true
		}
	}
	ports, err := m.ListPorts()
	if err != nil {
		return nil, err
	}
	var ts []target
	for _, p := range ports {
		if p.IsUSB && known[p.SerialNumber] {
			ts = append(ts, target{path: p.Path, serial: p.SerialNumber})
		}
	}
	if len(ts) == 0 {
		return nil, withCode(ExitIncomplete, msg.Errorf(msg.PullNoKiosk, len(ports), c.out+"/"+kiosklog.KiosksFile))
	}
	return ts, nil
}

func (c *pullCmd) run(ctx context.Context, m *Main) error {
	h, _, err := loadKey(m, c.key)
	if err != nil {
		return err
	}
	if err := checkOut(c.out, c.outGiven); err != nil {
		return err
	}
	st, err := openStore(m, c.out, c.lockWait, h)
	if err != nil {
		return withCode(storeCode(err, ExitFailure), err)
	}
	kiosks, err := readKiosks(c.out)
	if err != nil {
		return err
	}
	targets, err := c.targets(m, kiosks)
	if err != nil {
		return err
	}
	scr := newScreen(m.Stderr, m.P, c.progress, time.Now)
	stopTicker := scr.tick(250 * time.Millisecond)
	results := make([]pullResult, len(targets))
	ledgers := make([]*ledgerStore, len(targets))
	var wg sync.WaitGroup
	for i, t := range targets {
		meter := scr.add(t.where(m.P))
		ls := newLedgerStore(st)
		ledgers[i] = ls
		cfg := puller.Config{
			Store: ls, Pseudonym: h.Card, Batch: c.batch, Reconnect: c.wait,
			HelloTimeout: c.lineTimeout, LineTimeout: c.lineTimeout, USBSerial: t.serial, Replaced: c.replaced,
			Logf: meter.logf, Progress: meter,
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			sum, err := puller.Pull(ctx, cfg, dialPort(m, t))
			meter.finish(explain(err, t))
			results[i] = pullResult{t, sum, err}
		}()
	}
	wg.Wait()
	stopTicker()
	scr.close()

	var errs []error
	worst := ExitOK
	for i, r := range results {
		where := r.t.where(m.P)
		if lerr := recordPull(m, ledgers[i], r.sum, ledgerStatus(ctx, r.err, r.sum.Complete), h.Fingerprint(), m.Now()); lerr != nil {
			errs = append(errs, msg.Errorf(msg.PullWhere, where, lerr))
			worst = max(worst, ExitFailure)
		}
		kiosks = c.registerNew(m, kiosks, r)
		code, retry := classify(ctx, r.err)
		printSummary(m.Stdout, m.P, where, kiosks, r.sum, r.err, retry)
		if r.err != nil {
			errs = append(errs, msg.Errorf(msg.PullWhere, where, explain(r.err, r.t)))
			worst = max(worst, code)
		}
	}
	closeReported(ctx, m, c.out)
	if ctx.Err() != nil {
		worst = ExitInterrupt
	}
	return withCode(worst, errors.Join(errs...))
}

type pullResult struct {
	t   target
	sum puller.Summary
	err error
}

// registerNew adds a kiosk that answered but is missing from kiosks.yaml,
// so that the site build accepts its records, and says so.
func (c *pullCmd) registerNew(m *Main, kiosks []kiosklog.Kiosk, r pullResult) []kiosklog.Kiosk {
	id := r.sum.Kiosk
	if id == "" || r.sum.New+r.sum.Duplicates == 0 && r.err != nil || hasKiosk(kiosks, id) {
		return kiosks
	}
	if !c.register {
		fmt.Fprintln(m.Stderr, m.P.Sprintf(msg.CLIError, m.P.Sprintf(msg.RegisterNotListed, id, c.out+"/"+kiosklog.KiosksFile)))
		return kiosks
	}
	k, err := registerKiosk(c.out, id, r.t.serial)
	if err != nil {
		fmt.Fprintln(m.Stderr, m.P.Sprintf(msg.CLIError, m.P.Sprintf(msg.RegisterFailed, id, c.out+"/"+kiosklog.KiosksFile, err)))
		return kiosks
	}
	fmt.Fprintln(m.Stderr, m.P.Sprintf(msg.CLIError, m.P.Sprintf(msg.RegisterDone, id, c.out+"/"+kiosklog.KiosksFile)))
	return append(kiosks, k)
}

func hasKiosk(kiosks []kiosklog.Kiosk, id string) bool {
	for _, k := range kiosks {
		if k.ID == id {
			return true
		}
	}
	return false
}

// portError is a failure to open the kiosk's serial port.
type portError struct {
	where string
	err   error
}

func (e *portError) Error() string { return e.err.Error() }
func (e *portError) Unwrap() error { return e.err }

// dialPort dials t, marking a failure to open the port as such: it tells
// apart a port problem from a store problem with the same errno.
func dialPort(m *Main, t target) puller.DialFunc {
	dial := serialport.DialerWith(m.ListPorts, t.path, t.serial)
	where := t.path
	if where == "" {
		where = t.serial
	}
	return func(ctx context.Context) (io.ReadWriteCloser, error) {
		rw, err := dial(ctx)
		if err != nil && ctx.Err() == nil {
			return nil, &portError{where, err}
		}
		return rw, err
	}
}

// classify maps a pull's error to an exit status, and says whether running
// again can help (the link, the lock, the kiosk's absence) or cannot (a
// missing port, permissions, a full or read-only disk, a broken kiosk).
func classify(ctx context.Context, err error) (code int, retry bool) {
	var pe *portError
	switch {
	case err == nil:
		return ExitOK, false
	case ctx.Err() != nil || errors.Is(err, context.Canceled):
		return ExitInterrupt, true
	case errors.Is(err, store.ErrLocked), errors.Is(err, puller.ErrLinkLost),
		errors.Is(err, puller.ErrBadBatches), errors.Is(err, puller.ErrStillSending),
		errors.Is(err, serialport.ErrNotFound):
		return ExitIncomplete, true
	case errors.As(err, &pe):
		if portCode(pe.err) == serial.PortBusy {
			return ExitIncomplete, true
		}
		return ExitFailure, false
	}
	return storeCode(err, ExitFailure), false
}

// storeCode is the exit status of a store error: ExitIncomplete when
// another writer held a kiosk folder (running again later helps), else
// code.
func storeCode(err error, code int) int {
	if errors.Is(err, store.ErrLocked) {
		return ExitIncomplete
	}
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	return code
}

// portCode returns the serial package's code for err, or -1.
func portCode(err error) serial.PortErrorCode {
	var pe *serial.PortError
	if errors.As(err, &pe) {
		return pe.Code()
	}
	return -1
}

// explain turns the errors staff can fix into what to do about them.
func explain(err error, t target) error {
	if errors.Is(err, context.Canceled) {
		return msg.Errorf(msg.CLIInterrupted)
	}
	var pe *portError
	if errors.As(err, &pe) {
		switch {
		case portCode(pe.err) == serial.PermissionDenied || errors.Is(pe.err, fs.ErrPermission):
			return msg.Errorf(msg.PullErrPortDenied, pe.where)
		case portCode(pe.err) == serial.PortNotFound || errors.Is(pe.err, fs.ErrNotExist):
			return msg.Errorf(msg.PullErrNoPort, pe.where)
		case portCode(pe.err) == serial.PortBusy || errors.Is(pe.err, syscall.EBUSY):
			return msg.Errorf(msg.PullErrPortBusy, pe.where)
		}
		var se *serial.PortError
		if errors.As(pe.err, &se) {
			return msg.Errorf(msg.PullErrPort, pe.where, se)
		}
		return msg.Errorf(msg.PullErrPort, pe.where, pe.err)
	}
	switch {
	case errors.Is(err, syscall.ENOSPC):
		return msg.Errorf(msg.PullErrDiskFull, err)
	case errors.Is(err, syscall.EROFS):
		return msg.Errorf(msg.PullErrReadOnly, err)
	case errors.Is(err, fs.ErrPermission):
		return msg.Errorf(msg.PullErrStoreDenied, err)
	}
	return err
}

func compoundName(kiosks []kiosklog.Kiosk, id string) string {
	for _, k := range kiosks {
		if k.ID == id && k.Unnamed {
			return kiosklog.UnnamedCompound
		}
		if k.ID == id {
			return k.Compound
		}
	}
	return ""
}

// printSummary prints what a pull did, whether or not it finished.
func printSummary(w io.Writer, p *msg.Printer, where string, kiosks []kiosklog.Kiosk, s puller.Summary, err error, retry bool) {
	name := s.Kiosk
	if name == "" {
		name = where
	} else if c := compoundName(kiosks, s.Kiosk); c != "" {
		name += " (" + c + ")"
	}
	rate := ""
	if secs := s.Elapsed.Seconds(); secs > 0 && s.New > 0 {
		rate = p.Sprintf(msg.PullRate, float64(s.New)/secs)
	}
	gaps := p.Sprintf(msg.PullNoGaps)
	if len(s.Gaps) > 0 {
		var parts []string
		for _, g := range s.Gaps {
			parts = append(parts, p.Sprintf(msg.PullGapRange, g.Epoch, g.From, g.To))
		}
		gaps = p.Sprintf(msg.PullGaps, len(s.Gaps), s.Lost(), strings.Join(parts, ", "))
	}
	var b strings.Builder
	b.WriteString(p.Sprintf(msg.PullSummary, name, s.New, s.Duplicates, gaps, s.Elapsed.Round(time.Millisecond), rate))
	if s.BadBatches > 0 {
		b.WriteString(p.Sprintf(msg.PullBadBatches, s.BadBatches))
		if s.MinBatch > 0 {
			b.WriteString(p.Sprintf(msg.PullSmallerBatches, s.MinBatch))
		}
	}
	if s.Reconnects > 0 {
		b.WriteString(p.Sprintf(msg.PullReconnects, s.Reconnects))
	}
	if s.Quarantined > 0 {
		b.WriteString(p.Sprintf(msg.PullQuarantined, s.Quarantined))
	}
	switch {
	case err == nil && s.Complete:
		b.WriteString(p.Sprintf(msg.PullComplete, s.Last, s.Epoch))
	case err == nil:
		b.WriteString(p.Sprintf(msg.PullStoppedEarly, s.Epoch))
	case retry:
		b.WriteString(p.Sprintf(msg.PullIncomplete))
	default:
		b.WriteString(p.Sprintf(msg.PullFailed))
	}
	fmt.Fprintln(w, b.String())
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
