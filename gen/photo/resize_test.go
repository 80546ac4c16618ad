package photo

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"testing"

	"golang.org/x/image/draw"
)

func TestScalePlane(t *testing.T) {
	sizes := []struct{ sw, sh, dw, dh int }{
		{1, 1, 1, 1}, {1, 1, 3, 2}, {2, 3, 1, 1}, {5, 4, 2, 2}, {7, 3, 5, 2},
		{64, 48, 48, 36}, {100, 10, 13, 7}, {3, 100, 2, 9}, {40, 30, 40, 30},
	}
	for _, s := range sizes {
		name := fmt.Sprintf("%d×%d→%d×%d", s.sw, s.sh, s.dw, s.dh)
		// A flat plane stays flat: the weights sum to one everywhere.
		src := make([]byte, s.sw*s.sh)
		for i := range src {
			src[i] = 77
		}
		dst := make([]byte, s.dw*s.dh)
		scalePlane(dst, s.dw, s.dw, s.dh, src, s.sw, s.sw, s.sh)
		for i, v := range dst {
			if v != 77 {
				t.Fatalf("%s: flat plane: sample %d = %d, want 77", name, i, v)
			}
		}
		// A left-to-right ramp stays a ramp (never decreasing).
		for y := range s.sh {
			for x := range s.sw {
				src[y*s.sw+x] = byte(255 * x / max(1, s.sw-1))
			}
		}
		scalePlane(dst, s.dw, s.dw, s.dh, src, s.sw, s.sw, s.sh)
		for y := range s.dh {
			for x := 1; x < s.dw; x++ {
				if a, b := int(dst[y*s.dw+x-1]), int(dst[y*s.dw+x]); b+2 < a {
					t.Fatalf("%s: ramp falls at (%d,%d): %d then %d", name, x, y, a, b)
				}
			}
		}
	}
}

func TestHalvePlane(t *testing.T) {
	src := []byte{
		0, 4, 8,
		4, 8, 12,
		100, 100, 100,
	}
	dst := make([]byte, 4)
	halvePlane(dst, 2, 2, 2, src, 3, 3, 3)
	want := []byte{4, 10, 100, 100}
	for i := range want {
		if dst[i] != want[i] {
			t.Errorf("halvePlane = %v, want %v", dst, want)
			break
		}
	}
}

func TestPyramidLevels(t *testing.T) {
	img := image.NewYCbCr(image.Rect(0, 0, 4000, 3000), image.YCbCrSubsampleRatio420)
	p := newPyramid(img, 480, 360)
	var got []int
	for _, l := range p {
		got = append(got, l.Rect.Dx())
	}
	if want := []int{4000, 2000, 1000, 500}; !equalInts(got, want) {
		t.Errorf("levels = %v, want %v", got, want)
	}
	if got := p.pick(960, 720).Rect.Dx(); got != 1000 {
		t.Errorf("pick(960) = %d, want 1000", got)
	}
	if got := p.pick(2560, 1920).Rect.Dx(); got != 4000 {
		t.Errorf("pick(2560) = %d, want 4000", got)
	}
}

func TestToYCbCrFlattensPremultiplied(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 2, 1))
	img.SetRGBA(0, 0, color.RGBA{0, 0, 0, 0})     // transparent: white
	img.SetRGBA(1, 0, color.RGBA{128, 0, 0, 128}) // half red over white: pink
	y := toYCbCr(img)
	r, g, b := color.YCbCrToRGB(y.Y[0], y.Cb[0], y.Cr[0])
	if r < 250 || g < 250 || b < 250 {
		t.Errorf("transparent pixel = %d,%d,%d, want white", r, g, b)
	}
	r, g, b = color.YCbCrToRGB(y.Y[1], y.Cb[1], y.Cr[1])
	if r < 250 || g < 120 || g > 135 || b < 120 || b > 135 {
		t.Errorf("half red pixel = %d,%d,%d, want about 255,127,127", r, g, b)
	}
}

// detailedPhoto is a w×h 4:2:0 picture with what makes resizing hard: a
// zone plate (fine rings that alias when filtered badly), hard-edged
// blocks, gradients and noise, and colour in both chroma planes.
func detailedPhoto(w, h int) *image.YCbCr {
	img := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	seed := uint32(1)
	for y := range h {
		for x := range w {
			seed = seed*1664525 + 1013904223
			fx, fy := float64(x)/float64(w), float64(y)/float64(h)
			v := 60*(0.5+0.5*math.Cos(300*(fx*fx+fy*fy))) + 80*fx + 40*fy + float64(seed>>24)/16
			if (x/37+y/23)%2 == 0 {
				v += 50
			}
			img.Y[y*img.YStride+x] = uint8(min(255, v))
		}
	}
	for y := range (h + 1) / 2 {
		for x := range (w + 1) / 2 {
			img.Cb[y*img.CStride+x] = uint8(128 + 60*math.Sin(float64(x)/20))
			img.Cr[y*img.CStride+x] = uint8(128 + 60*math.Cos(float64(y)/15))
		}
	}
	return img
}

// psnr is the peak signal-to-noise ratio of b against a over their R, G
// and B samples, in dB: above 40 the two look the same.
func psnr(a, b image.Image) float64 {
	r := a.Bounds()
	var se float64
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			c1 := color.RGBAModel.Convert(a.At(x, y)).(color.RGBA)
			c2 := color.RGBAModel.Convert(b.At(x, y)).(color.RGBA)
			for _, d := range [3]float64{float64(c1.R) - float64(c2.R), float64(c1.G) - float64(c2.G), float64(c1.B) - float64(c2.B)} {
				se += d * d
			}
		}
	}
	return 10 * math.Log10(255*255*3*float64(r.Dx()*r.Dy())/se)
}

// TestScaleMatchesXDraw holds the resizer (box-filter halvings, then a
// Catmull-Rom step) to golang.org/x/image/draw's CatmullRom applied to the
// full picture, which is more than ten times slower (BenchmarkScale). The
// halvings let more of the zone plate's finest rings alias than a full
// Catmull-Rom does, so the more halvings a step takes the further it is
// from it; the bounds sit about 1.5 dB below what the resizer gives.
func TestScaleMatchesXDraw(t *testing.T) {
	// The steps from 1000 pixels are those from 4000 to gen's widths
	// (1600, 960, 480) over four: one halving, two and three.
	src := detailedPhoto(1000, 750)
	for _, s := range []struct {
		w, h int
		min  float64 // dB
	}{{400, 300, 36}, {240, 180, 26}, {120, 90, 23.5}} {
		ours := newPyramid(src, s.w, s.h).scale(s.w, s.h)
		ref := image.NewRGBA(image.Rect(0, 0, s.w, s.h))
		draw.CatmullRom.Scale(ref, ref.Rect, src, src.Bounds(), draw.Src, nil)
		got := psnr(ref, ours)
		t.Logf("%d×%d: %.1f dB from x/image/draw's CatmullRom", s.w, s.h, got)
		if got < s.min {
			t.Errorf("%d×%d: %.1f dB from x/image/draw's CatmullRom, want at least %.1f dB", s.w, s.h, got, s.min)
		}
	}
}

// BenchmarkScale makes the three published widths of a 4000×3000 photo,
// with this package's resizer and with x/image/draw's CatmullRom.
func BenchmarkScale(b *testing.B) {
	src := detailedPhoto(4000, 3000)
	widths := []int{1600, 960, 480}
	b.Run("pyramid", func(b *testing.B) {
		for b.Loop() {
			p := newPyramid(src, widths[0], widths[0]*3/4)
			for _, w := range widths {
				p.scale(w, w*3/4)
			}
		}
	})
	b.Run("xdraw", func(b *testing.B) {
		for b.Loop() {
			for _, w := range widths {
				dst := image.NewRGBA(image.Rect(0, 0, w, w*3/4))
				draw.CatmullRom.Scale(dst, dst.Rect, src, src.Bounds(), draw.Src, nil)
			}
		}
	})
}
