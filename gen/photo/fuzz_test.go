package photo

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"testing"
	"testing/fstest"

	"gongjian/gen/photo/internal/fakeexif"
)

func FuzzJPEGOrientation(f *testing.F) {
	base := storedJPEG(f, 16, 12, 1)
	for o := range 9 {
		b, _ := fakeexif.Insert(base, fakeexif.Info{Orientation: o, Lat: 1, Lon: 2, Serial: "x"})
		f.Add(b[:min(len(b), 300)])
	}
	f.Add([]byte("\xFF\xD8\xFF\xE1\x00\x10Exif\x00\x00MM\x00\x2A\x00\x00\x00\x08"))
	f.Fuzz(func(t *testing.T, b []byte) {
		if o := JPEGOrientation(b); o < 1 || o > 8 {
			t.Fatalf("JPEGOrientation = %d", o)
		}
		if o := tiffOrientation(b); o < 1 || o > 8 {
			t.Fatalf("tiffOrientation = %d", o)
		}
		if o := PNGOrientation(b); o < 1 || o > 8 {
			t.Fatalf("PNGOrientation = %d", o)
		}
		HasMetadata(b)
	})
}

// FuzzProcess feeds arbitrary bytes through the header check and, when it
// passes, the whole pipeline: nothing may panic, and the pixel limit must
// hold whatever the header says.
func FuzzProcess(f *testing.F) {
	f.Add(storedJPEG(f, 16, 12, 1))
	var pb bytes.Buffer
	png.Encode(&pb, image.NewGray(image.Rect(0, 0, 5, 3)))
	f.Add(pb.Bytes())
	f.Add(withSize(f, storedJPEG(f, 16, 12, 1), 40000, 40000))
	opt := Options{Widths: []int{4, 8}, MaxWidth: 16, MaxPixels: 1 << 14, Workers: 1}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, b []byte) {
		cfg, _, err := checkHeader(b, opt.MaxPixels)
		if err == nil && int64(cfg.Width)*int64(cfg.Height) > opt.MaxPixels {
			t.Fatalf("header %d×%d passed the limit", cfg.Width, cfg.Height)
		}
		p := NewProcessor(dir, opt)
		pr, err := p.Process(context.Background(), fstest.MapFS{"f": {Data: b}}, "f")
		if err == nil && (len(pr.Variants) == 0 || pr.Largest().Width > 16) {
			t.Fatalf("variants %+v", pr.Variants)
		}
	})
}

func FuzzLoadAlbums(f *testing.F) {
	f.Add([]byte(goodAlbum))
	f.Add([]byte("title: [\nphotos: {a: 1}\n"))
	f.Add([]byte("photos:\n  - file: a.jpg\n  - file: a.jpg\n  - [1, 2]\ncover: b.png\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		fsys := fstest.MapFS{
			"c/p/a/album.yaml": {Data: b},
			"c/p/a/a.jpg":      {Data: []byte("x")},
			"c/p/a/b.png":      {Data: []byte("x")},
		}
		albums, _, errs := LoadAlbums(fsys, "c/p", false)
		if len(albums) > 0 && len(errs) > 0 {
			t.Fatalf("an album and errors: %v", errs)
		}
		for _, a := range albums {
			if len(a.Photos) == 0 || a.Title == "" || a.Date.IsZero() {
				t.Fatalf("incomplete album accepted: %+v", a)
			}
			a.CoverPhoto()
		}
	})
}
