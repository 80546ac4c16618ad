package catalog

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"gongjian/gen/dataset"
	"gongjian/gen/site"
)

// Filters are the links that narrow the catalogue, shown on the catalogue
// and on every filter page: one page per topic that has datasets and one
// per update period. They are plain links to static pages, so they work
// without JavaScript.
type Filters struct {
	All     FilterLink
	Topics  []FilterLink
	Periods []FilterLink
}

// FilterLink is one filter: its page, what it names and how many datasets
// it keeps; Current marks the filter of the page it is shown on.
type FilterLink struct {
	URL     string
	Label   string
	Count   int
	Current bool
}

// Filter is the filter a filter page applies.
type Filter struct {
	Kind  string // "topic" or "updated"
	Label string // the topic's title, or the period (2026年11月, 2025年)
}

// recentMonths is how many of the newest update months get a page each;
// datasets updated before them are grouped by year, so that the number
// of filter pages stays small however long the catalogue's history.
const recentMonths = 6

// period is a span of update dates: a month or a year.
type period struct {
	slug  string // 2026-11 or 2025
	year  int
	month time.Month // 0 for a year
	sets  []*DatasetView
}

// periods groups views by when they were updated, newest first: each of
// the recentMonths newest months on its own, then the years before.
func periods(views []*DatasetView) []*period {
	byMonth := map[string]*period{}
	var months []*period
	for _, v := range views {
		u := v.Updated.In(dataset.Zone)
		key := u.Format("2006-01")
		p := byMonth[key]
		if p == nil {
			p = &period{slug: key, year: u.Year(), month: u.Month()}
			byMonth[key] = p
			months = append(months, p)
		}
		p.sets = append(p.sets, v)
	}
	slices.SortFunc(months, func(a, b *period) int { return cmp.Compare(b.slug, a.slug) })
	if len(months) <= recentMonths {
		return months
	}
	out := months[:recentMonths:recentMonths]
	byYear := map[int]*period{}
	for _, m := range months[recentMonths:] {
		p := byYear[m.year]
		if p == nil {
			p = &period{slug: fmt.Sprint(m.year), year: m.year}
			byYear[m.year] = p
			out = append(out, p)
		}
		p.sets = append(p.sets, m.sets...)
	}
	return out
}

// label names a period in the site's words.
func (p *period) label(pl *site.Plan) string {
	if p.month == 0 {
		return pl.T("data.filter.year", p.year)
	}
	return pl.T("date.month", p.year, int(p.month))
}

// planFilters adds the filter pages of the catalogue and sets the filter
// links on index, the catalogue page. A filter page lists its datasets
// without their descriptions: it narrows the catalogue, and the dataset's
// page is one tap away.
func (f *Feature) planFilters(pl *site.Plan, index *site.Page, cat *Catalogue) {
	if len(f.views) == 0 {
		return
	}
	type page struct {
		url    string
		filter Filter
		sets   []*DatasetView
	}
	var (
		pages   []page
		filters = Filters{All: FilterLink{URL: "/data/", Label: pl.T("data.filter.all"), Count: len(f.views)}}
	)
	for _, g := range cat.Groups {
		url := "/data/topic/" + g.Topic.Slug + "/"
		filters.Topics = append(filters.Topics, FilterLink{URL: url, Label: g.Topic.Title, Count: len(g.Datasets)})
		pages = append(pages, page{url: url, filter: Filter{Kind: "topic", Label: g.Topic.Title}, sets: g.Datasets})
	}
	for _, p := range periods(f.views) {
		label, url := p.label(pl), "/data/updated/"+p.slug+"/"
		filters.Periods = append(filters.Periods, FilterLink{URL: url, Label: label, Count: len(p.sets)})
		pages = append(pages, page{url: url, filter: Filter{Kind: "updated", Label: label}, sets: p.sets})
	}
	all := filters
	all.All.Current = true
	cat.Filters = &all
	for i, pg := range pages {
		// Each page gets its own copy of the links, its own marked.
		fl := filters
		fl.Topics, fl.Periods = slices.Clone(filters.Topics), slices.Clone(filters.Periods)
		if i < len(fl.Topics) {
			fl.Topics[i].Current = true
		} else {
			fl.Periods[i-len(fl.Topics)].Current = true
		}
		title := pl.T("data.filter.title."+pg.filter.Kind, pg.filter.Label)
		p := pl.NewPage("data", pg.url, title, index.Description)
		p.Section = "/data/"
		filter := pg.filter
		p.Data = &Catalogue{Datasets: pg.sets, Filters: &fl, Filter: &filter}
		pl.Add(p)
	}
}
