// Package browser is the shared harness for tests that look at built pages
// in a real Chromium (Debian's chromium, driven by chromedp): it serves a
// folder over HTTP on 127.0.0.1, visits a page at a given viewport width in a
// fresh tab, and returns a Report of what a resident would run into — console
// errors and uncaught exceptions, failed requests, requests to any host but
// the test server, horizontal overflow (naming the widest offending element),
// images without alt text, headings out of order, the <html lang>, bytes
// transferred per resource type, and, on request, where keyboard focus goes
// when Tab is pressed and whether that focus can be seen.
//
// A test package uses it like this:
//
//	func TestMain(m *testing.M) { os.Exit(browser.Run(m)) } // one Chromium for the package
//
//	func TestPage(t *testing.T) {
//		b := browser.New(t) // skips when Chromium is missing, unless GONGJIAN_REQUIRE_BROWSER=1
//		base := browser.Serve(t, "testdata/site")
//		r, err := b.Visit(t.Context(), base+"/news/", 375)
//		if err != nil {
//			t.Fatal(err)
//		}
//		for _, p := range r.Problems() {
//			t.Error(p)
//		}
//	}
//
// VisitPage takes a Page for more: Tab presses, a screenshot file, CSS
// selectors to count, and Interact, steps of one's own (type a query, wait
// for a chart) run before the checks, so the report covers what they caused.
// NewTab gives a bare tab for anything else. Report.BytesWhere and
// Report.RequestsTo serve budgets ("no ECharts on this page"). Handler,
// NewServer and Serve serve a built site. Without browser.Run in TestMain,
// each New starts its own Chromium and closes it when the test ends.
//
// Chromium is /usr/bin/chromium or the file named by $CHROMIUM. It runs
// headless without the sandbox (tests often run as root), with a throwaway
// profile, with the HTTP cache off (every visit is a cold load, so byte
// counts are honest), and with every host name except 127.0.0.1 and localhost
// resolving to nothing, so a stray CDN request is recorded but never leaves
// the machine. Lazy images are loaded at once, so that a broken one below
// the fold is caught and screenshots are whole; Bytes["Image"] is therefore
// every image of the page, not just the first screen's.
package browser
