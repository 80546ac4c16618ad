package puller_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gongjian/kioskpull/sim"
	"gongjian/kioskpull/store"
	"gongjian/kioskpull/usbexport"
)

func exportFile(t *testing.T, k *sim.Kiosk, name string, chinese bool) {
	t.Helper()
	var rows []usbexport.Row
	for _, r := range k.Records() {
		rows = append(rows, usbexport.Row{Kiosk: "K01", Epoch: k.Epoch(), Record: r})
	}
	f, err := os.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := usbexport.Write(f, rows, chinese); err != nil {
		t.Fatal(err)
	}
}

// TestImportAfterPull: a USB-stick export of what was already pulled adds
// nothing; an export made after more deposits adds only those.
func TestImportAfterPull(t *testing.T) {
	dir := t.TempDir()
	st, _ := store.Open(dir)
	k := sim.New(kioskCfg(300))
	path, _ := servePTY(t, k)
	if _, err := pullPath(t, testConfig(t, st), path); err != nil {
		t.Fatal(err)
	}
	stick := t.TempDir()
	exportFile(t, k, filepath.Join(stick, "K01-gb18030.csv"), true)
	exportFile(t, k, filepath.Join(stick, "K01-utf8.csv"), false)
	files, err := usbexport.Files(stick)
	if err != nil || len(files) != 2 {
		t.Fatalf("Files = %v, %v", files, err)
	}
	sum, err := usbexport.Import(context.Background(), st, hasher(t).Card, files, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if sum.New != 0 || sum.Duplicates != 600 || sum.Files != 2 {
		t.Errorf("import after pull: %+v", sum)
	}
	checkStore(t, dir, expected(t, k, 1))
}

func TestImportThenPull(t *testing.T) {
	dir := t.TempDir()
	st, _ := store.Open(dir)
	k := sim.New(kioskCfg(300))
	stick := filepath.Join(t.TempDir(), "export.csv")
	exportFile(t, k, stick, true)
	sum, err := usbexport.Import(context.Background(), st, hasher(t).Card, []string{stick}, time.Now())
	if err != nil || sum.New != 300 {
		t.Fatalf("import: %+v, %v", sum, err)
	}
	path, _ := servePTY(t, k)
	ps, err := pullPath(t, testConfig(t, st), path)
	if err != nil || ps.New != 0 || !ps.Complete {
		t.Errorf("pull after import: %+v, %v", ps, err)
	}
	checkStore(t, dir, expected(t, k, 1))
}

func TestImportRefusesDamagedFile(t *testing.T) {
	dir := t.TempDir()
	st, _ := store.Open(dir)
	k := sim.New(kioskCfg(50))
	name := filepath.Join(t.TempDir(), "export.csv")
	exportFile(t, k, name, false)
	data, _ := os.ReadFile(name)
	lines := strings.Split(string(data), "\n")
	f := strings.Split(lines[5], ",")
	f[6] = "9999" // grams changed on the stick
	lines[5] = strings.Join(f, ",")
	os.WriteFile(name, []byte(strings.Join(lines, "\n")), 0o644)
	sum, err := usbexport.Import(context.Background(), st, hasher(t).Card, []string{name}, time.Now())
	if err == nil || !strings.Contains(err.Error(), name+":6: checksum mismatch") {
		t.Errorf("import of a damaged file: error %v", err)
	}
	if sum.New != 0 || sum.Rejected != 1 {
		t.Errorf("import of a damaged file: %+v", sum)
	}
	if strings.Contains(err.Error(), k.Records()[4].Card) {
		t.Errorf("error message leaks a card number: %v", err)
	}
}
