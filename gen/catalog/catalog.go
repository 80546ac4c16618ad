// Package catalog is the site's data feature: every dataset in data/ and
// the kiosk logs' aggregates (package kioskdata) with their pages, table
// previews, charts and downloads, the catalogue page and data.json, the
// home page's headline figures, the datasets and charts on topic pages, and
// the ```chart blocks and {{data: …}} figures of Markdown.
package catalog

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"slices"
	"strings"

	"github.com/cespare/xxhash/v2"

	"gongjian/gen/chart"
	"gongjian/gen/content"
	"gongjian/gen/dataset"
	"gongjian/gen/diag"
	"gongjian/gen/kioskdata"
	"gongjian/gen/kiosklog"
	"gongjian/gen/render"
	"gongjian/gen/search"
	"gongjian/gen/site"
	"gongjian/gen/theme"
)

// Dir holds the datasets: NAME.csv with NAME.yaml beside it.
const Dir = "data"

// KioskDir holds the kiosk weight logs kioskpull writes.
const KioskDir = Dir + "/kiosk"

// The methods page (关于数据) explains the site's data in plain words: how
// its figures are computed, what is withheld and why, and how often each
// dataset is updated. Its text is the Markdown of MethodsFile, with
// figures computed as in any story ({{data: …}}); the rule for small
// counts and the list of datasets come from the code and the schemas. A
// theme without a "methods" page template has no such page.
const (
	MethodsFile = "content/about/data.md"
	MethodsURL  = "/about/data/"
)

// previewRows is the number of rows a page of a dataset's preview shows,
// and previewPages how many such pages are published; the downloads hold
// every row.
const (
	previewRows  = 50
	previewPages = 20
)

// chartScripts are the theme's scripts a page that draws a chart loads
// after the theme's own.
var chartScripts = []string{"vendor/echarts/echarts.common.min.js", "js/charts.js"}

// Feature is the data feature of one site.
type Feature struct {
	logf    func(string, ...any)
	theme   func() *theme.Theme
	sets    []*dataset.Dataset
	views   []*DatasetView
	byName  map[string]*DatasetView
	byTopic map[string][]*DatasetView
	catalog []byte
	all     allSets
	figures []FigureView
	methods *content.Page // nil when the site has no MethodsFile
}

// New makes the feature; th gives the theme ```chart blocks render with.
func New(th func() *theme.Theme, logf func(string, ...any)) *Feature {
	if logf == nil {
		logf = func(string, ...any) {}
	}
	return &Feature{theme: th, logf: logf}
}

// DatasetView is a dataset as its pages show it.
type DatasetView struct {
	*dataset.Dataset
	URL       string
	Charts    []*chart.Chart
	Downloads []dataset.Download
	hash      uint64
}

// InputKey names the dataset among a page's inputs: its schema file.
func (v *DatasetView) InputKey() string { return v.SchemaPath }

// InputVersion changes when anything the dataset's pages show does.
func (v *DatasetView) InputVersion() uint64 { return v.hash }

// allSets is every dataset as one input: what a {{data: …}} figure or a
// ```chart block in Markdown reads.
type allSets uint64

func (allSets) InputKey() string       { return Dir + "/" }
func (a allSets) InputVersion() uint64 { return uint64(a) }

// DatasetPage is what a dataset's page, and each page of its preview, show.
type DatasetPage struct {
	Dataset   *DatasetView
	Preview   *PreviewPage
	RowsPager *site.Pager // the preview's pages
	Charts    []*chart.Chart
}

// Catalogue is what the catalogue page, and each of its filter pages,
// show.
type Catalogue struct {
	Datasets []*DatasetView
	Groups   []DataGroup // by topic; none on a filter page
	Filters  *Filters    // the links that narrow the catalogue; nil without datasets
	Filter   *Filter     // the filter of a filter page; nil on the catalogue
}

// DataGroup is a topic's datasets.
type DataGroup struct {
	Topic    *content.Topic
	Datasets []*DatasetView
}

// PreviewPage is one page of a dataset's table preview.
type PreviewPage struct {
	Header []string
	Rows   [][]dataset.Cell
	From   int // 1-based number of the first row shown
	To     int
	Total  int
	Capped bool // the preview stops before the last row
}

// Methods is what the methods page shows beside its Markdown.
type Methods struct {
	Datasets []*DatasetView
	// MinHouseholds is the smallest household count the kiosk data
	// publishes (package kiosklog).
	MinHouseholds int
}

// FigureView is a headline figure on the home page.
type FigureView struct {
	Title, Value, Note string
	// Unit follows the value ("5240" "户"): the unit of the column the
	// figure adds up; empty for rates, changes and counts.
	Unit    string
	Dataset *DatasetView
	// Pending is set when the figure's rows exist but their values are
	// withheld for now (a kiosk month not closed yet): the theme says so
	// instead of a number.
	Pending bool
}

// Datasets are the site's datasets, those made from the kiosk logs among
// them, in name order, as the last Load that succeeded left them.
func (f *Feature) Datasets() []*DatasetView { return f.views }

// Owns reports whether path is a dataset's file, a kiosk log or the
// methods page's Markdown.
func (f *Feature) Owns(path string) bool {
	return path == Dir || strings.HasPrefix(path, Dir+"/") || path == MethodsFile
}

// Load loads every dataset, builds its charts and downloads, checks each
// belongs to one of the site's topics, and evaluates the home page's
// headline figures.
func (f *Feature) Load(ctx context.Context, fsys fs.FS, m *site.Model) diag.List {
	var sets []*dataset.Dataset
	methods, errs := content.ReadPage(fsys, MethodsFile)
	if _, err := fs.Stat(fsys, Dir); err == nil {
		loaded, derrs := dataset.LoadDir(fsys, Dir)
		errs.Merge(derrs)
		// The kiosk log becomes datasets too: aggregates only, small
		// cells suppressed (package kioskdata).
		kiosk, kwarns, kerrs := kioskdata.Datasets(fsys, KioskDir, m.Content.KioskTopic)
		errs.Merge(kerrs)
		for _, w := range kwarns {
			f.logf("warning: %v", w)
		}
		seen := map[string]string{}
		for _, ds := range append(loaded, kiosk...) {
			if other, dup := seen[ds.Name]; dup {
				errs.Addf(ds.SchemaPath, 0, "dataset %q is also defined by %s", ds.Name, other)
				continue
			}
			seen[ds.Name] = ds.SchemaPath
			sets = append(sets, ds)
		}
		slices.SortFunc(sets, func(a, b *dataset.Dataset) int { return cmp.Compare(a.Name, b.Name) })
	}
	errs.Merge(dataset.RunChecks(sets, m.Content.Checks))
	var (
		views   []*DatasetView
		byName  = map[string]*DatasetView{}
		byTopic = map[string][]*DatasetView{}
		all     = xxhash.New()
	)
	for _, ds := range sets {
		if err := m.Content.CheckTopic(ds.SchemaPath, ds.TopicLine, ds.Topic); err != nil {
			errs.Add(err)
		}
		charts, cerrs := chart.FromDataset(ds)
		errs.Merge(cerrs)
		downloads, err := ds.Downloads()
		if err != nil {
			errs.Addf(ds.Path, 0, "cannot write the downloads: %v", err)
			continue
		}
		v := &DatasetView{Dataset: ds, URL: "/data/" + ds.Name + "/", Charts: charts, Downloads: downloads}
		h := xxhash.New()
		for _, dl := range downloads {
			h.WriteString(dl.SHA256)
		}
		h.WriteString(fmt.Sprint(ds.Title, ds.Description, ds.Source, ds.Licence, ds.Updated, ds.Topic, ds.Sample, len(ds.Charts)))
		for _, c := range charts {
			h.WriteString(string(c.Options))
			h.WriteString(c.Summary + c.Number + c.Title)
		}
		v.hash = h.Sum64()
		all.WriteString(fmt.Sprint(v.hash))
		views = append(views, v)
		byName[ds.Name] = v
		byTopic[ds.Topic] = append(byTopic[ds.Topic], v)
	}
	if len(errs) > 0 {
		return errs
	}
	cat, err := dataset.Catalog(sets, m.Content.Title, m.Content.BaseURL)
	if err != nil {
		errs.Addf(Dir, 0, "catalog: %v", err)
		return errs
	}
	f.sets, f.views, f.byName, f.byTopic, f.catalog, f.methods = sets, views, byName, byTopic, cat, methods
	f.all = allSets(all.Sum64())
	return f.evalFigures(m)
}

// evalFigures evaluates the home page's headline figures from site.yaml.
func (f *Feature) evalFigures(m *site.Model) diag.List {
	var out []FigureView
	var errs diag.List
	for _, fig := range m.Content.Figures {
		v, err := dataset.Eval(f.sets, fig.Value)
		pending := errors.Is(err, dataset.ErrWithheld)
		if err != nil && !pending {
			errs.Addf(content.SiteFile, fig.Line, "figure %q: %v", fig.Title, err)
			continue
		}
		name, _, _ := strings.Cut(fig.Value, "|")
		out = append(out, FigureView{Title: fig.Title, Value: v, Unit: figureUnit(f.sets, fig.Value), Note: fig.Note, Dataset: f.byName[strings.TrimSpace(name)], Pending: pending})
	}
	f.figures = out
	return errs
}

// figureUnit is the unit of the column a figure's expression adds up,
// when its value is a plain number of that column (a sum, a last value),
// not a rate, a change or a count of rows.
func figureUnit(sets []*dataset.Dataset, expr string) string {
	v, err := dataset.EvalValue(sets, expr)
	if err != nil || v.Kind != "number" || v.Column == nil || !v.Column.Numeric() || v.Column.Type == dataset.Percent {
		return ""
	}
	return v.Column.Unit
}

// Plan adds the catalogue, each dataset's page, its preview pages and its
// downloads, and data.json; and shows the figures on the home page and each
// topic's datasets and first charts on its first page.
func (f *Feature) Plan(pl *site.Plan) {
	for _, v := range f.views {
		pl.Input(v)
	}
	pl.Input(f.all)
	pl.Each("home", func(p *site.Page) { p.Set("figures", f.figures) })
	pl.Each("topic", func(p *site.Page) {
		if p.N != 1 {
			return
		}
		sets := f.byTopic[p.Topic.Slug]
		charts := firstCharts(sets)
		p.Set("datasets", sets)
		p.Set("charts", charts)
		p.Set("figures", numberCards(sets))
		if hasDrawnChart(charts) {
			p.Scripts = f.withCharts(p.Scripts)
		}
	})

	index := pl.NewPage("data", "/data/", pl.T("data.title"), "")
	cat := &Catalogue{Datasets: f.views}
	for _, t := range pl.Content.Topics {
		if sets := f.byTopic[t.Slug]; len(sets) > 0 {
			cat.Groups = append(cat.Groups, DataGroup{Topic: t, Datasets: sets})
		}
	}
	index.Data = cat
	pl.Add(index)
	f.planFilters(pl, index, cat)
	f.planMethods(pl)
	for _, v := range f.views {
		pages := preview(v.Dataset)
		for i, pv := range pages {
			url := v.URL
			kind := "dataset"
			if i > 0 {
				url = fmt.Sprintf("%srows/%d/", v.URL, i+1)
				kind = "rows"
			}
			p := pl.NewPage(kind, url, v.Title, v.Description)
			p.Section = "/data/"
			p.From = site.Origin{File: v.SchemaPath}
			p.Date = v.Updated
			dp := &DatasetPage{Dataset: v, Preview: pv}
			if len(pages) > 1 {
				dp.RowsPager = site.NewPager(v.URL+"rows/", i+1, len(pages)*previewRows, previewRows)
				for k := range dp.RowsPager.Links {
					if dp.RowsPager.Links[k].N == 1 {
						dp.RowsPager.Links[k].URL = v.URL
					}
				}
				if i == 1 {
					dp.RowsPager.Prev = v.URL
				}
			}
			if i == 0 {
				dp.Charts = v.Charts
				if hasDrawnChart(v.Charts) {
					p.Scripts = f.withCharts(p.Scripts)
				}
			}
			p.Data = dp
			pl.Add(p)
		}
		for _, dl := range v.Downloads {
			pl.AddFile(site.File{Path: strings.TrimPrefix(dl.Path, "/"), Data: dl.Data, From: site.Origin{File: v.SchemaPath}})
		}
	}
	pl.AddFile(site.File{Path: "data.json", Data: f.catalog})
}

// planMethods adds the methods page, if there is a theme and it has the
// page's template.
func (f *Feature) planMethods(pl *site.Plan) {
	if f.theme == nil || f.theme() == nil || !f.theme().Has("methods") {
		return
	}
	p := pl.NewPage("methods", MethodsURL, pl.T("methods.title"), "")
	p.Section = "/data/"
	p.Data = &Methods{Datasets: f.views, MinHouseholds: kiosklog.DefaultMinHouseholds}
	if m := f.methods; m != nil {
		pl.Input(m)
		p.Title = cmp.Or(m.Title, p.Title)
		p.Description = cmp.Or(m.Summary, p.Description)
		p.Source = &site.Source{File: m.File, Line: m.BodyLine, Src: m.Body, Version: m.Hash}
		p.From = site.Origin{File: m.File}
	}
	pl.Add(p)
}

// BeforeRender lets a page's Markdown draw ```chart blocks and compute
// {{data: …}} figures from the datasets; a page that draws a chart loads
// the chart scripts.
func (f *Feature) BeforeRender(ctx context.Context, p *site.Page, prep *render.Prep) error {
	if p.Source == nil {
		return nil
	}
	var drawn bool
	prep.Hooks.Blocks = map[string]func([]byte, int) (template.HTML, error){
		"chart": func(body []byte, line int) (template.HTML, error) {
			p.Read(f.all)
			c, err := chart.Block(body, line, f.sets)
			if err != nil {
				return "", err
			}
			drawn = drawn || c.Kind != "number"
			var b bytes.Buffer
			if err := f.theme().Partial(&b, "chart", c); err != nil {
				return "", err
			}
			return template.HTML(b.String()), nil
		},
	}
	prep.Hooks.FigureLink = func(expr string) string {
		name, _, _ := strings.Cut(expr, "|")
		if v := f.byName[strings.TrimSpace(name)]; v != nil {
			return v.URL
		}
		return ""
	}
	prep.Hooks.Figure = func(expr string, _ int) (string, error) {
		p.Read(f.all)
		return dataset.Eval(f.sets, expr)
	}
	prep.AfterMarkdown(func(string) {
		if drawn {
			p.Scripts = f.withCharts(p.Scripts)
		}
	})
	return nil
}

// withCharts is scripts with the chart scripts after them, unless they
// are there already.
func (f *Feature) withCharts(scripts []string) []string {
	th := f.theme()
	for _, rel := range chartScripts {
		if a := th.Asset(rel); !slices.Contains(scripts, a) {
			scripts = append(slices.Clip(scripts), a)
		}
	}
	return scripts
}

// ColumnHeader is a column's heading in a table: its title, and its unit
// in brackets.
func ColumnHeader(c *dataset.Column) string {
	if c.Unit != "" {
		return c.Title() + "（" + c.Unit + "）"
	}
	return c.Title()
}

// preview cuts a dataset's rows into preview pages.
func preview(ds *dataset.Dataset) []*PreviewPage {
	header := make([]string, len(ds.Columns))
	for i, c := range ds.Columns {
		header[i] = ColumnHeader(c)
	}
	var pages []*PreviewPage
	for from := 0; from < ds.Rows || from == 0; from += previewRows {
		if len(pages) == previewPages {
			pages[len(pages)-1].Capped = true
			break
		}
		to := min(from+previewRows, ds.Rows)
		pages = append(pages, &PreviewPage{Header: header, Rows: ds.Page(from, to), From: from + 1, To: to, Total: ds.Rows})
		if ds.Rows == 0 {
			break
		}
	}
	return pages
}

// hasDrawnChart reports whether any chart in charts needs ECharts (number
// cards do not).
func hasDrawnChart(charts []*chart.Chart) bool {
	for _, c := range charts {
		if c.Kind != "number" {
			return true
		}
	}
	return false
}

// firstCharts is the first chart of each dataset, for topic pages.
// numberCards are the headline figures of a topic's datasets: their
// number cards, except those showing a date.
func numberCards(views []*DatasetView) []*chart.Chart {
	var out []*chart.Chart
	for _, v := range views {
		for _, c := range v.Charts {
			if c.Kind == "number" && c.Format != "date" {
				out = append(out, c)
			}
		}
	}
	return out
}

func firstCharts(views []*DatasetView) []*chart.Chart {
	var out []*chart.Chart
	for _, v := range views {
		// Prefer a drawn chart; a dataset with only cards shows its first
		// if that is a date.
		var pick *chart.Chart
		for _, c := range v.Charts {
			if c.Kind != "number" {
				pick = c
				break
			}
		}
		// Other number cards show among the topic's figures (numberCards).
		if pick == nil && len(v.Charts) > 0 && v.Charts[0].Format == "date" {
			pick = v.Charts[0]
		}
		if pick != nil {
			out = append(out, pick)
		}
	}
	return out
}

// searchValues bounds the text values of one dataset that the search index
// gets: a dataset of a million free-text rows must not make the index.
const searchValues = 8 << 10

// SearchDocs are the datasets for the search index: title, description,
// the distinct values of its category and text columns (compound names,
// categories: what residents search for), then column names and source.
func (f *Feature) SearchDocs() []search.Doc {
	var docs []search.Doc
	for _, v := range f.views {
		var cols, vals []string
		seen := map[string]bool{}
		size := 0
		add := func(s string) {
			if s != "" && !seen[s] && size+len(s) <= searchValues {
				seen[s] = true
				size += len(s) + len("、")
				vals = append(vals, s)
			}
		}
		for _, c := range v.Columns {
			cols = append(cols, c.Title())
			switch c.Type {
			case dataset.Category:
				for _, l := range c.Levels() {
					add(l)
				}
			case dataset.String:
				for i := 0; i < v.Rows && size < searchValues; i++ {
					add(c.Text(i))
				}
			}
		}
		docs = append(docs, search.Doc{URL: v.URL, Title: v.Title, Kind: "dataset", Summary: v.Description,
			Text: strings.Join(vals, "、") + "\n" + strings.Join(cols, " ") + "\n" + v.Source, Date: v.Updated})
	}
	return docs
}

// Notes are the editors' notes of every dataset schema and of the
// methods page.
func (f *Feature) Notes() diag.List {
	var out diag.List
	if f.methods != nil {
		out = append(out, f.methods.Notes...)
	}
	for _, d := range f.sets {
		out = append(out, d.Notes...)
	}
	return out
}
