package build

import (
	"html/template"
	"strconv"
	"time"

	"gongjian/gen/chart"
	"gongjian/gen/content"
)

// Page is what a page template receives.
type Page struct {
	Site        *content.Site
	Kind        string // home, story, list, topic, topics, tag, tags, 404
	Title       string // the page's own title, without the site's
	Description string
	Path        string // /news/slug/
	Canonical   string // absolute URL
	Image       string // absolute URL of the Open Graph image, if any
	CSS         string // path of the stylesheet
	Scripts     []string
	Section     string // the menu entry to mark as current, e.g. /news/
	Date        time.Time
	Body        template.HTML
	Story       *content.Story
	Topic       *content.Topic
	Tag         string
	Items       []*content.Story // the stories a list page shows
	Related     []*content.Story
	RelatedKey  string    // identifies Related, to cache its rendering
	Pager       *Pager    // made from pager when the page renders
	pager       pagerSpec // for a paginated list
	Tags        []TagCount
	Topics      []TopicCount
	Cover       *PhotoView // a story's cover
	Albums      []*AlbumView
	Album       *AlbumView
	Datasets    []*DatasetView
	Dataset     *DatasetView
	Preview     *PreviewPage
	RowsPager   *Pager // the preview's pages on a dataset page
	Charts      []*chart.Chart
	Figures     []FigureView
	Groups      []DataGroup // the data catalog, by topic
}

// DataGroup is a topic's datasets.
type DataGroup struct {
	Topic    *content.Topic
	Datasets []*DatasetView
}

// NavKey identifies the state of the main menu on this page: which entry
// is the current page or section. Pages with the same key share one rendered
// header.
func (p *Page) NavKey() string {
	if p.Path == "/" {
		return "page:/"
	}
	for _, m := range p.Site.Menu {
		if m.URL == p.Path {
			return "page:" + p.Path
		}
	}
	return "section:" + p.Section
}

// HeaderKey identifies what the cached start of <body> shows on this
// page: the page kind (the body's class, and whether the header has the
// search box) and the state of the menu.
func (p *Page) HeaderKey() string { return p.Kind + " " + p.NavKey() }

// Pager links the pages of a paginated list.
type Pager struct {
	Page, Total int
	Prev, Next  string
	Links       []PageLink
}

// PageLink is one numbered link of a pager, or a gap (N 0).
type PageLink struct {
	N       int
	URL     string
	Current bool
}

// Key identifies what the link shows, for caching its rendering.
func (l PageLink) Key() string {
	if l.N == 0 {
		return ""
	}
	k := strconv.Itoa(l.N) + " " + l.URL
	if l.Current {
		k += " current"
	}
	return k
}

// TagCount is a tag with the number of stories that carry it.
type TagCount struct {
	Tag   string
	URL   string
	Count int
}

// TopicCount is a topic with the number of its stories.
type TopicCount struct {
	*content.Topic
	Count  int
	Latest *content.Story
}
