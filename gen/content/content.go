package content

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cespare/xxhash/v2"
	"go.yaml.in/yaml/v3"

	"gongjian/gen/dataset"
	"gongjian/gen/diag"
	"gongjian/gen/internal/parallel"
	"gongjian/gen/markdown"
)

// Site is everything in content/ a build renders.
type Site struct {
	Title       string
	Description string
	BaseURL     string // absolute, with a trailing slash
	Language    string
	Paginate    int
	Footer      string
	Owner       Owner // who stands behind the site, for the footer
	Menu        []MenuItem
	Figures     []Figure // headline figures for the home page
	// Checks are facts the datasets must keep (checks: in site.yaml),
	// verified by dataset.RunChecks once the datasets are loaded.
	Checks  []dataset.Check
	Topics  []*Topic // in the order site.yaml lists them
	Stories []*Story // newest first; drafts only when asked for
	// KioskTopic is the topic of the datasets made from the kiosk logs in
	// data/kiosk (kioskTopic in site.yaml); empty when not given.
	KioskTopic string

	topicSlugs     []string // every topic slug site.yaml lists, in its order
	kioskTopicLine int
	version        uint64 // of site.yaml and the topic pages
}

// InputKey and InputVersion make the site's settings an input pages read:
// every page shows the site's title and menu, so every page depends on
// site.yaml, and on the topic pages the site lists.
func (s *Site) InputKey() string { return SiteFile }

// InputVersion changes whenever site.yaml or a topic page does.
func (s *Site) InputVersion() uint64 { return s.version }

// CheckTopic returns nil when slug is one of the topics site.yaml lists,
// or an error at file:line naming them. Stories, datasets and albums are
// checked by it alike.
func (s *Site) CheckTopic(file string, line int, slug string) *diag.Error {
	if slices.Contains(s.topicSlugs, slug) {
		return nil
	}
	return diag.Errorf(file, line, "unknown topic %q (expected one of: %s)", slug, strings.Join(s.topicSlugs, ", "))
}

// Notes lists the editors' notes of every topic page and story, in that
// order, each at its file and line, for gen build to show as warnings.
func (s *Site) Notes() diag.List {
	var out diag.List
	for _, t := range s.Topics {
		out = append(out, t.Notes...)
	}
	for _, st := range s.Stories {
		out = append(out, st.Notes...)
	}
	return out
}

// Owner is who stands behind the site and how residents reach them, as a
// Chinese government site shows in its footer (owner: in site.yaml). Every
// field is optional.
type Owner struct {
	Publisher string // 主办单位
	Address   string
	Phone     string
	Email     string
	Feedback  string // a link where residents report errors or leave a message (纠错/留言)
	ICP       string // ICP备案号
	Police    string // 公安机关互联网站安全备案号
	SiteCode  string // 政府网站标识码
}

// MenuItem is one entry of the site's main menu.
type MenuItem struct {
	Title string
	URL   string
}

// Figure is a headline figure: a number computed from a dataset at build
// time (Value is a dataset expression such as "requests | count").
type Figure struct {
	Title string
	Value string
	Note  string
	Line  int // of the figure in site.yaml
}

// Story is one news story from content/news/SLUG.md.
type Story struct {
	File     string // content/news/slug.md
	Slug     string
	Title    string
	Summary  string
	Date     time.Time
	Topics   []string // topic slugs
	Tags     []string
	Cover    string // as written, relative to the story file
	CoverAlt string // what the cover shows, for readers who cannot see it
	// CoverLine is the line of the cover field, for errors about the image.
	CoverLine int
	Draft     bool
	Sample    bool // carries invented figures: pages say 示例数据
	// Corrections are what was corrected after publication, oldest
	// first (corrections: in the front matter); the page and the feed
	// show them.
	Corrections []Correction
	// Notes are the editors' notes (notes: in the front matter), each at
	// its line: gen build lists them as warnings; no page shows them.
	Notes    diag.List
	Body     []byte
	BodyLine int
	Hash     uint64 // of the whole file: equal hashes, equal stories
	// FrontHash covers everything but the body: the file name and the
	// front matter. Two versions of a story with the same FrontHash
	// differ in their body alone, which only the story's own page shows.
	FrontHash uint64
	url       string
	key       string // Key, computed once when the story is parsed
	topicsKey string
	tagsKey   string
	topicLn   []int
	tagLn     []int
	lazy      bool // made from a record: LoadBody reads the body
}

// InputKey names the story among the inputs a page reads: its file.
func (s *Story) InputKey() string { return s.File }

// InputVersion is the story's hash.
func (s *Story) InputVersion() uint64 { return s.Hash }

// URL is the story's path on the site.
func (s *Story) URL() string {
	if s.url == "" {
		return "/news/" + s.Slug + "/"
	}
	return s.url
}

// Key identifies this version of the story: its file and content. Themes
// call it for every card they show, so ParseStory computes it once.
func (s *Story) Key() string {
	if s.key != "" {
		return s.key
	}
	return storyKey(s.File, s.Hash)
}

// TopicsKey identifies the list of the story's topics, for caching what
// shows them.
func (s *Story) TopicsKey() string {
	if s.topicsKey == "" && len(s.Topics) > 0 {
		return strings.Join(s.Topics, " ")
	}
	return s.topicsKey
}

// TagsKey identifies the list of the story's tags, for caching what shows
// them. Tags may contain spaces, so they are joined with NUL.
func (s *Story) TagsKey() string {
	if s.tagsKey == "" && len(s.Tags) > 0 {
		return strings.Join(s.Tags, "\x00")
	}
	return s.tagsKey
}

func storyKey(file string, hash uint64) string { return file + "@" + strconv.FormatUint(hash, 16) }

// A Correction says what was corrected in a story after it was
// published, and when.
type Correction struct {
	Date time.Time
	Text string
	Line int // in the story file
}

// Updated is when the story last changed for its readers: the date of its
// latest correction, or its own date.
func (s *Story) Updated() time.Time {
	if n := len(s.Corrections); n > 0 {
		return s.Corrections[n-1].Date
	}
	return s.Date
}

// readCorrections reads a story's corrections: a list of {date, text}.
// off makes the front matter's lines the file's; a correction may not be
// dated before the story.
func readCorrections(file string, n *yaml.Node, off int, published time.Time, errs *diag.List) []Correction {
	if n == nil {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		errs.Addf(file, n.Line+off, "field \"corrections\": expected a list of {date, text}, found %s", kindName(n))
		return nil
	}
	var out []Correction
	for _, it := range n.Content {
		c := Correction{Line: it.Line + off}
		before := len(*errs)
		decodeMapping(file, off, c.Line, it, []field{
			{name: "date", required: true, set: date(&c.Date)},
			{name: "text", required: true, set: str(&c.Text)},
		}, errs)
		if len(*errs) > before {
			continue
		}
		if !published.IsZero() && c.Date.Before(published) {
			errs.Addf(file, c.Line, "correction dated %s, before the story (%s)", c.Date.Format(time.DateOnly), published.Format(time.DateOnly))
			continue
		}
		out = append(out, c)
	}
	slices.SortStableFunc(out, func(a, b Correction) int { return a.Date.Compare(b.Date) })
	return out
}

// Topic is a topic page from content/topics/SLUG.md.
type Topic struct {
	File     string
	Slug     string
	Title    string
	Summary  string
	Notes    diag.List // editors' notes, as for a story
	Body     []byte
	BodyLine int
	Hash     uint64 // of the whole file
}

// InputKey names the topic among the inputs a page reads: its file.
func (t *Topic) InputKey() string { return t.File }

// InputVersion is the topic's hash.
func (t *Topic) InputVersion() uint64 { return t.Hash }

// URL is the topic's path on the site.
func (t *Topic) URL() string { return "/topics/" + t.Slug + "/" }

// Options choose what Load includes.
type Options struct {
	Drafts bool // include stories marked draft: true
}

var slugPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// Dirs and files of the content tree, relative to the site root.
const (
	SiteFile  = "content/site.yaml"
	NewsDir   = "content/news"
	TopicsDir = "content/topics"
)

// Load reads and checks content/ from fsys, whose root is the site folder.
func Load(fsys fs.FS, opt Options) (*Site, diag.List) {
	files, err := StoryFiles(fsys)
	if err != nil {
		return &Site{}, diag.List{diag.Errorf(NewsDir, 0, "%v", err)}
	}
	return Assemble(fsys, ParseStories(fsys, files), opt)
}

// Assemble reads site.yaml and the topic pages and checks the parsed stories
// against them. Stories with errors are left out; all errors, theirs
// included, are returned. Watch mode keeps parsed stories between builds and
// calls Assemble with the ones it re-parsed after a change.
func Assemble(fsys fs.FS, parsed []Parsed, opt Options) (*Site, diag.List) {
	var errs diag.List
	site, topicOrder := loadSite(fsys, &errs)
	site.Topics = loadTopics(fsys, topicOrder, &errs)
	for _, t := range site.Topics {
		site.version = site.version*31 + t.Hash
	}
	for _, t := range topicOrder {
		site.topicSlugs = append(site.topicSlugs, t.slug)
	}
	if site.KioskTopic != "" {
		if err := site.CheckTopic(SiteFile, site.kioskTopicLine, site.KioskTopic); err != nil {
			errs.Add(err)
		}
	}
	for _, p := range parsed {
		errs.Merge(p.Errs)
		s := p.Story
		if s == nil || len(p.Errs) > 0 {
			continue
		}
		ok := true
		for i, t := range s.Topics {
			if err := site.CheckTopic(s.File, s.topicLn[i], t); err != nil {
				errs.Add(err)
				ok = false
			}
		}
		if s.Cover != "" {
			if _, err := fs.Stat(fsys, path.Join(path.Dir(s.File), s.Cover)); errors.Is(err, fs.ErrNotExist) {
				errs.Addf(s.File, s.CoverLine, "cover image %q: no such file next to the story", s.Cover)
				ok = false
			} else if err != nil {
				errs.Addf(s.File, s.CoverLine, "cover image %q: %v", s.Cover, diag.Cause(err))
				ok = false
			}
		}
		if ok && (!s.Draft || opt.Drafts) {
			site.Stories = append(site.Stories, s)
		}
	}
	SortStories(site.Stories)
	if terrs := checkTagSlugs(site.Stories); len(terrs) > 0 {
		errs.Merge(terrs)
	}
	return site, errs
}

// SortStories orders stories newest first, then by slug.
func SortStories(stories []*Story) {
	slices.SortFunc(stories, func(a, b *Story) int {
		return cmp.Or(b.Date.Compare(a.Date), cmp.Compare(a.Slug, b.Slug))
	})
}

type topicRef struct {
	slug string
	line int
}

func loadSite(fsys fs.FS, errs *diag.List) (*Site, []topicRef) {
	site := &Site{Language: "zh-CN", Paginate: 10}
	src, err := fs.ReadFile(fsys, SiteFile)
	if err != nil {
		errs.Addf(SiteFile, 0, "cannot read the site settings: %v", err)
		return site, nil
	}
	site.version = xxhash.Sum64(src)
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		errs.Add(yamlError(SiteFile, 0, err))
		return site, nil
	}
	if len(doc.Content) == 0 {
		errs.Addf(SiteFile, 1, "is empty: expected title, baseURL, topics, …")
		return site, nil
	}
	var topics []topicRef
	fields := []field{
		{name: "title", required: true, set: str(&site.Title)},
		{name: "description", set: str(&site.Description)},
		{name: "baseURL", required: true, set: func(n *yaml.Node) error {
			if err := str(&site.BaseURL)(n); err != nil {
				return err
			}
			u, err := url.Parse(site.BaseURL)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				return fmt.Errorf("%q is not an absolute http(s) URL", site.BaseURL)
			}
			if !strings.HasSuffix(site.BaseURL, "/") {
				site.BaseURL += "/"
			}
			return nil
		}},
		{name: "language", set: str(&site.Language)},
		{name: "paginate", set: integer(&site.Paginate, 1, 1000)},
		{name: "footer", set: str(&site.Footer)},
		{name: "owner", set: func(n *yaml.Node) error {
			o := &site.Owner
			decodeMapping(SiteFile, 0, n.Line, n, []field{
				{name: "publisher", set: str(&o.Publisher)},
				{name: "address", set: str(&o.Address)},
				{name: "phone", set: matching(&o.Phone, phoneRE, "a telephone number such as 0719-8000000")},
				{name: "email", set: matching(&o.Email, emailRE, "an e-mail address such as gongjian@example.org")},
				{name: "feedback", set: link(&o.Feedback)},
				{name: "icp", set: str(&o.ICP)},
				{name: "police", set: str(&o.Police)},
				{name: "siteCode", set: matching(&o.SiteCode, siteCodeRE, "the 10-digit 政府网站标识码")},
			}, errs)
			return nil
		}},
		{name: "menu", set: func(n *yaml.Node) error {
			if n.Kind != yaml.SequenceNode {
				return fmt.Errorf("expected a list of {title, url}, found %s", kindName(n))
			}
			for _, it := range n.Content {
				var m MenuItem
				decodeMapping(SiteFile, 0, it.Line, it, []field{
					{name: "title", required: true, set: str(&m.Title)},
					{name: "url", required: true, set: link(&m.URL)},
				}, errs)
				site.Menu = append(site.Menu, m)
			}
			return nil
		}},
		{name: "figures", set: func(n *yaml.Node) error {
			if n.Kind != yaml.SequenceNode {
				return fmt.Errorf("expected a list of {title, value, note}, found %s", kindName(n))
			}
			for _, it := range n.Content {
				f := Figure{Line: it.Line}
				decodeMapping(SiteFile, 0, it.Line, it, []field{
					{name: "title", required: true, set: str(&f.Title)},
					{name: "value", required: true, set: str(&f.Value)},
					{name: "note", set: str(&f.Note)},
				}, errs)
				site.Figures = append(site.Figures, f)
			}
			return nil
		}},
		{name: "checks", set: func(n *yaml.Node) error {
			if n.Kind != yaml.SequenceNode {
				return fmt.Errorf("expected a list of checks such as \"requests | count = 62\", found %s", kindName(n))
			}
			for _, it := range n.Content {
				var expr string
				if err := str(&expr)(it); err != nil {
					errs.Addf(SiteFile, it.Line, "check: %v", err)
					continue
				}
				if err := dataset.CheckSyntax(expr); err != nil {
					errs.Addf(SiteFile, it.Line, "check %q: %v", expr, err)
					continue
				}
				site.Checks = append(site.Checks, dataset.Check{File: SiteFile, Line: it.Line, Expr: expr})
			}
			return nil
		}},
		{name: "topics", required: true, set: func(n *yaml.Node) error {
			var slugs []string
			var lines []int
			if err := list(&slugs, &lines)(n); err != nil {
				return err
			}
			for i, s := range slugs {
				if !slugPattern.MatchString(s) {
					errs.Addf(SiteFile, lines[i], "topic %q: expected lower-case letters, digits and hyphens", s)
					continue
				}
				topics = append(topics, topicRef{s, lines[i]})
			}
			return nil
		}},
		{name: "kioskTopic", set: func(n *yaml.Node) error {
			site.kioskTopicLine = n.Line
			return str(&site.KioskTopic)(n)
		}},
	}
	decodeMapping(SiteFile, 0, 1, doc.Content[0], fields, errs)
	return site, topics
}

// yamlError turns a YAML syntax error into a diag error at its line.
func yamlError(file string, lineOff int, err error) *diag.Error {
	msg := err.Error()
	line := 0
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		fmt.Sscanf(m[1], "%d", &line)
		// yaml.v3 counts lines from 0 in parser errors ("did not find
		// expected …") and from 1 in scanner errors.
		if strings.Contains(msg, "did not find expected") {
			line++
		}
		msg = yamlLine.ReplaceAllString(msg, "")
	}
	msg = strings.TrimSpace(strings.TrimPrefix(msg, "yaml:"))
	if line > 0 {
		line += lineOff
	}
	return diag.Errorf(file, line, "invalid YAML: %s", msg)
}

var yamlLine = regexp.MustCompile(`line (\d+):`)

func loadTopics(fsys fs.FS, order []topicRef, errs *diag.List) []*Topic {
	listed := map[string]bool{}
	var topics []*Topic
	for _, ref := range order {
		listed[ref.slug] = true
		file := TopicsDir + "/" + ref.slug + ".md"
		src, err := readSource(fsys, file)
		if err != nil {
			errs.Addf(SiteFile, ref.line, "topic %q: cannot read %s: %v", ref.slug, file, diag.Cause(err))
			continue
		}
		t := &Topic{File: file, Slug: ref.slug, Hash: xxhash.Sum64(src)}
		t.Title, t.Summary, t.Notes, t.Body, t.BodyLine = titled(file, src, errs)
		topics = append(topics, t)
	}
	files, _ := fs.Glob(fsys, TopicsDir+"/*.md")
	for _, f := range files {
		slug := strings.TrimSuffix(path.Base(f), ".md")
		if !listed[slug] {
			errs.Addf(f, 0, "topic %q is not listed under topics: in %s", slug, SiteFile)
		}
	}
	return topics
}

// titled reads a topic or a page: its front matter's title and summary,
// both required, and notes, then its Markdown.
func titled(file string, src []byte, errs *diag.List) (title, summary string, notes diag.List, body []byte, bodyLine int) {
	var nt noteField
	parsed, ok := parseFront(file, src, []field{
		{name: "title", required: true, set: str(&title)},
		{name: "summary", required: true, set: str(&summary)},
		{name: "notes", set: nt.set},
	}, errs)
	if ok {
		body, bodyLine = parsed.Body, parsed.BodyLine
		notes = nt.list(file, parsed.FrontLine-1, errs)
	}
	return title, summary, notes, body, bodyLine
}

// parseFront splits src and applies fields to its front matter.
func parseFront(file string, src []byte, fields []field, errs *diag.List) (markdown.Source, bool) {
	parsed, err := markdown.Split(src)
	if err != nil {
		errs.Addf(file, 1, "%v", err)
		return parsed, false
	}
	if m, ok := simpleFront(parsed.Front); ok {
		decodeMapping(file, parsed.FrontLine-1, 1, m, fields, errs)
		return parsed, true
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(parsed.Front, &doc); err != nil {
		errs.Add(yamlError(file, parsed.FrontLine-1, err))
		return parsed, false
	}
	if len(doc.Content) == 0 {
		for _, f := range fields {
			if f.required {
				errs.Addf(file, 1, "missing field %q", f.name)
			}
		}
		return parsed, true
	}
	decodeMapping(file, parsed.FrontLine-1, 1, doc.Content[0], fields, errs)
	return parsed, true
}

// ParseStory parses one story file. file is its path from the site root.
func ParseStory(file string, src []byte) (*Story, diag.List) {
	var errs diag.List
	s := &Story{File: file, Slug: strings.TrimSuffix(path.Base(file), ".md"), Hash: xxhash.Sum64(src)}
	if !slugPattern.MatchString(s.Slug) {
		errs.Addf(file, 0, "file name %q: expected lower-case ASCII letters, digits and hyphens before .md (it becomes the address /news/NAME/)", path.Base(file))
	}
	var nt noteField
	var corrections *yaml.Node
	parsed, ok := parseFront(file, src, []field{
		{name: "title", required: true, set: str(&s.Title)},
		{name: "date", required: true, set: date(&s.Date)},
		{name: "summary", required: true, set: str(&s.Summary)},
		{name: "topics", set: list(&s.Topics, &s.topicLn)},
		{name: "tags", set: list(&s.Tags, &s.tagLn)},
		{name: "cover", set: func(n *yaml.Node) error {
			s.CoverLine = n.Line
			return str(&s.Cover)(n)
		}},
		{name: "cover_alt", set: str(&s.CoverAlt)},
		{name: "draft", set: boolean(&s.Draft)},
		{name: "sample", set: boolean(&s.Sample)},
		{name: "notes", set: nt.set},
		{name: "corrections", set: func(n *yaml.Node) error { corrections = n; return nil }},
	}, &errs)
	if ok {
		s.Body, s.BodyLine = parsed.Body, parsed.BodyLine
		h := xxhash.New()
		h.WriteString(file)
		h.Write([]byte{0})
		h.Write(parsed.Front)
		h.WriteString(strconv.Itoa(parsed.BodyLine))
		s.FrontHash = h.Sum64()
		off := parsed.FrontLine - 1
		s.Notes = nt.list(file, off, &errs)
		s.Corrections = readCorrections(file, corrections, off, s.Date, &errs)
		for i := range s.topicLn {
			s.topicLn[i] += off
		}
		for i, tag := range s.Tags {
			s.tagLn[i] += off
			if msg := tagProblem(tag); msg != "" {
				errs.Addf(file, s.tagLn[i], "tag %q: %s", tag, msg)
			}
		}
		if s.CoverLine > 0 {
			s.CoverLine += off
		}
	}
	s.finish()
	return s, errs
}

// finish computes what the story's methods return often, once.
func (s *Story) finish() {
	s.url = "/news/" + s.Slug + "/"
	s.key = storyKey(s.File, s.Hash)
	s.topicsKey = strings.Join(s.Topics, " ")
	s.tagsKey = strings.Join(s.Tags, "\x00")
}

// StoryFiles lists the story files, content/news/*.md, sorted.
func StoryFiles(fsys fs.FS) ([]string, error) {
	return fs.Glob(fsys, NewsDir+"/*.md")
}

// IsStoryFile reports whether a slash-separated path from the site root
// names a story file.
func IsStoryFile(name string) bool {
	return path.Dir(name) == NewsDir && strings.HasSuffix(name, ".md")
}

// Parsed is one story file after parsing: the story, or its errors.
type Parsed struct {
	Story *Story
	Errs  diag.List
}

// ParseStories reads and parses files in parallel, in the order given.
func ParseStories(fsys fs.FS, files []string) []Parsed {
	results := make([]Parsed, len(files))
	_ = parallel.For(context.Background(), len(files), 0, func(i int) error {
		results[i] = ReadStory(fsys, files[i])
		return nil
	})
	return results
}

// ReadStory reads and parses one story file.
func ReadStory(fsys fs.FS, file string) Parsed {
	src, err := readSource(fsys, file)
	if err != nil {
		return Parsed{Errs: diag.List{diag.Errorf(file, 0, "cannot read: %v", diag.Cause(err))}}
	}
	s, errs := ParseStory(file, src)
	return Parsed{Story: s, Errs: errs}
}

// maxSourceSize bounds what is read of a story or topic file: its Markdown
// may be markdown.MaxSize bytes, and the front matter comes on top.
const maxSourceSize = markdown.MaxSize + 64<<10

// fileNReader is a file system that reads the first n bytes of a file in
// one step (gen/internal/dirfs does, in one read system call).
type fileNReader interface {
	ReadFileN(name string, n int64) ([]byte, error)
}

// readFileN reads at most the first n bytes of file.
func readFileN(fsys fs.FS, file string, n int64) ([]byte, error) {
	if r, ok := fsys.(fileNReader); ok {
		return r.ReadFileN(file, n)
	}
	f, err := fsys.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, n))
}

// readSource reads a Markdown source file, refusing one too big to be a
// story before reading it whole.
func readSource(fsys fs.FS, file string) ([]byte, error) {
	src, err := readFileN(fsys, file, maxSourceSize+1)
	if err != nil {
		return nil, err
	}
	if len(src) > maxSourceSize {
		return nil, fmt.Errorf("the file is over %d KB, more than a story may hold (%d KB of Markdown): split it into several stories", maxSourceSize>>10, markdown.MaxSize>>10)
	}
	return src, nil
}
