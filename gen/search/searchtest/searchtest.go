package searchtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"gongjian/gen/content"
	"gongjian/gen/render"
	"gongjian/gen/search"
	sitemodel "gongjian/gen/site"
	"gongjian/gen/theme"
)

// Server serves the search page at /search/, the index files, the site's
// stylesheet and js/search.js, and remembers what was asked for.
type Server struct {
	*httptest.Server
	files map[string][]byte
}

// Serve renders the search page of the default theme found under root (the
// repository root) and serves it with files over HTTP/1.1.
func Serve(root string, files []search.File) (*Server, error) { return serve(root, files, false) }

// ServeHTTP2 is Serve over TLS and HTTP/2, as a static host would serve the
// site: a query's files then load in parallel on one connection rather than
// six at a time. Chrome accepts the test certificate.
func ServeHTTP2(root string, files []search.File) (*Server, error) { return serve(root, files, true) }

func serve(root string, files []search.File, h2 bool) (*Server, error) {
	page, th, err := Page(root)
	if err != nil {
		return nil, err
	}
	js, err := os.ReadFile(filepath.Join(root, "themes", "default", "static", "js", "search.js"))
	if err != nil {
		return nil, err
	}
	m := map[string][]byte{"/search/": page, th.Asset("js/search.js"): js, "/" + th.CSS.Path: th.CSS.Data}
	for _, f := range files {
		m["/"+f.Path] = f.Data
	}
	s := &Server{files: m}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, ok := m[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		switch {
		case strings.HasSuffix(r.URL.Path, "/"):
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
		case strings.HasSuffix(r.URL.Path, ".js"):
			w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		case strings.HasSuffix(r.URL.Path, ".css"):
			w.Header().Set("Content-Type", "text/css; charset=utf-8")
		case strings.HasSuffix(r.URL.Path, ".json"):
			w.Header().Set("Content-Type", "application/json")
		default:
			w.Header().Set("Content-Type", "application/octet-stream")
		}
		// As a static host: range requests are answered (search.js
		// fetches each result's text by range).
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(b))
	}))
	if h2 {
		s.EnableHTTP2 = true
		s.StartTLS()
	} else {
		s.Start()
	}
	return s, nil
}

// Page renders pages/search.html of the default theme in Chinese as a
// build would.
func Page(root string) ([]byte, *theme.Theme, error) { return PageIn(root, "zh-CN") }

// PageIn renders the search page with the UI strings of lang.
func PageIn(root, lang string) ([]byte, *theme.Theme, error) {
	site := &content.Site{Title: "测试门户", BaseURL: "https://example.org/", Language: lang,
		Menu: []content.MenuItem{{Title: "首页", URL: "/"}, {Title: "新闻", URL: "/news/"}}}
	r := render.New(render.Options{})
	r.SetModel(sitemodel.New(site))
	errs := r.LoadTheme(os.DirFS(root), "default", lang, nil)
	th := r.Theme
	if len(errs) > 0 {
		return nil, nil, fmt.Errorf("searchtest: theme: %v", errs)
	}
	p := &sitemodel.Page{Site: site, Kind: "search", Out: "search/index.html", Title: th.T("search.title"), Path: "/search/",
		Canonical: site.BaseURL + "search/", CSS: "/" + th.CSS.Path, Section: "/search/"}
	var b bytes.Buffer
	if err := th.Render(&b, "search", p); err != nil {
		return nil, nil, err
	}
	return b.Bytes(), th, nil
}

// Chrome starts headless Chromium; cancel ends it.
func Chrome(ctx context.Context) (context.Context, context.CancelFunc, error) {
	exe := os.Getenv("CHROMIUM")
	if exe == "" {
		exe = "/usr/bin/chromium"
	}
	if _, err := os.Stat(exe); err != nil {
		return nil, nil, fmt.Errorf("searchtest: no Chromium: %w", err)
	}
	profile, err := os.MkdirTemp("", "gongjian-search-chromium-")
	if err != nil {
		return nil, nil, err
	}
	actx, acancel := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(exe), chromedp.UserDataDir(profile),
		chromedp.Flag("headless", true), chromedp.Flag("no-sandbox", true), chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true), chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-dev-shm-usage", true),
		// A tab opened by DevTools may count as hidden: keep its timers and
		// priority those of a page in front of the user.
		chromedp.Flag("disable-background-timer-throttling", true),
		chromedp.Flag("disable-renderer-backgrounding", true),
		chromedp.Flag("disable-backgrounding-occluded-windows", true),
		chromedp.Flag("ignore-certificate-errors", true), // for ServeHTTP2's test certificate
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost"),
		chromedp.WindowSize(375, 800))
	bctx, bcancel := chromedp.NewContext(actx)
	cancel := func() {
		bcancel()
		acancel()
		os.RemoveAll(profile)
	}
	if err := chromedp.Do(bctx); err != nil {
		cancel()
		return nil, nil, fmt.Errorf("searchtest: starting %s: %w", exe, err)
	}
	return bctx, cancel, nil
}

// Result is what one query did in the page.
type Result struct {
	Query    string
	N        int                // matches announced
	MS       float64            // from the search starting to the results (titles) in the page
	Done     float64            // from the search starting to the snippets in the page too
	Status   string             // text of the aria-live region
	URLs     []string           // result links, in order
	Marks    []string           // highlighted texts
	Bytes    int                // bytes the query transferred, headers included (meta.json excluded: it loads with the page)
	Requests []string           // every URL the page asked for
	Laps     map[string]float64 // where the time went: shards, rank, docs, render
	Failed   []string           // requests that failed
	Console  []string           // console errors and exceptions
	Unknown  []string           // terms reported as not on the site
	Approx   bool               // results by single characters
	Note     string             // text of the note under the status (unknown terms, suggestions)
	Kinds    []string           // labels of the kind filter's buttons
}

// Query opens /search/ in a new tab with an empty cache, waits for the
// script to load meta.json, then submits q as a resident would and waits
// for the results. With watch set, the tab also records every request,
// failed request and console error (DevTools' network domain, which slows
// requests down: the benchmark leaves it off).
func Query(bctx context.Context, base, q string, watch bool) (*Result, error) {
	ctx, cancel := chromedp.NewContext(bctx)
	defer cancel()
	ctx, tcancel := context.WithTimeout(ctx, 30*time.Second)
	defer tcancel()
	res := &Result{Query: q}
	var mu sync.Mutex
	setup := chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		if !watch {
			_, err := cdp.Call(ctx, t, network.ClearBrowserCache, cdp.Empty{})
			return err
		}
		if _, err := cdp.Call(ctx, t, network.Enable, network.EnableParams{}); err != nil {
			return err
		}
		if _, err := cdp.Call(ctx, t, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, t, runtime.Enable, cdp.Empty{})
		return err
	})
	if watch {
		err := chromedp.Listen(ctx, func(ev any) {
			mu.Lock()
			defer mu.Unlock()
			switch e := ev.(type) {
			case *network.EventRequestWillBeSent:
				res.Requests = append(res.Requests, e.Request.URL)
			case *network.EventLoadingFailed:
				res.Failed = append(res.Failed, e.ErrorText)
			case *runtime.EventConsoleAPICalled:
				if e.Type == runtime.ConsoleAPICalledTypeError {
					res.Console = append(res.Console, fmt.Sprint(e.Args))
				}
			case *runtime.EventExceptionThrown:
				res.Console = append(res.Console, e.ExceptionDetails.Text+" "+describe(e.ExceptionDetails.Exception))
			}
		})
		if err != nil {
			return nil, err
		}
	}
	if err := chromedp.Do(ctx, setup, chromedp.Navigate(base+"/search/")); err != nil {
		return nil, fmt.Errorf("searchtest: query %q: %w", q, err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.gongjianSearch.ready.then(function () { return true; })`, chromedp.EvalAwaitPromise)); err != nil {
		return nil, fmt.Errorf("searchtest: query %q: loading meta.json: %w", q, err)
	}
	done, err := submitWait(ctx, q)
	if err != nil {
		return nil, err
	}
	mu.Lock()
	defer mu.Unlock()
	res.N, res.MS, res.Done, res.Status, res.URLs, res.Marks, res.Bytes = done.N, done.MS, done.Done, done.Status, done.URLs, done.Marks, done.Bytes
	res.Laps, res.Unknown, res.Approx, res.Note, res.Kinds = done.Laps, done.Unknown, done.Approx, done.Note, done.Kinds
	if !watch {
		res.Requests = done.Fetched
	}
	return res, nil
}

// page is what the page shows after a query.
type page struct {
	N       int
	MS      float64
	Done    float64
	Status  string
	URLs    []string
	Marks   []string
	Bytes   int
	Fetched []string
	Laps    map[string]float64
	Unknown []string
	Approx  bool
	Note    string
	Kinds   []string
}

// submitWait submits q in the search page of the tab ctx and waits for its
// results and snippets.
func submitWait(ctx context.Context, q string) (page, error) {
	submit := `(function () {
  performance.clearResourceTimings();
  window.gongjianSearch.last = null;
  var i = document.getElementById("search-q");
  i.value = ` + JSString(q) + `;
  i.form.requestSubmit();
  return true;
})()`
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](submit)); err != nil {
		return page{}, fmt.Errorf("searchtest: query %q: %w", q, err)
	}
	return chromedp.Run(ctx, chromedp.Poll[page](`(function () {
  var s = window.gongjianSearch, d = s && s.last;
  if (!d || d.q !== `+JSString(q)+` || d.done === undefined) return null;
  var st = document.getElementById("search-status").textContent;
  if (st === document.getElementById("search").dataset.loading) return null;
  var bytes = 0, names = [];
  performance.getEntriesByType("resource").forEach(function (e) {
    names.push(e.name);
    bytes += e.transferSize;
  });
  var note = document.querySelector(".search-note");
  return {N: d.n, MS: d.ms, Done: d.done, Laps: d.laps, Status: st, Bytes: bytes, Fetched: names,
    Unknown: d.unknown || [], Approx: !!d.approx, Note: note ? note.textContent : "",
    Kinds: Array.from(document.querySelectorAll(".search-kinds button")).map(function (b) { return b.textContent; }),
    URLs: Array.from(document.querySelectorAll("#search-results h2 a")).map(function (a) { return a.getAttribute("href"); }),
    Marks: Array.from(document.querySelectorAll("#search-results mark")).map(function (m) { return m.textContent; })};
})()`, chromedp.WithPollingInterval(5*time.Millisecond)))
}

// Queries opens /search/ in one new tab with an empty cache and runs each
// query there in turn, as someone searching several times; each Result's
// Requests and Bytes are that query's only.
func Queries(bctx context.Context, base string, qs []string) ([]*Result, error) {
	ctx, cancel := chromedp.NewContext(bctx)
	defer cancel()
	ctx, tcancel := context.WithTimeout(ctx, time.Duration(10+5*len(qs))*time.Second)
	defer tcancel()
	clear := chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, network.ClearBrowserCache, cdp.Empty{})
		return err
	})
	if err := chromedp.Do(ctx, clear, chromedp.Navigate(base+"/search/")); err != nil {
		return nil, err
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.gongjianSearch.ready.then(function () { return true; })`, chromedp.EvalAwaitPromise)); err != nil {
		return nil, fmt.Errorf("searchtest: loading meta.json: %w", err)
	}
	var out []*Result
	for _, q := range qs {
		d, err := submitWait(ctx, q)
		if err != nil {
			return nil, err
		}
		out = append(out, &Result{Query: q, N: d.N, MS: d.MS, Done: d.Done, Status: d.Status, URLs: d.URLs, Marks: d.Marks,
			Bytes: d.Bytes, Requests: d.Fetched, Laps: d.Laps, Unknown: d.Unknown, Approx: d.Approx, Note: d.Note, Kinds: d.Kinds})
	}
	return out, nil
}

// Tokens runs search.js's tokenizer on each input in the page at base,
// once it has loaded the traditional to simplified table of the index
// served there.
func Tokens(bctx context.Context, base string, inputs []string) ([][]string, error) {
	ctx, cancel := chromedp.NewContext(bctx)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/search/")); err != nil {
		return nil, err
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`!!window.gongjianSearch`)); err != nil {
		return nil, err
	}
	out, err := chromedp.Run(ctx, chromedp.Evaluate[[][]string](`(function (ins) {
  return window.gongjianSearch.loadT2S().then(function () {
    return ins.map(function (q) { return window.gongjianSearch.tokens(q).map(function (t) { return t.t; }); });
  });
})(`+jsStrings(inputs)+`)`, chromedp.EvalAwaitPromise))
	if err != nil {
		return nil, err
	}
	if len(out) != len(inputs) {
		return nil, errors.New("searchtest: tokens: wrong number of answers")
	}
	return out, nil
}

// Eval opens /search/ in a new tab and evaluates expr there, awaiting its
// value if it is a promise.
func Eval[T any](bctx context.Context, base, expr string) (T, error) {
	ctx, cancel := chromedp.NewContext(bctx)
	defer cancel()
	var zero T
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/search/")); err != nil {
		return zero, err
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`!!window.gongjianSearch`)); err != nil {
		return zero, err
	}
	return chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
}

// JSString quotes s as a JavaScript string literal.
func JSString(s string) string {
	var b []byte
	b = append(b, '"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b = append(b, '\\', byte(r))
		case r < 0x20 || r == 0x2028 || r == 0x2029:
			b = fmt.Appendf(b, `\u%04x`, r)
		default:
			b = append(b, string(r)...)
		}
	}
	return string(append(b, '"'))
}

func jsStrings(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = JSString(s)
	}
	return "[" + strings.Join(q, ",") + "]"
}

func describe(o *runtime.RemoteObject) string {
	if o == nil {
		return ""
	}
	return o.Description
}

// Type opens /search/ in a new tab with an empty cache and types q one
// character at a time, submitting each prefix and waiting for its results,
// as someone typing slowly would. It returns the time and the bytes of the
// last search only: what is left to do once the earlier prefixes have
// fetched their shards and chunks.
func Type(bctx context.Context, base, q string) (ms float64, bytes int, err error) {
	ctx, cancel := chromedp.NewContext(bctx)
	defer cancel()
	ctx, tcancel := context.WithTimeout(ctx, 60*time.Second)
	defer tcancel()
	clear := chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, network.ClearBrowserCache, cdp.Empty{})
		return err
	})
	if err := chromedp.Do(ctx, clear, chromedp.Navigate(base+"/search/")); err != nil {
		return 0, 0, err
	}
	type out struct {
		MS    float64
		Bytes int
	}
	r, err := chromedp.Run(ctx, chromedp.Evaluate[out](`(async function (q) {
  const s = window.gongjianSearch, input = document.getElementById("search-q"), chars = Array.from(q);
  await s.ready;
  for (let n = 1; n <= chars.length; n++) {
    const p = chars.slice(0, n).join("");
    if (!s.tokens(p).length) continue;
    if (n === chars.length) performance.clearResourceTimings();
    input.value = p;
    input.form.requestSubmit();
    for (let i = 0; i < 3000 && !(s.last && s.last.q === p && s.last.done !== undefined); i++) await new Promise(r => setTimeout(r, 2));
  }
  let bytes = 0;
  performance.getEntriesByType("resource").forEach(e => { bytes += e.transferSize; });
  return {MS: s.last.ms, Bytes: bytes};
})(`+JSString(q)+`)`, chromedp.EvalAwaitPromise))
	if err != nil {
		return 0, 0, fmt.Errorf("searchtest: typing %q: %w", q, err)
	}
	return r.MS, r.Bytes, nil
}
