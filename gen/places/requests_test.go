package places

import (
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"gongjian/gen/catalog"
	"gongjian/gen/dataset"
	"gongjian/gen/kiosklog"
)

// ledger makes a requests dataset from rows of "place category status
// days" (days "-" for none), with the compound column first when
// perCompound is set.
func ledger(t *testing.T, perCompound bool, rows ...string) *catalog.DatasetView {
	t.Helper()
	cols := []dataset.ColumnSpec{
		{Name: "place", Type: dataset.Category, Label: "试点村（社区）", Levels: []string{"白浪社区", "光明社区", "新城社区", "柳湾村"}},
		{Name: "category", Type: dataset.Category, Label: "诉求类别", Levels: []string{"水电气暖", "安全隐患", "停车秩序"}},
		{Name: "status", Type: dataset.Category, Label: "办理状态", Levels: []string{"已解决", "处理中"}},
		{Name: "days", Type: dataset.Int, Unit: "天", Label: "办理天数"},
	}
	if perCompound {
		cols = append([]dataset.ColumnSpec{{Name: "compound", Label: "小区"}}, cols...)
	}
	var cells [][]string
	for _, r := range rows {
		f := strings.Fields(r)
		if f[len(f)-1] == "-" {
			f[len(f)-1] = ""
		}
		cells = append(cells, f)
	}
	d, errs := dataset.New("data/requests.yaml", RequestsSet, schema("诉求台账", cols), cells)
	if err := errs.Err(); err != nil {
		t.Fatal(err)
	}
	return &catalog.DatasetView{Dataset: d, URL: "/data/requests/"}
}

// repeat is n copies of row.
func repeat(n int, row string) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = row
	}
	return out
}

// TestRequestsOf: a compound's page counts its community's requests,
// resolved ones, the resolution rate and the median days, by category;
// a rate or median from fewer than kiosklog.DefaultMinHouseholds requests
// is withheld; a community with no requests, and a compound whose
// community is not known, show no figures; a ledger with a compound
// column is counted by compound.
func TestRequestsOf(t *testing.T) {
	min := kiosklog.DefaultMinHouseholds
	// 白浪社区: 12 requests, 10 resolved in 1..10 days (median 5.5), 2
	// open; 光明社区: 9, all resolved in 3 days; 新城社区: 10, of which 9
	// resolved: a rate of 10 requests, a median of only 9.
	var rows []string
	for d := 1; d <= 10; d++ {
		cat := "水电气暖"
		if d > 7 {
			cat = "停车秩序"
		}
		rows = append(rows, fmt.Sprintf("白浪社区 %s 已解决 %d", cat, d))
	}
	rows = append(rows, "白浪社区 安全隐患 处理中 -", "白浪社区 停车秩序 处理中 -")
	rows = append(rows, repeat(min-1, "光明社区 安全隐患 已解决 3")...)
	rows = append(rows, repeat(min-1, "新城社区 水电气暖 已解决 2")...)
	rows = append(rows, "新城社区 水电气暖 处理中 -")
	req := ledger(t, false, rows...)

	type want struct {
		collected, resolved int
		rate, days          string // "" withheld
		cats                string // "name collected/resolved ..."
	}
	for _, tt := range []struct {
		name string
		c    community
		want want
	}{
		{"enough requests", community{Name: "白浪社区"}, want{12, 10, "83.3%", "5.5", "水电气暖 7/7 安全隐患 1/0 停车秩序 4/3"}},
		{"too few for either", community{Name: "光明社区", Sample: true}, want{min - 1, min - 1, "", "", "安全隐患 9/9"}},
		{"rate from 10, median from 9", community{Name: "新城社区"}, want{min, min - 1, "90%", "", "水电气暖 10/9"}},
		{"a community with no requests", community{Name: "柳湾村"}, want{0, 0, "", "", ""}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := requestsOf(req, "某小区", tt.c)
			if r == nil || r.PerCompound || r.Community != tt.c.Name || r.SampleCommunity != tt.c.Sample || r.Dataset != req || r.Min != min {
				t.Fatalf("requestsOf(%v) = %+v, want the community's requests", tt.c, r)
			}
			var cats []string
			for _, c := range r.Categories {
				cats = append(cats, fmt.Sprintf("%s %d/%d", c.Name, c.Collected, c.Resolved))
			}
			got := want{r.Collected, r.Resolved, r.Rate.Text, r.Days.Text, strings.Join(cats, " ")}
			if got != tt.want {
				t.Errorf("requestsOf(%v) = %+v, want %+v", tt.c, got, tt.want)
			}
			if r.Rate.TooFew != (tt.want.rate == "") || r.Days.TooFew != (tt.want.days == "") || r.Rate.N != r.Collected {
				t.Errorf("withheld: rate %+v, days %+v; want withheld exactly where there is no figure", r.Rate, r.Days)
			}
		})
	}

	if r := requestsOf(req, "某小区", community{}); r == nil || r.Community != "" || r.Collected != 0 || r.Categories != nil || r.Rate.Text != "" {
		t.Errorf("a compound whose community is not known: %+v, want the dataset and no figures", r)
	}
	if r := requestsOf(nil, "某小区", community{Name: "白浪社区"}); r != nil {
		t.Errorf("without a requests dataset: %+v, want nil", r)
	}

	// A ledger by compound: the compound's own rows, whatever community
	// kiosks.yaml gives.
	own := ledger(t, true, append(repeat(min, "玫瑰苑 白浪社区 水电气暖 已解决 4"), "别的小区 白浪社区 水电气暖 处理中 -")...)
	r := requestsOf(own, "玫瑰苑", community{Name: "白浪社区", Sample: true})
	if r == nil || !r.PerCompound || r.Community != "" || r.SampleCommunity || r.Collected != min || r.Rate.Text != "100%" || r.Days.Text != "4" {
		t.Errorf("ledger by compound: %+v, want 玫瑰苑's %d requests only", r, min)
	}
}

// TestCommunities: kiosks.yaml places each compound in a community the
// requests are registered by; an unknown one is an error at its line
// that lists the known values, as is one compound placed in two.
func TestCommunities(t *testing.T) {
	req := ledger(t, false, "白浪社区 水电气暖 已解决 1")
	kiosks := func(body string) fstest.MapFS {
		return fstest.MapFS{"data/kiosk/kiosks.yaml": {Data: []byte("kiosks:\n" + body)}}
	}
	for _, tt := range []struct {
		name, yaml string
		want       map[string]community
		err        string
	}{
		{"known and sample", "  - id: K01\n    compound: 玫瑰苑\n    community: 白浪社区\n    sample_community: true\n  - id: K02\n    compound: 桂花苑\n",
			map[string]community{"玫瑰苑": {"白浪社区", true}}, ""},
		{"unknown", "  - id: K01\n    compound: 玫瑰苑\n  - id: K02\n    compound: 桂花苑\n    community: 白浪村\n",
			map[string]community{}, `data/kiosk/kiosks.yaml:4: kiosk "K02": community "白浪村" is not one the requests are registered by (data/requests.yaml, column place); known: 白浪社区, 光明社区, 新城社区, 柳湾村`},
		{"one compound in two", "  - id: K01\n    compound: 玫瑰苑\n    community: 白浪社区\n  - id: K02\n    compound: 玫瑰苑\n    community: 光明社区\n",
			map[string]community{"玫瑰苑": {"白浪社区", false}}, `data/kiosk/kiosks.yaml:5: kiosk "K02": compound 玫瑰苑 is in 白浪社区 at another kiosk, here in 光明社区`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, errs := readCommunities(kiosks(tt.yaml), req)
			if tt.err == "" && len(errs) > 0 || tt.err != "" && (len(errs) != 1 || errs[0].Error() != tt.err) {
				t.Errorf("errors %v, want %q", errs, tt.err)
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("communities %v, want %v", got, tt.want)
			}
		})
	}
	// Without a requests dataset nothing is checked; without kiosks.yaml
	// there is nothing to read.
	if got, errs := readCommunities(kiosks("  - id: K01\n    compound: 玫瑰苑\n    community: 任何地方\n"), nil); len(errs) > 0 || got["玫瑰苑"].Name != "任何地方" {
		t.Errorf("no requests dataset: %v, %v; want the community unchecked", got, errs)
	}
	if got, errs := readCommunities(fstest.MapFS{}, req); len(errs) > 0 || len(got) != 0 {
		t.Errorf("no kiosks.yaml: %v, %v", got, errs)
	}
}

// TestCheckRequests: a requests dataset without the columns the pages
// count by is an error at its schema, naming what is missing.
func TestCheckRequests(t *testing.T) {
	d, errs := dataset.New("data/requests.yaml", RequestsSet, schema("诉求", []dataset.ColumnSpec{{Name: "place"}, {Name: "status"}}), [][]string{{"白浪社区", "已解决"}})
	if err := errs.Err(); err != nil {
		t.Fatal(err)
	}
	got := checkRequests(&catalog.DatasetView{Dataset: d})
	if len(got) != 1 || !strings.HasPrefix(got[0].Error(), "data/requests.yaml") || !strings.HasSuffix(got[0].Error(), "it has no category, days") {
		t.Errorf("checkRequests = %v, want an error naming category and days", got)
	}
	if got := checkRequests(ledger(t, false)); got != nil {
		t.Errorf("a whole ledger: %v", got)
	}
	// Load reports it only when kiosks.yaml gives communities to join
	// with: another site's dataset of that name is no ledger.
	bad := sets{&catalog.DatasetView{Dataset: d}}
	for _, tt := range []struct {
		kiosk string
		errs  int
	}{
		{"  - id: K01\n    compound: 玫瑰苑\n    community: 白浪社区\n", 1},
		{"  - id: K01\n    compound: 玫瑰苑\n", 0},
	} {
		fsys := fstest.MapFS{"data/kiosk/kiosks.yaml": {Data: []byte("kiosks:\n" + tt.kiosk)}}
		if errs := New(bad, noAlbums{}).Load(t.Context(), fsys, nil); len(errs) != tt.errs {
			t.Errorf("Load with kiosks %q: %v, want %d error(s)", tt.kiosk, errs, tt.errs)
		}
	}
}

// TestExampleRequests: on the example site, every compound is placed in
// a community of the requests ledger, and its page's figures are those
// the expression language gives for that community.
func TestExampleRequests(t *testing.T) {
	fsys := os.DirFS("../..")
	loaded, errs := dataset.LoadDir(fsys, "data")
	if err := errs.Err(); err != nil {
		t.Fatal(err)
	}
	all := append(exampleSets(t), loaded...)
	f := New(views(all...), noAlbums{})
	if errs := f.Load(t.Context(), fsys, nil); len(errs) > 0 {
		t.Fatalf("Load: %v", errs)
	}
	pages := placePages(plan(t, f))
	eval := func(expr string) string {
		v, err := dataset.Eval(all, expr)
		if err != nil {
			t.Fatalf("Eval(%q): %v", expr, err)
		}
		return v
	}
	withheld := 0
	for _, url := range slices.Sorted(maps.Keys(pages)) {
		p := pages[url]
		r := p.Requests
		if r == nil || r.Community == "" || !r.SampleCommunity {
			t.Errorf("%s %s: requests %+v, want a sample community's", url, p.Name, r)
			continue
		}
		where := " where place = " + r.Community
		if got, want := fmt.Sprint(r.Collected), eval("requests | count"+where); got != want {
			t.Errorf("%s: %s collected, want %s", url, got, want)
		}
		if got, want := fmt.Sprint(r.Resolved), eval("requests | count"+where+" and status = 已解决"); got != want {
			t.Errorf("%s: %s resolved, want %s", url, got, want)
		}
		if r.Rate.TooFew {
			withheld++
			continue
		}
		if got, want := r.Rate.Text, eval("requests | rate status = 已解决"+where); got != want {
			t.Errorf("%s: rate %s, want %s", url, got, want)
		}
		if got, want := r.Days.Text, eval("requests | median 办理天数"+where+" and status = 已解决"); got != want {
			t.Errorf("%s: median days %s, want %s", url, got, want)
		}
	}
	for _, d := range f.SearchDocs() {
		if p := pages[d.URL]; !strings.Contains(d.Text, p.Requests.Community) || !strings.Contains(d.Summary, p.Requests.Community+"的居民诉求") {
			t.Errorf("search document of %s: text %q, summary %q; want its community %s in both", d.URL, d.Text, d.Summary, p.Requests.Community)
		}
	}
	if withheld == 0 || withheld == len(pages) {
		t.Errorf("%d of %d compounds have their rate withheld; the example site should show both cases", withheld, len(pages))
	}
}
