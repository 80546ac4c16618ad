package sitetest

import (
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"gongjian/gen/internal/browser"
)

// jsHeader measures the header as a phone shows it: the menu's rows, the
// lines of the search button's label, the size of every control a finger
// aims at, and whether the page or a header control sticks out sideways.
const jsHeader = `(() => {
  const lines = el => {
    const tops = new Set();
    const w = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let n = w.nextNode(); n; n = w.nextNode()) {
      for (let i = 0; i < n.length; i++) {
        const r = document.createRange(); r.setStart(n, i); r.setEnd(n, i + 1);
        const rs = r.getClientRects(); if (rs.length) tops.add(Math.round(rs[0].top));
      }
    }
    return tops.size;
  };
  const W = document.documentElement.clientWidth;
  const se = document.scrollingElement;
  const out = {problems: [], menuRows: 0, view: document.documentElement.dataset.text || "", contrast: document.documentElement.dataset.contrast || "",
    rootPx: parseFloat(getComputedStyle(document.documentElement).fontSize)};
  const menu = [...document.querySelectorAll(".site-nav a")];
  out.menuRows = new Set(menu.map(a => Math.round(a.getBoundingClientRect().top))).size;
  const targets = [...menu, ...document.querySelectorAll(".search-box input, .search-box button, .view-switch button")];
  for (const el of targets) {
    const r = el.getBoundingClientRect();
    const name = el.localName + " " + JSON.stringify((el.textContent || el.placeholder || "").trim());
    if (r.height < 43.5) out.problems.push(name + " is " + r.height.toFixed(1) + " px tall, under 44");
    if (el.localName !== "input" && r.width < 43.5) out.problems.push(name + " is " + r.width.toFixed(1) + " px wide, under 44");
    if (r.left < -0.5 || r.right > W + 0.5) out.problems.push(name + " sticks out of the " + W + " px screen");
  }
  for (const b of document.querySelectorAll(".search-box button, .site-nav a, .view-switch button")) {
    if (lines(b) > 1) out.problems.push(b.localName + " " + JSON.stringify(b.textContent.trim()) + " breaks onto " + lines(b) + " lines");
  }
  if (se.scrollWidth > se.clientWidth + 1) out.problems.push("the page scrolls sideways: " + se.scrollWidth + " px content in " + se.clientWidth);
  const sw = document.querySelector(".view-switch");
  out.switchShown = !!sw && !sw.hidden && sw.getBoundingClientRect().height > 0;
  return out;
})()`

type headerFacts struct {
	Problems []string `json:"problems"`
	MenuRows int      `json:"menuRows"`
	View     string   `json:"view"`
	Contrast string   `json:"contrast"`
	RootPx   float64  `json:"rootPx"`
	Shown    bool     `json:"switchShown"`
}

func header(tab context.Context) (headerFacts, error) {
	return chromedp.Run(tab, chromedp.Evaluate[headerFacts](jsHeader))
}

// TestPhoneHeader: at 320 and 375 px the menu is one row, 搜索 is one
// line, every header control is at least 44 px; the reader's view switch
// shows, 大字 enlarges the page and 高对比 switches colours, both survive a
// reload; with 大字 and with the text at 200% nothing scrolls sideways.
func TestPhoneHeader(t *testing.T) {
	b := browser.New(t)
	base := browser.Serve(t, builtSite(t))
	shots := filepath.Join(root, "screenshots")
	for _, w := range []int{320, 375} {
		t.Run(fmt.Sprint(w), func(t *testing.T) {
			var steps []headerFacts
			step := func(tab context.Context, what string) error {
				f, err := header(tab)
				if err != nil {
					return fmt.Errorf("%s: %w", what, err)
				}
				for _, p := range f.Problems {
					t.Errorf("%d px, %s: %s", w, what, p)
				}
				steps = append(steps, f)
				return nil
			}
			// A tap: the element's click(), as a finger's tap fires it.
			click := func(tab context.Context, sel string) error {
				_, err := chromedp.Run(tab, chromedp.Evaluate[bool](`document.querySelector(`+"`"+sel+"`"+`).click() === undefined`))
				return err
			}
			r, err := b.VisitPage(t.Context(), browser.Page{
				URL: base + "/", Width: w,
				// The screenshot shows the page as the last step left it: 大字,
				// 高对比 and text at 200%.
				Screenshot: filepath.Join(shots, fmt.Sprintf("view-large-contrast-text200-%d.png", w)),
				Interact: func(tab context.Context) error {
					// Tabs share the browser's storage: start from the
					// standard view whatever an earlier visit chose.
					if _, err := chromedp.Run(tab, chromedp.Evaluate[bool](`localStorage.removeItem("gongjian-view") === undefined`)); err != nil {
						return err
					}
					if _, err := chromedp.Run(tab, chromedp.Reload()); err != nil {
						return err
					}
					if err := step(tab, "standard view"); err != nil {
						return err
					}
					if err := click(tab, ".view-switch [data-text]"); err != nil {
						return err
					}
					if err := step(tab, "大字"); err != nil {
						return err
					}
					if _, err := chromedp.Run(tab, chromedp.Reload()); err != nil {
						return err
					}
					if err := step(tab, "大字 after a reload"); err != nil {
						return err
					}
					if err := click(tab, ".view-switch [data-contrast]"); err != nil {
						return err
					}
					if err := step(tab, "大字 and 高对比"); err != nil {
						return err
					}
					// Text at 200% of the standard size, as a browser's text
					// zoom gives it.
					if _, err := chromedp.Run(tab, chromedp.Evaluate[any](`document.documentElement.style.fontSize = "200%"`)); err != nil {
						return err
					}
					return step(tab, "text at 200%")
				},
			})
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range r.Problems() {
				t.Errorf("%d px: %s", w, p)
			}
			if len(steps) != 5 {
				t.Fatalf("%d of 5 steps measured", len(steps))
			}
			std, large, reloaded, both, zoom := steps[0], steps[1], steps[2], steps[3], steps[4]
			if std.MenuRows != 1 {
				t.Errorf("%d px: the menu takes %d rows, want 1", w, std.MenuRows)
			}
			if !std.Shown {
				t.Errorf("%d px: the view switch is not shown", w)
			}
			if std.View != "" || large.View != "large" || reloaded.View != "large" {
				t.Errorf("%d px: data-text standard %q, after 大字 %q, after a reload %q; want \"\", large, large", w, std.View, large.View, reloaded.View)
			}
			if large.RootPx < std.RootPx*1.2 {
				t.Errorf("%d px: 大字 gives a %.1f px root font, standard %.1f", w, large.RootPx, std.RootPx)
			}
			if both.Contrast != "high" {
				t.Errorf("%d px: after 高对比 data-contrast = %q, want high", w, both.Contrast)
			}
			if zoom.RootPx < std.RootPx*1.9 {
				t.Errorf("%d px: text at 200%% gives a %.1f px root font", w, zoom.RootPx)
			}
		})
	}
}

// TestPhoneLightbox: on a 375 px phone, a photo opened from an album is
// shown at least as wide as on the page, with its buttons on the screen.
func TestPhoneLightbox(t *testing.T) {
	b := browser.New(t)
	out := builtSite(t)
	base := browser.Serve(t, out)
	album := pickPage(out, "albums", `data-lightbox`)
	if album == "" {
		t.Fatal("no album page with a lightbox in the example site")
	}
	type facts struct {
		Open   bool    `json:"open"`
		Thumb  float64 `json:"thumb"`
		Shown  float64 `json:"shown"`
		Screen float64 `json:"screen"`
		Off    []string
	}
	var f facts
	r, err := b.VisitPage(t.Context(), browser.Page{
		URL: base + album, Width: 375,
		Screenshot: filepath.Join(root, "screenshots", "lightbox-375.png"),
		Interact: func(tab context.Context) error {
			if _, err := chromedp.Run(tab, chromedp.Evaluate[bool](`document.querySelector("[data-lightbox] a").click() === undefined`)); err != nil {
				return err
			}
			var err error
			f, err = chromedp.Run(tab, chromedp.Evaluate[facts](`new Promise(done => {
  const d = document.querySelector("dialog.lightbox"), img = d && d.querySelector("img");
  let tries = 0;
  const poll = () => {
    if (!(img && img.complete && img.naturalWidth) && ++tries < 50) return setTimeout(poll, 100);
    const off = [...d.querySelectorAll(".lb-bar button, .lb-bar a")].filter(b => {
      const r = b.getBoundingClientRect();
      return r.left < 0 || r.right > innerWidth || r.bottom > innerHeight || r.height < 43.5;
    }).map(b => b.textContent.trim());
    done({open: d.open, thumb: document.querySelector("[data-lightbox] img").getBoundingClientRect().width,
      shown: img.getBoundingClientRect().width, screen: innerWidth, Off: off});
  };
  poll();
})`, chromedp.EvalAwaitPromise))
			return err
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range r.Problems() {
		t.Error(p)
	}
	if !f.Open {
		t.Fatal("tapping a photo did not open the lightbox")
	}
	if f.Shown < f.Thumb-1 || f.Shown < 0.9*f.Screen {
		t.Errorf("the lightbox shows the photo %.0f px wide; on the page it is %.0f px, the screen %.0f px", f.Shown, f.Thumb, f.Screen)
	}
	for _, b := range f.Off {
		t.Errorf("lightbox button %q is off the screen or under 44 px", b)
	}
}

// knownWords are words that lines of the example site's headings, cards,
// chips and links once broke inside (四队上/阵, 孩子/们, 分小/区, 小流域治/理,
// 台/账, a card summary's 回收/亭, and with text at 200% the brand's
// 共同缔/造 and 数/据来源), and
// others that recur in its titles.
var knownWords = []string{"四队", "上阵", "孩子们", "分小区", "小流域", "治理", "台账", "居民", "诉求", "垃圾", "分类", "回收亭", "积分", "社区", "生态", "环境", "试点", "缔造", "数据", "来源"}

// jsBreaks lays every heading, card title and summary, chip, tag and album title of
// the page, the site's name in the header and each headline figure's
// source link out at widths from 9 (those two: 4) to 20 times its font size, as phones from
// 320 px (with large text) to tablets would, and reports each line that starts or ends inside one
// of the words, and each line holding a single Chinese character.
const jsBreaks = `(words => {
  const sel = "h1, h2, h3, .card-title, .card .summary, .chip, .tags a, .album-title, .figure-title, .brand, .figure-source a";
  const out = {checked: 0, found: {}, problems: []};
  const lay = el => {
    const chars = [];
    const w = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let n = w.nextNode(); n; n = w.nextNode()) {
      for (let i = 0; i < n.length; i++) {
        const r = document.createRange(); r.setStart(n, i); r.setEnd(n, i + 1);
        const rs = r.getClientRects();
        if (rs.length) chars.push({ch: n.data[i], top: rs[0].top});
      }
    }
    const text = chars.map(c => c.ch).join("");
    const starts = [0];
    for (let k = 1; k < chars.length; k++) if (chars[k].top > chars[k - 1].top + 2) starts.push(k);
    return {text, starts};
  };
  for (const el of document.querySelectorAll(sel)) {
    const text = el.textContent.trim();
    const mine = words.filter(w => text.includes(w));
    if (!/[\u4e00-\u9fff]/.test(text)) continue;
    out.checked++;
    mine.forEach(w => out.found[w] = (out.found[w] || 0) + 1);
    const em = parseFloat(getComputedStyle(el).fontSize);
    const saved = [el.style.display, el.style.maxWidth];
    if (getComputedStyle(el).display === "inline") el.style.display = "inline-block";
    // The header's name and a figure's source link share their line with
    // other things: they get as narrow as four characters.
    const narrowest = el.matches(".brand, .figure-source a") ? 4 : 9;
    for (let k = narrowest; k <= 20; k += 0.5) {
      el.style.maxWidth = (k * em) + "px";
      const {text: t, starts} = lay(el);
      for (let s = 0; s < starts.length; s++) {
        const from = starts[s], to = s + 1 < starts.length ? starts[s + 1] : t.length;
        const line = t.slice(from, to).trim();
        if (starts.length > 1 && line.replace(/[^\u4e00-\u9fff]/g, "").length === 1) {
          out.problems.push(JSON.stringify(t) + " at " + k + "em: a line of one character, " + JSON.stringify(line));
        }
        if (s === 0) continue;
        for (const w of mine) {
          for (let at = t.indexOf(w); at >= 0; at = t.indexOf(w, at + 1)) {
            if (from > at && from < at + w.length) {
              out.problems.push(JSON.stringify(t) + " at " + k + "em: a line breaks inside " + w + " (" + JSON.stringify(t.slice(0, from)) + " / " + JSON.stringify(t.slice(from)) + ")");
            }
          }
        }
      }
    }
    [el.style.display, el.style.maxWidth] = saved;
  }
  out.problems = [...new Set(out.problems)];
  return out;
})`

// TestHeadingBreaks: on pages that show the known words, no line of a
// heading, card, chip, tag or album title starts or ends inside one, and
// none holds a lone character, whatever the width.
func TestHeadingBreaks(t *testing.T) {
	b := browser.New(t)
	out := builtSite(t)
	base := browser.Serve(t, out)
	pages := []string{"/", "/news/", "/topics/", "/tags/", "/data/", "/albums/", "/topics/river/", "/topics/garbage-sorting/"}
	for _, slug := range []string{"5433-mechanism", "huaxia-after-school-care", "small-watershed-remediation"} {
		if exists(out, "/news/"+slug+"/") {
			pages = append(pages, "/news/"+slug+"/")
		}
	}
	if p := pickPage(out, "data", "分小区"); p != "" {
		pages = append(pages, p)
	}
	type result struct {
		Checked  int            `json:"checked"`
		Found    map[string]int `json:"found"`
		Problems []string       `json:"problems"`
	}
	found := map[string]int{}
	words := "[" + `"` + strings.Join(knownWords, `","`) + `"` + "]"
	for _, p := range pages {
		var res result
		_, err := b.VisitPage(t.Context(), browser.Page{
			URL: base + p, Width: 375,
			Interact: func(tab context.Context) error {
				var err error
				res, err = chromedp.Run(tab, chromedp.Evaluate[result](jsBreaks+"("+words+")"))
				return err
			},
		})
		if err != nil {
			t.Fatal(err)
		}
		if res.Checked == 0 {
			t.Errorf("%s: no heading, card or chip with Chinese text", p)
		}
		for _, problem := range res.Problems {
			t.Errorf("%s: %s", p, problem)
		}
		for w, n := range res.Found {
			found[w] += n
		}
	}
	for _, w := range []string{"四队", "上阵", "孩子们", "分小区", "小流域", "治理", "台账", "缔造", "数据", "来源"} {
		if found[w] == 0 {
			t.Errorf("no checked text contains %s: the test no longer covers it", w)
		}
	}
}

// TestPhoneFirstScreen: on a 375×812 phone, every headline figure of the
// home page and of the garbage-sorting topic is on the first screen with
// its unit (or %) and 截至 date, and a dataset page shows its first chart
// there, before its description and files.
func TestPhoneFirstScreen(t *testing.T) {
	b := browser.New(t)
	out := builtSite(t)
	base := browser.Serve(t, out)
	type figure struct {
		Text   string  `json:"text"`
		Bottom float64 `json:"bottom"`
		AsOf   string  `json:"asof"`
	}
	const js = `[...document.querySelectorAll(SEL)].map(el => {
  const card = el.closest(".figure-card, .chart-card");
  const asof = card && card.querySelector(".figure-asof, .chart-asof");
  return {text: el.textContent.trim(), bottom: el.getBoundingClientRect().bottom, asof: asof ? asof.textContent.trim() : ""};
})`
	tests := []struct {
		page, sel string
		min       int
	}{
		{"/", ".figure-value", 6},
		{"/topics/garbage-sorting/", ".topic-figures .chart-number", 2},
		{pickPage(out, "data", "data-chart "), "figure[data-chart] .chart-canvas, figure[data-chart] .chart-title", 1},
	}
	for _, tt := range tests {
		var got []figure
		r, err := b.VisitPage(t.Context(), browser.Page{
			URL: base + tt.page, Width: 375, Height: 812,
			Interact: func(tab context.Context) error {
				var err error
				got, err = chromedp.Run(tab, chromedp.Evaluate[[]figure](strings.Replace(js, "SEL", "`"+tt.sel+"`", 1)))
				return err
			},
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range r.Problems() {
			t.Errorf("%s: %s", tt.page, p)
		}
		if len(got) < tt.min {
			t.Errorf("%s: %d of %s, want at least %d", tt.page, len(got), tt.sel, tt.min)
			continue
		}
		if strings.Contains(tt.sel, "chart-canvas") {
			if got[0].Bottom > 812 {
				t.Errorf("%s: the first chart starts below the first screen (its title ends at %.0f px)", tt.page, got[0].Bottom)
			}
			continue
		}
		for _, f := range got {
			if f.Bottom > 812 {
				t.Errorf("%s: figure %q ends at %.0f px, below the first screen of 812", tt.page, f.Text, f.Bottom)
			}
			if !strings.HasPrefix(f.AsOf, "截至") {
				t.Errorf("%s: figure %q has no 截至 date (%q)", tt.page, f.Text, f.AsOf)
			}
			if !unitRE.MatchString(f.Text) && f.Text != "统计中" {
				t.Errorf("%s: figure %q has no unit", tt.page, f.Text)
			}
		}
	}
}

// unitRE matches a figure that ends in a unit or a percent sign.
var unitRE = regexp.MustCompile(`(%|[\p{Han}A-Za-z/]+)$`)
