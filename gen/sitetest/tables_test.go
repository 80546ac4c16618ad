package sitetest

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"

	"gongjian/gen/internal/browser"
)

// scrolled is what jsScrollTables saw of a page's tables.
type scrolled struct {
	Wide     int      `json:"wide"` // tables wider than their box
	Problems []string `json:"problems"`
}

// jsScrollTables scrolls every table box that is narrower than its table
// sideways and reports a first column that moved with the rest, or a
// second column that did not.
const jsScrollTables = `(() => {
  const out = {wide: 0, problems: []};
  for (const box of document.querySelectorAll(".table-scroll")) {
    if (box.scrollWidth <= box.clientWidth + 4) continue;
    const row = box.querySelector("tbody tr") || box.querySelector("tr");
    if (!row || row.cells.length < 2) continue;
    out.wide++;
    const name = box.getAttribute("aria-label") || "a table";
    const [first, second] = [row.cells[0], row.cells[1]];
    const before = [first.getBoundingClientRect().left, second.getBoundingClientRect().left];
    const by = Math.min(120, box.scrollWidth - box.clientWidth);
    box.scrollLeft = by;
    const after = [first.getBoundingClientRect().left, second.getBoundingClientRect().left];
    if (Math.abs(after[0] - before[0]) > 1) out.problems.push(name + ": the first column moved " + (before[0] - after[0]).toFixed(0) + " px when the box scrolled " + by + " px");
    if (before[1] - after[1] < by / 2 && second.getBoundingClientRect().left > first.getBoundingClientRect().right) out.problems.push(name + ": the second column did not scroll");
  }
  return out;
})()`

// TestTableFirstColumn: on a 375 px phone a table wider than the screen
// scrolls in its box, and its first column stays in place, so that every
// row keeps its name; the screenshots show the tables scrolled. At 1280 px
// the kiosk freshness table, whose note column once ran off the page,
// is shot whole.
func TestTableFirstColumn(t *testing.T) {
	b := browser.New(t)
	out := builtSite(t)
	base := browser.Serve(t, out)
	shots := filepath.Join(root, "screenshots")
	wide := 0
	for _, p := range []string{"/data/kiosk-freshness/", "/data/industrial-park/", "/data/requests/"} {
		if !exists(out, p) {
			t.Fatalf("%s: no such page in the example site", p)
		}
		var res scrolled
		_, err := b.VisitPage(t.Context(), browser.Page{
			URL: base + p, Width: 375,
			Screenshot: filepath.Join(shots, fmt.Sprintf("table-scrolled-%s-375.png", filepath.Base(p))),
			Interact: func(tab context.Context) error {
				var err error
				res, err = chromedp.Run(tab, chromedp.Evaluate[scrolled](jsScrollTables))
				return err
			},
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, problem := range res.Problems {
			t.Errorf("%s: %s", p, problem)
		}
		wide += res.Wide
	}
	if wide == 0 {
		t.Fatal("no table is wider than a 375 px screen: the test no longer checks the first column")
	}
	r, err := b.VisitPage(t.Context(), browser.Page{URL: base + "/data/kiosk-freshness/", Width: 1280,
		Screenshot: filepath.Join(shots, "table-kiosk-freshness-1280.png")})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range r.Problems() {
		t.Error(p)
	}
}
