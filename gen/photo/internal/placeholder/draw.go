package main

import (
	"image"
	"image/color"
	"image/draw"
	"math"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

// canvas draws flat shapes in coordinates given as fractions of its width
// and height, so a scene reads the same at any size.
type canvas struct {
	img  *image.RGBA
	w, h float64
}

func newCanvas(w, h int) *canvas {
	return &canvas{img: image.NewRGBA(image.Rect(0, 0, w, h)), w: float64(w), h: float64(h)}
}

type pt struct{ x, y float64 } // fractions of width and height

func rgb(hex uint32) color.RGBA {
	return color.RGBA{uint8(hex >> 16), uint8(hex >> 8), uint8(hex), 255}
}

func (c *canvas) px(x, y float64) (int, int) {
	return int(math.Round(x * c.w)), int(math.Round(y * c.h))
}

func (c *canvas) rect(x0, y0, x1, y1 float64, col color.RGBA) {
	a, b := c.px(x0, y0)
	d, e := c.px(x1, y1)
	draw.Draw(c.img, image.Rect(a, b, d, e), image.NewUniform(col), image.Point{}, draw.Src)
}

// vgrad fills a band with a vertical gradient, in steps of two pixels so
// that it compresses well.
func (c *canvas) vgrad(y0, y1 float64, top, bottom color.RGBA) {
	_, a := c.px(0, y0)
	_, b := c.px(0, y1)
	for y := a; y < b; y += 2 {
		t := float64(y-a) / float64(max(1, b-a))
		mix := func(p, q uint8) uint8 { return uint8(float64(p)*(1-t) + float64(q)*t) }
		col := color.RGBA{mix(top.R, bottom.R), mix(top.G, bottom.G), mix(top.B, bottom.B), 255}
		draw.Draw(c.img, image.Rect(0, y, c.img.Rect.Dx(), min(y+2, b)), image.NewUniform(col), image.Point{}, draw.Src)
	}
}

// ellipse fills an ellipse centred at (cx, cy) with radii in fractions of
// the width (rx) and height (ry).
func (c *canvas) ellipse(cx, cy, rx, ry float64, col color.RGBA) {
	x0, y0 := c.px(cx-rx, cy-ry)
	x1, y1 := c.px(cx+rx, cy+ry)
	pcx, pcy := cx*c.w, cy*c.h
	prx, pry := rx*c.w, ry*c.h
	for y := y0; y <= y1; y++ {
		for x := x0; x <= x1; x++ {
			dx, dy := (float64(x)+0.5-pcx)/prx, (float64(y)+0.5-pcy)/pry
			if dx*dx+dy*dy <= 1 && image.Pt(x, y).In(c.img.Rect) {
				c.img.SetRGBA(x, y, col)
			}
		}
	}
}

// circle is a round ellipse whose radius is a fraction of the height.
func (c *canvas) circle(cx, cy, r float64, col color.RGBA) {
	c.ellipse(cx, cy, r*c.h/c.w, r, col)
}

// poly fills a polygon by scanlines (even-odd rule).
func (c *canvas) poly(pts []pt, col color.RGBA) {
	if len(pts) < 3 {
		return
	}
	miny, maxy := math.Inf(1), math.Inf(-1)
	for _, p := range pts {
		miny, maxy = min(miny, p.y*c.h), max(maxy, p.y*c.h)
	}
	var xs []float64
	for y := int(math.Floor(miny)); y <= int(math.Ceil(maxy)); y++ {
		if y < 0 || y >= c.img.Rect.Dy() {
			continue
		}
		fy := float64(y) + 0.5
		xs = xs[:0]
		for i, a := range pts {
			b := pts[(i+1)%len(pts)]
			ay, by := a.y*c.h, b.y*c.h
			if (ay <= fy) != (by <= fy) {
				xs = append(xs, a.x*c.w+(fy-ay)/(by-ay)*(b.x-a.x)*c.w)
			}
		}
		sortFloats(xs)
		for i := 0; i+1 < len(xs); i += 2 {
			for x := int(math.Round(xs[i])); x < int(math.Round(xs[i+1])); x++ {
				if x >= 0 && x < c.img.Rect.Dx() {
					c.img.SetRGBA(x, y, col)
				}
			}
		}
	}
}

func sortFloats(a []float64) {
	for i := 1; i < len(a); i++ {
		for j := i; j > 0 && a[j] < a[j-1]; j-- {
			a[j], a[j-1] = a[j-1], a[j]
		}
	}
}

// line draws a thick segment; width is a fraction of the height.
func (c *canvas) line(a, b pt, width float64, col color.RGBA) {
	dx, dy := (b.x-a.x)*c.w, (b.y-a.y)*c.h
	n := math.Hypot(dx, dy)
	if n == 0 {
		return
	}
	ox, oy := -dy/n*width*c.h/2/c.w, dx/n*width*c.h/2/c.h
	c.poly([]pt{{a.x + ox, a.y + oy}, {b.x + ox, b.y + oy}, {b.x - ox, b.y - oy}, {a.x - ox, a.y - oy}}, col)
}

// person draws a simple standing figure whose feet are at (x, y) and whose
// height is h (a fraction of the canvas height). arms: 0 down, 1 raised,
// 2 stretched out to the sides.
func (c *canvas) person(x, y, h float64, shirt, trousers color.RGBA, arms int) {
	skin := rgb(0xE8B98F)
	hair := rgb(0x2B2B2B)
	wf := h * c.h / c.w // a height-fraction expressed as a width-fraction
	head := h * 0.12
	c.line(pt{x - wf*0.07, y - h*0.45}, pt{x - wf*0.08, y}, h*0.09, trousers)
	c.line(pt{x + wf*0.07, y - h*0.45}, pt{x + wf*0.08, y}, h*0.09, trousers)
	c.poly([]pt{{x - wf*0.14, y - h*0.78}, {x + wf*0.14, y - h*0.78}, {x + wf*0.12, y - h*0.42}, {x - wf*0.12, y - h*0.42}}, shirt)
	sh := y - h*0.75
	switch arms {
	case 1:
		c.line(pt{x - wf*0.12, sh}, pt{x - wf*0.3, sh - h*0.3}, h*0.06, shirt)
		c.line(pt{x + wf*0.12, sh}, pt{x + wf*0.3, sh - h*0.3}, h*0.06, shirt)
	case 2:
		c.line(pt{x - wf*0.12, sh}, pt{x - wf*0.42, sh + h*0.05}, h*0.06, shirt)
		c.line(pt{x + wf*0.12, sh}, pt{x + wf*0.42, sh - h*0.08}, h*0.06, shirt)
	default:
		c.line(pt{x - wf*0.14, sh}, pt{x - wf*0.18, sh + h*0.3}, h*0.06, shirt)
		c.line(pt{x + wf*0.14, sh}, pt{x + wf*0.18, sh + h*0.3}, h*0.06, shirt)
	}
	c.circle(x, y-h*0.78-head*0.9, head, skin)
	c.ellipse(x, y-h*0.78-head*1.35, wf*0.11, head*0.55, hair)
}

// tree draws a round-crowned tree standing at (x, y), h tall.
func (c *canvas) tree(x, y, h float64, crown color.RGBA) {
	wf := h * c.h / c.w
	c.rect(x-wf*0.04, y-h*0.45, x+wf*0.04, y, rgb(0x6B4A2B))
	c.ellipse(x, y-h*0.65, wf*0.3, h*0.35, crown)
}

// building draws a block with a grid of windows.
func (c *canvas) building(x0, y0, x1, y1 float64, wall, window color.RGBA, cols, rows int) {
	c.rect(x0, y0, x1, y1, wall)
	cw, rh := (x1-x0)/float64(cols), (y1-y0)/float64(rows)
	for i := range cols {
		for j := range rows {
			wx, wy := x0+cw*float64(i), y0+rh*float64(j)
			c.rect(wx+cw*0.25, wy+rh*0.25, wx+cw*0.75, wy+rh*0.7, window)
		}
	}
}

// badge writes 示例图片 in the bottom right corner, large enough to read on
// a phone, in face (a CJK font: the picture says what the caption says);
// with no face it falls back to "SAMPLE IMAGE" in a built-in Latin font.
func (c *canvas) badge(face font.Face) {
	text, scale := "示例图片", 1
	if face == nil {
		text, face, scale = "SAMPLE IMAGE", basicfont.Face7x13, max(2, int(c.w)/400)
	}
	m := face.Metrics()
	tw := font.MeasureString(face, text).Ceil()
	asc, desc := m.Ascent.Ceil(), m.Descent.Ceil()
	pad := max(4, asc/4)
	small := image.NewRGBA(image.Rect(0, 0, tw+2*pad, asc+desc+pad))
	draw.Draw(small, small.Rect, image.NewUniform(color.RGBA{255, 255, 255, 255}), image.Point{}, draw.Src)
	d := font.Drawer{Dst: small, Src: image.NewUniform(rgb(0x333333)), Face: face, Dot: fixed.P(pad, asc+pad/2)}
	d.DrawString(text)
	W, H := small.Rect.Dx()*scale, small.Rect.Dy()*scale
	x0, y0 := c.img.Rect.Dx()-W-8, c.img.Rect.Dy()-H-8
	for y := range H {
		for x := range W {
			c.img.Set(x0+x, y0+y, small.At(x/scale, y/scale))
		}
	}
}
