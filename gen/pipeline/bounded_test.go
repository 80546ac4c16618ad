package pipeline

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"gongjian/gen/site"
)

// The bounds TestOutputBounded holds every build to, whatever its number of
// stories.
const (
	// maxStoryLinks is the most stories one page links to: a list page's
	// stories (paginate in the site below).
	maxStoryLinks = 10
	// maxLinks is the most links of any kind on one page: a page of the
	// index of tags, plus the menu, footer and pager.
	maxLinks = site.TagsPerPage + 40
	// maxFileBytes bounds every file, the theme's vendored scripts included.
	maxFileBytes = 1 << 20
)

// growsWithStories are the files whose size still follows the number of
// stories, each with what bounds it instead.
var growsWithStories = map[string]string{
	"sitemap.xml": "it lists every page up to the protocol's 50,000 URLs, then becomes a sitemap index (site.TestSitemapsAtTheLimit)",
}

// fills are the shapes of files that fill up to a fixed size as stories
// are added, then the next file starts: with fewer stories the largest is
// smaller, never larger than this.
var fills = map[string]int{
	"search/text-N.HASH.bin": 300 << 10, // packs of compressed texts of about 256 KiB
}

// boundedSite is a site of n short stories in three topics, each story with
// a tag all share and one it shares with one other story, so that the
// number of tags grows with the stories as on a real portal.
func boundedSite(t *testing.T, n int) fstest.MapFS {
	fsys := fstest.MapFS{
		"content/site.yaml": {Data: []byte("title: 有界测试门户\ndescription: 许多报道的站点。\nbaseURL: https://portal.example.org/\n" +
			"language: zh-CN\npaginate: 10\nmenu:\n  - {title: 首页, url: /}\n  - {title: 新闻, url: /news/}\n" +
			"  - {title: 专题, url: /topics/}\ntopics: [river, governance, elderly-care]\n")},
	}
	for _, tp := range []struct{ slug, title string }{{"river", "小流域治理"}, {"governance", "基层治理"}, {"elderly-care", "养老服务"}} {
		fsys["content/topics/"+tp.slug+".md"] = &fstest.MapFile{Data: []byte("---\ntitle: " + tp.title + "\nsummary: " + tp.title + "的报道。\n---\n简介。\n")}
	}
	topics := []string{"river", "governance", "elderly-care"}
	for i := range n {
		src := fmt.Sprintf("---\ntitle: 第%d期：社区的事大家商量着办\ndate: 2026-%02d-%02d\nsummary: 居民点单、社区派单、党员接单，第%d期。\n"+
			"topics: [%s]\ntags: [共同缔造, 第%d批]\n---\n## 现场\n\n社区干部和志愿者逐户上门走访，居民提出的问题被一一登记（第%d期）。\n",
			i, 1+i%12, 1+i%28, i, topics[i%len(topics)], i/2, i)
		fsys[fmt.Sprintf("content/news/s-%05d.md", i)] = &fstest.MapFile{Data: []byte(src)}
	}
	addTheme(t, fsys)
	return fsys
}

var hrefRE = regexp.MustCompile(`href="([^"#]*)`)

// pageLinks are the distinct addresses a page links to, fragments left out.
func pageLinks(html []byte) map[string]bool {
	links := map[string]bool{}
	for _, m := range hrefRE.FindAllSubmatch(html, -1) {
		links[string(m[1])] = true
	}
	return links
}

// TestOutputBounded builds a generated site at two sizes, four times apart,
// and checks that no page links to more than a fixed number of stories or
// of links, no file exceeds a fixed size, and the largest file of each
// shape (a story, a page of a list, a search shard: see shape) is no larger
// in the larger build (beyond a few bytes of counts and page numbers),
// while every story and every tag stays reachable from the paginated lists.
func TestOutputBounded(t *testing.T) {
	sizes := []int{500, 2000}
	if testing.Short() {
		sizes = []int{250, 1000}
	}
	built := map[int]map[string][]byte{}
	for _, n := range sizes {
		w, err := buildMem(t, boundedSite(t, n))
		if err != nil {
			t.Fatalf("%d stories: %v", n, err)
		}
		built[n] = w.files
		newsLinked, tagsLinked, tagIndexPages := map[string]bool{}, map[string]bool{}, 0
		for p, data := range w.files {
			if len(data) > maxFileBytes {
				t.Errorf("%d stories: %s is %d bytes, more than %d", n, p, len(data), maxFileBytes)
			}
			if !strings.HasSuffix(p, ".html") {
				continue
			}
			links := pageLinks(data)
			stories := 0
			for l := range links {
				if strings.HasPrefix(l, "/news/s-") {
					stories++
				}
			}
			if stories > maxStoryLinks {
				t.Errorf("%d stories: %s links to %d stories, more than %d", n, p, stories, maxStoryLinks)
			}
			if len(links) > maxLinks {
				t.Errorf("%d stories: %s has %d links, more than %d", n, p, len(links), maxLinks)
			}
			switch {
			case p == "news/index.html" || strings.HasPrefix(p, "news/page/"):
				for l := range links {
					if strings.HasPrefix(l, "/news/s-") {
						newsLinked[l] = true
					}
				}
			case p == "tags/index.html" || strings.HasPrefix(p, "tags/page/"):
				tagIndexPages++
				for l := range links {
					if strings.HasPrefix(l, "/tags/") && l != "/tags/" && !strings.HasPrefix(l, "/tags/page/") {
						tagsLinked[l] = true
					}
				}
			}
		}
		if len(newsLinked) != n {
			t.Errorf("%d stories: the news list links to %d of them", n, len(newsLinked))
		}
		if tags := n/2 + 1; len(tagsLinked) != tags || tagIndexPages != (tags+site.TagsPerPage-1)/site.TagsPerPage {
			t.Errorf("%d stories: the index of tags links to %d tags on %d pages, want %d tags on %d pages of %d",
				n, len(tagsLinked), tagIndexPages, tags, (tags+site.TagsPerPage-1)/site.TagsPerPage, site.TagsPerPage)
		}
		if len(w.files["atom.xml"]) == 0 || strings.Count(string(w.files["atom.xml"]), "<entry>") != 20 {
			t.Errorf("%d stories: atom.xml has %d entries, want the 20 newest", n, strings.Count(string(w.files["atom.xml"]), "<entry>"))
		}
	}

	small, large := largest(built[sizes[0]]), largest(built[sizes[1]])
	for shape, b := range large {
		a, ok := small[shape]
		if why, grows := growsWithStories[shape]; grows {
			t.Logf("%s: %d → %d bytes (%s)", shape, a.size, b.size, why)
			continue
		}
		// A count or a page number may take a digit more, a pager a few
		// more links.
		if !ok || b.size > max(a.size+a.size/50+1024, fills[shape]) {
			t.Errorf("%s: the largest is %s, %d bytes, with %d stories; %s, %d bytes, with %d",
				shape, a.path, a.size, sizes[0], b.path, b.size, sizes[1])
		}
	}
}

// A file's shape is its path with numbers, content hashes and page numbers
// left out: every page of a list, every story, every search shard has one
// shape.
func shape(p string) string {
	p = pageNumRE.ReplaceAllString(p, "")
	p = hashRE.ReplaceAllString(p, ".HASH.")
	p = hexRE.ReplaceAllString(p, "-N.")
	return numRE.ReplaceAllString(p, "N")
}

var (
	pageNumRE = regexp.MustCompile(`page/[0-9]+/`)
	hashRE    = regexp.MustCompile(`\.[0-9a-f]{8}\.`)
	hexRE     = regexp.MustCompile(`-[0-9a-f]+\.`) // search/shard-1f.…
	numRE     = regexp.MustCompile(`[0-9]+`)
)

type sized struct {
	path string
	size int
}

// largest is the largest file of each shape.
func largest(files map[string][]byte) map[string]sized {
	out := map[string]sized{}
	for p, data := range files {
		sh := shape(p)
		if len(data) >= out[sh].size {
			out[sh] = sized{p, len(data)}
		}
	}
	return out
}
