package puller_test

import (
	"bufio"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"gongjian/kioskpull/protocol"
	"gongjian/kioskpull/puller"
	"gongjian/kioskpull/store"
)

// scripted is a kiosk that answers each command with the lines reply
// returns (bodies; framed here unless they start with "raw:"), on pipes
// that clock watches: a pull with cfg.Clock set to it times out exactly
// when the kiosk has nothing more to say.
func scripted(t *testing.T, clock *quietClock, reply func(n int, cmd string) []string) puller.DialFunc {
	return func(ctx context.Context) (io.ReadWriteCloser, error) {
		host, kiosk := clock.pipe()
		go func() {
			defer kiosk.Close()
			br := bufio.NewReader(kiosk)
			for n := 0; ; n++ {
				line, err := br.ReadBytes('\n')
				if err != nil {
					return
				}
				body, err := protocol.ParseLine(line)
				if err != nil {
					t.Errorf("host sent a bad line %q: %v", line, err)
					return
				}
				for _, l := range reply(n, body) {
					var out []byte
					if raw, ok := strings.CutPrefix(l, "raw:"); ok {
						out = []byte(raw + "\n")
					} else {
						out = protocol.AppendLine(nil, l)
					}
					if _, err := kiosk.Write(out); err != nil {
						return
					}
				}
			}
		}()
		return host, nil
	}
}

const (
	rec1 = "1,1777597212,8642001234567890,PA,1830,18"
	rec2 = "2,1777597380,8642009876543210,PL,420,8"
)

func batchSum(texts ...string) string {
	var s protocol.BatchSum
	for _, t := range texts {
		s.Add(t)
	}
	return protocol.End{Count: len(texts), Sum: s.Sum()}.Body()[len("END 0 0 "):]
}

func TestScriptedBadBatches(t *testing.T) {
	good := []string{"R " + rec1 + ";" + rec2, "END 2 2 " + batchSum(rec1, rec2)}
	tests := []struct {
		name string
		bad  []string // the first answer to DUMP; the second is good
	}{
		{"wrong batch checksum", []string{"R " + rec1 + ";" + rec2, "END 2 2 00000000"}},
		{"wrong count", []string{"R " + rec1 + ";" + rec2, "END 3 2 " + batchSum(rec1, rec2)}},
		{"sequence skips", []string{"R " + rec1 + ";" + strings.Replace(rec2, "2,", "3,", 1), "END 2 3 " + batchSum(rec1, rec2)}},
		{"damaged line", []string{"raw:R " + rec1 + "*00000000", "END 1 1 " + batchSum(rec1)}},
		{"damaged END", []string{"R " + rec1 + ";" + rec2, "raw:END 2 2 00000000*12345678"}},
		{"raw card in a bad field", []string{"R 1,1777597212,8642-0012,PA,1830,18", "END 1 1 00000000"}},
		{"kiosk asks to resend", []string{"ERR CRC command checksum mismatch"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			st, _ := store.Open(dir)
			dumps := 0
			clock := newQuietClock()
			dial := scripted(t, clock, func(n int, cmd string) []string {
				switch protocol.Kind(cmd) {
				case "HELLO":
					return []string{"HELLO 1 K09 fw 1 1 2"}
				case "DUMP":
					dumps++
					if dumps == 1 {
						return tt.bad
					}
					return good
				}
				return []string{"BYE"}
			})
			cfg := testConfig(t, st)
			cfg.Clock = clock
			sum, err := puller.Pull(context.Background(), cfg, dial)
			if err != nil || sum.New != 2 || sum.BadBatches != 1 || dumps != 2 {
				t.Errorf("summary %+v, err %v, %d DUMPs; want 2 new, 1 bad batch, 2 DUMPs", sum, err, dumps)
			}
		})
	}
}

func TestScriptedKioskErrors(t *testing.T) {
	tests := []struct {
		name  string
		dump  string
		want  error
		wantS string
	}{
		{"internal fault", "ERR INTERNAL scale not calibrated", puller.ErrKioskFailed, "scale not calibrated"},
		{"syntax", "ERR SYNTAX what", puller.ErrKioskFailed, "SYNTAX"},
	}
	for _, tt := range tests {
		st, _ := store.Open(t.TempDir())
		clock := newQuietClock()
		dial := scripted(t, clock, func(n int, cmd string) []string {
			if protocol.Kind(cmd) == "HELLO" {
				return []string{"HELLO 1 K09 fw 1 1 2"}
			}
			return []string{tt.dump}
		})
		cfg := testConfig(t, st)
		cfg.Clock = clock
		_, err := puller.Pull(context.Background(), cfg, dial)
		if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), tt.wantS) {
			t.Errorf("%s: err = %v, want %v mentioning %q", tt.name, err, tt.want, tt.wantS)
		}
	}
}

func TestScriptedVersionAndSilence(t *testing.T) {
	st, _ := store.Open(t.TempDir())
	cfg := testConfig(t, st)
	cfg.Clock = newQuietClock()
	_, err := puller.Pull(context.Background(), cfg, scripted(t, cfg.Clock.(*quietClock), func(int, string) []string {
		return []string{"ERR VERSION this kiosk speaks version 2"}
	}))
	if err == nil || !strings.Contains(err.Error(), "does not speak protocol version 1") {
		t.Errorf("version mismatch: %v", err)
	}
	// A silent kiosk is greeted five times, each HELLO waited for
	// HelloTimeout, with backoffs of 0.2, 0.4, 0.8 and 1 s between.
	cfg.Clock = newQuietClock()
	cfg.HelloTimeout = 50 * time.Millisecond
	sum, err := puller.Pull(context.Background(), cfg, scripted(t, cfg.Clock.(*quietClock), func(int, string) []string { return nil }))
	if !errors.Is(err, puller.ErrLinkLost) {
		t.Errorf("silent kiosk: %v, want ErrLinkLost", err)
	}
	if want := 5*50*time.Millisecond + 2400*time.Millisecond; sum.Elapsed != want {
		t.Errorf("silent kiosk: given up after %s, want %s", sum.Elapsed, want)
	}
}

// TestScriptedTimeoutsWaitForSilence: with timeouts of a nanosecond, a
// pull still gets every line, because its clock lets a timeout pass only
// when the kiosk has nothing more to send: no wait in these tests depends
// on how fast the machine runs them.
func TestScriptedTimeoutsWaitForSilence(t *testing.T) {
	st, _ := store.Open(t.TempDir())
	clock := newQuietClock()
	dial := scripted(t, clock, func(n int, cmd string) []string {
		switch protocol.Kind(cmd) {
		case "HELLO":
			return []string{"HELLO 1 K09 fw 1 1 2"}
		case "DUMP":
			return []string{"R " + rec1, "R " + rec2, "END 2 2 " + batchSum(rec1, rec2)}
		}
		return []string{"BYE"}
	})
	cfg := testConfig(t, st)
	cfg.Clock = clock
	cfg.HelloTimeout, cfg.LineTimeout = time.Nanosecond, time.Nanosecond
	sum, err := puller.Pull(context.Background(), cfg, dial)
	if err != nil || sum.New != 2 || !sum.Complete || sum.BadBatches != 0 || sum.Reconnects != 0 {
		t.Errorf("summary %+v, err %v; want 2 new records, complete, no bad batch", sum, err)
	}
}

func TestScriptedWrongKioskAfterReconnect(t *testing.T) {
	st, _ := store.Open(t.TempDir())
	calls := 0
	clock := newQuietClock()
	inner := func(id string) puller.DialFunc {
		return scripted(t, clock, func(n int, cmd string) []string {
			switch protocol.Kind(cmd) {
			case "HELLO":
				return []string{"HELLO 1 " + id + " fw 1 1 2"}
			case "DUMP":
				return []string{"R " + rec1} // then the line goes dead
			}
			return nil
		})
	}
	dial := func(ctx context.Context) (io.ReadWriteCloser, error) {
		calls++
		if calls == 1 {
			return inner("K09")(ctx)
		}
		return inner("K10")(ctx)
	}
	cfg := testConfig(t, st)
	cfg.Clock = clock
	cfg.Reconnect = time.Minute
	_, err := puller.Pull(context.Background(), cfg, dial)
	if !errors.Is(err, puller.ErrWrongKiosk) {
		t.Errorf("another kiosk after reconnect: %v, want ErrWrongKiosk", err)
	}
}
