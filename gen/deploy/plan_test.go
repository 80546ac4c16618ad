package deploy

import (
	"context"
	"slices"
	"strings"
	"testing"
)

// heads answers HEAD requests from a map; a key it lacks is gone.
type heads map[string]Meta

func (h heads) Head(_ context.Context, key string) (Meta, error) {
	if m, ok := h[key]; ok {
		return m, nil
	}
	return Meta{}, ErrNotFound
}

func TestMakePlan(t *testing.T) {
	file := func(key, sum string) File {
		return File{Key: key, Size: 1, SHA256: strings.Repeat(sum, 64), ContentType: ContentType(key), CacheControl: CacheControl(key)}
	}
	entry := func(key, sum, etag string) Entry {
		return Entry{SHA256: strings.Repeat(sum, 64), Size: 1, ETag: etag, ContentType: ContentType(key), CacheControl: CacheControl(key)}
	}
	meta := func(key, sum string) Meta {
		return Meta{SHA256: strings.Repeat(sum, 64), ContentType: ContentType(key), CacheControl: CacheControl(key)}
	}
	local := []File{
		file("index.html", "a"),            // trusted by the manifest: keep
		file("atom.xml", "b"),              // manifest ETag differs from the listing: HEAD says same: keep
		file("news/x/index.html", "c"),     // manifest says older content: upload
		file("css/site.12345678.css", "d"), // not listed: upload
		file("robots.txt", "e"),            // listed, HEAD finds it gone: upload
		file("js/charts.js", "f"),          // listed without gen's metadata: overwrite
	}
	remote := map[string]Remote{
		"index.html":           {1, `"e1"`},
		"atom.xml":             {1, `"e2-new"`},
		"news/x/index.html":    {1, `"e3"`},
		"robots.txt":           {1, `"e5"`},
		"js/charts.js":         {1, `"e6"`},
		"news/old/index.html":  {1, `"e7"`}, // gen's, per the manifest: delete
		"news/gone/index.html": {1, `"e8"`}, // not in the manifest, HEAD shows gen's hash: delete
		"hand.txt":             {1, `"e9"`}, // nobody's: leave
	}
	m := &Manifest{Version: 1, Objects: map[string]Entry{
		"index.html":          entry("index.html", "a", "e1"),
		"atom.xml":            entry("atom.xml", "b", "e2"),
		"news/x/index.html":   entry("news/x/index.html", "9", `"e3"`),
		"news/old/index.html": entry("news/old/index.html", "7", "e7"),
	}}
	h := heads{
		"atom.xml":             meta("atom.xml", "b"),
		"js/charts.js":         {ContentType: "text/javascript"},
		"news/gone/index.html": meta("news/gone/index.html", "8"),
		"hand.txt":             {ContentType: "text/plain"},
	}
	p, err := MakePlan(context.Background(), local, remote, m, h)
	if err != nil {
		t.Fatal(err)
	}
	keys := func(fs []File) []string {
		var k []string
		for _, f := range fs {
			k = append(k, f.Key)
		}
		return k
	}
	var dels []string
	for _, d := range p.Delete {
		dels = append(dels, d.Key)
	}
	for _, c := range []struct {
		what      string
		got, want []string
	}{
		{"upload (in phase order)", keys(p.Upload), []string{"css/site.12345678.css", "js/charts.js", "news/x/index.html", "robots.txt"}},
		{"keep", keys(p.Keep), []string{"atom.xml", "index.html"}},
		{"delete", dels, []string{"news/gone/index.html", "news/old/index.html"}},
		{"foreign", p.Foreign, []string{"hand.txt"}},
		{"overwrite", p.Overwrite, []string{"js/charts.js"}},
	} {
		if !slices.Equal(c.got, c.want) {
			t.Errorf("%s = %q, want %q", c.what, c.got, c.want)
		}
	}
	if p.Heads != 5 {
		t.Errorf("HEAD requests = %d, want 5 (atom.xml, robots.txt, js/charts.js, news/gone, hand.txt)", p.Heads)
	}
}
