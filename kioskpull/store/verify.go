package store

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"gongjian/gen/kiosklog"
)

// ProblemKind says what is wrong in a store, and so what Verify may do
// about it.
type ProblemKind int

// What Verify finds.
const (
	// Duplicate: a record stored in two files with the same content;
	// repair drops the later copy.
	Duplicate ProblemKind = iota + 1
	// Conflict: a record stored twice with different content; a person
	// must decide, repair leaves it alone.
	Conflict
	// Damaged: a file that cannot be read (bad rows, bad header, bad
	// pull.yaml); a person must look.
	Damaged
	// Misplaced: a row of another kiosk or epoch, or outside the range
	// its file's name gives; a person must look.
	Misplaced
	// Unsorted: a batch file whose rows are out of order, or whose name
	// does not give its first and last rows; repair rewrites it.
	Unsorted
	// Impossible: a stored record whose time cannot be true; repair moves
	// it to the kiosk's quarantine folder.
	Impossible
	// TempFile: a temp file a killed writer left; repair removes it.
	TempFile
	// Checksum: a file whose SHA-256 is not the one the pull ledger
	// recorded when it was written: changed since; a person must look.
	Checksum
)

// Repairable reports whether Verify with repair set fixes problems of
// kind k without losing anything.
func (k ProblemKind) Repairable() bool {
	switch k {
	case Duplicate, Unsorted, Impossible, TempFile:
		return true
	}
	return false
}

// Problem is one thing Verify found.
type Problem struct {
	Kind     ProblemKind
	Kiosk    string
	File     string // relative to the store's root
	Line     int    // 0 when not about one row
	Epoch    uint32
	Seq      uint64
	Other    string // the other file holding the same record (Duplicate, Conflict)
	Detail   string // what is wrong, for Damaged, Misplaced, Impossible and failed repairs
	Repaired bool
}

// Hole is a run of records of a kiosk's epoch that is neither stored nor
// recorded as lost: a pull of the kiosk fetches it if the kiosk still
// holds it.
type Hole struct {
	Kiosk string
	Epoch uint32
	Range
}

// Report is what Verify found.
type Report struct {
	Kiosks   int
	Files    int
	Records  int
	Problems []Problem
	Holes    []Hole
}

// Unrepaired counts the problems left: those a person must look at, and
// those repair would fix but did not (not asked, or failed).
func (r Report) Unrepaired() (person, repairable int) {
	for _, p := range r.Problems {
		switch {
		case p.Repaired:
		case p.Kind.Repairable():
			repairable++
		default:
			person++
		}
	}
	return person, repairable
}

// Verify checks every kiosk folder of the store, each under its lock:
// every batch file readable, its rows of its kiosk and epoch, sorted and
// within its name's range, its SHA-256 the one the pull ledger recorded
// for it last; no record stored twice; no impossible time; no temp file
// left; and it lists the holes. With repair set it fixes what it safely
// can: it never drops a record that is stored only once, never touches a
// conflict, a damaged file or one whose checksum does not match, writes
// every file atomically, and appends what it rewrote to the ledger
// (source "verify", operator as given) so that later checks match.
func (s *Store) Verify(ctx context.Context, repair bool, operator string) (Report, error) {
	var rep Report
	ledger, err := kiosklog.ReadLedgerFile(os.DirFS(s.root), ".")
	if err != nil {
		rep.Problems = append(rep.Problems, Problem{Kind: Damaged, File: kiosklog.LedgerFile, Detail: err.Error()})
	}
	sums := map[string]string{} // path → SHA-256 last recorded
	for _, e := range ledger {
		for _, f := range e.Files {
			sums[f.Path] = f.SHA256
		}
	}
	entries, err := os.ReadDir(s.root)
	if err != nil {
		return rep, fmt.Errorf("store: %w", err)
	}
	for _, e := range entries {
		if !e.IsDir() || strings.HasPrefix(e.Name(), ".") || !kiosklog.ValidKioskID(e.Name()) {
			continue
		}
		if err := ctx.Err(); err != nil {
			return rep, fmt.Errorf("store: %w", err)
		}
		if err := s.verifyKiosk(ctx, e.Name(), repair, operator, sums, &rep); err != nil {
			return rep, err
		}
	}
	return rep, nil
}

// stored is one row of a batch file.
type stored struct {
	rec  kiosklog.Record
	file int // index into files
	line int
}

type batchFile struct {
	name        string // relative to the kiosk folder
	epoch       uint32
	first, last uint64
	recs        []kiosklog.Record
	healthy     bool         // read whole, every row in place: repair may rewrite it
	drop        map[int]bool // rows to drop (copies kept elsewhere)
	quarantine  map[int]string
	resort      bool
}

func (s *Store) verifyKiosk(ctx context.Context, kiosk string, repair bool, operator string, sums map[string]string, rep *Report) error {
	dir := filepath.Join(s.root, kiosk)
	// The raw lock, not Lock: Lock would remove temp files and refuse a
	// folder it cannot read, which is what Verify is here to report.
	f, err := s.acquire(ctx, dir, s.LockWait)
	if err != nil {
		return err
	}
	defer func() {
		release(f)
		s.mu.Lock()
		if s.held[kiosk] == nil {
			delete(s.kiosks, kiosk) // read afresh next time
		}
		s.mu.Unlock()
	}()
	rep.Kiosks++
	add := func(p Problem) *Problem {
		p.Kiosk = kiosk
		rep.Problems = append(rep.Problems, p)
		return &rep.Problems[len(rep.Problems)-1]
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	var files []*batchFile
	var temps []string
	for _, e := range entries {
		name := e.Name()
		switch {
		case IsTempFile(name):
			temps = append(temps, name)
			continue
		case e.IsDir():
			continue
		}
		epoch, first, last, ok := kiosklog.ParseBatchFileName(name)
		if !ok {
			continue // pull.yaml, .lock and others the site does not read
		}
		b := &batchFile{name: name, epoch: epoch, first: first, last: last, healthy: true}
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return fmt.Errorf("store: %w", err)
		}
		if why := checkSum(sums, kiosk+"/"+name, data); why != "" {
			b.healthy = false
			add(Problem{Kind: Checksum, File: filepath.Join(kiosk, name), Detail: why})
		}
		b.recs, err = kiosklog.ReadCSV(bytes.NewReader(data), filepath.Join(kiosk, name))
		if err != nil {
			b.healthy = false
			add(Problem{Kind: Damaged, File: filepath.Join(kiosk, name), Detail: err.Error()})
		}
		files = append(files, b)
	}
	if qs, err := os.ReadDir(filepath.Join(dir, QuarantineDir)); err == nil {
		for _, e := range qs {
			rel := filepath.Join(QuarantineDir, e.Name())
			if IsTempFile(e.Name()) {
				temps = append(temps, rel)
				continue
			}
			if data, err := os.ReadFile(filepath.Join(dir, rel)); err == nil {
				if why := checkSum(sums, kiosk+"/"+QuarantineDir+"/"+e.Name(), data); why != "" {
					add(Problem{Kind: Checksum, File: filepath.Join(kiosk, rel), Detail: why})
				}
			}
		}
	}
	rep.Files += len(files)
	now := s.Now()

	// Rows in place and in order.
	for _, b := range files {
		if !b.healthy {
			rep.Records += len(b.recs)
			continue
		}
		rep.Records += len(b.recs)
		for i, r := range b.recs {
			at := Problem{File: filepath.Join(kiosk, b.name), Line: i + 2, Epoch: r.Epoch, Seq: r.Seq}
			switch {
			case r.Kiosk != kiosk:
				at.Detail = fmt.Sprintf("record of kiosk %q in the folder of kiosk %q", r.Kiosk, kiosk)
			case r.Epoch != b.epoch:
				at.Detail = fmt.Sprintf("record of epoch %d in a file of epoch %d", r.Epoch, b.epoch)
			case r.Seq < b.first || r.Seq > b.last:
				at.Detail = fmt.Sprintf("record #%d outside the file's range #%d-#%d", r.Seq, b.first, b.last)
			}
			if at.Detail != "" {
				at.Kind = Misplaced
				add(at)
				b.healthy = false
			}
		}
		if !b.healthy {
			continue
		}
		sorted := slices.IsSortedFunc(b.recs, func(x, y kiosklog.Record) int { return cmp.Compare(x.Seq, y.Seq) })
		if n := len(b.recs); !sorted || n == 0 || b.recs[0].Seq != b.first || b.recs[n-1].Seq != b.last {
			b.resort = true
			add(Problem{Kind: Unsorted, File: filepath.Join(kiosk, b.name), Detail: "rows out of order, or the name does not give the first and last row"})
		}
	}

	// Records stored twice: the first copy in a healthy file (by name)
	// is kept; later copies with the same content are dropped from
	// healthy files.
	where := map[kiosklog.Key][]stored{}
	var keys []kiosklog.Key
	for fi, b := range files {
		for i, r := range b.recs {
			k := r.Key()
			if where[k] == nil {
				keys = append(keys, k)
			}
			where[k] = append(where[k], stored{rec: r, file: fi, line: i})
		}
	}
	for _, k := range keys {
		copies := where[k]
		if len(copies) < 2 {
			continue
		}
		same := true
		for _, c := range copies[1:] {
			same = same && sameRecord(c.rec, copies[0].rec)
		}
		keep := -1
		for i, c := range copies {
			if files[c.file].healthy {
				keep = i
				break
			}
		}
		for i, c := range copies {
			if i == 0 && keep <= 0 || i == keep {
				continue
			}
			other := copies[0]
			if keep > 0 {
				other = copies[keep]
			}
			p := Problem{Kind: Conflict, File: filepath.Join(kiosk, files[c.file].name), Line: c.line + 2, Epoch: k.Epoch, Seq: k.Seq,
				Other: filepath.Join(kiosk, files[other.file].name)}
			if same {
				p.Kind = Duplicate
				if keep >= 0 && files[c.file].healthy {
					if files[c.file].drop == nil {
						files[c.file].drop = map[int]bool{}
					}
					files[c.file].drop[c.line] = true
				} else {
					p.Detail = "this copy is in a file that needs a person"
				}
			}
			add(p)
		}
	}

	// Impossible times among the records kept.
	for _, b := range files {
		if !b.healthy {
			continue
		}
		for i, r := range b.recs {
			if b.drop[i] {
				continue
			}
			if why := ImpossibleTime(r.Time, now); why != "" {
				if b.quarantine == nil {
					b.quarantine = map[int]string{}
				}
				b.quarantine[i] = why
				add(Problem{Kind: Impossible, File: filepath.Join(kiosk, b.name), Line: i + 2, Epoch: r.Epoch, Seq: r.Seq, Detail: why})
			}
		}
	}
	for _, t := range temps {
		add(Problem{Kind: TempFile, File: filepath.Join(kiosk, t)})
	}

	// Holes: what is neither stored (here or in quarantine) nor on record
	// as lost, up to the last record the kiosk was known to hold.
	pull, havePull, err := s.ReadPull(kiosk)
	if err != nil {
		add(Problem{Kind: Damaged, File: filepath.Join(kiosk, kiosklog.PullFile), Detail: err.Error()})
	}
	sets := map[uint32]*rangeSet{}
	for _, k := range keys {
		if sets[k.Epoch] == nil {
			sets[k.Epoch] = &rangeSet{}
		}
		sets[k.Epoch].add(k.Seq)
	}
	qkeys, err := readQuarantine(dir)
	if err != nil {
		add(Problem{Kind: Damaged, File: filepath.Join(kiosk, QuarantineDir), Detail: err.Error()})
	}
	for _, k := range qkeys {
		if sets[k.Epoch] == nil {
			sets[k.Epoch] = &rangeSet{}
		}
		sets[k.Epoch].add(k.Seq)
	}
	if havePull && sets[pull.Epoch] == nil && pull.LastSeq > 0 {
		sets[pull.Epoch] = &rangeSet{}
	}
	epochs := make([]uint32, 0, len(sets))
	for e := range sets {
		epochs = append(epochs, e)
	}
	slices.Sort(epochs)
	for _, e := range epochs {
		last, _ := sets[e].max()
		if havePull && pull.Epoch == e {
			last = max(last, pull.LastSeq)
		}
		var lost []Range
		for _, g := range pull.Gaps {
			if g.Epoch == e {
				lost = append(lost, Range{g.From, g.To})
			}
		}
		for _, r := range Subtract(sets[e].missing(1, last), lost) {
			rep.Holes = append(rep.Holes, Hole{Kiosk: kiosk, Epoch: e, Range: r})
		}
	}

	if !repair {
		return nil
	}
	for i := range rep.Problems {
		p := &rep.Problems[i]
		if p.Kiosk != kiosk || p.Kind != TempFile {
			continue
		}
		if err := os.Remove(filepath.Join(s.root, p.File)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			p.Detail = err.Error()
			continue
		}
		p.Repaired = true
	}
	var written []kiosklog.FileSum
	moved := 0
	for _, b := range files {
		if !b.healthy || len(b.drop) == 0 && len(b.quarantine) == 0 && !b.resort {
			continue
		}
		names, err := s.rewriteBatch(kiosk, b)
		for _, n := range names {
			data, rerr := os.ReadFile(filepath.Join(dir, n))
			if rerr != nil {
				err = errors.Join(err, rerr)
				continue
			}
			sum := sha256.Sum256(data)
			written = append(written, kiosklog.FileSum{Path: kiosk + "/" + filepath.ToSlash(n), SHA256: hex.EncodeToString(sum[:])})
		}
		if err == nil {
			moved += len(b.quarantine)
		}
		for i := range rep.Problems {
			p := &rep.Problems[i]
			if p.Kiosk != kiosk || p.File != filepath.Join(kiosk, b.name) || !p.Kind.Repairable() {
				continue
			}
			if err != nil {
				p.Detail = strings.TrimSpace(p.Detail + "; repair failed: " + err.Error())
			} else {
				p.Repaired = true
			}
		}
	}
	if len(written) == 0 {
		return nil
	}
	// So that the next check compares the rewritten files with their new
	// checksums, and staff can see what verify changed.
	return kiosklog.AppendLedger(s.root, kiosklog.LedgerEntry{Time: s.Now(), Kiosk: kiosk, Source: "verify",
		Operator: operator, Status: "complete", Quarantined: moved, Files: written})
}

// checkSum compares data with the SHA-256 the ledger last recorded for
// path; it says what is wrong, or "" (also when the ledger has no word).
func checkSum(sums map[string]string, path string, data []byte) string {
	want, ok := sums[path]
	if !ok {
		return ""
	}
	got := sha256.Sum256(data)
	if have := hex.EncodeToString(got[:]); have != want {
		return fmt.Sprintf("SHA-256 %s…, but the pull ledger recorded %s… when it was written", have[:12], want[:12])
	}
	return ""
}

// rewriteBatch writes b without its dropped rows, its quarantined rows
// moved to the quarantine folder first, sorted, under the name its rows
// give, then removes the old file if the name changed. A crash between
// the steps leaves a copy too many, never one too few: the next Verify
// finds it as a duplicate.
func (s *Store) rewriteBatch(kiosk string, b *batchFile) (written []string, err error) {
	dir := filepath.Join(s.root, kiosk)
	var keep, odd []kiosklog.Record
	var reasons []string
	for i, r := range b.recs {
		switch {
		case b.drop[i]:
		case b.quarantine[i] != "":
			odd = append(odd, r)
			reasons = append(reasons, b.quarantine[i])
		default:
			keep = append(keep, r)
		}
	}
	if len(odd) > 0 {
		q, err := s.writeQuarantine(kiosk, b.epoch, odd, reasons)
		if err != nil {
			return nil, err
		}
		written = append(written, q)
	}
	old := filepath.Join(dir, b.name)
	if len(keep) == 0 {
		if err := os.Remove(old); err != nil {
			return written, fmt.Errorf("store: %w", err)
		}
		return written, syncDir(dir)
	}
	sortBySeq(keep)
	var buf bytes.Buffer
	if err := kiosklog.WriteCSV(&buf, keep); err != nil {
		return written, fmt.Errorf("store: %w", err)
	}
	name := kiosklog.BatchFileName(b.epoch, keep[0].Seq, keep[len(keep)-1].Seq)
	if name == b.name {
		if err := WriteFileAtomic(dir, name, buf.Bytes(), false); err != nil {
			return written, err
		}
		return append(written, name), nil
	}
	if err := WriteFileAtomic(dir, name, buf.Bytes(), true); err != nil {
		return written, err
	}
	written = append(written, name)
	if err := os.Remove(old); err != nil {
		return written, fmt.Errorf("store: %w", err)
	}
	return written, syncDir(dir)
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("store: fsync %s: %w", dir, err)
	}
	return nil
}

func sameRecord(a, b kiosklog.Record) bool {
	if !a.Time.Equal(b.Time) {
		return false
	}
	a.Time = b.Time
	return a == b
}
