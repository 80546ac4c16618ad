package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gongjian/gen/kiosklog"
	"gongjian/kioskpull/pseudonym"
	"gongjian/kioskpull/sim"
	"gongjian/kioskpull/usbexport"
)

var update = flag.Bool("update", false, "update golden files")

// runMain runs the CLI in this process as user "tester".
func runMain(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return runMainAt(t, nil, args...)
}

// runMainAt is runMain with the clock now (time.Now when nil).
func runMainAt(t *testing.T, now func() time.Time, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	m := &Main{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut, Now: now, Getenv: func(k string) string {
		switch k {
		case "USER":
			return "tester"
		case "LANG":
			return "en_US.UTF-8"
		}
		return ""
	}}
	code = m.Main(context.Background(), args)
	return code, out.String(), errOut.String()
}

// TestLedgerOfPullAndImport: a pull over a real pseudo-terminal, from a
// kiosk whose ring buffer lost its first records, then an import of the
// same kiosk's export, each leave one ledger line that agrees with the
// disk: the sequence numbers stored, the gap, the kiosk's counter, the
// key's fingerprint and the SHA-256 of every file written.
func TestLedgerOfPullAndImport(t *testing.T) {
	work := t.TempDir()
	key := testKey(t)
	h, err := pseudonym.Load(key)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(work, "store")
	cfg := sim.Config{Kiosk: "K05", RingFirst: 41, Log: sim.LogSpec{Seed: 3, Records: 300,
		Start: time.Date(2026, 2, 1, 0, 0, 0, 0, kiosklog.Location), Days: 30, Households: 40}}
	k := sim.New(cfg)
	port := serveKiosk(t, k)

	code, stdout, stderr := runMain(t, "pull", "-port", port, "-out", out, "-key", key, "-batch", "100", "-wait", "0", "-progress", "off")
	if code != 0 {
		t.Fatalf("pull exited %d\n%s%s", code, stdout, stderr)
	}
	var rows []usbexport.Row
	for _, r := range k.Records() {
		rows = append(rows, usbexport.Row{Kiosk: "K05", Epoch: k.Epoch(), Record: r})
	}
	var export bytes.Buffer
	if err := usbexport.Write(&export, rows, true); err != nil {
		t.Fatal(err)
	}
	stick := filepath.Join(work, "K05.csv")
	if err := os.WriteFile(stick, export.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(filepath.Join(out, "K05", kiosklog.PullFile))
	if err != nil {
		t.Fatal(err)
	}
	// An hour later: a stamp the import wrongly wrote would differ from the
	// pull's, though pull.yaml keeps whole seconds.
	later := func() time.Time { return time.Now().Add(time.Hour) }
	if code, stdout, stderr := runMainAt(t, later, "import", "-out", out, "-key", key, stick); code != 0 {
		t.Fatalf("import exited %d\n%s%s", code, stdout, stderr)
	}
	// The import brought nothing new: the site's 数据拉取于 stays the pull's.
	after, err := os.ReadFile(filepath.Join(out, "K05", kiosklog.PullFile))
	if err != nil {
		t.Fatal(err)
	}
	pb, _ := kiosklog.ParsePull(before, "before")
	pa, _ := kiosklog.ParsePull(after, "after")
	if !pa.LastPull.Equal(pb.LastPull) || pa.Source != "pull" {
		t.Errorf("re-import moved pull.yaml to last_pull %v (%s), want %v (pull)", pa.LastPull, pa.Source, pb.LastPull)
	}

	entries, err := kiosklog.ReadLedgerFile(os.DirFS(out), ".")
	if err != nil || len(entries) != 2 {
		t.Fatalf("ledger: %d entries, %v", len(entries), err)
	}
	pull, imp := entries[0], entries[1]
	if pull.Source != "pull" || pull.Status != "complete" || pull.Kiosk != "K05" || pull.Epoch != 1 || pull.Counter != 300 ||
		pull.New != 260 || pull.Duplicates != 0 || kiosklog.FormatSpans(pull.Stored) != "e1:41-300" ||
		kiosklog.FormatSpans(pull.Lost) != "e1:1-40" || pull.Fingerprint != h.Fingerprint() || !strings.HasPrefix(pull.Operator, "tester@") {
		t.Errorf("pull entry = %+v", pull)
	}
	if imp.Source != "import" || imp.Status != "complete" || imp.New != 0 || imp.Duplicates != 260 || len(imp.Stored) != 0 || imp.Epoch != 0 {
		t.Errorf("import entry = %+v", imp)
	}
	var paths []string
	for _, f := range pull.Files {
		paths = append(paths, f.Path)
	}
	if got := strings.Join(paths, " "); got != "K05/pull.yaml K05/e1-0000000041-0000000140.csv K05/e1-0000000141-0000000240.csv K05/e1-0000000241-0000000300.csv" {
		t.Errorf("pull entry files = %s, want pull.yaml and 3 batches", got)
	}
	for _, f := range pull.Files[1:] {
		data, err := os.ReadFile(filepath.Join(out, f.Path))
		sum := sha256.Sum256(data)
		if err != nil || hex.EncodeToString(sum[:]) != f.SHA256 {
			t.Errorf("%s: SHA-256 in the ledger %s, on disk %x (%v)", f.Path, f.SHA256, sum, err)
		}
	}

	code, stdout, stderr = runMain(t, "receipt", "-out", out, "-kiosk", "K05", "-last", "2")
	if code != 0 {
		t.Fatalf("receipt exited %d\n%s%s", code, stdout, stderr)
	}
	for _, want := range []string{"回收亭：K05（", "方式：数据线拉取    结果：完成", "本次存入：260 条  （纪元 1：#41-#300）",
		"丢失（回收亭已覆盖）：40 条  （纪元 1：#1-#40）", "密钥指纹：" + h.Fingerprint(), "回收亭日志：纪元 1，回收亭计数 300",
		"方式：U盘导入", "重复跳过：260 条", "K05/e1-0000000041-0000000140.csv         " + pull.Files[1].SHA256[:12], "拉取人签字："} {
		if !strings.Contains(stdout, want) {
			t.Errorf("receipt lacks %q:\n%s", want, stdout)
		}
	}
	if code, _, stderr := runMain(t, "receipt", "-out", out, "-kiosk", "K06"); code != ExitFailure || !strings.Contains(stderr, "no pull or import of kiosk K06") {
		t.Errorf("receipt for a kiosk never pulled: exit %d, %s", code, stderr)
	}
}

// TestReceiptGolden compares a receipt with testdata/receipt.golden
// (go test -run ReceiptGolden -update rewrites it).
func TestReceiptGolden(t *testing.T) {
	at := time.Date(2026, 12, 1, 10, 30, 5, 0, kiosklog.Location)
	var files []kiosklog.FileSum
	for i := range 14 {
		files = append(files, kiosklog.FileSum{Path: kiosklog.BatchFileName(2, uint64(i*100+1), uint64(i*100+100)), SHA256: strings.Repeat("0123456789abcdef", 4)})
	}
	entries := []kiosklog.LedgerEntry{
		{Time: at, Kiosk: "K01", Source: "pull", Operator: "zhang@office-laptop", Status: "complete", Epoch: 2, Counter: 3000,
			Stored: []kiosklog.Span{{Epoch: 1, From: 1, To: 500}, {Epoch: 2, From: 1001, To: 3000}}, New: 2500, Duplicates: 3, Quarantined: 1,
			Lost: []kiosklog.Span{{Epoch: 2, From: 501, To: 1000}}, Fingerprint: "0123456789abcdef", Files: files},
		{Time: at.Add(time.Hour), Kiosk: "K09", Source: "import", Operator: "li@office-laptop", Status: "incomplete", Duplicates: 120},
	}
	kiosks := []kiosklog.Kiosk{{ID: "K01", Compound: "玫瑰苑"}}
	var buf bytes.Buffer
	writeReceipt(&buf, entries, kiosks, "data/kiosk/ledger.csv")
	golden := filepath.Join("testdata", "receipt.golden")
	if *update {
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("receipt:\n%s\nwant (%s):\n%s", buf.Bytes(), golden, want)
	}
}
