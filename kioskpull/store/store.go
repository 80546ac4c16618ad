package store

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"gongjian/gen/kiosklog"
	"gongjian/kioskpull/msg"
)

// DefaultLockWait is how long a writer waits for another one to finish
// with a kiosk folder before giving up.
const DefaultLockWait = 10 * time.Second

// Store is the folder holding one sub-folder per kiosk. One Store may be
// used by many goroutines; any number of Stores, in any number of
// processes, may share a folder: a kiosk folder takes one writer at a time.
type Store struct {
	root string

	// LockWait is how long Lock and Commit wait for another writer to
	// release a kiosk folder (DefaultLockWait unless changed).
	LockWait time.Duration
	// Command is written into the lock file, so that a writer kept
	// waiting can name what holds the folder (e.g. "kioskpull pull -port /dev/ttyUSB0").
	Command string
	// Now is the clock deciding which times lie in the future (time.Now
	// unless changed).
	Now func() time.Time

	mu     sync.Mutex
	kiosks map[string]*index
	held   map[string]*heldLock
}

type heldLock struct {
	f *os.File
	n int // Lock calls not yet undone
}

// index is what one kiosk folder holds, per epoch.
type index struct {
	seqs  map[uint32]*rangeSet
	n     int
	files map[string]bool // batch and quarantine files read or written
}

// Open opens (creating if needed) the store at root.
func Open(root string) (*Store, error) {
	if err := os.MkdirAll(root, 0o755); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	return &Store{root: root, LockWait: DefaultLockWait, Now: time.Now,
		kiosks: map[string]*index{}, held: map[string]*heldLock{}}, nil
}

// Root returns the store's folder.
func (s *Store) Root() string { return s.root }

func (s *Store) dir(id string) (string, error) {
	if !kiosklog.ValidKioskID(id) {
		return "", fmt.Errorf("store: %q is not a valid kiosk id", id)
	}
	return filepath.Join(s.root, id), nil
}

// Lock makes this Store the only writer of the kiosk's folder until the
// returned unlock is called, waiting up to s.LockWait for another writer
// to finish; when that runs out the error wraps ErrLocked and names the
// holder. Lock reads the folder afresh, so what other writers committed
// before is known, and removes the temp files a killed writer left.
// Calls nest: the folder is released by the last unlock.
func (s *Store) Lock(ctx context.Context, kiosk string) (unlock func() error, err error) {
	dir, err := s.dir(kiosk)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	if h := s.held[kiosk]; h != nil {
		h.n++
		s.mu.Unlock()
		return s.unlocker(kiosk), nil
	}
	s.mu.Unlock()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	f, err := s.acquire(ctx, dir, s.LockWait)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if h := s.held[kiosk]; h != nil { // another goroutine of this Store won
		release(f)
		h.n++
		return s.unlocker(kiosk), nil
	}
	if err := s.takeOver(kiosk); err != nil {
		release(f)
		return nil, err
	}
	s.held[kiosk] = &heldLock{f: f, n: 1}
	return s.unlocker(kiosk), nil
}

func (s *Store) unlocker(kiosk string) func() error {
	var once sync.Once
	return func() error {
		var err error
		once.Do(func() {
			s.mu.Lock()
			defer s.mu.Unlock()
			h := s.held[kiosk]
			if h == nil {
				return
			}
			if h.n--; h.n == 0 {
				delete(s.held, kiosk)
				err = release(h.f)
			}
		})
		return err
	}
}

// takeOver runs with the kiosk's flock just taken and s.mu held: temp
// files in the folder are left by a writer that was killed (no live
// writer can hold the lock now), and the index is brought up to date.
func (s *Store) takeOver(kiosk string) error {
	dir := filepath.Join(s.root, kiosk)
	for _, d := range []string{dir, filepath.Join(dir, QuarantineDir)} {
		entries, err := os.ReadDir(d)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("store: %w", err)
		}
		for _, e := range entries {
			if IsTempFile(e.Name()) {
				os.Remove(filepath.Join(d, e.Name()))
			}
		}
	}
	_, err := s.refresh(kiosk)
	return err
}

// IsTempFile reports whether name is one of the temp files the store
// writes before renaming them into place.
func IsTempFile(name string) bool { return strings.HasPrefix(name, ".tmp-") }

// index returns the kiosk's index: as it is while this Store holds the
// kiosk's lock (nobody else can write), else read afresh if the folder
// changed. s.mu must be held.
func (s *Store) index(kiosk string) (*index, error) {
	if _, err := s.dir(kiosk); err != nil {
		return nil, err
	}
	if s.held[kiosk] != nil {
		return s.kiosks[kiosk], nil
	}
	return s.refresh(kiosk)
}

// refresh re-reads the kiosk folder if its files are not those the index
// was made from. s.mu must be held.
func (s *Store) refresh(kiosk string) (*index, error) {
	dir := filepath.Join(s.root, kiosk)
	names, err := storedFiles(dir)
	if err != nil {
		return nil, err
	}
	if ix := s.kiosks[kiosk]; ix != nil && len(ix.files) == len(names) {
		same := true
		for _, n := range names {
			same = same && ix.files[n]
		}
		if same {
			return ix, nil
		}
	}
	ix := &index{seqs: map[uint32]*rangeSet{}, files: map[string]bool{}}
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		return ix, nil // nothing stored yet; not kept, the folder may come
	}
	recs, err := kiosklog.ReadKioskDir(os.DirFS(s.root), kiosk)
	if err != nil {
		return nil, fmt.Errorf("store: %w (kioskpull verify -out %s tells what to do)", err, s.root)
	}
	for _, r := range recs {
		ix.add(r.Epoch, r.Seq)
	}
	keys, err := readQuarantine(dir)
	if err != nil {
		return nil, err
	}
	for _, k := range keys {
		ix.add(k.Epoch, k.Seq)
	}
	for _, n := range names {
		ix.files[n] = true
	}
	s.kiosks[kiosk] = ix
	return ix, nil
}

// storedFiles lists the batch files and quarantine files of a kiosk
// folder (quarantine ones as "quarantine/NAME").
func storedFiles(dir string) ([]string, error) {
	var names []string
	for _, sub := range []string{"", QuarantineDir} {
		entries, err := os.ReadDir(filepath.Join(dir, sub))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("store: %w", err)
		}
		for _, e := range entries {
			if _, _, _, ok := kiosklog.ParseBatchFileName(e.Name()); ok && !e.IsDir() {
				names = append(names, filepath.Join(sub, e.Name()))
			}
		}
	}
	return names, nil
}

func (ix *index) add(epoch uint32, seq uint64) {
	rs := ix.seqs[epoch]
	if rs == nil {
		rs = &rangeSet{}
		ix.seqs[epoch] = rs
	}
	if rs.add(seq) {
		ix.n++
	}
}

func (ix *index) has(epoch uint32, seq uint64) bool {
	rs := ix.seqs[epoch]
	return rs != nil && rs.has(seq)
}

// Last returns the highest sequence number stored for (kiosk, epoch), and
// false if none is.
func (s *Store) Last(kiosk string, epoch uint32) (uint64, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ix, err := s.index(kiosk)
	if err != nil {
		return 0, false, err
	}
	if rs := ix.seqs[epoch]; rs != nil {
		last, ok := rs.max()
		return last, ok, nil
	}
	return 0, false, nil
}

// Missing returns the runs of sequence numbers from..to of (kiosk, epoch)
// that are not stored, in ascending order. Records in quarantine count as
// stored: they were received, and asking for them again would not help.
func (s *Store) Missing(kiosk string, epoch uint32, from, to uint64) ([]Range, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ix, err := s.index(kiosk)
	if err != nil {
		return nil, err
	}
	rs := ix.seqs[epoch]
	if rs == nil {
		rs = &rangeSet{}
	}
	return rs.missing(from, to), nil
}

// Count returns how many records are stored for kiosk (quarantined ones
// included).
func (s *Store) Count(kiosk string) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ix, err := s.index(kiosk)
	if err != nil {
		return 0, err
	}
	return ix.n, nil
}

// Has reports whether the record with key k is stored.
func (s *Store) Has(k kiosklog.Key) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ix, err := s.index(k.Kiosk)
	if err != nil {
		return false, err
	}
	return ix.has(k.Epoch, k.Seq), nil
}

// Result tells what a commit did.
type Result struct {
	Added       int
	Duplicates  int      // records already stored, skipped
	Quarantined int      // records with impossible times, kept apart from the data the site reads
	Files       []string // files written, relative to the store root
	Reasons     []error  // why records were quarantined, one each (see ShowReasons)
}

// Commit stores recs durably, skipping those already stored. Records of
// one kiosk and epoch go into one new batch file; records whose time
// cannot be true go into a file under the kiosk's quarantine folder
// instead. When Commit returns nil they survive a crash or power cut;
// when it fails, only the files res.Files names were written. A kiosk folder this Store has not locked
// is locked for the commit (waiting up to LockWait), and what is already
// stored is checked under that lock, so no record is ever stored twice.
func (s *Store) Commit(recs []kiosklog.Record) (Result, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var res Result
	type group struct {
		kiosk string
		epoch uint32
	}
	groups := map[group][]kiosklog.Record{}
	var order []group
	for _, r := range recs {
		if err := validate(r); err != nil {
			return res, fmt.Errorf("store: record (%s, %d, %d): %w", r.Kiosk, r.Epoch, r.Seq, err)
		}
		g := group{r.Kiosk, r.Epoch}
		if _, ok := groups[g]; !ok {
			order = append(order, g)
		}
		groups[g] = append(groups[g], r)
	}
	now := s.Now()
	for _, g := range order {
		err := s.underLock(g.kiosk, func(ix *index) error {
			var fresh, odd []kiosklog.Record
			var reasons []error
			seen := map[uint64]bool{}
			for _, r := range groups[g] {
				if ix.has(g.epoch, r.Seq) || seen[r.Seq] {
					res.Duplicates++
					continue
				}
				seen[r.Seq] = true
				if why := TimeProblem(r.Time, now); why != nil {
					odd = append(odd, r)
					reasons = append(reasons, msg.Errorf(msg.StoreQuarantinedRecord, r.Kiosk, r.Epoch, r.Seq, why))
					continue
				}
				fresh = append(fresh, r)
			}
			if len(fresh) > 0 {
				name, err := s.writeBatch(g.kiosk, g.epoch, fresh)
				if err != nil {
					return err
				}
				for _, r := range fresh {
					ix.add(g.epoch, r.Seq)
				}
				ix.files[name] = true
				res.Added += len(fresh)
				res.Files = append(res.Files, filepath.Join(g.kiosk, name))
			}
			if len(odd) > 0 {
				texts := make([]string, len(odd))
				for i, r := range odd {
					texts[i] = ImpossibleTime(r.Time, now) // the file keeps English
				}
				name, err := s.writeQuarantine(g.kiosk, g.epoch, odd, texts)
				if err != nil {
					return err
				}
				for _, r := range odd {
					ix.add(g.epoch, r.Seq)
				}
				ix.files[name] = true
				res.Quarantined += len(odd)
				res.Reasons = append(res.Reasons, reasons...)
				res.Files = append(res.Files, filepath.Join(g.kiosk, name))
			}
			return nil
		})
		if err != nil {
			return res, err
		}
	}
	return res, nil
}

// validate checks r as Record.Validate does, except for its time, which
// Commit judges on its own (an impossible time is quarantined, not refused).
func validate(r kiosklog.Record) error {
	if r.Time.IsZero() {
		return errors.New("no time")
	}
	r.Time = time.Date(2026, 1, 1, 0, 0, 0, 0, kiosklog.Location)
	return r.Validate()
}

// underLock runs fn with the kiosk's index while the kiosk's folder is
// locked: by an earlier Lock, or else for just this call. s.mu is held.
func (s *Store) underLock(kiosk string, fn func(*index) error) error {
	if s.held[kiosk] != nil {
		return fn(s.kiosks[kiosk])
	}
	dir, err := s.dir(kiosk)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	f, err := s.acquire(context.Background(), dir, s.LockWait)
	if err != nil {
		return err
	}
	defer release(f)
	if err := s.takeOver(kiosk); err != nil {
		return err
	}
	return fn(s.kiosks[kiosk])
}

// writeBatch writes recs (one kiosk and epoch, none stored yet) as a new
// batch file and returns its name.
func (s *Store) writeBatch(kiosk string, epoch uint32, recs []kiosklog.Record) (string, error) {
	sortBySeq(recs)
	var buf bytes.Buffer
	if err := kiosklog.WriteCSV(&buf, recs); err != nil {
		return "", fmt.Errorf("store: %w", err)
	}
	name := kiosklog.BatchFileName(epoch, recs[0].Seq, recs[len(recs)-1].Seq)
	if err := WriteFileAtomic(filepath.Join(s.root, kiosk), name, buf.Bytes(), true); err != nil {
		return "", err
	}
	return name, nil
}

func sortBySeq(recs []kiosklog.Record) {
	slices.SortFunc(recs, func(a, b kiosklog.Record) int { return cmp.Compare(a.Seq, b.Seq) })
}

// ReadPull returns the kiosk's pull.yaml, and false if there is none.
func (s *Store) ReadPull(kiosk string) (kiosklog.Pull, bool, error) {
	name := filepath.Join(s.root, kiosk, kiosklog.PullFile)
	data, err := os.ReadFile(name)
	if errors.Is(err, fs.ErrNotExist) {
		return kiosklog.Pull{}, false, nil
	}
	if err != nil {
		return kiosklog.Pull{}, false, fmt.Errorf("store: %w", err)
	}
	p, err := kiosklog.ParsePull(data, name)
	if err != nil {
		return p, false, fmt.Errorf("store: %w", err)
	}
	return p, true, nil
}

// WritePull replaces the kiosk's pull.yaml atomically.
func (s *Store) WritePull(p kiosklog.Pull) error {
	dir, err := s.dir(p.Kiosk)
	if err != nil {
		return err
	}
	data, err := kiosklog.MarshalPull(p)
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	return WriteFileAtomic(dir, kiosklog.PullFile, data, false)
}

// WriteFileAtomic writes data to dir/name so that a reader or a crash sees
// either the old file or the whole new one: temp file, fsync, rename (or,
// with exclusive set, a hard link that fails if dir/name exists), fsync of
// the folder.
func WriteFileAtomic(dir, name string, data []byte, exclusive bool) error {
	final := filepath.Join(dir, name)
	if exclusive {
		if _, err := os.Lstat(final); err == nil {
			return fmt.Errorf("store: %s: %w", final, fs.ErrExist)
		}
	}
	f, err := os.CreateTemp(dir, ".tmp-"+name+"-*")
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	tmp := f.Name()
	fail := func(err error) error {
		f.Close()
		os.Remove(tmp)
		return fmt.Errorf("store: writing %s: %w", final, err)
	}
	if _, err := f.Write(data); err != nil {
		return fail(err)
	}
	if err := f.Chmod(0o644); err != nil {
		return fail(err)
	}
	if err := f.Sync(); err != nil {
		return fail(err)
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("store: writing %s: %w", final, err)
	}
	if exclusive {
		err = os.Link(tmp, final)
		switch {
		case err == nil:
			os.Remove(tmp)
		case errors.Is(err, fs.ErrExist):
			os.Remove(tmp)
			return fmt.Errorf("store: %s: %w", final, fs.ErrExist)
		default:
			// A file system without hard links: the Lstat above is the
			// check, and the kiosk's lock keeps other writers out.
			err = os.Rename(tmp, final)
		}
	} else {
		err = os.Rename(tmp, final)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("store: %w", err)
	}
	return syncDir(dir)
}
