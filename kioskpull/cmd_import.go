package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gongjian/kioskpull/msg"
	"gongjian/kioskpull/store"
	"gongjian/kioskpull/usbexport"
)

type importCmd struct {
	out, key string
	outGiven bool
	lockWait time.Duration
	paths    []string
}

func (c *importCmd) parse(m *Main, args []string) error {
	fs := newFlags(m, "import", "[-out DIR] [-key FILE] PATH...")
	fs.StringVar(&c.out, "out", defaultOut, m.P.Sprintf(msg.FlagOut))
	fs.StringVar(&c.key, "key", "", keyFlagHelp(m))
	fs.DurationVar(&c.lockWait, "lock-wait", store.DefaultLockWait, lockWaitHelp(m))
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	c.outGiven = flagGiven(fs, "out")
	c.paths = fs.Args()
	if len(c.paths) == 0 {
		fs.Usage()
		return msg.Errorf(msg.ImportNeedsPath)
	}
	return nil
}

func (c *importCmd) run(ctx context.Context, m *Main) error {
	h, _, err := loadKey(m, c.key)
	if err != nil {
		return err
	}
	if err := checkOut(c.out, c.outGiven); err != nil {
		return err
	}
	st, err := openStore(m, c.out, c.lockWait, h)
	if err != nil {
		return err
	}
	var files []string
	for _, p := range c.paths {
		got, err := usbexport.Files(p)
		if err != nil {
			return err
		}
		files = append(files, got...)
	}
	if len(files) == 0 {
		return msg.Errorf(msg.ImportNoFiles, c.paths)
	}
	ls := newLedgerStore(st)
	sum, err := usbexport.Import(ctx, ls, h.Card, files, m.Now())
	if lerr := recordImport(m, ls, ledgerStatus(ctx, err, sum.Rejected == 0), h.Fingerprint(), m.Now()); lerr != nil {
		err = errors.Join(err, lerr)
	}
	fmt.Fprintln(m.Stdout, m.P.Sprintf(msg.ImportSummary, sum.Files, len(files), sum.Rows, sum.New, sum.Duplicates, sum.Kiosks))
	if sum.Rejected > 0 {
		fmt.Fprintln(m.Stdout, m.P.Sprintf(msg.ImportRefused, sum.Rejected))
	}
	for _, k := range sum.Kiosks {
		if off := sum.Offsets[k]; off > 0 {
			fmt.Fprintln(m.Stdout, m.P.Sprintf(msg.ImportReplaced, k, off))
		}
	}
	if sum.Quarantined > 0 {
		fmt.Fprintln(m.Stdout, m.P.Sprintf(msg.ImportQuarantined, sum.Quarantined, store.QuarantineDir, store.ShowReasons(sum.Reasons)))
	}
	closeReported(ctx, m, c.out)
	return withCode(lockedCode(err, ExitFailure), err)
}
