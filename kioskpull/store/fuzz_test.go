package store

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The files below are kioskpull's own, but anything may have written
// them: reading them must never panic, and what is accepted must be sound.

func FuzzParseHolder(f *testing.F) {
	f.Add(Holder{PID: 4242, Command: "kioskpull pull -port /dev/ttyUSB0", Started: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}.marshal())
	f.Add([]byte("pid -1\ncommand \x00\nstarted 10000-01-01T00:00:00Z\n"))
	f.Add([]byte("pid 99999999999999999999\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		h := parseHolder(data)
		s := h.String()
		if h.PID == 0 && s != "an unknown process" {
			t.Errorf("holder without a pid described as %q", s)
		}
		if again := parseHolder(h.marshal()); h.PID != 0 && (again.PID != h.PID || again.Command != strings.ReplaceAll(h.Command, "\n", " ")) {
			t.Errorf("round trip of %+v gave %+v", h, again)
		}
	})
}

func FuzzKeyFile(f *testing.F) {
	f.Add([]byte("fingerprint: 0123456789abcdef\n"))
	f.Add([]byte("# comment\nfingerprint: 0123456789ABCDEF\n"))
	f.Add([]byte("fingerprint: [1, 2]\nother: x\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, KeyFile), data, 0o644); err != nil {
			t.Fatal(err)
		}
		s, _ := Open(dir)
		fp, ok, err := s.readKey()
		if err == nil && ok && !fingerprintPattern.MatchString(fp) {
			t.Errorf("accepted fingerprint %q", fp)
		}
		if _, err := s.CheckKey("0123456789abcdef"); err == nil && fp != "0123456789abcdef" {
			t.Errorf("CheckKey accepted a store whose key file says %q (%v)", fp, ok)
		}
	})
}

func FuzzQuarantineFile(f *testing.F) {
	f.Add([]byte("kiosk,epoch,seq,unix_time,card,category,grams,points,reason\nK01,1,3,0,h0123456789abcdef,paper,900,9,before 2020\n"))
	f.Add([]byte("kiosk,epoch,seq\nK01,99999999999,0\n"))
	f.Add([]byte("\"unterminated\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		name := filepath.Join(t.TempDir(), "e1-0000000001-0000000001.csv")
		if err := os.WriteFile(name, data, 0o644); err != nil {
			t.Fatal(err)
		}
		recs, err := ReadQuarantineFile(name)
		if err != nil {
			return
		}
		for _, r := range recs {
			if r.Seq == 0 {
				t.Errorf("accepted sequence number 0: %+v", r)
			}
		}
	})
}
