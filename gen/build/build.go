package build

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"gongjian/gen/content"
	"gongjian/gen/diag"
	"gongjian/gen/internal/dirfs"
	"gongjian/gen/markdown"
	"gongjian/gen/output"
	"gongjian/gen/photo"
	"gongjian/gen/search"
	"gongjian/gen/theme"
)

// Options say what to build and where.
type Options struct {
	Src     string // the site folder (content/, data/, themes/)
	Out     string // the output folder; default Src/public
	BaseURL string // overrides baseURL in content/site.yaml
	Drafts  bool   // include stories marked draft: true
	Theme   string // default "default"
	Strict  bool   // missing alt text or captions, and what Markdown leaves out, are errors, not warnings
	// CacheDir keeps work between builds (processed photos); default
	// Src/.cache.
	CacheDir string
	// Progress receives progress bars for long work (photo processing);
	// nil shows none.
	Progress io.Writer
	Logf     func(format string, args ...any)
}

// Stats describe a finished build.
type Stats struct {
	Stories int
	Pages   int // HTML pages
	Files   int // every file written
	Elapsed time.Duration
}

// Writer receives the built files. WriteFile must not keep data after it
// returns, and must be safe for concurrent use.
type Writer interface {
	WriteFile(path string, data []byte) error
}

// Build loads, checks and renders the site at opt.Src, and swaps the result
// into opt.Out. When anything fails, opt.Out is left exactly as it was.
func Build(ctx context.Context, opt Options) (Stats, error) {
	start := time.Now()
	opt = opt.withDefaults()
	s, err := Load(ctx, dirfs.New(opt.Src), opt)
	if err != nil {
		return Stats{}, err
	}
	dir, err := output.Create(opt.Out, opt.Src)
	if err != nil {
		return Stats{}, fmt.Errorf("write: %w", err)
	}
	s.oneShot = true
	stats, err := s.Render(ctx, dir)
	if err != nil {
		_ = dir.Abort()
		return Stats{}, err
	}
	if err := dir.Commit(); err != nil {
		_ = dir.Abort()
		return Stats{}, fmt.Errorf("write: %w", err)
	}
	// The build saw every photo the site uses: the rest of the photo
	// cache is photos since removed or edited.
	if n, err := s.photos.proc.Prune(); err != nil {
		opt.Logf("warning: photo cache: %v", err)
	} else if n > 0 {
		opt.Logf("photo cache: removed %d files no page uses", n)
	}
	stats.Elapsed = time.Since(start)
	return stats, nil
}

func (opt Options) withDefaults() Options {
	if opt.Src == "" {
		opt.Src = "."
	}
	if opt.Out == "" {
		opt.Out = filepath.Join(opt.Src, "public")
	}
	if opt.Theme == "" {
		opt.Theme = "default"
	}
	if opt.CacheDir == "" {
		opt.CacheDir = filepath.Join(opt.Src, ".cache")
	}
	if opt.Logf == nil {
		opt.Logf = func(string, ...any) {}
	}
	return opt
}

// Site is a loaded and checked site, ready to render.
type Site struct {
	Content *content.Site
	Theme   *theme.Theme
	opt     Options
	conv    *markdown.Converter
	byTopic map[string][]*content.Story
	byTag   map[string][]*content.Story
	tags    []TagCount
	topics  map[string]*content.Topic
	cache   partialCache
	photos  *photos
	sent    map[string]bool // photos already written (watch mode)
	data    *data
	figs    []FigureView
	docs    docs
	oneShot bool            // nothing renders twice: sources can be dropped once rendered
	quotes  map[uint64]bool // story hash → whether it quotes datasets; jobs only
	pageIDs map[string]bool // ids the theme's templates write; headings avoid them
}

func newSite(fsys fs.FS, opt Options) *Site {
	return &Site{opt: opt, conv: markdown.New(), photos: newPhotos(fsys, opt), sent: map[string]bool{}, docs: docs{all: map[string]search.Doc{}}}
}

// Load reads and checks everything the site is built from. The error, if
// any, is a diag.List with every problem found.
func Load(ctx context.Context, fsys fs.FS, opt Options) (*Site, error) {
	opt = opt.withDefaults()
	c, errs := content.Load(fsys, content.Options{Drafts: opt.Drafts})
	s := newSite(fsys, opt)
	errs.Merge(s.loadTheme(fsys, c.Language))
	errs.Merge(s.photos.loadAlbums(ctx, c, opt.Strict, opt.Logf))
	if err := errs.Err(); err != nil {
		return nil, err
	}
	s.setContent(c)
	if err := s.loadData(fsys).Err(); err != nil {
		return nil, err
	}
	if err := s.evalFigures().Err(); err != nil {
		return nil, err
	}
	return s, nil
}

// evalFigures computes the home page's headline figures.
func (s *Site) evalFigures() diag.List {
	figs, errs := s.figures()
	s.figs = figs
	return errs
}

// loadTheme loads the theme for lang, with the site's template functions.
func (s *Site) loadTheme(fsys fs.FS, lang string) diag.List {
	th, errs := theme.Load(fsys, s.opt.Theme, lang, s.funcs())
	if len(errs) == 0 {
		for _, kind := range requiredKinds {
			if !th.Has(kind) {
				errs.Addf(th.Dir+"/templates/pages/"+kind+".html", 0, "missing page template")
			}
		}
	}
	s.Theme = th
	s.pageIDs = templateIDs(fsys, th.Dir)
	return errs
}

// setContent makes c the site's content and derives the indexes lists need.
func (s *Site) setContent(c *content.Site) {
	if s.opt.BaseURL != "" {
		c.BaseURL = strings.TrimSuffix(s.opt.BaseURL, "/") + "/"
	}
	s.Content = c
	s.derive()
}

var requiredKinds = []string{"home", "story", "list", "topic", "topics", "tags", "404", "albums", "album", "data", "dataset", "rows"}

// derive builds the indexes that list pages need.
func (s *Site) derive() {
	s.byTopic = map[string][]*content.Story{}
	s.byTag = map[string][]*content.Story{}
	s.topics = map[string]*content.Topic{}
	for _, t := range s.Content.Topics {
		s.topics[t.Slug] = t
	}
	for _, st := range s.Content.Stories {
		for _, t := range st.Topics {
			s.byTopic[t] = append(s.byTopic[t], st)
		}
		for _, tag := range st.Tags {
			s.byTag[tag] = append(s.byTag[tag], st)
		}
	}
	s.tags = nil
	for tag, list := range s.byTag {
		s.tags = append(s.tags, TagCount{Tag: tag, URL: content.TagURL(tag), Count: len(list)})
	}
	sortTags(s.tags)
}

func (s *Site) funcs() template.FuncMap {
	return template.FuncMap{
		"topic":      func(slug string) *content.Topic { return s.topics[slug] },
		"tagURL":     content.TagURL,
		"abs":        s.abs,
		"cached":     s.cached,
		"cachedEach": s.cachedEach,
	}
}

// cached renders the theme's partial name with data once per key and build,
// and reuses the HTML wherever the same key comes again: a story's card shows
// on list, topic, tag and related lists, the header is the same on every
// page of a section. The key must identify everything the partial shows.
func (s *Site) cached(name, key string, data any) (template.HTML, error) {
	k := cacheKey{name, key}
	if h, ok := s.cache.load(k); ok {
		return h, nil
	}
	var b strings.Builder
	if err := s.Theme.Partial(&b, name, data); err != nil {
		return "", err
	}
	h := template.HTML(b.String())
	s.cache.store(k, h)
	return h, nil
}

// keyer is what cachedEach needs of a list's items: a key that identifies
// everything the partial shows of the item.
type keyer interface{ Key() string }

// cachedEach renders the partial name for each item of list (a slice whose
// items have a Key method) as cached does, each on a new line: one template
// call for a whole list of cards or pager links instead of three actions
// per item.
func (s *Site) cachedEach(name string, list any) (template.HTML, error) {
	var (
		small [16]template.HTML
		parts = small[:0]
		size  int
	)
	add := func(item keyer) error {
		h, err := s.cached(name, item.Key(), item)
		parts = append(parts, h)
		size += 1 + len(h)
		return err
	}
	switch l := list.(type) {
	case []*content.Story:
		for _, st := range l {
			if err := add(st); err != nil {
				return "", err
			}
		}
	case []PageLink:
		for _, pl := range l {
			if err := add(pl); err != nil {
				return "", err
			}
		}
	default:
		v := reflect.ValueOf(list)
		if v.Kind() != reflect.Slice {
			return "", fmt.Errorf("cachedEach %q: %T is not a list", name, list)
		}
		for i := range v.Len() {
			item, ok := v.Index(i).Interface().(keyer)
			if !ok {
				return "", fmt.Errorf("cachedEach %q: %s has no Key method", name, v.Index(i).Type())
			}
			if err := add(item); err != nil {
				return "", err
			}
		}
	}
	var b strings.Builder
	b.Grow(size)
	for _, h := range parts {
		b.WriteByte('\n')
		b.WriteString(string(h))
	}
	return template.HTML(b.String()), nil
}

// cacheKey names one rendering of a cached partial.
type cacheKey struct{ name, key string }

// partialCache holds rendered partials. Lookups outnumber stores a
// hundredfold once the cards are rendered; a map of comparable keys behind
// a read lock hashes the two strings directly, where sync.Map's interface
// keys cost nilinterhash and ifaceeq (4% of a build's profile).
type partialCache struct {
	mu sync.RWMutex
	m  map[cacheKey]template.HTML
}

func (c *partialCache) load(k cacheKey) (template.HTML, bool) {
	c.mu.RLock()
	h, ok := c.m[k]
	c.mu.RUnlock()
	return h, ok
}

func (c *partialCache) store(k cacheKey, h template.HTML) {
	c.mu.Lock()
	if c.m == nil {
		c.m = map[cacheKey]template.HTML{}
	}
	c.m[k] = h
	c.mu.Unlock()
}

// clear forgets every rendering, for a rebuild after the theme changed.
func (c *partialCache) clear() {
	c.mu.Lock()
	c.m = nil
	c.mu.Unlock()
}

// abs makes a site path absolute with the base URL.
func (s *Site) abs(path string) string {
	return s.Content.BaseURL + strings.TrimPrefix(path, "/")
}

// job is one file to produce.
type job struct {
	out  string // output path, e.g. news/a/index.html
	kind string // page template, or "" for a file with data
	page *Page
	md   *mdSource // Markdown to convert into page.Body first
	data []byte
	deps uint64 // hash of inputs the page shows beyond its Page fields (datasets, photos)
}

type mdSource struct {
	file string
	line int
	src  []byte
}

// Render produces every file of the site into w, in parallel, and the
// search index. The index is built as soon as the last page it covers has
// rendered, while the list pages render.
func (s *Site) Render(ctx context.Context, w Writer) (Stats, error) {
	var (
		indexed  = make(chan error, 1)
		started  bool
		startIdx func()
	)
	if s.searchable() {
		startIdx = func() {
			started = true
			go func() { indexed <- s.searchIndex(w) }()
		}
	}
	jobs := s.jobs()
	if err := s.checkOutputs(jobs).Err(); err != nil {
		return Stats{}, err
	}
	stats, err := s.renderJobs(ctx, jobs, w, startIdx)
	if started {
		// Wait even when rendering failed: the index writes into w.
		if ierr := <-indexed; ierr != nil && err == nil {
			err = fmt.Errorf("search index: %w", ierr)
		}
	}
	if err != nil {
		return Stats{}, err
	}
	return stats, nil
}

// renderJobs produces the files of jobs into w, in parallel. Pages with
// Markdown render first; when they all have, textDone (if not nil) is called
// once, from one goroutine: the text of every page is known. It is not
// called when the context is cancelled first.
func (s *Site) renderJobs(ctx context.Context, jobs []*job, w Writer, textDone func()) (Stats, error) {
	var (
		mu    sync.Mutex
		errs  diag.List
		other []error
		pages int
	)
	fail := func(err error) {
		mu.Lock()
		other = append(other, err)
		mu.Unlock()
	}
	// Pages render on every core, but one goroutine writes them: creating
	// files and folders side by side in one folder contends on the
	// folder's lock in the kernel, and on this machine two writers took
	// twice as long as one for the 10,000 story folders of news/. Pages
	// go to it in batches, and renderers take jobs by an atomic index:
	// a channel operation per page woke a sleeping goroutine per page,
	// and those wake-ups (futex, and the runtime's nanosleep while it
	// looks for work) cost more system time than the writes.
	type file struct {
		path string
		data []byte
		buf  *bytes.Buffer // returned to bufs once written
	}
	const batchSize = 16
	bufs := sync.Pool{New: func() any { return new(bytes.Buffer) }}
	batches := make(chan []file, 4)
	written := make(chan struct{})
	go func() {
		defer close(written)
		for batch := range batches {
			for _, f := range batch {
				if err := w.WriteFile(f.path, f.data); err != nil {
					fail(fmt.Errorf("write: %w", err))
				}
				if f.buf != nil {
					bufs.Put(f.buf)
				}
			}
		}
	}()
	// Markdown pages first, each group in the order of jobs.
	order := make([]*job, 0, len(jobs))
	for _, j := range jobs {
		if j.md != nil {
			order = append(order, j)
		}
	}
	var mdLeft atomic.Int64
	mdLeft.Store(int64(len(order)))
	for _, j := range jobs {
		if j.md == nil {
			order = append(order, j)
		}
	}
	if textDone != nil && mdLeft.Load() == 0 {
		textDone()
		textDone = nil
	}
	var (
		next      atomic.Int64
		cancelled atomic.Bool
		wg        sync.WaitGroup
	)
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var local diag.List
			var n int
			batch := make([]file, 0, batchSize)
			send := func(f file) {
				batch = append(batch, f)
				if len(batch) == batchSize {
					batches <- batch
					batch = make([]file, 0, batchSize)
				}
			}
			for {
				i := int(next.Add(1)) - 1
				if i >= len(order) {
					break
				}
				if ctx.Err() != nil {
					cancelled.Store(true)
					break
				}
				j := order[i]
				if j.kind == "" {
					send(file{path: j.out, data: j.data})
					continue
				}
				buf := bufs.Get().(*bytes.Buffer)
				buf.Reset()
				err := s.renderPage(ctx, buf, j, &local)
				if j.md != nil && mdLeft.Add(-1) == 0 && textDone != nil {
					textDone()
				}
				if err != nil {
					fail(err)
					bufs.Put(buf)
					continue
				}
				n++
				send(file{path: j.out, data: buf.Bytes(), buf: buf})
			}
			if len(batch) > 0 {
				batches <- batch
			}
			mu.Lock()
			errs.Merge(local)
			pages += n
			mu.Unlock()
		}()
	}
	wg.Wait()
	close(batches)
	<-written
	if cancelled.Load() {
		return Stats{}, ctx.Err()
	}
	if err := errs.Err(); err != nil {
		return Stats{}, err
	}
	if len(other) > 0 {
		return Stats{}, errors.Join(other...)
	}
	if err := s.photos.publish(w, s.sent); err != nil {
		return Stats{}, err
	}
	return Stats{Stories: len(s.Content.Stories), Pages: pages, Files: len(jobs)}, nil
}

func (s *Site) renderPage(ctx context.Context, buf *bytes.Buffer, j *job, errs *diag.List) error {
	p := j.page
	if p.Pager == nil {
		p.Pager = p.pager.make()
	}
	if st := p.Story; st != nil && st.Cover != "" && p.Cover == nil {
		pr, err := s.photos.image(ctx, st.File, st.Cover)
		if err != nil {
			errs.Addf(st.File, st.CoverLine, "cover image: %v", err)
		} else {
			pv := newPhotoView(photo.Photo{File: st.Cover, Alt: cmp.Or(st.CoverAlt, st.Title)}, pr)
			p.Cover = &pv
			p.Image = s.abs(pv.Img.Src)
		}
	}
	if j.md != nil {
		var drawn bool
		blocks, figure := s.chartHooks(&drawn)
		hooks := &markdown.Hooks{Image: s.inlineImage(ctx, j.md.file), Blocks: blocks, Figure: figure}
		index := s.searchable() && (p.Kind == "story" || p.Kind == "topic")
		doc, derrs := s.conv.Convert(j.md.src, markdown.Options{File: j.md.file, Line: j.md.line, Hooks: hooks, Text: index, ReservedIDs: s.pageIDs})
		errs.Merge(derrs)
		if s.opt.Strict {
			errs.Merge(doc.Warnings)
		} else {
			for _, w := range doc.Warnings {
				s.opt.Logf("warning: %v", w)
			}
		}
		// doc.HTML is the page's own copy, never written again: the body
		// can share its bytes instead of copying them into a string.
		p.Body = template.HTML(unsafe.String(unsafe.SliceData(doc.HTML), len(doc.HTML)))
		if index {
			sd := search.Doc{URL: p.Path, Title: p.Title, Kind: p.Kind, Summary: p.Description, Text: doc.Text, Date: p.Date}
			if p.Story != nil {
				sd.Tags = p.Story.Tags
			}
			s.docs.put(sd)
		}
		if drawn && !hasDrawnChart(p.Charts) {
			p.Scripts = s.chartScripts(p.Scripts)
		}
	}
	err := s.Theme.Render(buf, j.kind, p)
	// The page is written; its HTML need not live as long as the job list
	// (10,000 story bodies would otherwise stay in memory until the end).
	p.Body = ""
	if s.oneShot && j.md != nil {
		j.md.src = nil
		if p.Story != nil {
			p.Story.Body = nil
		}
	}
	if err != nil {
		return fmt.Errorf("render %s: %w", j.out, err)
	}
	return nil
}
