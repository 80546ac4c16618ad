package pipeline

import (
	"context"
	"io"
	"io/fs"
	"path/filepath"
	"strings"
	"time"

	"gongjian/gen/albums"
	"gongjian/gen/catalog"
	"gongjian/gen/content"
	"gongjian/gen/diag"
	"gongjian/gen/history"
	"gongjian/gen/places"
	"gongjian/gen/render"
	"gongjian/gen/search"
	"gongjian/gen/site"
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
	// CacheDir keeps work between builds (processed photos, the record
	// of what the last build wrote); default Src/.cache.
	CacheDir string
	// Full makes Build write the whole site, as if it kept no record.
	Full bool
	// Progress receives progress bars for long work (photo processing);
	// nil shows none.
	Progress io.Writer
	Logf     func(format string, args ...any)
	// Interpret runs the theme's templates with html/template alone, as
	// the test of the compiled templates does.
	Interpret bool
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

// Stats describe a finished build.
type Stats struct {
	Stories int
	Pages   int // HTML pages
	Files   int // every file the site has
	// Rendered and Written are the pages rendered and the files written
	// by this build; a build that had a record of the last one renders
	// and writes only what changed since.
	Rendered, Written int
	// Indexed is the documents the search index tokenized: all of them
	// in a full build, those that changed in a build from a record (or
	// all, past search.Writer's bounds), 0 when the index was as it was.
	Indexed int
	Elapsed time.Duration
}

// Writer receives the built files. WriteFile must not keep data after it
// returns, and must be safe for concurrent use.
type Writer interface {
	WriteFile(path string, data []byte) error
}

// A Feature is a part of the site beyond stories and topics: photo albums,
// datasets with their charts, search. It reads its own sources, adds its
// pages and files to the plan and what it shows on pages others make, and
// may prepare pages as they render (render.Hook) and write files once the
// pages have rendered (Finish).
type Feature interface {
	// Owns reports whether a source file (a slash-separated path from the
	// site root) is read by Load: a change to it loads the feature again.
	Owns(path string) bool
	// Load reads and checks the feature's sources against the model.
	Load(ctx context.Context, fsys fs.FS, m *site.Model) diag.List
	// Plan adds the feature's pages and files, and the inputs they are
	// made from.
	Plan(pl *site.Plan)
}

// finisher is a feature that writes files once the pages that use them
// have rendered (the photos they show).
type finisher interface {
	Finish(ctx context.Context, w albums.Writer) error
}

// pageKinds are the page templates a theme must have.
var pageKinds = []string{"home", "story", "list", "topic", "topics", "tags", "404", "albums", "album", "data", "dataset", "rows", "place"}

// engine is a site's renderer and features, shared by Build and Session.
type engine struct {
	fsys   fs.FS
	opt    Options
	r      *render.Renderer
	albums *albums.Feature
	data   *catalog.Feature
	places *places.Feature
	// search collects the text of pages as they render, whether or not
	// the theme has a search page (searchPage), so that its text is whole
	// when the page comes back.
	search     *search.Feature
	searchPage bool
	hist       *history.Feature
	// indexed, if not nil, is told the path of every search index file
	// render writes; one goroutine calls it, and render returns after.
	indexed func(path string)
	// index writes the search index in render; nil: a new Writer.
	index *search.Writer
	// indexSum is what a record keeps of the documents the last render
	// wrote the index of (see docsSum); 0 when it wrote none.
	indexSum uint64
}

func newEngine(fsys fs.FS, opt Options, keep bool) *engine {
	// The history is read from the site folder on disk: a site given only
	// as fsys, with no folder named, has none.
	e := &engine{fsys: fsys, hist: history.New(opt.Src, opt.Logf)}
	opt = opt.withDefaults()
	e.opt = opt
	e.r = render.New(render.Options{Strict: opt.Strict, Logf: opt.Logf, Keep: keep, Interpret: opt.Interpret})
	e.albums = albums.New(fsys, albums.Options{CacheDir: opt.CacheDir, Progress: opt.Progress, Strict: opt.Strict, Logf: opt.Logf})
	e.data = catalog.New(func() *theme.Theme { return e.r.Theme }, opt.Logf)
	e.places = places.New(e.data, e.albums)
	e.search = search.NewFeature(e.albums, e.data, e.places)
	return e
}

// features are the site's features, in the order their pages are planned.
func (e *engine) features() []Feature {
	// The compounds' pages are planned from what albums and data loaded.
	fs := []Feature{e.albums, e.data, e.places}
	if e.searchPage {
		fs = append(fs, e.search)
	}
	// History shows on pages the others plan: it plans last.
	return append(fs, e.hist)
}

// hooks are the features that prepare pages as they render.
func (e *engine) hooks() []render.Hook {
	var hs []render.Hook
	for _, f := range e.features() {
		if h, ok := f.(render.Hook); ok {
			hs = append(hs, h)
		}
	}
	if !e.searchPage {
		hs = append(hs, e.search)
	}
	return hs
}

// loadTheme loads the theme and, with it, decides whether the site has
// search; a theme that fails to load leaves that as it was.
func (e *engine) loadTheme(lang string) diag.List {
	errs := e.r.LoadTheme(e.fsys, e.opt.Theme, lang, pageKinds)
	if len(errs) == 0 {
		e.searchPage = e.r.Theme.Has("search")
	}
	return errs
}

// model derives the site model from c, with the base URL the options give.
func (e *engine) model(c *content.Site) *site.Model {
	if e.opt.BaseURL != "" {
		c.BaseURL = strings.TrimSuffix(e.opt.BaseURL, "/") + "/"
	}
	m := site.New(c)
	e.r.SetModel(m)
	return m
}

// planAside starts planning the pages of m's stories and topics
// (site.NewPlan) on another goroutine, while the caller loads the
// features: planning reads the model and the theme, which loading a
// feature does not change. finish waits for that plan and completes it
// with the features' pages and the site's files; it must be called,
// after the features loaded, before anything changes the model or the
// theme. The content and the theme must have loaded without problems.
func (e *engine) planAside(m *site.Model) (finish func() *site.Plan) {
	th := e.r.Theme
	// The theme's js/site.js, if it has one, loads on every page; other
	// scripts (charts, search) load where they are needed.
	var scripts []string
	if js := th.Asset("js/site.js"); js != "" {
		scripts = []string{js}
	}
	planned := make(chan *site.Plan, 1)
	go func() {
		planned <- site.NewPlan(m, site.Theme{CSS: "/" + th.CSS.Path, Scripts: scripts, T: th.T, Asset: th.Asset})
	}()
	return func() *site.Plan { return e.finishPlan(<-planned) }
}

// finishPlan adds to pl the features' pages and the site's files.
func (e *engine) finishPlan(pl *site.Plan) *site.Plan {
	th := e.r.Theme
	for _, f := range e.features() {
		f.Plan(pl)
	}
	files := []site.File{{Path: th.CSS.Path, Data: th.CSS.Data}}
	for _, f := range th.Static {
		files = append(files, site.File{Path: f.Path, Data: f.Data, From: site.Origin{File: f.Src}})
	}
	pl.Finish(files)
	return pl
}

// Site is a loaded and checked site, ready to render.
type Site struct {
	*site.Plan
	e *engine
}

// Load reads and checks everything the site is built from. The error, if
// any, is a diag.List with every problem found.
func Load(ctx context.Context, fsys fs.FS, opt Options) (*Site, error) {
	e := newEngine(fsys, opt, false)
	opt = e.opt
	c, errs := content.Load(fsys, content.Options{Drafts: opt.Drafts})
	errs.Merge(e.loadTheme(c.Language))
	m := e.model(c)
	var plan func() *site.Plan
	if errs.Err() == nil {
		plan = e.planAside(m)
	}
	for _, f := range e.features() {
		errs.Merge(f.Load(ctx, fsys, m))
	}
	if plan != nil {
		pl := plan()
		if errs.Err() == nil {
			e.logNotes(c)
			return &Site{Plan: pl, e: e}, nil
		}
	}
	return nil, errs.Err()
}

// Render produces every file of the site into w, in parallel, and the
// search index.
func (s *Site) Render(ctx context.Context, w Writer) (Stats, error) {
	if err := checkOutputs(s.Plan).Err(); err != nil {
		return Stats{}, err
	}
	res, err := s.e.render(ctx, s.Pages, s.Files, w, true)
	if err != nil {
		return Stats{}, err
	}
	return Stats{Stories: len(s.Content.Stories), Pages: res.pages, Files: len(s.Pages) + len(s.Files)}, nil
}
