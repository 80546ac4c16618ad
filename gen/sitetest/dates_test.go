package sitetest

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"gongjian/gen/internal/browser"
)

// jsDatesSplit lists the dates (<time> elements) the page shows over
// more than one line.
const jsDatesSplit = `[...document.querySelectorAll("time")].filter(el => el.getClientRects().length > 1 || el.getBoundingClientRect().height > 1.6 * parseFloat(getComputedStyle(el).lineHeight || 0)).map(el => el.textContent.trim())`

// TestDatesOneLine: on the narrowest phones a date (2026年3月31日) is
// never split across two lines, in the catalogue's cards, the news list
// and a compound's page. Screenshots: dates-PAGE-W.png.
func TestDatesOneLine(t *testing.T) {
	b := browser.New(t)
	base := browser.Serve(t, builtSite(t))
	shots := filepath.Join(root, "screenshots")
	for _, page := range []string{"/data/", "/news/", "/places/k05/"} {
		for _, w := range []int{320, 375} {
			name := strings.Trim(strings.ReplaceAll(page, "/", "-"), "-")
			t.Run(fmt.Sprintf("%s/%d", name, w), func(t *testing.T) {
				var split []string
				var n int
				_, err := b.VisitPage(t.Context(), browser.Page{
					URL: base + page, Width: w,
					Screenshot: filepath.Join(shots, fmt.Sprintf("dates-%s-%d.png", name, w)),
					Interact: func(tab context.Context) error {
						var err error
						if n, err = chromedp.Run(tab, chromedp.Evaluate[int](`document.querySelectorAll("time").length`)); err != nil {
							return err
						}
						split, err = chromedp.Run(tab, chromedp.Evaluate[[]string](jsDatesSplit))
						return err
					},
				})
				if err != nil {
					t.Fatal(err)
				}
				if n == 0 {
					t.Fatalf("%s shows no dates to check", page)
				}
				if len(split) > 0 {
					t.Errorf("%s at %d px: dates split across lines: %q", page, w, split)
				}
			})
		}
	}
}
