package store

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"gongjian/kioskpull/kiosklog"
)

// Store is the folder holding one sub-folder per kiosk.
type Store struct {
	root   string
	mu     sync.Mutex
	kiosks map[string]*index
}

// index is what one kiosk folder holds, per epoch.
type index struct {
	seqs map[uint32]map[uint64]bool
	n    int
}

// Open opens (creating if needed) the store at root.
func Open(root string) (*Store, error) {
	if err := os.MkdirAll(root, 0o755); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	return &Store{root: root, kiosks: map[string]*index{}}, nil
}

// Root returns the store's folder.
func (s *Store) Root() string { return s.root }

func (s *Store) kiosk(id string) (*index, error) {
	if !kiosklog.ValidKioskID(id) {
		return nil, fmt.Errorf("store: %q is not a valid kiosk id", id)
	}
	if ix := s.kiosks[id]; ix != nil {
		return ix, nil
	}
	dir := filepath.Join(s.root, id)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	// Temp files left by a killed commit were never renamed into place:
	// their batch was not committed and will be pulled again.
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".tmp-") {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
	recs, err := kiosklog.ReadKioskDir(os.DirFS(s.root), id)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	ix := &index{seqs: map[uint32]map[uint64]bool{}}
	for _, r := range recs {
		ix.add(r.Epoch, r.Seq)
	}
	s.kiosks[id] = ix
	return ix, nil
}

func (ix *index) add(epoch uint32, seq uint64) {
	m := ix.seqs[epoch]
	if m == nil {
		m = map[uint64]bool{}
		ix.seqs[epoch] = m
	}
	m[seq] = true
	ix.n++
}

// Last returns the highest sequence number stored for (kiosk, epoch), and
// false if none is.
func (s *Store) Last(kiosk string, epoch uint32) (uint64, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ix, err := s.kiosk(kiosk)
	if err != nil {
		return 0, false, err
	}
	var last uint64
	for seq := range ix.seqs[epoch] {
		last = max(last, seq)
	}
	return last, last > 0, nil
}

// Count returns how many records are stored for kiosk.
func (s *Store) Count(kiosk string) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ix, err := s.kiosk(kiosk)
	if err != nil {
		return 0, err
	}
	return ix.n, nil
}

// Has reports whether the record with key k is stored.
func (s *Store) Has(k kiosklog.Key) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ix, err := s.kiosk(k.Kiosk)
	if err != nil {
		return false, err
	}
	return ix.seqs[k.Epoch][k.Seq], nil
}

// Result tells what a commit did.
type Result struct {
	Added      int
	Duplicates int      // records already stored, skipped
	Files      []string // files written, relative to the store root
}

// Commit stores recs durably, skipping those already stored. Records of
// one kiosk and epoch go into one new batch file; when Commit returns nil
// they survive a crash or power cut, and when it fails none were added.
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
		if err := r.Validate(); err != nil {
			return res, fmt.Errorf("store: record (%s, %d, %d): %w", r.Kiosk, r.Epoch, r.Seq, err)
		}
		g := group{r.Kiosk, r.Epoch}
		if _, ok := groups[g]; !ok {
			order = append(order, g)
		}
		groups[g] = append(groups[g], r)
	}
	for _, g := range order {
		ix, err := s.kiosk(g.kiosk)
		if err != nil {
			return res, err
		}
		var fresh []kiosklog.Record
		seen := map[uint64]bool{}
		for _, r := range groups[g] {
			if ix.seqs[g.epoch][r.Seq] || seen[r.Seq] {
				res.Duplicates++
				continue
			}
			seen[r.Seq] = true
			fresh = append(fresh, r)
		}
		if len(fresh) == 0 {
			continue
		}
		slices.SortFunc(fresh, func(a, b kiosklog.Record) int {
			if a.Seq < b.Seq {
				return -1
			}
			return 1
		})
		var buf bytes.Buffer
		if err := kiosklog.WriteCSV(&buf, fresh); err != nil {
			return res, fmt.Errorf("store: %w", err)
		}
		name := kiosklog.BatchFileName(g.epoch, fresh[0].Seq, fresh[len(fresh)-1].Seq)
		if err := WriteFileAtomic(filepath.Join(s.root, g.kiosk), name, buf.Bytes(), true); err != nil {
			return res, err
		}
		for _, r := range fresh {
			ix.add(g.epoch, r.Seq)
		}
		res.Added += len(fresh)
		res.Files = append(res.Files, filepath.Join(g.kiosk, name))
	}
	return res, nil
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
	if !kiosklog.ValidKioskID(p.Kiosk) {
		return fmt.Errorf("store: %q is not a valid kiosk id", p.Kiosk)
	}
	data, err := kiosklog.MarshalPull(p)
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	dir := filepath.Join(s.root, p.Kiosk)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	return WriteFileAtomic(dir, kiosklog.PullFile, data, false)
}

// WriteFileAtomic writes data to dir/name so that a reader or a crash sees
// either the old file or the whole new one: temp file, fsync, rename,
// fsync of the folder. With exclusive set it fails if dir/name exists.
func WriteFileAtomic(dir, name string, data []byte, exclusive bool) error {
	final := filepath.Join(dir, name)
	if exclusive {
		if _, err := os.Lstat(final); err == nil {
			return fmt.Errorf("store: %s already exists", final)
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
	if err := os.Rename(tmp, final); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("store: %w", err)
	}
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
