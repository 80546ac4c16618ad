package search

import (
	"bytes"
	"context"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/cespare/xxhash/v2"

	"gongjian/gen/content"
	"gongjian/gen/site"
)

func TestKeepResume(t *testing.T) {
	zone := time.FixedZone("CST", 8*3600)
	f := NewFeature()
	f.all = keptDocs(map[string]Doc{
		"/news/a/":   {URL: "/news/a/", Title: "甲", Kind: "story", Summary: "摘要", Text: "正文\n第二行", Tags: []string{"垃圾分类", "志愿者"}, Date: time.Date(2025, 3, 1, 0, 0, 0, 0, zone)},
		"/topics/b/": {URL: "/topics/b/", Title: "乙", Kind: "topic"},
		"/news/c/":   {URL: "/news/c/", Title: "", Kind: "story", Text: string([]byte{0, 1, 2}), Date: time.Date(2024, 12, 31, 23, 0, 0, 0, time.UTC)},
	})
	// Every field of a Doc is set in the first document, so that a field
	// added to Doc and left out of writeDoc fails the round trip below (and
	// would leave Sum blind to it).
	// (packed is the other form of Text.)
	v := reflect.ValueOf(f.all["/news/a/"].Doc)
	for i := range v.NumField() {
		if v.Field(i).IsZero() && v.Type().Field(i).IsExported() {
			t.Fatalf("the test's first document leaves Doc.%s unset", v.Type().Field(i).Name)
		}
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
	for u, kept := range f.all {
		got, want := g.all[u].Doc, kept.Doc
		if g.all[u].key != kept.key {
			t.Errorf("%s: resumed with the key %x, want %x", u, g.all[u].key, kept.key)
		}
		if got.packed == nil {
			t.Errorf("%s: resumed with its text not packed", u)
		}
		got.Text, got.packed = got.unpacked(), nil
		if !got.Date.Equal(want.Date) || got.Date.Format(time.RFC3339) != want.Date.Format(time.RFC3339) {
			t.Errorf("%s: date %v, want %v", u, got.Date, want.Date)
		}
		got.Date, want.Date = time.Time{}, time.Time{}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %#v, want %#v", u, got, want)
		}
	}
	// Sum tells documents apart by every field, and is the same for the
	// same documents.
	// The keys resumed are those Key takes of the resumed documents.
	keyed := g.Keyed()
	docs := keyed.Docs
	if want := Key(docs).keys; !slices.Equal(keyed.keys, want) {
		t.Errorf("resumed keys %x, want %x", keyed.keys, want)
	}
	s1, err := Key(docs).Sum()
	if err != nil {
		t.Fatal(err)
	}
	if s2, _ := g.Keyed().Sum(); s2 != s1 {
		t.Errorf("Sum of the same documents: %x, then %x", s1, s2)
	}
	for i := range v.NumField() {
		if !v.Type().Field(i).IsExported() {
			continue
		}
		changed := slices.Clone(docs)
		k := slices.IndexFunc(changed, func(d Doc) bool { return d.URL == "/news/a/" })
		d := reflect.ValueOf(&changed[k]).Elem()
		d.Field(i).Set(reflect.Zero(d.Field(i).Type()))
		if d.Type().Field(i).Name == "Text" {
			changed[k].packed = nil // the text of a resumed document
		}
		if s, _ := Key(changed).Sum(); s == s1 {
			t.Errorf("Sum does not change with Doc.%s", d.Type().Field(i).Name)
		}
	}
	for i := range data {
		if err := g.Resume(context.Background(), data[:i]); err == nil {
			t.Fatalf("cut to %d of %d bytes: no error", i, len(data))
		}
	}
}

// keptDocs keeps docs with their keys, as BeforeRender does.
func keptDocs(docs map[string]Doc) map[string]keptDoc {
	all := make(map[string]keptDoc, len(docs))
	for u, d := range docs {
		all[u] = keptDoc{d, docKey(xxhash.New(), &d)}
	}
	return all
}

// FuzzResume: damaged kept text is refused, never a panic or a huge
// allocation.
func FuzzResume(f *testing.F) {
	ft := NewFeature()
	ft.all = keptDocs(map[string]Doc{"/a/": {URL: "/a/", Title: "甲", Tags: []string{"x"}}})
	var buf bytes.Buffer
	ft.Keep(&buf)
	f.Add(buf.Bytes())
	f.Add([]byte(keptMagic + "\x00\xff\xff\xff\xff\x0f"))
	f.Fuzz(func(t *testing.T, b []byte) {
		g := NewFeature()
		_ = g.Resume(context.Background(), b)
	})
}

// TestKeyedLiteral: a Keyed made without Key (a literal) gets its keys
// when it is summed or written, rather than a wrong index or a panic.
func TestKeyedLiteral(t *testing.T) {
	docs := []Doc{{URL: "/a/", Title: "甲", Kind: "story", Text: "河道整治"}, {URL: "/b/", Title: "乙", Kind: "story", Text: "垃圾分类"}}
	want, err := Key(docs).Sum()
	if err != nil {
		t.Fatal(err)
	}
	if got, err := (Keyed{Docs: docs}).Sum(); err != nil || got != want {
		t.Errorf("literal's sum %x, %v; Key's %x", got, err, want)
	}
	var w Writer
	if err := w.WriteKeyed(Keyed{Docs: docs}, func(File) error { return nil }); err != nil {
		t.Errorf("writing a literal: %v", err)
	}
}

// docsSource is a DocSource of fixed documents.
type docsSource []Doc

func (s docsSource) SearchDocs() []Doc { return s }

// TestKeyedOrder: Keyed gives the pages' documents and the sources' in
// the order of their URLs, with the keys Key takes of them, after a
// record is resumed and after the plan drops a page.
func TestKeyedOrder(t *testing.T) {
	src := docsSource{{URL: "/data/rivers/", Title: "河道", Kind: "dataset"}, {URL: "/zz/", Title: "末", Kind: "album"}, {URL: "/news/b1/", Title: "乙一", Kind: "dataset"}}
	f := NewFeature(src)
	f.all = keptDocs(map[string]Doc{
		"/news/b/":   {URL: "/news/b/", Title: "乙", Kind: "story", Text: "污水厂开放日"},
		"/news/a/":   {URL: "/news/a/", Title: "甲", Kind: "story", Text: "河道整治"},
		"/topics/c/": {URL: "/topics/c/", Title: "丙", Kind: "topic"},
	})
	var buf bytes.Buffer
	if err := f.Keep(&buf); err != nil {
		t.Fatal(err)
	}
	g := NewFeature(src)
	if err := g.Resume(context.Background(), buf.Bytes()); err != nil {
		t.Fatal(err)
	}
	check := func(when string, want ...string) {
		t.Helper()
		k := g.Keyed()
		var urls []string
		for _, d := range k.Docs {
			urls = append(urls, d.URL)
		}
		if !slices.Equal(urls, want) {
			t.Errorf("%s: documents %q, want %q", when, urls, want)
		}
		if again := Key(k.Docs); !slices.Equal(k.keys, again.keys) {
			t.Errorf("%s: keys %x, Key gives %x", when, k.keys, again.keys)
		}
	}
	check("resumed", "/data/rivers/", "/news/a/", "/news/b/", "/news/b1/", "/topics/c/", "/zz/")
	pl := site.NewPlan(site.New(&content.Site{}), site.Theme{T: func(key string, args ...any) string { return key }, Asset: func(string) string { return "" }})
	for _, u := range []string{"/news/b/", "/topics/c/"} {
		pl.Add(pl.NewPage("story", u, "", ""))
	}
	g.Plan(pl)
	check("a page gone", "/data/rivers/", "/news/b/", "/news/b1/", "/topics/c/", "/zz/")
}
