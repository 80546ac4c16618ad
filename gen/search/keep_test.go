package search

import (
	"bytes"
	"context"
	"reflect"
	"testing"
	"time"
)

func TestKeepResume(t *testing.T) {
	zone := time.FixedZone("CST", 8*3600)
	f := NewFeature()
	f.all = map[string]Doc{
		"/news/a/":   {URL: "/news/a/", Title: "甲", Kind: "story", Summary: "摘要", Text: "正文\n第二行", Tags: []string{"垃圾分类", "志愿者"}, Date: time.Date(2025, 3, 1, 0, 0, 0, 0, zone)},
		"/topics/b/": {URL: "/topics/b/", Title: "乙", Kind: "topic"},
		"/news/c/":   {URL: "/news/c/", Title: "", Kind: "story", Text: string([]byte{0, 1, 2}), Date: time.Date(2024, 12, 31, 23, 0, 0, 0, time.UTC)},
	}
	var buf bytes.Buffer
	if err := f.Keep(&buf); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	g := NewFeature()
	if err := g.Resume(context.Background(), data); err != nil {
		t.Fatal(err)
	}
	if len(g.all) != len(f.all) {
		t.Fatalf("resumed %d documents, want %d", len(g.all), len(f.all))
	}
	for u, want := range f.all {
		got := g.all[u]
		if !got.Date.Equal(want.Date) || got.Date.Format(time.RFC3339) != want.Date.Format(time.RFC3339) {
			t.Errorf("%s: date %v, want %v", u, got.Date, want.Date)
		}
		got.Date, want.Date = time.Time{}, time.Time{}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %#v, want %#v", u, got, want)
		}
	}
	for i := range data {
		if err := g.Resume(context.Background(), data[:i]); err == nil {
			t.Fatalf("cut to %d of %d bytes: no error", i, len(data))
		}
	}
}

// FuzzResume: damaged kept text is refused, never a panic or a huge
// allocation.
func FuzzResume(f *testing.F) {
	ft := NewFeature()
	ft.all = map[string]Doc{"/a/": {URL: "/a/", Title: "甲", Tags: []string{"x"}}}
	var buf bytes.Buffer
	ft.Keep(&buf)
	f.Add(buf.Bytes())
	f.Add([]byte(keptMagic + "\x00\xff\xff\xff\xff\x0f"))
	f.Fuzz(func(t *testing.T, b []byte) {
		g := NewFeature()
		_ = g.Resume(context.Background(), b)
	})
}
