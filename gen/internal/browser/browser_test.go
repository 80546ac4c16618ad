package browser

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

func TestMain(m *testing.M) { os.Exit(Run(m)) }

// page wraps a body in a document that passes every check, so that each
// fixture below differs from a good page by one defect.
func page(head, body string) string {
	return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>测试</title><link rel="icon" href="data:,"><link rel="stylesheet" href="/site.css">` + head + `</head>
<body><h1>标题</h1>` + body + `</body></html>`
}

const css = `body { margin: 0; font: 16px/1.5 sans-serif; } a:focus-visible { outline: 3px solid #1849c9; }`

// site writes the fixture pages into a folder and serves it.
func site(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	files["site.css"] = css
	files["404.html"] = page("", "<p>没有这个页面。</p>")
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return Serve(t, dir)
}

func TestCleanPage(t *testing.T) {
	b := New(t)
	base := site(t, map[string]string{
		"index.html": page("", `<h2>小节</h2><h3>小小节</h3><h2>另一节</h2>
<p><img src="/dot.svg" alt="一个绿点" width="10" height="10"> <img src="/dot.svg" alt="" role="presentation"></p>
<dialog><img alt=""></dialog>
<p style="color:#767676">刚好够深的灰字</p><p style="color:#949494;font-size:24px">大号浅一点也行</p>
<div style="overflow-x:auto"><table style="width:2000px"><tr><td>宽表格在自己的滚动框里</td></tr></table></div>`),
		"dot.svg": `<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><circle cx="5" cy="5" r="5" fill="green"/></svg>`,
	})
	shot := filepath.Join(t.TempDir(), "shots", "clean.png")
	r, err := b.VisitPage(t.Context(), Page{URL: base + "/", Width: 375, Screenshot: shot, Count: []string{"img", "h2"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range r.Problems() {
		t.Errorf("clean page: %s", p)
	}
	if r.Status != 200 || r.Lang != "zh-CN" || r.Title != "测试" {
		t.Errorf("status %d, lang %q, title %q; want 200, zh-CN, 测试", r.Status, r.Lang, r.Title)
	}
	if r.Bytes["Document"] == 0 || r.Bytes["Stylesheet"] == 0 || r.Bytes["Image"] == 0 {
		t.Errorf("bytes by type = %v, want Document, Stylesheet and Image counted", r.Bytes)
	}
	if r.Matches["img"] != 3 || r.Matches["h2"] != 2 {
		t.Errorf("matches = %v, want img 3, h2 2", r.Matches)
	}
	want := []Heading{{1, "标题"}, {2, "小节"}, {3, "小小节"}, {2, "另一节"}}
	if !slices.Equal(r.Headings, want) {
		t.Errorf("headings = %v, want %v", r.Headings, want)
	}
	if png, err := os.ReadFile(shot); err != nil || !strings.HasPrefix(string(png), "\x89PNG") {
		t.Errorf("screenshot %s: not a PNG (err %v)", shot, err)
	}
}

// TestBrokenPages proves each check can fail: every fixture has one defect,
// and its report must name it.
func TestBrokenPages(t *testing.T) {
	b := New(t)
	tests := []struct {
		name, head, body string
		lang             bool // drop lang from <html>
		want             []string
	}{
		{name: "overflow", body: `<div class="wide" style="width:900px">宽</div>`,
			want: []string{"horizontal overflow", "div.wide", "900 px wide"}},
		{name: "long-word", body: `<p class="url">https://example.invalid/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa</p>`,
			want: []string{"horizontal overflow", "p.url"}},
		{name: "console-error", body: `<script>console.error("坏了", 42)</script>`,
			want: []string{"console error: console.error(坏了 42)"}},
		{name: "exception", body: `<script>window.addEventListener("load", () => { throw new Error("kaput") })</script>`,
			want: []string{"console error: uncaught:", "kaput"}},
		{name: "foreign", head: `<script src="https://cdn.example.com/lib.js"></script>`,
			want: []string{"request to another host: Script https://cdn.example.com/lib.js", "failed request: Script https://cdn.example.com/lib.js: net::ERR_NAME_NOT_RESOLVED"}},
		{name: "missing-file", head: `<link rel="stylesheet" href="/gone.css">`,
			want: []string{"failed request: Stylesheet", "/gone.css: HTTP 404"}},
		{name: "lazy-missing", body: `<p style="height:3000px">长页</p><img src="/gone.png" alt="远处的图" loading="lazy">`,
			want: []string{"failed request: Image", "/gone.png: HTTP 404"}},
		{name: "no-alt", body: `<img class="photo" src="/dot.svg">`,
			want: []string{"image img.photo (/dot.svg): no alt attribute"}},
		{name: "hidden-no-alt", body: `<dialog><img class="big"></dialog>`,
			want: []string{"image dialog > img.big (): no alt attribute"}},
		{name: "empty-alt", body: `<img src="/dot.svg" alt="">`,
			want: []string{"empty alt on an image not marked decorative"}},
		{name: "file-name-alt", body: `<img src="/dot.svg" alt="IMG_0042.JPG">`,
			want: []string{"alt is a file name"}},
		{name: "faint-text", body: `<p class="faint" style="color:#aaa">浅灰字</p><div style="background:rgba(0,0,0,0.5)"><span style="color:#333">暗底暗字</span></div>`,
			want: []string{"contrast 2.32:1 (want 4.5:1) for p.faint \"浅灰字\"", "for div > span \"暗底暗字\""}},
		{name: "big-faint-text", body: `<p style="color:#aaa;font-size:30px">大字</p>`,
			want: []string{"(want 3.0:1)"}},
		{name: "skipped-level", body: `<h3>跳过了二级标题</h3>`,
			want: []string{`headings: h3 "跳过了二级标题" follows h1 "标题", skipping a level`}},
		{name: "two-h1", body: `<h1>又一个</h1>`,
			want: []string{`headings: a second h1 "又一个"`}},
		{name: "no-lang", lang: true,
			want: []string{"<html> has no lang attribute"}},
	}
	files := map[string]string{"dot.svg": `<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>`}
	for _, tt := range tests {
		html := page(tt.head, tt.body)
		if tt.lang {
			html = strings.Replace(html, ` lang="zh-CN"`, "", 1)
		}
		files[tt.name+"/index.html"] = html
	}
	base := site(t, files)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := b.Visit(t.Context(), base+"/"+tt.name+"/", 375)
			if err != nil {
				t.Fatal(err)
			}
			got := strings.Join(r.Problems(), "\n")
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("problems of %s:\n%s\nwant one containing %q", tt.name, got, w)
				}
			}
		})
	}
}

// TestInteract: what happens after a click is in the report too.
func TestInteract(t *testing.T) {
	b := New(t)
	base := site(t, map[string]string{"index.html": page("",
		`<button id="go" onclick="fetch('/gone.json').then(r => { if (!r.ok) console.error('加载失败') })">查</button>`)})
	click := func(tab context.Context) error {
		return chromedp.Do(tab, chromedp.Click(chromedp.ID("go")), chromedp.Sleep(100*time.Millisecond))
	}
	r, err := b.VisitPage(t.Context(), Page{URL: base + "/", Width: 375, Interact: click})
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(r.Problems(), "\n")
	for _, w := range []string{"failed request: Fetch " + base + "/gone.json: HTTP 404", "console error: console.error(加载失败)"} {
		if !strings.Contains(got, w) {
			t.Errorf("problems after the click:\n%s\nwant one containing %q", got, w)
		}
	}

	tab, closeTab := b.NewTab(t.Context())
	defer closeTab()
	if err := chromedp.Do(tab, chromedp.Navigate(base+"/")); err != nil {
		t.Fatal(err)
	}
	title, err := chromedp.Run(tab, chromedp.Title())
	if err != nil || title != "测试" {
		t.Errorf("NewTab: title %q, %v; want 测试", title, err)
	}
}

func TestNotFoundPage(t *testing.T) {
	b := New(t)
	base := site(t, map[string]string{"index.html": page("", "")})
	r, err := b.Visit(t.Context(), base+"/no/such/page/", 1280)
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != http.StatusNotFound {
		t.Errorf("status = %d, want 404", r.Status)
	}
	if p := r.Problems(); len(p) > 0 {
		t.Errorf("the 404 page itself is fine, but: %q", p)
	}
}

func TestKeyboardFocus(t *testing.T) {
	b := New(t)
	base := site(t, map[string]string{"index.html": page(`<style>.hidden-focus:focus { outline: none; }</style>`,
		`<nav><a href="/a/">甲</a> <a href="/b/" class="hidden-focus">乙</a></nav><button>丙</button>`)})
	r, err := b.VisitPage(t.Context(), Page{URL: base + "/", Width: 1280, Tabs: 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Focus) != 3 {
		t.Fatalf("focus = %+v, want 3 entries", r.Focus)
	}
	want := []struct {
		text, href string
		visible    bool
	}{{"甲", "/a/", true}, {"乙", "/b/", false}, {"丙", "", true}}
	for i, w := range want {
		f := r.Focus[i]
		if f.Text != w.text || f.Href != w.href || f.Visible != w.visible {
			t.Errorf("Tab %d focused %+v, want text %q, href %q, visible %v", i+1, f, w.text, w.href, w.visible)
		}
	}
}

func TestHandler(t *testing.T) {
	base := site(t, map[string]string{"index.html": "home", "news/index.html": "news", "css/a.css": "a{}"})
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	tests := []struct {
		path, body, loc string
		status          int
	}{
		{"/", "home", "", 200},
		{"/news/", "news", "", 200},
		{"/news", "", "/news/", 301},
		{"/css/a.css", "a{}", "", 200},
		{"/nope/", "没有这个页面", "", 404},
		{"/../etc/passwd", "没有这个页面", "", 404},
	}
	for _, tt := range tests {
		resp, err := noRedirect.Get(base + tt.path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tt.status || !strings.Contains(string(body), tt.body) || resp.Header.Get("Location") != tt.loc {
			t.Errorf("GET %s = %d %q (Location %q), want %d containing %q (Location %q)",
				tt.path, resp.StatusCode, body, resp.Header.Get("Location"), tt.status, tt.body, tt.loc)
		}
	}
}

func TestHeadingProblems(t *testing.T) {
	tests := []struct {
		in   []Heading
		want int
	}{
		{[]Heading{{1, "a"}, {2, "b"}, {3, "c"}, {2, "d"}, {3, "e"}, {4, "f"}, {2, "g"}}, 0},
		{[]Heading{{1, "a"}, {2, "b"}, {4, "c"}}, 1},
		{[]Heading{{2, "a"}, {1, "b"}}, 1},
		{[]Heading{{1, "a"}, {1, "b"}, {1, "c"}}, 1},
		{[]Heading{{2, "a"}}, 2},
		{nil, 1},
	}
	for _, tt := range tests {
		if got := HeadingProblems(tt.in); len(got) != tt.want {
			t.Errorf("HeadingProblems(%v) = %q, want %d problems", tt.in, got, tt.want)
		}
	}
}
