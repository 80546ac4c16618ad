package build

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"gongjian/gen/content"
)

// jobs lists every file of the site. The order is fixed, so that errors and
// output are the same from run to run.
func (s *Site) jobs() []*job {
	c := s.Content
	var jobs []*job
	scripts := s.scripts()
	relKeys := storyKeys{}
	page := func(kind, urlPath, title, desc string) *Page {
		return &Page{
			Site:        c,
			Kind:        kind,
			Title:       title,
			Description: cmp.Or(desc, c.Description),
			Path:        urlPath,
			Canonical:   s.abs(urlPath),
			CSS:         "/" + s.Theme.CSS.Path,
			Scripts:     scripts,
			Section:     section(urlPath),
		}
	}
	add := func(p *Page, md *mdSource) {
		jobs = append(jobs, &job{out: outPath(p.Path), kind: p.Kind, page: p, md: md})
	}

	home := page("home", "/", "", "")
	home.Items = firstN(c.Stories, 6)
	home.Topics = s.topicCounts()
	home.Albums = firstN(s.photos.albums, 3)
	home.Figures = s.figs
	add(home, nil)
	jobs[len(jobs)-1].deps = albumsHash(home.Albums) ^ s.data.hash

	for _, st := range c.Stories {
		p := page("story", st.URL(), st.Title, st.Summary)
		p.Story = st
		p.Date = st.Date
		p.Section = "/news/"
		if len(st.Topics) > 0 {
			p.Related = related(s.byTopic[st.Topics[0]], st, 3)
			p.RelatedKey = relKeys.of(p.Related)
		}
		add(p, &mdSource{file: st.File, line: st.BodyLine, src: st.Body})
		if s.usesData(st) {
			jobs[len(jobs)-1].deps = s.data.hash
		}
	}

	for i, items := range paginate(c.Stories, c.Paginate) {
		p := page("list", pageURL("/news/", i+1), s.Theme.T("news.title"), "")
		p.Items = items
		p.pager = pagerSpec{"/news/", i + 1, len(c.Stories), c.Paginate}
		add(p, nil)
	}

	topics := page("topics", "/topics/", s.Theme.T("topics.title"), "")
	topics.Topics = s.topicCounts()
	add(topics, nil)
	for _, t := range c.Topics {
		stories := s.byTopic[t.Slug]
		for i, items := range paginate(stories, c.Paginate) {
			p := page("topic", pageURL(t.URL(), i+1), t.Title, t.Summary)
			p.Topic = t
			p.Section = "/topics/"
			p.Items = items
			p.pager = pagerSpec{t.URL(), i + 1, len(stories), c.Paginate}
			var md *mdSource
			if i == 0 {
				md = &mdSource{file: t.File, line: t.BodyLine, src: t.Body}
				p.Albums = s.photos.byTopic[t.Slug]
				p.Datasets = s.data.byTopic[t.Slug]
				p.Charts = firstCharts(p.Datasets)
				if hasDrawnChart(p.Charts) {
					p.Scripts = s.chartScripts(p.Scripts)
				}
			}
			add(p, md)
			jobs[len(jobs)-1].deps = albumsHash(p.Albums) ^ datasetsHash(p.Datasets)
			if i == 0 && usesData(t.Body) {
				jobs[len(jobs)-1].deps ^= s.data.hash
			}
		}
	}

	tags := page("tags", "/tags/", s.Theme.T("tags.title"), "")
	tags.Tags = s.tags
	add(tags, nil)
	for _, tc := range s.tags {
		stories := s.byTag[tc.Tag]
		for i, items := range paginate(stories, c.Paginate) {
			p := page("list", pageURL(tc.URL, i+1), s.Theme.T("tag.title", tc.Tag), "")
			p.Tag = tc.Tag
			p.Section = "/news/"
			p.Items = items
			p.pager = pagerSpec{tc.URL, i + 1, len(stories), c.Paginate}
			jobs = append(jobs, &job{out: outPath(pageURL(content.TagDir(tc.Tag), i+1)), kind: "list", page: p})
		}
	}

	albums := page("albums", "/albums/", s.Theme.T("albums.title"), "")
	albums.Albums = s.photos.albums
	add(albums, nil)
	jobs[len(jobs)-1].deps = albumsHash(albums.Albums)
	for _, a := range s.photos.albums {
		p := page("album", a.URL, a.Title, cmp.Or(a.Summary, a.Title))
		p.Album = a
		p.Date = a.Date
		p.Image = s.abs(a.Cover.Img.Src)
		p.Scripts = append(slices.Clip(p.Scripts), "/js/lightbox.js")
		add(p, nil)
		jobs[len(jobs)-1].deps = a.hash
	}

	jobs = append(jobs, s.dataJobs(page)...)

	if s.searchable() {
		sp := page("search", "/search/", s.Theme.T("search.title"), "")
		add(sp, nil)
	}

	notFound := page("404", "/404.html", s.Theme.T("notfound.title"), "")
	jobs = append(jobs, &job{out: "404.html", kind: "404", page: notFound})

	jobs = append(jobs, s.files(jobs)...)
	return jobs
}

// files lists the feed, sitemap, robots.txt and the theme's static files.
func (s *Site) files(pages []*job) []*job {
	var jobs []*job
	jobs = append(jobs,
		&job{out: "atom.xml", data: s.atom()},
		&job{out: "sitemap.xml", data: s.sitemap(pages)},
		&job{out: "robots.txt", data: []byte("User-agent: *\nAllow: /\n\nSitemap: " + s.abs("/sitemap.xml") + "\n")},
		&job{out: s.Theme.CSS.Path, data: s.Theme.CSS.Data},
	)
	for _, f := range s.Theme.Static {
		jobs = append(jobs, &job{out: f.Path, data: f.Data})
	}
	return jobs
}

// scripts are loaded on every page: the theme's js/site.js, if it has one.
// Other scripts (charts, search) are loaded by the pages that need them.
func (s *Site) scripts() []string {
	for _, f := range s.Theme.Static {
		if f.Path == "js/site.js" {
			return []string{"/" + f.Path}
		}
	}
	return nil
}

func (s *Site) topicCounts() []TopicCount {
	out := make([]TopicCount, 0, len(s.Content.Topics))
	for _, t := range s.Content.Topics {
		tc := TopicCount{Topic: t, Count: len(s.byTopic[t.Slug])}
		if tc.Count > 0 {
			tc.Latest = s.byTopic[t.Slug][0]
		}
		out = append(out, tc)
	}
	return out
}

// outPath is the file for a pretty URL: /news/a/ → news/a/index.html.
func outPath(urlPath string) string {
	p := strings.TrimPrefix(urlPath, "/")
	if p == "" || strings.HasSuffix(p, "/") {
		return p + "index.html"
	}
	return p
}

// section is the first segment of a path, as a menu URL: /news/a/ → /news/.
func section(urlPath string) string {
	rest := strings.TrimPrefix(urlPath, "/")
	first, _, ok := strings.Cut(rest, "/")
	if !ok || first == "" {
		return "/"
	}
	return "/" + first + "/"
}

// pageURL is the address of page n of a list at base.
func pageURL(base string, n int) string {
	if n <= 1 {
		return base
	}
	return base + "page/" + strconv.Itoa(n) + "/"
}

// paginate splits stories into pages of size; an empty list has one empty
// page, so that its list page exists.
func paginate(stories []*content.Story, size int) [][]*content.Story {
	if len(stories) == 0 {
		return [][]*content.Story{nil}
	}
	var pages [][]*content.Story
	for i := 0; i < len(stories); i += size {
		pages = append(pages, stories[i:min(i+size, len(stories))])
	}
	return pages
}

// pagerSpec says which pager a list page shows; the Pager itself is made
// only when the page renders, since watch mode lists every page on each
// update but renders few of them.
type pagerSpec struct {
	base           string
	n, total, size int
}

// pages is the number of pages of the list.
func (ps pagerSpec) pages() int { return max(1, (ps.total+ps.size-1)/max(1, ps.size)) }

func (ps pagerSpec) make() *Pager {
	if ps.size == 0 {
		return nil
	}
	return pager(ps.base, ps.n, ps.total, ps.size)
}

// pager links page n of a list of total items; it shows the first and last
// pages and two on each side of the current one.
func pager(base string, n, total, size int) *Pager {
	pages := max(1, (total+size-1)/size)
	if pages == 1 {
		return nil
	}
	p := &Pager{Page: n, Total: pages}
	if n > 1 {
		p.Prev = pageURL(base, n-1)
	}
	if n < pages {
		p.Next = pageURL(base, n+1)
	}
	// The first and last pages and two on each side of the current one; a
	// gap that would hide a single page shows that page instead.
	var want []int
	for _, i := range []int{1, 2, 3, n - 3, n - 2, n - 1, n, n + 1, n + 2, n + 3, pages - 2, pages - 1, pages} {
		if i < 1 || i > pages || (len(want) > 0 && i <= want[len(want)-1]) {
			continue
		}
		near := i == 1 || i == pages || (i >= n-2 && i <= n+2)
		fills := (i == 2 && n-2 == 3) || (i == pages-1 && n+2 == pages-2) || (i == n-3 && n-4 == 1) || (i == n+3 && n+4 == pages)
		if near || fills {
			want = append(want, i)
		}
	}
	for k, i := range want {
		if k > 0 && i > want[k-1]+1 {
			p.Links = append(p.Links, PageLink{}) // a gap, shown as …
		}
		p.Links = append(p.Links, PageLink{N: i, URL: pageURL(base, i), Current: i == n})
	}
	return p
}

func firstN[T any](list []T, n int) []T {
	return list[:min(n, len(list))]
}

// dataJobs lists the data catalog, each dataset's page, its preview pages
// and its downloads, and data.json.
func (s *Site) dataJobs(page func(kind, urlPath, title, desc string) *Page) []*job {
	var jobs []*job
	index := page("data", "/data/", s.Theme.T("data.title"), "")
	index.Datasets = s.data.views
	for _, t := range s.Content.Topics {
		if sets := s.data.byTopic[t.Slug]; len(sets) > 0 {
			index.Groups = append(index.Groups, DataGroup{Topic: t, Datasets: sets})
		}
	}
	jobs = append(jobs, &job{out: outPath(index.Path), kind: "data", page: index, deps: s.data.hash})
	for _, v := range s.data.views {
		pages := preview(v.Dataset)
		for i, pv := range pages {
			url := v.URL
			kind := "dataset"
			if i > 0 {
				url = fmt.Sprintf("%srows/%d/", v.URL, i+1)
				kind = "rows"
			}
			p := page(kind, url, v.Title, v.Description)
			p.Section = "/data/"
			p.Dataset = v
			p.Preview = pv
			p.Date = v.Updated
			if len(pages) > 1 {
				p.RowsPager = pager(v.URL+"rows/", i+1, len(pages)*previewRows, previewRows)
				for k := range p.RowsPager.Links {
					if p.RowsPager.Links[k].N == 1 {
						p.RowsPager.Links[k].URL = v.URL
					}
				}
				if i == 1 {
					p.RowsPager.Prev = v.URL
				}
			}
			if i == 0 {
				p.Charts = v.Charts
				if hasDrawnChart(v.Charts) {
					p.Scripts = s.chartScripts(p.Scripts)
				}
			}
			jobs = append(jobs, &job{out: outPath(url), kind: kind, page: p, deps: v.hash})
		}
		for _, dl := range v.Downloads {
			jobs = append(jobs, &job{out: strings.TrimPrefix(dl.Path, "/"), data: dl.Data})
		}
	}
	jobs = append(jobs, &job{out: "data.json", data: s.data.catalog})
	return jobs
}

// datasetsHash covers what lists of datasets show.
func datasetsHash(views []*DatasetView) uint64 {
	var h uint64
	for _, v := range views {
		h = h*31 + v.hash
	}
	return h
}

// albumsHash covers what lists of albums show.
func albumsHash(albums []*AlbumView) uint64 {
	var h uint64
	for _, a := range albums {
		h = h*31 + a.hash
	}
	return h
}

// related picks up to n stories of list (newest first) other than st. All
// but the newest stories of a topic get the same list, its n newest: that
// list is shared, not copied.
func related(list []*content.Story, st *content.Story, n int) []*content.Story {
	if newest := list[:min(n, len(list))]; len(newest) > 0 && !slices.Contains(newest, st) {
		return slices.Clip(newest)
	}
	var out []*content.Story
	for _, o := range list {
		if o != st {
			out = append(out, o)
			if len(out) == n {
				break
			}
		}
	}
	return out
}

// storyKeys makes the cache key of a list of stories: their keys, joined.
// It remembers the last list, since most stories share their related list.
type storyKeys struct {
	last []*content.Story
	key  string
}

func (k *storyKeys) of(list []*content.Story) string {
	if len(list) == 0 {
		return ""
	}
	if len(k.last) == len(list) && &k.last[0] == &list[0] {
		return k.key
	}
	var b strings.Builder
	for i, st := range list {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(st.Key())
	}
	k.last, k.key = list, b.String()
	return k.key
}

// sortTags orders tags by use, most used first, then by name.
func sortTags(tags []TagCount) {
	slices.SortFunc(tags, func(a, b TagCount) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Tag, b.Tag))
	})
}
