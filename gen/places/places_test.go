package places

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"gongjian/gen/albums"
	"gongjian/gen/catalog"
	"gongjian/gen/content"
	"gongjian/gen/dataset"
	"gongjian/gen/kioskdata"
	"gongjian/gen/kiosklog"
	"gongjian/gen/site"
)

// sets is a fixed list of datasets, as the data feature gives them.
type sets []*catalog.DatasetView

func (s sets) Datasets() []*catalog.DatasetView { return s }

type noAlbums []*albums.AlbumView

func (a noAlbums) Albums() []*albums.AlbumView { return a }

func views(ds ...*dataset.Dataset) sets {
	var out sets
	for _, d := range ds {
		out = append(out, &catalog.DatasetView{Dataset: d, URL: "/data/" + d.Name + "/"})
	}
	return out
}

// exampleSets are the kiosk datasets of the example site's store, made by
// package kioskdata as the site makes them.
func exampleSets(t *testing.T) []*dataset.Dataset {
	t.Helper()
	ds, _, errs := kioskdata.Datasets(os.DirFS("../.."), "data/kiosk", "garbage-sorting")
	if err := errs.Err(); err != nil {
		t.Fatal(err)
	}
	return ds
}

// plan plans a site with the kiosk topic and the stories given, and the
// feature's pages.
func plan(t *testing.T, f *Feature, stories ...*content.Story) *site.Plan {
	t.Helper()
	topic := &content.Topic{Slug: "garbage-sorting", Title: "垃圾分类"}
	other := &content.Topic{Slug: "river", Title: "小流域治理"}
	c := &content.Site{Title: "示例", BaseURL: "https://example.org/", Paginate: 10, Topics: []*content.Topic{topic, other}, Stories: stories, KioskTopic: "garbage-sorting"}
	pl := site.NewPlan(site.New(c), site.Theme{T: func(key string, args ...any) string { return key + fmt.Sprint(args...) }, Asset: func(string) string { return "" }})
	f.Plan(pl)
	return pl
}

func placePages(pl *site.Plan) map[string]*Place {
	out := map[string]*Place{}
	pl.Each("place", func(p *site.Page) { out[p.Path] = p.Data.(*Place) })
	return out
}

// TestExamplePlaces: every compound of the kiosk data gets a page at its
// first kiosk's id, the picker lists them on the kiosk topic only, and
// each page's figures are the datasets' own: withheld where a dataset
// withholds them, with its reason, and totals of the published rows.
func TestExamplePlaces(t *testing.T) {
	ds := exampleSets(t)
	pl := plan(t, New(views(ds...), noAlbums{}))
	pages := placePages(pl)
	if len(pages) != 8 {
		t.Fatalf("%d compound pages, want 8 (one per kiosk compound)", len(pages))
	}
	for i := 1; i <= 8; i++ {
		if pages[fmt.Sprintf("/places/k%02d/", i)] == nil {
			t.Errorf("no page /places/k%02d/", i)
		}
	}
	pl.Each("topic", func(p *site.Page) {
		links, ok := p.Parts["places"].([]Link)
		if p.Topic.Slug != "garbage-sorting" {
			if ok {
				t.Errorf("topic %s has the picker", p.Topic.Slug)
			}
			return
		}
		if len(links) != 8 || links[0].Name != "祥安东城国际花园" || links[0].URL != "/places/k01/" || links[0].SampleName || !links[2].SampleName {
			t.Errorf("picker = %+v, want the 8 compounds in kiosk order, 白浪新苑 a sample name", links)
		}
	})

	p := pages["/places/k06/"]
	if p.Name != "桂花苑" || !p.SampleName || !p.Sample {
		t.Fatalf("k06 = %s (sample name %v, sample %v), want 桂花苑, both marked", p.Name, p.SampleName, p.Sample)
	}
	month := func(m string) Month {
		for _, r := range p.Months {
			if r.Month.Format("2006-01") == m {
				return r
			}
		}
		t.Fatalf("no month %s on the page of %s", m, p.Name)
		return Month{}
	}
	// May 2026: fewer than 10 households, so every figure is withheld.
	may := month("2026-05")
	for name, c := range map[string]Cell{"households": may.Households, "weight": may.Weight, "points": may.Points, "deposits": may.Deposits} {
		if c.Text != "" || c.Withheld != "不公开" || !strings.Contains(c.Why, fmt.Sprintf("少于%d户", kiosklog.DefaultMinHouseholds)) || c.Ref == 0 {
			t.Errorf("2026-05 %s = %+v, want 不公开 with the reason", name, c)
		}
	}
	if r := p.Reasons[may.Weight.Ref-1]; r.Text != may.Weight.Why || r.N != may.Weight.Ref {
		t.Errorf("reason %d = %+v, want %q", may.Weight.Ref, r, may.Weight.Why)
	}
	// October is not closed: 统计中, and the households figure is
	// September's.
	if oct := month("2026-10"); oct.Households.Withheld != "统计中" || !kioskdata.Open(oct.Households.Why) {
		t.Errorf("2026-10 households = %+v, want 统计中", oct.Households)
	}
	if sep := month("2026-09"); sep.Households.Text == "" || sep.Weight.Text == "" {
		t.Errorf("2026-09 = %+v, want published figures", sep)
	}
	figs := map[string]Figure{}
	for _, f := range p.Figures {
		figs[f.Key] = f
	}
	want := func(expr string) string {
		v, err := dataset.Eval(ds, expr)
		if err != nil {
			t.Fatalf("Eval(%q): %v", expr, err)
		}
		return v
	}
	if got, w := figs["weight"].Text, want("kiosk-weights | sum weight where compound = 桂花苑"); got != w {
		t.Errorf("weight figure %q, want %q (the published rows' sum)", got, w)
	}
	if got, w := figs["points"].Text, want("kiosk-points | sum points where compound = 桂花苑"); got != w {
		t.Errorf("points figure %q, want %q", got, w)
	}
	if h := figs["households"]; h.AsOf.Format("2006-01") != "2026-09" || h.Text != want("kiosk-households | last households where compound = 桂花苑 and scope = 小区 and month = 2026-09") {
		t.Errorf("households figure %+v, want September's count", h)
	}
	if figs["weight"].AsOf.Format("2006-01") != "2026-09" {
		t.Errorf("weight counts up to %v, want 2026-09", figs["weight"].AsOf)
	}
	var total float64
	for _, c := range p.Categories {
		var v float64
		fmt.Sscan(strings.ReplaceAll(c.Weight, ",", ""), &v)
		total += v
		if !strings.HasSuffix(c.Share, "%") || !strings.Contains(c.Share, ".") {
			t.Errorf("category %s share %q, want one decimal", c.Name, c.Share)
		}
	}
	if got := dataset.FormatFixed(total, 1, true); got != p.Total {
		t.Errorf("categories add up to %s, total says %s", got, p.Total)
	}
	if len(p.Kiosks) != 1 || p.Kiosks[0] != "K06" {
		t.Errorf("kiosks %v, want [K06]", p.Kiosks)
	}
}

func schema(title string, cols []dataset.ColumnSpec) dataset.Schema {
	return dataset.Schema{Title: title, Source: "测试", Licence: "CC BY 4.0", Topic: "garbage-sorting", Updated: time.Date(2026, 11, 1, 0, 0, 0, 0, dataset.Zone), Columns: cols}
}

// kioskSet makes kiosk-shaped datasets by hand, for cases the example
// store does not have.
func kioskSet(t *testing.T, name string, cols []dataset.ColumnSpec, rows [][]string) *dataset.Dataset {
	t.Helper()
	d, errs := dataset.New("data/kiosk/"+name+".yaml", name, schema(name, cols), rows)
	if err := errs.Err(); err != nil {
		t.Fatal(err)
	}
	return d
}

// TestEverythingWithheld: a compound none of whose months is published
// shows no total, only the reason; a compound with two kiosks gets one
// page, a kiosk column and no households figure (two kiosks' counts do
// not add up).
func TestEverythingWithheld(t *testing.T) {
	const hidden = "不公开：参与户数少于10户，或为防止推算其他不公开的户数而隐藏"
	s := func(name string) dataset.ColumnSpec { return dataset.ColumnSpec{Name: name} }
	n := func(name string) dataset.ColumnSpec { return dataset.ColumnSpec{Name: name, Type: dataset.Float} }
	month := dataset.ColumnSpec{Name: "month", Type: dataset.Month}
	fresh := kioskSet(t, kioskdata.Freshness, []dataset.ColumnSpec{s("kiosk"), s("compound"), s("sample_name")},
		[][]string{{"A1", "甲小区", "否"}, {"B1", "乙小区", "否"}, {"B2", "乙小区", "否"}})
	hh := kioskSet(t, kioskdata.Households, []dataset.ColumnSpec{month, s("scope"), s("compound"), s("kiosk"), n("households"), s("note")},
		[][]string{{"2026-05", "小区", "甲小区", "A1", "", hidden}, {"2026-05", "小区", "乙小区", "B1", "40", ""}, {"2026-05", "小区", "乙小区", "B2", "30", ""}, {"2026-05", "合计", "全部试点小区", "", "", hidden}})
	w := kioskSet(t, kioskdata.Weights, []dataset.ColumnSpec{month, s("compound"), s("kiosk"), s("category"), n("weight"), n("points"), n("deposits"), s("note")},
		[][]string{{"2026-05", "甲小区", "A1", "", "", "", "", hidden}, {"2026-05", "乙小区", "B1", "纸张", "10.5", "10", "3", ""}, {"2026-05", "乙小区", "B2", "纸张", "2", "2", "1", ""}})
	pl := plan(t, New(views(fresh, hh, w), noAlbums{}))
	pages := placePages(pl)
	if len(pages) != 2 {
		t.Fatalf("%d pages, want 2", len(pages))
	}
	a := pages["/places/a1/"]
	if len(a.Figures) != 2 {
		t.Fatalf("甲小区 figures %+v, want weight and households", a.Figures)
	}
	for _, f := range a.Figures {
		if f.Text != "" || f.Withheld != "不公开" || f.Why != hidden || f.Ref != 1 {
			t.Errorf("甲小区 %s = %+v, want withheld with its reason", f.Key, f)
		}
	}
	if a.Total != "" || len(a.Categories) != 0 {
		t.Errorf("甲小区 total %q, categories %v: want none", a.Total, a.Categories)
	}
	b := pages["/places/b1/"]
	if b == nil || !slices.Equal(b.Kiosks, []string{"B1", "B2"}) || len(b.Months) != 2 {
		t.Fatalf("乙小区 = %+v, want one page for B1 and B2, a row each", b)
	}
	for _, f := range b.Figures {
		if f.Key == "households" {
			t.Errorf("乙小区 has a households figure %+v; two kiosks' counts do not add up", f)
		}
		if f.Key == "weight" && f.Text != "12.5" {
			t.Errorf("乙小区 weight %q, want 12.5", f.Text)
		}
	}
}

// TestStories: a compound's page lists the stories that carry its name as
// a tag or name it in the title, summary or text, also across a line
// break; after a plan, what a story names is known even once a build has
// dropped its text, and a new version of the text is read again.
func TestStories(t *testing.T) {
	fresh := kioskSet(t, kioskdata.Freshness, []dataset.ColumnSpec{{Name: "kiosk"}, {Name: "compound"}}, [][]string{{"K1", "玫瑰苑"}})
	story := func(file, title, body string, tags ...string) *content.Story {
		return &content.Story{File: "content/news/" + file, Title: title, Body: []byte(body), Tags: tags, Hash: 1}
	}
	tagged := story("a.md", "甲", "正文", "玫瑰苑")
	broken := story("b.md", "乙", "住在玫瑰\n苑的居民说")
	titled := story("c.md", "玫瑰苑的一天", "")
	none := story("d.md", "丁", "玫瑰花开了")
	f := New(views(fresh), noAlbums{})
	pl := plan(t, f, tagged, broken, titled, none)
	p := placePages(pl)["/places/k1/"]
	for _, st := range []*content.Story{tagged, broken, titled, none} {
		st.Body = nil // as a full build drops it once the story's page rendered
	}
	if got := p.Stories(); !slices.Equal(got, []*content.Story{tagged, broken, titled}) {
		t.Errorf("stories %v, want a, b and c", files(got))
	}
	none.Body, none.Hash = []byte("玫瑰苑的回收亭"), 2
	broken.Body, broken.Hash = []byte("别处"), 2
	if got := p.Stories(); !slices.Equal(got, []*content.Story{tagged, titled, none}) {
		t.Errorf("after edits: stories %v, want a, c and d", files(got))
	}
}

func files(list []*content.Story) []string {
	var out []string
	for _, st := range list {
		out = append(out, st.File)
	}
	return out
}

// TestOthers: another dataset with a compound column shows its rows about
// the compound, without the compound and sample_name columns, at most
// maxOtherRows of them.
func TestOthers(t *testing.T) {
	fresh := kioskSet(t, kioskdata.Freshness, []dataset.ColumnSpec{{Name: "kiosk"}, {Name: "compound"}}, [][]string{{"K1", "玫瑰苑"}})
	var rows [][]string
	for i := range maxOtherRows + 3 {
		rows = append(rows, []string{"玫瑰苑", "否", fmt.Sprint(1000 + i)}, []string{"别的小区", "否", "1"})
	}
	waste, errs := dataset.New("data/waste.yaml", "waste", schema("清运量", []dataset.ColumnSpec{{Name: "compound"}, {Name: "sample_name"}, {Name: "before", Type: dataset.Int, Unit: "千克/日", Label: "分类前"}}), rows)
	if err := errs.Err(); err != nil {
		t.Fatal(err)
	}
	p := placePages(plan(t, New(views(fresh, waste), noAlbums{})))["/places/k1/"]
	if len(p.Others) != 1 {
		t.Fatalf("others %+v, want the waste dataset", p.Others)
	}
	o := p.Others[0].Table
	if !slices.Equal(o.Header, []string{"分类前（千克/日）"}) || len(o.Rows) != maxOtherRows || !o.Capped || o.Total != maxOtherRows+3 || o.To != maxOtherRows ||
		o.Rows[0][0].Text != "1,000" || !o.Rows[0][0].Num {
		t.Errorf("waste rows: header %v, %d rows of %d (capped %v), first %+v", o.Header, len(o.Rows), o.Total, o.Capped, o.Rows[0])
	}
}

// TestNoKioskData: a site without kiosk data has no compound pages and no
// picker.
func TestNoKioskData(t *testing.T) {
	pl := plan(t, New(sets(nil), noAlbums{}))
	if n := len(placePages(pl)); n != 0 {
		t.Errorf("%d compound pages without kiosk data", n)
	}
	pl.Each("topic", func(p *site.Page) {
		if _, ok := p.Parts["places"]; ok {
			t.Errorf("topic %s has a picker", p.Topic.Slug)
		}
	})
}

// TestSearchDocs: each compound's page is in the search index under its
// name, as the last plan made it.
func TestSearchDocs(t *testing.T) {
	f := New(views(exampleSets(t)...), noAlbums{})
	if docs := f.SearchDocs(); len(docs) != 0 {
		t.Errorf("%d documents before any plan", len(docs))
	}
	plan(t, f)
	docs := f.SearchDocs()
	if len(docs) != 8 || docs[1].Title != "玫瑰苑" || docs[1].URL != "/places/k02/" || docs[1].Kind != "place" || !strings.Contains(docs[1].Text, "K02") {
		t.Errorf("search documents %+v, want the 8 compounds, 玫瑰苑 at /places/k02/", docs)
	}
}
