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

	"gongjian/kioskpull/kiosklog"
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

// kioskStatus is one row of `kioskpull status`.
type kioskStatus struct {
	id, compound string
	pull         kiosklog.Pull
	pulled       bool
}

func (c *statusCmd) run(ctx context.Context, m *Main) error {
	kiosks, err := readKiosks(c.out)
	if err != nil {
		return err
	}
	pulls, err := kiosklog.ReadPulls(os.DirFS(c.out), ".")
	if errors.Is(err, fs.ErrNotExist) {
		err = nil
	}
	if err != nil {
		return err
	}
	var rows []kioskStatus
	byID := map[string]int{}
	for _, k := range kiosks {
		name := k.Compound
		if k.Unnamed {
			name = kiosklog.UnnamedCompound
		}
		byID[k.ID] = len(rows)
		rows = append(rows, kioskStatus{id: k.ID, compound: name})
	}
	for _, p := range pulls {
		i, ok := byID[p.Kiosk]
		if !ok {
			i = len(rows)
			byID[p.Kiosk] = i
			rows = append(rows, kioskStatus{id: p.Kiosk, compound: "-"})
		}
		rows[i].pull, rows[i].pulled = p, true
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
			fmt.Fprintf(tw, "%s\t%s\t-\t-\t-\t-\t%s\n", r.id, r.compound, p.Sprintf(msg.StatusNever))
			continue
		}
		age := now.Sub(r.pull.LastPull)
		state := p.Sprintf(msg.StatusOK)
		if age > c.overdue {
			overdue++
			state = p.Sprintf(msg.StatusOverdue, duration(p, c.overdue))
		}
		if !r.pull.Complete {
			state += p.Sprintf(msg.StatusIncomplete)
		}
		source := p.Sprintf(msg.StatusSourcePull)
		if r.pull.Source == "import" {
			source = p.Sprintf(msg.StatusSourceImport)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.id, r.compound,
			r.pull.LastPull.In(kiosklog.Location).Format("2006-01-02 15:04"), days(p, age), source,
			p.Sprintf(msg.StatusSeq, r.pull.LastSeq, r.pull.Epoch), state)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if overdue > 0 {
		fmt.Fprintln(m.Stdout, p.Sprintf(msg.StatusOverdueCount, overdue, len(rows)))
	}
	return nil
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
