package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"gongjian/gen/kiosklog"
	"gongjian/kioskpull/msg"
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
}, p *msg.Printer, cfg *sim.Config, start *string) {
	fs.StringVar(&cfg.Kiosk, "kiosk", "K01", p.Sprintf(msg.FlagSimKiosk))
	fs.Uint64Var(&cfg.Log.Seed, "seed", 1, p.Sprintf(msg.FlagSimSeed))
	fs.IntVar(&cfg.Log.Records, "records", 2000, p.Sprintf(msg.FlagSimRecords))
	fs.StringVar(start, "start", "2026-01-01", p.Sprintf(msg.FlagSimStart))
	fs.IntVar(&cfg.Log.Days, "days", 120, p.Sprintf(msg.FlagSimDays))
	fs.IntVar(&cfg.Log.Households, "households", 250, p.Sprintf(msg.FlagSimHouseholds))
	fs.IntVar(&cfg.Baud, "baud", 0, p.Sprintf(msg.FlagSimBaud))
	fs.Float64Var(&cfg.Noise, "noise", 0, p.Sprintf(msg.FlagSimNoise))
}

// hostileNames are the -hostile values of kioskpull sim.
var hostileNames = map[string]sim.Hostile{"epoch-loop": sim.EpochLoop, "junk": sim.JunkForever, "bad-card": sim.CardInBadRecord}

func (c *simCmd) parse(m *Main, args []string) error {
	p := m.P
	fs := newFlags(m, "sim", "[flags]")
	simFlags(fs, p, &c.cfg, &c.start)
	var epoch uint
	var hostile string
	fs.UintVar(&epoch, "epoch", 1, p.Sprintf(msg.FlagSimEpoch))
	fs.Uint64Var(&c.cfg.RingFirst, "ring-first", 0, p.Sprintf(msg.FlagSimRingFirst))
	fs.IntVar(&c.cfg.RecordsPerLine, "per-line", 0, p.Sprintf(msg.FlagSimPerLine))
	fs.IntVar(&c.cfg.HangupAfterRecs, "hangup-after", 0, p.Sprintf(msg.FlagSimHangup))
	fs.IntVar(&c.cfg.HangupAfterBytes, "hangup-after-bytes", 0, p.Sprintf(msg.FlagSimHangupB))
	fs.IntVar(&c.cfg.ResetAfterRecords, "reset-after", 0, p.Sprintf(msg.FlagSimReset))
	fs.StringVar(&hostile, "hostile", "", p.Sprintf(msg.FlagSimHostile))
	fs.StringVar(&c.port, "port", "", p.Sprintf(msg.FlagSimPort))
	fs.StringVar(&c.pathFile, "path-file", "", p.Sprintf(msg.FlagSimPathFile))
	fs.StringVar(&c.export, "export", "", p.Sprintf(msg.FlagSimExport))
	fs.BoolVar(&c.gb18030, "gb18030", false, p.Sprintf(msg.FlagSimGB18030))
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if !kiosklog.ValidKioskID(c.cfg.Kiosk) {
		return msg.Errorf(msg.SimBadKiosk, c.cfg.Kiosk)
	}
	if hostile != "" {
		h, ok := hostileNames[hostile]
		if !ok {
			return msg.Errorf(msg.SimBadHostile)
		}
		c.cfg.Hostile = h
	}
	c.cfg.Epoch = uint32(epoch)
	t, err := time.ParseInLocation("2006-01-02", c.start, kiosklog.Location)
	if err != nil {
		return msg.Errorf(msg.SimBadStart, c.start)
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
		fmt.Fprintln(m.Stdout, m.P.Sprintf(msg.SimExported, len(rows), h.Kiosk, h.Epoch, c.export))
		return nil
	}
	if c.port != "" {
		link, err := serialport.Open(c.port)
		if err != nil {
			return err
		}
		defer link.Close()
		fmt.Fprintln(m.Stdout, m.P.Sprintf(msg.SimServing, h.Kiosk, h.Epoch, h.First, h.Last, c.port))
		return ignoreCancel(k.Serve(ctx, link))
	}
	return runSim(ctx, k, m.Stdout, m.P, func(path string) error {
		h := k.Hello()
		fmt.Fprintln(m.Stdout, m.P.Sprintf(msg.SimServing, h.Kiosk, h.Epoch, h.First, h.Last, path))
		if c.pathFile != "" {
			return os.WriteFile(c.pathFile, []byte(path+"\n"), 0o644)
		}
		return nil
	})
}

// runSim serves k on a pseudo-terminal until ctx is done. After a hang-up
// fault it "plugs the cable back in": a new pseudo-terminal, announced
// through ready.
func runSim(ctx context.Context, k *sim.Kiosk, log io.Writer, pr *msg.Printer, ready func(path string) error) error {
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
			fmt.Fprintln(log, pr.Sprintf(msg.SimHungUp, k.Hello().Kiosk))
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
