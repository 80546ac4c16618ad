package store

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/gocarina/gocsv"

	"gongjian/gen/kiosklog"
	"gongjian/kioskpull/msg"
)

// QuarantineDir is the folder, inside a kiosk's folder, holding records
// whose time cannot be true. Package kiosklog reads no sub-folder of a
// kiosk folder, so the site never sees them; they are kept, not dropped,
// so that staff can take them up with the kiosk's vendor.
const QuarantineDir = "quarantine"

// Earliest is the earliest time a deposit can have been weighed: no
// kiosk of the zone ran before 2020.
var Earliest = time.Date(2020, 1, 1, 0, 0, 0, 0, kiosklog.Location)

// MaxAhead is how far ahead of the puller's clock a record's time may be
// (kiosk clocks drift, and time zones get set wrong by hours).
const MaxAhead = 24 * time.Hour

// TimeProblem says why t cannot be the time of a deposit seen at now, or
// returns nil when it can.
func TimeProblem(t, now time.Time) error {
	switch {
	case t.Year() >= 10000:
		return msg.Errorf(msg.StoreTimeYear, t.Year())
	case t.Before(Earliest):
		return msg.Errorf(msg.StoreTimeEarly, t.In(kiosklog.Location).Format(time.DateTime), Earliest.Format(time.DateOnly))
	case t.After(now.Add(MaxAhead)):
		return msg.Errorf(msg.StoreTimeAhead, t.In(kiosklog.Location).Format(time.DateTime), MaxAhead.String(), now.In(kiosklog.Location).Format(time.DateTime))
	}
	return nil
}

// ImpossibleTime is TimeProblem in English (as the quarantine files keep
// it), or "" for a possible time.
func ImpossibleTime(t, now time.Time) string {
	if err := TimeProblem(t, now); err != nil {
		return err.Error()
	}
	return ""
}

// maxReasonsShown is how many quarantined records ShowReasons names; the
// quarantine files hold every one.
const maxReasonsShown = 3

// ShowReasons joins the first few of a commit's quarantine reasons for
// people (one a line, in their language), saying how many more there are.
func ShowReasons(reasons []error) error {
	if len(reasons) <= maxReasonsShown {
		return errors.Join(reasons...)
	}
	shown := append(reasons[:maxReasonsShown:maxReasonsShown], msg.Errorf(msg.StoreMoreReasons, len(reasons)-maxReasonsShown))
	return errors.Join(shown...)
}

// quarantineRow is a quarantined record: its time in Unix seconds, since
// such a time may not fit the stored layout at all (year 10000).
type quarantineRow struct {
	Kiosk    string `csv:"kiosk"`
	Epoch    uint32 `csv:"epoch"`
	Seq      uint64 `csv:"seq"`
	UnixTime int64  `csv:"unix_time"`
	Card     string `csv:"card"`
	Category string `csv:"category"`
	Grams    int    `csv:"grams"`
	Points   int    `csv:"points"`
	Reason   string `csv:"reason"`
}

// writeQuarantine writes recs, with the reason for each, as a new file in
// the kiosk's quarantine folder and returns its name relative to the
// kiosk's folder.
func (s *Store) writeQuarantine(kiosk string, epoch uint32, recs []kiosklog.Record, reasons []string) (string, error) {
	rows := make([]quarantineRow, len(recs))
	for i, r := range recs {
		rows[i] = quarantineRow{Kiosk: r.Kiosk, Epoch: r.Epoch, Seq: r.Seq, UnixTime: r.Time.Unix(), Card: r.Card,
			Category: r.Category.String(), Grams: r.Grams, Points: r.Points, Reason: reasons[i]}
	}
	var buf bytes.Buffer
	if err := gocsv.MarshalCSV(rows, gocsv.NewSafeCSVWriter(csv.NewWriter(&buf))); err != nil {
		return "", fmt.Errorf("store: %w", err)
	}
	dir := filepath.Join(s.root, kiosk, QuarantineDir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("store: %w", err)
	}
	first, last := recs[0].Seq, recs[0].Seq
	for _, r := range recs {
		first, last = min(first, r.Seq), max(last, r.Seq)
	}
	name := kiosklog.BatchFileName(epoch, first, last)
	if err := WriteFileAtomic(dir, name, buf.Bytes(), true); err != nil {
		return "", err
	}
	return filepath.Join(QuarantineDir, name), nil
}

// readQuarantine returns the keys of the records in a kiosk folder's
// quarantine.
func readQuarantine(kioskDir string) ([]kiosklog.Key, error) {
	dir := filepath.Join(kioskDir, QuarantineDir)
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	var keys []kiosklog.Key
	for _, e := range entries {
		if _, _, _, ok := kiosklog.ParseBatchFileName(e.Name()); !ok || e.IsDir() {
			continue
		}
		rows, err := ReadQuarantineFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			keys = append(keys, kiosklog.Key{Kiosk: r.Kiosk, Epoch: r.Epoch, Seq: r.Seq})
		}
	}
	return keys, nil
}

// QuarantinedRecord is one record of a quarantine file.
type QuarantinedRecord struct {
	Kiosk  string
	Epoch  uint32
	Seq    uint64
	Time   int64 // Unix seconds, as the kiosk said
	Reason string
}

// ReadQuarantineFile reads one file of a quarantine folder.
func ReadQuarantineFile(name string) ([]QuarantinedRecord, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	var rows []quarantineRow
	if err := gocsv.UnmarshalCSV(csv.NewReader(bytes.NewReader(data)), &rows); err != nil {
		return nil, fmt.Errorf("store: %s: %w", name, err)
	}
	out := make([]QuarantinedRecord, len(rows))
	for i, r := range rows {
		if r.Seq == 0 {
			return nil, fmt.Errorf("store: %s:%d: sequence number 0", name, i+2)
		}
		out[i] = QuarantinedRecord{Kiosk: r.Kiosk, Epoch: r.Epoch, Seq: r.Seq, Time: r.UnixTime, Reason: r.Reason}
	}
	return out, nil
}
