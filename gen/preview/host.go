package preview

import (
	"fmt"
	"net"
	"net/http"
	"strings"
)

// Guard answers only requests addressed to this machine by a name no other
// site can lend itself: a page on another site that points its own host
// name at 127.0.0.1 (DNS rebinding) must not read the preview, drafts
// included. It accepts a Host that is localhost or a loopback address (any
// port), the address the server listens on (listen, as net.Listener.Addr
// gives it) or the one it was asked to listen on (asked, the -addr flag),
// and, when listening on every interface, any IP address with the
// listening port; a DNS name other than localhost is accepted only when it
// was asked for. Anything else gets 421 Misdirected Request.
//
// Every response says nosniff, no-referrer and no-store: the preview is
// never cached and never tells other sites what was being looked at.
func Guard(listen, asked string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cache-Control", "no-store")
		if !allowedHost(r.Host, listen, asked) {
			h.Set("Content-Type", "text/plain; charset=utf-8")
			w.WriteHeader(http.StatusMisdirectedRequest)
			fmt.Fprintf(w, "gen serve answers only to localhost, loopback addresses and %s, not to Host %q\n", listen, r.Host)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// allowedHost reports whether host (a request's Host header) names this
// server; see Guard.
func allowedHost(host, listen, asked string) bool {
	if host == "" {
		return false
	}
	if strings.EqualFold(host, listen) || strings.EqualFold(host, asked) {
		return true
	}
	name, port, err := net.SplitHostPort(host)
	if err != nil {
		name, port = host, ""
		if strings.HasPrefix(name, "[") && strings.HasSuffix(name, "]") {
			name = name[1 : len(name)-1]
		}
	}
	if strings.EqualFold(strings.TrimSuffix(name, "."), "localhost") {
		return true
	}
	ip := net.ParseIP(name)
	if ip == nil || strings.Contains(name, "%") {
		return false
	}
	if ip.IsLoopback() {
		return true
	}
	lhost, lport, err := net.SplitHostPort(listen)
	if err != nil {
		return false
	}
	if lip := net.ParseIP(lhost); lip != nil && lip.IsUnspecified() {
		return port == lport
	}
	return false
}
