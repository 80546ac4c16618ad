package store

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func TestCheckKey(t *testing.T) {
	dir := t.TempDir()
	s, _ := Open(dir)
	created, err := s.CheckKey("0123456789abcdef")
	if err != nil || !created {
		t.Fatalf("first CheckKey = %v, %v", created, err)
	}
	if created, err := s.CheckKey("0123456789abcdef"); err != nil || created {
		t.Errorf("same key again = %v, %v", created, err)
	}
	_, err = s.CheckKey("fedcba9876543210")
	if !errors.Is(err, ErrKeyMismatch) || !strings.Contains(err.Error(), "fingerprint 0123456789abcdef") || !strings.Contains(err.Error(), "fingerprint is fedcba9876543210") {
		t.Errorf("other key = %v, want ErrKeyMismatch naming both fingerprints", err)
	}
	if _, err := s.CheckKey("not hex"); err == nil {
		t.Error("a malformed fingerprint was accepted")
	}
	os.WriteFile(filepath.Join(dir, KeyFile), []byte("fingerprint: [\n"), 0o644)
	if _, err := s.CheckKey("0123456789abcdef"); err == nil || !strings.Contains(err.Error(), KeyFile) {
		t.Errorf("damaged key file: %v", err)
	}
}

// TestCheckKeyRace: of two first writers with different keys, exactly one
// wins; the other is refused.
func TestCheckKeyRace(t *testing.T) {
	for range 20 {
		dir := t.TempDir()
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, fp := range []string{"0123456789abcdef", "fedcba9876543210"} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				s, _ := Open(dir)
				_, errs[i] = s.CheckKey(fp)
			}()
		}
		wg.Wait()
		if (errs[0] == nil) == (errs[1] == nil) {
			t.Fatalf("two keys raced: errors %v and %v, want exactly one refused", errs[0], errs[1])
		}
	}
}
