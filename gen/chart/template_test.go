package chart

import (
	"bytes"
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"

	"gongjian/gen/content"
	themes "gongjian/gen/render"
	"gongjian/gen/site"
)

// TestTemplate renders the theme's "chart" template, loaded with the theme
// and its zh-CN strings as a build does, for the charts of the test
// datasets and checks what charts.js and readers without JavaScript rely on.
func TestTemplate(t *testing.T) {
	r := themes.New(themes.Options{})
	r.SetModel(site.New(&content.Site{}))
	if errs := r.LoadTheme(os.DirFS("../.."), "default", "zh-CN", nil); len(errs) > 0 {
		t.Fatal(errs)
	}
	th := r.Theme
	sets := loadSets(t)
	for _, in := range []string{
		"dataset: requests\nkind: stacked-bar\ntitle: 各社区诉求\nx: community\nseries: status\n",
		"dataset: points\nkind: line\ntitle: 积分</script><b>\nx: month\ny: [earned, redeemed]\n",
		"dataset: requests\nkind: number\ntitle: 诉求解决率\nvalue: rate resolved\n",
	} {
		s, err := ParseSpec([]byte(in))
		if err != nil {
			t.Fatal(err)
		}
		c, err := BuildFrom(s, sets)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := th.Partial(&b, "chart", c); err != nil {
			t.Fatalf("chart template with %q: %v", in, err)
		}
		html := b.String()
		must := []string{`id="` + c.ID + `"`, `href="/data/` + c.DatasetName + `/"`, "更新：<time datetime=\"2026-03-31\">"}
		if c.Sample != strings.Contains(html, "示例数据") {
			t.Errorf("rendered %q: sample data %v, but the 示例数据 badge is there: %v", in, c.Sample, !c.Sample)
		}
		if c.Kind == "number" {
			must = append(must, `<span class="chart-number-value">80%</span>`)
		} else {
			must = append(must, `<div class="chart-canvas" hidden`, `<div class="chart-table" id="`+c.ID+`-table">`, `<th scope="col"`, `data-format="`+c.Format+`"`)
			m := regexp.MustCompile(`(?s)<script type="application/json" class="chart-options">(.*?)</script>`).FindStringSubmatch(html)
			if m == nil {
				t.Errorf("no options script in\n%s", html)
			} else if !json.Valid([]byte(m[1])) || m[1] != string(c.Options) {
				t.Errorf("options script holds %q, want the options %q", m[1], c.Options)
			}
		}
		if strings.Count(html, "</script>") > 1 || strings.Contains(html, "<b>") {
			t.Errorf("title escaped badly:\n%s", html)
		}
		for _, w := range must {
			if !strings.Contains(html, w) {
				t.Errorf("rendered %q lacks %q:\n%s", in, w, html)
			}
		}
	}
}
