package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"gongjian/gen/pipeline"
	"gongjian/gen/preview"
	"gongjian/gen/search"
)

// TestIndexerFollowsLatest: gen serve builds the search index off the
// rebuild loop, and what it serves in the end is the index of the latest
// snapshot, whatever came before it; an index that goes away is removed.
func TestIndexerFollowsLatest(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	srv := preview.New()
	ix := newIndexer(ctx, srv, io.Discard)
	doc := func(title string) search.Doc {
		return search.Doc{URL: "/news/a/", Title: title, Kind: "story", Text: title + "的正文", Date: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	}
	meta := func() (int, string) {
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/search/meta.json", nil))
		return rec.Code, rec.Body.String()
	}
	want := func(t *testing.T, ok func(code int, body string) bool, what string) {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for {
			code, body := meta()
			if ok(code, body) {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("after 20 s the server still has no %s (status %d)", what, code)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	for _, title := range []string{"第一版", "第二版", "第三版"} {
		ix.put(snapshot{docs: search.Key([]search.Doc{doc(title)}), ok: true})
	}
	want(t, func(code int, _ string) bool { return code == http.StatusOK }, "search index")
	var enc pipeline.Indexer
	latest, _, err := enc.Files(search.Key([]search.Doc{doc("第三版")}), true)
	if err != nil {
		t.Fatal(err)
	}
	for p, data := range latest {
		want(t, func(int, string) bool {
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/"+p, nil))
			return rec.Code == http.StatusOK && rec.Body.String() == string(data)
		}, p+" of the latest snapshot")
	}
	ix.put(snapshot{ok: false})
	want(t, func(code int, _ string) bool { return code == http.StatusNotFound }, "removal of the search index")
}
