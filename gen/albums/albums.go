// Package albums is the site's photo feature: album pages and the albums
// list, albums on topic pages and the home page, story covers and photos in
// Markdown, each processed by package photo and published once used.
package albums

import (
	"bytes"
	"cmp"
	"context"
	"encoding/gob"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/cespare/xxhash/v2"

	"gongjian/gen/diag"
	"gongjian/gen/markdown"
	"gongjian/gen/photo"
	"gongjian/gen/render"
	"gongjian/gen/search"
	"gongjian/gen/site"
)

// Dir holds the photo albums, one folder each.
const Dir = "content/photos"

// Options configure the feature.
type Options struct {
	CacheDir string    // processed photos are kept in CacheDir/photos
	Progress io.Writer // progress bars while photos are processed; nil shows none
	Strict   bool      // missing alt text or captions are errors, not warnings
	Logf     func(format string, args ...any)
}

// Feature is the photo feature of one site. Load and Plan run on one
// goroutine; BeforeRender on many at once.
type Feature struct {
	opt     Options
	proc    *photo.Processor
	fsys    fs.FS
	model   *site.Model
	albums  []*AlbumView
	byTopic map[string][]*AlbumView
	mu      sync.Mutex
	used    map[string]*photo.Processed // by source path
	sent    map[string]bool             // photos already written, by the path of their largest file
	own     map[string]bool             // the sources of the albums' photos
}

// New makes the feature over fsys, the site root.
func New(fsys fs.FS, opt Options) *Feature {
	if opt.Logf == nil {
		opt.Logf = func(string, ...any) {}
	}
	return &Feature{
		opt:  opt,
		proc: photo.NewProcessor(filepath.Join(opt.CacheDir, "photos"), photo.Options{Progress: opt.Progress}),
		fsys: fsys,
		used: map[string]*photo.Processed{},
		sent: map[string]bool{},
	}
}

// AlbumView is an album as the templates show it.
type AlbumView struct {
	*photo.Album
	URL    string
	Cover  PhotoView
	Photos []PhotoView
	hash   uint64 // of everything the album's pages show
}

// InputKey names the album among a page's inputs: its album.yaml.
func (a *AlbumView) InputKey() string { return a.File }

// InputVersion changes when anything the album's pages show does.
func (a *AlbumView) InputVersion() uint64 { return a.hash }

// PhotoView is one processed photo with what an <img> needs.
type PhotoView struct {
	photo.Photo
	Img        photo.Img // about 960 CSS px wide: a photo on its own
	Thumb      photo.Img // about 480: a photo in a grid
	Full       string    // the largest download
	FullWidth  int
	FullHeight int
}

func newPhotoView(p photo.Photo, pr *photo.Processed) PhotoView {
	full := pr.Largest()
	return PhotoView{Photo: p, Img: pr.Img("/", 960), Thumb: pr.Img("/", 480), Full: "/" + full.Path, FullWidth: full.Width, FullHeight: full.Height}
}

// Albums are the site's albums, as the last Load that succeeded left them.
func (f *Feature) Albums() []*AlbumView { return f.albums }

// Owns reports whether path is part of an album.
func (f *Feature) Owns(path string) bool { return path == Dir || strings.HasPrefix(path, Dir+"/") }

// Load reads and processes every album. Warnings (missing alt text or
// captions) go to Logf; under Strict they are errors.
func (f *Feature) Load(ctx context.Context, fsys fs.FS, m *site.Model) diag.List {
	f.fsys = fsys
	f.model = m
	albums, warns, errs := photo.LoadAlbums(fsys, Dir, f.opt.Strict)
	for _, w := range warns {
		f.opt.Logf("warning: %v", w)
	}
	var jobs []photo.Job
	for _, a := range albums {
		if err := m.Content.CheckTopic(a.File, a.TopicLine, a.Topic); err != nil {
			errs.Add(err)
		}
		jobs = append(jobs, a.Jobs(fsys)...)
	}
	res, perrs := f.proc.ProcessAll(ctx, jobs)
	errs.Merge(perrs)
	if err := f.proc.Flush(); err != nil {
		f.opt.Logf("warning: photo cache index: %v", err)
	}
	if len(errs) > 0 {
		return errs
	}
	f.albums = f.albums[:0]
	f.byTopic = map[string][]*AlbumView{}
	f.own = map[string]bool{}
	k := 0
	for _, a := range albums {
		v := &AlbumView{Album: a, URL: "/albums/" + a.Slug + "/"}
		h := xxhash.New()
		h.WriteString(fmt.Sprint(a.Title, a.Date, a.Topic, a.Credit, a.Summary))
		for _, p := range a.Photos {
			pr := res[k]
			k++
			f.use(pr)
			f.own[pr.Source] = true
			pv := newPhotoView(p, pr)
			v.Photos = append(v.Photos, pv)
			if p.File == a.CoverPhoto().File {
				v.Cover = pv
			}
			h.WriteString(p.Caption + "\x00" + p.Alt + "\x00" + pr.Hash)
		}
		v.hash = h.Sum64()
		f.albums = append(f.albums, v)
		f.byTopic[a.Topic] = append(f.byTopic[a.Topic], v)
	}
	return nil
}

// Plan adds the albums list and a page per album, and shows albums on the
// home page (the three newest) and on their topic's first page.
func (f *Feature) Plan(pl *site.Plan) {
	for _, a := range f.albums {
		pl.Input(a)
	}
	pl.Each("home", func(p *site.Page) { p.Set("albums", firstN(f.albums, 3)) })
	pl.Each("topic", func(p *site.Page) {
		if p.N == 1 {
			p.Set("albums", f.byTopic[p.Topic.Slug])
		}
	})
	list := pl.NewPage("albums", "/albums/", pl.T("albums.title"), "")
	list.Data = f.albums
	pl.Add(list)
	for _, a := range f.albums {
		p := pl.NewPage("album", a.URL, a.Title, cmp.Or(a.Summary, a.Title))
		p.Data = a
		p.From = site.Origin{File: a.File}
		p.Date = a.Date
		p.Image = pl.Abs(a.Cover.Img.Src)
		if js := pl.Asset("js/lightbox.js"); js != "" {
			p.Scripts = append(slices.Clip(p.Scripts), js)
		}
		pl.Add(p)
	}
}

// BeforeRender gives a story page its cover and every page with Markdown
// its images.
func (f *Feature) BeforeRender(ctx context.Context, p *site.Page, prep *render.Prep) error {
	if p.Source != nil {
		prep.Hooks.Image = f.inlineImage(ctx, p)
	}
	st := p.Story
	if st == nil || st.Cover == "" {
		return nil
	}
	pr, err := f.image(ctx, p, st.File, st.Cover)
	if err != nil {
		return diag.Errorf(st.File, st.CoverLine, "cover image: %v", err)
	}
	var ph photo.Photo
	var credit string
	if a, found := f.albumPhoto(path.Join(path.Dir(st.File), st.Cover)); a != nil {
		// The caption and credit come from the album: the page reads it.
		p.Read(a)
		ph, credit = found, a.Credit
	}
	ph.File, ph.Alt = st.Cover, cmp.Or(st.CoverAlt, ph.Alt, st.Title)
	cv := CoverView{PhotoView: newPhotoView(ph, pr), Credit: credit}
	p.Set("cover", &cv)
	p.Image = f.model.Abs(cv.Img.Src)
	return nil
}

// CoverView is a story's cover: the photo, with the caption and credit of
// its album when it is one of an album's photos.
type CoverView struct {
	PhotoView
	Credit string
}

// albumPhoto finds the photo at the site path p among the albums' photos,
// and its album; a nil album when no album holds it.
func (f *Feature) albumPhoto(p string) (*AlbumView, photo.Photo) {
	dir, file := path.Split(p)
	for _, a := range f.albums {
		if a.Dir != strings.TrimSuffix(dir, "/") {
			continue
		}
		for _, ph := range a.Album.Photos {
			if ph.File == file {
				return a, ph
			}
		}
	}
	return nil, photo.Photo{}
}

// processed is a photo as an input of the pages that show it.
type processed struct{ *photo.Processed }

func (p processed) InputKey() string     { return p.Source }
func (p processed) InputVersion() uint64 { return xxhash.Sum64String(p.Hash) }

// image processes the picture ref, written in file (relative to it), marks
// it for publishing and records that p shows it.
func (f *Feature) image(ctx context.Context, p *site.Page, file, ref string) (*photo.Processed, error) {
	src, err := photo.ResolveRef(file, ref)
	if err != nil {
		return nil, err
	}
	pr, err := f.proc.Process(ctx, f.fsys, src)
	if err != nil {
		return nil, err
	}
	f.use(pr)
	p.Read(processed{pr})
	return pr, nil
}

func (f *Feature) use(pr *photo.Processed) {
	f.mu.Lock()
	f.used[pr.Source] = pr
	f.mu.Unlock()
}

// inlineImage renders an image written in a page's Markdown with sizes for
// phones: a figure when it is a paragraph of its own, a plain image among
// text or inside a link. It reports why it cannot.
func (f *Feature) inlineImage(ctx context.Context, p *site.Page) func(markdown.Image) (template.HTML, error) {
	file := p.Source.File
	return func(im markdown.Image) (template.HTML, error) {
		pr, err := f.image(ctx, p, file, im.Dest)
		if err != nil {
			return "", err
		}
		if im.Alt == "" {
			msg := fmt.Sprintf("image %q has no alt text: write ![what the picture shows](%s)", im.Dest, im.Dest)
			if f.opt.Strict {
				return "", fmt.Errorf("%s", msg)
			}
			f.opt.Logf("warning: %s:%d: %s", file, im.Line, msg)
		}
		var b bytes.Buffer
		err = inlineTmpl.Execute(&b, map[string]any{"Img": pr.Img("/", 960), "Alt": im.Alt, "Full": "/" + pr.Largest().Path, "Sizes": photo.SizesFull, "Alone": im.Alone})
		return template.HTML(b.String()), err
	}
}

var inlineTmpl = template.Must(template.New("img").Parse(
	`{{define "photo"}}<img src="{{.Img.Src}}" srcset="{{.Img.SrcSet}}" sizes="{{.Sizes}}" width="{{.Img.Width}}" height="{{.Img.Height}}" alt="{{.Alt}}" loading="lazy" decoding="async">{{end}}` +
		`{{if .Alone}}<figure class="inline-photo"><a href="{{.Full}}">{{template "photo" .}}</a>{{if .Alt}}<figcaption>{{.Alt}}</figcaption>{{end}}</figure>{{else}}{{template "photo" .}}{{end}}`))

// Writer receives files.
type Writer interface {
	WriteFile(path string, data []byte) error
}

// Finish writes every photo used so far and not yet written.
func (f *Feature) Finish(ctx context.Context, w Writer) error {
	f.mu.Lock()
	var todo []*photo.Processed
	for _, pr := range f.used {
		if !f.sent[pr.Largest().Path] {
			todo = append(todo, pr)
		}
	}
	f.mu.Unlock()
	slices.SortFunc(todo, func(a, b *photo.Processed) int { return cmp.Compare(a.Source, b.Source) })
	if err := photo.WriteAll(w, todo); err != nil {
		return fmt.Errorf("write photos: %w", err)
	}
	for _, pr := range todo {
		f.sent[pr.Largest().Path] = true
	}
	return nil
}

// Published forgets the photos that no album holds and no page shows any
// more (shown reports whether a page read the photo at a source path), and
// returns the output paths of the photos left. Watch mode stops serving
// the files of the others.
func (f *Feature) Published(shown func(source string) bool) map[string]bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[string]bool{}
	for src, pr := range f.used {
		if !f.own[src] && !shown(src) {
			delete(f.used, src)
			continue
		}
		for _, v := range pr.Variants {
			out[v.Path] = true
		}
	}
	for p := range f.sent {
		if !out[p] {
			delete(f.sent, p) // written again should a page show it again
		}
	}
	return out
}

// Prune removes processed photos no page used from the cache; only a
// complete build may call it, since it saw every photo the site uses.
func (f *Feature) Prune() (int, error) { return f.proc.Prune() }

func firstN[T any](list []T, n int) []T { return list[:min(n, len(list))] }

// SearchDocs are the albums for the search index: title, summary and
// captions.
func (f *Feature) SearchDocs() []search.Doc {
	var docs []search.Doc
	for _, a := range f.albums {
		var caps []string
		for _, p := range a.Photos {
			caps = append(caps, p.Caption)
		}
		docs = append(docs, search.Doc{URL: a.URL, Title: a.Title, Kind: "album", Summary: a.Summary,
			Text: strings.Join(caps, "\n"), Date: a.Date})
	}
	return docs
}

// Notes are the editors' notes of every album.yaml.
func (f *Feature) Notes() diag.List {
	var out diag.List
	for _, a := range f.albums {
		out = append(out, a.Notes...)
	}
	return out
}

// kept is the feature's state between two runs of gen build: the photos
// pages showed beyond the albums' own (inline images, covers), and the
// photos written.
type kept struct {
	Used []string // sources
	Sent []string // paths of their largest files
}

// Keep encodes what Resume needs to go on where this build stopped.
func (f *Feature) Keep(w io.Writer) error {
	f.mu.Lock()
	var k kept
	for src := range f.used {
		if !f.own[src] {
			k.Used = append(k.Used, src)
		}
	}
	for p := range f.sent {
		k.Sent = append(k.Sent, p)
	}
	f.mu.Unlock()
	slices.Sort(k.Used)
	slices.Sort(k.Sent)
	return gob.NewEncoder(w).Encode(k)
}

// Resume takes back, after Load, what Keep encoded: the photos that pages
// not rendered again still show are processed (from the cache) and count
// as used, and those written are not written again. A photo that can no
// longer be processed is left out: the pages that show it read it, so they
// render again.
func (f *Feature) Resume(ctx context.Context, data []byte) error {
	var k kept
	if err := gob.NewDecoder(bytes.NewReader(data)).Decode(&k); err != nil {
		return err
	}
	for _, src := range k.Used {
		if pr, err := f.proc.Process(ctx, f.fsys, src); err == nil {
			f.use(pr)
		}
	}
	f.mu.Lock()
	for _, p := range k.Sent {
		f.sent[p] = true
	}
	f.mu.Unlock()
	return nil
}
