package kiosklog

import (
	"regexp"
	"testing"
)

// The patterns ValidKioskID and ValidPseudonym implement by hand.
var (
	kioskIDReference   = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$`)
	pseudonymReference = regexp.MustCompile(`^h[0-9a-f]{16}$`)
)

func TestValidKioskIDAndPseudonym(t *testing.T) {
	tests := []struct {
		in            string
		kiosk, pseudo bool
	}{
		{"K01", true, false},
		{"k-01_a", true, false},
		{"-K01", false, false},
		{"_K01", false, false},
		{"", false, false},
		{"K 01", false, false},
		{"K01\n", false, false},
		{"K０1", false, false},
		{"ABCDEFGHIJKLMNOPQRSTUVWXYZ012345", true, false},
		{"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456", false, false},
		{"h0123456789abcdef", true, true},
		{"h0123456789ABCDEF", true, false},
		{"h0123456789abcde", true, false},
		{"h0123456789abcdef0", true, false},
		{"8642000012345678", true, false},
		{"g0123456789abcdef", true, false},
	}
	for _, tt := range tests {
		if got := ValidKioskID(tt.in); got != tt.kiosk {
			t.Errorf("ValidKioskID(%q) = %v, want %v", tt.in, got, tt.kiosk)
		}
		if got := ValidPseudonym(tt.in); got != tt.pseudo {
			t.Errorf("ValidPseudonym(%q) = %v, want %v", tt.in, got, tt.pseudo)
		}
	}
}

// FuzzValidIDs holds the hand-written checks equal to their patterns.
func FuzzValidIDs(f *testing.F) {
	for _, s := range []string{"K01", "h0123456789abcdef", "-", "k_", "h0123456789abcdeF"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := ValidKioskID(s), kioskIDReference.MatchString(s); got != want {
			t.Errorf("ValidKioskID(%q) = %v, pattern says %v", s, got, want)
		}
		if got, want := ValidPseudonym(s), pseudonymReference.MatchString(s); got != want {
			t.Errorf("ValidPseudonym(%q) = %v, pattern says %v", s, got, want)
		}
	})
}
