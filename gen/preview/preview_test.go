package preview

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"gongjian/gen/diag"
)

func TestURLPath(t *testing.T) {
	tests := []struct{ out, want string }{
		{"index.html", "/"},
		{"news/a/index.html", "/news/a/"},
		{"tags/积分制/index.html", "/tags/积分制/"},
		{"atom.xml", "/atom.xml"},
		{"404.html", "/404.html"},
	}
	for _, tt := range tests {
		if got := URLPath(tt.out); got != tt.want {
			t.Errorf("URLPath(%q) = %q, want %q", tt.out, got, tt.want)
		}
	}
}

func TestServe(t *testing.T) {
	s := New()
	s.Update(map[string][]byte{
		"index.html":        []byte("<html><body>home</body></html>"),
		"news/a/index.html": []byte("<html><body>a</body></html>"),
		"404.html":          []byte("<html><body>missing</body></html>"),
		"css/site.css":      []byte("body{}"),
	}, nil, "", false)
	tests := []struct {
		path, wantBody string
		wantCode       int
	}{
		{"/", `home<script src="/_gen/live.js"></script>`, 200},
		{"/news/a/", `a<script src="/_gen/live.js"></script>`, 200},
		{"/news/a", "", 301},
		{"/nope/", `missing<script src="/_gen/live.js"></script>`, 404},
		{"/css/site.css", "body{}", 200},
		{"/_gen/live.js", "EventSource", 200},
		{"/../../etc/passwd", "missing", 404},
	}
	for _, tt := range tests {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, tt.path, nil))
		if rec.Code != tt.wantCode || !strings.Contains(rec.Body.String(), tt.wantBody) {
			t.Errorf("GET %s = %d %q, want %d containing %q", tt.path, rec.Code, rec.Body.String(), tt.wantCode, tt.wantBody)
		}
	}
	s.Update(nil, []string{"news/a/index.html"}, "", false)
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/news/a/", nil))
	if rec.Code != 404 {
		t.Errorf("removed page: GET = %d, want 404", rec.Code)
	}
}

func TestProblems(t *testing.T) {
	list := diag.List{diag.Errorf("content/news/a.md", 3, "bad date")}
	got := Problems(list)
	if len(got) != 1 || got[0] != (Problem{File: "content/news/a.md", Line: 3, Msg: "bad date"}) {
		t.Errorf("Problems(diag) = %+v", got)
	}
	got = Problems(errors.New("disk full"))
	if len(got) != 1 || got[0].Msg != "disk full" {
		t.Errorf("Problems(plain) = %+v", got)
	}
}

// TestPutRemoves: the search index is swapped in with Put, and its files
// that a smaller index no longer has are not served any more.
func TestPutRemoves(t *testing.T) {
	s := New()
	s.Put(map[string][]byte{"search/docs-0.json": []byte("[0]"), "search/docs-1.json": []byte("[1]")}, nil)
	s.Put(map[string][]byte{"search/docs-0.json": []byte("[0,1]")}, []string{"search/docs-1.json"})
	for _, tt := range []struct {
		path, body string
		code       int
	}{
		{"/search/docs-0.json", "[0,1]", 200},
		{"/search/docs-1.json", "", 404},
	} {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, tt.path, nil))
		if rec.Code != tt.code || (tt.body != "" && rec.Body.String() != tt.body) {
			t.Errorf("GET %s = %d %q, want %d %q", tt.path, rec.Code, rec.Body.String(), tt.code, tt.body)
		}
	}
}

// TestNotes: a page's editors' notes are shown over it as it is served,
// escaped, with file and line; other pages and the stored files have none;
// the next Update reloads the pages whose notes changed.
func TestNotes(t *testing.T) {
	s := New()
	page := []byte("<html><body>a</body></html>")
	s.Update(map[string][]byte{"news/a/index.html": page, "news/b/index.html": page}, nil, "", false)
	c := make(chan event, 4)
	s.mu.Lock()
	s.clients[c] = struct{}{}
	s.mu.Unlock()

	s.SetNotes(map[string]diag.List{"news/a/index.html": {diag.Note("content/news/a.md", 9, "封面<待换>&核实")}})
	s.Update(nil, nil, "", false)
	select {
	case ev := <-c:
		if ev.name != "reload" || !strings.Contains(string(ev.data), `"/news/a/"`) || strings.Contains(string(ev.data), `"/news/b/"`) {
			t.Errorf("after new notes: event %s %s, want a reload of /news/a/ only", ev.name, ev.data)
		}
	default:
		t.Error("new notes reloaded no page")
	}
	get := func(p string) string {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, p, nil))
		return rec.Body.String()
	}
	want := `<li><code>content/news/a.md:9</code>：封面&lt;待换&gt;&amp;核实</li>`
	if body := get("/news/a/"); !strings.Contains(body, want) || !strings.Contains(body, `id="gen-notes"`) || !strings.HasSuffix(body, "</body></html>") {
		t.Errorf("GET /news/a/ = %q, want the note %q before </body>", body, want)
	}
	if body := get("/news/b/"); strings.Contains(body, "gen-notes") {
		t.Errorf("GET /news/b/ shows notes: %q", body)
	}
	if string(s.files["news/a/index.html"]) != string(page) {
		t.Error("the note went into the stored page")
	}

	// Unchanged notes reload nothing; notes gone reload their page.
	s.SetNotes(map[string]diag.List{"news/a/index.html": {diag.Note("content/news/a.md", 9, "封面<待换>&核实")}})
	s.Update(nil, nil, "", false)
	select {
	case ev := <-c:
		t.Errorf("unchanged notes: event %s %s", ev.name, ev.data)
	default:
	}
	s.SetNotes(nil)
	s.Update(nil, nil, "", false)
	select {
	case ev := <-c:
		if !strings.Contains(string(ev.data), `"/news/a/"`) {
			t.Errorf("notes gone: event %s %s", ev.name, ev.data)
		}
	default:
		t.Error("notes gone reloaded no page")
	}
	if body := get("/news/a/"); strings.Contains(body, "gen-notes") {
		t.Errorf("notes gone, GET /news/a/ still shows them: %q", body)
	}
}
