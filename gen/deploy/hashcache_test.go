package deploy

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

func TestScanHashCache(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the hash cache needs change times, read on Linux only")
	}
	ctx := context.Background()
	dir := writeSite(t, site)
	cache := filepath.Join(t.TempDir(), "deploy-hashes.json")
	first, cached, err := Scan(ctx, dir, cache)
	if err != nil || cached != 0 {
		t.Fatalf("first scan: %d cached, %v; want 0", cached, err)
	}
	again, cached, err := Scan(ctx, dir, cache)
	if err != nil || cached != len(site) {
		t.Fatalf("second scan: %d cached, %v; want %d", cached, err, len(site))
	}
	for i := range first {
		if first[i] != again[i] {
			t.Errorf("cached %+v, want %+v", again[i], first[i])
		}
	}
	// Same size, modification time set back: the change time still moves.
	p := filepath.Join(dir, "news/a/index.html")
	fi, _ := os.Stat(p)
	// The kernel stamps change times from a clock that ticks every few
	// milliseconds: wait past one tick so that the write gets a new one.
	time.Sleep(10 * time.Millisecond)
	b, _ := os.ReadFile(p)
	b[len(b)-1] ^= 1
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	os.Chtimes(p, fi.ModTime(), fi.ModTime())
	third, cached, err := Scan(ctx, dir, cache)
	if err != nil || cached != len(site)-1 {
		t.Fatalf("scan after an edit: %d cached, %v; want %d", cached, err, len(site)-1)
	}
	for i, f := range third {
		if f.Key == "news/a/index.html" && f.SHA256 == first[i].SHA256 {
			t.Error("an edited file with its old size and time kept its old hash")
		}
	}
	// A damaged cache is an empty one.
	os.WriteFile(cache, []byte("{"), 0o644)
	if _, cached, err := Scan(ctx, dir, cache); err != nil || cached != 0 {
		t.Errorf("scan with a damaged cache: %d cached, %v; want 0", cached, err)
	}
}
