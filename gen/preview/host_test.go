package preview

import (
	"net/http/httptest"
	"strings"
	"testing"
)

func TestAllowedHost(t *testing.T) {
	tests := []struct {
		host, listen, asked string
		want                bool
	}{
		{"localhost:1414", "127.0.0.1:1414", "127.0.0.1:1414", true},
		{"localhost", "127.0.0.1:1414", "127.0.0.1:1414", true},
		{"LOCALHOST.:8080", "127.0.0.1:1414", "127.0.0.1:1414", true},
		{"127.0.0.1:1414", "127.0.0.1:1414", "127.0.0.1:1414", true},
		{"127.0.0.1", "127.0.0.1:1414", "127.0.0.1:1414", true},
		{"127.9.8.7:1", "127.0.0.1:1414", "127.0.0.1:1414", true},
		{"[::1]:1414", "[::1]:1414", "[::1]:1414", true},
		{"[::1]", "127.0.0.1:1414", "127.0.0.1:1414", true},
		{"preview.lan:1414", "192.168.1.5:1414", "preview.lan:1414", true},
		{"192.168.1.5:1414", "192.168.1.5:1414", "preview.lan:1414", true},
		{"192.168.1.9:1414", "0.0.0.0:1414", ":1414", true},
		{"[fe80::1]:1414", "[::]:1414", ":1414", true},

		{"", "127.0.0.1:1414", "127.0.0.1:1414", false},
		{"evil.example", "127.0.0.1:1414", "127.0.0.1:1414", false},
		{"evil.example:1414", "127.0.0.1:1414", "127.0.0.1:1414", false},
		{"localhost.evil.example:1414", "127.0.0.1:1414", "127.0.0.1:1414", false},
		{"127.0.0.1.nip.io:1414", "127.0.0.1:1414", "127.0.0.1:1414", false},
		{"192.168.1.9:1414", "127.0.0.1:1414", "127.0.0.1:1414", false},
		{"192.168.1.9:80", "0.0.0.0:1414", ":1414", false},
		{"evil.example:1414", "0.0.0.0:1414", ":1414", false},
		{"preview.lan:1414", "192.168.1.5:1414", "192.168.1.5:1414", false},
		{"[fe80::1%eth0]:1414", "[::]:1414", ":1414", false},
	}
	for _, tt := range tests {
		if got := allowedHost(tt.host, tt.listen, tt.asked); got != tt.want {
			t.Errorf("allowedHost(%q, %q, %q) = %v, want %v", tt.host, tt.listen, tt.asked, got, tt.want)
		}
	}
}

func TestGuard(t *testing.T) {
	s := New()
	s.Update(map[string][]byte{"index.html": []byte("<html><body>home</body></html>")}, nil, "", false)
	h := Guard("127.0.0.1:1414", "127.0.0.1:1414", s)
	for _, tt := range []struct {
		host string
		code int
	}{{"127.0.0.1:1414", 200}, {"localhost:1414", 200}, {"evil.example:1414", 421}} {
		r := httptest.NewRequest("GET", "/", nil)
		r.Host = tt.host
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != tt.code {
			t.Errorf("Host %q: status %d, want %d", tt.host, w.Code, tt.code)
		}
		if got := w.Header().Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("Host %q: X-Content-Type-Options %q, want nosniff", tt.host, got)
		}
		if tt.code != 200 && strings.Contains(w.Body.String(), "home") {
			t.Errorf("Host %q: refused, but the page was sent", tt.host)
		}
	}
}
