package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gongjian/gen/kiosklog"
	"gongjian/kioskpull/pseudonym"
	"gongjian/kioskpull/sim"
	"gongjian/kioskpull/usbexport"
)

// TestPullAndImportProcesses: a pull and an import of the same kiosk run
// as two processes at once, as staff did when both "exited 0 and stored
// 9,000 rows for 5,000 records". The import waits for the pull's lock
// (or, told not to wait, refuses naming the pull), and the store ends up
// with every record of the kiosk exactly once, as the simulator has it.
func TestPullAndImportProcesses(t *testing.T) {
	bin, err := exec.LookPath("kioskpull")
	if err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	key := testKey(t)
	h, err := pseudonym.Load(key)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(work, "store")
	const n = 800
	cfg := sim.Config{Kiosk: "K09", Log: sim.LogSpec{Seed: 9, Records: n, Start: time.Date(2026, 3, 1, 0, 0, 0, 0, kiosklog.Location), Days: 30, Households: 80}, Baud: 115200}
	k := sim.New(cfg)
	var rows []usbexport.Row
	for _, r := range k.Records() {
		rows = append(rows, usbexport.Row{Kiosk: "K09", Epoch: 1, Record: r})
	}
	stick := filepath.Join(work, "stick.csv")
	f, err := os.Create(stick)
	if err != nil {
		t.Fatal(err)
	}
	if err := usbexport.Write(f, rows, false); err != nil {
		t.Fatal(err)
	}
	f.Close()

	port := serveKiosk(t, k)

	run := func(args ...string) *exec.Cmd {
		cmd := exec.Command(bin, args...)
		cmd.Env = append(os.Environ(), "LANG=en_US.UTF-8", "LC_ALL=", "LC_MESSAGES=")
		return cmd
	}
	pull := run("pull", "-port", port, "-out", out, "-key", key, "-batch", "100", "-wait", "0", "-timeout", "5s", "-progress", "off")
	var pullOut strings.Builder
	pull.Stdout, pull.Stderr = &pullOut, &pullOut
	if err := pull.Start(); err != nil {
		t.Fatal(err)
	}
	// Start the import once the pull holds the lock and has committed.
	deadline := time.Now().Add(15 * time.Second)
	for {
		if files, _ := filepath.Glob(filepath.Join(out, "K09", "e1-*.csv")); len(files) > 0 {
			break
		}
		if time.Now().After(deadline) {
			pull.Process.Kill()
			pull.Wait()
			t.Fatalf("the pull committed nothing in time:\n%s", pullOut.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	refused, err := run("import", "-out", out, "-key", key, "-lock-wait", "0s", stick).CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != ExitIncomplete || !strings.Contains(string(refused), "kioskpull pull -port "+port) {
		t.Errorf("import that may not wait: %v\n%s\nwant exit %d naming the pull", err, refused, ExitIncomplete)
	}
	imported, err := run("import", "-out", out, "-key", key, "-lock-wait", "30s", stick).CombinedOutput()
	if err != nil {
		t.Errorf("import that waits: %v\n%s", err, imported)
	}
	if err := pull.Wait(); err != nil {
		t.Errorf("pull: %v\n%s", err, pullOut.String())
	}
	t.Logf("pull:\n%s\nimport:\n%s", pullOut.String(), imported)

	got, err := kiosklog.ReadStore(os.DirFS(out), ".")
	if err != nil {
		t.Fatalf("store: %v", err)
	}
	if len(got) != n {
		t.Fatalf("store holds %d records, want %d", len(got), n)
	}
	for i, r := range got {
		w := rows[i].Record
		if r.Seq != w.Seq || r.Time.Unix() != w.Time || r.Card != h.Card(w.Card) || r.Category != w.Category || r.Grams != w.Grams || r.Points != w.Points {
			t.Fatalf("record %d = %+v, want %+v", i, r, w)
		}
	}
	if v, err := run("verify", "-out", out).CombinedOutput(); err != nil || !strings.Contains(string(v), "the store is sound") {
		t.Errorf("verify after both: %v\n%s", err, v)
	}
}
