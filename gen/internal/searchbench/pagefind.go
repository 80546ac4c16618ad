package main

import (
	"context"
	"fmt"
	"html"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"gongjian/gen/search"
	"gongjian/gen/search/searchtest"
)

// findPagefind is the Pagefind binary to compare with: the flag or
// $PAGEFIND, else pagefind on PATH, else node_modules/.bin/pagefind here or
// in ~/.cache/gongjian-pagefind (where `npm install pagefind@1.6.0` puts
// it when run there). "" if there is none: Pagefind is optional.
func findPagefind(flagValue string) string {
	if flagValue != "" {
		return flagValue
	}
	if p, err := exec.LookPath("pagefind"); err == nil {
		return p
	}
	home, _ := os.UserHomeDir()
	for _, p := range []string{"node_modules/.bin/pagefind", filepath.Join(home, ".cache", "gongjian-pagefind", "node_modules", ".bin", "pagefind")} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return ""
}

// pagefindHarness is the page the queries run in: Pagefind's own API,
// loaded and initialised before the query, as our page loads meta.json.
const pagefindHarness = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>search</title></head><body>
<script type="module">
window.pf = import("/pagefind/pagefind.js").then(async pf => { await pf.init(); return pf; });
window.runQuery = async q => {
  const pf = await window.pf;
  performance.clearResourceTimings();
  const t0 = performance.now(), r = await pf.search(q), data = await Promise.all(r.results.slice(0, 10).map(x => x.data()));
  const ms = performance.now() - t0;
  let bytes = 0;
  performance.getEntriesByType("resource").forEach(e => { bytes += e.transferSize; });
  return {N: r.results.length, MS: ms, Bytes: bytes, URLs: data.map(d => d.url)};
};
</script></body></html>`

// runPagefind writes docs as HTML pages, indexes them with Pagefind and runs
// the queries on its index in Chromium, cold (a fresh tab with an empty
// cache each) and warm (again in one tab).
func runPagefind(ctx context.Context, bin string, docs []search.Doc, qs []query) (*column, error) {
	dir, err := os.MkdirTemp("", "gongjian-pagefind-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	for _, d := range docs {
		var b strings.Builder
		fmt.Fprintf(&b, "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>%s</title></head><body><main data-pagefind-body><h1>%s</h1><p>%s</p>",
			html.EscapeString(d.Title), html.EscapeString(d.Title), html.EscapeString(d.Summary))
		for _, p := range strings.Split(d.Text, "\n") {
			fmt.Fprintf(&b, "<p>%s</p>", html.EscapeString(p))
		}
		b.WriteString("</main></body></html>\n")
		p := filepath.Join(dir, filepath.FromSlash(strings.Trim(d.URL, "/")), "index.html")
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
			return nil, err
		}
	}
	if err := os.MkdirAll(filepath.Join(dir, "search"), 0o755); err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, bin, "--site", dir)
	start := time.Now()
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("%v\n%s", err, out)
	}
	col := &column{name: "Pagefind"}
	rss := 0
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rss = int(ru.Maxrss >> 10)
	}
	col.build = fmt.Sprintf("%.1f s, %d MB RSS", time.Since(start).Seconds(), rss)
	// The harness is written after indexing, so Pagefind does not index it.
	if err := os.WriteFile(filepath.Join(dir, "search", "index.html"), []byte(pagefindHarness), 0o644); err != nil {
		return nil, err
	}
	filepath.WalkDir(filepath.Join(dir, "pagefind"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if fi, err := d.Info(); err == nil {
				col.files++
				col.size += int(fi.Size())
			}
		}
		return nil
	})
	// Bytes are counted where they are served: Pagefind searches in a Web
	// Worker, whose requests the page's resource timings do not list.
	var served atomic.Int64
	files := http.FileServer(http.Dir(dir))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		files.ServeHTTP(countingWriter{w, &served}, r)
	}))
	defer srv.Close()

	type res struct {
		N     int
		MS    float64
		Bytes int
		URLs  []string
	}
	run := func(tab context.Context, q string) (res, error) {
		return chromedp.Run(tab, chromedp.Evaluate[res](`window.runQuery(`+searchtest.JSString(q)+`)`, chromedp.EvalAwaitPromise))
	}
	open := func(clearCache bool) (context.Context, context.CancelFunc, error) {
		tab, cancel := chromedp.NewContext(ctx)
		tab, tcancel := context.WithTimeout(tab, 10*time.Minute)
		both := func() { tcancel(); cancel() }
		clr := chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			if !clearCache {
				return nil
			}
			_, err := cdp.Call(ctx, t, network.ClearBrowserCache, cdp.Empty{})
			return err
		})
		if err := chromedp.Do(tab, clr, chromedp.Navigate(srv.URL+"/search/")); err != nil {
			both()
			return nil, nil, err
		}
		if _, err := chromedp.Run(tab, chromedp.Evaluate[bool](`window.pf.then(() => true)`, chromedp.EvalAwaitPromise)); err != nil {
			both()
			return nil, nil, err
		}
		return tab, both, nil
	}
	for _, q := range qs {
		tab, cancel, err := open(true)
		if err != nil {
			return nil, err
		}
		served.Store(0)
		r, err := run(tab, q.text)
		r.Bytes = int(served.Load())
		cancel()
		if err != nil {
			return nil, fmt.Errorf("query %q: %w", q.text, err)
		}
		ok, why := q.check(outcome{urls: r.URLs, n: r.N})
		col.record(q, ok, why, outcome{})
		col.kb = append(col.kb, float64(r.Bytes)/1024)
		col.ms = append(col.ms, r.MS)
		if q.kind == "none" {
			col.noneKB = append(col.noneKB, float64(r.Bytes)/1024)
		}
	}
	tab, cancel, err := open(false)
	if err != nil {
		return nil, err
	}
	defer cancel()
	for _, q := range qs {
		if _, err := run(tab, q.text); err != nil {
			return nil, err
		}
	}
	for _, q := range qs {
		r, err := run(tab, q.text)
		if err != nil {
			return nil, err
		}
		col.warm = append(col.warm, r.MS)
	}
	return col, nil
}

// countingWriter adds the bytes of response bodies to n.
type countingWriter struct {
	http.ResponseWriter
	n *atomic.Int64
}

func (w countingWriter) Write(b []byte) (int, error) {
	k, err := w.ResponseWriter.Write(b)
	w.n.Add(int64(k))
	return k, err
}
