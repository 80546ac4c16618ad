// Command placeholder draws the example site's placeholder photos, one
// album per photo caption of the print feature, into content/photos. The
// images are flat illustrations stamped 示例图片 (drawn with a CJK font
// found on the machine, -font; "SAMPLE IMAGE" if there is none); album.yaml
// beside them, written by hand, says 示例图片 in every caption and credit.
//
// One photo, bailang-road/road-2.jpg, is stored turned on its side with an
// EXIF orientation of 6, a made-up GPS position and a camera serial number,
// as a phone would write it, so that every build of the example site proves
// that photos come out upright and without location data.
//
//	go run ./gen/photo/internal/placeholder [-out content/photos] [-font FILE.ttc]
package main

import (
	"bytes"
	"flag"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"

	"gongjian/gen/photo/internal/fakeexif"
)

type shot struct {
	album, file string
	scene       func(*canvas, int)
	v           int
	exif        bool // store rotated, with orientation 6, GPS and serial
}

var shots = []shot{
	{"industrial-park", "park-1.jpg", industrialPark, 0, false},
	{"industrial-park", "park-2.jpg", industrialPark, 1, false},
	{"bailang-road", "road-1.jpg", bailangRoad, 0, false},
	{"bailang-road", "road-2.jpg", bailangRoad, 1, true},
	{"watershed", "river-1.jpg", watershed, 0, false},
	{"watershed", "river-2.jpg", watershed, 1, false},
	{"sewage-plant-visit", "plant-1.jpg", sewagePlant, 0, false},
	{"sewage-plant-visit", "plant-2.png", sewagePlant, 1, false},
	{"residential-compound", "compound-1.jpg", compound, 0, false},
	{"residential-compound", "compound-2.jpg", compound, 1, false},
	{"elders-dance", "dance-1.jpg", eldersDance, 0, false},
	{"elders-dance", "dance-2.jpg", eldersDance, 1, false},
}

func main() {
	out := flag.String("out", "content/photos", "folder of the albums")
	w := flag.Int("w", 1280, "image width")
	h := flag.Int("h", 854, "image height")
	fontFile := flag.String("font", "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", "a CJK font (collection) for the 示例图片 stamp (Debian: fonts-noto-cjk)")
	flag.Parse()
	face, err := stampFace(*fontFile, *w)
	if err != nil {
		fmt.Fprintf(os.Stderr, "placeholder: %v; stamping \"SAMPLE IMAGE\" instead\n", err)
	}
	if err := run(*out, *w, *h, face); err != nil {
		fmt.Fprintln(os.Stderr, "placeholder:", err)
		os.Exit(1)
	}
}

// stampFace opens the CJK font for the stamp at a size that reads on a
// phone: a 36th of the picture's width (36 px on a 1280 px picture).
func stampFace(file string, w int) (font.Face, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	coll, err := opentype.ParseCollection(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	if coll.NumFonts() == 0 {
		return nil, fmt.Errorf("%s: no font in the collection", file)
	}
	f, err := coll.Font(0)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return opentype.NewFace(f, &opentype.FaceOptions{Size: float64(w) / 36, DPI: 72, Hinting: font.HintingFull})
}

func run(out string, w, h int, face font.Face) error {
	total := 0
	for _, s := range shots {
		c := newCanvas(w, h)
		s.scene(c, s.v)
		c.badge(face)
		var img image.Image = c.img
		var b bytes.Buffer
		var err error
		switch filepath.Ext(s.file) {
		case ".png":
			err = png.Encode(&b, img)
		default:
			if s.exif {
				img = rotateCCW(c.img) // the phone stores it on its side…
			}
			err = jpeg.Encode(&b, img, &jpeg.Options{Quality: 80})
		}
		if err != nil {
			return err
		}
		data := b.Bytes()
		if s.exif { // …and says how to turn it upright.
			data, err = fakeexif.Insert(data, fakeexif.Info{
				Orientation: 6, Lat: 32.6470, Lon: 110.7960,
				Make: "PlaceholderCam", Serial: "SAMPLE-000000",
			})
			if err != nil {
				return err
			}
		}
		dir := filepath.Join(out, s.album)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, s.file), data, 0o644); err != nil {
			return err
		}
		total += len(data)
		fmt.Printf("%-22s %-15s %7d bytes\n", s.album, s.file, len(data))
	}
	fmt.Printf("total %d bytes\n", total)
	return nil
}

// rotateCCW turns an image a quarter turn counter-clockwise: what a phone
// held upright stores when its sensor is mounted sideways.
func rotateCCW(src *image.RGBA) *image.RGBA {
	w, h := src.Rect.Dx(), src.Rect.Dy()
	dst := image.NewRGBA(image.Rect(0, 0, h, w))
	for y := range h {
		for x := range w {
			dst.SetRGBA(y, w-1-x, src.RGBAAt(x, y))
		}
	}
	return dst
}
