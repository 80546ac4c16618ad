package store

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"go.yaml.in/yaml/v3"

	"gongjian/gen/kiosklog"
)

// EpochsFile, in a kiosk's folder, says under which epoch numbers the log
// of the kiosk now answering to the id is stored, once the id was given
// to replacement hardware. Package kiosklog does not read it.
const EpochsFile = "epochs.yaml"

// Replacement notes when a kiosk id was taken over by other hardware.
type Replacement struct {
	At        time.Time `yaml:"at"`
	Offset    uint32    `yaml:"offset"` // the new kiosk's epoch E is stored as E + Offset
	USBSerial string    `yaml:"usb_serial,omitempty"`
	Firmware  string    `yaml:"firmware,omitempty"`
	Reason    string    `yaml:"reason"`
}

type epochsFile struct {
	Replacements []Replacement `yaml:"replacements"`
}

// EpochOffset returns what to add to the current kiosk's own epoch
// numbers to get the epochs its records are stored under: 0 until the id
// was given to replacement hardware.
func (s *Store) EpochOffset(kiosk string) (uint32, error) {
	f, err := s.readEpochs(kiosk)
	if err != nil || len(f.Replacements) == 0 {
		return 0, err
	}
	return f.Replacements[len(f.Replacements)-1].Offset, nil
}

func (s *Store) readEpochs(kiosk string) (epochsFile, error) {
	var f epochsFile
	dir, err := s.dir(kiosk)
	if err != nil {
		return f, err
	}
	name := filepath.Join(dir, EpochsFile)
	data, err := os.ReadFile(name)
	if errors.Is(err, fs.ErrNotExist) {
		return f, nil
	}
	if err != nil {
		return f, fmt.Errorf("store: %w", err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		return f, fmt.Errorf("store: %s: %v", name, err)
	}
	return f, nil
}

// Replace records that the kiosk id now belongs to other hardware, whose
// log starts afresh: its epochs are stored from above every epoch known
// for the id (stored, in quarantine or in pull.yaml), so its records
// never meet the old kiosk's. It returns the new offset. The caller must
// hold the kiosk's lock.
func (s *Store) Replace(kiosk string, r Replacement) (uint32, error) {
	s.mu.Lock()
	if s.held[kiosk] == nil {
		s.mu.Unlock()
		return 0, fmt.Errorf("store: Replace(%s) without the kiosk's lock", kiosk)
	}
	var top uint32
	for e := range s.kiosks[kiosk].seqs {
		top = max(top, e)
	}
	s.mu.Unlock()
	if p, ok, err := s.ReadPull(kiosk); err != nil {
		return 0, err
	} else if ok {
		top = max(top, p.Epoch)
		for _, g := range p.Gaps {
			top = max(top, g.Epoch)
		}
	}
	f, err := s.readEpochs(kiosk)
	if err != nil {
		return 0, err
	}
	for _, old := range f.Replacements {
		top = max(top, old.Offset)
	}
	r.Offset = top
	r.At = r.At.In(kiosklog.Location).Truncate(time.Second)
	f.Replacements = append(f.Replacements, r)
	data, err := yaml.Marshal(f)
	if err != nil {
		return 0, fmt.Errorf("store: %w", err)
	}
	head := "# This kiosk id was given to other hardware: the newest kiosk's log epoch E\n" +
		"# is stored as epoch E + offset, beside the records of the kiosks before it.\n"
	if err := WriteFileAtomic(filepath.Join(s.root, kiosk), EpochsFile, append([]byte(head), data...), false); err != nil {
		return 0, err
	}
	return top, nil
}
