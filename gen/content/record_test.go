package content

import (
	"bytes"
	"encoding/gob"
	"errors"
	"os"
	"reflect"
	"testing"
	"testing/fstest"
	"time"
)

// TestStoryRecord checks that a story kept as a record and read back, its
// body loaded again, is the story parsed from the file, for the example
// site's stories (corrections, editors' notes, covers, tags) and a few made
// here.
func TestStoryRecord(t *testing.T) {
	fsys := fstest.MapFS{}
	files, err := StoryFiles(os.DirFS("../.."))
	if err != nil || len(files) == 0 {
		t.Fatalf("example stories: %v, %d files", err, len(files))
	}
	for _, f := range files {
		src, err := os.ReadFile("../../" + f)
		if err != nil {
			t.Fatal(err)
		}
		fsys[f] = &fstest.MapFile{Data: src}
	}
	fsys["content/news/utc.md"] = &fstest.MapFile{Data: []byte("---\ntitle: 世界时\ndate: 2025-03-01T08:00:00Z\nsummary: s\n---\n正文\n")}
	fsys["content/news/offset.md"] = &fstest.MapFile{Data: []byte("---\ntitle: 别的时区\ndate: 2025-03-01T08:00:00+05:30\nsummary: s\n---\n")}
	fsys["content/news/empty.md"] = &fstest.MapFile{Data: []byte("---\ntitle: 无正文\ndate: 2025-03-01\nsummary: s\ntags: [a, b]\n---\n")}
	files, _ = StoryFiles(fsys)
	sawNotes, sawCorrections := false, false
	for _, f := range files {
		p := ReadStory(fsys, f)
		if len(p.Errs) > 0 {
			t.Fatalf("%s: %v", f, p.Errs)
		}
		want := p.Story
		sawNotes = sawNotes || len(want.Notes) > 0
		sawCorrections = sawCorrections || len(want.Corrections) > 0

		var buf bytes.Buffer
		if err := gob.NewEncoder(&buf).Encode(want.Record()); err != nil {
			t.Fatal(err)
		}
		var rec StoryRecord
		if err := gob.NewDecoder(&buf).Decode(&rec); err != nil {
			t.Fatal(err)
		}
		got, err := rec.Story()
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if got.Body != nil {
			t.Errorf("%s: a story from a record has its body before LoadBody", f)
		}
		if err := got.LoadBody(fsys); err != nil {
			t.Fatalf("%s: LoadBody: %v", f, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: read back as\n%#v\nwant\n%#v", f, got, want)
		}
		if got.Date.Format(time.RFC1123Z+" MST") != want.Date.Format(time.RFC1123Z+" MST") {
			t.Errorf("%s: date prints as %s, want %s", f, got.Date.Format(time.RFC1123Z+" MST"), want.Date.Format(time.RFC1123Z+" MST"))
		}
	}
	if !sawNotes || !sawCorrections {
		t.Fatalf("the example stories no longer have editors' notes (%v) and corrections (%v): the test covers less than it says", sawNotes, sawCorrections)
	}
}

// TestLoadBodyChanged checks that a story whose file changed since its
// record was made refuses to load a body that is not the record's.
func TestLoadBodyChanged(t *testing.T) {
	fsys := fstest.MapFS{"content/news/a.md": &fstest.MapFile{Data: []byte("---\ntitle: 甲\ndate: 2025-03-01\nsummary: s\n---\n旧的正文\n")}}
	p := ReadStory(fsys, "content/news/a.md")
	s, err := p.Story.Record().Story()
	if err != nil {
		t.Fatal(err)
	}
	fsys["content/news/a.md"].Data = []byte("---\ntitle: 甲\ndate: 2025-03-01\nsummary: s\n---\n新的正文\n")
	if err := s.LoadBody(fsys); !errors.Is(err, ErrChanged) {
		t.Fatalf("LoadBody after the file changed: %v, want ErrChanged", err)
	}
	if _, err := (StoryRecord{File: "x.md", Topics: []string{"t"}}).Story(); err == nil {
		t.Fatal("a record with topics and no topic lines was accepted")
	}
}
