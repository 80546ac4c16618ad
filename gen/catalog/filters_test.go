package catalog

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"gongjian/gen/content"
	"gongjian/gen/dataset"
	"gongjian/gen/site"
)

func view(name, topic, updated string) *DatasetView {
	u, err := time.ParseInLocation("2006-01-02", updated, dataset.Zone)
	if err != nil {
		panic(err)
	}
	return &DatasetView{Dataset: &dataset.Dataset{Name: name, Topic: topic, Updated: u}, URL: "/data/" + name + "/"}
}

// TestPeriods: the newest months get a filter each, older datasets are
// grouped by year, newest first, and every dataset is in exactly one.
func TestPeriods(t *testing.T) {
	tests := []struct {
		updated []string
		want    string
	}{
		{[]string{"2026-03-31", "2026-11-27", "2026-03-01"}, "2026-11:1 2026-03:2"},
		{[]string{"2026-06-01", "2026-05-01", "2026-04-01", "2026-03-01", "2026-02-01", "2026-01-01"}, "2026-06:1 2026-05:1 2026-04:1 2026-03:1 2026-02:1 2026-01:1"},
		{[]string{"2026-06-01", "2026-05-01", "2026-04-01", "2026-03-01", "2026-02-01", "2026-01-01", "2025-12-31", "2025-01-01", "2023-07-01"},
			"2026-06:1 2026-05:1 2026-04:1 2026-03:1 2026-02:1 2026-01:1 2025:2 2023:1"},
		// Dates are read in China Standard Time, the zone the site's dates are in.
		{[]string{"2026-01-01"}, "2026-01:1"},
	}
	for _, tt := range tests {
		var views []*DatasetView
		for i, u := range tt.updated {
			views = append(views, view(fmt.Sprint("d", i), "t", u))
		}
		var got []string
		n := 0
		for _, p := range periods(views) {
			got = append(got, fmt.Sprintf("%s:%d", p.slug, len(p.sets)))
			n += len(p.sets)
		}
		if strings.Join(got, " ") != tt.want || n != len(views) {
			t.Errorf("periods(%v) = %v (%d datasets), want %s", tt.updated, got, n, tt.want)
		}
	}
}

// TestFilterPages: a page per topic with datasets and per period, each
// listing only its datasets, with the filter links marking it; the
// catalogue marks 全部.
func TestFilterPages(t *testing.T) {
	topics := []*content.Topic{{Slug: "river", Title: "小流域治理"}, {Slug: "garbage-sorting", Title: "垃圾分类"}, {Slug: "empty", Title: "没有数据"}}
	c := &content.Site{Title: "示例", BaseURL: "https://example.org/", Paginate: 10, Topics: topics}
	pl := site.NewPlan(site.New(c), site.Theme{T: func(key string, args ...any) string { return key + fmt.Sprint(args...) }, Asset: func(string) string { return "" }})
	f := &Feature{byTopic: map[string][]*DatasetView{}}
	for _, v := range []*DatasetView{view("a", "river", "2026-03-31"), view("b", "garbage-sorting", "2026-11-27"), view("c", "garbage-sorting", "2026-03-01")} {
		f.views = append(f.views, v)
		f.byTopic[v.Topic] = append(f.byTopic[v.Topic], v)
	}
	f.Plan(pl)
	got := map[string]string{}
	current := map[string]string{}
	pl.Each("data", func(p *site.Page) {
		cat := p.Data.(*Catalogue)
		var names []string
		for _, v := range cat.Datasets {
			names = append(names, v.Name)
		}
		got[p.Path] = strings.Join(names, ",")
		var marked []string
		for _, l := range append(append([]FilterLink{cat.Filters.All}, cat.Filters.Topics...), cat.Filters.Periods...) {
			if l.Current {
				marked = append(marked, l.URL)
			}
		}
		current[p.Path] = strings.Join(marked, ",")
		if (cat.Filter == nil) != (p.Path == "/data/") {
			t.Errorf("%s: filter %+v", p.Path, cat.Filter)
		}
	})
	want := map[string]string{
		"/data/":                       "a,b,c",
		"/data/topic/river/":           "a",
		"/data/topic/garbage-sorting/": "b,c",
		"/data/updated/2026-11/":       "b",
		"/data/updated/2026-03/":       "a,c",
	}
	for path, w := range want {
		if got[path] != w {
			t.Errorf("%s lists %q, want %q", path, got[path], w)
		}
		if current[path] != path {
			t.Errorf("%s marks %q as current, want itself", path, current[path])
		}
	}
	if len(got) != len(want) {
		paths := make([]string, 0, len(got))
		for p := range got {
			paths = append(paths, p)
		}
		slices.Sort(paths)
		t.Errorf("catalogue pages %v, want %d (no page for a topic without datasets)", paths, len(want))
	}
}
