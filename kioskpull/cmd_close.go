package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"gongjian/gen/kiosklog"
	"gongjian/kioskpull/msg"
	"gongjian/kioskpull/store"
)

// closeCmd freezes months into the publication ledger: the site publishes
// a month's household figures only once it is closed, and then always the
// same ones, so that no two builds can be differenced.
type closeCmd struct {
	out    string
	dryRun bool
	months []string
}

func (c *closeCmd) parse(m *Main, args []string) error {
	fs := newFlags(m, "close", "[-out DIR] [-n] [MONTH...]")
	fs.StringVar(&c.out, "out", "data/kiosk", "store `folder`")
	fs.BoolVar(&c.dryRun, "n", false, "show what would be frozen, write nothing")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	for _, a := range fs.Args() {
		if _, err := kiosklog.MonthEnd(a); err != nil {
			fs.Usage()
			return msg.Errorf(msg.CloseBadMonth, a)
		}
	}
	c.months = fs.Args()
	return nil
}

func (c *closeCmd) run(ctx context.Context, m *Main) error {
	log, err := loadStore(c.out)
	if err != nil {
		return err
	}
	now := time.Now()
	say := m.P
	months, by := c.months, kiosklog.ClosedByStaff
	if len(months) == 0 {
		months, by = kiosklog.Closable(log), kiosklog.ClosedReported
	}
	var errs []error
	for _, month := range months {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := closeMonth(m.Stdout, say, c.out, log, month, now, by, c.dryRun); err != nil {
			errs = append(errs, err)
		}
	}
	if len(c.months) == 0 {
		if len(months) == 0 {
			fmt.Fprintln(m.Stdout, say.Sprintf(msg.CloseNothing))
		}
		printOpen(m.Stdout, say, log, months)
	}
	printLate(m.Stderr, say, c.out, log)
	return errors.Join(errs...)
}

// loadStore reads the whole store folder dir.
func loadStore(dir string) (*kiosklog.Log, error) {
	if _, err := os.Stat(filepath.Join(dir, kiosklog.KiosksFile)); err != nil {
		return nil, fmt.Errorf("%w: %w", msg.Errorf(msg.CloseNotStore, dir, kiosklog.KiosksFile), err)
	}
	fsys, name := os.DirFS("."), filepath.ToSlash(filepath.Clean(dir))
	if !fs.ValidPath(name) {
		fsys, name = os.DirFS(dir), "."
	}
	return kiosklog.Load(fsys, name)
}

// closeMonth freezes month into dir/published-MONTH.yaml. The file is
// created once, never replaced: when two kioskpulls close the same month
// at once, the first wins and the second says so.
func closeMonth(w io.Writer, say *msg.Printer, dir string, log *kiosklog.Log, month string, now time.Time, by string, dryRun bool) error {
	for _, p := range log.Published {
		if p.Month == month {
			fmt.Fprintln(w, say.Sprintf(msg.CloseAlready, month, p.ClosedAt.Format("2006-01-02 15:04"), p.ClosedBy))
			return nil
		}
	}
	end, err := kiosklog.MonthEnd(month)
	if err != nil {
		return err
	}
	if now.Before(end) {
		return msg.Errorf(msg.CloseNotEnded, month, end.Format("2006-01-02 15:04 MST"))
	}
	if !slices.ContainsFunc(log.Records, func(r kiosklog.Record) bool { return kiosklog.MonthOf(r.Time) == month }) {
		return msg.Errorf(msg.CloseNoRecords, month, dir)
	}
	p, err := kiosklog.Freeze(log, month, now, by)
	if err != nil {
		return err
	}
	data, err := kiosklog.MarshalPublished(p)
	if err != nil {
		return err
	}
	name := kiosklog.PublishedFileName(month)
	if dryRun {
		fmt.Fprintln(w, say.Sprintf(msg.CloseWould, month, describe(say, p)))
		return nil
	}
	if err := store.WriteFileAtomic(dir, name, data, true); errors.Is(err, fs.ErrExist) {
		fmt.Fprintln(w, say.Sprintf(msg.CloseMeanwhile, month))
		return nil
	} else if err != nil {
		return err
	}
	fmt.Fprintln(w, say.Sprintf(msg.CloseDone, month, describe(say, p), filepath.Join(dir, name)))
	return nil
}

func describe(say *msg.Printer, p kiosklog.PublishedMonth) string {
	hidden := 0
	for _, c := range p.Households {
		if c.Hidden != "" {
			hidden++
		}
	}
	total := say.Sprintf(msg.CloseTotalHidden)
	if p.Total.Hidden == "" {
		total = say.Sprintf(msg.CloseTotal, p.Total.Households)
	}
	return say.Sprintf(msg.CloseSummary, len(p.Kiosks), len(p.Households)-hidden, hidden, total)
}

// printOpen names the months still open and the kiosks they wait for.
func printOpen(w io.Writer, say *msg.Printer, log *kiosklog.Log, closing []string) {
	until := kiosklog.ReportedUntil(log)
	for _, o := range kiosklog.OpenMonths(log) {
		if slices.Contains(closing, o.Month) {
			continue
		}
		var waiting []string
		for _, id := range o.Waiting {
			if until[id].IsZero() {
				waiting = append(waiting, say.Sprintf(msg.CloseNeverReported, id))
			} else {
				waiting = append(waiting, say.Sprintf(msg.CloseReportedUpTo, id, until[id].In(kiosklog.Location).Format("2006-01-02")))
			}
		}
		fmt.Fprintln(w, say.Sprintf(msg.CloseOpen, o.Month, strings.Join(waiting, ", "), o.Month))
	}
}

// printLate warns about records that arrived after their month closed,
// and about ledger files that no longer agree with the records.
func printLate(w io.Writer, say *msg.Printer, dir string, log *kiosklog.Log) {
	for _, l := range kiosklog.LateSince(log) {
		fmt.Fprintln(w, say.Sprintf(msg.CloseWarning, say.Sprintf(msg.CloseLate,
			filepath.Join(dir, kiosklog.PublishedFileName(l.Month)), l.Month, l.Kiosk, l.Closed, l.ClosedAt.Format("2006-01-02"), l.Now)))
	}
	for _, x := range kiosklog.Mismatched(log) {
		what := x.Kiosk
		if what == "" {
			what = say.Sprintf(msg.CloseTotalName)
		}
		fmt.Fprintln(w, say.Sprintf(msg.CloseWarning, say.Sprintf(msg.CloseMismatch,
			filepath.Join(dir, kiosklog.PublishedFileName(x.Month)), x.Month, what)))
	}
}

// closeReported runs after every pull and import: it closes the months
// every listed kiosk has now reported past, and warns about late records.
// A store without kiosks.yaml has nothing that can close.
func closeReported(ctx context.Context, m *Main, dir string) {
	if _, err := os.Stat(filepath.Join(dir, kiosklog.KiosksFile)); err != nil {
		return
	}
	log, err := loadStore(dir)
	if err != nil {
		fmt.Fprintln(m.Stderr, m.P.Sprintf(msg.CloseWarning, m.P.Sprintf(msg.CloseStoreErrors, err)))
		return
	}
	now := time.Now()
	for _, month := range kiosklog.Closable(log) {
		if ctx.Err() != nil {
			return
		}
		if err := closeMonth(m.Stdout, m.P, dir, log, month, now, kiosklog.ClosedReported, false); err != nil {
			fmt.Fprintln(m.Stderr, m.P.Sprintf(msg.CloseWarning, err))
		}
	}
	printLate(m.Stderr, m.P, dir, log)
}
