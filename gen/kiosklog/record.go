package kiosklog

import (
	"fmt"
	"time"
)

// Category is what a deposit was sorted as.
type Category uint8

// The five categories a kiosk accepts.
const (
	Plastic Category = iota + 1
	Paper
	Metal
	Glass
	Battery
)

// Categories lists every category in display order.
var Categories = []Category{Plastic, Paper, Metal, Glass, Battery}

var categoryNames = [...]struct{ name, code, zh string }{
	Plastic: {"plastic", "PL", "塑料"},
	Paper:   {"paper", "PA", "纸张"},
	Metal:   {"metal", "ME", "金属"},
	Glass:   {"glass", "GL", "玻璃"},
	Battery: {"battery", "BA", "电池"},
}

// Valid reports whether c is one of the five categories.
func (c Category) Valid() bool { return c >= Plastic && c <= Battery }

// String returns the English name used in CSV files ("plastic").
func (c Category) String() string {
	if !c.Valid() {
		return fmt.Sprintf("Category(%d)", uint8(c))
	}
	return categoryNames[c].name
}

// Code returns the two-letter code used on the kiosk link ("PL").
func (c Category) Code() string {
	if !c.Valid() {
		return "??"
	}
	return categoryNames[c].code
}

// Chinese returns the name shown to residents ("塑料").
func (c Category) Chinese() string {
	if !c.Valid() {
		return "?"
	}
	return categoryNames[c].zh
}

// ParseCategory accepts a CSV name ("plastic") or a link code ("PL").
func ParseCategory(s string) (Category, error) {
	for _, c := range Categories {
		if s == categoryNames[c].name || s == categoryNames[c].code {
			return c, nil
		}
	}
	return 0, fmt.Errorf("unknown category %q (want plastic, paper, metal, glass or battery)", s)
}

// Record is one deposit as stored: who (a pseudonym, never a card number),
// what, how much and when, keyed by (Kiosk, Epoch, Seq).
type Record struct {
	Kiosk    string    // kiosk id, e.g. "K01"
	Epoch    uint32    // log epoch; changes when the kiosk's log is reset
	Seq      uint64    // sequence number within the epoch, from 1
	Time     time.Time // when the deposit was weighed
	Card     string    // keyed-hash pseudonym of the points card ("h" + 16 hex digits)
	Category Category
	Grams    int // weight of the deposit
	Points   int // points credited to the card
}

// Key is the unique identity of a record.
type Key struct {
	Kiosk string
	Epoch uint32
	Seq   uint64
}

// Key returns r's identity.
func (r Record) Key() Key { return Key{r.Kiosk, r.Epoch, r.Seq} }

// ValidKioskID reports whether id can name a kiosk (and its folder):
// 1 to 32 ASCII letters, digits, '-' or '_', starting with a letter or digit.
func ValidKioskID(id string) bool {
	if len(id) == 0 || len(id) > 32 || id[0] == '-' || id[0] == '_' {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// ValidPseudonym reports whether s looks like a stored card pseudonym ("h"
// and 16 hex digits), so a raw card number, which is all digits, is refused
// before it reaches the disk.
// It is checked for every record stored, so it does without regexp.
func ValidPseudonym(s string) bool {
	if len(s) != 17 || s[0] != 'h' {
		return false
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// Location is the time zone of the kiosks (Shiyan, Hubei: China Standard Time).
var Location = time.FixedZone("CST", 8*3600)

// Validate reports the first thing wrong with r.
func (r Record) Validate() error {
	switch {
	case !ValidKioskID(r.Kiosk):
		return fmt.Errorf("kiosk id %q is not valid", r.Kiosk)
	case r.Seq == 0:
		return fmt.Errorf("sequence number 0 (sequences start at 1)")
	case r.Time.IsZero():
		return fmt.Errorf("no time")
	case !ValidPseudonym(r.Card):
		return fmt.Errorf("card %q is not a pseudonym (h and 16 lowercase hex digits)", r.Card)
	case !r.Category.Valid():
		return fmt.Errorf("category %d is not valid", r.Category)
	case r.Grams <= 0 || r.Grams > 1_000_000:
		return fmt.Errorf("weight %d g is out of range 1..1000000", r.Grams)
	case r.Points < 0 || r.Points > 1_000_000:
		return fmt.Errorf("points %d out of range 0..1000000", r.Points)
	}
	return nil
}
