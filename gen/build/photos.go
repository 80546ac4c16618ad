package build

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"hash/maphash"
	"html/template"
	"io/fs"
	"path/filepath"
	"slices"
	"sync"

	"gongjian/gen/content"
	"gongjian/gen/diag"
	"gongjian/gen/markdown"
	"gongjian/gen/photo"
)

// AlbumsDir holds the photo albums, one folder each.
const AlbumsDir = "content/photos"

// AlbumView is an album as the templates show it.
type AlbumView struct {
	*photo.Album
	URL    string
	Cover  PhotoView
	Photos []PhotoView
	hash   uint64 // of everything the album's pages show
}

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

// Sizes attributes for the theme's two photo layouts.
const (
	SizesFull = photo.SizesFull
	SizesGrid = photo.SizesGrid
)

// photos is the site's photo state: the processor, the albums, and every
// processed photo a page uses, to be published after rendering.
type photos struct {
	proc    *photo.Processor
	fsys    fs.FS
	albums  []*AlbumView
	byTopic map[string][]*AlbumView
	mu      sync.Mutex
	used    map[string]*photo.Processed // by source path
}

func newPhotos(fsys fs.FS, opt Options) *photos {
	return &photos{
		proc: photo.NewProcessor(filepath.Join(opt.CacheDir, "photos"), photo.Options{Progress: opt.Progress}),
		fsys: fsys,
		used: map[string]*photo.Processed{},
	}
}

// loadAlbums reads and processes every album. Warnings (missing alt text or
// captions) go to logf; under strict they are errors.
func (ph *photos) loadAlbums(ctx context.Context, c *content.Site, strict bool, logf func(string, ...any)) diag.List {
	albums, warns, errs := photo.LoadAlbums(ph.fsys, AlbumsDir, strict)
	for _, w := range warns {
		logf("warning: %v", w)
	}
	var jobs []photo.Job
	for _, a := range albums {
		if err := c.CheckTopic(a.File, a.TopicLine, a.Topic); err != nil {
			errs.Add(err)
		}
		jobs = append(jobs, a.Jobs(ph.fsys)...)
	}
	res, perrs := ph.proc.ProcessAll(ctx, jobs)
	errs.Merge(perrs)
	if err := ph.proc.Flush(); err != nil {
		logf("warning: photo cache index: %v", err)
	}
	if len(errs) > 0 {
		return errs
	}
	ph.albums = ph.albums[:0]
	ph.byTopic = map[string][]*AlbumView{}
	k := 0
	for _, a := range albums {
		v := &AlbumView{Album: a, URL: "/albums/" + a.Slug + "/"}
		var h maphash.Hash
		h.SetSeed(fpSeed)
		h.WriteString(fmt.Sprint(a.Title, a.Date, a.Topic, a.Credit, a.Summary))
		for _, p := range a.Photos {
			pr := res[k]
			k++
			ph.use(pr)
			pv := newPhotoView(p, pr)
			v.Photos = append(v.Photos, pv)
			if p.File == a.CoverPhoto().File {
				v.Cover = pv
			}
			h.WriteString(p.Caption + "\x00" + p.Alt + "\x00" + pr.Hash)
		}
		v.hash = h.Sum64()
		ph.albums = append(ph.albums, v)
		ph.byTopic[a.Topic] = append(ph.byTopic[a.Topic], v)
	}
	return nil
}

func (ph *photos) use(pr *photo.Processed) {
	ph.mu.Lock()
	ph.used[pr.Source] = pr
	ph.mu.Unlock()
}

// image processes the picture ref, written in file (relative to it), and
// marks it for publishing.
func (ph *photos) image(ctx context.Context, file, ref string) (*photo.Processed, error) {
	p, err := photo.ResolveRef(file, ref)
	if err != nil {
		return nil, err
	}
	pr, err := ph.proc.Process(ctx, ph.fsys, p)
	if err != nil {
		return nil, err
	}
	ph.use(pr)
	return pr, nil
}

// publish writes every photo used so far whose files are not in sent, and
// adds them to sent.
func (ph *photos) publish(w Writer, sent map[string]bool) error {
	ph.mu.Lock()
	var todo []*photo.Processed
	for _, pr := range ph.used {
		if !sent[pr.Largest().Path] {
			todo = append(todo, pr)
		}
	}
	ph.mu.Unlock()
	slices.SortFunc(todo, func(a, b *photo.Processed) int { return cmp.Compare(a.Source, b.Source) })
	if err := photo.WriteAll(w, todo); err != nil {
		return fmt.Errorf("write photos: %w", err)
	}
	for _, pr := range todo {
		sent[pr.Largest().Path] = true
	}
	return nil
}

// inlineImage renders an image written in a story's Markdown with sizes
// for phones: a figure when it is a paragraph of its own, a plain image
// among text or inside a link. It reports why it cannot.
func (s *Site) inlineImage(ctx context.Context, file string) func(markdown.Image) (template.HTML, error) {
	return func(im markdown.Image) (template.HTML, error) {
		pr, err := s.photos.image(ctx, file, im.Dest)
		if err != nil {
			return "", err
		}
		if im.Alt == "" {
			msg := fmt.Sprintf("image %q has no alt text: write ![what the picture shows](%s)", im.Dest, im.Dest)
			if s.opt.Strict {
				return "", fmt.Errorf("%s", msg)
			}
			s.opt.Logf("warning: %s:%d: %s", file, im.Line, msg)
		}
		var b bytes.Buffer
		err = inlineTmpl.Execute(&b, map[string]any{"Img": pr.Img("/", 960), "Alt": im.Alt, "Full": "/" + pr.Largest().Path, "Sizes": SizesFull, "Alone": im.Alone})
		return template.HTML(b.String()), err
	}
}

var inlineTmpl = template.Must(template.New("img").Parse(
	`{{define "photo"}}<img src="{{.Img.Src}}" srcset="{{.Img.SrcSet}}" sizes="{{.Sizes}}" width="{{.Img.Width}}" height="{{.Img.Height}}" alt="{{.Alt}}" loading="lazy" decoding="async">{{end}}` +
		`{{if .Alone}}<figure class="inline-photo"><a href="{{.Full}}">{{template "photo" .}}</a>{{if .Alt}}<figcaption>{{.Alt}}</figcaption>{{end}}</figure>{{else}}{{template "photo" .}}{{end}}`))
