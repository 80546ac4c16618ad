package pipeline

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"gongjian/gen/content"
	"gongjian/gen/search"
	"gongjian/gen/site"
)

// TestChangedSince checks that the stamps of the source files tell every
// kind of change, and that a file written close to the moment of the
// stamps counts as changed.
func TestChangedSince(t *testing.T) {
	src := t.TempDir()
	write := func(rel, data string) {
		t.Helper()
		p := filepath.Join(src, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{"content/news/a.md", "content/news/b.md", "content/news/c.md", "content/news/d.md", "data/x.csv", "themes/default/x.html", "content/news/e.md"} {
		write(f, "0123456789")
	}
	if err := os.Symlink("a.md", filepath.Join(src, "content/news/link.md")); err != nil {
		t.Fatal(err)
	}
	write("elsewhere/ignored.txt", "not a source")
	old, err := stampSources(src)
	if err != nil {
		t.Fatal(err)
	}
	later := time.Now().Add(time.Hour).UnixNano() // nothing is close to it
	// Nothing changed is an empty list, not nil, which would make the
	// build read every story again.
	if got := changedSince(old, old, later); got == nil || len(got) != 0 {
		t.Fatalf("no change: %v", got)
	}
	if _, ok := old["elsewhere/ignored.txt"]; ok {
		t.Error("a file outside content/, data/ and themes/ was stamped")
	}

	// Same size, mtime set back to what it was: the change time tells.
	p := filepath.Join(src, "content/news/b.md")
	fi, _ := os.Stat(p)
	write("content/news/b.md", "9876543210")
	os.Chtimes(p, fi.ModTime(), fi.ModTime())
	write("content/news/c.md", "longer than before") // size
	os.Remove(filepath.Join(src, "content/news/d.md"))
	write("content/news/new.md", "x")
	os.Rename(filepath.Join(src, "data/x.csv"), filepath.Join(src, "data/y.csv"))
	os.Remove(filepath.Join(src, "content/news/link.md"))
	os.Symlink("e.md", filepath.Join(src, "content/news/link.md")) // same size target, another file
	now, err := stampSources(src)
	if err != nil {
		t.Fatal(err)
	}
	got := changedSince(old, now, later)
	want := []string{"content/news", "content/news/b.md", "content/news/c.md", "content/news/d.md", "content/news/link.md", "content/news/new.md", "data", "data/x.csv", "data/y.csv"}
	// A folder's stamp is only that it is one; what is in it is listed.
	want = slices.DeleteFunc(want, func(s string) bool { return s == "content/news" || s == "data" })
	if !slices.Equal(got, want) {
		t.Errorf("changed:\n%q\nwant\n%q", got, want)
	}

	// Stamps taken just now: every file written in the last moments
	// counts as changed, though its stamp is the same.
	racy := changedSince(now, now, time.Now().UnixNano())
	files := 0
	for p := range now {
		if !strings.HasSuffix(p, "/") {
			files++
		}
	}
	if len(racy) != files {
		t.Errorf("files written just before the stamps: %d counted as changed, want all %d files", len(racy), files)
	}

	// A symbolic link to a folder hides what changes in it: no stamps.
	if err := os.Symlink("../data", filepath.Join(src, "content/linked")); err != nil {
		t.Fatal(err)
	}
	if _, err := stampSources(src); err != errNoStamps {
		t.Errorf("a link to a folder: %v, want errNoStamps", err)
	}
}

func sampleRecord() *record {
	return &record{
		Gen: "abc", Heap: 96 << 20, Scanned: 123456789, Outside: map[string]uint64{"*history.Feature": 7},
		Stamps: map[string]stamp{"content/news/a.md": {Size: 10, Mod: 5, Ctime: 6, Ino: 7, Mode: 0o644}, "content/": {Mode: uint32(1 << 31)}, "themes/l": {Link: "x"}},
		Stories: []content.StoryRecord{{File: "content/news/a.md", Slug: "a", Title: "甲", Date: content.Instant{Nanos: 1, Zone: "CST", Offset: 28800, Set: true},
			Topics: []string{"river"}, TopicLines: []int{3}, Tags: []string{"x", "y"}, TagLines: []int{4, 5}, Draft: true,
			Corrections: []content.CorrectionRecord{{Text: "改", Line: 9}}, Notes: []content.NoteRecord{{File: "content/news/a.md", Line: 2, Msg: "待核实"}}, Hash: 1 << 63, FrontHash: 2}},
		Pages:   map[string]*pageState{"index.html": {fp: 9, keys: []string{"content/news/a.md"}, reads: site.Reads{"data/x.csv": 3}}, "404.html": {fp: 1}},
		Sums:    map[string]uint64{"index.html": 1, "css/site.css": 2},
		Outputs: []string{"index.html", "404.html"},
		Files:   []string{"404.html", "css/site.css", "index.html"},
		Theme:   4, Site: 5, Lang: "zh-CN",
		Photos:    []string{"img/a.jpg"},
		Index:     []string{"search/meta.json"},
		IndexMemo: []byte("gjsearch1\n memory"),
		Docs:      77,
		Features:  map[string][]byte{"*search.Feature": []byte("docs"), "*albums.Feature": nil, "big": bytes.Repeat([]byte("长"), 30<<10)},
		keep:      []namedKeeper{{"*search.Feature", bytesKeeper("docs")}, {"*albums.Feature", bytesKeeper(nil)}, {"big", bytesKeeper(bytes.Repeat([]byte("长"), 30<<10))}},
	}
}

// bytesKeeper keeps its bytes, written in pieces as a bufio.Writer
// would: the record holds them as one byte string all the same.
type bytesKeeper []byte

func (b bytesKeeper) Keep(w io.Writer) error {
	for len(b) > 0 {
		n := min(len(b), 4093)
		if _, err := w.Write(b[:n]); err != nil {
			return err
		}
		b = b[n:]
	}
	return nil
}

func (b bytesKeeper) Resume(context.Context, []byte) error { return nil }

// failingKeeper writes some of its state, then fails.
type failingKeeper struct{}

func (failingKeeper) Keep(w io.Writer) error {
	if _, err := w.Write([]byte("half a state")); err != nil {
		return err
	}
	return errors.New("disk of the feature's state is gone")
}

func (failingKeeper) Resume(context.Context, []byte) error { return nil }

// TestRecordKeepFails: a feature that cannot keep its state, after
// writing part of it, makes no record, and the one there was stays.
func TestRecordKeepFails(t *testing.T) {
	opt := Options{Src: t.TempDir(), CacheDir: t.TempDir()}.withDefaults()
	if err := saveRecord(opt, sampleRecord()); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(recordFile(opt))
	if err != nil {
		t.Fatal(err)
	}
	rec := sampleRecord()
	rec.keep = append(rec.keep, namedKeeper{"fails", failingKeeper{}})
	if err := saveRecord(opt, rec); err == nil || !strings.Contains(err.Error(), "fails: disk of the feature's state is gone") {
		t.Fatalf("saving a state that could not be kept: %v", err)
	}
	after, err := os.ReadFile(recordFile(opt))
	if err != nil || !bytes.Equal(after, before) {
		t.Fatalf("the record there was is not as it was (%v)", err)
	}
	if left, _ := filepath.Glob(filepath.Join(recordDir(opt), ".record-*")); len(left) > 0 {
		t.Errorf("left behind: %v", left)
	}
}

// TestRecordRoundTrip checks that a record saved and loaded is the same,
// and that every cut of the file is refused.
func TestRecordRoundTrip(t *testing.T) {
	opt := Options{Src: t.TempDir(), CacheDir: t.TempDir()}.withDefaults()
	want := sampleRecord()
	if err := saveRecord(opt, want); err != nil {
		t.Fatal(err)
	}
	got, release, why := loadRecord(opt)
	if got == nil {
		t.Fatalf("load: %s", why)
	}
	defer release()
	want.keep = nil
	// The stories made from the records are those records.
	if len(got.stories) != len(want.Stories) {
		t.Fatalf("%d stories made from %d records", len(got.stories), len(want.Stories))
	}
	for i, st := range got.stories {
		if r := st.Record(); !reflect.DeepEqual(r, want.Stories[i]) {
			t.Errorf("story made from record %d: its record is\n%#v\nwant\n%#v", i, r, want.Stories[i])
		}
	}
	got.stories = nil
	if !reflect.DeepEqual(got, want) {
		t.Errorf("loaded\n%#v\nwant\n%#v", got, want)
	}
	b, err := os.ReadFile(recordFile(opt))
	if err != nil {
		t.Fatal(err)
	}
	// Every cut in the first bytes, then one every 997 (the features' state
	// spans more than one of the encoder's chunks).
	for i := 0; i < len(b); i += max(1, i/300*997) {
		os.WriteFile(recordFile(opt), b[:i], 0o600)
		if rec, _, _ := loadRecord(opt); rec != nil {
			t.Fatalf("a record cut to %d of %d bytes was loaded", i, len(b))
		}
	}
}

// FuzzRecordPayload: a payload with a valid checksum but damaged content
// (a record file is outside input: anything may be written there) is
// refused, never a panic or a huge allocation.
func FuzzRecordPayload(f *testing.F) {
	var buf bytes.Buffer
	w := bufio.NewWriter(&buf)
	e := newRecordWriter(w)
	rec := sampleRecord()
	rec.encodeHead(e)
	rec.encodeTail(e)
	e.encodeEnd("gen", 1<<20)
	if err := e.end(); err != nil {
		f.Fatal(err)
	}
	w.Flush()
	// The seed is a whole payload, which decodes.
	if rec, err := (&recordReader{b: bytes.Clone(buf.Bytes())}).record(); err != nil || rec.Gen != "gen" || rec.Heap != 1<<20 {
		f.Fatalf("the seed decodes to %+v, %v", rec, err)
	}
	f.Add(buf.Bytes())
	f.Add([]byte{0, 0, 0xff, 0xff, 0xff, 0xff, 0x0f})
	f.Fuzz(func(t *testing.T, b []byte) {
		// A record is decoded where it lies, mapped read only
		// (loadRecord): the reader must not write to it.
		was := bytes.Clone(b)
		_, _ = (&recordReader{b: b}).record()
		if !bytes.Equal(b, was) {
			t.Fatal("decoding wrote to the record")
		}
	})
}

// TestRecordIndexMemory: the search Writer's memory, streamed into the
// record, loads as its encoding and is taken up by a new Writer.
func TestRecordIndexMemory(t *testing.T) {
	opt := Options{Src: t.TempDir(), CacheDir: t.TempDir()}.withDefaults()
	docs := []search.Doc{
		{URL: "/news/a/", Title: "河道整治", Kind: "story", Text: "河道整治工程完工", Date: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)},
		{URL: "/news/b/", Title: "垃圾分类", Kind: "story", Text: "回收亭称重积分", Date: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)},
	}
	var w search.Writer
	if err := w.Write(docs, func(search.File) error { return nil }); err != nil {
		t.Fatal(err)
	}
	rec := sampleRecord()
	mem := w.Memory()
	rec.indexMemo, rec.IndexMemo = &mem, nil
	if err := saveRecord(opt, rec); err != nil {
		t.Fatal(err)
	}
	got, release, why := loadRecord(opt)
	if got == nil {
		t.Fatalf("load: %s", why)
	}
	defer release()
	want := mem.Bytes()
	if len(want) < 100 || !bytes.Equal(got.IndexMemo, want) {
		t.Fatalf("loaded %d bytes of memory, want its %d-byte encoding", len(got.IndexMemo), len(want))
	}
	var again search.Writer
	if err := again.Recall(got.IndexMemo); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again.Memory().Bytes(), want) {
		t.Error("the memory recalled from the record encodes otherwise")
	}
}

// TestPruneRecords: the cache folder keeps the newest records only.
func TestPruneRecords(t *testing.T) {
	dir := t.TempDir()
	now := time.Now()
	for i := range keptRecords + 3 {
		f := filepath.Join(dir, fmt.Sprintf("record-%02d", i))
		os.WriteFile(f, nil, 0o600)
		os.Chtimes(f, now, now.Add(time.Duration(i)*time.Minute))
	}
	os.WriteFile(filepath.Join(dir, "lock"), nil, 0o600)
	pruneRecords(dir)
	left, _ := filepath.Glob(filepath.Join(dir, "*"))
	var names []string
	for _, f := range left {
		names = append(names, filepath.Base(f))
	}
	want := []string{"lock", "record-03", "record-04", "record-05", "record-06"}
	if !slices.Equal(names, want) {
		t.Errorf("left %v, want %v", names, want)
	}
}

// BenchmarkExeHash times how a build names the gen running it when its
// build information does not pin the code (exeHash), beside the same read
// hashed with SHA-256.
func BenchmarkExeHash(b *testing.B) {
	b.Run("xxhash", func(b *testing.B) {
		for b.Loop() {
			if _, err := exeHash(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("sha256", func(b *testing.B) {
		exe, err := os.Executable()
		if err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			f, err := os.Open(exe)
			if err != nil {
				b.Fatal(err)
			}
			h := sha256.New()
			_, err = io.Copy(h, f)
			f.Close()
			if err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestRecordWriterChunks: what a recordWriter writes through its chunks is
// what was encoded, in order, with the length and CRC-32C of all of it,
// for payloads smaller than a chunk and of many chunks, strings and bytes
// crossing chunk boundaries; a writer that fails makes end fail.
func TestRecordWriterChunks(t *testing.T) {
	for _, n := range []int{0, 1, 1000, recordChunk - 1, recordChunk, 5*recordChunk + 17} {
		var want bytes.Buffer
		var got bytes.Buffer
		e := newRecordWriter(&got)
		for i := 0; want.Len() < n; i++ {
			s := strings.Repeat("河", i%700)
			want.Write(binary.AppendUvarint(nil, uint64(len(s))))
			want.WriteString(s)
			e.str(s)
			b := bytes.Repeat([]byte{byte(i)}, i%3000)
			want.Write(binary.AppendUvarint(nil, uint64(len(b))))
			want.Write(b)
			e.bytes(b)
		}
		if err := e.end(); err != nil {
			t.Fatalf("%d bytes: %v", n, err)
		}
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Fatalf("%d bytes: wrote %d bytes that differ from the %d encoded", n, got.Len(), want.Len())
		}
		if e.n != int64(want.Len()) || e.sum != crc32.Checksum(want.Bytes(), castagnoli) {
			t.Errorf("%d bytes: n %d, sum %#x; want %d, %#x", n, e.n, e.sum, want.Len(), crc32.Checksum(want.Bytes(), castagnoli))
		}
	}
	e := newRecordWriter(failingWriter{})
	e.bytes(make([]byte, 3*recordChunk))
	if err := e.end(); err == nil {
		t.Error("end after a failed write: no error")
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

// TestPendingRecordGivenUp: a record given up after its head, or finished
// before it was complete, leaves nothing in the cache folder, and an
// earlier record stays.
func TestPendingRecordGivenUp(t *testing.T) {
	opt := Options{Src: t.TempDir(), CacheDir: t.TempDir()}.withDefaults()
	want := sampleRecord()
	if err := saveRecord(opt, want); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(recordFile(opt))
	if err != nil {
		t.Fatal(err)
	}
	other := sampleRecord()
	other.Gen, other.Lang = "later", "en"
	p := startRecord(opt, func() *record { return other })
	p.abort()
	p = startRecord(opt, func() *record { return other })
	if err := p.finish("later", 0); err == nil {
		t.Error("a record finished before it was complete: no error")
	}
	entries, err := os.ReadDir(recordDir(opt))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if len(names) != 1 || names[0] != filepath.Base(recordFile(opt)) {
		t.Errorf("cache folder holds %q, want only the earlier record", names)
	}
	if after, _ := os.ReadFile(recordFile(opt)); !bytes.Equal(after, before) {
		t.Error("the earlier record changed")
	}
}

// TestRecordSums: the sums of the output files round-trip whether they
// are those of the files listed (written in their order) or not (written
// as a map).
func TestRecordSums(t *testing.T) {
	files := []string{"404.html", "css/site.css", "index.html"}
	for _, tc := range []struct {
		name  string
		sums  map[string]uint64
		order bool
	}{
		{"every file", map[string]uint64{"404.html": 3, "css/site.css": 2, "index.html": 1}, true},
		{"one file without", map[string]uint64{"css/site.css": 2, "index.html": 1}, false},
		{"one not listed", map[string]uint64{"404.html": 3, "css/site.css": 2, "feed.xml": 1}, false},
		{"more than listed", map[string]uint64{"404.html": 3, "css/site.css": 2, "index.html": 1, "feed.xml": 4}, false},
		{"none", map[string]uint64{}, false},
	} {
		var buf bytes.Buffer
		e := newRecordWriter(&buf)
		encodeSums(e, files, tc.sums)
		if err := e.end(); err != nil {
			t.Fatal(err)
		}
		if inOrder := buf.Bytes()[0] == 1; inOrder != tc.order {
			t.Errorf("%s: written in the order of the files: %v, want %v", tc.name, inOrder, tc.order)
		}
		d := &recordReader{b: buf.Bytes()}
		got := d.sums(files)
		if d.err != nil || len(d.b) != 0 || !maps.Equal(got, tc.sums) {
			t.Errorf("%s: read back %v (%v, %d bytes left), want %v", tc.name, got, d.err, len(d.b), tc.sums)
		}
	}
}
