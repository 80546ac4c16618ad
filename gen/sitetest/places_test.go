package sitetest

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"gongjian/gen/dataset"
	"gongjian/gen/internal/browser"
)

// waitPath waits, at most 10 s, until the tab shows a page whose path
// starts with path: a tap on a link has taken the browser there.
func waitPath(tab context.Context, path string) error {
	deadline := time.Now().Add(10 * time.Second)
	for {
		loc, err := chromedp.Run(tab, chromedp.Location())
		if u, perr := url.Parse(loc); err == nil && perr == nil && strings.HasPrefix(u.Path, path) {
			ready, err := chromedp.Run(tab, chromedp.Evaluate[bool](`document.readyState === "complete"`))
			if err == nil && ready {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("still at %s after 10 s, want %s", loc, path)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// tap taps the element sel as a finger does: the browser's own pointer
// events, so a link works with or without the page's scripts.
func tap(tab context.Context, sel string) error {
	return chromedp.Do(tab, chromedp.Click(chromedp.CSS(sel)))
}

// placeFacts is what jsPlace reads off a compound's page.
type placeFacts struct {
	Title    string   `json:"title"`
	Figures  []string `json:"figures"`  // value and unit of each headline figure
	Withheld []string `json:"withheld"` // "MONTH WORD REASON" of each withheld cell shown
	Problems []string `json:"problems"`
}

// jsPlace checks a compound's page as a resident sees it: the headline
// figures show a number and a unit, each withheld cell shows its word
// and a visible link to a reason that is on the page, and nothing sticks
// out sideways.
const jsPlace = `(() => {
  const out = {title: document.querySelector("h1").textContent.trim(), figures: [], withheld: [], problems: []};
  const shown = el => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  for (const f of document.querySelectorAll(".place-figures .figure-card")) {
    const v = f.querySelector(".figure-value");
    if (!shown(v)) out.problems.push("a headline figure is not shown");
    out.figures.push(v.textContent.trim());
  }
  for (const td of document.querySelectorAll("td.withheld")) {
    const row = td.closest("tr").querySelector("th").textContent.trim();
    const ref = td.querySelector("a.why-ref");
    const why = ref && document.querySelector(ref.getAttribute("href"));
    if (!ref || !why || !shown(why)) { out.problems.push(row + ": a withheld cell without a reason shown"); continue; }
    out.withheld.push(row + " " + td.querySelector(".withheld-word").textContent.trim() + " " + why.textContent.trim());
  }
  const se = document.scrollingElement;
  if (se.scrollWidth > se.clientWidth + 1) out.problems.push("the page scrolls sideways: " + se.scrollWidth + " px in " + se.clientWidth);
  return out;
})()`

// TestPlaces: at every width, the picker on the garbage-sorting topic
// lists every compound's page and a tap reaches one; the compound's page
// shows its headline figures with units, shows the figures withheld for
// too few households as 不公开 with the reason, and does not scroll
// sideways. Screenshots: places-picker-W.png (the topic with the
// picker), place-k06-W.png (桂花苑's page, reached by a tap on the
// picker, with its withheld May 2026 row).
func TestPlaces(t *testing.T) {
	b := browser.New(t)
	out := builtSite(t)
	base := browser.Serve(t, out)
	shots := filepath.Join(root, "screenshots")
	entries, err := os.ReadDir(filepath.Join(out, "places"))
	if err != nil {
		t.Fatal(err)
	}
	if *src == root && len(entries) != 8 {
		t.Fatalf("%d compound pages, want the example site's 8", len(entries))
	}
	for _, w := range widths {
		t.Run(fmt.Sprint(w), func(t *testing.T) {
			r, err := b.VisitPage(t.Context(), browser.Page{
				URL: base + "/topics/garbage-sorting/", Width: w,
				Screenshot: filepath.Join(shots, fmt.Sprintf("places-picker-%d.png", w)),
				Count:      []string{".place-links a[href^='/places/']"},
			})
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range r.Problems() {
				t.Errorf("topic at %d px: %s", w, p)
			}
			if n := r.Matches[".place-links a[href^='/places/']"]; n != len(entries) {
				t.Errorf("the picker links %d compounds, want %d", n, len(entries))
			}

			var facts placeFacts
			r, err = b.VisitPage(t.Context(), browser.Page{
				URL: base + "/topics/garbage-sorting/", Width: w,
				Screenshot: filepath.Join(shots, fmt.Sprintf("place-k06-%d.png", w)),
				Interact: func(tab context.Context) error {
					if err := tap(tab, `.place-links a[href="/places/k06/"]`); err != nil {
						return err
					}
					if err := waitPath(tab, "/places/k06/"); err != nil {
						return err
					}
					facts, err = chromedp.Run(tab, chromedp.Evaluate[placeFacts](jsPlace))
					return err
				},
			})
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range append(r.Problems(), facts.Problems...) {
				t.Errorf("/places/k06/ at %d px: %s", w, p)
			}
			if facts.Title != "桂花苑" {
				t.Errorf("the tap reached a page titled %q, want 桂花苑", facts.Title)
			}
			units := []string{"千克", "分", "户"}
			if len(facts.Figures) != len(units) {
				t.Fatalf("headline figures %q, want %d", facts.Figures, len(units))
			}
			for i, f := range facts.Figures {
				if !strings.HasSuffix(f, units[i]) || strings.TrimSuffix(f, units[i]) == "" || strings.ContainsAny(f, "不统") {
					t.Errorf("headline figure %d = %q, want a number in %s", i+1, f, units[i])
				}
			}
			may := 0
			for _, c := range facts.Withheld {
				if strings.HasPrefix(c, "2026年5月 不公开 不公开：参与户数少于10户") {
					may++
				}
			}
			if may != 4 {
				t.Errorf("withheld cells %q: want the 4 figures of 2026年5月 shown as 不公开 with the reason (fewer than 10 households)", facts.Withheld)
			}
		})
	}
}

// requestFacts is what jsRequests reads off a compound's requests
// section.
type requestFacts struct {
	Heading  string   `json:"heading"`
	Scope    string   `json:"scope"`    // the notice that says whose requests these are
	Figures  []string `json:"figures"`  // "TITLE VALUE" of each figure card
	Withheld []string `json:"withheld"` // the reason each withheld figure links to
	Rows     []string `json:"rows"`     // "CATEGORY COLLECTED RESOLVED" of each row, the total last
	Link     string   `json:"link"`     // the dataset link shown
	// TableScrolls says how far each table is wider than its box, which
	// then scrolls sideways on its own.
	TableScrolls []string `json:"tableScrolls"`
	Problems     []string `json:"problems"`
}

// jsRequests checks the requests section as a resident sees it: every
// figure shown, each withheld one linking to a reason that is shown, the
// dataset a tap away, and nothing in the section (its table included)
// wider than the screen.
const jsRequests = `(() => {
  const out = {heading: "", scope: "", figures: [], withheld: [], rows: [], link: "", tableScrolls: [], problems: []};
  const s = document.querySelector("section.place-requests");
  if (!s) { out.problems.push("no requests section"); return out; }
  const shown = el => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const text = el => el.textContent.replace(/\s+/g, " ").trim();
  const vw = document.documentElement.clientWidth;
  out.heading = text(s.querySelector("h2"));
  const n = s.querySelector(".notice");
  out.scope = n ? text(n) : "";
  for (const el of s.querySelectorAll("*")) {
    if (el.closest(".table-scroll")) continue; // a table scrolls in its own box, with a cue
    const r = el.getBoundingClientRect();
    if (r.width > 0 && (r.left < -1 || r.right > vw + 1)) { out.problems.push(el.tagName.toLowerCase() + "." + el.className + " sticks out: " + Math.round(r.left) + " to " + Math.round(r.right) + " in " + vw); break; }
  }
  for (const ts of s.querySelectorAll(".table-scroll")) {
    if (ts.scrollWidth > ts.clientWidth + 1) out.tableScrolls.push(ts.scrollWidth + " px in " + ts.clientWidth);
  }
  for (const c of s.querySelectorAll(".figure-card")) {
    const v = c.querySelector(".figure-value");
    if (!shown(v)) out.problems.push("a figure is not shown");
    out.figures.push(text(c.querySelector(".figure-title")) + " " + text(v));
    const ref = v.querySelector("a.why-ref");
    if (!ref) continue;
    const why = document.querySelector(ref.getAttribute("href"));
    if (!why || !shown(why)) out.problems.push("a withheld figure without a reason shown");
    else out.withheld.push(text(why));
  }
  for (const tr of s.querySelectorAll("tbody tr")) out.rows.push([...tr.children].map(text).join(" "));
  const a = s.querySelector("a[href='/data/requests/']");
  out.link = a && shown(a) ? a.getAttribute("href") : "";
  const se = document.scrollingElement;
  if (se.scrollWidth > se.clientWidth + 1) out.problems.push("the page scrolls sideways: " + se.scrollWidth + " px in " + se.clientWidth);
  return out;
})()`

// requestsCase is a compound's page and what its requests section shows
// on the example site.
type requestsCase struct {
	page, community string
	enough          bool // the rate and median are shown
}

// TestPlaceRequests: at every width, a compound's page shows the
// requests of its community, says they are the community's, shows
// collected and resolved counts, and shows the resolution rate and median
// days where the community has enough requests and 不计算 with the reason
// where it has too few; the category table adds up, and neither the
// section nor its table scrolls sideways. On the example site the figures
// are those the expression language gives for the community. Each width
// loads 祥安东城国际花园's page (白浪社区: every figure shown), then
// 滨河家园's (和平社区: five requests, rate and median withheld), which
// the screenshot place-requests-k05-W.png shows; place-k06-W.png
// (TestPlaces) shows 桂花苑's with every figure.
func TestPlaceRequests(t *testing.T) {
	b := browser.New(t)
	out := builtSite(t)
	base := browser.Serve(t, out)
	shots := filepath.Join(root, "screenshots")
	var sets []*dataset.Dataset
	if *src == root {
		loaded, errs := dataset.LoadDir(os.DirFS(root), "data")
		if err := errs.Err(); err != nil {
			t.Fatal(err)
		}
		sets = loaded
	}
	cases := []requestsCase{{"k01", "白浪社区", true}, {"k05", "和平社区", false}}
	for _, w := range widths {
		t.Run(fmt.Sprint(w), func(t *testing.T) {
			facts := make([]requestFacts, len(cases))
			r, err := b.VisitPage(t.Context(), browser.Page{
				URL: base + "/places/" + cases[0].page + "/", Width: w,
				Screenshot: filepath.Join(shots, fmt.Sprintf("place-requests-%s-%d.png", cases[1].page, w)),
				Interact: func(tab context.Context) error {
					for i, tc := range cases {
						if i > 0 {
							if err := chromedp.Do(tab, chromedp.Navigate(base+"/places/"+tc.page+"/")); err != nil {
								return err
							}
							if err := waitPath(tab, "/places/"+tc.page+"/"); err != nil {
								return err
							}
						}
						var err error
						if facts[i], err = chromedp.Run(tab, chromedp.Evaluate[requestFacts](jsRequests)); err != nil {
							return err
						}
					}
					return nil
				},
			})
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range r.Problems() {
				t.Errorf("/places/%s/ at %d px: %s", cases[1].page, w, p)
			}
			for i, tc := range cases {
				checkRequestFacts(t, facts[i], tc, w, sets)
			}
		})
	}
}

// TestPlaceRequestsText200: on a phone, with the reader's 大字 view and
// the text at 200%, the requests section loses nothing: every figure and
// the reason of the withheld ones show, and nothing but the category
// table, in its own scrolling box, is wider than the screen.
// Screenshots: place-requests-k05-text200-W.png.
func TestPlaceRequestsText200(t *testing.T) {
	b := browser.New(t)
	base := browser.Serve(t, builtSite(t))
	shots := filepath.Join(root, "screenshots")
	for _, w := range []int{320, 375} {
		t.Run(fmt.Sprint(w), func(t *testing.T) {
			var facts requestFacts
			r, err := b.VisitPage(t.Context(), browser.Page{
				URL: base + "/places/k05/", Width: w,
				Screenshot: filepath.Join(shots, fmt.Sprintf("place-requests-k05-text200-%d.png", w)),
				Interact: func(tab context.Context) error {
					if _, err := chromedp.Run(tab, chromedp.Evaluate[any](`document.documentElement.dataset.text = "large", document.documentElement.style.fontSize = "200%"`)); err != nil {
						return err
					}
					var err error
					facts, err = chromedp.Run(tab, chromedp.Evaluate[requestFacts](jsRequests))
					return err
				},
			})
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range append(r.Problems(), facts.Problems...) {
				t.Errorf("/places/k05/ at %d px, text at 200%%: %s", w, p)
			}
			if len(facts.Figures) != 4 || len(facts.Withheld) != 2 || len(facts.Rows) < 2 || facts.Link == "" {
				t.Errorf("at %d px, text at 200%%: figures %q, reasons %q, rows %q, link %q; want everything the standard view shows", w, facts.Figures, facts.Withheld, facts.Rows, facts.Link)
			}
		})
	}
}

// checkRequestFacts checks what jsRequests read off the page of tc at
// width w; sets, when given, are the example site's datasets.
func checkRequestFacts(t *testing.T, facts requestFacts, tc requestsCase, w int, sets []*dataset.Dataset) {
	t.Helper()
	for _, p := range facts.Problems {
		t.Errorf("/places/%s/ at %d px: %s", tc.page, w, p)
	}
	for _, p := range facts.TableScrolls {
		t.Errorf("/places/%s/ at %d px: the category table scrolls sideways: %s", tc.page, w, p)
	}
	if len(facts.Figures) != 4 || len(facts.Rows) < 2 || facts.Link == "" {
		t.Errorf("/places/%s/ requests section: figures %q, rows %q, link %q; want 4 figures, a category table and the dataset link", tc.page, facts.Figures, facts.Rows, facts.Link)
		return
	}
	// The category rows add up to the total row, which is what the
	// figures say.
	var sum [2]int
	for _, row := range facts.Rows[:len(facts.Rows)-1] {
		f := strings.Fields(row)
		c, err1 := strconv.Atoi(f[len(f)-2])
		d, err2 := strconv.Atoi(f[len(f)-1])
		if err1 != nil || err2 != nil {
			t.Errorf("/places/%s/ category row %q: want a category, then two counts", tc.page, row)
			return
		}
		sum[0], sum[1] = sum[0]+c, sum[1]+d
	}
	if total, want := facts.Rows[len(facts.Rows)-1], fmt.Sprintf("合计 %d %d", sum[0], sum[1]); total != want {
		t.Errorf("/places/%s/ total row %q, want %q (the categories' sum)", tc.page, total, want)
	}
	if !strings.HasPrefix(facts.Figures[0], fmt.Sprintf("收集诉求 %d件", sum[0])) || !strings.HasPrefix(facts.Figures[1], fmt.Sprintf("已解决 %d件", sum[1])) {
		t.Errorf("/places/%s/ figures %q, want %d collected and %d resolved as the table", tc.page, facts.Figures[:2], sum[0], sum[1])
	}
	if sets == nil {
		return
	}
	eval := func(expr string) string {
		v, err := dataset.Eval(sets, expr)
		if err != nil {
			t.Fatalf("Eval(%q): %v", expr, err)
		}
		return v
	}
	if !strings.HasPrefix(facts.Heading, tc.community+"的居民诉求") || !strings.Contains(facts.Scope, "不细分到小区") || !strings.Contains(facts.Scope, "所在社区为示例") {
		t.Errorf("/places/%s/ heading %q, scope %q: want %s's requests, said to be the community's, the community marked as sample", tc.page, facts.Heading, facts.Scope, tc.community)
	}
	where := " where place = " + tc.community
	if want := "收集诉求 " + eval("requests | count"+where) + "件"; facts.Figures[0] != want {
		t.Errorf("/places/%s/ collected %q, want %q", tc.page, facts.Figures[0], want)
	}
	if tc.enough {
		rate := "解决率 " + eval("requests | rate status = 已解决"+where)
		days := "办理天数中位数 " + eval("requests | median 办理天数"+where+" and status = 已解决") + "天"
		if !strings.HasPrefix(facts.Figures[2], rate) || !strings.HasPrefix(facts.Figures[3], days) || len(facts.Withheld) != 0 {
			t.Errorf("/places/%s/ figures %q (withheld %q), want %q and %q shown", tc.page, facts.Figures, facts.Withheld, rate, days)
		}
		return
	}
	if len(facts.Withheld) != 2 || !strings.Contains(facts.Figures[2], "不计算") || !strings.Contains(facts.Figures[3], "不计算") || !strings.Contains(facts.Withheld[0], "少于10") {
		t.Errorf("/places/%s/ figures %q, reasons %q: want the rate and median shown as 不计算, with the reason (fewer than 10 requests)", tc.page, facts.Figures, facts.Withheld)
	}
}

// filterFacts is what jsFilter reads off a catalogue page.
type filterFacts struct {
	Items   []string `json:"items"`   // the topic chip of each dataset listed
	Current string   `json:"current"` // the filter link marked as the current page
	Switch  bool     `json:"switch"`  // the view switch shows: the page's own script ran
}

const jsFilter = `(() => ({
  items: [...document.querySelectorAll(".dataset-item")].map(li => (li.querySelector(".meta .chip") || {textContent: ""}).textContent.trim()),
  current: (document.querySelector(".data-filters [aria-current=page]") || {textContent: ""}).textContent.trim(),
  switch: !!document.querySelector(".view-switch:not([hidden])"),
}))()`

// TestCatalogueFilters: with JavaScript off, at every width, a tap on a
// topic filter of the data catalogue leads to a page that lists only that
// topic's datasets, and a tap on an update period to one that lists fewer
// than the catalogue; neither scrolls sideways. Screenshots:
// data-filter-topic-W.png and data-filter-updated-W.png.
func TestCatalogueFilters(t *testing.T) {
	b := browser.New(t)
	base := browser.Serve(t, builtSite(t))
	shots := filepath.Join(root, "screenshots")
	for _, w := range widths {
		t.Run(fmt.Sprint(w), func(t *testing.T) {
			for _, tc := range []struct {
				name, link, path, chip string
			}{
				{"topic", `.data-filters a[href="/data/topic/garbage-sorting/"]`, "/data/topic/garbage-sorting/", "垃圾分类"},
				{"updated", `.data-filters a[href^="/data/updated/"]`, "/data/updated/", ""},
			} {
				var all, narrowed filterFacts
				r, err := b.VisitPage(t.Context(), browser.Page{
					URL: base + "/data/", Width: w,
					Screenshot: filepath.Join(shots, fmt.Sprintf("data-filter-%s-%d.png", tc.name, w)),
					Interact: func(tab context.Context) error {
						off := chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
							_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
							return err
						})
						if err := chromedp.Do(tab, off, chromedp.Navigate(base+"/data/")); err != nil {
							return err
						}
						var err error
						if all, err = chromedp.Run(tab, chromedp.Evaluate[filterFacts](jsFilter)); err != nil {
							return err
						}
						if err := tap(tab, tc.link); err != nil {
							return err
						}
						if err := waitPath(tab, tc.path); err != nil {
							return err
						}
						narrowed, err = chromedp.Run(tab, chromedp.Evaluate[filterFacts](jsFilter))
						return err
					},
				})
				if err != nil {
					t.Fatal(err)
				}
				for _, p := range r.Problems() {
					t.Errorf("%s filter at %d px: %s", tc.name, w, p)
				}
				if all.Switch || narrowed.Switch {
					t.Errorf("the view switch showed: the page's script ran, JavaScript was meant to be off")
				}
				if len(narrowed.Items) == 0 || len(narrowed.Items) >= len(all.Items) {
					t.Errorf("%s filter lists %d datasets, the catalogue %d: want fewer, at least one", tc.name, len(narrowed.Items), len(all.Items))
				}
				if narrowed.Current == "" || all.Current == "" {
					t.Errorf("current filter: catalogue %q, filter page %q; want each marked", all.Current, narrowed.Current)
				}
				if tc.chip != "" {
					for _, c := range narrowed.Items {
						if c != tc.chip {
							t.Errorf("the %s filter lists a dataset of %q", tc.chip, c)
						}
					}
				}
			}
		})
	}
}
