package store

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"

	"go.yaml.in/yaml/v3"

	"gongjian/kioskpull/msg"
)

// KeyFile, in the store's root folder, holds the fingerprint of the site
// key every pseudonym in the store was made with (never the key itself).
// The site generator does not read it.
const KeyFile = "key.yaml"

// ErrKeyMismatch is wrapped by CheckKey when the store was made under
// another site key.
var ErrKeyMismatch = msg.Errorf(msg.StoreKeyMismatch)

var fingerprintPattern = regexp.MustCompile(`^[0-9a-f]{16}$`)

type keyFile struct {
	Fingerprint string `yaml:"fingerprint"`
}

// CheckKey compares fingerprint with the one in KeyFile, writing it there
// if the store has none yet (created is then true). Pseudonyms made under
// two keys would count every household twice, so a mismatch is an error
// naming both fingerprints; there is no way to switch keys in a store.
func (s *Store) CheckKey(fingerprint string) (created bool, err error) {
	if !fingerprintPattern.MatchString(fingerprint) {
		return false, fmt.Errorf("store: %q is not a key fingerprint (16 hex digits)", fingerprint)
	}
	// Two first writers race to create the file: one wins, the other
	// reads what it wrote. The bound covers a file removed in between.
	for range 3 {
		have, ok, err := s.readKey()
		if err != nil {
			return false, err
		}
		if ok {
			if have != fingerprint {
				return false, msg.Errorf(msg.StoreErrKeyMismatch, s.root, have, fingerprint, ErrKeyMismatch)
			}
			return false, nil
		}
		data := fmt.Appendf(nil, "# Fingerprint of the site key that made every card pseudonym here (never\n"+
			"# the key). kioskpull refuses to pull or import under another key.\nfingerprint: %s\n", fingerprint)
		err = WriteFileAtomic(s.root, KeyFile, data, true)
		if err == nil {
			return true, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return false, err
		}
	}
	return false, fmt.Errorf("store: %s keeps changing", filepath.Join(s.root, KeyFile))
}

// readKey returns the fingerprint in KeyFile, and false if there is none.
func (s *Store) readKey() (string, bool, error) {
	name := filepath.Join(s.root, KeyFile)
	data, err := os.ReadFile(name)
	if errors.Is(err, fs.ErrNotExist) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("store: %w", err)
	}
	var k keyFile
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&k); err != nil {
		return "", false, fmt.Errorf("store: %s: %v", name, err)
	}
	if !fingerprintPattern.MatchString(k.Fingerprint) {
		return "", false, fmt.Errorf("store: %s: fingerprint %q is not 16 hex digits", name, k.Fingerprint)
	}
	return k.Fingerprint, true, nil
}
