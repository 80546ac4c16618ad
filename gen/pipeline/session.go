package pipeline

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/cespare/xxhash/v2"

	"gongjian/gen/content"
	"gongjian/gen/diag"
	"gongjian/gen/internal/parallel"
	"gongjian/gen/search"
	"gongjian/gen/site"
)

// Session keeps a site between builds, so that watch mode re-reads only the
// files that changed and renders again exactly the pages whose inputs
// changed. What a page depends on is derived, not listed by hand: its
// fingerprint covers everything its template can reach from the page
// (site.Fingerprint), and rendering records what hooks read beyond that
// (a dataset a figure quotes, a photo).
type Session struct {
	fsys    fs.FS
	opt     Options
	e       *engine
	parsed  map[string]content.Parsed // story file → parse result
	files   []string                  // the keys of parsed, sorted; nil when they changed
	model   *site.Model
	plan    *site.Plan // of the last update that rendered; nil after one failed
	pages   map[string]*pageState
	sums    map[string]uint64 // output path of a file that is not a page → hash of its data
	outputs []string          // paths of the last plan that passed checkOutputs
	theme   uint64            // hash of the theme's files and the options
	loaded  bool
	failed  map[Feature]bool // features whose last Load failed: loaded again until one succeeds
	themeOK bool
	photos  map[string]bool // output paths of the photos of the last good update
	index   Indexer         // the search index of SearchIndex

	site     uint64 // version of the site settings the pages were rendered with
	lang     string // the site's language, whose UI strings the theme loaded
	haveSite bool   // site and lang are known
	// w, when not nil, receives what updates render, and the search
	// index, instead of Result.Files (gen build).
	w Writer
	// docs identifies the documents of the search index last written
	// (see docsSum); gen build only.
	docs uint64
	// kept is what features kept from the build a record describes,
	// given back to each after its next Load.
	kept map[string][]byte
	// resumed is whether the pages' states are a record's and no update
	// has run since (resume); outside is what the record says each
	// outsider read.
	resumed bool
	outside map[string]uint64
	// early, when not nil, gives the theme loaded for the language of a
	// record while the session took up the rest of it (prefetchTheme).
	early chan themeLoad
}

// themeLoad is a theme loaded for lang: its problems, else its hash.
type themeLoad struct {
	lang string
	errs diag.List
	hash uint64
}

// prefetchTheme starts loading the theme for lang on another goroutine,
// for the next update to take if the site's language is still lang: a
// build from a record reads its sources on one core until then. Nothing
// may use the engine's renderer until that update.
func (ss *Session) prefetchTheme(lang string) {
	ch := make(chan themeLoad, 1)
	go func() { ch <- ss.loadTheme(lang) }()
	ss.early = ch
}

// loadTheme loads the theme for lang and hashes it.
func (ss *Session) loadTheme(lang string) themeLoad {
	t := themeLoad{lang: lang, errs: ss.e.loadTheme(lang)}
	if len(t.errs) == 0 {
		t.hash = ss.themeHash()
	}
	return t
}

// An outsider is a feature that reads more than the source files, whose
// stamps tell what changed since a record: the history reads the site's
// git history, which a commit changes and no file. Version identifies
// what its last Load read.
type outsider interface {
	Version() uint64
}

// A keeper is a feature with state of its own that gen build keeps between
// runs with the rest of its record (what pages showed of it).
type keeper interface {
	// Keep encodes the state into w.
	Keep(w io.Writer) error
	// Resume takes back a state Keep encoded, after Load. data is the
	// feature's own: it may keep parts of it.
	Resume(ctx context.Context, data []byte) error
}

// featureName names a feature in a record.
func featureName(f Feature) string { return fmt.Sprintf("%T", f) }

// pageState is what a page was rendered from.
type pageState struct {
	fp    uint64
	keys  []string   // the inputs the plan gave the page
	reads site.Reads // what it read while rendering
}

// NewSession prepares a session over fsys (the site root); nothing is read
// until the first Update.
func NewSession(fsys fs.FS, opt Options) *Session {
	return newSession(fsys, opt, true)
}

// newSession makes a session whose pages keep their Markdown after they
// render (keep), as a watch session needs for its next update, or drop it
// (a build, which renders each page once).
func newSession(fsys fs.FS, opt Options, keep bool) *Session {
	e := newEngine(fsys, opt, keep)
	ss := &Session{
		fsys:   fsys,
		opt:    e.opt,
		e:      e,
		parsed: map[string]content.Parsed{},
		pages:  map[string]*pageState{},
		sums:   map[string]uint64{},
		failed: map[Feature]bool{},
	}
	// The index's files, when updates write it (gen build), as Indexer
	// knows those it makes.
	e.indexed = func(p string) {
		if ss.index.last == nil {
			ss.index.last = map[string]bool{}
		}
		ss.index.last[p] = true
	}
	e.index = &ss.index.w
	return ss
}

// Result says what an update changed.
type Result struct {
	Files   map[string][]byte // new or changed output files
	Removed []string          // output paths no longer produced
	CSS     string            // path of the stylesheet, e.g. /css/site.1a2b3c4d.css
	Pages   int               // pages rendered
	Elapsed time.Duration
}

// Update applies changed, a list of slash-separated paths from the site root
// (nil: everything), and renders what they affect. On error (a diag.List for
// problems in the sources) nothing of the previous result is lost: the
// caller keeps serving what it has.
func (ss *Session) Update(ctx context.Context, changed []string) (*Result, error) {
	start := time.Now()
	var res *Result
	var err error
	if changed != nil && ss.loaded && ss.plan != nil {
		res, err = ss.bodies(ctx, changed)
	}
	if res == nil && err == nil {
		res, err = ss.update(ctx, changed)
	}
	if err != nil {
		ss.plan = nil
		return nil, err
	}
	ss.dropPhotos(res)
	res.Elapsed = time.Since(start)
	return res, nil
}

// dropPhotos adds to res.Removed the files of the photos that were
// published and that no album holds and no page shows any more: a photo
// replaced, deleted or no longer shown.
func (ss *Session) dropPhotos(res *Result) {
	shown := map[string]bool{}
	for _, st := range ss.pages {
		for k := range st.reads {
			shown[k] = true
		}
	}
	now := ss.e.albums.Published(func(src string) bool { return shown[src] })
	n := len(res.Removed)
	for p := range ss.photos {
		if !now[p] {
			res.Removed = append(res.Removed, p)
		}
	}
	if len(res.Removed) > n {
		slices.Sort(res.Removed)
	}
	ss.photos = now
}

// bodies handles the most common edit, in O(pages that show the edited
// stories): changed holds only stories whose front matter is as it was
// (and files no source claims, such as photos beside stories). The model
// and plan stay; each story takes its new body in place and the pages
// whose plan or reads name a changed file render again. It returns nil,
// nil when the change is anything else.
func (ss *Session) bodies(ctx context.Context, changed []string) (*Result, error) {
	type edit struct {
		old *content.Story
		new content.Parsed
	}
	var edits []edit
	for _, p := range changed {
		switch {
		case content.IsStoryFile(p):
			old := ss.parsed[p]
			if old.Story == nil || len(old.Errs) > 0 {
				return nil, nil
			}
			if _, err := fs.Stat(ss.fsys, p); err != nil {
				return nil, nil
			}
			np := content.ReadStory(ss.fsys, p)
			if !sameFront(old, np) {
				return nil, nil
			}
			if np.Story.Hash != old.Story.Hash {
				edits = append(edits, edit{old.Story, np})
			}
		case ss.claimed(p):
			return nil, nil
		}
	}
	keys := make(map[string]bool, len(changed))
	for _, p := range changed {
		keys[p] = true
	}
	for _, ed := range edits {
		*ed.old = *ed.new.Story
		ss.parsed[ed.old.File] = content.Parsed{Story: ed.old}
		ss.plan.Input(ed.old)
	}
	todo, fps := ss.touched(ss.plan, keys, func(p *site.Page) {
		if p.Story != nil && keys[p.Story.File] && p.Source != nil {
			src := *p.Source
			src.Src, src.Line, src.Version = p.Story.Body, p.Story.BodyLine, p.Story.Hash
			p.Source = &src
		}
	})
	return ss.render(ctx, ss.plan, todo, fps, nil)
}

// touched returns the pages of pl that must render again, and their
// fingerprints, when only keys changed and none of them changes the plan
// (the stories' bodies, files no source claims): the pages whose plan or
// reads name one of keys, or that have no state, are fingerprinted, after
// fresh has seen each; the rest are as they were.
func (ss *Session) touched(pl *site.Plan, keys map[string]bool, fresh func(*site.Page)) (todo []*site.Page, fps []print) {
	for _, p := range pl.Pages {
		st := ss.pages[p.Out]
		if st != nil && !touches(st, keys) {
			continue
		}
		if fresh != nil {
			fresh(p)
		}
		var fp print
		fp.fp, fp.keys = site.Fingerprint(p)
		if st == nil || st.fp != fp.fp || readsChanged(st.reads, pl.Versions, keys) {
			todo = append(todo, p)
			fps = append(fps, fp)
		}
	}
	return todo, fps
}

// touches reports whether a page's plan or reads name one of keys.
func touches(st *pageState, keys map[string]bool) bool {
	for _, k := range st.keys {
		if keys[k] {
			return true
		}
	}
	for k := range st.reads {
		if keys[k] {
			return true
		}
	}
	return false
}

// claimed reports whether p is read by anything but the pages that name
// it: the theme, the content settings, a feature.
func (ss *Session) claimed(p string) bool {
	if strings.HasPrefix(p, "themes/") || p == "content" || p == content.NewsDir || p == content.SiteFile ||
		p == content.TopicsDir || strings.HasPrefix(p, content.TopicsDir+"/") {
		return true
	}
	for _, f := range ss.e.features() {
		if f.Owns(p) {
			return true
		}
	}
	return false
}

// update loads what changed (everything when changed is nil), plans the
// whole site, and renders the pages whose fingerprint or reads changed.
func (ss *Session) update(ctx context.Context, changed []string) (*Result, error) {
	full := changed == nil || !ss.loaded
	// bodyOnly is whether the pages' states are those of the record the
	// session resumed, and what changed since are stories' bodies and
	// files no source claims, as for bodies: then only the pages that
	// name them need a fingerprint.
	bodyOnly := ss.resumed && !full
	ss.resumed = false
	var stories []string
	reloadTheme := full || !ss.themeOK
	for _, p := range changed {
		switch {
		case content.IsStoryFile(p):
			stories = append(stories, p)
		case strings.HasPrefix(p, "themes/"):
			reloadTheme = true
		case p == content.NewsDir || p == "content":
			full = true // the folder itself came or went
		}
	}
	if full {
		files, err := content.StoryFiles(ss.fsys)
		if err != nil {
			return nil, diag.List{diag.Errorf(content.NewsDir, 0, "%v", err)}
		}
		clear(ss.parsed)
		for i, p := range content.ParseStories(ss.fsys, files) {
			ss.parsed[files[i]] = p
		}
		ss.files = files
	} else {
		for _, f := range stories {
			old, known := ss.parsed[f]
			if _, err := fs.Stat(ss.fsys, f); err != nil {
				delete(ss.parsed, f)
				ss.files = nil
				bodyOnly = false
				continue
			}
			if !known {
				ss.files = nil
			}
			np := content.ReadStory(ss.fsys, f)
			bodyOnly = bodyOnly && sameFront(old, np)
			ss.parsed[f] = np
		}
	}
	ss.loaded = true
	if ss.files == nil {
		ss.files = make([]string, 0, len(ss.parsed))
		for f := range ss.parsed {
			ss.files = append(ss.files, f)
		}
		slices.Sort(ss.files)
	}
	parsed := make([]content.Parsed, len(ss.files))
	for i, f := range ss.files {
		parsed[i] = ss.parsed[f]
	}
	c, errs := content.Assemble(ss.fsys, parsed, content.Options{Drafts: ss.opt.Drafts})
	e := ss.e
	themeChanged := false
	if ss.haveSite && c.Language != ss.lang {
		reloadTheme = true // the theme's UI strings are those of the site's language
	}
	var early *themeLoad
	if ss.early != nil {
		t := <-ss.early
		ss.early, early = nil, &t
	}
	if reloadTheme {
		t := early
		if t == nil || t.lang != c.Language {
			l := ss.loadTheme(c.Language)
			t = &l
		}
		ss.themeOK = len(t.errs) == 0
		errs.Merge(t.errs)
		if ss.themeOK {
			themeChanged = t.hash != ss.theme
			ss.theme = t.hash
		}
	}
	siteChanged := !ss.haveSite || c.InputVersion() != ss.site
	m := e.model(c)
	var plan func() *site.Plan
	if errs.Err() == nil {
		plan = e.planAside(m)
	}
	ferr := ss.loadFeatures(ctx, m, full || siteChanged, changed, &errs)
	for _, f := range e.features() {
		if o, ok := f.(outsider); ok {
			v, known := ss.outside[featureName(f)]
			bodyOnly = bodyOnly && known && v == o.Version()
		}
	}
	var pl *site.Plan
	if plan != nil {
		pl = plan()
	}
	if ferr != nil {
		return nil, ferr
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	if outs := outputs(pl); !slices.Equal(outs, ss.outputs) {
		if err := checkOutputs(pl).Err(); err != nil {
			ss.outputs = nil
			return nil, err
		}
		ss.outputs = outs
	}

	everything := themeChanged || siteChanged
	if everything {
		e.r.Forget()
	}
	keys := make(map[string]bool, len(changed))
	for _, p := range changed {
		keys[p] = true
		bodyOnly = bodyOnly && (content.IsStoryFile(p) || !ss.claimed(p))
	}
	var (
		todo []*site.Page
		fps  []print
	)
	if bodyOnly && !everything {
		todo, fps = ss.touched(pl, keys, nil)
	} else {
		all := fingerprints(pl.Pages)
		for i, p := range pl.Pages {
			st := ss.pages[p.Out]
			if everything || st == nil || st.fp != all[i].fp || readsChanged(st.reads, pl.Versions, keys) {
				todo = append(todo, p)
				fps = append(fps, all[i])
			}
		}
	}
	var files []site.File
	sums := make(map[string]uint64, len(pl.Files))
	for _, f := range pl.Files {
		sum := xxhash.Sum64(f.Data)
		sums[f.Path] = sum
		if old, ok := ss.sums[f.Path]; everything || !ok || old != sum {
			files = append(files, f)
		}
	}
	res, err := ss.render(ctx, pl, todo, fps, files)
	if err != nil {
		return nil, err
	}
	for out := range ss.sums {
		if _, ok := sums[out]; !ok {
			res.Removed = append(res.Removed, out)
		}
	}
	planned := make(map[string]bool, len(pl.Pages))
	for _, p := range pl.Pages {
		planned[p.Out] = true
	}
	for out := range ss.pages {
		if !planned[out] {
			res.Removed = append(res.Removed, out)
			delete(ss.pages, out)
		}
	}
	slices.Sort(res.Removed)
	ss.sums = sums
	ss.model = m
	ss.site, ss.lang, ss.haveSite = c.InputVersion(), c.Language, true
	return res, nil
}

// loadFeatures loads the features that need it: all when all, else
// those that failed last time, that the theme just added or that own a
// changed file, adding their problems to errs. It gives each feature
// what the record kept of it. The error is the record's, if it cannot
// serve.
func (ss *Session) loadFeatures(ctx context.Context, m *site.Model, all bool, changed []string, errs *diag.List) error {
	for _, f := range ss.e.features() {
		load := all || ss.failed[f]
		if _, seen := ss.failed[f]; !seen {
			load = true // a feature the theme just added
		}
		for _, p := range changed {
			load = load || f.Owns(p)
		}
		if load {
			ferrs := f.Load(ctx, ss.fsys, m)
			ss.failed[f] = len(ferrs) > 0
			errs.Merge(ferrs)
		}
		if data, ok := ss.kept[featureName(f)]; ok && !ss.failed[f] {
			k, ok := f.(keeper)
			if !ok {
				return fmt.Errorf("record: %s keeps no state", featureName(f))
			}
			if err := k.Resume(ctx, data); err != nil {
				return fmt.Errorf("record: %s: %w", featureName(f), err)
			}
			delete(ss.kept, featureName(f))
		}
	}
	return nil
}

// sameFront reports whether a story read again is as it was but for its
// body: both parsed without problems, with the same front matter.
func sameFront(old, now content.Parsed) bool {
	return old.Story != nil && len(old.Errs) == 0 && now.Story != nil && len(now.Errs) == 0 &&
		old.Story.FrontHash == now.Story.FrontHash
}

// readsChanged reports whether anything a page read while rendering has
// changed: an input of the plan with another version now, or a file that
// changed.
func readsChanged(reads site.Reads, versions map[string]uint64, changed map[string]bool) bool {
	for k, v := range reads {
		if cur, ok := versions[k]; ok {
			if cur != v {
				return true
			}
		} else if changed[k] {
			return true
		}
	}
	return false
}

// render renders todo, pages of pl whose fingerprints are fps, and files,
// and records what each page was rendered from.
func (ss *Session) render(ctx context.Context, pl *site.Plan, todo []*site.Page, fps []print, files []site.File) (*Result, error) {
	for _, p := range todo {
		if err := ss.loadBody(p); err != nil {
			return nil, err
		}
	}
	mem := &memFiles{files: map[string][]byte{}}
	var w Writer = mem
	if ss.w != nil {
		w = ss.w
	}
	out, err := ss.e.render(ctx, todo, files, w, ss.w != nil)
	if err != nil {
		return nil, err
	}
	for i, p := range todo {
		ss.pages[p.Out] = &pageState{fp: fps[i].fp, keys: fps[i].keys, reads: out.reads[i]}
	}
	ss.plan = pl
	return &Result{Files: mem.files, CSS: "/" + ss.e.r.Theme.CSS.Path, Pages: out.pages}, nil
}

// loadBody gives a story page whose story came from a record (see
// content.StoryRecord) its Markdown, read again from the story's file.
func (ss *Session) loadBody(p *site.Page) error {
	st := p.Story
	if st == nil || p.Source == nil || p.Source.File != st.File || p.Source.Src != nil {
		return nil
	}
	if err := st.LoadBody(ss.fsys); err != nil {
		return err
	}
	if st.Body != nil {
		src := *p.Source
		src.Src = st.Body
		p.Source = &src
	}
	return nil
}

// print is a page's fingerprint and the inputs it covers.
type print struct {
	fp   uint64
	keys []string
}

// fingerprints are the pages' fingerprints, computed on every core.
func fingerprints(pages []*site.Page) []print {
	fps := make([]print, len(pages))
	_ = parallel.For(context.Background(), len(pages), 0, func(i int) error {
		fps[i].fp, fps[i].keys = site.Fingerprint(pages[i])
		return nil
	})
	return fps
}

// themeHash covers what every page depends on beyond its inputs: every
// file of the theme, and the options.
func (ss *Session) themeHash() uint64 {
	h := xxhash.New()
	dir := ss.e.r.Theme.Dir
	_ = fs.WalkDir(ss.fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			data, _ := fs.ReadFile(ss.fsys, p)
			h.WriteString(p)
			h.Write(data)
		}
		return nil
	})
	fmt.Fprint(h, ss.opt.BaseURL, ss.opt.Drafts, ss.opt.Strict)
	return h.Sum64()
}

// SearchIndex builds the search index from the pages rendered so far, and
// lists the files of the previous index that this one no longer has (fewer
// documents make fewer files).
func (ss *Session) SearchIndex() (files map[string][]byte, removed []string, err error) {
	return ss.index.Files(ss.SearchDocs())
}

// SearchDocs snapshots what the search index covers now. Watch mode
// encodes it (Indexer.Files) on another goroutine after telling browsers
// to reload, so that an edit never waits for the index; ok is false when
// the site has no search.
func (ss *Session) SearchDocs() (docs search.Keyed, ok bool) {
	if !ss.e.searchPage {
		return search.Keyed{}, false
	}
	return ss.e.search.Keyed(), true
}

// Indexer encodes snapshots of the search documents into index files and
// remembers the files it made last, to say which are gone. One goroutine
// at a time may use it.
type Indexer struct {
	last map[string]bool
	w    search.Writer // remembers the files of last
}

// Files encodes docs (no index at all when ok is false) and lists the
// files of the previous call that are no longer made. files has only the
// files that are not as the previous call made them.
func (ix *Indexer) Files(docs search.Keyed, ok bool) (files map[string][]byte, removed []string, err error) {
	mem := &memFiles{files: map[string][]byte{}}
	made := map[string]bool{}
	if ok {
		err := ix.w.WriteKeyed(docs, func(f search.File) error {
			made[f.Path] = true
			if !f.Same {
				return mem.WriteFile(f.Path, f.Data)
			}
			if !ix.last[f.Path] {
				return fmt.Errorf("%s: the index reuses a file it did not make last", f.Path)
			}
			return nil
		})
		if err != nil {
			return nil, nil, err
		}
	}
	for p := range ix.last {
		if !made[p] {
			removed = append(removed, p)
		}
	}
	slices.Sort(removed)
	ix.last = made
	return mem.files, removed, nil
}

// memFiles collects rendered files in memory.
type memFiles struct {
	mu    sync.Mutex
	files map[string][]byte
}

func (m *memFiles) WriteFile(p string, data []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, dup := m.files[p]; dup {
		return fmt.Errorf("two files at %s", p)
	}
	m.files[p] = bytes.Clone(data)
	return nil
}
