package photo

import (
	"image"
	"image/color"
	"image/draw"

	xdraw "golang.org/x/image/draw"
)

// A pyramid holds an image and successive halvings of it. Halving with a
// 2×2 box filter is cheap and, done until the image is less than twice the
// wanted size, leaves the final high-quality filter very little to do: a
// 4000-pixel photo reaches 480 pixels through three halvings and one short
// Catmull-Rom step instead of a Catmull-Rom pass over 12 million pixels.
type pyramid []image.Image

// newPyramid normalises img to *image.YCbCr (as JPEG decodes) or *image.RGBA
// (anything else, flattened onto white so transparent PNG areas do not turn
// black in a JPEG) and halves it while the result is still at least minW×minH.
func newPyramid(img image.Image, minW, minH int) pyramid {
	base := normalise(img)
	p := pyramid{base}
	for {
		last := p[len(p)-1]
		b := last.Bounds()
		if b.Dx()/2 < minW || b.Dy()/2 < minH || b.Dx() < 2 || b.Dy() < 2 {
			return p
		}
		p = append(p, halve(last))
	}
}

// pick returns the smallest level at least w×h.
func (p pyramid) pick(w, h int) image.Image {
	best := p[0]
	for _, l := range p[1:] {
		if b := l.Bounds(); b.Dx() >= w && b.Dy() >= h {
			best = l
		}
	}
	return best
}

// scale returns the image resized to exactly w×h.
func (p pyramid) scale(w, h int) *image.RGBA {
	src := p.pick(w, h)
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	if src.Bounds().Size() == dst.Rect.Size() {
		draw.Draw(dst, dst.Rect, src, src.Bounds().Min, draw.Src)
		return dst
	}
	xdraw.CatmullRom.Scale(dst, dst.Rect, src, src.Bounds(), xdraw.Src, nil)
	return dst
}

func normalise(img image.Image) image.Image {
	if y, ok := img.(*image.YCbCr); ok && y.Rect.Min == (image.Point{}) {
		switch y.SubsampleRatio {
		case image.YCbCrSubsampleRatio444, image.YCbCrSubsampleRatio422,
			image.YCbCrSubsampleRatio420, image.YCbCrSubsampleRatio440:
			return y
		}
	}
	b := img.Bounds()
	dst := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(dst, dst.Rect, image.NewUniform(color.White), image.Point{}, draw.Src)
	draw.Draw(dst, dst.Rect, img, b.Min, draw.Over)
	return dst
}

func halve(img image.Image) image.Image {
	switch s := img.(type) {
	case *image.YCbCr:
		w, h := s.Rect.Dx()/2, s.Rect.Dy()/2
		d := image.NewYCbCr(image.Rect(0, 0, w, h), s.SubsampleRatio)
		halvePlane(d.Y, d.YStride, w, h, 1, s.Y, s.YStride, s.Rect.Dx(), s.Rect.Dy())
		scw, sch := chromaSize(s.Rect.Dx(), s.Rect.Dy(), s.SubsampleRatio)
		dcw, dch := chromaSize(w, h, s.SubsampleRatio)
		halvePlane(d.Cb, d.CStride, dcw, dch, 1, s.Cb, s.CStride, scw, sch)
		halvePlane(d.Cr, d.CStride, dcw, dch, 1, s.Cr, s.CStride, scw, sch)
		return d
	case *image.RGBA:
		w, h := s.Rect.Dx()/2, s.Rect.Dy()/2
		d := image.NewRGBA(image.Rect(0, 0, w, h))
		halvePlane(d.Pix, d.Stride, w, h, 4, s.Pix, s.Stride, s.Rect.Dx(), s.Rect.Dy())
		return d
	}
	panic("photo: halve of an image that was not normalised")
}

func chromaSize(w, h int, r image.YCbCrSubsampleRatio) (int, int) {
	switch r {
	case image.YCbCrSubsampleRatio422:
		return (w + 1) / 2, h
	case image.YCbCrSubsampleRatio420:
		return (w + 1) / 2, (h + 1) / 2
	case image.YCbCrSubsampleRatio440:
		return w, (h + 1) / 2
	}
	return w, h
}

// halvePlane box-filters an interleaved plane of bpp bytes per pixel from
// sw×sh to dw×dh, where dw ≤ ceil(sw/2) and dh ≤ ceil(sh/2); source
// coordinates past the edge are clamped to it.
func halvePlane(dst []byte, dstride, dw, dh, bpp int, src []byte, sstride, sw, sh int) {
	for y := range dh {
		y0, y1 := min(2*y, sh-1), min(2*y+1, sh-1)
		r0 := src[y0*sstride : y0*sstride+sw*bpp]
		r1 := src[y1*sstride : y1*sstride+sw*bpp]
		out := dst[y*dstride : y*dstride+dw*bpp]
		// Columns whose two source pixels both exist.
		full := min(dw, sw/2)
		if bpp == 1 {
			for x := range full {
				out[x] = byte((uint(r0[2*x]) + uint(r0[2*x+1]) + uint(r1[2*x]) + uint(r1[2*x+1]) + 2) >> 2)
			}
		} else {
			for x := range full {
				i, o := 2*x*bpp, x*bpp
				for c := range bpp {
					out[o+c] = byte((uint(r0[i+c]) + uint(r0[i+bpp+c]) + uint(r1[i+c]) + uint(r1[i+bpp+c]) + 2) >> 2)
				}
			}
		}
		for x := full; x < dw; x++ {
			x0, x1 := min(2*x, sw-1)*bpp, min(2*x+1, sw-1)*bpp
			for c := range bpp {
				out[x*bpp+c] = byte((uint(r0[x0+c]) + uint(r0[x1+c]) + uint(r1[x0+c]) + uint(r1[x1+c]) + 2) >> 2)
			}
		}
	}
}

// orient returns img transformed so that it shows upright, given the EXIF
// orientation o of its stored pixels.
func orient(img *image.RGBA, o int) *image.RGBA {
	if o < 2 || o > 8 {
		return img
	}
	w, h := img.Rect.Dx(), img.Rect.Dy()
	dw, dh := w, h
	if o >= 5 {
		dw, dh = h, w
	}
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	for y := range h {
		row := img.Pix[y*img.Stride : y*img.Stride+4*w]
		for x := range w {
			var dx, dy int
			switch o {
			case OrientFlipH:
				dx, dy = w-1-x, y
			case OrientRotate180:
				dx, dy = w-1-x, h-1-y
			case OrientFlipV:
				dx, dy = x, h-1-y
			case OrientTranspose:
				dx, dy = y, x
			case OrientRotate90CW:
				dx, dy = h-1-y, x
			case OrientTransverse:
				dx, dy = h-1-y, w-1-x
			case OrientRotate270CW:
				dx, dy = y, w-1-x
			}
			copy(dst.Pix[dy*dst.Stride+4*dx:dy*dst.Stride+4*dx+4], row[4*x:4*x+4])
		}
	}
	return dst
}
