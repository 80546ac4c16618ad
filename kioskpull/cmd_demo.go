package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"text/tabwriter"
	"time"

	"gongjian/gen/kiosklog"
	"gongjian/kioskpull/msg"
	"gongjian/kioskpull/pseudonym"
	"gongjian/kioskpull/puller"
	"gongjian/kioskpull/serialport"
	"gongjian/kioskpull/sim"
	"gongjian/kioskpull/store"
)

type demoCmd struct {
	cfg      sim.Config
	start    string
	out, key string
	faults   bool
	progress string
}

func (c *demoCmd) parse(m *Main, args []string) error {
	fs := newFlags(m, "demo", "[-out DIR] [flags]")
	simFlags(fs, m.P, &c.cfg, &c.start)
	fs.StringVar(&c.out, "out", "", m.P.Sprintf(msg.FlagDemoOut))
	fs.StringVar(&c.key, "key", "", keyFlagHelp(m)+m.P.Sprintf(msg.FlagDemoKey))
	fs.BoolVar(&c.faults, "faults", true, m.P.Sprintf(msg.FlagDemoFaults))
	fs.StringVar(&c.progress, "progress", "auto", m.P.Sprintf(msg.FlagProgress))
	setDefault(fs, "baud", "115200")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	t, err := time.ParseInLocation("2006-01-02", c.start, kiosklog.Location)
	if err != nil {
		return msg.Errorf(msg.DemoBadStart, c.start)
	}
	c.cfg.Log.Start = t
	return nil
}

func setDefault(fs *flag.FlagSet, name, value string) {
	f := fs.Lookup(name)
	f.DefValue = value
	f.Value.Set(value)
}

func (c *demoCmd) run(ctx context.Context, m *Main) error {
	out := m.Stdout
	h, keyPath, err := loadKey(m, c.key)
	if errors.Is(err, pseudonym.ErrNoKey) {
		dir, err := os.MkdirTemp("", "kioskpull-demo-key-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		throwaway := filepath.Join(dir, "kiosk.key")
		if err := pseudonym.Generate(throwaway); err != nil {
			return err
		}
		if h, err = pseudonym.Load(throwaway); err != nil {
			return err
		}
		fmt.Fprintln(out, m.P.Sprintf(msg.DemoThrowaway, keyPath))
	} else if err != nil {
		return err
	} else {
		fmt.Fprintln(out, m.P.Sprintf(msg.DemoKey, keyPath))
	}
	dir := c.out
	if dir == "" {
		if dir, err = os.MkdirTemp("", "kioskpull-demo-"); err != nil {
			return err
		}
	}
	st, err := store.Open(dir)
	if err != nil {
		return err
	}

	if c.faults {
		c.cfg.Noise = 0.003
		c.cfg.HangupAfterRecs = c.cfg.Log.Records / 2
	}
	k := sim.New(c.cfg)
	hello := k.Hello()
	simCtx, stopSim := context.WithCancel(ctx)
	var mu sync.Mutex
	current := ""
	ready := make(chan struct{}, 1)
	simDone := make(chan error, 1)
	go func() {
		simDone <- runSim(simCtx, k, io.Discard, m.P, func(path string) error {
			mu.Lock()
			current = path
			mu.Unlock()
			select {
			case ready <- struct{}{}:
			default:
			}
			return nil
		})
	}()
	defer func() { stopSim(); <-simDone }()
	select {
	case <-ready:
	case err := <-simDone:
		return msg.Errorf(msg.DemoSimFailed, err)
	}
	mu.Lock()
	speed := m.P.Sprintf(msg.DemoUnthrottle)
	if c.cfg.Baud > 0 {
		speed = m.P.Sprintf(msg.DemoBaud, c.cfg.Baud)
	}
	fmt.Fprint(out, m.P.Sprintf(msg.DemoKiosk, hello.Kiosk, current, hello.Last, hello.Epoch, speed))
	mu.Unlock()
	if c.faults {
		fmt.Fprint(out, m.P.Sprintf(msg.DemoFaults))
	}
	fmt.Fprintln(out, m.P.Sprintf(msg.DemoPulling, dir))
	dial := func(ctx context.Context) (io.ReadWriteCloser, error) {
		mu.Lock()
		path := current
		mu.Unlock()
		return serialport.Open(path)
	}
	scr := newScreen(m.Stderr, m.P, c.progress, time.Now)
	meter := scr.add(hello.Kiosk)
	stopTicker := scr.tick(250 * time.Millisecond)
	cfg := puller.Config{
		Store: st, Pseudonym: h.Card, Reconnect: 10 * time.Second, ReconnectPoll: 200 * time.Millisecond,
		Logf: meter.logf, Progress: meter, Retries: 10,
		Batch: 250, // small batches so the demo's faults cost little
	}
	sum, err := puller.Pull(ctx, cfg, dial)
	meter.finish(explain(err, target{}))
	stopTicker()
	scr.close()
	_, retry := classify(ctx, err)
	printSummary(out, m.P, hello.Kiosk, nil, sum, err, retry)
	if err != nil {
		return withCode(ExitIncomplete, err)
	}
	if sum.LineBytes > 0 {
		fmt.Fprint(out, m.P.Sprintf(msg.DemoEfficiency, 100*float64(sum.RecordBytes)/float64(sum.LineBytes)))
		if c.faults {
			fmt.Fprint(out, m.P.Sprintf(msg.DemoSpoilt))
		}
		fmt.Fprintln(out, m.P.Sprintf(msg.CLIFullStop))
	}
	recs, err := kiosklog.ReadStore(os.DirFS(dir), ".")
	if err != nil {
		return err
	}
	fmt.Fprintln(out, m.P.Sprintf(msg.DemoHolds, dir+"/"+hello.Kiosk, len(recs), kiosklog.PullFile))
	// Households are published only for closed months (kioskpull close):
	// show what closing every month now would freeze.
	agg := kiosklog.Aggregate(recs, kiosklog.Options{})
	_, agg.MonthTotals = kiosklog.LiveHouseholds(recs, 0)
	fmt.Fprintln(out, m.P.Sprintf(msg.DemoPublish, kiosklog.DefaultMinHouseholds))
	printAggregates(out, m.P, agg)
	if c.out == "" {
		fmt.Fprintln(out, m.P.Sprintf(msg.DemoLeft, dir))
	}
	return nil
}

func printAggregates(w io.Writer, p *msg.Printer, a kiosklog.Aggregates) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, p.Sprintf(msg.DemoHeader))
	for _, month := range a.Months {
		fmt.Fprintf(tw, "%s\t", month)
		points := int64(0)
		for _, c := range kiosklog.Categories {
			kg := 0.0
			for _, cell := range a.Weights {
				if cell.Month == month && cell.Category == c {
					kg += cell.KG()
					points += cell.Points
				}
			}
			fmt.Fprintf(tw, "%.1f\t", kg)
		}
		hh := p.Sprintf(msg.DemoHidden)
		for _, t := range a.MonthTotals {
			if t.Month == month && t.Shown {
				hh = fmt.Sprint(t.Count)
			}
		}
		fmt.Fprintf(tw, "%d\t%s\t\n", points, hh)
	}
	tw.Flush()
}
