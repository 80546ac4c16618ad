package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"gongjian/gen/internal/browser"
)

// TestServeBrowserReloads opens a page of gen serve in Chromium, edits the
// story on disk, and waits for the page to show the edit by itself; then a
// stylesheet edit is swapped in without a reload, and a broken story shows
// the error overlay, which the fix clears.
func TestServeBrowserReloads(t *testing.T) {
	b := browser.New(t)
	dir, url, stop := serveSite(t)
	defer stop()
	tab, cancel := b.NewTab(t.Context())
	defer cancel()
	ctx, cancelTimeout := context.WithTimeout(tab, 60*time.Second)
	defer cancelTimeout()

	if err := chromedp.Do(ctx, chromedp.Navigate(url+"news/first/")); err != nil {
		t.Fatal(err)
	}
	eval := func(js string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		return v
	}
	// try evaluates js, which fails while a reload replaces the page.
	try := func(js string) string {
		v, _ := chromedp.Run(ctx, chromedp.Evaluate[string](js))
		return v
	}
	waitFor := func(what, js string) {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for try(js) != "yes" {
			if time.Now().After(deadline) {
				t.Fatalf("the page did not %s within 20 s", what)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	// Wait for the event stream to be open before editing.
	waitFor("connect to the event stream", `document.documentElement.dataset.genLive === "open" ? "yes" : "no"`)
	eval(`window.marker = "before"; "ok"`)

	story := filepath.Join(dir, "content/news/first.md")
	writeFile(t, story, strings.Replace(firstStory, "第一版正文", "浏览器看见的第二版", 1))
	waitFor("reload with the edit", `(document.body ? document.body.innerText : "").includes("浏览器看见的第二版") ? "yes" : "no"`)
	if eval(`String(window.marker)`) == "before" {
		t.Error("the page shows the edit but was not reloaded")
	}

	eval(`window.marker = "kept"; "ok"`)
	css := filepath.Join(dir, "themes/default/static/css/base.css")
	data, err := os.ReadFile(css)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, css, string(data)+"\nbody { outline: 7px solid rgb(1, 2, 3); }\n")
	waitFor("swap the stylesheet", `getComputedStyle(document.body).outlineColor === "rgb(1, 2, 3)" ? "yes" : "no"`)
	if got := eval(`String(window.marker)`); got != "kept" {
		t.Errorf("a stylesheet edit reloaded the page (marker %q)", got)
	}

	writeFile(t, story, "---\ntitle: 第一篇\ndate: 2026-13-01\nsummary: s\n---\n")
	waitFor("show the error overlay", `(document.getElementById("gen-error-overlay") || {innerText: ""}).innerText.includes("content/news/first.md:3") ? "yes" : "no"`)
	writeFile(t, story, firstStory)
	waitFor("clear the overlay", `!document.getElementById("gen-error-overlay") && (document.body ? document.body.innerText : "").includes("第一版正文") ? "yes" : "no"`)
}
