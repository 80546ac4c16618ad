package site

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"

	"gongjian/gen/content"
)

// Plan is every page and file of a site, in a fixed order, so that errors
// and output are the same from run to run.
type Plan struct {
	*Model
	Pages []*Page
	Files []File
	// Versions holds every input the plan was made from, by key: the
	// stories, topics and site settings, and what features add.
	Versions map[string]uint64
	// Revised holds, by story file, when a story was last changed after
	// the day its front matter gives (its date, its latest correction),
	// as the site's history knows it; the feed marks those entries
	// updated.
	Revised map[string]time.Time

	css     string
	scripts []string
	t       func(key string, args ...any) string
	asset   func(rel string) string
}

// Theme is what planning needs of the theme: the stylesheet's path, the
// scripts every page loads and the UI strings that title pages.
type Theme struct {
	CSS     string   // e.g. /css/site.1a2b3c4d.css
	Scripts []string // loaded on every page
	T       func(key string, args ...any) string
	// Asset is the address a script of the theme is published at
	// (js/lightbox.js → /js/lightbox.1a2b3c4d.js), "" if it has none.
	Asset func(rel string) string
}

// TagsPerPage is the most tags one page of the index of tags (/tags/,
// /tags/page/2/, …) lists.
const TagsPerPage = 100

// NewPlan plans the pages made from stories and topics: the home page, each
// story, the news list, the topics and each topic, the index of tags and
// each tag's list. Every list of stories or tags is paginated, so that no
// page grows with the number of stories. Features add theirs next; Finish adds the 404 page, the feed and
// the sitemap.
func NewPlan(m *Model, th Theme) *Plan {
	pl := &Plan{Model: m, Versions: map[string]uint64{}, css: th.CSS, scripts: th.Scripts, t: th.T, asset: th.Asset}
	c := m.Content
	pl.Input(c)
	for _, t := range c.Topics {
		pl.Input(t)
	}
	for _, st := range c.Stories {
		pl.Input(st)
	}

	home := pl.NewPage("home", "/", "", "")
	home.Items = firstN(c.Stories, 6)
	home.Topics = m.TopicCounts()
	pl.Add(home)

	rel := storyKeys{}
	for _, st := range c.Stories {
		p := pl.NewPage("story", st.URL(), st.Title, st.Summary)
		p.Story = st
		p.Date = st.Date
		p.Section = "/news/"
		if len(st.Topics) > 0 {
			p.Related = related(m.ByTopic[st.Topics[0]], st, 3)
			p.RelatedKey = rel.of(p.Related)
		}
		p.Source = &Source{File: st.File, Line: st.BodyLine, Src: st.Body, Version: st.Hash}
		p.From = Origin{File: st.File}
		pl.Add(p)
	}
	pl.lists("/news/", c.Stories, func(p *Page) {
		p.Kind, p.Title = "list", pl.T("news.title")
	})

	topics := pl.NewPage("topics", "/topics/", pl.T("topics.title"), "")
	topics.Topics = m.TopicCounts()
	pl.Add(topics)
	for _, t := range c.Topics {
		pl.lists(t.URL(), m.ByTopic[t.Slug], func(p *Page) {
			p.Kind, p.Title, p.Description = "topic", t.Title, cmp.Or(t.Summary, c.Description)
			p.Topic = t
			p.Section = "/topics/"
			p.From = Origin{File: t.File}
			if p.N == 1 {
				p.Source = &Source{File: t.File, Line: t.BodyLine, Src: t.Body, Version: t.Hash}
			}
		})
	}

	// However many tags the stories carry, the index of tags lists at most
	// TagsPerPage on a page, the most used first.
	for i, tags := range paginate(m.Tags, TagsPerPage) {
		p := pl.NewPage("tags", PageURL("/tags/", i+1), pl.T("tags.title"), "")
		p.N = i + 1
		p.Tags = tags
		p.Paged = Paging{Base: "/tags/", Total: len(m.Tags), Size: TagsPerPage}
		pl.Add(p)
	}
	for _, tc := range m.Tags {
		dir := content.TagDir(tc.Tag)
		pl.lists(tc.URL, m.ByTag[tc.Tag], func(p *Page) {
			p.Kind, p.Title = "list", pl.T("tag.title", tc.Tag)
			p.Tag = tc.Tag
			p.Section = "/news/"
			p.Out = OutPath(PageURL(dir, p.N))
			if list := m.ByTag[tc.Tag]; len(list) > 0 {
				p.From = Origin{File: list[0].File, Line: list[0].TagLine(tc.Tag)}
			}
		})
	}
	return pl
}

// Asset is the address a script of the theme is published at, or "".
func (pl *Plan) Asset(rel string) string { return pl.asset(rel) }

// T is the theme's UI string for key.
func (pl *Plan) T(key string, args ...any) string { return pl.t(key, args...) }

// NewPage makes a page of kind at urlPath with the fields every page has;
// it is not part of the plan until Add.
func (pl *Plan) NewPage(kind, urlPath, title, desc string) *Page {
	c := pl.Content
	return &Page{
		Site:        c,
		Kind:        kind,
		Out:         OutPath(urlPath),
		Title:       title,
		Description: cmp.Or(desc, c.Description),
		Path:        urlPath,
		Canonical:   pl.Abs(urlPath),
		CSS:         pl.css,
		Scripts:     pl.scripts,
		Section:     Section(urlPath),
	}
}

// Add appends p to the plan's pages.
func (pl *Plan) Add(p *Page) { pl.Pages = append(pl.Pages, p) }

// AddFile appends f to the plan's files.
func (pl *Plan) AddFile(f File) { pl.Files = append(pl.Files, f) }

// Input records in as one of the inputs of the plan.
func (pl *Plan) Input(in Input) { pl.Versions[in.InputKey()] = in.InputVersion() }

// Pages of kind, in plan order.
func (pl *Plan) Each(kind string, fn func(*Page)) {
	for _, p := range pl.Pages {
		if p.Kind == kind {
			fn(p)
		}
	}
}

// lists adds the pages of a paginated list of stories at base, each made
// by NewPage and then set by fn; an empty list has one empty page.
func (pl *Plan) lists(base string, stories []*content.Story, fn func(*Page)) {
	size := pl.Content.Paginate
	for i, items := range paginate(stories, size) {
		p := pl.NewPage("list", PageURL(base, i+1), "", "")
		p.N = i + 1
		p.Items = items
		p.Paged = Paging{Base: base, Total: len(stories), Size: size}
		fn(p)
		pl.Add(p)
	}
}

// Finish adds the 404 page, then the feed, the sitemap (an index of several
// past 50,000 pages, see Sitemaps), robots.txt and files (the theme's),
// after every page features added.
func (pl *Plan) Finish(files []File) {
	pl.Add(pl.NewPage("404", "/404.html", pl.T("notfound.title"), ""))
	pl.AddFile(File{Path: "atom.xml", Data: Atom(pl.Model, pl.Revised)})
	pl.Files = append(pl.Files, Sitemaps(pl.Model, pl.Pages)...)
	pl.AddFile(File{Path: "robots.txt", Data: []byte("User-agent: *\nAllow: /\n\nSitemap: " + pl.Abs("/"+sitemapPath) + "\n")})
	pl.Files = append(pl.Files, files...)
}

// OutPath is the file for a pretty URL: /news/a/ → news/a/index.html.
func OutPath(urlPath string) string {
	p := strings.TrimPrefix(urlPath, "/")
	if p == "" || strings.HasSuffix(p, "/") {
		return p + "index.html"
	}
	return p
}

// Section is the first segment of a path, as a menu URL: /news/a/ → /news/.
func Section(urlPath string) string {
	rest := strings.TrimPrefix(urlPath, "/")
	first, _, ok := strings.Cut(rest, "/")
	if !ok || first == "" {
		return "/"
	}
	return "/" + first + "/"
}

// PageURL is the address of page n of a list at base.
func PageURL(base string, n int) string {
	if n <= 1 {
		return base
	}
	return base + "page/" + strconv.Itoa(n) + "/"
}

// paginate splits list into pages of size; an empty list has one empty
// page, so that its list page exists.
func paginate[T any](list []T, size int) [][]T {
	if len(list) == 0 {
		return [][]T{nil}
	}
	var pages [][]T
	for i := 0; i < len(list); i += size {
		pages = append(pages, list[i:min(i+size, len(list))])
	}
	return pages
}

func firstN[T any](list []T, n int) []T {
	return list[:min(n, len(list))]
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
