package build

import (
	"context"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	"gongjian/gen/internal/corpus"
)

// discard is a Writer that keeps nothing, so that BenchmarkRender measures
// the CPU of a build without the disk.
type discard struct{ bytes atomic.Int64 }

func (d *discard) WriteFile(_ string, data []byte) error {
	d.bytes.Add(int64(len(data)))
	return nil
}

// benchSite writes a synthetic site of n stories with the default theme.
func benchSite(b *testing.B, n int) string {
	dir := b.TempDir()
	if err := corpus.Write(dir, n); err != nil {
		b.Fatal(err)
	}
	if err := corpus.CopyDir("../../themes/default", filepath.Join(dir, "themes", "default")); err != nil {
		b.Fatal(err)
	}
	return dir
}

// BenchmarkRender loads and renders a synthetic site of 2,000 stories into
// memory, the CPU side of gen build; make bench-site measures the whole
// command on disk.
func BenchmarkRender(b *testing.B) {
	dir := benchSite(b, 2000)
	ctx := context.Background()
	var out int64
	for b.Loop() {
		s, err := Load(ctx, os.DirFS(dir), Options{Src: dir, CacheDir: b.TempDir()})
		if err != nil {
			b.Fatal(err)
		}
		s.oneShot = true
		var w discard
		if _, err := s.Render(ctx, &w); err != nil {
			b.Fatal(err)
		}
		out = w.bytes.Load()
	}
	b.ReportMetric(float64(out)/1e6, "MB/build")
}
