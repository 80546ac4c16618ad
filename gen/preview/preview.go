package preview

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"mime"
	"net/http"
	"path"
	"slices"
	"strings"
	"sync"

	"gongjian/gen/diag"
)

//go:embed live.js
var liveJS []byte

// Paths the preview serves for itself.
const (
	EventsPath = "/_gen/events"
	ScriptPath = "/_gen/live.js"
)

var scriptTag = []byte(`<script src="` + ScriptPath + `"></script>`)

// Server serves the site from memory. It is safe for concurrent use.
type Server struct {
	mu      sync.RWMutex
	files   map[string][]byte
	errs    []Problem // current build problems, nil when the last build was good
	clients map[chan event]struct{}
	// notes are the editors' notes shown over each page, by output path;
	// renoted lists the pages whose notes changed since the last Update.
	notes   map[string][]Problem
	renoted map[string]bool
}

// Problem is one build problem as the overlay shows it.
type Problem struct {
	File string `json:"file"`
	Line int    `json:"line"`
	Msg  string `json:"msg"`
}

type event struct {
	name string
	data []byte
}

// New returns an empty server.
func New() *Server {
	return &Server{files: map[string][]byte{}, clients: map[chan event]struct{}{}, notes: map[string][]Problem{}, renoted: map[string]bool{}}
}

// SetNotes replaces the editors' notes shown over pages, by output path
// (news/a/index.html). They are added to the page as it is served, never
// to the files: the next Update reloads the pages whose notes changed.
func (s *Server) SetNotes(notes map[string]diag.List) {
	next := make(map[string][]Problem, len(notes))
	for p, list := range notes {
		if len(list) > 0 {
			next[p] = Problems(list)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for p, probs := range next {
		if !slices.Equal(probs, s.notes[p]) {
			s.renoted[p] = true
		}
	}
	for p := range s.notes {
		if _, ok := next[p]; !ok {
			s.renoted[p] = true
		}
	}
	s.notes = next
}

// Update swaps in files, removes removed (output paths such as
// news/a/index.html) and tells browsers: to reload the pages that changed,
// or, when cssOnly is set and css names the new stylesheet, to swap it.
// It clears an error overlay.
func (s *Server) Update(files map[string][]byte, removed []string, css string, cssOnly bool) {
	s.mu.Lock()
	for p, data := range files {
		s.files[p] = data
	}
	for _, p := range removed {
		delete(s.files, p)
	}
	hadErrors := s.errs != nil
	s.errs = nil
	var renoted []string
	for p := range s.renoted {
		if _, changed := files[p]; !changed {
			renoted = append(renoted, p)
		}
	}
	clear(s.renoted)
	s.mu.Unlock()
	if hadErrors {
		s.broadcast(event{name: "ok", data: []byte("{}")})
	}
	switch {
	case cssOnly && css != "":
		data, _ := json.Marshal(map[string]string{"href": css})
		s.broadcast(event{name: "css", data: data})
	case len(files) > 0 || len(removed) > 0 || len(renoted) > 0:
		var paths []string
		for p := range files {
			paths = append(paths, URLPath(p))
		}
		for _, p := range removed {
			paths = append(paths, URLPath(p))
		}
		for _, p := range renoted {
			paths = append(paths, URLPath(p))
		}
		data, _ := json.Marshal(map[string]any{"paths": paths, "all": hadErrors})
		s.broadcast(event{name: "reload", data: data})
	case hadErrors:
		data, _ := json.Marshal(map[string]any{"paths": []string{}, "all": true})
		s.broadcast(event{name: "reload", data: data})
	}
}

// Put swaps in files and drops removed without telling browsers: for
// files no open page shows, such as the search index.
func (s *Server) Put(files map[string][]byte, removed []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for p, data := range files {
		s.files[p] = data
	}
	for _, p := range removed {
		delete(s.files, p)
	}
}

// Fail shows err over every open page; the pages served stay as they were.
func (s *Server) Fail(err error) {
	probs := Problems(err)
	s.mu.Lock()
	s.errs = probs
	s.mu.Unlock()
	data, _ := json.Marshal(probs)
	s.broadcast(event{name: "problems", data: data})
}

// Problems turns a build error into overlay entries.
func Problems(err error) []Problem {
	var list diag.List
	if errors.As(err, &list) {
		out := make([]Problem, len(list))
		for i, e := range list {
			out[i] = Problem{File: e.File, Line: e.Line, Msg: e.Msg}
		}
		return out
	}
	return []Problem{{File: "gen", Msg: err.Error()}}
}

func (s *Server) broadcast(ev event) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for c := range s.clients {
		select {
		case c <- ev:
		default: // a stuck browser must not hold up the others
		}
	}
}

// URLPath is the address of an output file: news/a/index.html → /news/a/.
func URLPath(out string) string {
	if out == "index.html" {
		return "/"
	}
	if strings.HasSuffix(out, "/index.html") {
		return "/" + strings.TrimSuffix(out, "index.html")
	}
	return "/" + out
}

// ServeHTTP serves the site, the live reload script and the event stream.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case EventsPath:
		s.events(w, r)
		return
	case ScriptPath:
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.Write(liveJS)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	p := strings.TrimPrefix(path.Clean(r.URL.Path), "/")
	if strings.HasSuffix(r.URL.Path, "/") && p != "" {
		p += "/"
	}
	name := p
	if name == "" || strings.HasSuffix(name, "/") {
		name += "index.html"
	}
	s.mu.RLock()
	data, ok := s.files[name]
	notes := s.notes[name]
	_, isDir := s.files[name+"/index.html"]
	notFound := s.files["404.html"]
	s.mu.RUnlock()
	w.Header().Set("Cache-Control", "no-store")
	if !ok && isDir {
		http.Redirect(w, r, "/"+name+"/", http.StatusMovedPermanently)
		return
	}
	status := http.StatusOK
	if !ok {
		if notFound == nil {
			http.NotFound(w, r)
			return
		}
		data, name, status = notFound, "404.html", http.StatusNotFound
	}
	ctype := mime.TypeByExtension(path.Ext(name))
	if ctype == "" {
		ctype = "application/octet-stream"
	}
	w.Header().Set("Content-Type", ctype)
	if strings.HasSuffix(name, ".html") {
		data = inject(data, notes)
	}
	w.Header().Set("Content-Length", fmt.Sprint(len(data)))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(data)
	}
}

// inject adds the editors' notes of the page, if any, and the live
// reload script before </body>.
func inject(page []byte, notes []Problem) []byte {
	add := append(notesPanel(notes), scriptTag...)
	i := bytes.LastIndex(page, []byte("</body>"))
	if i < 0 {
		return append(bytes.Clone(page), add...)
	}
	out := make([]byte, 0, len(page)+len(add)+1)
	out = append(out, page[:i]...)
	out = append(out, add...)
	out = append(out, '\n')
	return append(out, page[i:]...)
}

// notesPanel shows a page's editors' notes in a corner of the preview,
// each with its file and line, folded open; nothing when there are none.
// Its look is its own, so that no theme can hide it or take it for
// content.
func notesPanel(notes []Problem) []byte {
	if len(notes) == 0 {
		return nil
	}
	var b bytes.Buffer
	b.WriteString(`<details id="gen-notes" open role="note" style="position:fixed;right:.75rem;bottom:.75rem;z-index:2147483646;max-width:min(28rem,calc(100vw - 1.5rem));max-height:50vh;overflow:auto;background:#fff8d6;color:#222;border:2px solid #c9a400;border-radius:6px;padding:.5rem .75rem;font:14px/1.5 system-ui,sans-serif;box-shadow:0 2px 8px rgba(0,0,0,.25)">`)
	fmt.Fprintf(&b, `<summary style="cursor:pointer;font-weight:600">编辑备注 %d 条（只在预览中显示，不会发布）</summary><ul style="margin:.4rem 0 0;padding-left:1.1rem">`, len(notes))
	for _, n := range notes {
		where := n.File
		if n.Line > 0 {
			where += fmt.Sprintf(":%d", n.Line)
		}
		fmt.Fprintf(&b, `<li><code>%s</code>：%s</li>`, html.EscapeString(where), html.EscapeString(strings.TrimPrefix(n.Msg, diag.NotePrefix)))
	}
	b.WriteString("</ul></details>")
	return b.Bytes()
}

func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	c := make(chan event, 16)
	s.mu.Lock()
	s.clients[c] = struct{}{}
	current := s.errs
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.clients, c)
		s.mu.Unlock()
	}()
	fmt.Fprint(w, "retry: 500\n: connected\n\n")
	if current != nil {
		data, _ := json.Marshal(current)
		writeEvent(w, event{name: "problems", data: data})
	}
	flusher.Flush()
	for {
		select {
		case <-r.Context().Done():
			return
		case ev := <-c:
			writeEvent(w, ev)
			flusher.Flush()
		}
	}
}

func writeEvent(w http.ResponseWriter, ev event) {
	fmt.Fprintf(w, "event: %s\ndata: %s\n\n", ev.name, ev.data)
}

// Clients is the number of browsers listening, for tests and logs.
func (s *Server) Clients() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.clients)
}
