package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"gongjian/gen/kiosklog"
	"gongjian/kioskpull/msg"
)

// statusCmd lists each kiosk's last pull and flags the overdue ones.
type statusCmd struct {
	out     string
	overdue time.Duration
}

func (c *statusCmd) parse(m *Main, args []string) error {
	fs := newFlags(m, "status", "[-out DIR] [-overdue 168h]")
	fs.StringVar(&c.out, "out", defaultOut, m.P.Sprintf(msg.FlagOut))
	fs.DurationVar(&c.overdue, "overdue", 7*24*time.Hour, m.P.Sprintf(msg.FlagOverdue))
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if c.overdue <= 0 {
		return msg.Errorf(msg.StatusBadOverdue)
	}
	return nil
}

// lastPull is what status tells of a kiosk's pulls and imports: the last
// one, whatever became of it, and the last one that brought in everything
// the kiosk held.
type lastPull struct {
	at           time.Time
	source       string // "pull" or "import"
	result       string // "complete", "incomplete", "interrupted", "failed"
	epoch        uint32
	counter      uint64 // the kiosk's last sequence number then; 0 for an import
	lastComplete time.Time
}

// kioskStatus is one row of `kioskpull status`.
type kioskStatus struct {
	id, compound string
	last         lastPull
	pulled       bool
}

// lastPulls reads the pull ledger and, for kiosks the ledger does not
// know (stores from before it), each kiosk's pull.yaml.
func lastPulls(dir string) (map[string]lastPull, error) {
	fsys := os.DirFS(dir)
	entries, err := kiosklog.ReadLedgerFile(fsys, ".")
	if err != nil {
		return nil, err
	}
	last := map[string]lastPull{}
	for _, e := range entries {
		l := last[e.Kiosk]
		if e.Status == "complete" && e.Time.After(l.lastComplete) {
			l.lastComplete = e.Time
		}
		if !e.Time.Before(l.at) {
			l.at, l.source, l.result, l.epoch, l.counter = e.Time, e.Source, e.Status, e.Epoch, e.Counter
		}
		last[e.Kiosk] = l
	}
	pulls, err := kiosklog.ReadPulls(fsys, ".")
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	for _, p := range pulls {
		if _, ok := last[p.Kiosk]; ok {
			continue
		}
		l := lastPull{at: p.LastPull, source: p.Source, result: "incomplete", epoch: p.Epoch, counter: p.LastSeq}
		if p.Complete {
			l.result, l.lastComplete = "complete", p.LastPull
		}
		last[p.Kiosk] = l
	}
	return last, nil
}

func (c *statusCmd) run(ctx context.Context, m *Main) error {
	kiosks, err := readKiosks(c.out)
	if err != nil {
		return err
	}
	last, err := lastPulls(c.out)
	if err != nil {
		return err
	}
	var rows []kioskStatus
	for _, k := range kiosks {
		name := k.Compound
		if k.Unnamed {
			name = kiosklog.UnnamedCompound
		}
		l, ok := last[k.ID]
		rows = append(rows, kioskStatus{id: k.ID, compound: name, last: l, pulled: ok})
		delete(last, k.ID)
	}
	for id, l := range last {
		rows = append(rows, kioskStatus{id: id, compound: "-", last: l, pulled: true})
	}
	if len(rows) == 0 {
		fmt.Fprintln(m.Stdout, m.P.Sprintf(msg.StatusNone, c.out))
		return nil
	}
	slices.SortFunc(rows, func(a, b kioskStatus) int { return compareIDs(a.id, b.id) })
	now := m.Now()
	p := m.P
	tw := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, p.Sprintf(msg.StatusHeader))
	overdue := 0
	for _, r := range rows {
		if !r.pulled {
			overdue++
			fmt.Fprintf(tw, "%s\t%s\t-\t-\t-\t-\t-\t%s\n", r.id, r.compound, p.Sprintf(msg.StatusNever))
			continue
		}
		l := r.last
		var state string
		switch {
		case l.lastComplete.IsZero():
			overdue++
			state = p.Sprintf(msg.StatusNoComplete)
		case now.Sub(l.lastComplete) > c.overdue:
			overdue++
			state = p.Sprintf(msg.StatusOverdue, duration(p, c.overdue))
		default:
			state = p.Sprintf(msg.StatusOK)
		}
		source := p.Sprintf(msg.StatusSourcePull)
		if l.source == "import" {
			source = p.Sprintf(msg.StatusSourceImport)
		}
		held := "-"
		if l.counter > 0 {
			held = p.Sprintf(msg.StatusSeq, l.counter, l.epoch)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.id, r.compound,
			l.at.In(kiosklog.Location).Format("2006-01-02 15:04"), days(p, now.Sub(l.at)), source,
			p.Sprintf(resultKey(l.result)), held, state)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if overdue > 0 {
		fmt.Fprintln(m.Stdout, p.Sprintf(msg.StatusOverdueCount, overdue, len(rows)))
	}
	return nil
}

// resultKey names a ledger status for people.
func resultKey(status string) msg.Key {
	switch status {
	case "complete":
		return msg.StatusComplete
	case "incomplete":
		return msg.StatusIncompleteResult
	case "interrupted":
		return msg.StatusInterrupted
	}
	return msg.StatusFailedResult
}

// days says how long ago, in whole days (or hours within the first day).
func days(p *msg.Printer, age time.Duration) string {
	if age < 24*time.Hour {
		return p.Sprintf(msg.StatusHoursAgo, max(int(age/time.Hour), 0))
	}
	return p.Sprintf(msg.StatusDaysAgo, int(age/(24*time.Hour)))
}

// compareIDs orders kiosk ids as people count: K2 before K10.
func compareIDs(a, b string) int {
	if c := cmp.Compare(len(a), len(b)); c != 0 {
		return c
	}
	return strings.Compare(a, b)
}
