package site

import (
	"html/template"
	"strconv"
	"time"

	"gongjian/gen/content"
)

// Page is one HTML page of the site, and what its template receives.
type Page struct {
	Site        *content.Site
	Kind        string // the page template: home, story, list, topic, album, dataset, …
	Out         string // the output file, e.g. news/a/index.html
	Title       string // the page's own title, without the site's
	Description string
	Path        string // /news/slug/
	Canonical   string // absolute URL
	Image       string // absolute URL of the Open Graph image, if any
	CSS         string // path of the stylesheet
	Scripts     []string
	Section     string // the menu entry to mark as current, e.g. /news/
	Date        time.Time
	Body        template.HTML // the page's Markdown, once rendered
	Story       *content.Story
	Topic       *content.Topic
	Tag         string
	N           int              // the page's number in a paginated list, from 1
	Items       []*content.Story // the stories a list page shows
	Related     []*content.Story
	RelatedKey  string // identifies Related, to cache its rendering
	Paged       Paging // the list the page is a page of, if any (see Pager)
	Tags        []TagCount
	Topics      []TopicCount
	// Data is what the feature that made the page gives its template: an
	// album, a dataset's page of rows, the catalogue.
	Data any
	// Parts are what features show on pages that others make, by name:
	// the topic's albums and datasets on a topic page, a story's cover.
	Parts map[string]any
	// Source is the Markdown that becomes Body, if the page has any.
	Source *Source
	// From is the source that asks for the page, where errors about its
	// address point: a story, an album's album.yaml, a dataset's schema.
	From Origin

	reads Reads
}

// Source is Markdown a page renders, with where it comes from.
type Source struct {
	File    string
	Line    int // of the first line of Src in File
	Src     []byte
	Version uint64 // of the file
}

// Set records a part of the page under name (see Parts).
func (p *Page) Set(name string, v any) {
	if p.Parts == nil {
		p.Parts = map[string]any{}
	}
	p.Parts[name] = v
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

// Paging is a paginated list a page is one of: Total items at Base, Size
// to a page. The page's N says which.
type Paging struct {
	Base        string
	Total, Size int
}

// Pager links the page to the other pages of its list, made when the
// page renders: nil when the page is of no list, or of one that fits one
// page. Every build plans every list page, and renders few after an edit.
func (p *Page) Pager() *Pager {
	if p.Paged.Size == 0 {
		return nil
	}
	return NewPager(p.Paged.Base, p.N, p.Paged.Total, p.Paged.Size)
}

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

// File is a file of the site that is not a page: a download, the feed, a
// theme file.
type File struct {
	Path string // output path, e.g. data/a.csv
	Data []byte
	// From is the source that asks for the file, where errors about its
	// path point; empty for the site's own files.
	From Origin
}

// Origin is a place in a source file.
type Origin struct {
	File string
	Line int // 0: the whole file
}
