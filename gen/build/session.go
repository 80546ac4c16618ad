package build

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"hash/maphash"
	"io/fs"
	"path"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"gongjian/gen/content"
	"gongjian/gen/diag"
)

// Session keeps a site between builds, so that watch mode re-reads only the
// files that changed and re-renders only the pages whose inputs changed: a
// story edit re-renders that story and the lists that show it, a theme edit
// re-renders everything.
type Session struct {
	fsys   fs.FS
	opt    Options
	site   *Site
	parsed map[string]content.Parsed // story file → parse result
	files  []string                  // the keys of parsed, sorted; nil when they changed
	prints map[string]uint64         // output path → fingerprint of its inputs
	// outputs are the output paths of the last update whose paths passed
	// checkOutputs. That check depends only on the paths, so an update
	// that leaves them as they were (most edits) need not run it again.
	outputs []string
	global  uint64 // hash of everything every page depends on
	loaded  bool
	// albumErrs: the albums failed to load last time, so they are loaded
	// again until they succeed.
	albumErrs bool
	themeErrs bool
	dataErrs  bool
}

// NewSession prepares a session over fsys (the site root); nothing is read
// until the first Update.
func NewSession(fsys fs.FS, opt Options) *Session {
	opt = opt.withDefaults()
	return &Session{
		fsys:   fsys,
		opt:    opt,
		site:   newSite(fsys, opt),
		parsed: map[string]content.Parsed{},
		prints: map[string]uint64{},
	}
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
	full := changed == nil || !ss.loaded
	var stories []string
	reloadTheme := full
	reloadAlbums := full
	reloadData := full
	for _, p := range changed {
		switch {
		case strings.HasPrefix(p, DataDir+"/") || p == DataDir:
			reloadData = true
		case strings.HasPrefix(p, AlbumsDir+"/") || p == AlbumsDir:
			reloadAlbums = true
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
			_, known := ss.parsed[f]
			if _, err := fs.Stat(ss.fsys, f); err != nil {
				delete(ss.parsed, f)
				ss.files = nil
				continue
			}
			if !known {
				ss.files = nil
			}
			ss.parsed[f] = content.ReadStory(ss.fsys, f)
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
	s := ss.site
	if reloadTheme || ss.themeErrs || s.Theme == nil {
		terrs := s.loadTheme(ss.fsys, c.Language)
		ss.themeErrs = len(terrs) > 0
		errs.Merge(terrs)
	}
	if reloadAlbums || ss.albumErrs {
		aerrs := s.photos.loadAlbums(ctx, c, ss.opt.Strict, ss.opt.Logf)
		ss.albumErrs = len(aerrs) > 0
		errs.Merge(aerrs)
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	global := ss.globalHash()
	if global != ss.global {
		s.cache.clear()
	}
	s.setContent(c)
	if reloadData || ss.dataErrs || global != ss.global || s.data == nil {
		derrs := s.loadData(ss.fsys)
		ss.dataErrs = len(derrs) > 0
		if err := derrs.Err(); err != nil {
			return nil, err
		}
	}
	if err := s.evalFigures().Err(); err != nil {
		return nil, err
	}

	jobs := s.jobs()
	outputs := make([]string, len(jobs))
	for i, j := range jobs {
		outputs[i] = j.out
	}
	if !slices.Equal(outputs, ss.outputs) {
		if err := s.checkOutputs(jobs).Err(); err != nil {
			ss.outputs = nil
			return nil, err
		}
		ss.outputs = outputs
	}
	fps := fingerprints(jobs, global)
	var todo []*job
	for i, j := range jobs {
		if ss.prints[j.out] != fps[i] || global != ss.global {
			todo = append(todo, j)
		}
	}
	mem := &memFiles{files: map[string][]byte{}}
	stats, err := s.renderJobs(ctx, todo, mem, nil)
	if err != nil {
		return nil, err
	}
	res := &Result{Files: mem.files, CSS: "/" + s.Theme.CSS.Path, Pages: stats.Pages}
	next := make(map[string]uint64, len(jobs))
	for i, j := range jobs {
		next[j.out] = fps[i]
	}
	urls := make(map[string]bool, len(jobs))
	for _, j := range jobs {
		if j.page != nil {
			urls[j.page.Path] = true
		}
	}
	s.docs.keep(urls)
	for out := range ss.prints {
		if _, ok := next[out]; !ok {
			res.Removed = append(res.Removed, out)
		}
	}
	slices.Sort(res.Removed)
	ss.prints = next
	ss.global = global
	res.Elapsed = time.Since(start)
	return res, nil
}

// SearchIndex builds the search index from the pages rendered so far. Watch
// mode calls it after telling browsers to reload, so that a story edit shows
// without waiting for the index.
func (ss *Session) SearchIndex() (map[string][]byte, error) {
	mem := &memFiles{files: map[string][]byte{}}
	if err := ss.site.searchIndex(mem); err != nil {
		return nil, err
	}
	return mem.files, nil
}

// globalHash covers what every page may show: the theme, site.yaml and the
// topic pages (their titles appear on every story card).
func (ss *Session) globalHash() uint64 {
	var h maphash.Hash
	h.SetSeed(fpSeed)
	s := ss.site
	for _, f := range s.Theme.Static {
		h.WriteString(f.Path)
		h.Write(f.Data)
	}
	h.WriteString(s.Theme.CSS.Path)
	_ = fs.WalkDir(ss.fsys, s.Theme.Dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !strings.HasPrefix(p, s.Theme.Dir+"/static/") {
			data, _ := fs.ReadFile(ss.fsys, p)
			h.WriteString(p)
			h.Write(data)
		}
		return nil
	})
	for _, p := range []string{content.SiteFile} {
		data, _ := fs.ReadFile(ss.fsys, p)
		h.Write(data)
	}
	topics, _ := fs.Glob(ss.fsys, path.Join(content.TopicsDir, "*.md"))
	for _, p := range topics {
		data, _ := fs.ReadFile(ss.fsys, p)
		h.WriteString(p)
		h.Write(data)
	}
	h.WriteString(ss.opt.BaseURL)
	return h.Sum64()
}

var fpSeed = maphash.MakeSeed()

// fingerprints are the jobs' fingerprints, hashed on every core.
func fingerprints(jobs []*job, global uint64) []uint64 {
	fps := make([]uint64, len(jobs))
	n := runtime.GOMAXPROCS(0)
	per := (len(jobs) + n - 1) / n
	var wg sync.WaitGroup
	for lo := 0; lo < len(jobs); lo += per {
		hi := min(lo+per, len(jobs))
		wg.Go(func() {
			for i := lo; i < hi; i++ {
				fps[i] = fingerprint(jobs[i], global)
			}
		})
	}
	wg.Wait()
	return fps
}

// fingerprint hashes what a job's output depends on beyond the global hash.
func fingerprint(j *job, global uint64) uint64 {
	var h maphash.Hash
	h.SetSeed(fpSeed)
	var buf [8]byte
	u64 := func(v uint64) {
		binary.LittleEndian.PutUint64(buf[:], v)
		h.Write(buf[:])
	}
	u64(global)
	h.WriteString(j.out)
	h.WriteString(j.kind)
	if j.page == nil {
		h.Write(j.data)
		return h.Sum64()
	}
	p := j.page
	h.WriteString(p.Title)
	h.WriteString(p.Description)
	h.WriteString(p.Tag)
	u64(uint64(p.Date.UnixNano()))
	if p.Story != nil {
		u64(p.Story.Hash)
	}
	for _, st := range p.Items {
		u64(st.Hash)
	}
	h.WriteByte(0)
	for _, st := range p.Related {
		u64(st.Hash)
	}
	if p.pager.size > 0 {
		u64(uint64(p.pager.n))
		u64(uint64(p.pager.pages()))
	}
	for _, t := range p.Tags {
		h.WriteString(t.Tag)
		u64(uint64(t.Count))
	}
	for _, t := range p.Topics {
		h.WriteString(t.Slug)
		u64(uint64(t.Count))
		if t.Latest != nil {
			u64(t.Latest.Hash)
		}
	}
	u64(j.deps)
	return h.Sum64()
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
