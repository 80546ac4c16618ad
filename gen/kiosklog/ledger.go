package kiosklog

import (
	"bytes"
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gocarina/gocsv"

	"gongjian/gen/diag"
)

// LedgerFile is the pull ledger in the store folder: one line per pull or
// import, appended and never rewritten. The site does not publish it.
const LedgerFile = "ledger.csv"

// LedgerHeader is the ledger's first line.
var LedgerHeader = []string{"time", "kiosk", "source", "operator", "status", "epoch", "kiosk_counter",
	"stored", "new", "duplicates", "quarantined", "lost", "key_fingerprint", "files", "check"}

// Span is a run of sequence numbers of one epoch, From to To inclusive.
type Span struct {
	Epoch    uint32
	From, To uint64
}

// Len is how many sequence numbers s holds.
func (s Span) Len() uint64 { return s.To - s.From + 1 }

// FileSum names a file written, relative to the store folder, with the
// SHA-256 of its bytes (64 lowercase hex digits).
type FileSum struct {
	Path, SHA256 string
}

// LedgerEntry is one pull or import as the ledger keeps it.
type LedgerEntry struct {
	Time        time.Time // when it ended
	Kiosk       string
	Source      string // "pull" or "import"
	Operator    string // who ran it: user@host
	Status      string // "complete", "incomplete", "interrupted" or "failed"
	Epoch       uint32 // the kiosk's log epoch (HELLO), or the highest in the export
	Counter     uint64 // the kiosk's own last sequence number at HELLO; 0 for an import
	Stored      []Span // what this pull or import stored
	New         int
	Duplicates  int
	Quarantined int
	Lost        []Span // what the kiosk had overwritten before it was asked for
	Fingerprint string // of the site key the pseudonyms were made with
	Files       []FileSum
}

// LostCount is how many records the ledger entry says were lost.
func (e LedgerEntry) LostCount() uint64 { return spansLen(e.Lost) }

// StoredCount is how many sequence numbers e's Stored spans hold.
func (e LedgerEntry) StoredCount() uint64 { return spansLen(e.Stored) }

func spansLen(ss []Span) uint64 {
	var n uint64
	for _, s := range ss {
		n += s.Len()
	}
	return n
}

// ledgerRow is one ledger line as gocsv reads and writes it; the tags are
// LedgerHeader.
type ledgerRow struct {
	Time        Cell[time.Time] `csv:"time"`
	Kiosk       string          `csv:"kiosk"`
	Source      string          `csv:"source"`
	Operator    string          `csv:"operator"`
	Status      string          `csv:"status"`
	Epoch       Cell[uint32]    `csv:"epoch"`
	Counter     Cell[uint64]    `csv:"kiosk_counter"`
	Stored      Cell[[]Span]    `csv:"stored"`
	New         Cell[int]       `csv:"new"`
	Duplicates  Cell[int]       `csv:"duplicates"`
	Quarantined Cell[int]       `csv:"quarantined"`
	Lost        Cell[[]Span]    `csv:"lost"`
	Fingerprint string          `csv:"key_fingerprint"`
	Files       Cell[[]FileSum] `csv:"files"`
	Check       string          `csv:"check"`
}

func toLedgerRow(e LedgerEntry) ledgerRow {
	return ledgerRow{Time: Cell[time.Time]{V: e.Time}, Kiosk: e.Kiosk, Source: e.Source, Operator: e.Operator,
		Status: e.Status, Epoch: Cell[uint32]{V: e.Epoch}, Counter: Cell[uint64]{V: e.Counter},
		Stored: Cell[[]Span]{V: e.Stored}, New: Cell[int]{V: e.New}, Duplicates: Cell[int]{V: e.Duplicates},
		Quarantined: Cell[int]{V: e.Quarantined}, Lost: Cell[[]Span]{V: e.Lost}, Fingerprint: e.Fingerprint,
		Files: Cell[[]FileSum]{V: e.Files}}
}

func (r *ledgerRow) entry() (LedgerEntry, error) {
	err := ColumnError(LedgerHeader, r.Time.Err, nil, nil, nil, nil, r.Epoch.Err, r.Counter.Err, r.Stored.Err,
		r.New.Err, r.Duplicates.Err, r.Quarantined.Err, r.Lost.Err, nil, r.Files.Err)
	if err != nil {
		return LedgerEntry{}, err
	}
	e := LedgerEntry{Time: r.Time.V, Kiosk: r.Kiosk, Source: r.Source, Operator: r.Operator, Status: r.Status,
		Epoch: r.Epoch.V, Counter: r.Counter.V, Stored: r.Stored.V, New: r.New.V, Duplicates: r.Duplicates.V,
		Quarantined: r.Quarantined.V, Lost: r.Lost.V, Fingerprint: r.Fingerprint, Files: r.Files.V}
	return e, e.Validate()
}

// Validate reports the first thing wrong with e.
func (e LedgerEntry) Validate() error {
	switch {
	case e.Time.IsZero():
		return errors.New("no time")
	case !ValidKioskID(e.Kiosk):
		return fmt.Errorf("kiosk id %q is not valid", e.Kiosk)
	case e.Source != "pull" && e.Source != "import" && e.Source != "verify":
		return fmt.Errorf("source %q is not pull, import or verify", e.Source)
	case !slices.Contains([]string{"complete", "incomplete", "interrupted", "failed"}, e.Status):
		return fmt.Errorf("status %q is not complete, incomplete, interrupted or failed", e.Status)
	case strings.ContainsAny(e.Operator, "\r\n") || len(e.Operator) > 200:
		return errors.New("operator is not one short line")
	case e.New < 0 || e.Duplicates < 0 || e.Quarantined < 0:
		return errors.New("a negative count")
	case e.Fingerprint != "" && !isHex(e.Fingerprint, 16):
		return fmt.Errorf("key fingerprint %q is not 16 hex digits", e.Fingerprint)
	}
	return nil
}

func isHex(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// FormatSpans writes spans as "e1:1-500 e1:1001-3000" (one number for a
// span of one).
func FormatSpans(ss []Span) string {
	var b strings.Builder
	for i, s := range ss {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "e%d:%d", s.Epoch, s.From)
		if s.To != s.From {
			fmt.Fprintf(&b, "-%d", s.To)
		}
	}
	return b.String()
}

// ParseSpans reverses FormatSpans.
func ParseSpans(text string) ([]Span, error) {
	var ss []Span
	for _, f := range strings.Fields(text) {
		bad := fmt.Errorf("%q is not a span like e1:1-500", f)
		e, rest, ok := strings.Cut(f, ":")
		if !ok || !strings.HasPrefix(e, "e") {
			return nil, bad
		}
		epoch, err := strconv.ParseUint(e[1:], 10, 32)
		if err != nil {
			return nil, bad
		}
		from, to, isRange := strings.Cut(rest, "-")
		s := Span{Epoch: uint32(epoch)}
		if s.From, err = strconv.ParseUint(from, 10, 64); err != nil || s.From == 0 {
			return nil, bad
		}
		s.To = s.From
		if isRange {
			if s.To, err = strconv.ParseUint(to, 10, 64); err != nil || s.To < s.From {
				return nil, bad
			}
		}
		ss = append(ss, s)
	}
	return ss, nil
}

// SpansOf returns the sequence numbers of recs, one epoch after another,
// as sorted spans.
func SpansOf(recs []Record) []Span {
	keys := make([]Span, len(recs))
	for i, r := range recs {
		keys[i] = Span{r.Epoch, r.Seq, r.Seq}
	}
	slices.SortFunc(keys, func(a, b Span) int {
		if a.Epoch != b.Epoch {
			return cmp.Compare(a.Epoch, b.Epoch)
		}
		return cmp.Compare(a.From, b.From)
	})
	var out []Span
	for _, k := range keys {
		if n := len(out); n > 0 && out[n-1].Epoch == k.Epoch && out[n-1].To+1 >= k.From {
			out[n-1].To = max(out[n-1].To, k.To)
			continue
		}
		out = append(out, k)
	}
	return out
}

// FormatFileSums writes files as "K01/e1-0000000001-0000001000.csv=<sha256> …".
func FormatFileSums(fs []FileSum) string {
	parts := make([]string, len(fs))
	for i, f := range fs {
		parts[i] = f.Path + "=" + f.SHA256
	}
	return strings.Join(parts, " ")
}

// ParseFileSums reverses FormatFileSums.
func ParseFileSums(text string) ([]FileSum, error) {
	var out []FileSum
	for _, f := range strings.Fields(text) {
		p, sum, ok := strings.Cut(f, "=")
		if !ok || !isHex(sum, 64) || !validStorePath(p) {
			return nil, fmt.Errorf("%q is not a file path=SHA-256", f)
		}
		out = append(out, FileSum{Path: p, SHA256: sum})
	}
	return out, nil
}

// validStorePath reports whether p is a clean relative path of ASCII
// letters, digits and ._- between slashes, as the store's files are.
func validStorePath(p string) bool {
	if p == "" || !fs.ValidPath(p) {
		return false
	}
	for i := 0; i < len(p); i++ {
		c := p[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '_' || c == '-' || c == '/') {
			return false
		}
	}
	return true
}

// ledgerLine is the CSV text of one row, its check column set to the
// CRC-32 of the rest of the line: a line cut short, or edited, no longer
// matches its check.
func ledgerLine(r ledgerRow) ([]byte, error) {
	line, err := marshalLedgerRow(r, "")
	if err != nil {
		return nil, err
	}
	return marshalLedgerRow(r, fmt.Sprintf("%08x", crc32.ChecksumIEEE(bytes.TrimSuffix(line, []byte("\n")))))
}

func marshalLedgerRow(r ledgerRow, check string) ([]byte, error) {
	r.Check = check
	var buf bytes.Buffer
	err := gocsv.MarshalCSVWithoutHeaders([]ledgerRow{r}, gocsv.NewSafeCSVWriter(csv.NewWriter(&buf)))
	return buf.Bytes(), err
}

// ReadLedger reads a ledger. Its problems, a diag.List each at its line
// of name, come with every entry that is sound: a line whose check fails,
// and a last line cut short by an interrupted append (no line end), are
// reported, never dropped in silence.
func ReadLedger(r io.Reader, name string) ([]LedgerEntry, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, diag.List{diag.At(name, 0, diag.Cause(err))}
	}
	var problems diag.List
	if n := len(data); n > 0 && data[n-1] != '\n' {
		cut := bytes.LastIndexByte(data, '\n') + 1
		line := bytes.Count(data[:cut], []byte("\n")) + 1
		Report(&problems, name, line, fmt.Errorf("the last line is cut short (an append was interrupted): %d bytes without a line end, not read", n-cut))
		data = data[:cut]
	}
	var entries []LedgerEntry
	header := func(um *gocsv.Unmarshaller) error {
		if um != nil && !slices.Equal(um.Headers, LedgerHeader) {
			return diag.Errorf(name, 1, "header is %q, want %q", strings.Join(um.Headers, ","), strings.Join(LedgerHeader, ","))
		}
		return nil
	}
	err = EachRow(csv.NewReader(bytes.NewReader(data)), name, header, func(row ledgerRow, line int, err error) bool {
		if err == nil {
			var e LedgerEntry
			if e, err = row.entry(); err == nil {
				var want []byte
				if want, err = ledgerLine(toLedgerRow(e)); err == nil && !bytes.HasSuffix(want, []byte(","+row.Check+"\n")) {
					err = fmt.Errorf("check %q does not match the line: it was cut short or changed", row.Check)
				}
				if err == nil {
					entries = append(entries, e)
					return true
				}
			}
		}
		return Report(&problems, name, line, err)
	})
	merge(&problems, name, err)
	return entries, errOf(problems)
}

// ReadLedgerFile reads dir/ledger.csv from fsys; a store without one has
// no entries.
func ReadLedgerFile(fsys fs.FS, dir string) ([]LedgerEntry, error) {
	name := path.Join(dir, LedgerFile)
	f, err := fsys.Open(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, diag.List{diag.At(name, 0, diag.Cause(err))}
	}
	defer f.Close()
	return ReadLedger(f, name)
}

// AppendLedger appends e to dir/ledger.csv, creating it with its header
// if need be. The line goes out in one write on a file opened O_APPEND,
// then fsync: writers in other processes never interleave within a line,
// and a crash leaves at most a last line cut short, which ReadLedger
// reports; if the file ends in such a line, the new one starts on a line
// of its own.
func AppendLedger(dir string, e LedgerEntry) error {
	if err := e.Validate(); err != nil {
		return fmt.Errorf("kiosklog: ledger entry: %w", err)
	}
	name := filepath.Join(dir, LedgerFile)
	if err := createLedger(dir); err != nil {
		return err
	}
	line, err := ledgerLine(toLedgerRow(e))
	if err != nil {
		return fmt.Errorf("kiosklog: %w", err)
	}
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return fmt.Errorf("kiosklog: %w", err)
	}
	if torn, err := endsTorn(f); err != nil {
		f.Close()
		return err
	} else if torn {
		line = append([]byte("\n"), line...)
	}
	if _, err := f.Write(line); err != nil {
		f.Close()
		return fmt.Errorf("kiosklog: appending to %s: %w", name, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("kiosklog: fsync %s: %w", name, err)
	}
	return f.Close()
}

// endsTorn reports whether f's last byte is not a line end.
func endsTorn(f *os.File) (bool, error) {
	info, err := f.Stat()
	if err != nil {
		return false, fmt.Errorf("kiosklog: %w", err)
	}
	if info.Size() == 0 {
		return false, nil
	}
	b := make([]byte, 1)
	if _, err := f.ReadAt(b, info.Size()-1); err != nil {
		// Opened write-only: read through a second descriptor.
		g, err := os.Open(f.Name())
		if err != nil {
			return false, fmt.Errorf("kiosklog: %w", err)
		}
		defer g.Close()
		if _, err := g.ReadAt(b, info.Size()-1); err != nil {
			return false, fmt.Errorf("kiosklog: %w", err)
		}
	}
	return b[0] != '\n', nil
}

// createLedger makes dir/ledger.csv holding just its header, unless it
// exists: written to a temp file and linked into place, so that two
// first writers cannot both start one, and nobody sees it half-made.
func createLedger(dir string) error {
	name := filepath.Join(dir, LedgerFile)
	if _, err := os.Lstat(name); err == nil {
		return nil
	}
	f, err := os.CreateTemp(dir, ".tmp-"+LedgerFile+"-*")
	if err != nil {
		return fmt.Errorf("kiosklog: %w", err)
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	_, err = f.WriteString(strings.Join(LedgerHeader, ",") + "\n")
	if err == nil {
		err = f.Chmod(0o644)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("kiosklog: creating %s: %w", name, err)
	}
	if err := os.Link(tmp, name); err != nil && !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("kiosklog: creating %s: %w", name, err)
	}
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("kiosklog: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("kiosklog: fsync %s: %w", dir, err)
	}
	return nil
}
