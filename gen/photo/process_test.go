package photo

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"gongjian/gen/photo/internal/fakeexif"
)

var (
	red    = color.RGBA{220, 30, 30, 255}
	green  = color.RGBA{30, 200, 30, 255}
	blue   = color.RGBA{30, 30, 220, 255}
	yellow = color.RGBA{240, 220, 20, 255}
)

type corner int

const (
	tl corner = iota
	tr
	bl
	br
)

// shows says, for each orientation, at which corner of the upright picture
// each corner of the stored pixels ends up. It is written out from the EXIF
// definitions rather than computed, so it checks orient independently.
var shows = map[int][4]corner{
	1: {tl, tr, bl, br},
	2: {tr, tl, br, bl},
	3: {br, bl, tr, tl},
	4: {bl, br, tl, tr},
	5: {tl, bl, tr, br},
	6: {tr, br, tl, bl},
	7: {br, tr, bl, tl},
	8: {bl, tl, br, tr},
}

var uprightColour = [4]color.RGBA{tl: red, tr: green, bl: blue, br: yellow}

// storedJPEG returns a JPEG whose pixels, once turned by orientation o,
// show a w×h picture with red, green, blue and yellow quadrants from top
// left to bottom right.
func storedJPEG(t testing.TB, w, h, o int) []byte {
	t.Helper()
	if o >= 5 {
		w, h = h, w
	}
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := tl
			if x >= w/2 {
				c = tr
			}
			if y >= h/2 {
				c += 2
			}
			img.SetRGBA(x, y, uprightColour[shows[o][c]])
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func near(a, b color.Color) bool {
	r1, g1, b1, _ := a.RGBA()
	r2, g2, b2, _ := b.RGBA()
	d := func(x, y uint32) uint32 {
		if x > y {
			return (x - y) >> 8
		}
		return (y - x) >> 8
	}
	return d(r1, r2) < 48 && d(g1, g2) < 48 && d(b1, b2) < 48
}

func checkUpright(t *testing.T, name string, data []byte) {
	t.Helper()
	img, err := jpeg.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	b := img.Bounds()
	at := map[corner]image.Point{
		tl: {b.Dx() / 8, b.Dy() / 8}, tr: {b.Dx() * 7 / 8, b.Dy() / 8},
		bl: {b.Dx() / 8, b.Dy() * 7 / 8}, br: {b.Dx() * 7 / 8, b.Dy() * 7 / 8},
	}
	for c, p := range at {
		if got := img.At(p.X, p.Y); !near(got, uprightColour[c]) {
			t.Errorf("%s: pixel at %v = %v, want near %v", name, p, got, uprightColour[c])
		}
	}
}

func smallOptions() Options {
	return Options{Widths: []int{16, 32}, MaxWidth: 48, Workers: 2}
}

func TestOrientationAllValues(t *testing.T) {
	for o := 1; o <= 8; o++ {
		raw := storedJPEG(t, 64, 48, o)
		raw, err := fakeexif.Insert(raw, fakeexif.Info{Orientation: o})
		if err != nil {
			t.Fatal(err)
		}
		if got := JPEGOrientation(raw); got != o {
			t.Fatalf("JPEGOrientation = %d, want %d", got, o)
		}
		fsys := fstest.MapFS{"a.jpg": {Data: raw}}
		p := NewProcessor(t.TempDir(), smallOptions())
		pr, err := p.Process(context.Background(), fsys, "a.jpg")
		if err != nil {
			t.Fatalf("orientation %d: %v", o, err)
		}
		if pr.Width != 64 || pr.Height != 48 {
			t.Errorf("orientation %d: size %d×%d, want 64×48", o, pr.Width, pr.Height)
		}
		wantW := []int{16, 32, 48}
		if len(pr.Variants) != len(wantW) {
			t.Fatalf("orientation %d: %d variants, want %d", o, len(pr.Variants), len(wantW))
		}
		for i, v := range pr.Variants {
			data, err := os.ReadFile(v.File)
			if err != nil {
				t.Fatal(err)
			}
			cfg, err := jpeg.DecodeConfig(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			if v.Width != wantW[i] || cfg.Width != v.Width || cfg.Height != v.Height || v.Height != wantW[i]*3/4 {
				t.Errorf("orientation %d: variant %d is %d×%d (file %d×%d), want %d×%d",
					o, i, v.Width, v.Height, cfg.Width, cfg.Height, wantW[i], wantW[i]*3/4)
			}
			checkUpright(t, v.Path, data)
		}
	}
}

func TestPublishedFilesCarryNoMetadata(t *testing.T) {
	const serial = "SN-4471-0099"
	raw := storedJPEG(t, 64, 48, 6)
	raw, err := fakeexif.Insert(raw, fakeexif.Info{Orientation: 6, Lat: 32.6469, Lon: 110.7980, Make: "PhoneCo", Serial: serial})
	if err != nil {
		t.Fatal(err)
	}
	// The input must really carry what we mean to strip, or the test proves nothing.
	for _, s := range []string{"Exif\x00\x00", serial, fakeexif.GPSMarker} {
		if !bytes.Contains(raw, []byte(s)) {
			t.Fatalf("test input lacks %q", s)
		}
	}
	if !HasMetadata(raw) {
		t.Fatal("HasMetadata(input) = false, want true")
	}
	p := NewProcessor(t.TempDir(), smallOptions())
	pr, err := p.Process(context.Background(), fstest.MapFS{"gps.jpg": {Data: raw}}, "gps.jpg")
	if err != nil {
		t.Fatal(err)
	}
	out := mapWriter{}
	if err := pr.WriteTo(out); err != nil {
		t.Fatal(err)
	}
	n := 0
	for name, data := range out {
		n++
		if HasMetadata(data) {
			t.Errorf("%s: has an APP or COM segment", name)
		}
		for _, s := range []string{"Exif", serial, "PhoneCo"} {
			if bytes.Contains(data, []byte(s)) {
				t.Errorf("%s: contains %q", name, s)
			}
		}
		checkUpright(t, name, data)
	}
	if n != len(pr.Variants) || n == 0 {
		t.Errorf("published %d files, want %d", n, len(pr.Variants))
	}
	if got := pr.Largest(); got.Width != 48 || got.Height != 36 {
		t.Errorf("largest = %d×%d, want 48×36 (upright)", got.Width, got.Height)
	}
}

func TestNeverUpscales(t *testing.T) {
	tests := []struct {
		w, h  int
		wants []int
	}{
		{10, 8, []int{10}},
		{16, 8, []int{16}},
		{20, 10, []int{16, 20}},
		{40, 30, []int{16, 32, 40}},
		{100, 50, []int{16, 32, 48}},
	}
	for _, tt := range tests {
		p := NewProcessor(t.TempDir(), smallOptions())
		var got []int
		for _, v := range p.plan(tt.w, tt.h) {
			got = append(got, v[0])
		}
		if !equalInts(got, tt.wants) {
			t.Errorf("plan(%d, %d) widths = %v, want %v", tt.w, tt.h, got, tt.wants)
		}
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestSecondRunEncodesNothing(t *testing.T) {
	fsys := fstest.MapFS{}
	var jobs []Job
	for i := range 6 {
		name := string(rune('a'+i)) + ".jpg"
		data := storedJPEG(t, 40+8*i, 30, 1+i%8)
		if i%2 == 1 {
			var err error
			if data, err = fakeexif.Insert(data, fakeexif.Info{Orientation: 1 + i%8}); err != nil {
				t.Fatal(err)
			}
		}
		fsys[name] = &fstest.MapFile{Data: data}
		jobs = append(jobs, Job{FS: fsys, Path: name})
	}
	jobs = append(jobs, Job{FS: fsys, Path: "a.jpg"}) // the same photo used twice
	cache := t.TempDir()

	p1 := NewProcessor(cache, smallOptions())
	res1, errs := p1.ProcessAll(context.Background(), jobs)
	if errs != nil {
		t.Fatal(errs)
	}
	s1 := p1.Stats()
	if s1.Decoded != 6 || s1.Encoded == 0 || s1.Hits != 0 {
		t.Errorf("cold stats = %+v, want 6 decoded, some encoded, 0 hits", s1)
	}
	if res1[6].Hash != res1[0].Hash || res1[6].Source != "a.jpg" {
		t.Errorf("repeated photo: %+v vs %+v", res1[6], res1[0])
	}

	p2 := NewProcessor(cache, smallOptions())
	res2, errs := p2.ProcessAll(context.Background(), jobs)
	if errs != nil {
		t.Fatal(errs)
	}
	if s2 := p2.Stats(); s2.Encoded != 0 || s2.Decoded != 0 || s2.Hits != int64(len(jobs)) {
		t.Errorf("warm stats = %+v, want 0 encoded, 0 decoded, %d hits", s2, len(jobs))
	}
	for i := range res1 {
		if res1[i].SrcSet("/") != res2[i].SrcSet("/") {
			t.Errorf("job %d: warm srcset %q, cold %q", i, res2[i].SrcSet("/"), res1[i].SrcSet("/"))
		}
	}

	// Other parameters are another cache entry.
	opt := smallOptions()
	opt.Quality = 60
	p3 := NewProcessor(cache, opt)
	if _, errs := p3.ProcessAll(context.Background(), jobs[:1]); errs != nil {
		t.Fatal(errs)
	}
	if s3 := p3.Stats(); s3.Decoded != 1 {
		t.Errorf("new quality: stats %+v, want 1 decoded", s3)
	}

	// A damaged cache entry is rebuilt, not trusted.
	os.Remove(res1[1].Variants[0].File)
	p4 := NewProcessor(cache, smallOptions())
	if _, err := p4.Process(context.Background(), fsys, "b.jpg"); err != nil {
		t.Fatal(err)
	}
	if s4 := p4.Stats(); s4.Decoded != 1 {
		t.Errorf("after a cache file vanished: stats %+v, want 1 decoded", s4)
	}
}

func TestSrcSetAndWriteTo(t *testing.T) {
	p := NewProcessor(t.TempDir(), smallOptions())
	pr, err := p.Process(context.Background(), fstest.MapFS{"x.jpg": {Data: storedJPEG(t, 64, 48, 1)}}, "x.jpg")
	if err != nil {
		t.Fatal(err)
	}
	h := pr.Hash
	want := "/site/img/" + h + "-16.jpg 16w, /site/img/" + h + "-32.jpg 32w, /site/img/" + h + "-48.jpg 48w"
	if got := pr.SrcSet("/site/"); got != want {
		t.Errorf("SrcSet = %q, want %q", got, want)
	}
	if got := pr.Nearest(20).Width; got != 32 {
		t.Errorf("Nearest(20).Width = %d, want 32", got)
	}
	out := mapWriter{}
	if err := pr.WriteTo(out); err != nil {
		t.Fatal(err)
	}
	if len(out) != len(pr.Variants) {
		t.Errorf("wrote %d files, want %d", len(out), len(pr.Variants))
	}
	for _, v := range pr.Variants {
		data, ok := out[v.Path]
		if !ok || int64(len(data)) != v.Size {
			t.Errorf("written %s: present %v, size %d, want %d", v.Path, ok, len(data), v.Size)
		}
	}
}

func TestTransparentPNGOnWhite(t *testing.T) {
	img := image.NewNRGBA(image.Rect(0, 0, 40, 30))
	for x := range 20 {
		for y := range 30 {
			img.SetNRGBA(x, y, color.NRGBA{30, 30, 220, 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	p := NewProcessor(t.TempDir(), smallOptions())
	pr, err := p.Process(context.Background(), fstest.MapFS{"t.png": {Data: b.Bytes()}}, "t.png")
	if err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(pr.Largest().File)
	out, err := jpeg.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if got := out.At(35, 15); !near(got, color.White) {
		t.Errorf("transparent area = %v, want white", got)
	}
	if got := out.At(5, 15); !near(got, blue) {
		t.Errorf("opaque area = %v, want blue", got)
	}
}

// inScan cuts a JPEG file halfway through its compressed image data.
func inScan(t testing.TB, data []byte) []byte {
	t.Helper()
	i := bytes.Index(data, []byte{0xFF, 0xDA})
	if i < 0 {
		t.Fatal("no SOS")
	}
	return data[:i+(len(data)-i)/2]
}

// withSize rewrites the dimensions in a JPEG's SOF0 header.
func withSize(t testing.TB, data []byte, w, h int) []byte {
	t.Helper()
	out := bytes.Clone(data)
	i := bytes.Index(out, []byte{0xFF, 0xC0})
	if i < 0 {
		t.Fatal("no SOF0")
	}
	binary.BigEndian.PutUint16(out[i+5:], uint16(h))
	binary.BigEndian.PutUint16(out[i+7:], uint16(w))
	return out
}

// pngWithSize rewrites the dimensions in a PNG's IHDR and fixes its CRC.
func pngWithSize(t testing.TB, data []byte, w, h int) []byte {
	t.Helper()
	out := bytes.Clone(data)
	// Signature (8), length (4), "IHDR" (4), then width and height.
	binary.BigEndian.PutUint32(out[16:], uint32(w))
	binary.BigEndian.PutUint32(out[20:], uint32(h))
	binary.BigEndian.PutUint32(out[29:], crc32.ChecksumIEEE(out[12:29]))
	return out
}

func TestHostileFiles(t *testing.T) {
	good := storedJPEG(t, 64, 48, 1)
	var pb bytes.Buffer
	png.Encode(&pb, image.NewGray(image.Rect(0, 0, 8, 8)))
	tests := []struct {
		name string
		data []byte
		is   error
		msg  string
	}{
		{"half.jpg", inScan(t, good), ErrTruncated, "truncated image: the JPEG data ends early"},
		{"header.jpg", good[:40], ErrTruncated, "truncated image: the JPEG header ends early"},
		{"huge.jpg", withSize(t, good, 60000, 60000), ErrTooLarge, "the header claims 60000×60000 pixels (3600.0 MP), over the limit of 50.0 MP"},
		{"huge.png", pngWithSize(t, pb.Bytes(), 1<<20, 1<<20), ErrTooLarge, "over the limit of 50.0 MP"},
		{"text.jpg", []byte("hello, not a picture"), ErrUnsupported, "not a JPEG or PNG image"},
		{"empty.jpg", nil, ErrUnsupported, "not a JPEG or PNG image"},
		{"half.png", pb.Bytes()[:len(pb.Bytes())-20], nil, "PNG"},
	}
	for _, tt := range tests {
		p := NewProcessor(t.TempDir(), smallOptions())
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := p.Process(context.Background(), fstest.MapFS{tt.name: {Data: tt.data}}, tt.name)
		runtime.ReadMemStats(&after)
		if err == nil {
			t.Errorf("%s: no error", tt.name)
			continue
		}
		if tt.is != nil && !errors.Is(err, tt.is) {
			t.Errorf("%s: error %q is not %q", tt.name, err, tt.is)
		}
		if !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("%s: error %q, want it to contain %q", tt.name, err, tt.msg)
		}
		if grew := after.TotalAlloc - before.TotalAlloc; grew > 4<<20 {
			t.Errorf("%s: allocated %d bytes before refusing", tt.name, grew)
		}
		if s := p.Stats(); s.Encoded != 0 {
			t.Errorf("%s: encoded %d files", tt.name, s.Encoded)
		}
	}
}

func TestFileSizeLimit(t *testing.T) {
	opt := smallOptions()
	opt.MaxBytes = 100
	p := NewProcessor(t.TempDir(), opt)
	_, err := p.Process(context.Background(), fstest.MapFS{"big.jpg": {Data: storedJPEG(t, 64, 48, 1)}}, "big.jpg")
	if !errors.Is(err, ErrTooLarge) {
		t.Errorf("err = %v, want ErrTooLarge", err)
	}
}

func TestProcessAllReportsAtReference(t *testing.T) {
	good := storedJPEG(t, 64, 48, 1)
	fsys := fstest.MapFS{
		"content/photos/river/a.jpg": {Data: good},
		"content/photos/river/b.jpg": {Data: inScan(t, good)},
		"content/news/x.png":         {Data: []byte("junk")},
	}
	jobs := []Job{
		{FS: fsys, Path: "content/photos/river/a.jpg", File: "content/photos/river/album.yaml", Line: 7},
		{FS: fsys, Path: "content/photos/river/b.jpg", File: "content/photos/river/album.yaml", Line: 12},
		{FS: fsys, Path: "content/news/x.png", File: "content/news/x.md", Line: 3},
		{FS: fsys, Path: "content/news/missing.jpg"},
	}
	res, errs := NewProcessor(t.TempDir(), smallOptions()).ProcessAll(context.Background(), jobs)
	if res[0] == nil || res[1] != nil || res[2] != nil || res[3] != nil {
		t.Errorf("results = %v, want only the first", res)
	}
	got := errs.Err().Error()
	want := `content/news/missing.jpg: file does not exist
content/news/x.md:3: photo "x.png": not a JPEG or PNG image
content/photos/river/album.yaml:12: photo "b.jpg": truncated image: the JPEG data ends early (an incomplete upload or copy?)`
	if got != want {
		t.Errorf("errors:\n%s\nwant:\n%s", got, want)
	}
}

func TestCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	fsys := fstest.MapFS{"a.jpg": {Data: storedJPEG(t, 64, 48, 1)}}
	_, errs := NewProcessor(t.TempDir(), smallOptions()).ProcessAll(ctx, []Job{{FS: fsys, Path: "a.jpg"}})
	if len(errs) != 1 || !strings.Contains(errs.Error(), "context canceled") {
		t.Errorf("errs = %v, want context canceled", errs)
	}
}

func TestImgAndPrune(t *testing.T) {
	cache := t.TempDir()
	fsys := fstest.MapFS{
		"a.jpg": {Data: storedJPEG(t, 64, 48, 1)},
		"b.jpg": {Data: storedJPEG(t, 40, 30, 1)},
	}
	p1 := NewProcessor(cache, smallOptions())
	res, errs := p1.ProcessAll(context.Background(), []Job{{FS: fsys, Path: "a.jpg"}, {FS: fsys, Path: "b.jpg"}})
	if errs != nil {
		t.Fatal(errs)
	}
	img := res[0].Img("/", 20)
	if img.Width != 32 || img.Height != 24 || img.Src != "/img/"+res[0].Hash+"-32.jpg" || !strings.HasPrefix(img.SrcSet, "/img/") {
		t.Errorf("Img = %+v", img)
	}
	// A later build that no longer uses b.jpg: within pruneGrace of b's
	// entry being written, another build may still read it, so it stays.
	p2 := NewProcessor(cache, smallOptions())
	if _, err := p2.Process(context.Background(), fsys, "a.jpg"); err != nil {
		t.Fatal(err)
	}
	if n, err := p2.Prune(); err != nil || n != 0 {
		t.Errorf("Prune within the grace period removed %d files (%v), want 0", n, err)
	}

	// Files the cache did not name are never removed, whatever their age:
	// a foreign file in an entry folder, a key-named file in the wrong
	// folder, a folder not named for a key, and the cache's own index.
	bKey := res[1].Hash
	foreign := []string{
		filepath.Join(cache, bKey[:2], "notes.txt"),
		filepath.Join(cache, bKey[:2], bKey+".json.bak"),
		filepath.Join(cache, "zz", bKey+".json"),
		filepath.Join(cache, "README"),
		filepath.Join(cache, "stat-index.json"),
	}
	wrongDir := "00"
	if bKey[:2] == wrongDir {
		wrongDir = "01"
	}
	foreign = append(foreign, filepath.Join(cache, wrongDir, bKey+"-16.jpg"))
	stale := filepath.Join(cache, bKey[:2], bKey+"-16.jpg.tmp123-4") // an unfinished write
	for _, f := range append(foreign, stale) {
		if err := os.MkdirAll(filepath.Dir(f), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(f, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	// Two hours later, a build that uses a.jpg only removes b's entry.
	p3 := NewProcessor(cache, smallOptions())
	later := time.Now().Add(2 * pruneGrace)
	p3.now = func() time.Time { return later }
	if _, err := p3.Process(context.Background(), fsys, "a.jpg"); err != nil {
		t.Fatal(err)
	}
	n, err := p3.Prune()
	if err != nil {
		t.Fatal(err)
	}
	if want := len(res[1].Variants) + 2; n != want { // variants, manifest and the unfinished write
		t.Errorf("Prune removed %d files, want %d", n, want)
	}
	for _, v := range res[0].Variants {
		if _, err := os.Stat(v.File); err != nil {
			t.Errorf("pruned a used file: %v", err)
		}
	}
	for _, f := range append([]string{stale, filepath.Join(cache, bKey[:2], bKey+".json")}, res[1].Variants[0].File) {
		if _, err := os.Stat(f); !os.IsNotExist(err) {
			t.Errorf("unused cache file %s survived: %v", f, err)
		}
	}
	for _, f := range foreign {
		if _, err := os.Stat(f); err != nil {
			t.Errorf("Prune removed %s, which the cache did not make: %v", f, err)
		}
	}
}

func TestNoProgressBarOffTerminal(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "stderr"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, w := range []Options{{Progress: f}, {Progress: os.Stdout, ProgressMin: 1 << 30}, {}} {
		if bar := NewProcessor(t.TempDir(), w).progressBar(100); bar != nil {
			t.Errorf("progress bar drawn for %+v", w)
		}
	}
}

type mapWriter map[string][]byte

func (m mapWriter) WriteFile(path string, data []byte) error {
	if _, dup := m[path]; dup {
		return errors.New("two files at " + path)
	}
	m[path] = data
	return nil
}

func TestWriteAll(t *testing.T) {
	fsys := fstest.MapFS{"a.jpg": {Data: storedJPEG(t, 64, 48, 1)}, "b.png": {Data: func() []byte {
		var b bytes.Buffer
		png.Encode(&b, image.NewGray(image.Rect(0, 0, 20, 10)))
		return b.Bytes()
	}()}}
	jobs := []Job{{FS: fsys, Path: "a.jpg"}, {FS: fsys, Path: "b.png"}, {FS: fsys, Path: "a.jpg"}}
	res, errs := NewProcessor(t.TempDir(), smallOptions()).ProcessAll(context.Background(), jobs)
	if errs != nil {
		t.Fatal(errs)
	}
	w := mapWriter{}
	if err := WriteAll(w, append(res, nil)); err != nil {
		t.Fatal(err)
	}
	if want := len(res[0].Variants) + len(res[1].Variants); len(w) != want {
		t.Errorf("wrote %d files, want %d", len(w), want)
	}
	for path, data := range w {
		if !strings.HasPrefix(path, "img/") || !strings.HasSuffix(path, ".jpg") || HasMetadata(data) {
			t.Errorf("%s: bad path or metadata", path)
		}
		if _, err := jpeg.DecodeConfig(bytes.NewReader(data)); err != nil {
			t.Errorf("%s: %v", path, err)
		}
	}
}

func TestSourceKinds(t *testing.T) {
	grey := color.Gray{Y: 90}
	encJPEG := func(img image.Image) []byte {
		var b bytes.Buffer
		if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 95}); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	encPNG := func(img image.Image) []byte {
		var b bytes.Buffer
		if err := png.Encode(&b, img); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	fill := func(img interface {
		image.Image
		Set(x, y int, c color.Color)
	}) image.Image {
		for y := range 30 {
			for x := range 40 {
				img.Set(x, y, grey)
			}
		}
		return img
	}
	r := image.Rect(0, 0, 40, 30)
	tests := []struct {
		name string
		data []byte
	}{
		{"gray.jpg", encJPEG(fill(image.NewGray(r)))},
		{"gray.png", encPNG(fill(image.NewGray(r)))},
		{"deep.png", encPNG(fill(image.NewNRGBA64(r)))},
		{"paletted.png", encPNG(fill(image.NewPaletted(r, color.Palette{color.Black, grey})))},
		{"cmyk.jpg", encJPEG(fill(image.NewCMYK(r)))},
	}
	for _, tt := range tests {
		p := NewProcessor(t.TempDir(), smallOptions())
		pr, err := p.Process(context.Background(), fstest.MapFS{tt.name: {Data: tt.data}}, tt.name)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if pr.Width != 40 || pr.Height != 30 {
			t.Errorf("%s: %d×%d, want 40×30", tt.name, pr.Width, pr.Height)
		}
		data, _ := os.ReadFile(pr.Largest().File)
		img, err := jpeg.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		if got := img.At(20, 15); !near(got, grey) {
			t.Errorf("%s: centre %v, want near %v", tt.name, got, grey)
		}
	}
}

func TestOddSizes(t *testing.T) {
	opt := Options{Widths: []int{1, 2, 5, 9}, MaxWidth: 40, Workers: 1}
	for _, sz := range [][2]int{{1, 1}, {1, 7}, {7, 1}, {3, 2}, {17, 5}, {33, 31}, {2, 99}} {
		for _, o := range []int{1, 3, 5, 6, 8} {
			img := image.NewRGBA(image.Rect(0, 0, sz[0], sz[1]))
			var b bytes.Buffer
			jpeg.Encode(&b, img, nil)
			data, err := fakeexif.Insert(b.Bytes(), fakeexif.Info{Orientation: o})
			if err != nil {
				t.Fatal(err)
			}
			pr, err := NewProcessor(t.TempDir(), opt).Process(context.Background(), fstest.MapFS{"x.jpg": {Data: data}}, "x.jpg")
			if err != nil {
				t.Fatalf("%v orientation %d: %v", sz, o, err)
			}
			w, h := sz[0], sz[1]
			if o >= 5 {
				w, h = h, w
			}
			if pr.Width != w || pr.Height != h || pr.Largest().Width != min(w, 40) {
				t.Errorf("%v orientation %d: %d×%d, largest %d, want %d×%d", sz, o, pr.Width, pr.Height, pr.Largest().Width, w, h)
			}
			for _, v := range pr.Variants {
				got, _ := os.ReadFile(v.File)
				cfg, err := jpeg.DecodeConfig(bytes.NewReader(got))
				if err != nil || cfg.Width != v.Width || cfg.Height != v.Height {
					t.Errorf("%v orientation %d: variant %d×%d: file %v %v", sz, o, v.Width, v.Height, cfg, err)
				}
			}
		}
	}
}
