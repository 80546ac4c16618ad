package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"gongjian/gen/kiosklog"
	"gongjian/kioskpull/msg"
	"gongjian/kioskpull/pseudonym"
	"gongjian/kioskpull/puller"
	"gongjian/kioskpull/serialport"
	"gongjian/kioskpull/sim"
	"gongjian/kioskpull/store"
)

// TestClassify: what running again can mend is INCOMPLETE (exit 4); what
// it cannot is an error (exit 1) with a hint at the fix.
func TestClassify(t *testing.T) {
	port := func(err error) error {
		return &portError{"/dev/ttyUSB0", fmt.Errorf("serialport: open /dev/ttyUSB0: %w", err)}
	}
	storeErr := func(errno error) error {
		return fmt.Errorf("store: writing K01/e1.csv: %w", &fs.PathError{Op: "write", Path: "K01/.tmp-1", Err: errno})
	}
	tests := []struct {
		name  string
		err   error
		code  int
		retry bool
		hint  string
	}{
		{"link lost", msg.Errorf(msg.PullerErrLink, msg.PullerWhatBatch, puller.ErrLinkLost, errors.New("EOF")), ExitIncomplete, true, "link to the kiosk lost"},
		{"noisy line", msg.Errorf(msg.PullerErrBadBatches, "K01", puller.ErrBadBatches, 6, 16, errors.New("x")), ExitIncomplete, true, "too many bad batches"},
		{"locked", fmt.Errorf("store: %w", store.ErrLocked), ExitIncomplete, true, ""},
		{"no such port", port(syscall.ENOENT), ExitFailure, false, "there is no serial port /dev/ttyUSB0"},
		{"port permission", port(syscall.EACCES), ExitFailure, false, "sudo usermod -aG dialout $USER"},
		{"disk full", storeErr(syscall.ENOSPC), ExitFailure, false, "the disk is full"},
		{"read-only", storeErr(syscall.EROFS), ExitFailure, false, "read-only file system"},
		{"store permission", storeErr(syscall.EACCES), ExitFailure, false, "permission denied writing the store folder"},
		{"hostile kiosk", msg.Errorf(msg.PullerErrDrain, "K01", puller.ErrHostile, 52, time.Second), ExitFailure, false, "breaks the link protocol"},
		{"interrupted", context.Canceled, ExitInterrupt, true, "interrupted (Ctrl-C)"},
		{"kiosk still sending", msg.Errorf(msg.PullerErrStillSending, puller.ErrStillSending, time.Second, 40), ExitIncomplete, true, "run again once it is done"},
	}
	for _, tt := range tests {
		code, retry := classify(context.Background(), tt.err)
		if code != tt.code || retry != tt.retry {
			t.Errorf("%s: classify = %d, %v; want %d, %v", tt.name, code, retry, tt.code, tt.retry)
		}
		if got := explain(tt.err, target{path: "/dev/ttyUSB0"}).Error(); !strings.Contains(got, tt.hint) {
			t.Errorf("%s: explain = %q, want it to say %q", tt.name, got, tt.hint)
		}
	}
	zh := msg.New(msg.ZH).Error(explain(port(syscall.EACCES), target{}))
	if !strings.Contains(zh, "dialout 组") || !strings.Contains(zh, "sudo usermod -aG dialout $USER") {
		t.Errorf("Chinese dialout hint: %q", zh)
	}
}

// cli runs kioskpull in-process with the given ports enumerator.
func cli(t *testing.T, lang string, list func() ([]serialport.Port, error), args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var o, e bytes.Buffer
	m := &Main{Stdout: &o, Stderr: &e, ListPorts: list, Getenv: func(k string) string {
		if k == "LANG" {
			return lang
		}
		return ""
	}}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	code = m.Main(ctx, args)
	return o.String(), e.String(), code
}

// serveSim serves a new simulated kiosk on a pseudo-terminal for the test.
func serveSim(t *testing.T, cfg sim.Config) (string, *sim.Kiosk) {
	t.Helper()
	k := sim.New(cfg)
	return serveKiosk(t, k), k
}

// serveKiosk serves k on a new pseudo-terminal until the test ends and
// returns the terminal's path.
func serveKiosk(t *testing.T, k *sim.Kiosk) string {
	t.Helper()
	p, err := sim.OpenPTY()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { k.Serve(ctx, p); close(done) }()
	t.Cleanup(func() { cancel(); p.Close(); <-done })
	return p.Path
}

func testKey(t *testing.T) string {
	key := filepath.Join(t.TempDir(), "kiosk.key")
	if err := pseudonym.Generate(key); err != nil {
		t.Fatal(err)
	}
	return key
}

func simLog(seed uint64, n int) sim.LogSpec {
	return sim.LogSpec{Seed: seed, Records: n, Start: time.Date(2026, 5, 1, 0, 0, 0, 0, kiosklog.Location), Days: 30, Households: 30}
}

const kiosksYAML = `# 试点回收机
kiosks:
  - id: K01
    compound: 玫瑰苑
    usb_serial: GJK-0001
`

// TestPullRegistersUnknownKiosk: a kiosk missing from kiosks.yaml is
// pulled, registered as unnamed (staff's comments kept), and the store
// then loads as the site build loads it.
func TestPullRegistersUnknownKiosk(t *testing.T) {
	out := t.TempDir()
	if err := os.WriteFile(filepath.Join(out, kiosklog.KiosksFile), []byte(kiosksYAML), 0o644); err != nil {
		t.Fatal(err)
	}
	path, _ := serveSim(t, sim.Config{Kiosk: "K09", Log: simLog(9, 120)})
	stdout, stderr, code := cli(t, "en_US.UTF-8", func() ([]serialport.Port, error) { return nil, nil },
		"pull", "-port", path, "-out", out, "-key", testKey(t), "-progress", "off")
	if code != ExitOK {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	if !strings.Contains(stderr, "warning: kiosk K09 was not in") || !strings.Contains(stdout, "K09 (未命名小区): 120 new records") {
		t.Errorf("stdout:\n%s\nstderr:\n%s", stdout, stderr)
	}
	data, _ := os.ReadFile(filepath.Join(out, kiosklog.KiosksFile))
	if !strings.HasPrefix(string(data), kiosksYAML) || !strings.Contains(string(data), "unnamed: true") {
		t.Errorf("kiosks.yaml now:\n%s", data)
	}
	log, err := kiosklog.Load(os.DirFS(out), ".")
	if err != nil {
		t.Fatalf("the store no longer loads: %v", err)
	}
	if len(log.Records) != 120 {
		t.Errorf("%d records loaded", len(log.Records))
	}
	// Pulled again: already listed, no second entry.
	path, _ = serveSim(t, sim.Config{Kiosk: "K09", Log: simLog(9, 120)})
	_, stderr, _ = cli(t, "zh_CN.UTF-8", nil, "pull", "-port", path, "-out", out, "-key", testKey(t), "-progress", "off")
	if again, _ := os.ReadFile(filepath.Join(out, kiosklog.KiosksFile)); string(again) != string(data) || strings.Contains(stderr, "已登记") {
		t.Errorf("second pull changed kiosks.yaml or registered again:\n%s\n%s", again, stderr)
	}
}

// TestPullAllParallel pulls two simulated kiosks on two pseudo-terminals
// at once (passed off as USB adapters listed in kiosks.yaml): both are
// stored whole, the status lines name both, and the two ran side by side.
func TestPullAllParallel(t *testing.T) {
	out := t.TempDir()
	yaml := kiosksYAML + "  - id: K02\n    compound: 白浪新苑\n    usb_serial: GJK-0002\n"
	if err := os.WriteFile(filepath.Join(out, kiosklog.KiosksFile), []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	// Throttled so that each pull takes about a second: run one after the
	// other they would take twice as long.
	p1, _ := serveSim(t, sim.Config{Kiosk: "K01", Log: simLog(1, 250), Baud: 115200})
	p2, _ := serveSim(t, sim.Config{Kiosk: "K02", Log: simLog(2, 250), Baud: 115200})
	list := func() ([]serialport.Port, error) {
		return []serialport.Port{
			{Path: p1, IsUSB: true, SerialNumber: "GJK-0001"},
			{Path: p2, IsUSB: true, SerialNumber: "GJK-0002"},
			{Path: "/dev/ttyS0"},
		}, nil
	}
	stdout, stderr, code := cli(t, "en_US.UTF-8", list, "pull", "-all", "-out", out, "-key", testKey(t))
	if code != ExitOK {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	for _, want := range []string{"K01 (玫瑰苑): 250 new records", "K02 (白浪新苑): 250 new records"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
	log, err := kiosklog.Load(os.DirFS(out), ".")
	if err != nil || len(log.Records) != 500 {
		t.Fatalf("store: %d records, %v", len(log.Records), err)
	}
	// Off a terminal the board prints plain lines. Each pull takes about
	// a second on its throttled line (250 records of about 45 bytes at
	// 11520 bytes/s), and both began before either finished.
	begin1, begin2 := strings.Index(stderr, "K01  0/250  250 records to pull"), strings.Index(stderr, "K02  0/250  250 records to pull")
	done1, done2 := strings.Index(stderr, "K01  250/250  done in"), strings.Index(stderr, "K02  250/250  done in")
	if begin1 < 0 || begin2 < 0 || done1 < 0 || done2 < 0 || max(begin1, begin2) > min(done1, done2) {
		t.Errorf("status lines do not show two pulls side by side:\n%s", stderr)
	}
}

// TestPullHostileKioskOutput runs the CLI against hostile kiosks on ptys
// in both languages: each ends with a clear error, exit 1, FAILED rather
// than INCOMPLETE, and nothing it prints holds the card number the kiosk
// leaked onto the link.
func TestPullHostileKioskOutput(t *testing.T) {
	for _, h := range []sim.Hostile{sim.CardInBadRecord, sim.JunkForever, sim.EpochLoop} {
		for _, lang := range []string{"en_US.UTF-8", "zh_CN.UTF-8"} {
			out := t.TempDir()
			path, _ := serveSim(t, sim.Config{Kiosk: "K07", Log: simLog(7, 100), Hostile: h})
			stdout, stderr, code := cli(t, lang, nil, "pull", "-port", path, "-out", out, "-key", testKey(t), "-timeout", "1s", "-wait", "0")
			all := stdout + stderr
			if code != ExitFailure || strings.Contains(all, "INCOMPLETE") || strings.Contains(all, "未完成") {
				t.Errorf("hostile %d, %s: exit %d\n%s", h, lang, code, all)
			}
			for _, raw := range []string{sim.BadCard, "8642001234567890", "001234567890"} {
				if strings.Contains(all, raw) {
					t.Errorf("hostile %d, %s: output shows %q:\n%s", h, lang, raw, all)
				}
			}
			if n, _ := filepath.Glob(filepath.Join(out, "K07", "*.csv")); len(n) > 0 {
				t.Errorf("hostile %d: stored %v", h, n)
			}
		}
	}
}

// TestStatusFromLedger pulls a kiosk (which writes the pull ledger), then
// asks status with the clock moved on: the ledger's last complete pull
// decides what is overdue.
func TestStatusFromLedger(t *testing.T) {
	out := t.TempDir()
	if err := os.WriteFile(filepath.Join(out, kiosklog.KiosksFile), []byte(kiosksYAML+"  - id: K02\n    compound: 白浪新苑\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	path, _ := serveSim(t, sim.Config{Kiosk: "K01", Log: simLog(1, 80)})
	if stdout, stderr, code := cli(t, "en_US.UTF-8", nil, "pull", "-port", path, "-out", out, "-key", testKey(t), "-progress", "off"); code != ExitOK {
		t.Fatalf("pull: exit %d\n%s%s", code, stdout, stderr)
	}
	if entries, err := kiosklog.ReadLedgerFile(os.DirFS(out), "."); err != nil || len(entries) == 0 {
		t.Fatalf("no pull ledger after a pull: %v, %v", entries, err)
	}
	status := func(later time.Duration, lang string) string {
		var o, e bytes.Buffer
		m := &Main{Stdout: &o, Stderr: &e, Now: func() time.Time { return time.Now().Add(later) },
			Getenv: func(k string) string {
				if k == "LANG" {
					return lang
				}
				return ""
			}}
		if code := m.Main(context.Background(), []string{"status", "-out", out}); code != ExitOK {
			t.Fatalf("status: exit %d\n%s", code, e.String())
		}
		return o.String()
	}
	tests := []struct {
		later      time.Duration
		lang, want string
	}{
		{time.Hour, "en_US.UTF-8", `K01 +玫瑰苑 +[-0-9: ]+ +1 hour ago +cable +complete +to #80 \(epoch 1\) +ok`},
		{8 * 24 * time.Hour, "en_US.UTF-8", `K01 .* 8 days ago .* OVERDUE \(no complete pull for over 7 days\)`},
		{8 * 24 * time.Hour, "zh_CN.UTF-8", `K01 .* 8 天前 +数据线 +完整 +至 #80（纪元 1） +逾期（超过 7天 未完整拉取）`},
		{time.Hour, "en_US.UTF-8", `K02 +白浪新苑 +- .* never pulled`},
		{time.Hour, "en_US.UTF-8", `1 of 2 kiosks needs pulling`},
	}
	for _, tt := range tests {
		got := status(tt.later, tt.lang)
		if !regexp.MustCompile(tt.want).MatchString(got) {
			t.Errorf("status %s later (%s):\n%s\nwant a line matching %s", tt.later, tt.lang, got, tt.want)
		}
	}
}
