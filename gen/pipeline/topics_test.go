package pipeline

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"strings"
	"testing"
	"testing/fstest"

	"gongjian/gen/diag"
)

// newTopicFS is the golden test site with a third topic, night-market,
// added to content/site.yaml only, and a dataset and an album filed under
// datasetTopic and albumTopic.
func newTopicFS(t *testing.T, datasetTopic, albumTopic string) fstest.MapFS {
	t.Helper()
	fsys := siteFS(t)
	site := string(fsys["content/site.yaml"].Data)
	const topics = "topics: [river, garbage-sorting]\n"
	if !strings.Contains(site, topics) {
		t.Fatalf("testdata/site.txtar: content/site.yaml has no line %q", topics)
	}
	site = strings.Replace(site, topics, "topics: [river, garbage-sorting, night-market]\n", 1)
	fsys["content/site.yaml"] = &fstest.MapFile{Data: []byte(site)}
	fsys["content/topics/night-market.md"] = &fstest.MapFile{Data: []byte("---\ntitle: 夜市\nsummary: 夜市摊位管理。\n---\n夜市开到十点。\n")}
	fsys["data/stalls.yaml"] = &fstest.MapFile{Data: []byte("title: 夜市摊位\nsource: 测试\nlicence: CC BY 4.0\nupdated: 2026-05-31\ntopic: " + datasetTopic +
		"\ncolumns:\n  - {name: street, type: string}\n  - {name: stalls, type: int}\n")}
	fsys["data/stalls.csv"] = &fstest.MapFile{Data: []byte("street,stalls\n东岳路,12\n")}
	fsys["content/photos/stalls/album.yaml"] = &fstest.MapFile{Data: []byte("title: 夜市一角\ndate: 2026-05-30\ntopic: " + albumTopic +
		"\ncredit: 测试（示例图片）\nphotos:\n  - file: stall.jpg\n    caption: 摊位（示例图片）\n    alt: 一排摊位\n")}
	fsys["content/photos/stalls/stall.jpg"] = &fstest.MapFile{Data: testJPEG(t, 8, 6, 90)}
	return fsys
}

// testJPEG is a w×h JPEG of a flat grey (shade) with one black pixel.
func testJPEG(t *testing.T, w, h int, shade byte) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = shade
	}
	img.Set(1, 1, color.Black)
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestTopicFromSiteYAML: a topic named only in content/site.yaml takes a
// dataset and an album, and its page lists both.
func TestTopicFromSiteYAML(t *testing.T) {
	w, err := buildMem(t, newTopicFS(t, "night-market", "night-market"))
	if err != nil {
		t.Fatal(err)
	}
	page := string(w.files["topics/night-market/index.html"])
	for _, want := range []string{`href="/data/stalls/"`, `href="/albums/stalls/"`} {
		if !strings.Contains(page, want) {
			t.Errorf("topics/night-market/index.html has no %s:\n%s", want, page)
		}
	}
	if _, ok := w.files["data/stalls/index.html"]; !ok {
		t.Error("no data/stalls/index.html")
	}
}

// TestUnknownTopic: a dataset or album topic that site.yaml does not list
// is an error at its line, naming the topics site.yaml lists.
func TestUnknownTopic(t *testing.T) {
	for _, tt := range []struct{ datasetTopic, albumTopic, want string }{
		{"night-market", "sun", `content/photos/stalls/album.yaml:3: unknown topic "sun" (expected one of: river, garbage-sorting, night-market)`},
		{"moon", "night-market", `data/stalls.yaml:5: unknown topic "moon" (expected one of: river, garbage-sorting, night-market)`},
	} {
		_, err := buildMem(t, newTopicFS(t, tt.datasetTopic, tt.albumTopic))
		var list diag.List
		if !errors.As(err, &list) {
			t.Fatalf("dataset topic %q, album topic %q: build error = %v, want a diag.List", tt.datasetTopic, tt.albumTopic, err)
		}
		if got := list.Error(); got != tt.want {
			t.Errorf("dataset topic %q, album topic %q: errors:\n%s\nwant:\n%s", tt.datasetTopic, tt.albumTopic, got, tt.want)
		}
	}
}

// TestChartSpecErrorsAtTheirLines: the problems of a chart block's own
// text are reported at their lines of the story, all of them.
func TestChartSpecErrorsAtTheirLines(t *testing.T) {
	fsys := siteFS(t)
	fsys["content/news/bad-chart.md"] = &fstest.MapFile{Data: []byte("---\ntitle: 坏图表\ndate: 2026-02-01\nsummary: s\n---\n\n正文。\n\n```chart\ndataset: waste\nkind: bars\ncolour: red\n```\n")}
	_, err := buildMem(t, fsys)
	var list diag.List
	if !errors.As(err, &list) {
		t.Fatalf("build error = %v, want a diag.List", err)
	}
	want := strings.Join([]string{
		"content/news/bad-chart.md:10: ```chart block: missing \"title\"",
		"content/news/bad-chart.md:11: ```chart block: a bars chart needs \"x\", the column along the axis (or the slices)",
		"content/news/bad-chart.md:11: ```chart block: kind \"bars\" is not one of line, bar, stacked-bar, pie, donut, number",
		"content/news/bad-chart.md:12: ```chart block: unknown chart field \"colour\" (fields: dataset, kind, title, x, y, series, filter, agg, stack, horizontal, sort, unit, value, note, limit)",
	}, "\n")
	if got := list.Error(); got != want {
		t.Errorf("errors:\n%s\nwant:\n%s", got, want)
	}
}
