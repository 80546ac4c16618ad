package outpath

import (
	"path"
	"strings"
)

// The order in which a new version of a site may appear, file by file,
// without a reader meeting a link to a file that is not there yet: every
// file of one phase before the first of the next. gen deploy uploads in
// this order, and gen build patches its output folder in it.
const (
	PhaseAssets  = iota // styles, scripts, images, data downloads, search shards
	PhasePages          // HTML
	PhaseFeeds          // feeds, sitemaps, robots.txt, data.json, the search index's meta.json
	PhaseSitemap        // sitemap.xml, which past 50,000 pages is the index of the sitemaps
	Phases
)

// PhaseNames name the phases, for messages.
var PhaseNames = [Phases]string{"assets and data", "pages", "feeds and indexes", "sitemap.xml"}

// Phase is the phase of the file at p, a slash-separated path from the
// site root.
func Phase(p string) int {
	switch {
	case strings.HasSuffix(p, ".html"):
		return PhasePages
	case p == "sitemap.xml":
		// A sitemap index names sitemap-1.xml, …: it comes after them.
		return PhaseSitemap
	case p == "data.json" || p == "robots.txt" || path.Ext(p) == ".xml" && !strings.Contains(p, "/"):
		return PhaseFeeds
	case p == "search/meta.json":
		// The search index's entry point names its content-hashed
		// files: it comes after every one of them, with the feeds.
		return PhaseFeeds
	}
	return PhaseAssets
}
