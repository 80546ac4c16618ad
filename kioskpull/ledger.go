package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"gongjian/gen/kiosklog"
	"gongjian/kioskpull/puller"
	"gongjian/kioskpull/store"
)

// ledgerStore is the store as a pull or import uses it, noting per kiosk
// what was committed and which files were written, for the ledger.
type ledgerStore struct {
	*store.Store

	mu      sync.Mutex
	kiosks  map[string]*tally
	touched []string // kiosks in the order first committed to
}

// tally is what one kiosk's commits did.
type tally struct {
	new, duplicates, quarantined int
	files                        []string // relative to the store root, each once
}

func newLedgerStore(st *store.Store) *ledgerStore {
	return &ledgerStore{Store: st, kiosks: map[string]*tally{}}
}

func (l *ledgerStore) tally(kiosk string) *tally {
	t := l.kiosks[kiosk]
	if t == nil {
		t = &tally{}
		l.kiosks[kiosk] = t
		l.touched = append(l.touched, kiosk)
	}
	return t
}

func (t *tally) wrote(file string) {
	if !slices.Contains(t.files, file) {
		t.files = append(t.files, file)
	}
}

// Commit commits recs kiosk by kiosk, so that each kiosk's counts are
// known.
func (l *ledgerStore) Commit(recs []kiosklog.Record) (store.Result, error) {
	var order []string
	groups := map[string][]kiosklog.Record{}
	for _, r := range recs {
		if _, ok := groups[r.Kiosk]; !ok {
			order = append(order, r.Kiosk)
		}
		groups[r.Kiosk] = append(groups[r.Kiosk], r)
	}
	var all store.Result
	for _, kiosk := range order {
		res, err := l.Store.Commit(groups[kiosk])
		l.mu.Lock()
		t := l.tally(kiosk)
		t.new += res.Added
		t.duplicates += res.Duplicates
		t.quarantined += res.Quarantined
		for _, f := range res.Files {
			t.wrote(filepath.ToSlash(f))
		}
		l.mu.Unlock()
		all.Added += res.Added
		all.Duplicates += res.Duplicates
		all.Quarantined += res.Quarantined
		all.Files = append(all.Files, res.Files...)
		all.Reasons = append(all.Reasons, res.Reasons...)
		if err != nil {
			return all, err
		}
	}
	return all, nil
}

// WritePull writes the kiosk's pull.yaml, noting the file. Its last_pull
// is when data was last brought in, which the site shows as 数据拉取于: a
// pull or import that has stored nothing new (an old stick imported again)
// keeps the last_pull and source of the one that did.
func (l *ledgerStore) WritePull(p kiosklog.Pull) error {
	l.mu.Lock()
	brought := l.tally(p.Kiosk).new > 0
	l.mu.Unlock()
	if !brought {
		if old, ok, err := l.Store.ReadPull(p.Kiosk); err == nil && ok && !old.LastPull.IsZero() {
			p.LastPull, p.Source = old.LastPull, old.Source
		}
	}
	err := l.Store.WritePull(p)
	if err == nil {
		l.mu.Lock()
		l.tally(p.Kiosk).wrote(p.Kiosk + "/" + kiosklog.PullFile)
		l.mu.Unlock()
	}
	return err
}

// entry makes the ledger entry of what was done to kiosk: the sequence
// numbers stored and the SHA-256 of every file written, both read back
// from the disk.
func (l *ledgerStore) entry(kiosk string) (kiosklog.LedgerEntry, error) {
	l.mu.Lock()
	t := *l.tally(kiosk)
	t.files = slices.Clone(t.files)
	l.mu.Unlock()
	e := kiosklog.LedgerEntry{Kiosk: kiosk, New: t.new, Duplicates: t.duplicates, Quarantined: t.quarantined}
	var stored []kiosklog.Record
	var errs []error
	for _, rel := range t.files {
		data, err := os.ReadFile(filepath.Join(l.Root(), filepath.FromSlash(rel)))
		if err != nil {
			errs = append(errs, err)
			continue
		}
		sum := sha256.Sum256(data)
		e.Files = append(e.Files, kiosklog.FileSum{Path: rel, SHA256: hex.EncodeToString(sum[:])})
		if dir, name := filepath.Split(rel); filepath.Clean(dir) == kiosk {
			if _, _, _, ok := kiosklog.ParseBatchFileName(name); ok {
				recs, err := kiosklog.ReadCSV(bytes.NewReader(data), rel)
				if err != nil {
					errs = append(errs, err)
				}
				stored = append(stored, recs...)
			}
		}
	}
	e.Stored = kiosklog.SpansOf(stored)
	return e, errors.Join(errs...)
}

// operator names who runs kioskpull, for the ledger and the receipt:
// user@host.
func operator(getenv func(string) string) string {
	name := getenv("USER")
	if name == "" {
		if u, err := user.Current(); err == nil {
			name = u.Username
		}
	}
	host, _ := os.Hostname()
	return name + "@" + host
}

// ledgerStatus is how a pull or import ended, in the ledger's words.
func ledgerStatus(ctx context.Context, err error, complete bool) string {
	switch {
	case ctx.Err() != nil || errors.Is(err, context.Canceled):
		return "interrupted"
	case err == nil && complete:
		return "complete"
	case err == nil, errors.Is(err, puller.ErrLinkLost), errors.Is(err, puller.ErrBadBatches), errors.Is(err, store.ErrLocked):
		return "incomplete"
	}
	return "failed"
}

// recordPull appends the ledger line of one pull.
func recordPull(m *Main, l *ledgerStore, sum puller.Summary, status, fingerprint string, now time.Time) error {
	if sum.Kiosk == "" {
		return nil // no kiosk answered: nothing to account for
	}
	e, err := l.entry(sum.Kiosk)
	e.Time, e.Source, e.Operator, e.Status = now, "pull", operator(m.Getenv), status
	e.Epoch, e.Counter, e.Fingerprint = sum.Epoch, sum.Last, fingerprint
	for _, g := range sum.Gaps {
		e.Lost = append(e.Lost, kiosklog.Span{Epoch: g.Epoch, From: g.From, To: g.To})
	}
	return errors.Join(err, appendLedger(l.Root(), e))
}

// recordImport appends one ledger line per kiosk an import committed to.
func recordImport(m *Main, l *ledgerStore, status, fingerprint string, now time.Time) error {
	var errs []error
	for _, kiosk := range l.touched {
		e, err := l.entry(kiosk)
		e.Time, e.Source, e.Operator, e.Status, e.Fingerprint = now, "import", operator(m.Getenv), status, fingerprint
		for _, s := range e.Stored {
			e.Epoch = max(e.Epoch, s.Epoch)
		}
		errs = append(errs, err, appendLedger(l.Root(), e))
	}
	return errors.Join(errs...)
}

func appendLedger(dir string, e kiosklog.LedgerEntry) error {
	if err := kiosklog.AppendLedger(dir, e); err != nil {
		return fmt.Errorf("the pull ledger: %w", err)
	}
	return nil
}
