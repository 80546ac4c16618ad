package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gongjian/kioskpull/msg"
	"gongjian/kioskpull/store"
)

// ExitRepairable is verify's status when it found only problems that
// -repair fixes.
const ExitRepairable = 5

type verifyCmd struct {
	out      string
	repair   bool
	lockWait time.Duration
}

func (c *verifyCmd) parse(m *Main, args []string) error {
	fs := newFlags(m, "verify", "[-repair] [-out DIR]")
	fs.StringVar(&c.out, "out", "data/kiosk", "store `folder`")
	fs.BoolVar(&c.repair, "repair", false, "fix what can be fixed safely: duplicates of the same content, temp files, unsorted files, impossible times (to quarantine)")
	fs.DurationVar(&c.lockWait, "lock-wait", store.DefaultLockWait, lockWaitHelp(m))
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return errors.New("verify takes no arguments")
	}
	return nil
}

func (c *verifyCmd) run(ctx context.Context, m *Main) error {
	st, err := store.Open(c.out)
	if err != nil {
		return err
	}
	st.LockWait = c.lockWait
	st.Command = "kioskpull verify"
	rep, err := st.Verify(ctx, c.repair, operator(m.Getenv))
	if err != nil {
		return withCode(lockedCode(err, ExitFailure), err)
	}
	p := m.P
	repaired := 0
	for _, pr := range rep.Problems {
		var line string
		switch pr.Kind {
		case store.Duplicate:
			line = p.Sprintf(msg.VerifyDuplicate, pr.File, pr.Line, pr.Epoch, pr.Seq, pr.Other)
		case store.Conflict:
			line = p.Sprintf(msg.VerifyConflict, pr.File, pr.Line, pr.Epoch, pr.Seq, pr.Other)
		case store.Damaged:
			line = p.Sprintf(msg.VerifyDamaged, pr.File, pr.Detail)
		case store.Misplaced:
			line = p.Sprintf(msg.VerifyMisplaced, pr.File, pr.Line, pr.Detail)
		case store.Unsorted:
			line = p.Sprintf(msg.VerifyUnsorted, pr.File)
		case store.Impossible:
			line = p.Sprintf(msg.VerifyImpossible, pr.File, pr.Line, pr.Epoch, pr.Seq, pr.Detail)
		case store.TempFile:
			line = p.Sprintf(msg.VerifyTempFile, pr.File)
		case store.Checksum:
			line = p.Sprintf(msg.VerifyChecksum, pr.File, pr.Detail)
		}
		switch {
		case pr.Repaired:
			repaired++
			line += p.Sprintf(msg.VerifyRepaired)
		case pr.Kind.Repairable():
			line += p.Sprintf(msg.VerifyRepairable)
		default:
			line += p.Sprintf(msg.VerifyForPerson)
		}
		if !pr.Repaired && pr.Kind.Repairable() && pr.Detail != "" && c.repair {
			line += " (" + pr.Detail + ")"
		}
		fmt.Fprintln(m.Stdout, line)
	}
	for _, h := range rep.Holes {
		fmt.Fprintln(m.Stdout, p.Sprintf(msg.VerifyHole, h.Kiosk, h.Epoch, h.From, h.To))
	}
	person, repairable := rep.Unrepaired()
	fmt.Fprintln(m.Stdout, p.Sprintf(msg.VerifySummary, rep.Kiosks, rep.Files, rep.Records, person, repairable, repaired, len(rep.Holes)))
	switch {
	case person > 0:
		return withCode(ExitFailure, errors.New(p.Sprintf(msg.VerifyNeedsPerson)))
	case repairable > 0:
		return withCode(ExitRepairable, errors.New(p.Sprintf(msg.VerifyRunRepair)))
	case len(rep.Problems) == 0:
		fmt.Fprintln(m.Stdout, p.Sprintf(msg.VerifySound))
	}
	return nil
}
