package main

import (
	"bufio"
	"bytes"
	"context"
	"image"
	"image/png"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/txtar"

	"gongjian/gen/internal/corpus"
)

// serveSite writes a small site into a temporary folder, starts gen serve
// on a free port and returns the folder and the address.
func serveSite(t *testing.T) (dir, url string, stop func() int) {
	t.Helper()
	dir = t.TempDir()
	ar := txtar.Parse([]byte(serveSiteTxtar))
	for _, f := range ar.Files {
		writeFile(t, filepath.Join(dir, f.Name), string(f.Data))
	}
	if err := corpus.CopyDir("../themes/default", filepath.Join(dir, "themes", "default")); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- Run(ctx, []string{"serve", "-src", dir, "-addr", "127.0.0.1:0"}, pw, &testLog{t})
		pw.Close()
	}()
	lines := bufio.NewScanner(pr)
	re := regexp.MustCompile(`serving (http://\S+/)`)
	for lines.Scan() {
		if m := re.FindStringSubmatch(lines.Text()); m != nil {
			url = m[1]
			break
		}
	}
	if url == "" {
		cancel()
		t.Fatal("gen serve printed no address")
	}
	go io.Copy(io.Discard, pr)
	return dir, url, func() int {
		cancel()
		select {
		case code := <-done:
			return code
		case <-time.After(5 * time.Second):
			t.Fatal("gen serve did not stop within 5 s of Ctrl-C")
			return -1
		}
	}
}

// tinyPNG is a small picture for a test album.
func tinyPNG(t *testing.T) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for i := range img.Pix {
		img.Pix[i] = byte(i)
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func writeFile(t *testing.T, name, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// events reads the server-sent events of url into a channel.
func events(t *testing.T, url string) <-chan [2]string {
	t.Helper()
	resp, err := http.Get(url + "_gen/events")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	ch := make(chan [2]string, 100)
	go func() {
		sc := bufio.NewScanner(resp.Body)
		var name string
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "event: "):
				name = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				ch <- [2]string{name, strings.TrimPrefix(line, "data: ")}
			}
		}
		close(ch)
	}()
	return ch
}

func waitEvent(t *testing.T, ch <-chan [2]string, name, contains string) string {
	t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		select {
		case ev, ok := <-ch:
			if !ok {
				t.Fatalf("event stream closed while waiting for %q", name)
			}
			if ev[0] == name && strings.Contains(ev[1], contains) {
				return ev[1]
			}
		case <-deadline:
			t.Fatalf("no %q event containing %q within 20 s", name, contains)
		}
	}
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func TestServeLiveReload(t *testing.T) {
	dir, url, stop := serveSite(t)
	ev := events(t, url)

	code, page := get(t, url+"news/first/")
	if code != 200 || !strings.Contains(page, "第一版正文") {
		t.Fatalf("GET /news/first/ = %d, body lacks the story", code)
	}
	if !strings.Contains(page, `<script src="/_gen/live.js"></script>`) {
		t.Error("served page lacks the live reload script")
	}

	// An edit: a reload event naming the page, and the new text served.
	writeFile(t, filepath.Join(dir, "content/news/first.md"), strings.Replace(firstStory, "第一版正文", "第二版正文", 1))
	waitEvent(t, ev, "reload", `"/news/first/"`)
	if _, page := get(t, url+"news/first/"); !strings.Contains(page, "第二版正文") {
		t.Error("after the edit the page still shows the old text")
	}

	// A broken story: the overlay event names file and line; the last good
	// page stays served. Fixing it clears the overlay.
	writeFile(t, filepath.Join(dir, "content/news/first.md"), "---\ntitle: 第一篇\ndate: 2026-02-31\nsummary: s\n---\n")
	waitEvent(t, ev, "problems", `"file":"content/news/first.md","line":3`)
	if code, page := get(t, url+"news/first/"); code != 200 || !strings.Contains(page, "第二版正文") {
		t.Errorf("while broken: GET = %d, last good page not served", code)
	}
	writeFile(t, filepath.Join(dir, "content/news/first.md"), firstStory)
	waitEvent(t, ev, "ok", "")
	waitEvent(t, ev, "reload", "")

	// A rename: the old page goes, the new one comes.
	if err := os.Rename(filepath.Join(dir, "content/news/first.md"), filepath.Join(dir, "content/news/renamed.md")); err != nil {
		t.Fatal(err)
	}
	waitEvent(t, ev, "reload", `"/news/renamed/"`)
	if code, _ := get(t, url+"news/first/"); code != 404 {
		t.Errorf("after rename GET /news/first/ = %d, want 404", code)
	}
	if code, _ := get(t, url+"news/renamed/"); code != 200 {
		t.Errorf("after rename GET /news/renamed/ = %d, want 200", code)
	}

	// A new album folder appearing under content/ is followed: its page
	// appears.
	albumDir := filepath.Join(dir, "content/photos/river")
	if err := os.MkdirAll(albumDir, 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(albumDir, "a.png"), string(tinyPNG(t)))
	writeFile(t, filepath.Join(albumDir, "album.yaml"), "title: 小河\ndate: 2026-03-01\ntopic: river\ncredit: 示例图片\nphotos:\n  - file: a.png\n    caption: 小河（示例图片）\n    alt: 一条小河\n")
	waitEvent(t, ev, "reload", `"/albums/river/"`)
	if code, page := get(t, url+"albums/river/"); code != 200 || !strings.Contains(page, `alt="一条小河"`) {
		t.Errorf("new album: GET /albums/river/ = %d", code)
	}

	// A deleted story disappears.
	if err := os.Remove(filepath.Join(dir, "content/news/renamed.md")); err != nil {
		t.Fatal(err)
	}
	waitEvent(t, ev, "reload", `"/news/renamed/"`)
	if code, _ := get(t, url+"news/renamed/"); code != 404 {
		t.Errorf("after delete GET /news/renamed/ = %d, want 404", code)
	}

	// A stylesheet edit swaps the stylesheet without a reload.
	css := filepath.Join(dir, "themes/default/static/css/base.css")
	data, _ := os.ReadFile(css)
	writeFile(t, css, string(data)+"\n.x { color: red; }\n")
	href := waitEvent(t, ev, "css", `"href":"/css/site.`)
	if code, body := get(t, url+strings.TrimSuffix(strings.TrimPrefix(regexp.MustCompile(`/css/site\.[0-9a-f]+\.css`).FindString(href), "/"), "")); code != 200 || !strings.Contains(body, ".x { color: red; }") {
		t.Errorf("new stylesheet %s: %d", href, code)
	}

	if code := stop(); code != 0 {
		t.Errorf("gen serve exit status after Ctrl-C = %d, want 0", code)
	}
}

const firstStory = `---
title: 第一篇
date: 2026-01-02
summary: 摘要。
topics: [river]
---
第一版正文。
`

const serveSiteTxtar = `
-- content/site.yaml --
title: 预览测试
baseURL: https://example.org/
topics: [river]
-- content/topics/river.md --
---
title: 小流域治理
summary: 小河变清了。
---
正文。
-- content/news/first.md --
` + firstStory + `
-- content/news/second.md --
---
title: 第二篇
date: 2026-01-03
summary: 摘要。
---
正文。
`

// testLog writes gen serve's messages to the test log.
type testLog struct{ t *testing.T }

func (l *testLog) Write(p []byte) (int, error) {
	l.t.Logf("gen serve: %s", strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// TestServeHostGuard: the real server answers loopback names and its own
// address, and refuses any other Host (DNS rebinding) on pages and on the
// event stream; every answer says nosniff.
func TestServeHostGuard(t *testing.T) {
	_, url, stop := serveSite(t)
	defer stop()
	addr := strings.TrimSuffix(strings.TrimPrefix(url, "http://"), "/")
	_, port, _ := strings.Cut(addr, ":")
	client := &http.Client{Timeout: 10 * time.Second}
	tests := []struct {
		host, path string
		code       int
	}{
		{addr, "news/first/", 200},
		{"localhost:" + port, "news/first/", 200},
		{"evil.example:" + port, "news/first/", 421},
		{"evil.example", "", 421},
		{"evil.example:" + port, "_gen/events", 421},
		{"127.0.0.1.evil.example:" + port, "news/first/", 421},
	}
	for _, tt := range tests {
		req, err := http.NewRequest("GET", url+tt.path, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Host = tt.host
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var body []byte
		if tt.path != "_gen/events" { // an accepted stream would never end
			body, _ = io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		}
		resp.Body.Close()
		if resp.StatusCode != tt.code {
			t.Errorf("GET /%s with Host %q: status %d, want %d", tt.path, tt.host, resp.StatusCode, tt.code)
		}
		if got := resp.Header.Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("GET /%s with Host %q: X-Content-Type-Options %q, want nosniff", tt.path, tt.host, got)
		}
		if tt.code == 421 && strings.Contains(string(body), "第一版正文") {
			t.Errorf("GET /%s with Host %q: refused, but the page was sent", tt.path, tt.host)
		}
	}
}

// TestServeNotes: gen serve shows a story's editors' notes over its page,
// with file and line, and an edit to them reloads the page; the page
// without notes shows none, and the notes never reach the page's own
// HTML (sitetest's TestNoEditorNotes and testdata/script/editor_notes.txtar
// hold gen build to that).
func TestServeNotes(t *testing.T) {
	dir, url, stop := serveSite(t)
	defer stop()
	ev := events(t, url)
	if _, page := get(t, url+"news/first/"); strings.Contains(page, "gen-notes") {
		t.Fatal("a story without notes shows a notes panel")
	}
	noted := strings.Replace(firstStory, "topics: [river]\n", "topics: [river]\nnotes: [待核实数字, 封面待换成实拍照片]\n", 1)
	writeFile(t, filepath.Join(dir, "content/news/first.md"), noted)
	waitEvent(t, ev, "reload", `"/news/first/"`)
	_, page := get(t, url+"news/first/")
	for _, want := range []string{`<code>content/news/first.md:6</code>：待核实数字`, `<code>content/news/first.md:6</code>：封面待换成实拍照片`, "不会发布"} {
		if !strings.Contains(page, want) {
			t.Errorf("served page lacks %q", want)
		}
	}
	if _, other := get(t, url+"news/second/"); strings.Contains(other, "gen-notes") {
		t.Error("another story shows the notes")
	}
	writeFile(t, filepath.Join(dir, "content/news/first.md"), strings.Replace(noted, "待核实数字", "数字已核实", 1))
	waitEvent(t, ev, "reload", `"/news/first/"`)
	if _, page := get(t, url+"news/first/"); !strings.Contains(page, "数字已核实") || strings.Contains(page, "待核实数字") {
		t.Error("after editing the notes the page shows the old ones")
	}
}
