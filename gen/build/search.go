package build

import (
	"cmp"
	"slices"
	"strings"
	"sync"

	"gongjian/gen/search"
)

// docs collects the text of every page the search index covers, as pages
// render. Watch mode keeps it between updates, so the index can be rebuilt
// without rendering unchanged pages again.
type docs struct {
	mu  sync.Mutex
	all map[string]search.Doc // by URL
}

func (d *docs) put(doc search.Doc) {
	d.mu.Lock()
	d.all[doc.URL] = doc
	d.mu.Unlock()
}

// keep drops the documents whose URL is not in urls.
func (d *docs) keep(urls map[string]bool) {
	d.mu.Lock()
	for u := range d.all {
		if !urls[u] {
			delete(d.all, u)
		}
	}
	d.mu.Unlock()
}

func (d *docs) list() []search.Doc {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := make([]search.Doc, 0, len(d.all))
	for _, doc := range d.all {
		out = append(out, doc)
	}
	slices.SortFunc(out, func(a, b search.Doc) int { return cmp.Compare(a.URL, b.URL) })
	return out
}

// searchable reports whether the site publishes a search page.
func (s *Site) searchable() bool { return s.Theme.Has("search") }

// indexData adds the documents that do not come from rendered Markdown:
// datasets and albums.
func (s *Site) indexData() {
	for _, v := range s.data.views {
		var cols []string
		for _, c := range v.Columns {
			cols = append(cols, c.Title())
		}
		s.docs.put(search.Doc{URL: v.URL, Title: v.Title, Kind: "dataset", Summary: v.Description,
			Text: v.Source + "\n" + strings.Join(cols, " "), Date: v.Updated})
	}
	for _, a := range s.photos.albums {
		var caps []string
		for _, p := range a.Photos {
			caps = append(caps, p.Caption)
		}
		s.docs.put(search.Doc{URL: a.URL, Title: a.Title, Kind: "album", Summary: a.Summary,
			Text: strings.Join(caps, "\n"), Date: a.Date})
	}
}

// searchIndex builds the index files from every document collected.
func (s *Site) searchIndex(w Writer) error {
	if !s.searchable() {
		return nil
	}
	s.indexData()
	// Each file is written as soon as it is encoded: the index of 10,000
	// stories is about 48 MB, which need never be in memory at once.
	return search.Write(s.docs.list(), func(f search.File) error { return w.WriteFile(f.Path, f.Data) })
}
