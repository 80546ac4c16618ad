package browser

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// Page says what to do on one visit.
type Page struct {
	URL   string
	Width int // viewport width in CSS pixels; at most 600 emulates a phone
	// Height of the viewport; 0 means 800.
	Height int
	// Tabs presses Tab this many times after the page loaded and records
	// where the focus went, in Report.Focus.
	Tabs int
	// Screenshot, if set, is the file to write a full-page PNG to; its
	// folder is made if needed. It is taken before any Tab press.
	Screenshot string
	// Count lists CSS selectors whose matches to count, in Report.Matches.
	Count []string
	// Interact, if set, runs in the tab once the page has settled, before
	// the checks: type a query, open a menu, wait for a chart. tab is a
	// chromedp context, for chromedp.Do and chromedp.Run. The report then
	// covers the page as Interact left it, requests and errors included.
	Interact func(tab context.Context) error
}

// MobileWidth is the widest viewport that VisitPage emulates as a phone
// (touch, meta viewport honoured, scrollbars overlaid).
const MobileWidth = 600

// Visit loads url in a new tab with a viewport width px wide and checks it.
func (b *Browser) Visit(ctx context.Context, url string, width int) (*Report, error) {
	return b.VisitPage(ctx, Page{URL: url, Width: width})
}

// VisitPage loads p.URL in a new tab, waits until the network is quiet and
// fonts are ready, then checks the page. The error is for a visit that could
// not be made; what the page does wrong is in the Report.
func (b *Browser) VisitPage(ctx context.Context, p Page) (*Report, error) {
	if p.Width <= 0 {
		return nil, fmt.Errorf("browser: visit %s: width %d", p.URL, p.Width)
	}
	if p.Height <= 0 {
		p.Height = 800
	}
	origin, err := url.Parse(p.URL)
	if err != nil {
		return nil, fmt.Errorf("browser: visit %s: %w", p.URL, err)
	}
	tab, cancel := chromedp.NewContext(b.ctx)
	defer func() {
		cctx, ccancel := context.WithTimeout(tab, 5*time.Second)
		_ = chromedp.Cancel(cctx)
		ccancel()
		cancel()
	}()
	// The caller's context bounds the visit; the tab lives under the
	// browser's context, so tie the two together.
	defer context.AfterFunc(ctx, cancel)()

	rec := newRecorder()
	if err := chromedp.Listen(tab, rec.event); err != nil {
		return nil, fmt.Errorf("browser: visit %s: %w", p.URL, err)
	}
	opts := []chromedp.EmulateViewportOption{}
	if p.Width <= MobileWidth {
		opts = append(opts, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait)
	}
	setup := chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		if _, err := cdp.Call(ctx, t, network.Enable, network.EnableParams{}); err != nil {
			return err
		}
		if _, err := cdp.Call(ctx, t, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true}); err != nil {
			return err
		}
		if _, err := cdp.Call(ctx, t, log.Enable, cdp.Empty{}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, t, runtime.Enable, cdp.Empty{})
		return err
	})
	if err := chromedp.Do(tab, setup, chromedp.EmulateViewport(int64(p.Width), int64(p.Height), opts...)); err != nil {
		return nil, fmt.Errorf("browser: visit %s: setting up the tab: %w", p.URL, err)
	}
	resp, err := chromedp.Run(tab, chromedp.NavigateResponse(p.URL))
	if err != nil {
		return nil, fmt.Errorf("browser: visit %s: %w", p.URL, err)
	}
	if err := rec.waitQuiet(tab, 250*time.Millisecond, 10*time.Second); err != nil {
		return nil, fmt.Errorf("browser: visit %s: waiting for the network: %w", p.URL, err)
	}
	// Fonts change text widths, and charts draw on the next frames.
	settle := `document.fonts.ready.then(() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true)))))`
	if _, err := chromedp.Run(tab, chromedp.Evaluate[bool](settle, chromedp.EvalAwaitPromise)); err != nil {
		return nil, fmt.Errorf("browser: visit %s: waiting for fonts: %w", p.URL, err)
	}

	// Lazy images below the fold would never load in a visit that does not
	// scroll: load them all, so that a broken one fails the visit and the
	// screenshot shows them.
	if _, err := chromedp.Run(tab, chromedp.Evaluate[bool](jsEager, chromedp.EvalAwaitPromise)); err != nil {
		return nil, fmt.Errorf("browser: visit %s: loading lazy images: %w", p.URL, err)
	}
	if err := rec.waitQuiet(tab, 100*time.Millisecond, 10*time.Second); err != nil {
		return nil, fmt.Errorf("browser: visit %s: waiting for the network: %w", p.URL, err)
	}
	if p.Interact != nil {
		if err := p.Interact(tab); err != nil {
			return nil, fmt.Errorf("browser: visit %s: interacting: %w", p.URL, err)
		}
		if err := rec.waitQuiet(tab, 250*time.Millisecond, 10*time.Second); err != nil {
			return nil, fmt.Errorf("browser: visit %s: waiting for the network: %w", p.URL, err)
		}
	}

	r := &Report{URL: p.URL, Width: p.Width, Bytes: map[string]int64{}}
	if resp != nil {
		r.Status = int(resp.Status)
	}
	sel, _ := json.Marshal(p.Count)
	c, err := chromedp.Run(tab, chromedp.Evaluate[checks](jsPrelude+"("+jsChecks+")("+string(sel)+")"))
	if err != nil {
		return nil, fmt.Errorf("browser: visit %s: checking the page: %w", p.URL, err)
	}
	r.Lang, r.Title, r.Overflow, r.Images, r.Headings, r.Matches = c.Lang, c.Title, c.Overflow, c.Images, c.Headings, c.Matches
	r.Contrast = c.Contrast

	if p.Screenshot != "" {
		png, err := chromedp.Run(tab, chromedp.FullScreenshot(100))
		if err != nil {
			return nil, fmt.Errorf("browser: visit %s: screenshot: %w", p.URL, err)
		}
		if err := os.MkdirAll(filepath.Dir(p.Screenshot), 0o755); err != nil {
			return nil, fmt.Errorf("browser: %w", err)
		}
		if err := os.WriteFile(p.Screenshot, png, 0o644); err != nil {
			return nil, fmt.Errorf("browser: %w", err)
		}
		r.Screenshot = p.Screenshot
	}

	for range p.Tabs {
		if err := chromedp.Do(tab, chromedp.KeyEvent(kb.Tab)); err != nil {
			return nil, fmt.Errorf("browser: visit %s: pressing Tab: %w", p.URL, err)
		}
		f, err := chromedp.Run(tab, chromedp.Evaluate[Focus](jsPrelude+"("+jsFocus+")()"))
		if err != nil {
			return nil, fmt.Errorf("browser: visit %s: reading focus: %w", p.URL, err)
		}
		r.Focus = append(r.Focus, f)
	}

	rec.fill(r, origin)
	return r, nil
}

// NewTab opens a tab of b for steps of one's own (chromedp.Do, chromedp.Run),
// when VisitPage with Interact does not fit. The cancel func closes the tab.
func (b *Browser) NewTab(ctx context.Context) (context.Context, context.CancelFunc) {
	tab, cancel := chromedp.NewContext(b.ctx)
	stop := context.AfterFunc(ctx, cancel)
	return tab, func() {
		stop()
		cctx, ccancel := context.WithTimeout(tab, 5*time.Second)
		_ = chromedp.Cancel(cctx)
		ccancel()
		cancel()
	}
}

// checks is what jsChecks returns.
type checks struct {
	Lang     string         `json:"lang"`
	Title    string         `json:"title"`
	Overflow *Overflow      `json:"overflow"`
	Images   []ImageProblem `json:"images"`
	Headings []Heading      `json:"headings"`
	Matches  map[string]int `json:"matches"`
	Contrast []Contrast     `json:"contrast"`
}

// recorder keeps the events of one tab. Its event method runs on the tab's
// reading goroutine, so it only stores.
type recorder struct {
	mu       sync.Mutex
	order    []network.RequestID
	reqs     map[network.RequestID]*Request
	inflight map[network.RequestID]bool
	lastNet  time.Time
	console  []string
}

func newRecorder() *recorder {
	return &recorder{
		reqs:     map[network.RequestID]*Request{},
		inflight: map[network.RequestID]bool{},
		lastNet:  time.Now(),
	}
}

func (rec *recorder) event(ev any) {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		rec.lastNet = time.Now()
		q, ok := rec.reqs[ev.RequestID]
		if !ok || ev.RedirectResponse != nil {
			// A redirect reuses the request id: keep the hop as its own
			// request, and follow the new URL under the id.
			if ok {
				hop := *q
				hop.Status = int(ev.RedirectResponse.Status)
				key := network.RequestID(fmt.Sprintf("%s#%d", ev.RequestID, len(rec.order)))
				rec.reqs[key] = &hop
				for i, id := range rec.order {
					if id == ev.RequestID {
						rec.order[i] = key
					}
				}
			}
			q = &Request{}
			rec.reqs[ev.RequestID] = q
			rec.order = append(rec.order, ev.RequestID)
		}
		q.URL = ev.Request.URL
		q.Type = string(ev.Type)
		rec.inflight[ev.RequestID] = true
	case *network.EventResponseReceived:
		rec.lastNet = time.Now()
		if q := rec.reqs[ev.RequestID]; q != nil {
			q.Status = int(ev.Response.Status)
			if ev.Type != "" {
				q.Type = string(ev.Type)
			}
		}
	case *network.EventLoadingFinished:
		rec.lastNet = time.Now()
		if q := rec.reqs[ev.RequestID]; q != nil {
			q.Bytes = int64(ev.EncodedDataLength)
		}
		delete(rec.inflight, ev.RequestID)
	case *network.EventLoadingFailed:
		rec.lastNet = time.Now()
		if q := rec.reqs[ev.RequestID]; q != nil {
			q.Error = ev.ErrorText
			if ev.BlockedReason != "" {
				q.Error += " (" + string(ev.BlockedReason) + ")"
			}
		}
		delete(rec.inflight, ev.RequestID)
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
			rec.console = append(rec.console, "console."+string(ev.Type)+"("+argsText(ev.Args)+")"+stackText(ev.StackTrace))
		}
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		msg := d.Text
		if d.Exception != nil && d.Exception.Description != "" {
			msg += " " + firstLine(d.Exception.Description)
		}
		where := d.URL
		if where == "" && d.StackTrace != nil && len(d.StackTrace.CallFrames) > 0 {
			where = d.StackTrace.CallFrames[0].URL
		}
		rec.console = append(rec.console, fmt.Sprintf("uncaught: %s at %s:%d:%d", msg, where, d.LineNumber+1, d.ColumnNumber+1))
	case *log.EventEntryAdded:
		e := ev.Entry
		// Failed loads are reported as failed requests, with their URL.
		if e.Level == log.EntryLevelError && e.Source != log.EntrySourceNetwork {
			where := ""
			if e.URL != "" {
				where = fmt.Sprintf(" at %s:%d", e.URL, e.LineNumber+1)
			}
			rec.console = append(rec.console, fmt.Sprintf("%s: %s%s", e.Source, e.Text, where))
		}
	}
}

// waitQuiet returns once no request has been in flight for quiet, or
// gives up after max (a page that polls forever is still checked).
func (rec *recorder) waitQuiet(ctx context.Context, quiet, max time.Duration) error {
	deadline := time.Now().Add(max)
	for time.Now().Before(deadline) {
		rec.mu.Lock()
		idle := len(rec.inflight) == 0 && time.Since(rec.lastNet) >= quiet
		rec.mu.Unlock()
		if idle {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(25 * time.Millisecond):
		}
	}
	return nil
}

// fill copies the requests and console messages into r.
func (rec *recorder) fill(r *Report, origin *url.URL) {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	r.ConsoleErrors = append(r.ConsoleErrors, rec.console...)
	for i, id := range rec.order {
		q := *rec.reqs[id]
		r.Requests = append(r.Requests, q)
		r.Bytes[q.Type] += q.Bytes
		u, err := url.Parse(q.URL)
		if err != nil {
			r.Foreign = append(r.Foreign, q)
			continue
		}
		switch u.Scheme {
		case "data", "blob", "about":
			continue
		}
		if u.Host != origin.Host {
			r.Foreign = append(r.Foreign, q)
		}
		isDoc := i == 0 && q.Type == string(network.ResourceTypeDocument)
		if !isDoc && (q.Error != "" || q.Status >= 400) {
			r.Failed = append(r.Failed, q)
		}
	}
}

func argsText(args []*runtime.RemoteObject) string {
	var parts []string
	for _, a := range args {
		switch {
		case len(a.Value) > 0:
			var s string
			if json.Unmarshal(a.Value, &s) == nil {
				parts = append(parts, s)
			} else {
				parts = append(parts, string(a.Value))
			}
		case a.Description != "":
			parts = append(parts, firstLine(a.Description))
		default:
			parts = append(parts, string(a.Type))
		}
	}
	return strings.Join(parts, " ")
}

func stackText(st *runtime.StackTrace) string {
	if st == nil || len(st.CallFrames) == 0 {
		return ""
	}
	f := st.CallFrames[0]
	return fmt.Sprintf(" at %s:%d:%d", f.URL, f.LineNumber+1, f.ColumnNumber+1)
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}
