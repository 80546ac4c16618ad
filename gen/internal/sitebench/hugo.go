package main

import (
	"os"
	"path/filepath"
	"strings"

	"gongjian/gen/internal/corpus"
)

// writeHugoSite makes a Hugo site of the same stories with templates that
// render about what ours do: a header and menu, the story with its date,
// topics and tags, paginated lists of title, date and summary, topic and tag
// pages, the feed and the sitemap.
func writeHugoSite(src, dst string) error {
	if err := corpus.CopyDir(filepath.Join(src, "content", "news"), filepath.Join(dst, "content", "news")); err != nil {
		return err
	}
	topics, _ := filepath.Glob(filepath.Join(src, "content", "topics", "*.md"))
	for _, t := range topics {
		data, err := os.ReadFile(t)
		if err != nil {
			return err
		}
		dir := filepath.Join(dst, "content", "topics", strings.TrimSuffix(filepath.Base(t), ".md"))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, "_index.md"), data, 0o644); err != nil {
			return err
		}
	}
	files := map[string]string{
		"hugo.toml": `baseURL = "https://bench.example.org/"
languageCode = "zh-CN"
title = "基准测试门户"
disableKinds = ["RSS"]
[pagination]
pagerSize = 10
[taxonomies]
tag = "tags"
topic = "topics"
[markup.goldmark.extensions.cjk]
enable = true
eastAsianLineBreaks = true
[[menus.main]]
name = "首页"
url = "/"
[[menus.main]]
name = "新闻"
url = "/news/"
[[menus.main]]
name = "专题"
url = "/topics/"
`,
		"layouts/_default/baseof.html": `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}} · {{site.Title}}</title><meta name="description" content="{{.Summary | plainify}}">
<link rel="canonical" href="{{.Permalink}}"><meta property="og:title" content="{{.Title}}"><meta property="og:url" content="{{.Permalink}}">
<link rel="stylesheet" href="/css/site.css"></head>
<body><a class="skip" href="#main">跳到正文</a><header><a href="/">{{site.Title}}</a><nav><ul>{{range site.Menus.main}}<li><a href="{{.URL}}">{{.Name}}</a></li>{{end}}</ul></nav></header>
<main id="main">{{block "main" .}}{{end}}</main><footer><a href="/atom.xml">订阅</a></footer></body></html>
`,
		"layouts/_default/single.html": `{{define "main"}}<article><h1>{{.Title}}</h1><p><time>{{.Date.Format "2006年1月2日"}}</time>{{range .GetTerms "topics"}} · <a href="{{.RelPermalink}}">{{.LinkTitle}}</a>{{end}}</p>
<p>{{.Params.summary}}</p><div class="prose">{{.Content}}</div><ul>{{range .GetTerms "tags"}}<li><a href="{{.RelPermalink}}">{{.LinkTitle}}</a></li>{{end}}</ul></article>{{end}}
`,
		"layouts/_default/list.html": `{{define "main"}}<h1>{{.Title}}</h1>{{.Content}}<ul>{{range .Paginator.Pages}}<li><h3><a href="{{.RelPermalink}}">{{.Title}}</a></h3><p><time>{{.Date.Format "2006年1月2日"}}</time></p><p>{{.Params.summary}}</p></li>{{end}}</ul>
{{with .Paginator}}<nav>{{if .HasPrev}}<a href="{{.Prev.URL}}">上一页</a>{{end}} 第 {{.PageNumber}} 页，共 {{.TotalPages}} 页 {{if .HasNext}}<a href="{{.Next.URL}}">下一页</a>{{end}}</nav>{{end}}{{end}}
`,
		"layouts/_default/terms.html": `{{define "main"}}<h1>{{.Title}}</h1><ul>{{range .Data.Terms.ByCount}}<li><a href="{{.Page.RelPermalink}}">{{.Page.Title}}</a> {{.Count}}</li>{{end}}</ul>{{end}}
`,
		"layouts/index.html": `{{define "main"}}<h1>{{site.Title}}</h1><ul>{{range first 6 (where site.RegularPages "Section" "news")}}<li><a href="{{.RelPermalink}}">{{.Title}}</a> {{.Params.summary}}</li>{{end}}</ul>{{end}}
`,
	}
	for name, data := range files {
		p := filepath.Join(dst, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			return err
		}
	}
	return nil
}
