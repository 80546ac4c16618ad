package site

import (
	"cmp"
	"slices"
	"strings"

	"gongjian/gen/content"
)

// Model is the content of a site with the indexes its lists need.
type Model struct {
	Content *content.Site
	Topics  map[string]*content.Topic   // by slug
	ByTopic map[string][]*content.Story // newest first
	ByTag   map[string][]*content.Story // newest first
	Tags    []TagCount                  // most used first
}

// New derives the model of c.
func New(c *content.Site) *Model {
	m := &Model{
		Content: c,
		Topics:  map[string]*content.Topic{},
		ByTopic: map[string][]*content.Story{},
		ByTag:   map[string][]*content.Story{},
	}
	for _, t := range c.Topics {
		m.Topics[t.Slug] = t
	}
	for _, st := range c.Stories {
		for _, t := range st.Topics {
			m.ByTopic[t] = append(m.ByTopic[t], st)
		}
		for _, tag := range st.Tags {
			m.ByTag[tag] = append(m.ByTag[tag], st)
		}
	}
	for tag, list := range m.ByTag {
		m.Tags = append(m.Tags, TagCount{Tag: tag, URL: content.TagURL(tag), Count: len(list)})
	}
	slices.SortFunc(m.Tags, func(a, b TagCount) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Tag, b.Tag))
	})
	return m
}

// Abs makes a site path absolute with the base URL.
func (m *Model) Abs(path string) string {
	return m.Content.BaseURL + strings.TrimPrefix(path, "/")
}

// TopicCounts are the site's topics with the number of their stories and
// the newest one.
func (m *Model) TopicCounts() []TopicCount {
	out := make([]TopicCount, 0, len(m.Content.Topics))
	for _, t := range m.Content.Topics {
		tc := TopicCount{Topic: t, Count: len(m.ByTopic[t.Slug])}
		if tc.Count > 0 {
			tc.Latest = m.ByTopic[t.Slug][0]
		}
		out = append(out, tc)
	}
	return out
}

// TagCount is a tag with the number of stories that carry it.
type TagCount struct {
	Tag   string
	URL   string
	Count int
}

// TopicCount is a topic with the number of its stories.
type TopicCount struct {
	*content.Topic
	Count  int
	Latest *content.Story
}
