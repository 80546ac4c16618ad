package content

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"gongjian/gen/dataset"
)

func TestParseStory(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string // errors, in order; none means the story parses
	}{
		{"ok", "---\ntitle: 标题\ndate: 2026-03-05\nsummary: 摘要\ntopics: [river]\ntags: [a, b]\n---\n正文\n", nil},
		{"single topic as text", "---\ntitle: 标题\ndate: 2026-03-05 09:30\nsummary: 摘要\ntopics: river\n---\n", nil},
		{"missing fields", "---\ntopics: [river]\n---\n", []string{
			`content/news/x.md:1: missing field "title"`,
			`content/news/x.md:1: missing field "date"`,
			`content/news/x.md:1: missing field "summary"`,
		}},
		{"empty front matter", "---\n---\nbody", []string{
			`content/news/x.md:1: missing field "title"`,
			`content/news/x.md:1: missing field "date"`,
			`content/news/x.md:1: missing field "summary"`,
		}},
		{"bad date", "---\ntitle: t\ndate: 2026-13-01\nsummary: s\n---\n", []string{
			`content/news/x.md:3: field "date": "2026-13-01" is not a date (expected YYYY-MM-DD, optionally followed by a time hh:mm)`,
		}},
		{"unknown field", "---\ntitle: t\ndate: 2026-01-01\nsummary: s\ntitel: typo\n---\n", []string{
			`content/news/x.md:5: unknown field "titel" (expected one of: title, date, summary, topics, tags, cover, cover_alt, draft, sample, notes, corrections)`,
		}},
		{"duplicate field", "---\ntitle: t\ntitle: u\ndate: 2026-01-01\nsummary: s\n---\n", []string{
			`content/news/x.md:3: field "title" appears twice`,
		}},
		{"draft not bool", "---\ntitle: t\ndate: 2026-01-01\nsummary: s\ndraft: 是\n---\n", []string{
			`content/news/x.md:5: field "draft": expected true or false, found "是"`,
		}},
		{"tags not texts", "---\ntitle: t\ndate: 2026-01-01\nsummary: s\ntags: [{a: 1}]\n---\n", []string{
			`content/news/x.md:5: field "tags": expected a list of texts, found a mapping`,
		}},
		{"bad yaml", "---\ntitle: t\n  date: 2026-01-01\n---\n", []string{
			`content/news/x.md:3: invalid YAML: mapping values are not allowed in this context`,
		}},
		{"no front matter", "# 标题\n", []string{
			`content/news/x.md:1: no front matter: the file must start with a line "---"`,
		}},
		{"unclosed", "---\ntitle: t\n", []string{
			`content/news/x.md:1: front matter is not closed: expected a line "---" after it`,
		}},
		{"empty title", "---\ntitle: \"  \"\ndate: 2026-01-01\nsummary: s\n---\n", []string{
			`content/news/x.md:2: field "title": is empty`,
		}},
		{"tag with slash", "---\ntitle: t\ndate: 2026-01-01\nsummary: s\ntags: [a/b]\n---\n", []string{
			`content/news/x.md:5: tag "a/b": a tag may not contain / or \ or start with a dot (it becomes the address /tags/TAG/)`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errs := ParseStory("content/news/x.md", []byte(tt.src))
			var got []string
			for _, e := range errs {
				got = append(got, e.Error())
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("ParseStory(%q) errors:\n%s\nwant:\n%s", tt.src, strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestParseStoryFields(t *testing.T) {
	src := "---\ntitle: 标题\ndate: 2026-03-05\nsummary: 摘要\ntopics: [river, governance, river]\ntags: [积分制]\nsample: true\n---\n\n正文\n"
	s, errs := ParseStory("content/news/a-b.md", []byte(src))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	want := time.Date(2026, 3, 5, 0, 0, 0, 0, Zone)
	if s.Slug != "a-b" || s.Title != "标题" || !s.Date.Equal(want) || s.Summary != "摘要" || !s.Sample || s.Draft {
		t.Errorf("ParseStory = %+v", s)
	}
	if strings.Join(s.Topics, ",") != "river,governance" || strings.Join(s.Tags, ",") != "积分制" {
		t.Errorf("topics %v tags %v", s.Topics, s.Tags)
	}
	if s.BodyLine != 9 || string(s.Body) != "\n正文\n" {
		t.Errorf("body line %d body %q, want 9 %q", s.BodyLine, s.Body, "\n正文\n")
	}
}

func TestLoadReportsEverything(t *testing.T) {
	fsys := fstest.MapFS{
		"content/site.yaml":        {Data: []byte("title: 站点\nbaseURL: https://example.org\ntopics: [river, nope]\n")},
		"content/topics/river.md":  {Data: []byte("---\ntitle: 小流域治理\nsummary: s\n---\n")},
		"content/topics/extra.md":  {Data: []byte("---\ntitle: x\nsummary: s\n---\n")},
		"content/news/good.md":     {Data: []byte("---\ntitle: 好\ndate: 2026-01-02\nsummary: s\ntopics: [river]\n---\n")},
		"content/news/bad.md":      {Data: []byte("---\ntitle: 坏\ndate: 2026-01-02\nsummary: s\ntopics: [river, rivers]\ncover: missing.jpg\n---\n")},
		"content/news/Bad Name.md": {Data: []byte("---\ntitle: t\ndate: 2026-01-02\nsummary: s\n---\n")},
		"content/news/draft.md":    {Data: []byte("---\ntitle: 草稿\ndate: 2026-05-02\nsummary: s\ndraft: true\n---\n")},
	}
	site, errs := Load(fsys, Options{})
	var got []string
	errs.Sort()
	for _, e := range errs {
		got = append(got, e.Error())
	}
	want := []string{
		`content/news/Bad Name.md: file name "Bad Name.md": expected lower-case ASCII letters, digits and hyphens before .md (it becomes the address /news/NAME/)`,
		`content/news/bad.md:5: unknown topic "rivers" (expected one of: river, nope)`,
		`content/news/bad.md:6: cover image "missing.jpg": no such file next to the story`,
		`content/site.yaml:3: topic "nope": cannot read content/topics/nope.md: file does not exist`,
		`content/topics/extra.md: topic "extra" is not listed under topics: in content/site.yaml`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("Load errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if site.BaseURL != "https://example.org/" {
		t.Errorf("BaseURL = %q, want a trailing slash added", site.BaseURL)
	}
	var slugs []string
	for _, s := range site.Stories {
		slugs = append(slugs, s.Slug)
	}
	if strings.Join(slugs, ",") != "good" {
		t.Errorf("stories = %v, want good (stories with errors and drafts left out)", slugs)
	}
	site, _ = Load(fsys, Options{Drafts: true})
	if len(site.Stories) != 2 || site.Stories[0].Slug != "draft" {
		t.Errorf("with drafts: %d stories, first %q; want 2, draft first", len(site.Stories), site.Stories[0].Slug)
	}
}

// FuzzParseStory feeds arbitrary files to the story parser: it must never
// panic, every error must name the file with a line inside the file, and a
// story that parses has its required fields.
func FuzzParseStory(f *testing.F) {
	f.Add("---\ntitle: 标题\ndate: 2026-03-05\nsummary: 摘要\ntopics: [river]\ntags: [a, b]\n---\n正文\n")
	f.Add("---\ntitle: [\n---\n")
	f.Add("---\r\ntitle: t\r\ndate: 2026-01-01T10:00:00+08:00\r\nsummary: s\r\n---\r\n")
	f.Add("---\n&a x: *a\n---\n")
	f.Add("\xef\xbb\xbf---\n- 1\n---\n")
	f.Fuzz(func(t *testing.T, src string) {
		s, errs := ParseStory("content/news/f.md", []byte(src))
		lines := strings.Count(src, "\n") + 1
		for _, e := range errs {
			if e.File != "content/news/f.md" || e.Line < 0 || e.Line > lines+1 || e.Msg == "" {
				t.Errorf("bad error %q (file has %d lines)", e.Error(), lines)
			}
		}
		if len(errs) == 0 && (s.Title == "" || s.Summary == "" || s.Date.IsZero()) {
			t.Errorf("story parsed without its required fields: %+v", s)
		}
	})
}

func TestReadStoryTooBig(t *testing.T) {
	big := "---\ntitle: t\ndate: 2026-01-01\nsummary: s\n---\n" + strings.Repeat("正文", maxSourceSize/6+1)
	fsys := fstest.MapFS{"content/news/big.md": {Data: []byte(big)}}
	p := ReadStory(fsys, "content/news/big.md")
	if p.Story != nil || len(p.Errs) != 1 || !strings.HasPrefix(p.Errs[0].Error(), "content/news/big.md: cannot read: the file is over 1088 KB") {
		t.Errorf("ReadStory(%d bytes) = %v, %v; want one error naming the file and the limit", len(big), p.Story, p.Errs)
	}
}

func TestMenuLinks(t *testing.T) {
	site := "title: 站点\nbaseURL: https://example.org\ntopics: []\nmenu:\n  - title: 首页\n    url: /\n  - title: 脚本\n    url: javascript:alert(1)\n  - title: 实体\n    url: \"&#106;avascript:alert(1)\"\n  - title: 外链\n    url: https://example.org/a\n"
	_, errs := Load(fstest.MapFS{"content/site.yaml": {Data: []byte(site)}}, Options{})
	want := []string{
		`content/site.yaml:8: field "url": "javascript:alert(1)": links may only be relative or start with http:, https:, mailto: or tel:`,
		`content/site.yaml:10: field "url": "&#106;avascript:alert(1)": links may only be relative or start with http:, https:, mailto: or tel:`,
	}
	if got := errs.Error(); got != strings.Join(want, "\n") {
		t.Errorf("Load errors:\n%s\nwant:\n%s", got, strings.Join(want, "\n"))
	}
}

// TestKioskTopic: kioskTopic must be one of the topics site.yaml lists.
func TestKioskTopic(t *testing.T) {
	fsys := fstest.MapFS{"content/topics/river.md": {Data: []byte("---\ntitle: 河\nsummary: s\n---\n")}}
	for _, tt := range []struct{ kiosk, topic, err string }{
		{"river", "river", ""},
		{"garbage-sorting", "garbage-sorting", `content/site.yaml:4: unknown topic "garbage-sorting" (expected one of: river)`},
		{"[river]", "", `content/site.yaml:4: field "kioskTopic": expected text, found a list`},
	} {
		fsys["content/site.yaml"] = &fstest.MapFile{Data: []byte("title: 站点\nbaseURL: https://example.org\ntopics: [river]\nkioskTopic: " + tt.kiosk + "\n")}
		site, errs := Load(fsys, Options{})
		if got := errs.Error(); got != tt.err || (tt.err == "" && site.KioskTopic != tt.topic) {
			t.Errorf("kioskTopic: %s: KioskTopic %q, errors %q; want %q, %q", tt.kiosk, site.KioskTopic, got, tt.topic, tt.err)
		}
	}
}

// TestSiteChecks: checks: in site.yaml are read with their own lines, and
// a malformed one is refused at its line before any dataset is loaded.
func TestSiteChecks(t *testing.T) {
	fsys := fstest.MapFS{"content/topics/river.md": {Data: []byte("---\ntitle: 河\nsummary: s\n---\n")}}
	head := "title: 站点\nbaseURL: https://example.org\ntopics: [river]\n"
	for _, tt := range []struct {
		checks string
		want   []dataset.Check
		err    string
	}{
		{"checks:\n  - requests | count = 62\n  - \"points | last holders > 5000\"\n",
			[]dataset.Check{{File: SiteFile, Line: 5, Expr: "requests | count = 62"}, {File: SiteFile, Line: 6, Expr: "points | last holders > 5000"}}, ""},
		{"checks:\n  - requests | count = 62\n  - requests | count\n", nil,
			`content/site.yaml:6: check "requests | count": no comparison: end the check with the figure expected, e.g. requests | count = 62`},
		{"checks:\n  - [a]\n", nil, `content/site.yaml:5: check: expected text, found a list`},
		{"checks: requests | count = 62\n", nil, `content/site.yaml:4: field "checks": expected a list of checks such as "requests | count = 62", found "requests | count = 62"`},
	} {
		fsys["content/site.yaml"] = &fstest.MapFile{Data: []byte(head + tt.checks)}
		site, errs := Load(fsys, Options{})
		if got := errs.Error(); got != tt.err {
			t.Errorf("%q: errors %q, want %q", tt.checks, got, tt.err)
		}
		if tt.want != nil && !slices.Equal(site.Checks, tt.want) {
			t.Errorf("%q: Checks = %+v, want %+v", tt.checks, site.Checks, tt.want)
		}
	}
}

// TestNotes: notes: in a story's or topic's front matter are editors'
// notes at their lines in the file (below the fence), outside the body.
func TestNotes(t *testing.T) {
	fsys := fstest.MapFS{
		"content/site.yaml":       {Data: []byte("title: 站点\nbaseURL: https://example.org\ntopics: [river]\n")},
		"content/topics/river.md": {Data: []byte("---\ntitle: 河\nsummary: s\nnotes: 待换成真实小区名称\n---\n正文\n")},
		"content/news/a.md":       {Data: []byte("---\ntitle: 甲\ndate: 2026-01-02\nsummary: s\nnotes:\n  - 待开发区提供实拍后替换\n  - 数字待核实\n---\n正文\n")},
	}
	site, errs := Load(fsys, Options{})
	if len(errs) > 0 {
		t.Fatal(errs.Err())
	}
	want := "content/topics/river.md:4: note for editors: 待换成真实小区名称\n" +
		"content/news/a.md:6: note for editors: 待开发区提供实拍后替换\n" +
		"content/news/a.md:7: note for editors: 数字待核实"
	if got := site.Notes().Error(); got != want {
		t.Errorf("Notes():\n%s\nwant:\n%s", got, want)
	}
	if b := string(site.Stories[0].Body); strings.Contains(b, "实拍") {
		t.Errorf("body %q holds the note", b)
	}
}

// TestOwner: owner: in site.yaml says who stands behind the site; each
// field is checked at its line.
func TestOwner(t *testing.T) {
	fsys := fstest.MapFS{"content/topics/river.md": {Data: []byte("---\ntitle: 河\nsummary: s\n---\n")}}
	head := "title: 站点\nbaseURL: https://example.org\ntopics: [river]\n"
	good := "owner:\n  publisher: 开发区管委会\n  address: 湖北省十堰市\n  phone: 0719-8000000\n  email: a@example.org\n  feedback: https://example.org/feedback/\n  icp: 鄂ICP备12345678号\n  police: 鄂公网安备42030002000001号\n  siteCode: \"4203000001\"\n"
	site, errs := Load(fstest.MapFS{"content/site.yaml": {Data: []byte(head + good)}, "content/topics/river.md": fsys["content/topics/river.md"]}, Options{})
	want := Owner{Publisher: "开发区管委会", Address: "湖北省十堰市", Phone: "0719-8000000", Email: "a@example.org", Feedback: "https://example.org/feedback/", ICP: "鄂ICP备12345678号", Police: "鄂公网安备42030002000001号", SiteCode: "4203000001"}
	if len(errs) > 0 || site.Owner != want {
		t.Errorf("Owner = %+v, errors %v; want %+v", site.Owner, errs, want)
	}
	for _, tt := range []struct{ owner, err string }{
		{"owner:\n  phone: call us\n", `content/site.yaml:5: field "phone": "call us": expected a telephone number such as 0719-8000000`},
		{"owner:\n  email: nobody\n", `content/site.yaml:5: field "email": "nobody": expected an e-mail address such as gongjian@example.org`},
		{"owner:\n  siteCode: 12345\n", `content/site.yaml:5: field "siteCode": "12345": expected the 10-digit 政府网站标识码`},
		{"owner:\n  feedback: javascript:alert(1)\n", `content/site.yaml:5: field "feedback": "javascript:alert(1)": links may only be relative or start with http:, https:, mailto: or tel:`},
		{"owner:\n  fax: 1\n", `content/site.yaml:5: unknown field "fax" (expected one of: publisher, address, phone, email, feedback, icp, police, siteCode)`},
		{"owner: 管委会\n", `content/site.yaml:4: expected a mapping of fields (key: value), found "管委会"`},
	} {
		fsys["content/site.yaml"] = &fstest.MapFile{Data: []byte(head + tt.owner)}
		_, errs := Load(fsys, Options{})
		if got := errs.Error(); got != tt.err {
			t.Errorf("%q: errors %q, want %q", tt.owner, got, tt.err)
		}
	}
}

func TestTagChecks(t *testing.T) {
	long := strings.Repeat("垃圾分类", 25) // 100 characters, 300 bytes
	tests := []struct {
		name, tags string
		want       []string
	}{
		{"plain", "[垃圾分类, 积分制, page, index]", nil},
		{"the tag list's page", "[a, index.html]", []string{
			`content/news/x.md:5: tag "index.html": /tags/index.html is the page that lists every tag: choose another tag`,
		}},
		{"control character", `["a\tb", "c\u0000"]`, []string{
			`content/news/x.md:5: tag "a\tb": a tag may not contain control characters such as tabs or line breaks`,
			`content/news/x.md:5: tag "c\x00": a tag may not contain control characters such as tabs or line breaks`,
		}},
		{"dot on its own line", "\n  - 好\n  - ..", []string{
			`content/news/x.md:7: tag "..": a tag may not contain / or \ or start with a dot (it becomes the address /tags/TAG/)`,
		}},
		{"long", "[" + long + "]", nil},
	}
	for _, tt := range tests {
		src := "---\ntitle: t\ndate: 2026-01-01\nsummary: s\ntags: " + tt.tags + "\n---\n"
		_, errs := ParseStory("content/news/x.md", []byte(src))
		if got, want := errs.Error(), strings.Join(tt.want, "\n"); got != want {
			t.Errorf("%s: ParseStory errors:\n%s\nwant:\n%s", tt.name, got, want)
		}
	}
}

func TestTagSlug(t *testing.T) {
	long := strings.Repeat("垃圾分类", 25)
	// The slugs are pinned: a long tag's address must not change between
	// releases.
	tests := []struct{ tag, slug, url string }{
		{"垃圾分类", "垃圾分类", "/tags/%E5%9E%83%E5%9C%BE%E5%88%86%E7%B1%BB/"},
		{"a b?c", "a b?c", "/tags/a%20b%3Fc/"},
		{strings.Repeat("a", 100), strings.Repeat("a", 100), "/tags/" + strings.Repeat("a", 100) + "/"},
		{strings.Repeat("a", 101), strings.Repeat("a", 64) + "-9d07933979", ""},
		// 64 bytes fall inside the 22nd character: 21 are kept.
		{long, strings.Repeat("垃圾分类", 5) + "垃-cc72a55120", ""},
		{strings.Repeat("-", 120), "-d551825d0f", ""},
	}
	for _, tt := range tests {
		if got := TagSlug(tt.tag); got != tt.slug {
			t.Errorf("TagSlug(%q) = %q, want %q", tt.tag, got, tt.slug)
		}
		if tt.url != "" && TagURL(tt.tag) != tt.url {
			t.Errorf("TagURL(%q) = %q, want %q", tt.tag, TagURL(tt.tag), tt.url)
		}
		if len(TagSlug(tt.tag)) > maxTagSlug {
			t.Errorf("TagSlug(%q) is %d bytes, over %d", tt.tag, len(TagSlug(tt.tag)), maxTagSlug)
		}
	}
	if a, b := TagSlug(long+"一"), TagSlug(long+"二"); a == b {
		t.Errorf("two long tags with the same start share the slug %q", a)
	}
}

func TestTagSlugCollision(t *testing.T) {
	long := strings.Repeat("长", 40)
	story := func(tag string) string {
		return "---\ntitle: t\ndate: 2026-01-02\nsummary: s\ntopics: [river]\ntags:\n  - 其他\n  - " + tag + "\n---\n"
	}
	fsys := fstest.MapFS{
		"content/site.yaml":       {Data: []byte("title: 站点\nbaseURL: https://example.org\ntopics: [river]\n")},
		"content/topics/river.md": {Data: []byte("---\ntitle: 小流域治理\nsummary: s\n---\n")},
		"content/news/a.md":       {Data: []byte(story(long))},
		// A short tag written to equal the long tag's slug.
		"content/news/b.md": {Data: []byte(story(TagSlug(long)))},
	}
	_, errs := Load(fsys, Options{})
	errs.Sort()
	want := `content/news/b.md:8: tag "` + TagSlug(long) + `" would share the address /tags/` + TagSlug(long) + `/ with tag "` + long + `" (content/news/a.md:8): write one of them differently`
	if len(errs) != 1 || errs[0].Error() != want {
		t.Errorf("Load errors = %v\nwant %s", errs, want)
	}
}
