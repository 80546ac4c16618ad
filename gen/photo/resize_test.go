package photo

import (
	"fmt"
	"image"
	"image/color"
	"testing"
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
