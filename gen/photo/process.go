package photo

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"gongjian/gen/diag"
	"gongjian/gen/internal/parallel"
	"gongjian/gen/outpath"
)

// version changes whenever the pixels this package produces for the same
// input and options change, so that old cache entries stop matching.
const version = "1"

// Options say how photos are processed. The zero value of each field means
// its default.
type Options struct {
	// Widths of the responsive variants, in upright pixels; a width at or
	// above the photo's own is skipped (never upscaling). Default 480, 960, 1600.
	Widths []int
	// MaxWidth caps the largest variant, the "full size" download; the
	// photo's own width is used when smaller. Default 2560.
	MaxWidth int
	// Quality of the JPEG encoder, 1..100. Default 80.
	Quality int
	// MaxPixels refuses images whose header claims more pixels, before any
	// pixel memory is allocated. Default 50,000,000.
	MaxPixels int64
	// MaxBytes refuses larger files before reading them. Default 64 MiB.
	MaxBytes int64
	// URLDir is the folder of the published files relative to the output
	// root, used in Variant.Path. Default outpath.PhotoDir, the folder
	// whose renditions gen deploy knows to be named by content.
	URLDir string
	// Workers is the number of photos read and hashed at once, and the
	// most decoded at once. Default GOMAXPROCS.
	Workers int
	// DecodePixels bounds the pixels of the photos being decoded and
	// resized at once, whatever the number of workers: a decoded photo
	// takes 4 to 8 bytes a pixel, plus its YCbCr copy and the garbage of
	// the one before. With the default of 64,000,000, four 49 MP PNGs on
	// four workers peak at 1194 MiB of RSS with no memory limit, as the
	// collector lets the heap grow to twice what is live, and at 571 MiB
	// with GOMEMLIMIT=150MiB (photobench -n 4 -w 7000 -h 7000 -png
	// -workers 4); without the bound, 2065 MiB under that limit. A photo
	// larger than this is decoded alone.
	DecodePixels int64
	// Progress receives a progress bar during ProcessAll when it is a
	// terminal and at least ProgressMin photos need encoding. Nil: never.
	Progress io.Writer
	// ProgressMin is the amount of work that earns a progress bar. Default 8.
	ProgressMin int
}

func (o Options) withDefaults() Options {
	if len(o.Widths) == 0 {
		o.Widths = []int{480, 960, 1600}
	}
	o.Widths = slices.Clone(o.Widths)
	slices.Sort(o.Widths)
	o.Widths = slices.Compact(o.Widths)
	if o.MaxWidth <= 0 {
		o.MaxWidth = 2560
	}
	if o.Quality <= 0 || o.Quality > 100 {
		o.Quality = 80
	}
	if o.MaxPixels <= 0 {
		o.MaxPixels = 50_000_000
	}
	if o.MaxBytes <= 0 {
		o.MaxBytes = 64 << 20
	}
	if o.URLDir == "" {
		o.URLDir = outpath.PhotoDir
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	if o.ProgressMin <= 0 {
		o.ProgressMin = 8
	}
	if o.DecodePixels <= 0 {
		o.DecodePixels = 64_000_000
	}
	return o
}

// Variant is one published file of a photo.
type Variant struct {
	Width, Height int
	// Path is where the file belongs in the output tree, slash-separated and
	// relative to its root: "img/3f2a9c0d1e2b4a5f-960.jpg".
	Path string
	// File is the cached file to copy from (see Processed.WriteTo).
	File string
	// Size is the file's length in bytes.
	Size int64
}

// Processed is a photo made ready for the web.
type Processed struct {
	// Source is the path the photo was read from, within its fs.FS.
	Source string
	// Hash names the photo's output files; it covers the content and the
	// processing options.
	Hash string
	// Width and Height are the upright size of the original.
	Width, Height int
	// Variants are ordered by width; the last is the largest download.
	Variants []Variant
}

// Largest returns the widest variant: the full-size download.
func (p *Processed) Largest() Variant { return p.Variants[len(p.Variants)-1] }

// Nearest returns the narrowest variant at least w wide, or the largest.
func (p *Processed) Nearest(w int) Variant {
	for _, v := range p.Variants {
		if v.Width >= w {
			return v
		}
	}
	return p.Largest()
}

// SrcSet returns the value of an img srcset attribute, each variant's Path
// joined to prefix ("/" or a base URL path such as "/portal/").
func (p *Processed) SrcSet(prefix string) string {
	var b strings.Builder
	for i, v := range p.Variants {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(joinURL(prefix, v.Path))
		b.WriteByte(' ')
		b.WriteString(strconv.Itoa(v.Width))
		b.WriteByte('w')
	}
	return b.String()
}

// Sizes values for the img sizes attribute, for the two layouts a page
// usually has. They are suggestions; the theme knows its own columns.
const (
	// SizesFull: an image as wide as the text column (at most 960 CSS px).
	SizesFull = "(max-width: 960px) 100vw, 960px"
	// SizesGrid: a thumbnail in a grid of two columns on phones, up to
	// four on wide screens.
	SizesGrid = "(max-width: 600px) 50vw, (max-width: 1200px) 33vw, 300px"
)

// Img holds what an img element needs.
type Img struct {
	Src    string // the variant at least displayWidth wide: the fallback src
	SrcSet string
	Width  int // of Src: with Height, lets the browser reserve the space
	Height int
}

// Img returns the attributes for showing the photo at about displayWidth
// CSS pixels, with URLs joined to prefix.
func (p *Processed) Img(prefix string, displayWidth int) Img {
	v := p.Nearest(displayWidth)
	return Img{Src: joinURL(prefix, v.Path), SrcSet: p.SrcSet(prefix), Width: v.Width, Height: v.Height}
}

func joinURL(prefix, p string) string {
	if prefix == "" {
		return p
	}
	return strings.TrimSuffix(prefix, "/") + "/" + p
}

// FileWriter receives published files: the site's output folder (or an
// in-memory one in tests). path is slash-separated, relative to its root.
type FileWriter interface {
	WriteFile(path string, data []byte) error
}

// WriteTo writes every variant to w, at its Path.
func (p *Processed) WriteTo(w FileWriter) error {
	for _, v := range p.Variants {
		data, err := os.ReadFile(v.File)
		if err != nil {
			return fmt.Errorf("photo: publish %s: %w", v.Path, err)
		}
		if err := w.WriteFile(v.Path, data); err != nil {
			return err
		}
	}
	return nil
}

// WriteAll writes the variants of every photo to w, each file once, however
// many times a photo appears in ps (an album photo that is also a story's
// cover, say). Nil entries, left by failed jobs, are skipped.
func WriteAll(w FileWriter, ps []*Processed) error {
	seen := map[string]bool{}
	for _, p := range ps {
		if p == nil || seen[p.Hash] {
			continue
		}
		seen[p.Hash] = true
		if err := p.WriteTo(w); err != nil {
			return err
		}
	}
	return nil
}

// Stats count what a Processor did, for tests and benchmarks.
type Stats struct {
	Hits    int64 // photos served from the cache
	Decoded int64 // photos decoded (cache misses)
	Encoded int64 // files encoded and written
	Hashed  int64 // photos read and hashed (not known to the stat index)
}

// Processor processes photos into a cache folder. It is safe for concurrent use.
type Processor struct {
	dir    string
	opt    Options
	params string

	index  *statIndex
	now    func() time.Time
	budget *pixelBudget
	used   sync.Map // cache keys this Processor has produced or found

	hits, decoded, encoded, hashed atomic.Int64
}

// NewProcessor returns a Processor that keeps its results in cacheDir (for
// a site: .cache/photos under its root, a git-ignored folder).
func NewProcessor(cacheDir string, opt Options) *Processor {
	opt = opt.withDefaults()
	ws := make([]string, len(opt.Widths))
	for i, w := range opt.Widths {
		ws[i] = strconv.Itoa(w)
	}
	params := fmt.Sprintf("v%s w=%s max=%d q=%d", version, strings.Join(ws, ","), opt.MaxWidth, opt.Quality)
	p := &Processor{dir: cacheDir, opt: opt, params: params, now: time.Now, budget: newPixelBudget(opt.DecodePixels)}
	p.index = newStatIndex(filepath.Join(cacheDir, "stat-index.json"), &p.hashed)
	return p
}

// Flush saves what the Processor learnt about the files it has seen, so
// that the next Processor on the same cache need not read unchanged photos
// to hash them. ProcessAll flushes on its own; callers of Process should
// flush when they are done.
func (p *Processor) Flush() error { return p.index.save() }

// Stats returns the counts so far.
func (p *Processor) Stats() Stats {
	return Stats{Hits: p.hits.Load(), Decoded: p.decoded.Load(), Encoded: p.encoded.Load(), Hashed: p.hashed.Load()}
}

// Errors a caller may test for with errors.Is.
var (
	ErrTooLarge    = errors.New("image too large")
	ErrTruncated   = errors.New("truncated image")
	ErrUnsupported = errors.New("not a JPEG or PNG image")
)

// Process makes one photo ready, from the cache when it can. name is the
// photo's path within fsys.
func (p *Processor) Process(ctx context.Context, fsys fs.FS, name string) (*Processed, error) {
	key, data, err := p.identify(fsys, name)
	if err != nil {
		return nil, err
	}
	p.used.Store(key, true)
	if pr := p.cached(key, name); pr != nil {
		p.hits.Add(1)
		return pr, nil
	}
	if data == nil { // known from the stat index, but not cached: read it now
		if data, err = p.read(fsys, name); err != nil {
			return nil, err
		}
	}
	return p.process(ctx, data, key, name)
}

// identify returns the cache key of a photo. When the stat index knows the
// file (same size and modification time, not racily recent), the file is not
// read and data is nil; otherwise data holds its content.
func (p *Processor) identify(fsys fs.FS, name string) (key string, data []byte, err error) {
	fi, err := fs.Stat(fsys, name)
	if err != nil {
		return "", nil, err
	}
	if fi.IsDir() {
		return "", nil, fmt.Errorf("%s is a folder, not an image", name)
	}
	if fi.Size() > p.opt.MaxBytes {
		return "", nil, fmt.Errorf("%w: the file has %d bytes, over the limit of %d", ErrTooLarge, fi.Size(), p.opt.MaxBytes)
	}
	if sum, ok := p.index.get(fsys, name, fi); ok {
		return p.key(sum), nil, nil
	}
	if data, err = p.read(fsys, name); err != nil {
		return "", nil, err
	}
	sum := contentHash(data)
	p.index.put(fsys, name, sum, p.now())
	return p.key(sum), data, nil
}

func (p *Processor) read(fsys fs.FS, name string) ([]byte, error) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > p.opt.MaxBytes { // the file grew since Stat
		return nil, fmt.Errorf("%w: the file has %d bytes, over the limit of %d", ErrTooLarge, len(data), p.opt.MaxBytes)
	}
	return data, nil
}

func contentHash(data []byte) string {
	s := sha256.Sum256(data)
	return hex.EncodeToString(s[:])
}

// key names a photo's cache entry and output files: its content hash and
// the processing parameters.
func (p *Processor) key(contentHash string) string {
	s := sha256.Sum256([]byte(p.params + "\x00" + contentHash))
	return hex.EncodeToString(s[:outpath.PhotoKeyLen/2])
}

// manifest is what the cache keeps beside the variant files.
type manifest struct {
	Width, Height int
	Variants      []struct{ Width, Height int }
}

func (p *Processor) manifestPath(key string) string {
	return filepath.Join(p.dir, key[:2], key+".json")
}

func (p *Processor) variantFile(key string, w int) string {
	return filepath.Join(p.dir, key[:2], outpath.PhotoFile(key, w))
}

func (p *Processor) result(key, name string, m *manifest, sizes []int64) *Processed {
	pr := &Processed{Source: name, Hash: key, Width: m.Width, Height: m.Height}
	for i, v := range m.Variants {
		pr.Variants = append(pr.Variants, Variant{
			Width: v.Width, Height: v.Height,
			Path: path.Join(p.opt.URLDir, outpath.PhotoFile(key, v.Width)),
			File: p.variantFile(key, v.Width),
			Size: sizes[i],
		})
	}
	return pr
}

// cached returns the cache entry for key, or nil when it is missing or
// incomplete.
func (p *Processor) cached(key, name string) *Processed {
	b, err := os.ReadFile(p.manifestPath(key))
	if err != nil {
		return nil
	}
	var m manifest
	if json.Unmarshal(b, &m) != nil || len(m.Variants) == 0 {
		return nil
	}
	sizes := make([]int64, len(m.Variants))
	for i, v := range m.Variants {
		fi, err := os.Stat(p.variantFile(key, v.Width))
		if err != nil || fi.Size() == 0 {
			return nil
		}
		sizes[i] = fi.Size()
	}
	// A hit shows another build's Prune that the entry is in use (see
	// pruneGrace); failing to mark it only risks its being made again.
	now := p.now()
	_ = os.Chtimes(p.manifestPath(key), now, now)
	return p.result(key, name, &m, sizes)
}

func checkHeader(data []byte, maxPixels int64) (image.Config, string, error) {
	var format string
	switch {
	case bytes.HasPrefix(data, []byte("\xFF\xD8")):
		format = "jpeg"
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		format = "png"
	default:
		return image.Config{}, "", ErrUnsupported
	}
	var cfg image.Config
	var err error
	if format == "jpeg" {
		cfg, err = jpeg.DecodeConfig(bytes.NewReader(data))
	} else {
		cfg, err = png.DecodeConfig(bytes.NewReader(data))
	}
	if err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			return cfg, format, fmt.Errorf("%w: the %s header ends early", ErrTruncated, strings.ToUpper(format))
		}
		return cfg, format, fmt.Errorf("corrupt %s header: %v", strings.ToUpper(format), err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return cfg, format, fmt.Errorf("corrupt %s header: size %d×%d", strings.ToUpper(format), cfg.Width, cfg.Height)
	}
	if px := int64(cfg.Width) * int64(cfg.Height); px > maxPixels {
		return cfg, format, fmt.Errorf("%w: the header claims %d×%d pixels (%.1f MP), over the limit of %.1f MP",
			ErrTooLarge, cfg.Width, cfg.Height, float64(px)/1e6, float64(maxPixels)/1e6)
	}
	return cfg, format, nil
}

// plan lists the upright widths and heights of the variants of a w×h photo.
func (p *Processor) plan(w, h int) [][2]int {
	var out [][2]int
	add := func(vw int) {
		vh := max(1, (h*vw+w/2)/w)
		out = append(out, [2]int{vw, vh})
	}
	largest := min(w, p.opt.MaxWidth)
	for _, vw := range p.opt.Widths {
		if vw < largest {
			add(vw)
		}
	}
	add(largest)
	return out
}

func (p *Processor) process(ctx context.Context, data []byte, key, name string) (*Processed, error) {
	cfg, format, err := checkHeader(data, p.opt.MaxPixels)
	if err != nil {
		return nil, err
	}
	taken, err := p.budget.acquire(ctx, int64(cfg.Width)*int64(cfg.Height))
	if err != nil {
		return nil, err
	}
	defer p.budget.release(taken)
	var img image.Image
	var o int
	if format == "jpeg" {
		img, err = jpeg.Decode(bytes.NewReader(data))
		o = JPEGOrientation(data)
	} else {
		img, err = png.Decode(bytes.NewReader(data))
		o = PNGOrientation(data)
	}
	if err != nil {
		// Go's JPEG decoder says "short Huffman data" when the scan is cut
		// off; a missing end-of-image marker tells the cause.
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) || (format == "jpeg" && !endsWithEOI(data)) {
			return nil, fmt.Errorf("%w: the %s data ends early (an incomplete upload or copy?)", ErrTruncated, strings.ToUpper(format))
		}
		return nil, fmt.Errorf("corrupt %s: %v", strings.ToUpper(format), err)
	}
	p.decoded.Add(1)
	if b := img.Bounds(); b.Dx() != cfg.Width || b.Dy() != cfg.Height {
		return nil, fmt.Errorf("corrupt %s: header says %d×%d, data %d×%d", strings.ToUpper(format), cfg.Width, cfg.Height, b.Dx(), b.Dy())
	}

	// Sizes are planned upright; resizing happens on the stored pixels,
	// which is cheaper than rotating the full image first, and only the
	// small results are turned upright.
	w, h := cfg.Width, cfg.Height
	swap := o >= OrientTranspose
	if swap {
		w, h = h, w
	}
	plan := p.plan(w, h)
	rawW, rawH := plan[0][0], plan[0][1]
	if swap {
		rawW, rawH = rawH, rawW
	}
	pyr := newPyramid(img, rawW, rawH)
	img = nil

	if err := os.MkdirAll(filepath.Join(p.dir, key[:2]), 0o755); err != nil {
		return nil, err
	}
	m := manifest{Width: w, Height: h}
	sizes := make([]int64, len(plan))
	var buf bytes.Buffer
	for i, v := range plan {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		sw, sh := v[0], v[1]
		if swap {
			sw, sh = sh, sw
		}
		out := orient(pyr.scale(sw, sh), o)
		buf.Reset()
		// The standard encoder writes no APP segments: nothing of the
		// original's EXIF, XMP or ICC data survives.
		if err := jpeg.Encode(&buf, out, &jpeg.Options{Quality: p.opt.Quality}); err != nil {
			return nil, err
		}
		if err := writeAtomic(p.variantFile(key, v[0]), buf.Bytes()); err != nil {
			return nil, err
		}
		p.encoded.Add(1)
		sizes[i] = int64(buf.Len())
		m.Variants = append(m.Variants, struct{ Width, Height int }{v[0], v[1]})
	}
	mb, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	// The manifest goes last: an entry is complete once it exists.
	if err := writeAtomic(p.manifestPath(key), mb); err != nil {
		return nil, err
	}
	return p.result(key, name, &m, sizes), nil
}

// endsWithEOI reports whether a JPEG file ends with its end-of-image marker,
// allowing for the zero padding some cameras append.
func endsWithEOI(data []byte) bool {
	data = bytes.TrimRight(data, "\x00")
	return bytes.HasSuffix(data, []byte{0xFF, 0xD9})
}

var tmpSeq atomic.Int64

// writeAtomic writes a file so that a reader never sees it half written,
// even with two builds sharing one cache.
func writeAtomic(name string, data []byte) error {
	tmp := fmt.Sprintf("%s.tmp%d-%d", name, os.Getpid(), tmpSeq.Add(1))
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp, name); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

// cacheFile matches the names the cache gives its files, inside a folder
// named for the first two hex digits of the key: KEY.json, KEY-WIDTH.jpg,
// and either with the .tmpPID-SEQ suffix of a write that did not finish.
var cacheFile = regexp.MustCompile(`^([0-9a-f]{16})(?:\.json|-[1-9][0-9]*\.jpg)(?:\.tmp[0-9]+-[0-9]+)?$`)

// pruneGrace keeps an entry that any of its files shows was written or
// found within this long, though this Processor did not use it: another
// build sharing the cache may be about to read it.
const pruneGrace = time.Hour

// Prune removes from the cache every entry this Processor has neither
// produced nor found, so the cache does not grow with every photo ever
// edited. Call it only after a complete build, when the Processor has seen
// every photo the site uses. Only files named as the cache names its own
// are removed, never anything else in the folder, and an entry goes
// manifest first, so that no reader takes a half-removed entry for a
// complete one. It returns the number of files removed.
func (p *Processor) Prune() (int, error) {
	n := 0
	dirs, err := os.ReadDir(p.dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return 0, nil
		}
		return 0, err
	}
	cutoff := p.now().Add(-pruneGrace)
	for _, d := range dirs {
		if !d.IsDir() || !isHexPrefix(d.Name()) {
			continue
		}
		sub := filepath.Join(p.dir, d.Name())
		files, err := os.ReadDir(sub)
		if err != nil {
			return n, err
		}
		type entry struct {
			manifest string
			others   []string
			recent   bool
		}
		entries := map[string]*entry{}
		var keys []string
		for _, f := range files {
			m := cacheFile.FindStringSubmatch(f.Name())
			if m == nil || !f.Type().IsRegular() || m[1][:2] != d.Name() {
				continue
			}
			key := m[1]
			if _, ok := p.used.Load(key); ok {
				continue
			}
			e := entries[key]
			if e == nil {
				e = &entry{}
				entries[key] = e
				keys = append(keys, key)
			}
			if info, err := f.Info(); err != nil || info.ModTime().After(cutoff) {
				e.recent = true // vanished meanwhile, or in use by another build
			}
			if f.Name() == key+".json" {
				e.manifest = f.Name()
			} else {
				e.others = append(e.others, f.Name())
			}
		}
		for _, key := range keys {
			e := entries[key]
			if e.recent {
				continue
			}
			names := e.others
			if e.manifest != "" {
				names = append([]string{e.manifest}, names...)
			}
			for _, name := range names {
				if err := os.Remove(filepath.Join(sub, name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
					return n, err
				}
				n++
			}
		}
	}
	return n, nil
}

// isHexPrefix reports whether name is two lower-case hex digits: a folder
// the cache made.
func isHexPrefix(name string) bool {
	if len(name) != 2 {
		return false
	}
	for _, c := range []byte(name) {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// Job is one photo for ProcessAll.
type Job struct {
	FS   fs.FS
	Path string // within FS
	// File and Line name where the photo is referred to, for error reports
	// (content/photos/river/album.yaml, 12). File defaults to Path.
	File string
	Line int
}

// ProcessAll processes jobs in parallel and returns their results in the
// same order; a failed job leaves nil in its place and one error in the
// list, reported at the job's File and Line. Work already in the cache is
// found first, so that the progress bar, shown on a terminal when there is
// much to do, counts only real work.
func (p *Processor) ProcessAll(ctx context.Context, jobs []Job) ([]*Processed, diag.List) {
	res := make([]*Processed, len(jobs))
	errs := make([]error, len(jobs))
	keys := make([]string, len(jobs))

	// Pass 1: hash every file and take what the cache has.
	p.parallel(ctx, len(jobs), nil, func(i int) {
		key, _, err := p.identify(jobs[i].FS, jobs[i].Path)
		if err != nil {
			errs[i] = err
			return
		}
		keys[i] = key
		p.used.Store(key, true)
		if pr := p.cached(key, jobs[i].Path); pr != nil {
			p.hits.Add(1)
			res[i] = pr
		}
	})

	// Pass 2: process the misses, each distinct content once.
	var todo []int
	seen := map[string]int{}
	for i := range jobs {
		if res[i] != nil || errs[i] != nil {
			continue
		}
		if _, dup := seen[keys[i]]; dup {
			continue
		}
		seen[keys[i]] = i
		todo = append(todo, i)
	}
	var tick progress
	bar := p.progressBar(len(todo))
	if bar != nil {
		tick = bar
	}
	p.parallel(ctx, len(todo), tick, func(k int) {
		i := todo[k]
		res[i], errs[i] = p.Process(ctx, jobs[i].FS, jobs[i].Path)
	})
	if bar != nil {
		bar.Finish()
	}
	for i := range jobs {
		if res[i] == nil && errs[i] == nil {
			if first, ok := seen[keys[i]]; ok && res[first] != nil {
				cp := *res[first]
				cp.Source = jobs[i].Path
				res[i] = &cp
			} else if ok {
				errs[i] = errs[first]
			}
		}
		if res[i] == nil && errs[i] == nil {
			errs[i] = ctx.Err()
		}
	}

	// A failure to save the index loses only a speed-up: the next run
	// hashes the files again.
	_ = p.index.save()
	var list diag.List
	for i, err := range errs {
		if err == nil {
			continue
		}
		j := jobs[i]
		err = diag.Cause(err) // the path is in the report already
		if j.File == "" {
			list.Addf(j.Path, 0, "%v", err)
		} else {
			list.Addf(j.File, j.Line, "photo %q: %v", path.Base(j.Path), err)
		}
	}
	return res, list
}

type progress interface{ Add(int) error }

func (p *Processor) parallel(ctx context.Context, n int, bar progress, f func(int)) {
	_ = parallel.For(ctx, n, p.opt.Workers, func(i int) error {
		f(i)
		if bar != nil {
			bar.Add(1)
		}
		return nil
	})
}
