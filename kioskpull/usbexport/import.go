package usbexport

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"gongjian/gen/kiosklog"
	"gongjian/kioskpull/msg"
	"gongjian/kioskpull/store"
)

// Store is what an import needs from the record store.
type Store interface {
	Lock(ctx context.Context, kiosk string) (unlock func() error, err error)
	EpochOffset(kiosk string) (uint32, error)
	Commit(recs []kiosklog.Record) (store.Result, error)
	ReadPull(kiosk string) (kiosklog.Pull, bool, error)
	WritePull(p kiosklog.Pull) error
}

// Summary tells what an import did.
type Summary struct {
	Files      int // export files imported
	Rejected   int // files refused because a row failed its checks
	Rows       int
	New        int
	Duplicates int
	Kiosks     []string

	Quarantined int     // records with impossible times, kept out of the site's data
	Reasons     []error // why, one per quarantined record (see store.ShowReasons)

	// Offsets holds, for each kiosk whose id was given to replacement
	// hardware, what was added to the export's epoch numbers (see
	// store.EpochOffset).
	Offsets map[string]uint32
}

// Files lists the .csv files at path: the file itself, or every .csv file
// under a folder (a mounted USB stick), sorted.
func Files(path string) ([]string, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("usbexport: %w", err)
	}
	if !info.IsDir() {
		return []string{path}, nil
	}
	var files []string
	err = filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && strings.HasPrefix(d.Name(), ".") && p != path {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.EqualFold(filepath.Ext(p), ".csv") && !strings.HasPrefix(d.Name(), ".") {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("usbexport: %w", err)
	}
	slices.Sort(files)
	return files, nil
}

// Import reads each export file, refuses a file with any damaged row, and
// commits the rest through st (which skips records already stored), card
// numbers replaced by pseudonym. Each kiosk's pull.yaml notes the import.
// Errors from every file are joined; files that passed are imported anyway.
// Each kiosk's folder is locked from its first record to the end, so a
// pull of the same kiosk waits (or this import does).
func Import(ctx context.Context, st Store, pseudonym func(string) string, files []string, now time.Time) (sum Summary, err error) {
	var errs []error
	var unlocks []func() error
	defer func() {
		for _, u := range unlocks {
			u()
		}
	}()
	locked := map[string]bool{}
	offset := map[string]uint32{}
	type state struct {
		epoch uint32
		last  uint64
	}
	seen := map[string]*state{}
	for _, name := range files {
		if err := ctx.Err(); err != nil {
			return sum, fmt.Errorf("usbexport: %w", err)
		}
		f, err := os.Open(name)
		if err != nil {
			errs = append(errs, fmt.Errorf("usbexport: %w", err))
			continue
		}
		rows, err := Read(f, name)
		f.Close()
		if err != nil {
			sum.Rejected++
			errs = append(errs, err)
			continue
		}
		for _, row := range rows {
			if !locked[row.Kiosk] {
				unlock, err := st.Lock(ctx, row.Kiosk)
				if err != nil {
					return sum, fmt.Errorf("usbexport: importing %s: %w", name, err)
				}
				locked[row.Kiosk] = true
				unlocks = append(unlocks, unlock)
				off, err := st.EpochOffset(row.Kiosk)
				if err != nil {
					return sum, fmt.Errorf("usbexport: importing %s: %w", name, err)
				}
				offset[row.Kiosk] = off
				if off > 0 {
					if sum.Offsets == nil {
						sum.Offsets = map[string]uint32{}
					}
					sum.Offsets[row.Kiosk] = off
				}
			}
		}
		overflow := false
		for _, row := range rows {
			if off := offset[row.Kiosk]; uint64(row.Epoch)+uint64(off) > math.MaxUint32 {
				errs = append(errs, msg.Errorf(msg.PullerErrEpochOffset, row.Kiosk, row.Epoch, off))
				overflow = true
				break
			}
		}
		if overflow {
			sum.Rejected++
			continue
		}
		recs := make([]kiosklog.Record, len(rows))
		for i, row := range rows {
			r := row.Record
			epoch := row.Epoch + offset[row.Kiosk]
			recs[i] = kiosklog.Record{
				Kiosk: row.Kiosk, Epoch: epoch, Seq: r.Seq, Time: time.Unix(r.Time, 0).In(kiosklog.Location),
				Card: pseudonym(r.Card), Category: r.Category, Grams: r.Grams, Points: r.Points,
			}
			s := seen[row.Kiosk]
			if s == nil {
				s = &state{}
				seen[row.Kiosk] = s
			}
			if epoch > s.epoch || epoch == s.epoch && r.Seq > s.last {
				s.epoch, s.last = epoch, r.Seq
			}
		}
		res, err := st.Commit(recs)
		if err != nil {
			return sum, fmt.Errorf("usbexport: importing %s: %w", name, err)
		}
		sum.Files++
		sum.Rows += len(rows)
		sum.New += res.Added
		sum.Duplicates += res.Duplicates
		sum.Quarantined += res.Quarantined
		sum.Reasons = append(sum.Reasons, res.Reasons...)
	}
	for kiosk, s := range seen {
		sum.Kiosks = append(sum.Kiosks, kiosk)
		p, ok, err := st.ReadPull(kiosk)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if ok && p.Epoch > s.epoch {
			continue // an older export: the pull record already knows more
		}
		p.Kiosk, p.LastPull, p.Source = kiosk, now, "import"
		if !ok || p.Epoch != s.epoch || s.last > p.LastSeq {
			// An export says nothing about what the kiosk holds beyond it.
			p.Epoch, p.LastSeq, p.Complete = s.epoch, s.last, false
		}
		if err := st.WritePull(p); err != nil {
			errs = append(errs, err)
		}
	}
	slices.Sort(sum.Kiosks)
	return sum, errors.Join(errs...)
}
