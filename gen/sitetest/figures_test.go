package sitetest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// typedFigures are figures of the example datasets as prose writes them.
// A story or topic page must compute each with {{data: …}}, so that it
// cannot drift from the dataset a resident downloads.
var typedFigures = []string{
	"62件", "57件", "91.9%", "310户",
	"10个共同缔造试点", "10个试点", "9个村（社区）",
	"8个智能分类试点小区", "8个试点小区", "8个小区", "8类",
}

// TestStoriesComputeFigures reads the example site's stories and topic
// pages: none may type a figure a dataset holds (front matter, which cannot
// compute, may not quote one either), and at least five stories draw a
// chart in place.
func TestStoriesComputeFigures(t *testing.T) {
	if *src != root {
		t.Skip("checks the example site's own text")
	}
	files, err := filepath.Glob(filepath.Join(*src, "content", "news", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	topics, _ := filepath.Glob(filepath.Join(*src, "content", "topics", "*.md"))
	if len(files) < 10 || len(topics) < 3 {
		t.Fatalf("found %d stories and %d topics, want the example site", len(files), len(topics))
	}
	charts := 0
	for _, f := range append(files, topics...) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		text := string(b)
		for i, line := range strings.Split(text, "\n") {
			for _, fig := range typedFigures {
				if strings.Contains(line, fig) {
					t.Errorf("%s:%d: %q is typed by hand; compute it with {{data: …}}", filepath.ToSlash(f), i+1, fig)
				}
			}
		}
		if strings.Contains(filepath.ToSlash(f), "/news/") && strings.Contains(text, "\n```chart\n") {
			charts++
		}
	}
	if charts < 5 {
		t.Errorf("%d stories draw a chart in place, want at least 5", charts)
	}
}
