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

	"gongjian/kioskpull/kiosklog"
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
	simFlags(fs, &c.cfg, &c.start)
	fs.StringVar(&c.out, "out", "", "store `folder` to pull into (default: a new temporary folder)")
	fs.StringVar(&c.key, "key", "", keyFlagHelp(m)+m.P.Sprintf(msg.FlagDemoKey))
	fs.BoolVar(&c.faults, "faults", true, "let the simulated kiosk hang up once and add line noise")
	fs.StringVar(&c.progress, "progress", "auto", "progress bar: auto, on or off")
	setDefault(fs, "baud", "115200")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	t, err := time.ParseInLocation("2006-01-02", c.start, kiosklog.Location)
	if err != nil {
		return fmt.Errorf("-start %q is not a date", c.start)
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
		fmt.Fprintf(out, "1. No site key at %s: using a throwaway key for this demo.\n   For real pulls, make one with `kioskpull keygen`.\n", keyPath)
	} else if err != nil {
		return err
	} else {
		fmt.Fprintf(out, "1. Site key: %s\n", keyPath)
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
		simDone <- runSim(simCtx, k, io.Discard, func(path string) error {
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
		return fmt.Errorf("simulated kiosk: %w", err)
	}
	mu.Lock()
	speed := "unthrottled"
	if c.cfg.Baud > 0 {
		speed = fmt.Sprintf("%d baud", c.cfg.Baud)
	}
	fmt.Fprintf(out, "2. Simulated kiosk %s on %s: %d deposits, epoch %d, %s", hello.Kiosk, current, hello.Last, hello.Epoch, speed)
	mu.Unlock()
	if c.faults {
		fmt.Fprintf(out, ", with line noise and one hang-up half way (the pull recovers)")
	}
	fmt.Fprintf(out, ".\n3. Pulling into %s ...\n", dir)
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
		fmt.Fprintf(out, "   %.1f%% of the bytes received were records stored; the rest is line overhead", 100*float64(sum.RecordBytes)/float64(sum.LineBytes))
		if c.faults {
			fmt.Fprint(out, " and batches spoilt by the faults, sent again")
		}
		fmt.Fprintln(out, ".")
	}
	recs, err := kiosklog.ReadStore(os.DirFS(dir), ".")
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "4. %s/%s now holds %d records (card numbers only as pseudonyms), plus %s.\n", dir, hello.Kiosk, len(recs), kiosklog.PullFile)
	// Households are published only for closed months (kioskpull close):
	// show what closing every month now would freeze.
	agg := kiosklog.Aggregate(recs, kiosklog.Options{})
	_, agg.MonthTotals = kiosklog.LiveHouseholds(recs, 0)
	fmt.Fprintf(out, "5. What the site would publish once these months close (kg by month and category; households, hidden below %d):\n", kiosklog.DefaultMinHouseholds)
	printAggregates(out, agg)
	if c.out == "" {
		fmt.Fprintf(out, "The demo store is left in %s for you to look at; remove it when done.\n", dir)
	}
	return nil
}

func printAggregates(w io.Writer, a kiosklog.Aggregates) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "month\t")
	for _, c := range kiosklog.Categories {
		fmt.Fprintf(tw, "%s\t", c)
	}
	fmt.Fprint(tw, "points\thouseholds\t\n")
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
		hh := "hidden"
		for _, t := range a.MonthTotals {
			if t.Month == month && t.Shown {
				hh = fmt.Sprint(t.Count)
			}
		}
		fmt.Fprintf(tw, "%d\t%s\t\n", points, hh)
	}
	tw.Flush()
}
