package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"gongjian/gen/content"
	"gongjian/gen/internal/corpus"
	"gongjian/gen/markdown"
	"gongjian/gen/search"
)

// corpusDocs writes n synthetic stories under dir and turns them into search
// documents the way a site build would: front matter parsed, body converted
// to plain text.
func corpusDocs(dir string, n int) ([]search.Doc, error) {
	if err := corpus.Write(dir, n); err != nil {
		return nil, err
	}
	files, err := filepath.Glob(filepath.Join(dir, "content", "news", "*.md"))
	if err != nil {
		return nil, err
	}
	md := markdown.New()
	docs := make([]search.Doc, 0, len(files))
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		rel := "content/news/" + filepath.Base(f)
		s, errs := content.ParseStory(rel, src)
		if len(errs) > 0 {
			return nil, fmt.Errorf("%s: %v", rel, errs)
		}
		out, errs := md.Convert(s.Body, markdown.Options{File: rel, Line: s.BodyLine, Text: true})
		if len(errs) > 0 {
			return nil, fmt.Errorf("%s: %v", rel, errs)
		}
		docs = append(docs, search.Doc{URL: s.URL(), Title: s.Title, Kind: "story", Summary: s.Summary,
			Text: out.Text, Tags: s.Tags, Date: s.Date})
	}
	for _, t := range corpus.Topics {
		docs = append(docs, search.Doc{URL: "/topics/" + t + "/", Title: strings.ToUpper(t[:1]) + t[1:], Kind: "topic"})
	}
	return docs, nil
}
