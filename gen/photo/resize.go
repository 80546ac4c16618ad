package photo

import (
	"image"
	"image/color"
	"math"
)

// Resizing works on the Y, Cb and Cr planes that JPEG decoding produces,
// one byte per sample, and produces 4:2:0 planes that the JPEG encoder takes
// as they are: no RGBA copy of a 12-megapixel photo is ever made.
//
// A pyramid holds an image and successive halvings of it. Halving with a 2×2
// box filter is cheap and, done until the image is less than twice the wanted
// size, leaves the final Catmull-Rom filter little to do: a 4000-pixel photo
// reaches 480 pixels through three halvings and one short filter step.
type pyramid []*image.YCbCr

// newPyramid normalises img to *image.YCbCr and halves it while the result
// is still at least minW×minH.
func newPyramid(img image.Image, minW, minH int) pyramid {
	p := pyramid{toYCbCr(img)}
	for {
		b := p[len(p)-1].Rect
		if b.Dx()/2 < minW || b.Dy()/2 < minH || b.Dx() < 2 || b.Dy() < 2 {
			return p
		}
		p = append(p, halve(p[len(p)-1]))
	}
}

// pick returns the smallest level at least w×h.
func (p pyramid) pick(w, h int) *image.YCbCr {
	best := p[0]
	for _, l := range p[1:] {
		if l.Rect.Dx() >= w && l.Rect.Dy() >= h {
			best = l
		}
	}
	return best
}

// scale returns the image resized to exactly w×h, as 4:2:0.
func (p pyramid) scale(w, h int) *image.YCbCr {
	src := p.pick(w, h)
	dst := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	sw, sh := src.Rect.Dx(), src.Rect.Dy()
	scalePlane(dst.Y, dst.YStride, w, h, src.Y, src.YStride, sw, sh)
	scw, sch := chromaSize(sw, sh, src.SubsampleRatio)
	dcw, dch := chromaSize(w, h, dst.SubsampleRatio)
	scalePlane(dst.Cb, dst.CStride, dcw, dch, src.Cb, src.CStride, scw, sch)
	scalePlane(dst.Cr, dst.CStride, dcw, dch, src.Cr, src.CStride, scw, sch)
	return dst
}

// toYCbCr returns img as a *image.YCbCr with its origin at 0,0 and a
// subsampling this file handles; transparent areas are flattened onto white,
// since a JPEG has no transparency and black would be the alternative.
func toYCbCr(img image.Image) *image.YCbCr {
	if y, ok := img.(*image.YCbCr); ok && y.Rect.Min == (image.Point{}) {
		switch y.SubsampleRatio {
		case image.YCbCrSubsampleRatio444, image.YCbCrSubsampleRatio422,
			image.YCbCrSubsampleRatio420, image.YCbCrSubsampleRatio440:
			return y
		}
	}
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	dst := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio444)
	set := func(x, y int, r, g, bl uint8) {
		i := y*dst.YStride + x
		dst.Y[i], dst.Cb[i], dst.Cr[i] = color.RGBToYCbCr(r, g, bl)
	}
	switch m := img.(type) {
	case *image.NRGBA:
		for y := range h {
			row := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):]
			for x := range w {
				p := row[4*x : 4*x+4]
				a := uint32(p[3])
				f := func(c uint8) uint8 { return uint8((uint32(c)*a + 255*(255-a) + 127) / 255) }
				set(x, y, f(p[0]), f(p[1]), f(p[2]))
			}
		}
	case *image.RGBA:
		for y := range h {
			row := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):]
			for x := range w {
				p := row[4*x : 4*x+4]
				// Premultiplied: add the white that shows through.
				f := func(c uint8) uint8 { return uint8(min(255, int(c)+255-int(p[3]))) }
				set(x, y, f(p[0]), f(p[1]), f(p[2]))
			}
		}
	case *image.Gray:
		for y := range h {
			copy(dst.Y[y*dst.YStride:y*dst.YStride+w], m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):])
		}
		for i := range dst.Cb {
			dst.Cb[i], dst.Cr[i] = 128, 128
		}
	default:
		for y := range h {
			for x := range w {
				r, g, bl, a := img.At(b.Min.X+x, b.Min.Y+y).RGBA() // premultiplied, 16 bits
				bg := 0xFFFF - a
				set(x, y, uint8((r+bg)>>8), uint8((g+bg)>>8), uint8((bl+bg)>>8))
			}
		}
	}
	return dst
}

func halve(s *image.YCbCr) *image.YCbCr {
	w, h := s.Rect.Dx()/2, s.Rect.Dy()/2
	d := image.NewYCbCr(image.Rect(0, 0, w, h), s.SubsampleRatio)
	halvePlane(d.Y, d.YStride, w, h, s.Y, s.YStride, s.Rect.Dx(), s.Rect.Dy())
	scw, sch := chromaSize(s.Rect.Dx(), s.Rect.Dy(), s.SubsampleRatio)
	dcw, dch := chromaSize(w, h, s.SubsampleRatio)
	halvePlane(d.Cb, d.CStride, dcw, dch, s.Cb, s.CStride, scw, sch)
	halvePlane(d.Cr, d.CStride, dcw, dch, s.Cr, s.CStride, scw, sch)
	return d
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

// halvePlane box-filters a plane from sw×sh to dw×dh, where dw ≤ ceil(sw/2)
// and dh ≤ ceil(sh/2); source coordinates past the edge are clamped to it.
func halvePlane(dst []byte, dstride, dw, dh int, src []byte, sstride, sw, sh int) {
	for y := range dh {
		y0, y1 := min(2*y, sh-1), min(2*y+1, sh-1)
		r0 := src[y0*sstride : y0*sstride+sw]
		r1 := src[y1*sstride : y1*sstride+sw]
		out := dst[y*dstride : y*dstride+dw]
		full := min(dw, sw/2) // columns whose two source samples both exist
		for x := range full {
			out[x] = byte((uint(r0[2*x]) + uint(r0[2*x+1]) + uint(r1[2*x]) + uint(r1[2*x+1]) + 2) >> 2)
		}
		for x := full; x < dw; x++ {
			x0, x1 := min(2*x, sw-1), min(2*x+1, sw-1)
			out[x] = byte((uint(r0[x0]) + uint(r0[x1]) + uint(r1[x0]) + uint(r1[x1]) + 2) >> 2)
		}
	}
}

// taps are the filter weights that make dw samples out of sw: output i reads
// n consecutive inputs from start[i], weighted by w[i*n:(i+1)*n], in fixed
// point with weightOne as 1.
type taps struct {
	n     int
	start []int
	w     []int32
}

const weightBits = 14
const weightOne = 1 << weightBits

// catmullRom is the Catmull-Rom cubic (B=0, C=0.5): sharp, with little ringing.
func catmullRom(x float64) float64 {
	x = math.Abs(x)
	switch {
	case x < 1:
		return (1.5*x-2.5)*x*x + 1
	case x < 2:
		return ((-0.5*x+2.5)*x-4)*x + 2
	}
	return 0
}

func makeTaps(sw, dw int) taps {
	scale := float64(sw) / float64(dw)
	fs := max(scale, 1) // widen the kernel when shrinking, so it averages
	support := 2 * fs
	n := min(int(math.Ceil(2*support))+1, sw)
	t := taps{n: n, start: make([]int, dw), w: make([]int32, dw*n)}
	fw := make([]float64, n)
	for i := range dw {
		center := (float64(i)+0.5)*scale - 0.5
		left := int(math.Floor(center-support)) + 1
		start := min(max(left, 0), sw-n)
		clear(fw)
		var sum float64
		for k := range n {
			j := left + k
			v := catmullRom((float64(j) - center) / fs)
			// Samples past an edge repeat the edge sample.
			fw[min(max(j, 0), sw-1)-start] += v
			sum += v
		}
		t.start[i] = start
		ws := t.w[i*n : (i+1)*n]
		var isum int32
		big := 0
		for k := range n {
			ws[k] = int32(math.Round(fw[k] / sum * weightOne))
			isum += ws[k]
			if ws[k] > ws[big] {
				big = k
			}
		}
		ws[big] += weightOne - isum // exact unity gain
	}
	return t
}

func clampByte(v int32) byte {
	v = (v + weightOne/2) >> weightBits
	if v < 0 {
		return 0
	}
	if v > 255 {
		return 255
	}
	return byte(v)
}

// scalePlane resamples a plane from sw×sh to dw×dh with a separable
// Catmull-Rom filter: rows first into a temporary plane, then columns.
func scalePlane(dst []byte, dstride, dw, dh int, src []byte, sstride, sw, sh int) {
	if sw == dw && sh == dh {
		for y := range dh {
			copy(dst[y*dstride:y*dstride+dw], src[y*sstride:y*sstride+sw])
		}
		return
	}
	tx := makeTaps(sw, dw)
	tmp := make([]byte, dw*sh)
	for y := range sh {
		row := src[y*sstride : y*sstride+sw]
		out := tmp[y*dw : (y+1)*dw]
		n := tx.n
		for x := range dw {
			ws := tx.w[x*n : x*n+n]
			in := row[tx.start[x]:]
			in = in[:len(ws)] // lets the compiler drop the bounds checks below
			var acc int32
			for k, w := range ws {
				acc += int32(in[k]) * w
			}
			out[x] = clampByte(acc)
		}
	}
	ty := makeTaps(sh, dh)
	acc := make([]int32, dw)
	for y := range dh {
		clear(acc)
		for k := range ty.n {
			wk := ty.w[y*ty.n+k]
			if wk == 0 {
				continue
			}
			r := ty.start[y] + k
			in := tmp[r*dw : (r+1)*dw]
			for x, v := range in {
				acc[x] += int32(v) * wk
			}
		}
		out := dst[y*dstride : y*dstride+dw]
		for x, a := range acc {
			out[x] = clampByte(a)
		}
	}
}

// orient returns img transformed so that it shows upright, given the EXIF
// orientation o of its stored pixels. img must be 4:2:0 or 4:4:4, whose
// chroma planes turn with the picture.
func orient(img *image.YCbCr, o int) *image.YCbCr {
	if o < 2 || o > 8 {
		return img
	}
	w, h := img.Rect.Dx(), img.Rect.Dy()
	dw, dh := w, h
	if o >= OrientTranspose {
		dw, dh = h, w
	}
	dst := image.NewYCbCr(image.Rect(0, 0, dw, dh), img.SubsampleRatio)
	orientPlane(dst.Y, dst.YStride, img.Y, img.YStride, w, h, o)
	cw, ch := chromaSize(w, h, img.SubsampleRatio)
	orientPlane(dst.Cb, dst.CStride, img.Cb, img.CStride, cw, ch, o)
	orientPlane(dst.Cr, dst.CStride, img.Cr, img.CStride, cw, ch, o)
	return dst
}

// orientPlane moves each sample of a w×h plane to where orientation o puts it.
func orientPlane(dst []byte, dstride int, src []byte, sstride, w, h, o int) {
	for y := range h {
		row := src[y*sstride : y*sstride+w]
		for x, v := range row {
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
			dst[dy*dstride+dx] = v
		}
	}
}
