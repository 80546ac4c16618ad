package pipeline

import (
	"bytes"
	"strings"
	"testing"
	"testing/fstest"
)

// TestHugeCell builds the test site with one cell of 10 MB in a column that tables, charts and figures show: the
// downloads keep it whole, every page shows only its start.
func TestHugeCell(t *testing.T) {
	fsys := siteFS(t)
	huge := "玫" + strings.Repeat("瑰", 10_000_000/3) // 10 MB
	fsys["data/waste.csv"] = &fstest.MapFile{Data: []byte("小区,分类前,分类后\n" + huge + ",\"1,200\",900\n祥安东城,800,610\n")}
	w, err := buildMem(t, fsys)
	if err != nil {
		t.Fatal(err)
	}
	run := []byte(strings.Repeat("瑰", 300))
	total := 0
	for path, data := range w.files {
		n := bytes.Count(data, run)
		switch {
		case strings.HasPrefix(path, "data/waste/waste."):
			if !bytes.Contains(data, []byte(huge)) {
				t.Errorf("%s: the download lacks the whole cell", path)
			}
		case n > 0:
			t.Errorf("%s: %d bytes, holds the huge cell (%d runs of 300 characters)", path, len(data), n)
		case strings.HasSuffix(path, ".html") && len(data) > 256<<10:
			t.Errorf("%s: %d bytes; no page may grow past 256 KiB by one cell", path, len(data))
		}
		total += len(data)
	}
	if page := w.files["data/waste/index.html"]; !bytes.Contains(page, []byte(`title="内容过长，这里只显示开头；完整内容见下载文件。">玫瑰瑰`)) {
		t.Errorf("data/waste/index.html: the cut cell has no hint that the download holds it whole")
	}
	t.Logf("site: %d files, %d bytes; data/waste/index.html %d bytes, news/waste-chart/index.html %d bytes", len(w.files), total, len(w.files["data/waste/index.html"]), len(w.files["news/waste-chart/index.html"]))
}
