package pseudonym

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// EnvKey names the environment variable holding the key file's path.
const EnvKey = "GONGJIAN_KIOSK_KEY"

// ErrNoKey is wrapped by Load when there is no key file.
var ErrNoKey = errors.New("no site key")

// KeyPath picks the key file: the flag value if set, else $GONGJIAN_KIOSK_KEY,
// else kiosk.key in the user's config folder (e.g. ~/.config/gongjian/).
// getenv is os.Getenv in production.
func KeyPath(flagValue string, getenv func(string) string) (string, error) {
	if flagValue != "" {
		return flagValue, nil
	}
	if p := getenv(EnvKey); p != "" {
		return p, nil
	}
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("pseudonym: no config folder for the key (set %s): %w", EnvKey, err)
	}
	return filepath.Join(dir, "gongjian", "kiosk.key"), nil
}

// Hasher turns card numbers into pseudonyms. It is safe for concurrent
// use.
type Hasher struct {
	key []byte

	// card is the keyed HMAC that Card resets for each card: a reset
	// restores the keyed state, where hmac.New would hash the key again and
	// allocate. That was a quarter of a pull's CPU time (make bench-kiosk).
	mu   sync.Mutex
	card hash.Hash
}

// New returns a Hasher for a raw key of at least 16 bytes.
func New(key []byte) (*Hasher, error) {
	if len(key) < 16 {
		return nil, fmt.Errorf("pseudonym: key of %d bytes is too short (want 32)", len(key))
	}
	return &Hasher{key: append([]byte(nil), key...)}, nil
}

// Card returns the pseudonym of a card number: the first 8 bytes of
// HMAC-SHA256(key, "gongjian kiosk card v1\n" + card) as 16 hex digits,
// after an "h" that no card number (all digits) starts with, so a raw
// number can never pass for a pseudonym. 64 bits keep collisions out of
// reach for a few thousand households while staying short in the CSV files.
func (h *Hasher) Card(card string) string {
	var sum [sha256.Size]byte
	h.mu.Lock()
	if h.card == nil {
		h.card = hmac.New(sha256.New, h.key)
	} else {
		h.card.Reset()
	}
	io.WriteString(h.card, "gongjian kiosk card v1\n")
	io.WriteString(h.card, card)
	h.card.Sum(sum[:0])
	h.mu.Unlock()
	return "h" + hex.EncodeToString(sum[:8])
}

// Fingerprint names the key without revealing it: the first 16 hex digits
// of SHA-256 of HMAC-SHA256(key, "gongjian kiosk key fingerprint v1"). The
// message cannot be a card's (those start "gongjian kiosk card v1\n"), so
// no pseudonym ever equals part of it; it is stored with the data, so that
// records made under another key are refused rather than counted as other
// households.
func (h *Hasher) Fingerprint() string {
	m := hmac.New(sha256.New, h.key)
	m.Write([]byte("gongjian kiosk key fingerprint v1"))
	sum := sha256.Sum256(m.Sum(nil))
	return hex.EncodeToString(sum[:8])
}

// Load reads the key file at path (64 hex digits). A missing file gives an
// error wrapping ErrNoKey that says how to make one.
func Load(path string) (*Hasher, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w at %s: make one with `kioskpull keygen` (or point -key or $%s at an existing one); keep it outside the repository and back it up, since the same key must be used for every pull", ErrNoKey, path, EnvKey)
	}
	if err != nil {
		return nil, fmt.Errorf("pseudonym: %w", err)
	}
	key, err := hex.DecodeString(strings.TrimSpace(string(data)))
	if err != nil {
		return nil, fmt.Errorf("pseudonym: %s: not a key file (want 64 hex digits)", path)
	}
	h, err := New(key)
	if err != nil {
		return nil, fmt.Errorf("pseudonym: %s: %w", path, err)
	}
	return h, nil
}

// Generate writes a new random 32-byte key to path (mode 0600, folder 0700).
// It refuses to overwrite an existing key, since pseudonyms made under the
// old key would no longer match.
func Generate(path string) error {
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("pseudonym: %s already exists; refusing to replace a site key", path)
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return fmt.Errorf("pseudonym: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("pseudonym: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("pseudonym: %w", err)
	}
	if _, err := f.WriteString(hex.EncodeToString(key) + "\n"); err != nil {
		f.Close()
		return fmt.Errorf("pseudonym: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("pseudonym: %w", err)
	}
	return f.Close()
}

// InsideGitRepo reports whether path lies in a git working tree, where a
// key could be committed by mistake.
func InsideGitRepo(path string) bool {
	abs, err := filepath.Abs(path)
	if err != nil {
		return false
	}
	for dir := filepath.Dir(abs); ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, ".git")); err == nil {
			return true
		}
		if filepath.Dir(dir) == dir {
			return false
		}
	}
}
