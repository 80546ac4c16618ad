package sitetest

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"gongjian/gen/internal/browser"
	"gongjian/gen/pipeline"
)

// jsCharts waits until every chart of the page has drawn, then reports, for
// each, its id and how many pixels of its canvas are not blank.
const jsCharts = `new Promise(done => {
  const figs = [...document.querySelectorAll("figure[data-chart]")];
  const measure = () => figs.map(f => {
    const c = f.querySelector(".chart-canvas canvas");
    if (!c || f.querySelector(".chart-canvas").hidden) return {id: f.id, ink: -1, w: 0};
    const g = c.getContext("2d");
    const d = g.getImageData(0, 0, c.width, c.height).data;
    let ink = 0;
    for (let i = 3; i < d.length; i += 16) if (d[i] > 0) ink++;
    return {id: f.id, ink: ink, w: c.getBoundingClientRect().width};
  });
  let tries = 0;
  const poll = () => {
    const r = measure();
    if (r.every(x => x.ink > 0) || ++tries > 40) done(r); else setTimeout(poll, 100);
  };
  poll();
})`

type drawn struct {
	ID  string  `json:"id"`
	Ink int     `json:"ink"`
	W   float64 `json:"w"`
}

// TestChartsDraw visits every page of the example site that has a chart, on
// a 375 px phone: each chart must draw a non-empty canvas that fits the
// page, with no console error, no request to another host and no sideways
// scrolling, and must name everything it shows with no legend that pages
// and no label hidden or cut (jsChartLabels).
func TestChartsDraw(t *testing.T) {
	b := browser.New(t)
	out := filepath.Join(t.TempDir(), "public")
	if _, err := pipeline.Build(t.Context(), pipeline.Options{Src: *src, Out: out, CacheDir: t.TempDir()}); err != nil {
		t.Fatalf("building the example site: %v", err)
	}
	base := browser.Serve(t, out)
	var pages []string
	err := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		data, err := os.ReadFile(p)
		if bytes.Contains(data, []byte("data-chart ")) {
			rel, _ := filepath.Rel(out, p)
			pages = append(pages, "/"+strings.TrimSuffix(filepath.ToSlash(rel), "index.html"))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) < 10 {
		t.Fatalf("only %d pages with charts in the example site: %v", len(pages), pages)
	}
	charts := 0
	for _, p := range pages {
		t.Run(strings.Trim(p, "/"), func(t *testing.T) {
			var got []drawn
			var labels []chartLabels
			shot := strings.ReplaceAll(strings.Trim(p, "/"), "/", "-")
			if shot == "" {
				shot = "home"
			}
			r, err := b.VisitPage(t.Context(), browser.Page{
				URL:   base + p,
				Width: 375,
				// Every chart as a phone draws it, for review.
				Screenshot: filepath.Join(root, "screenshots", "charts-"+shot+"-375.png"),
				Interact: func(tab context.Context) error {
					var err error
					if got, err = chromedp.Run(tab, chromedp.Evaluate[[]drawn](jsCharts, chromedp.EvalAwaitPromise)); err != nil {
						return err
					}
					labels, err = chromedp.Run(tab, chromedp.Evaluate[[]chartLabels](jsChartLabels))
					return err
				},
			})
			if err != nil {
				t.Fatal(err)
			}
			for _, problem := range r.Problems() {
				t.Error(problem)
			}
			if len(got) == 0 {
				t.Errorf("%s: no chart found on the page", p)
			}
			for _, c := range got {
				charts++
				if c.Ink <= 0 {
					t.Errorf("%s: chart %s drew nothing (ink %d)", p, c.ID, c.Ink)
				}
				if c.W < 200 || c.W > 375 {
					t.Errorf("%s: chart %s is %.0f px wide on a 375 px phone", p, c.ID, c.W)
				}
			}
			if len(labels) != len(got) {
				t.Errorf("%s: %d charts drawn but %d asked about their labels", p, len(got), len(labels))
			}
			for _, c := range labels {
				for _, problem := range c.Problems {
					t.Errorf("%s at 375 px: chart %s: %s", p, c.ID, problem)
				}
			}
			if len(r.RequestsTo("/vendor/echarts/")) == 0 {
				t.Errorf("%s: a page with charts did not load ECharts", p)
			}
		})
	}
	t.Logf("%d charts drawn on %d pages", charts, len(pages))
}
