package browser

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
)

// Handler serves the static site in dir the way a plain web server does:
// /news/ is news/index.html, /news redirects to /news/, and anything missing
// gets 404.html (when there is one) with status 404.
func Handler(dir string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		p := path.Clean("/" + r.URL.Path)
		name := filepath.Join(dir, filepath.FromSlash(p))
		fi, err := os.Stat(name)
		if err == nil && fi.IsDir() {
			if !strings.HasSuffix(r.URL.Path, "/") {
				target := p + "/"
				if r.URL.RawQuery != "" {
					target += "?" + r.URL.RawQuery
				}
				http.Redirect(w, r, target, http.StatusMovedPermanently)
				return
			}
			name = filepath.Join(name, "index.html")
			fi, err = os.Stat(name)
		}
		if err != nil || fi.IsDir() {
			notFound(w, r, dir)
			return
		}
		f, err := os.Open(name)
		if err != nil {
			notFound(w, r, dir)
			return
		}
		defer f.Close()
		// ServeContent sets Content-Type from the extension and answers
		// range and conditional requests.
		http.ServeContent(w, r, fi.Name(), fi.ModTime(), f)
	})
}

func notFound(w http.ResponseWriter, r *http.Request, dir string) {
	page, err := os.ReadFile(filepath.Join(dir, "404.html"))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusNotFound)
	if r.Method != http.MethodHead {
		w.Write(page)
	}
}

// NewServer serves dir on a random port of 127.0.0.1. The caller closes it.
func NewServer(dir string) *httptest.Server {
	return httptest.NewServer(Handler(dir))
}

// Serve serves dir for the length of the test and returns its base URL,
// such as http://127.0.0.1:40123 (no trailing slash).
func Serve(t testing.TB, dir string) string {
	t.Helper()
	srv := NewServer(dir)
	t.Cleanup(srv.Close)
	return srv.URL
}
