package pipeline

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sync/atomic"
	"testing"

	"gongjian/gen/internal/corpus"
	"gongjian/gen/internal/cputime"
	"gongjian/gen/internal/dirfs"
	"gongjian/gen/site"
)

// discard is a Writer that keeps nothing, so that BenchmarkRender measures
// the CPU of a build without the disk.
type discard struct{ bytes atomic.Int64 }

func (d *discard) WriteFile(_ string, data []byte) error {
	d.bytes.Add(int64(len(data)))
	return nil
}

// benchSite writes a synthetic site of n stories with the default theme.
func benchSite(b testing.TB, n int) string {
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
	for _, interpret := range []bool{false, true} {
		name := "compiled"
		if interpret {
			name = "interpreted"
		}
		b.Run(name, func(b *testing.B) { benchRender(b, interpret) })
	}
}

func benchRender(b *testing.B, interpret bool) {
	dir := benchSite(b, 2000)
	ctx := context.Background()
	var out int64
	for b.Loop() {
		s, err := Load(ctx, os.DirFS(dir), Options{Src: dir, CacheDir: b.TempDir(), Interpret: interpret})
		if err != nil {
			b.Fatal(err)
		}
		var w discard
		if _, err := s.Render(ctx, &w); err != nil {
			b.Fatal(err)
		}
		out = w.bytes.Load()
	}
	b.ReportMetric(float64(out)/1e6, "MB/build")
}

// BenchmarkSessionEdit times what gen serve does after a story is saved:
// Session.Update for one changed story of a 10,000-story site (make
// bench-serve measures the whole path, from the write to the browser's
// reload event).
func BenchmarkSessionEdit(b *testing.B) {
	dir := benchSite(b, 10000)
	ss := NewSession(dirfs.New(dir), Options{Src: dir, CacheDir: b.TempDir()})
	ctx := context.Background()
	if _, err := ss.Update(ctx, nil); err != nil {
		b.Fatal(err)
	}
	const story = "content/news/story-00042.md"
	src, err := os.ReadFile(filepath.Join(dir, story))
	if err != nil {
		b.Fatal(err)
	}
	n := 0
	for b.Loop() {
		n++
		edited := append(slices.Clip(src), fmt.Sprintf("\n第%d次修改。\n", n)...)
		if err := os.WriteFile(filepath.Join(dir, story), edited, 0o644); err != nil {
			b.Fatal(err)
		}
		res, err := ss.Update(ctx, []string{story})
		if err != nil {
			b.Fatal(err)
		}
		if res.Files["news/story-00042/index.html"] == nil {
			b.Fatal("the edited story was not rendered again")
		}
	}
}

// BenchmarkFingerprints times the fingerprints of every page of a
// 10,000-story site, which Session.Update takes after any change.
func BenchmarkFingerprints(b *testing.B) {
	dir := benchSite(b, 10000)
	ss := NewSession(dirfs.New(dir), Options{Src: dir, CacheDir: b.TempDir()})
	if _, err := ss.Update(context.Background(), nil); err != nil {
		b.Fatal(err)
	}
	pages := ss.plan.Pages
	b.ReportAllocs()
	for b.Loop() {
		for _, p := range pages {
			site.Fingerprint(p)
		}
	}
}

// BenchmarkPlan plans a 10,000-story site from its model, as every update
// that is not of stories' bodies alone does, and every build from a
// record.
func BenchmarkPlan(b *testing.B) {
	dir := benchSite(b, 10000)
	ss := NewSession(dirfs.New(dir), Options{Src: dir, CacheDir: b.TempDir()})
	if _, err := ss.Update(context.Background(), nil); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		ss.e.planAside(ss.model)()
	}
}

// BenchmarkStamps stamps the sources of a 10,000-story site, as every
// build that keeps a record does, on another core while it reads the
// record.
func BenchmarkStamps(b *testing.B) {
	dir := benchSite(b, 10000)
	b.ReportAllocs()
	start := cputime.Now()
	for b.Loop() {
		if _, err := stampSources(dir); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(cputime.Since(start).Microseconds())/1000/float64(b.N), "cpu-ms/op")
}

// BenchmarkRecordEncode encodes the record of a build of 10,000 stories,
// which gen build writes after the last page, while the output folder is
// put in place.
func BenchmarkRecordEncode(b *testing.B) {
	dir := benchSite(b, 10000)
	ss := NewSession(dirfs.New(dir), Options{Src: dir, CacheDir: b.TempDir()})
	if _, err := ss.Update(context.Background(), nil); err != nil {
		b.Fatal(err)
	}
	var size int64
	b.ReportAllocs()
	for b.Loop() {
		e := newRecordWriter(io.Discard)
		rec := ss.record()
		ss.recordTail(rec, nil, nil)
		rec.encodeHead(e)
		rec.encodeTail(e)
		if err := e.end(); err != nil {
			b.Fatal(err)
		}
		size = e.n
	}
	b.ReportMetric(float64(size)/(1<<20), "MiB/record")
}
