package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"golang.org/x/term"

	"gongjian/kioskpull/kiosklog"
	"gongjian/kioskpull/msg"
	"gongjian/kioskpull/puller"
	"gongjian/kioskpull/serialport"
	"gongjian/kioskpull/store"
)

type pullCmd struct {
	port, serial string
	all          bool
	out, key     string
	batch        int
	wait         time.Duration
	lockWait     time.Duration
	replaced     string
	lineTimeout  time.Duration
	progress     string
}

func (c *pullCmd) parse(m *Main, args []string) error {
	fs := newFlags(m, "pull", "(-port PATH | -serial SN | -all) [flags]")
	fs.StringVar(&c.port, "port", "", "serial port `path` of the kiosk (e.g. /dev/ttyUSB0)")
	fs.StringVar(&c.serial, "serial", "", "USB serial `number` of the kiosk's adapter")
	fs.BoolVar(&c.all, "all", false, "pull every kiosk plugged in whose USB serial number is in kiosks.yaml")
	fs.StringVar(&c.out, "out", "data/kiosk", "store `folder`")
	fs.StringVar(&c.key, "key", "", keyFlagHelp)
	fs.IntVar(&c.batch, "batch", 1000, "records per batch")
	fs.DurationVar(&c.wait, "wait", 2*time.Minute, "how long to wait for an unplugged kiosk to come back")
	fs.DurationVar(&c.lockWait, "lock-wait", store.DefaultLockWait, lockWaitHelp)
	fs.StringVar(&c.replaced, "replaced", "", "confirm what changed when a kiosk does not look like the one pulled before: `kiosk` (other hardware, same id) or adapter")
	fs.DurationVar(&c.lineTimeout, "timeout", 2*time.Second, "how long to wait for the kiosk to answer")
	fs.StringVar(&c.progress, "progress", "auto", "progress bar: auto (on a terminal), on or off")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	n := 0
	for _, set := range []bool{c.port != "", c.serial != "", c.all} {
		if set {
			n++
		}
	}
	if n != 1 || fs.NArg() > 0 {
		fs.Usage()
		return errors.New("give exactly one of -port, -serial or -all")
	}
	if c.batch < 1 || c.batch > 100000 {
		return errors.New("-batch must be 1..100000")
	}
	switch c.progress {
	case "auto", "on", "off":
	default:
		return errors.New("-progress must be auto, on or off")
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

func (c *pullCmd) targets(kiosks []kiosklog.Kiosk) ([]target, error) {
	switch {
	case c.serial != "":
		return []target{{serial: c.serial}}, nil
	case c.port != "":
		t := target{path: c.port}
		// A USB port can be found again by its serial number after an unplug.
		if ports, err := serialport.List(); err == nil {
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
	ports, err := serialport.List()
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
		return nil, withCode(ExitIncomplete, fmt.Errorf("no kiosk plugged in: none of %d serial ports has a USB serial number listed in %s/%s (see `kioskpull ports`)", len(ports), c.out, kiosklog.KiosksFile))
	}
	return ts, nil
}

func (c *pullCmd) run(ctx context.Context, m *Main) error {
	h, _, err := loadKey(m, c.key)
	if err != nil {
		return err
	}
	st, err := openStore(m, c.out, c.lockWait, h)
	if err != nil {
		return err
	}
	kiosks, err := readKiosks(c.out)
	if err != nil {
		return err
	}
	targets, err := c.targets(kiosks)
	if err != nil {
		return err
	}
	var errs []error
	worst := ExitOK
	for _, t := range targets {
		where := t.path
		if where == "" {
			where = "USB serial " + t.serial
		}
		cfg := puller.Config{
			Store: st, Pseudonym: h.Card, Batch: c.batch, Reconnect: c.wait,
			HelloTimeout: c.lineTimeout, LineTimeout: c.lineTimeout, USBSerial: t.serial, Replaced: c.replaced,
			Logf:     logTo(m),
			Progress: newProgress(m.Stderr, c.progress),
		}
		sum, err := puller.Pull(ctx, cfg, serialport.Dialer(t.path, t.serial))
		printSummary(m.Stdout, where, kiosks, sum, err)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", where, err))
			code := ExitFailure
			if errors.Is(err, puller.ErrLinkLost) || errors.Is(err, puller.ErrBadBatches) {
				code = ExitIncomplete
			}
			code = lockedCode(err, code)
			if ctx.Err() != nil {
				return withCode(ExitInterrupt, errors.Join(errs...))
			}
			worst = max(worst, code)
		}
	}
	closeReported(ctx, m, c.out)
	return withCode(worst, errors.Join(errs...))
}

// logTo prints the puller's messages on m.Stderr, on a line of their own
// (a progress bar may be half-drawn).
func logTo(m *Main) puller.Logf {
	return func(key msg.Key, args ...any) {
		fmt.Fprintf(m.Stderr, "\n%s\n", m.P.Sprintf(msg.CLIError, m.P.Sprintf(key, args...)))
	}
}

func compoundName(kiosks []kiosklog.Kiosk, id string) string {
	for _, k := range kiosks {
		if k.ID == id {
			return k.Compound
		}
	}
	return ""
}

// printSummary prints what a pull did, whether or not it finished.
func printSummary(w io.Writer, where string, kiosks []kiosklog.Kiosk, s puller.Summary, err error) {
	name := s.Kiosk
	if name == "" {
		name = where
	} else if c := compoundName(kiosks, s.Kiosk); c != "" {
		name += " (" + c + ")"
	}
	rate := ""
	if secs := s.Elapsed.Seconds(); secs > 0 && s.New > 0 {
		rate = fmt.Sprintf(", %.0f records/s", float64(s.New)/secs)
	}
	gaps := "no gaps"
	if len(s.Gaps) > 0 {
		var parts []string
		for _, g := range s.Gaps {
			parts = append(parts, fmt.Sprintf("epoch %d #%d-#%d", g.Epoch, g.From, g.To))
		}
		gaps = fmt.Sprintf("%d %s, %d records lost (%s)", len(s.Gaps), plural(len(s.Gaps), "gap", "gaps"), s.Lost(), strings.Join(parts, ", "))
	}
	fmt.Fprintf(w, "%s: %d new records, %d duplicates skipped, %s, %s%s", name, s.New, s.Duplicates, gaps, s.Elapsed.Round(time.Millisecond), rate)
	if s.BadBatches > 0 {
		fmt.Fprintf(w, ", %d bad %s asked again", s.BadBatches, plural(s.BadBatches, "batch", "batches"))
	}
	if s.Reconnects > 0 {
		fmt.Fprintf(w, ", %d %s", s.Reconnects, plural(s.Reconnects, "reconnect", "reconnects"))
	}
	switch {
	case err == nil && s.Complete:
		fmt.Fprintf(w, "; complete up to #%d of epoch %d\n", s.Last, s.Epoch)
	case err == nil:
		fmt.Fprintf(w, "; the kiosk stopped early at epoch %d\n", s.Epoch)
	default:
		fmt.Fprintf(w, "; INCOMPLETE, run again to resume (committed batches are kept)\n")
	}
}

// stderrIsTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
