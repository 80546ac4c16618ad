package build

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"hash/maphash"
	"html/template"
	"io/fs"
	"slices"
	"strings"

	"gongjian/gen/chart"
	"gongjian/gen/content"
	"gongjian/gen/dataset"
	"gongjian/gen/diag"
	"gongjian/gen/kioskdata"
)

// DataDir holds the datasets: NAME.csv with NAME.yaml beside it.
const DataDir = "data"

// KioskDir holds the kiosk weight logs kioskpull writes.
const KioskDir = DataDir + "/kiosk"

// previewRows is the number of rows a page of a dataset's preview shows,
// and previewPages how many such pages are published; the downloads hold
// every row.
const (
	previewRows  = 50
	previewPages = 20
)

// DatasetView is a dataset as its pages show it.
type DatasetView struct {
	*dataset.Dataset
	URL       string
	Charts    []*chart.Chart
	Downloads []dataset.Download
	hash      uint64
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

// FigureView is a headline figure on the home page.
type FigureView struct {
	Title, Value, Note string
	Dataset            *DatasetView
	// Pending is set when the figure's rows exist but their values are
	// withheld for now (a kiosk month not closed yet): the theme says so
	// instead of a number.
	Pending bool
}

// data is the site's datasets and what pages derive from them.
type data struct {
	sets    []*dataset.Dataset
	views   []*DatasetView
	byName  map[string]*DatasetView
	byTopic map[string][]*DatasetView
	catalog []byte
	hash    uint64 // of every dataset: pages that quote data depend on it
}

// loadData loads every dataset, builds its charts and downloads, and checks
// each belongs to one of the site's topics.
func (s *Site) loadData(fsys fs.FS) diag.List {
	d := &data{byName: map[string]*DatasetView{}, byTopic: map[string][]*DatasetView{}}
	var errs diag.List
	if _, err := fs.Stat(fsys, DataDir); err == nil {
		sets, derrs := dataset.LoadDir(fsys, DataDir)
		errs.Merge(derrs)
		// The kiosk log becomes datasets too: aggregates only, small
		// cells suppressed (package kioskdata).
		kiosk, kwarns, kerrs := kioskdata.Datasets(fsys, KioskDir, s.Content.KioskTopic)
		errs.Merge(kerrs)
		for _, w := range kwarns {
			s.opt.Logf("warning: %v", w)
		}
		seen := map[string]string{}
		for _, ds := range append(sets, kiosk...) {
			if other, dup := seen[ds.Name]; dup {
				errs.Addf(ds.SchemaPath, 0, "dataset %q is also defined by %s", ds.Name, other)
				continue
			}
			seen[ds.Name] = ds.SchemaPath
			d.sets = append(d.sets, ds)
		}
		slices.SortFunc(d.sets, func(a, b *dataset.Dataset) int { return cmp.Compare(a.Name, b.Name) })
	}
	errs.Merge(dataset.RunChecks(d.sets, s.Content.Checks))
	var all maphash.Hash
	all.SetSeed(fpSeed)
	for _, ds := range d.sets {
		if err := s.Content.CheckTopic(ds.SchemaPath, ds.TopicLine, ds.Topic); err != nil {
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
		var h maphash.Hash
		h.SetSeed(fpSeed)
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
		d.views = append(d.views, v)
		d.byName[ds.Name] = v
		d.byTopic[ds.Topic] = append(d.byTopic[ds.Topic], v)
	}
	if len(errs) > 0 {
		return errs
	}
	cat, err := dataset.Catalog(d.sets, s.Content.Title, s.Content.BaseURL)
	if err != nil {
		errs.Addf(DataDir, 0, "catalog: %v", err)
		return errs
	}
	d.catalog = cat
	d.hash = all.Sum64()
	s.data = d
	return nil
}

// figures evaluates the home page's headline figures from site.yaml.
func (s *Site) figures() ([]FigureView, diag.List) {
	var out []FigureView
	var errs diag.List
	for _, f := range s.Content.Figures {
		v, err := dataset.Eval(s.data.sets, f.Value)
		pending := errors.Is(err, dataset.ErrWithheld)
		if err != nil && !pending {
			errs.Addf(content.SiteFile, f.Line, "figure %q: %v", f.Title, err)
			continue
		}
		name, _, _ := strings.Cut(f.Value, "|")
		out = append(out, FigureView{Title: f.Title, Value: v, Note: f.Note, Dataset: s.data.byName[strings.TrimSpace(name)], Pending: pending})
	}
	return out, errs
}

// preview cuts a dataset's rows into preview pages.
func preview(ds *dataset.Dataset) []*PreviewPage {
	header := make([]string, len(ds.Columns))
	for i, c := range ds.Columns {
		header[i] = c.Title()
		if c.Unit != "" {
			header[i] += "（" + c.Unit + "）"
		}
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

// chartHooks are the Markdown hooks that draw ```chart blocks and compute
// {{data: …}} figures from the datasets. used is set when a page draws a
// chart, so that it loads ECharts.
func (s *Site) chartHooks(used *bool) (map[string]func([]byte, int) (template.HTML, error), func(string, int) (string, error)) {
	blocks := map[string]func([]byte, int) (template.HTML, error){
		"chart": func(body []byte, line int) (template.HTML, error) {
			c, err := chart.Block(body, line, s.data.sets)
			if err != nil {
				return "", err
			}
			*used = *used || c.Kind != "number"
			var b bytes.Buffer
			if err := s.Theme.Partial(&b, "chart", c); err != nil {
				return "", err
			}
			return template.HTML(b.String()), nil
		},
	}
	figure := func(expr string, _ int) (string, error) {
		return dataset.Eval(s.data.sets, expr)
	}
	return blocks, figure
}

// chartScripts are the scripts a page with charts loads, after the theme's.
func (s *Site) chartScripts(base []string) []string {
	out := append([]string(nil), base...)
	return append(out, "/vendor/echarts/echarts.common.min.js", "/js/charts.js")
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

// usesData reports whether Markdown quotes datasets, so that its page
// depends on them.
func usesData(src []byte) bool {
	return bytes.Contains(src, []byte("```chart")) || bytes.Contains(src, []byte("{{data:"))
}

// usesData reports whether a story quotes datasets, scanning each version
// of a story once: watch mode asks on every update. Only jobs asks, on one
// goroutine.
func (s *Site) usesData(st *content.Story) bool {
	if v, ok := s.quotes[st.Hash]; ok {
		return v
	}
	uses := usesData(st.Body)
	if s.quotes == nil {
		s.quotes = map[uint64]bool{}
	}
	s.quotes[st.Hash] = uses
	return uses
}

// firstCharts is the first chart of each dataset, for topic pages.
func firstCharts(views []*DatasetView) []*chart.Chart {
	var out []*chart.Chart
	for _, v := range views {
		// Prefer a drawn chart; a dataset with only cards shows its card.
		var pick *chart.Chart
		for _, c := range v.Charts {
			if c.Kind != "number" {
				pick = c
				break
			}
		}
		if pick = cmp.Or(pick, firstOrNil(v.Charts)); pick != nil {
			out = append(out, pick)
		}
	}
	return out
}

func firstOrNil(cs []*chart.Chart) *chart.Chart {
	if len(cs) == 0 {
		return nil
	}
	return cs[0]
}
