package photo

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestStatIndexSkipsUnchangedFiles(t *testing.T) {
	src := t.TempDir()
	cache := t.TempDir()
	old := time.Now().Add(-time.Hour)
	var jobs []Job
	fsys := os.DirFS(src)
	for i := range 4 {
		name := string(rune('a'+i)) + ".jpg"
		if err := os.WriteFile(filepath.Join(src, name), storedJPEG(t, 40+8*i, 30, 1), 0o644); err != nil {
			t.Fatal(err)
		}
		os.Chtimes(filepath.Join(src, name), old, old)
		jobs = append(jobs, Job{FS: fsys, Path: name})
	}
	run := func() Stats {
		t.Helper()
		p := NewProcessor(cache, smallOptions())
		if _, errs := p.ProcessAll(context.Background(), jobs); errs != nil {
			t.Fatal(errs)
		}
		return p.Stats()
	}
	if s := run(); s.Hashed != 4 || s.Decoded != 4 {
		t.Errorf("cold: %+v, want 4 hashed and decoded", s)
	}
	if s := run(); s.Hashed != 0 || s.Decoded != 0 || s.Hits != 4 {
		t.Errorf("warm: %+v, want nothing hashed or decoded, 4 hits", s)
	}

	// An edited file is read again, even with the same size.
	data, _ := os.ReadFile(filepath.Join(src, "b.jpg"))
	edited := storedJPEG(t, 48, 30, 3)
	edited = append(edited, make([]byte, max(0, len(data)-len(edited)))...)
	if len(edited) != len(data) {
		t.Skipf("could not make an edit of the same size (%d vs %d bytes)", len(edited), len(data))
	}
	os.WriteFile(filepath.Join(src, "b.jpg"), edited, 0o644)
	later := old.Add(time.Minute)
	os.Chtimes(filepath.Join(src, "b.jpg"), later, later)
	if s := run(); s.Hashed != 1 || s.Decoded != 1 || s.Hits != 3 {
		t.Errorf("after an edit: %+v, want 1 hashed and decoded, 3 hits", s)
	}

	// A file modified just now is not trusted to its time stamp.
	os.Chtimes(filepath.Join(src, "c.jpg"), time.Now(), time.Now())
	run()
	if s := run(); s.Hashed != 1 || s.Decoded != 0 {
		t.Errorf("racy file: %+v, want it hashed again each run, never decoded", s)
	}

	// A damaged index is ignored.
	os.WriteFile(filepath.Join(cache, "stat-index.json"), []byte("{garbage"), 0o644)
	if s := run(); s.Hashed != 4 || s.Decoded != 0 || s.Hits != 4 {
		t.Errorf("damaged index: %+v, want 4 hashed, 4 hits", s)
	}
}
