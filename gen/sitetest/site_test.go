package sitetest

import (
	"flag"
	"fmt"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gongjian/gen/internal/browser"
)

func TestMain(m *testing.M) {
	code := browser.Run(m)
	if siteDir != "" {
		_ = os.RemoveAll(filepath.Dir(siteDir))
	}
	os.Exit(code)
}

// Widths are the viewports every page type is checked at: the smallest
// phone, a common phone, a tablet and a laptop.
var widths = []int{320, 375, 768, 1280}

// homeBudget is the most the home page's HTML, CSS and our own JavaScript
// may transfer together (ECharts and images not counted), headers included.
const homeBudget = 60_000

// root is the repository, relative to this package.
const root = "../.."

// src is the site to build and check: the example site by default, another
// (a copy with a deliberate defect, a bench corpus) with -site DIR.
var src = flag.String("site", root, "site folder (content/, data/, themes/) to build and check")

// pageType is one kind of page and the URL path of an example of it.
type pageType struct {
	name   string // also the screenshot's name
	path   string
	status int
}

func TestSite(t *testing.T) {
	b := browser.New(t)
	out := builtSite(t)
	base := browser.Serve(t, out)
	menu := menuLinks(t, filepath.Join(out, "index.html"))
	shots := filepath.Join(root, "screenshots")

	for _, pt := range pageTypes(t, out) {
		for _, w := range widths {
			t.Run(fmt.Sprintf("%s/%d", pt.name, w), func(t *testing.T) {
				r, err := b.VisitPage(t.Context(), browser.Page{
					URL:        base + pt.path,
					Width:      w,
					Tabs:       len(menu) + 6, // skip link, brand, menu, a search box, the view switch (2), one more
					Screenshot: filepath.Join(shots, fmt.Sprintf("%s-%d.png", pt.name, w)),
					Count:      []string{"[data-chart]", "input[type=search]"},
				})
				if err != nil {
					t.Fatal(err)
				}
				check(t, r, pt, menu)
				if pt.name == "home" {
					checkHomeBudget(t, r)
				}
			})
		}
	}
}

// check applies what every page must pass.
func check(t *testing.T, r *browser.Report, pt pageType, menu []string) {
	t.Helper()
	if r.Status != pt.status {
		t.Errorf("%s: HTTP %d, want %d", pt.path, r.Status, pt.status)
	}
	for _, p := range r.Problems() {
		t.Errorf("%s at %d px: %s", pt.path, r.Width, p)
	}
	if r.Lang != "zh-CN" {
		t.Errorf("%s: <html lang=%q>, want zh-CN", pt.path, r.Lang)
	}
	if r.Matches["[data-chart]"] == 0 {
		for _, q := range r.RequestsTo("/vendor/echarts/") {
			t.Errorf("%s has no chart but loads ECharts: %s", pt.path, q)
		}
	}
	checkKeyboard(t, r, pt, menu)
	var kinds []string
	for k, n := range r.Bytes {
		kinds = append(kinds, fmt.Sprintf("%s %d", k, n))
	}
	slices.Sort(kinds)
	t.Logf("%s at %d px: %d requests; bytes: %s", pt.path, r.Width, len(r.Requests), strings.Join(kinds, ", "))
}

// checkKeyboard wants every menu entry, and a search box in the page if
// there is one, among the elements Tab reaches, each with visible focus.
func checkKeyboard(t *testing.T, r *browser.Report, pt pageType, menu []string) {
	t.Helper()
	reached := map[string]bool{}
	search := false
	for i, f := range r.Focus {
		if f.Element == "" {
			continue
		}
		if !f.Visible {
			t.Errorf("%s at %d px: Tab %d focuses %s %q without a visible focus indicator (outline %s)",
				pt.path, r.Width, i+1, f.Element, f.Text, f.Outline)
		}
		if strings.Contains(f.Element, "nav") && f.Href != "" {
			reached[f.Href] = true
		}
		if f.Tag == "input" && f.Type == "search" {
			search = true
		}
	}
	for _, href := range menu {
		if !reached[href] {
			t.Errorf("%s at %d px: menu entry %s not reached by %d Tab presses; focus went to %s",
				pt.path, r.Width, href, len(r.Focus), focusPath(r.Focus))
		}
	}
	if r.Matches["input[type=search]"] > 0 && !search {
		t.Errorf("%s at %d px: the page has a search box but Tab did not reach it; focus went to %s",
			pt.path, r.Width, focusPath(r.Focus))
	}
}

func focusPath(fs []browser.Focus) string {
	var s []string
	for _, f := range fs {
		s = append(s, fmt.Sprintf("%s %q", f.Tag, f.Text))
	}
	return strings.Join(s, " → ")
}

// checkHomeBudget keeps the home page light on a phone's connection.
func checkHomeBudget(t *testing.T, r *browser.Report) {
	t.Helper()
	var counted []string
	n := r.BytesWhere(func(q browser.Request) bool {
		u, err := url.Parse(q.URL)
		if err != nil {
			return false
		}
		ours := q.Type == "Document" || q.Type == "Stylesheet" ||
			(q.Type == "Script" && !strings.HasPrefix(u.Path, "/vendor/"))
		if ours {
			counted = append(counted, fmt.Sprintf("%s %d", u.Path, q.Bytes))
		}
		return ours
	})
	if n > homeBudget {
		t.Errorf("home page: HTML + CSS + our JavaScript = %d bytes, budget %d (%s)", n, homeBudget, strings.Join(counted, ", "))
	} else {
		t.Logf("home page budget: %d of %d bytes (%s)", n, homeBudget, strings.Join(counted, ", "))
	}
}

// pageTypes picks one example of every page type the build produced. Every
// type must exist: a site without datasets, albums or search, or with one
// page of news only, is not the whole site this test is meant to check.
func pageTypes(t *testing.T, out string) []pageType {
	t.Helper()
	var pts []pageType
	must := func(name, p string) {
		if p == "" || !exists(out, p) {
			t.Errorf("the build has no %s page at %s", name, orNone(p))
			return
		}
		pts = append(pts, pageType{name, p, 200})
	}
	must("home", "/")
	must("news", "/news/")
	must("news-page-2", "/news/page/2/")
	for _, s := range pickStories(t, out) {
		pts = append(pts, s)
	}
	must("topics", "/topics/")
	must("topic", pickPage(out, "topics", `data-chart`))
	must("tags", "/tags/")
	must("tag", pickPage(out, "tags", ""))
	pts = append(pts, pageType{"404", "/no-such-page/", 404})
	must("data", "/data/")
	must("data-filter", pickPage(out, "data/topic", ""))
	must("dataset", pickPage(out, "data", `data-chart`))
	must("albums", "/albums/")
	must("album", pickPage(out, "albums", `<img`))
	must("search", "/search/")
	must("place", pickPage(out, "places", `class="withheld"`))
	return pts
}

// pickStories chooses stories that together show a table, footnotes, a
// chart and a photo, preferring one story with a table and footnotes.
func pickStories(t *testing.T, out string) []pageType {
	t.Helper()
	dir := filepath.Join(out, "news")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatalf("reading the built news: %v", err)
	}
	features := map[string]*regexp.Regexp{
		"table":    regexp.MustCompile(`<div class="prose">[\s\S]*<table`),
		"footnote": regexp.MustCompile(`class="footnotes"|role="doc-endnotes"`),
		"chart":    regexp.MustCompile(`data-chart`),
		"photo":    regexp.MustCompile(`<div class="prose">[\s\S]*<img`),
	}
	has := map[string][]string{} // story slug → features it shows
	var slugs []string
	for _, e := range entries {
		html, err := os.ReadFile(filepath.Join(dir, e.Name(), "index.html"))
		if !e.IsDir() || e.Name() == "page" || err != nil {
			continue
		}
		slugs = append(slugs, e.Name())
		for _, f := range []string{"table", "footnote", "chart", "photo"} {
			if features[f].Match(html) {
				has[e.Name()] = append(has[e.Name()], f)
			}
		}
	}
	if len(slugs) == 0 {
		t.Fatal("the build has no story under /news/")
	}
	// Greedy cover: the story showing most features not yet covered first.
	covered := map[string]bool{}
	var pts []pageType
	for {
		best, gain := "", 0
		for _, s := range slugs {
			n := 0
			for _, f := range has[s] {
				if !covered[f] {
					n++
				}
			}
			if n > gain {
				best, gain = s, n
			}
		}
		if best == "" {
			break
		}
		for _, f := range has[best] {
			covered[f] = true
		}
		pts = append(pts, pageType{"story-" + strings.Join(has[best], "-"), "/news/" + best + "/", 200})
	}
	for _, f := range []string{"table", "footnote", "chart", "photo"} {
		if !covered[f] {
			t.Errorf("no story shows a %s: the story pages checked miss one kind of content", f)
		}
	}
	if len(pts) == 0 {
		pts = append(pts, pageType{"story", "/news/" + slugs[0] + "/", 200})
	}
	return pts
}

// pickPage returns the first page under /section/ (in name order) whose
// HTML contains want, or the first page at all; "" when there is none.
func pickPage(out, section, want string) string {
	entries, _ := os.ReadDir(filepath.Join(out, section))
	first := ""
	for _, e := range entries {
		if !e.IsDir() || e.Name() == "page" {
			continue
		}
		html, err := os.ReadFile(filepath.Join(out, section, e.Name(), "index.html"))
		if err != nil {
			continue
		}
		p := "/" + section + "/" + url.PathEscape(e.Name()) + "/"
		if first == "" {
			first = p
		}
		if want != "" && strings.Contains(string(html), want) {
			return p
		}
	}
	return first
}

// exists reports whether the URL path p has a page in the build.
func exists(out, p string) bool {
	u, err := url.PathUnescape(p)
	if err != nil {
		return false
	}
	_, err = os.Stat(filepath.Join(out, filepath.FromSlash(path.Clean(u)), "index.html"))
	return err == nil
}

func orNone(p string) string {
	if p == "" {
		return "page of that kind"
	}
	return p
}

var (
	navRE  = regexp.MustCompile(`(?s)<nav class="site-nav".*?</nav>`)
	hrefRE = regexp.MustCompile(`href="([^"]+)"`)
)

// menuLinks returns the hrefs of the main menu as the home page has them.
func menuLinks(t *testing.T, home string) []string {
	t.Helper()
	html, err := os.ReadFile(home)
	if err != nil {
		t.Fatal(err)
	}
	nav := navRE.Find(html)
	if nav == nil {
		t.Fatalf(`%s: no <nav class="site-nav"> main menu`, home)
	}
	var links []string
	for _, m := range hrefRE.FindAllSubmatch(nav, -1) {
		links = append(links, string(m[1]))
	}
	return links
}
