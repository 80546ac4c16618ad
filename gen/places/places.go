package places

import (
	"bytes"
	"context"
	"encoding/gob"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"
	"time"

	"gongjian/gen/albums"
	"gongjian/gen/catalog"
	"gongjian/gen/content"
	"gongjian/gen/diag"
	"gongjian/gen/kioskdata"
	"gongjian/gen/kiosklog"
	"gongjian/gen/search"
	"gongjian/gen/site"
)

// Datasets is what the feature needs of the data feature: every dataset,
// the kiosk ones among them.
type Datasets interface {
	Datasets() []*catalog.DatasetView
}

// Albums is what the feature needs of the photo feature.
type Albums interface {
	Albums() []*albums.AlbumView
}

// Feature is the compounds' pages of one site. It reads no files of its
// own: it plans from what the data and photo features loaded, so it plans
// after them.
type Feature struct {
	data   Datasets
	albums Albums
	scan   *mentions
	last   []*Place // of the last plan, for the search index
	// communities are the compounds' villages or communities, by
	// compound name, as kiosks.yaml gives them.
	communities map[string]community
}

// New makes the feature over the data and photo features.
func New(data Datasets, al Albums) *Feature {
	return &Feature{data: data, albums: al, scan: &mentions{seen: map[string]mention{}}}
}

// Owns reports whether p is kiosks.yaml, whose communities Load reads,
// or a file of the requests dataset they are checked against. The pages
// are planned from what the data and photo features load.
func (f *Feature) Owns(p string) bool {
	return p == path.Join(catalog.KioskDir, kiosklog.KiosksFile) || p == path.Join(catalog.Dir, RequestsSet+".csv") || p == path.Join(catalog.Dir, RequestsSet+".yaml")
}

// Load reads the compounds' communities from kiosks.yaml and checks them
// against the requests dataset, once the data feature has loaded.
func (f *Feature) Load(_ context.Context, fsys fs.FS, _ *site.Model) diag.List {
	f.scan.fsys = fsys
	req := f.requests()
	comm, errs := readCommunities(fsys, req)
	if len(comm) > 0 {
		// Communities are given to be joined with the requests: a
		// ledger that cannot be counted by them is an error.
		errs.Merge(checkRequests(req))
	}
	f.communities = comm
	return errs
}

// requests is the requests dataset, nil when the site has none.
func (f *Feature) requests() *catalog.DatasetView {
	for _, v := range f.data.Datasets() {
		if v.Name == RequestsSet {
			return v
		}
	}
	return nil
}

// Place is one compound's page.
type Place struct {
	Name       string // the compound's name, the page's title
	Slug       string // k01
	URL        string // /places/k01/
	SampleName bool   // the name is invented (示例名称)
	Kiosks     []string
	// Sample is set when the kiosk figures are sample data (示例数据).
	Sample bool
	// Figures are the headline figures: recycled weight and points over
	// the published months, and the households of the latest closed month.
	Figures []Figure
	// Months are the compound's figures month by month, newest first,
	// one row per kiosk and month.
	Months []Month
	// Categories are the recycled weight by category over the published
	// months; Total is their sum.
	Categories []Category
	Total      string
	// Reasons are the distinct reasons of the withheld cells, numbered
	// from 1 as the cells' Ref.
	Reasons []Reason
	// Requests sum up the residents' requests of the compound's community
	// (or of the compound, should the data register them by compound);
	// nil when the site has no requests dataset.
	Requests *Requests
	// Others are the rows other datasets (with a compound column) hold
	// about the compound.
	Others []Rows
	// Sources are the kiosk datasets the figures come from.
	Sources []*catalog.DatasetView
	// Albums are the albums whose title, summary or captions name the
	// compound.
	Albums []*albums.AlbumView
	// Candidates are every story of the site: Stories picks those that
	// mention the compound as the page renders, so an edit to a story's
	// text reaches the page.
	Candidates []*content.Story

	scan *mentions
}

// Cell is one figure of a compound: its text, or why it is not shown.
type Cell struct {
	Text string // the figure as the dataset's table gives it; "" when withheld or absent
	// Withheld is the short word for a figure left out (不公开, 统计中),
	// Why the reason, both from the dataset's note column; Ref numbers
	// the reason among the page's Reasons.
	Withheld, Why string
	Ref           int
}

// Reason is why figures are withheld, as the datasets' notes say.
type Reason struct {
	N    int
	Text string
}

// Figure is a headline figure of a compound.
type Figure struct {
	Key string // the theme's UI string of its title: place.figure.KEY
	Cell
	Unit string
	// AsOf is the month the figure counts up to (a total) or counts (the
	// households of a month); zero when no month is published yet.
	AsOf time.Time
	// Dataset is the kiosk dataset it comes from.
	Dataset *catalog.DatasetView
}

// Month is one kiosk's figures for one month.
type Month struct {
	Month                                time.Time
	Kiosk                                string
	Households, Weight, Points, Deposits Cell
}

// Category is the weight of one category of recyclables.
type Category struct {
	Name   string
	Weight string // 千克, one decimal
	Share  string // of the compound's total, 12.3%
}

// Rows are the rows of another dataset about a compound, as a preview
// table: Total counts the rows about the compound, Capped says there are
// more than shown.
type Rows struct {
	Dataset *catalog.DatasetView
	Table   *catalog.PreviewPage
}

// maxOtherRows bounds the rows of another dataset a page shows: the rest
// are a download away.
const maxOtherRows = 20

// Link is a compound as the picker shows it.
type Link struct {
	Name       string
	URL        string
	SampleName bool
}

// Dir is the folder of the compounds' pages.
const Dir = "/places/"

// Plan adds a page per compound and the picker on the first page of the
// kiosk topic.
func (f *Feature) Plan(pl *site.Plan) {
	places := f.places(pl.Content.Stories)
	f.last = places
	if len(places) == 0 {
		return
	}
	names := make([]string, len(places))
	for i, p := range places {
		names[i] = p.Name
	}
	f.scan.plan(names, pl.Content.Stories)
	links := make([]Link, len(places))
	for i, p := range places {
		links[i] = Link{Name: p.Name, URL: p.URL, SampleName: p.SampleName}
	}
	topic := pl.Content.KioskTopic
	pl.Each("topic", func(p *site.Page) {
		if p.N == 1 && p.Topic != nil && p.Topic.Slug == topic {
			p.Set("places", links)
		}
	})
	parent := pl.Topics[topic] // nil when the site has no kiosk topic
	for _, pv := range places {
		p := pl.NewPage("place", pv.URL, pv.Name, pl.T("place.description", pv.Name))
		p.Section = "/topics/"
		p.Topic = parent
		p.Data = pv
		p.From = site.Origin{File: catalog.KioskDir + "/kiosks.yaml"}
		if len(pv.Sources) > 0 {
			p.Date = pv.Sources[0].Updated
		}
		pl.Add(p)
	}
}

// SearchDocs are the compounds' pages for the search index: a resident
// searching for a compound's name finds its page.
func (f *Feature) SearchDocs() []search.Doc {
	var docs []search.Doc
	for _, p := range f.last {
		text := strings.Join(p.Kiosks, " ")
		for _, c := range p.Categories {
			text += " " + c.Name
		}
		summary := "智能分类回收亭的回收重量、发放积分和参与户数"
		if r := p.Requests; r != nil && r.Community != "" {
			// A resident searching for their community finds its
			// compounds' pages.
			text += " " + r.Community
			summary += "，" + r.Community + "的居民诉求"
		}
		docs = append(docs, search.Doc{URL: p.URL, Title: p.Name, Kind: "place", Summary: summary, Text: text})
	}
	return docs
}

// places derives the compounds and their figures from the datasets.
func (f *Feature) places(stories []*content.Story) []*Place {
	byName := map[string]*catalog.DatasetView{}
	for _, v := range f.data.Datasets() {
		byName[v.Name] = v
	}
	fresh := byName[kioskdata.Freshness]
	if fresh == nil {
		return nil
	}
	var (
		out   []*Place
		index = map[string]*Place{}
	)
	compound, kiosk, sample := fresh.Column("compound"), fresh.Column("kiosk"), fresh.Column("sample_name")
	if compound == nil || kiosk == nil {
		return nil
	}
	for i := range fresh.Rows {
		name, id := compound.Text(i), kiosk.Text(i)
		if name == "" || id == "" {
			continue
		}
		p := index[name]
		if p == nil {
			slug := strings.ToLower(id)
			p = &Place{Name: name, Slug: slug, URL: Dir + slug + "/", Candidates: stories, scan: f.scan}
			p.SampleName = sample != nil && sample.Text(i) == "是"
			index[name] = p
			out = append(out, p)
		}
		p.Kiosks = append(p.Kiosks, id)
	}
	sources := []*catalog.DatasetView{byName[kioskdata.Households], byName[kioskdata.Weights], byName[kioskdata.Points]}
	for _, p := range out {
		for _, v := range sources {
			if v != nil {
				p.Sources = append(p.Sources, v)
				p.Sample = p.Sample || v.Sample
			}
		}
		p.kiosk(byName[kioskdata.Households], byName[kioskdata.Weights], byName[kioskdata.Points])
		p.Requests = requestsOf(byName[RequestsSet], p.Name, f.communities[p.Name])
		p.Others = others(f.data.Datasets(), p.Name)
		if f.albums != nil {
			for _, a := range f.albums.Albums() {
				if albumNames(a, p.Name) {
					p.Albums = append(p.Albums, a)
				}
			}
		}
	}
	return out
}

// albumNames reports whether an album's title, summary or a caption names
// the compound.
func albumNames(a *albums.AlbumView, name string) bool {
	if strings.Contains(a.Title, name) || strings.Contains(a.Summary, name) {
		return true
	}
	return slices.ContainsFunc(a.Photos, func(p albums.PhotoView) bool { return strings.Contains(p.Caption, name) })
}

// Stories are the stories, newest first, that carry the compound's name
// as a tag or mention it in their title, summary or text.
func (p *Place) Stories() []*content.Story {
	var out []*content.Story
	for _, st := range p.Candidates {
		if slices.Contains(st.Tags, p.Name) || p.scan.named(st, p.Name) {
			out = append(out, st)
		}
	}
	return out
}

// mentions remembers which stories name which compounds, by the story's
// version, so that the pages of every compound read each story's text
// once. Pages render on many goroutines at once.
type mentions struct {
	fsys  fs.FS // the site, for the text of a story made from a record
	mu    sync.Mutex
	names []string           // the compounds of the last plan
	seen  map[string]mention // by story file
}

type mention struct {
	version uint64
	found   map[string]bool // by compound name, for every name of the plan
}

// plan sets the compounds' names, forgets stories the site no longer has
// and reads every story it has not read in its current version. A full
// build drops a story's text once its page has rendered, so the stories
// are read here, before any page renders; watch mode keeps the text, and
// a story whose text changes without a new plan is read again as a page
// asks (named).
func (m *mentions) plan(names []string, stories []*content.Story) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if !slices.Equal(names, m.names) {
		m.names = names
		clear(m.seen)
	}
	keep := make(map[string]bool, len(stories))
	for _, st := range stories {
		keep[st.File] = true
		m.entry(st)
	}
	for f := range m.seen {
		if !keep[f] {
			delete(m.seen, f)
		}
	}
}

// named reports whether st names the compound name.
func (m *mentions) named(st *content.Story, name string) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.entry(st).found[name]
}

// entry is what st names, read again when its version changed. Markdown
// may break a line anywhere in Chinese text, so line breaks are left out
// before searching.
func (m *mentions) entry(st *content.Story) mention {
	e, ok := m.seen[st.File]
	if ok && e.version == st.Hash {
		return e
	}
	// A story from the record of the last build (gen build) has no text
	// until it is read. Should its file have changed since the build
	// began, the next build reads it as changed and this entry again.
	if m.fsys != nil {
		_ = st.LoadBody(m.fsys)
	}
	text := joinLines(st.Title + "\n" + st.Summary + "\n" + string(st.Body))
	e = mention{version: st.Hash, found: make(map[string]bool, len(m.names))}
	for _, n := range m.names {
		e.found[n] = strings.Contains(text, n)
	}
	m.seen[st.File] = e
	return e
}

// joinLines drops line breaks and the spaces around them.
func joinLines(s string) string {
	var b strings.Builder
	for line := range strings.Lines(s) {
		b.WriteString(strings.TrimSpace(line))
	}
	return b.String()
}

// kept is what the feature keeps between two runs of gen build: which
// stories, in which version, name which compounds. A build from the record
// of the last one has the text of only the stories that changed.
type kept struct {
	Names []string
	Seen  map[string]keptMention
}

type keptMention struct {
	Version uint64
	Found   map[string]bool
}

// Keep encodes what the stories name.
func (f *Feature) Keep(w io.Writer) error {
	m := f.scan
	m.mu.Lock()
	k := kept{Names: m.names, Seen: make(map[string]keptMention, len(m.seen))}
	for file, e := range m.seen {
		k.Seen[file] = keptMention{Version: e.version, Found: e.found}
	}
	m.mu.Unlock()
	return gob.NewEncoder(w).Encode(k)
}

// Resume takes back what Keep encoded, before the plan: a story in the
// same version is not read again.
func (f *Feature) Resume(_ context.Context, data []byte) error {
	var k kept
	if err := gob.NewDecoder(bytes.NewReader(data)).Decode(&k); err != nil {
		return err
	}
	m := f.scan
	m.mu.Lock()
	defer m.mu.Unlock()
	m.names = k.Names
	m.seen = make(map[string]mention, len(k.Seen))
	for file, e := range k.Seen {
		if e.Found == nil {
			e.Found = map[string]bool{}
		}
		m.seen[file] = mention{version: e.Version, found: e.Found}
	}
	return nil
}
