package kiosklog

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gocarina/gocsv"

	"gongjian/gen/diag"
)

// Header is the first line of every stored batch file.
var Header = []string{"kiosk", "epoch", "seq", "time", "card", "category", "grams", "points"}

// TimeLayout is how times are written: RFC 3339 in China Standard Time.
const TimeLayout = time.RFC3339

// BatchFileName names the file holding a committed batch whose records of
// epoch run from sequence first to last. Names sort in sequence order and no
// two batches of one epoch share a name, because the store never keeps a
// sequence number twice.
func BatchFileName(epoch uint32, first, last uint64) string {
	return fmt.Sprintf("e%d-%010d-%010d.csv", epoch, first, last)
}

var batchNamePattern = regexp.MustCompile(`^e([0-9]{1,10})-([0-9]{10,20})-([0-9]{10,20})\.csv$`)

// ParseBatchFileName reverses BatchFileName; ok is false for other files.
func ParseBatchFileName(name string) (epoch uint32, first, last uint64, ok bool) {
	m := batchNamePattern.FindStringSubmatch(name)
	if m == nil {
		return 0, 0, 0, false
	}
	e, err1 := strconv.ParseUint(m[1], 10, 32)
	f, err2 := strconv.ParseUint(m[2], 10, 64)
	l, err3 := strconv.ParseUint(m[3], 10, 64)
	if err1 != nil || err2 != nil || err3 != nil || f == 0 || l < f {
		return 0, 0, 0, false
	}
	return uint32(e), f, l, true
}

// batchRow is one line of a batch file, as gocsv reads and writes it; the
// tags are Header.
type batchRow struct {
	Kiosk    string          `csv:"kiosk"`
	Epoch    Cell[uint32]    `csv:"epoch"`
	Seq      Cell[uint64]    `csv:"seq"`
	Time     Cell[time.Time] `csv:"time"`
	Card     string          `csv:"card"`
	Category Cell[Category]  `csv:"category"`
	Grams    Cell[int]       `csv:"grams"`
	Points   Cell[int]       `csv:"points"`
}

func (b *batchRow) record() (Record, error) {
	if err := ColumnError(Header[1:], b.Epoch.Err, b.Seq.Err, b.Time.Err, nil, b.Category.Err, b.Grams.Err, b.Points.Err); err != nil {
		return Record{}, err
	}
	r := Record{Kiosk: b.Kiosk, Epoch: b.Epoch.V, Seq: b.Seq.V, Time: b.Time.V, Card: b.Card,
		Category: b.Category.V, Grams: b.Grams.V, Points: b.Points.V}
	return r, r.Validate()
}

// WriteCSV writes the header and recs in the stored layout, through gocsv
// on a csv.Writer of its own.
func WriteCSV(w io.Writer, recs []Record) error {
	rows := make([]batchRow, len(recs))
	for i, r := range recs {
		if err := r.Validate(); err != nil {
			return fmt.Errorf("kiosklog: record (%s, %d, %d): %w", r.Kiosk, r.Epoch, r.Seq, err)
		}
		rows[i] = batchRow{Kiosk: r.Kiosk, Epoch: Cell[uint32]{V: r.Epoch}, Seq: Cell[uint64]{V: r.Seq},
			Time: Cell[time.Time]{V: r.Time}, Card: r.Card, Category: Cell[Category]{V: r.Category},
			Grams: Cell[int]{V: r.Grams}, Points: Cell[int]{V: r.Points}}
	}
	bw := bufio.NewWriter(w)
	if err := gocsv.MarshalCSV(rows, gocsv.NewSafeCSVWriter(csv.NewWriter(bw))); err != nil {
		return fmt.Errorf("kiosklog: %w", err)
	}
	return bw.Flush()
}

// ReadCSV reads one batch file in the stored layout. name is used in errors:
// a diag.List of the file's problems, each at its line.
func ReadCSV(r io.Reader, name string) ([]Record, error) {
	recs, _, err := readCSV(r, name)
	return recs, err
}

// readCSV is ReadCSV that also returns each record's line number.
func readCSV(r io.Reader, name string) ([]Record, []int, error) {
	var recs []Record
	var lines []int
	var problems diag.List
	header := func(um *gocsv.Unmarshaller) error {
		if um != nil && !slices.Equal(um.Headers, Header) {
			return diag.Errorf(name, 1, "header is %q, want %q", strings.Join(um.Headers, ","), strings.Join(Header, ","))
		}
		return nil
	}
	err := EachRow(csv.NewReader(r), name, header, func(row batchRow, line int, err error) bool {
		if err == nil {
			var rec Record
			if rec, err = row.record(); err == nil {
				recs = append(recs, rec)
				lines = append(lines, line)
				return true
			}
		}
		return Report(&problems, name, line, err)
	})
	if err != nil {
		merge(&problems, name, err)
		return nil, nil, problems
	}
	return recs, lines, errOf(problems)
}

// ReadKioskDir reads every committed batch file of one kiosk folder
// (dir/KIOSK-ID), checking that each record belongs to the folder's kiosk and
// its file's epoch and sequence range, and that no key occurs twice. Records
// come back sorted by (epoch, seq). Files whose names start with '.' (temp
// files of an interrupted commit) are ignored. Problems come as a
// diag.List, each at its file and line.
func ReadKioskDir(fsys fs.FS, dir string) ([]Record, error) {
	kiosk := path.Base(dir)
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, diag.List{diag.At(dir, 0, diag.Cause(err))}
	}
	var recs []Record
	var errs diag.List
	where := map[Key]string{}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || strings.HasPrefix(name, ".") {
			continue
		}
		epoch, first, last, ok := ParseBatchFileName(name)
		if !ok {
			continue // pull.yaml and anything else not a batch
		}
		file := path.Join(dir, name)
		f, err := fsys.Open(file)
		if err != nil {
			errs.Add(diag.At(file, 0, diag.Cause(err)))
			continue
		}
		got, lines, err := readCSV(f, file)
		f.Close()
		merge(&errs, file, err)
		for i, r := range got {
			line := lines[i]
			switch {
			case r.Kiosk != kiosk:
				errs.Addf(file, line, "kiosk %q in the folder of kiosk %q", r.Kiosk, kiosk)
			case r.Epoch != epoch:
				errs.Addf(file, line, "epoch %d in a file of epoch %d", r.Epoch, epoch)
			case r.Seq < first || r.Seq > last:
				errs.Addf(file, line, "sequence %d outside the file's range %d-%d", r.Seq, first, last)
			case where[r.Key()] != "":
				errs.Addf(file, line, "record (%s, %d, %d) already stored at %s", r.Kiosk, r.Epoch, r.Seq, where[r.Key()])
			default:
				where[r.Key()] = fmt.Sprintf("%s:%d", file, line)
				recs = append(recs, r)
			}
		}
	}
	SortRecords(recs)
	return recs, errOf(errs)
}

// ReadStore reads the records of every kiosk folder under dir (normally
// "data/kiosk"), sorted by (kiosk, epoch, seq). Problems are all reported
// together as a diag.List (file:line: what); records that parsed are
// returned with them.
func ReadStore(fsys fs.FS, dir string) ([]Record, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, diag.List{diag.At(dir, 0, diag.Cause(err))}
	}
	var recs []Record
	var errs diag.List
	for _, e := range entries {
		if !e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		sub := path.Join(dir, e.Name())
		if !ValidKioskID(e.Name()) {
			errs.Addf(sub, 0, "folder name is not a kiosk id")
			continue
		}
		got, err := ReadKioskDir(fsys, sub)
		merge(&errs, sub, err)
		recs = append(recs, got...)
	}
	SortRecords(recs)
	return recs, errOf(errs)
}

// SortRecords sorts by (kiosk, epoch, seq).
func SortRecords(recs []Record) {
	slices.SortFunc(recs, func(a, b Record) int {
		if c := strings.Compare(a.Kiosk, b.Kiosk); c != 0 {
			return c
		}
		if a.Epoch != b.Epoch {
			if a.Epoch < b.Epoch {
				return -1
			}
			return 1
		}
		switch {
		case a.Seq < b.Seq:
			return -1
		case a.Seq > b.Seq:
			return 1
		}
		return 0
	})
}
