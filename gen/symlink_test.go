package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gongjian/gen/internal/corpus"
)

// symlinkSite writes a small site with a story, a dataset and an album
// into top/site, and a copy of each file outside it, in top/outside.
func symlinkSite(t *testing.T) (top, site string) {
	t.Helper()
	top = t.TempDir()
	site = filepath.Join(top, "site")
	files := map[string]string{
		"content/site.yaml":               "title: 链接测试\nbaseURL: https://example.org/\ntopics: [river]\n",
		"content/topics/river.md":         "---\ntitle: 小流域治理\nsummary: 小河变清了。\n---\n正文。\n",
		"content/news/first.md":           "---\ntitle: 第一篇\ndate: 2026-01-02\nsummary: 摘要。\ntopics: [river]\n---\n正文。\n\n![河边](../photos/river/a.png)\n",
		"data/counts.yaml":                "title: 计数\ndescription: 示例。\nsource: 示例\nlicence: CC BY 4.0\nupdated: 2026-01-02\ntopic: river\ncolumns:\n  - {name: name, type: string, label: 名称}\n  - {name: n, type: int, label: 数量}\n",
		"data/counts.csv":                 "name,n\n甲,1\n乙,2\n",
		"content/photos/river/album.yaml": "title: 河边\ndate: 2026-01-02\ntopic: river\ncredit: 示例\nphotos:\n  - file: a.png\n    caption: 河边\n    alt: 河边的树\n",
	}
	for name, data := range files {
		writeFile(t, filepath.Join(site, filepath.FromSlash(name)), data)
		writeFile(t, filepath.Join(top, "outside", filepath.FromSlash(name)), data)
	}
	for _, dir := range []string{site, filepath.Join(top, "outside")} {
		if err := os.WriteFile(filepath.Join(dir, "content/photos/river/a.png"), tinyPNG(t), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := corpus.CopyDir("../themes/default", filepath.Join(site, "themes", "default")); err != nil {
		t.Fatal(err)
	}
	return top, site
}

// replaceByLink replaces the file rel of site with a symbolic link to target.
func replaceByLink(t *testing.T, site, rel, target string) {
	t.Helper()
	p := filepath.Join(site, filepath.FromSlash(rel))
	if err := os.RemoveAll(p); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, p); err != nil {
		t.Fatal(err)
	}
}

// TestSymlinks builds sites whose files are links, with the real command:
// links that stay inside the site are followed; a link that leaves it is
// refused at its path, or at the line that names it, exit 1, nothing
// written.
func TestSymlinks(t *testing.T) {
	const outside = "symbolic link leads outside the site folder"
	tests := []struct {
		name  string
		write map[string]string // files written into the site first
		links map[string]string // path in the site → link target, relative to the link
		want  []string          // lines of stderr; none means the build succeeds
	}{
		{"inside", nil, map[string]string{
			"content/news/first.md":      "../../data/first.md.txt",
			"data/counts.csv":            "exports/counts.csv",
			"content/photos/river/a.png": "../../../data/exports/a.png",
		}, nil},
		{"album folder inside", nil, map[string]string{"content/photos/river": "../../data/exports/river"}, nil},
		{"story", nil, map[string]string{"content/news/first.md": "../../../outside/content/news/first.md"},
			[]string{"content/news/first.md: cannot read: " + outside}},
		{"story absolute", nil, map[string]string{"content/news/first.md": "ABS/outside/content/news/first.md"},
			[]string{"content/news/first.md: cannot read: " + outside}},
		{"topic", nil, map[string]string{"content/topics/river.md": "../../../outside/content/topics/river.md"},
			[]string{`content/site.yaml:3: topic "river": cannot read content/topics/river.md: ` + outside}},
		{"dataset csv", nil, map[string]string{"data/counts.csv": "../../outside/data/counts.csv"},
			[]string{"data/counts.csv: " + outside}},
		{"dataset schema", nil, map[string]string{"data/counts.yaml": "../../outside/data/counts.yaml"},
			[]string{"data/counts.yaml: " + outside}},
		{"album photo", nil, map[string]string{"content/photos/river/a.png": "../../../../outside/content/photos/river/a.png"},
			[]string{`content/photos/river/album.yaml:6: photo "a.png": ` + outside}},
		{"album folder", nil, map[string]string{"content/photos/river": "../../../outside/content/photos/river"},
			[]string{"content/photos/river: " + outside}},
		{"theme file", nil, map[string]string{"themes/default/static/css/site.css": "../../../../../outside/data/counts.csv"},
			[]string{"themes/default/static/css/site.css: " + outside}},
	}
	tests = append(tests, struct {
		name  string
		write map[string]string
		links map[string]string
		want  []string
	}{"inline image",
		map[string]string{"content/news/second.md": "---\ntitle: 第二篇\ndate: 2026-01-03\nsummary: 摘要。\ntopics: [river]\n---\n正文。\n\n![河边](leak.png)\n"},
		map[string]string{"content/news/leak.png": "../../../outside/content/photos/river/a.png"},
		[]string{`content/news/second.md:9: `, outside}})
	tests = append(tests, struct {
		name  string
		write map[string]string
		links map[string]string
		want  []string
	}{"theme folder",
		map[string]string{"data/exports/extra/x.css": "body{}"},
		map[string]string{"themes/default/static/extra": "../../../data/exports/extra"},
		[]string{"themes/default/static/extra: a folder that is a symbolic link is not read"}})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			top, site := symlinkSite(t)
			for rel, data := range tt.write {
				writeFile(t, filepath.Join(site, filepath.FromSlash(rel)), data)
			}
			// Targets inside the site, for the links that stay inside.
			exports := filepath.Join(site, "data", "exports")
			writeFile(t, filepath.Join(site, "data", "first.md.txt"), "---\ntitle: 第一篇\ndate: 2026-01-02\nsummary: 摘要。\ntopics: [river]\n---\n正文。\n")
			writeFile(t, filepath.Join(exports, "counts.csv"), "name,n\n甲,1\n")
			if err := os.WriteFile(filepath.Join(exports, "a.png"), tinyPNG(t), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := corpus.CopyDir(filepath.Join(site, "content/photos/river"), filepath.Join(exports, "river")); err != nil {
				t.Fatal(err)
			}
			for rel, target := range tt.links {
				replaceByLink(t, site, rel, strings.Replace(target, "ABS", top, 1))
			}
			var stdout, stderr bytes.Buffer
			out := filepath.Join(top, "public")
			code := Run(context.Background(), []string{"build", "-q", "-src", site, "-out", out}, &stdout, &stderr)
			if tt.want == nil {
				if code != 0 {
					t.Fatalf("exit %d, want 0; stderr:\n%s", code, stderr.String())
				}
				if _, err := os.Stat(filepath.Join(out, "news", "first", "index.html")); err != nil {
					t.Error(err)
				}
				return
			}
			if code != 1 {
				t.Errorf("exit %d, want 1; stderr:\n%s", code, stderr.String())
			}
			for _, want := range tt.want {
				if !strings.Contains(stderr.String(), want) {
					t.Errorf("stderr does not say %q:\n%s", want, stderr.String())
				}
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("a refused build wrote %s: %v", out, err)
			}
		})
	}
}
