package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"gongjian/kioskpull/kiosklog"
	"gongjian/kioskpull/serialport"
	"gongjian/kioskpull/sim"
	"gongjian/kioskpull/usbexport"
)

type simCmd struct {
	cfg      sim.Config
	start    string
	port     string
	pathFile string
	export   string
	gb18030  bool
}

// simFlags registers the simulated kiosk's flags (shared with demo).
func simFlags(fs interface {
	StringVar(*string, string, string, string)
	IntVar(*int, string, int, string)
	Uint64Var(*uint64, string, uint64, string)
	Float64Var(*float64, string, float64, string)
}, cfg *sim.Config, start *string) {
	fs.StringVar(&cfg.Kiosk, "kiosk", "K01", "kiosk `id`")
	fs.Uint64Var(&cfg.Log.Seed, "seed", 1, "random `seed` of the generated log")
	fs.IntVar(&cfg.Log.Records, "records", 2000, "how many deposits the log holds")
	fs.StringVar(start, "start", "2026-01-01", "`date` of the first deposit")
	fs.IntVar(&cfg.Log.Days, "days", 120, "deposits spread over this many days")
	fs.IntVar(&cfg.Log.Households, "households", 250, "points cards using the kiosk")
	fs.IntVar(&cfg.Baud, "baud", 0, "throttle to this baud `rate` (0: as fast as the link goes)")
	fs.Float64Var(&cfg.Noise, "noise", 0, "`probability` that a line gets a flipped bit")
}

func (c *simCmd) parse(m *Main, args []string) error {
	fs := newFlags(m, "sim", "[flags]")
	simFlags(fs, &c.cfg, &c.start)
	var epoch uint
	fs.UintVar(&epoch, "epoch", 1, "log `epoch`")
	fs.Uint64Var(&c.cfg.RingFirst, "ring-first", 0, "ring buffer holds records from this `seq` on (earlier ones overwritten)")
	fs.IntVar(&c.cfg.RecordsPerLine, "per-line", 0, "records per R line (default 16)")
	fs.IntVar(&c.cfg.HangupAfterRecs, "hangup-after", 0, "hang up once after this many `records`")
	fs.IntVar(&c.cfg.HangupAfterBytes, "hangup-after-bytes", 0, "hang up once after this many `bytes`")
	fs.IntVar(&c.cfg.ResetAfterRecords, "reset-after", 0, "reset the log (new epoch) once after this many `records`, and hang up")
	fs.StringVar(&c.port, "port", "", "serve on this serial port `path` instead of a new pseudo-terminal")
	fs.StringVar(&c.pathFile, "path-file", "", "also write the pseudo-terminal's path to this `file`")
	fs.StringVar(&c.export, "export", "", "write the log as a USB-stick export `file` and exit")
	fs.BoolVar(&c.gb18030, "gb18030", false, "with -export: GB18030 with Chinese column names")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if !kiosklog.ValidKioskID(c.cfg.Kiosk) {
		return fmt.Errorf("-kiosk %q is not a valid kiosk id", c.cfg.Kiosk)
	}
	c.cfg.Epoch = uint32(epoch)
	t, err := time.ParseInLocation("2006-01-02", c.start, kiosklog.Location)
	if err != nil {
		return fmt.Errorf("-start %q is not a date (YYYY-MM-DD)", c.start)
	}
	c.cfg.Log.Start = t
	return nil
}

func (c *simCmd) run(ctx context.Context, m *Main) error {
	k := sim.New(c.cfg)
	h := k.Hello()
	if c.export != "" {
		var rows []usbexport.Row
		for _, r := range k.Records() {
			rows = append(rows, usbexport.Row{Kiosk: h.Kiosk, Epoch: h.Epoch, Record: r})
		}
		if err := os.MkdirAll(filepath.Dir(c.export), 0o755); err != nil {
			return err
		}
		f, err := os.Create(c.export)
		if err != nil {
			return err
		}
		if err := usbexport.Write(f, rows, c.gb18030); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "exported %d records of kiosk %s epoch %d to %s\n", len(rows), h.Kiosk, h.Epoch, c.export)
		return nil
	}
	if c.port != "" {
		link, err := serialport.Open(c.port)
		if err != nil {
			return err
		}
		defer link.Close()
		fmt.Fprintf(m.Stdout, "kiosk %s (epoch %d, records %d-%d) serving on %s\n", h.Kiosk, h.Epoch, h.First, h.Last, c.port)
		return ignoreCancel(k.Serve(ctx, link))
	}
	return runSim(ctx, k, m.Stdout, func(path string) error {
		h := k.Hello()
		fmt.Fprintf(m.Stdout, "kiosk %s (epoch %d, records %d-%d) serving on %s\n", h.Kiosk, h.Epoch, h.First, h.Last, path)
		if c.pathFile != "" {
			return os.WriteFile(c.pathFile, []byte(path+"\n"), 0o644)
		}
		return nil
	})
}

// runSim serves k on a pseudo-terminal until ctx is done. After a hang-up
// fault it "plugs the cable back in": a new pseudo-terminal, announced
// through ready.
func runSim(ctx context.Context, k *sim.Kiosk, log io.Writer, ready func(path string) error) error {
	for {
		p, err := sim.OpenPTY()
		if err != nil {
			return err
		}
		if err := ready(p.Path); err != nil {
			p.Close()
			return err
		}
		err = k.Serve(ctx, p)
		p.Close()
		switch {
		case ctx.Err() != nil:
			return nil
		case errors.Is(err, sim.ErrHangup):
			fmt.Fprintf(log, "kiosk %s hung up (fault); plugging back in\n", k.Hello().Kiosk)
			time.Sleep(100 * time.Millisecond)
		case err != nil:
			return err
		}
	}
}

func ignoreCancel(err error) error {
	if errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}
