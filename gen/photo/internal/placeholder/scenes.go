package main

import "math"

// Each scene is a flat illustration of one caption in FACTS.md; v picks a
// variation so that two photos of an album differ.

var (
	skyTop    = rgb(0x7FB3E6)
	skyBottom = rgb(0xDCEBF7)
	hill      = rgb(0x8FB08A)
	hillFar   = rgb(0xB3C9B5)
	grass     = rgb(0x7DB36A)
	leaf      = rgb(0x3F8F4A)
	leafLight = rgb(0x5DA85A)
	asphalt   = rgb(0x5A5F66)
	paving    = rgb(0xC9C2B6)
	water     = rgb(0x5C9FC9)
	white     = rgb(0xFFFFFF)
	glass     = rgb(0x9CC3DD)
)

func (c *canvas) sky(horizon float64) {
	c.rect(0, 0, 1, 1, skyBottom)
	c.vgrad(0, horizon, skyTop, skyBottom)
}

func (c *canvas) hills(base float64, seed float64) {
	var far, near []pt
	far = append(far, pt{0, base})
	near = append(near, pt{0, base})
	for i := 0; i <= 40; i++ {
		x := float64(i) / 40
		far = append(far, pt{x, base - 0.12 - 0.05*math.Sin(x*7+seed) - 0.03*math.Sin(x*17+seed*2)})
		near = append(near, pt{x, base - 0.05 - 0.04*math.Sin(x*5+seed*3)})
	}
	far = append(far, pt{1, base})
	near = append(near, pt{1, base})
	c.poly(far, hillFar)
	c.poly(near, hill)
}

// industrialPark: factory halls with sawtooth roofs in front of the homes
// that grew up beside them: industry and city side by side.
func industrialPark(c *canvas, v int) {
	c.sky(0.6)
	c.hills(0.55, float64(v))
	c.rect(0, 0.55, 1, 0.72, rgb(0xC9CFC4)) // the works' yard
	// Residential towers behind the works.
	for i := range 5 {
		x := 0.05 + 0.19*float64(i) + 0.03*float64(v)
		top := 0.18 + 0.05*float64((i+v)%3)
		c.building(x, top, x+0.09, 0.55, rgb(0xE9E2D6), glass, 3, 10)
	}
	if v == 0 {
		// Long halls with sawtooth roofs.
		for i := range 3 {
			x0 := 0.02 + 0.33*float64(i)
			c.rect(x0, 0.5, x0+0.3, 0.72, rgb(0xD8DEE4))
			for k := range 5 {
				sx := x0 + 0.06*float64(k)
				c.poly([]pt{{sx, 0.5}, {sx + 0.06, 0.5}, {sx + 0.06, 0.44}}, rgb(0x9AA7B4))
			}
			c.rect(x0+0.03, 0.6, x0+0.27, 0.64, rgb(0x2F6FA8))
		}
	} else {
		// A new plant with a glass front and solar panels on its roof.
		c.rect(0.1, 0.44, 0.9, 0.72, rgb(0xF0F0EC))
		c.rect(0.1, 0.41, 0.9, 0.44, rgb(0x9AA7B4))
		for k := range 10 {
			x := 0.12 + 0.078*float64(k)
			c.poly([]pt{{x, 0.41}, {x + 0.06, 0.41}, {x + 0.07, 0.38}, {x + 0.01, 0.38}}, rgb(0x24456E))
		}
		c.rect(0.35, 0.52, 0.65, 0.72, glass)
		for k := range 6 {
			c.rect(0.35+0.05*float64(k), 0.52, 0.352+0.05*float64(k), 0.72, rgb(0x6E8FA8))
		}
	}
	c.rect(0, 0.72, 1, 0.78, grass)
	for i := range 9 {
		c.tree(0.05+0.11*float64(i), 0.78, 0.12, leaf)
	}
	c.rect(0, 0.78, 1, 1, asphalt)
	for i := range 8 {
		c.rect(0.02+0.13*float64(i), 0.885, 0.09+0.13*float64(i), 0.895, white)
	}
	if v == 1 {
		// A lorry on its way in.
		c.rect(0.6, 0.8, 0.78, 0.9, rgb(0x2F6FA8))
		c.rect(0.78, 0.83, 0.84, 0.9, rgb(0xE0E4E8))
		c.circle(0.64, 0.91, 0.025, rgb(0x222222))
		c.circle(0.8, 0.91, 0.025, rgb(0x222222))
	}
}

// bailangRoad: the renovated road in perspective, with lanes, pavements,
// street trees and lamps.
func bailangRoad(c *canvas, v int) {
	c.sky(0.5)
	c.hills(0.5, 2+float64(v))
	vp := pt{0.5 + 0.04*float64(v), 0.5}
	c.rect(0, 0.5, 1, 1, grass)
	// Pavements, then the carriageway.
	c.poly([]pt{{vp.x - 0.02, 0.5}, {vp.x + 0.02, 0.5}, {1.1, 1}, {-0.1, 1}}, paving)
	c.poly([]pt{{vp.x - 0.01, 0.5}, {vp.x + 0.01, 0.5}, {0.92, 1}, {0.08, 1}}, asphalt)
	// Lane markings, shorter towards the horizon.
	for k := range 8 {
		t0 := math.Pow(float64(k)/8, 1.6)
		t1 := math.Pow((float64(k)+0.5)/8, 1.6)
		y0, y1 := 0.5+0.5*t0, 0.5+0.5*t1
		c.poly([]pt{{vp.x - 0.002 - 0.008*t0, y0}, {vp.x + 0.002 + 0.008*t0, y0}, {vp.x + 0.002 + 0.008*t1, y1}, {vp.x - 0.002 - 0.008*t1, y1}}, white)
	}
	// Buildings along the road.
	for i := range 4 {
		s := float64(i)
		c.building(0.02+0.08*s, 0.3+0.04*s, 0.08+0.08*s, 0.52, rgb(0xEDE4D3), glass, 2, 6)
		c.building(0.9-0.08*s, 0.28+0.04*s, 0.96-0.08*s, 0.52, rgb(0xE3E8EE), glass, 2, 6)
	}
	// Street trees and lamps on both sides, larger when nearer.
	for k := 7; k >= 0; k-- {
		t := math.Pow(float64(k)/7, 1.5)
		y := 0.52 + 0.46*t
		h := 0.05 + 0.35*t
		dx := 0.03 + 0.45*t
		crown := leaf
		if k%2 == 1 {
			crown = leafLight
		}
		c.tree(vp.x-dx-0.02, y, h, crown)
		c.tree(vp.x+dx+0.02, y, h, crown)
		c.line(pt{vp.x - dx + 0.01, y}, pt{vp.x - dx + 0.01, y - h*1.2}, 0.004+0.01*t, rgb(0x4A4F55))
		c.rect(vp.x-dx+0.01, y-h*1.2, vp.x-dx+0.01+0.04*t+0.005, y-h*1.2+0.005+0.01*t, rgb(0x4A4F55))
	}
	if v == 1 {
		// A bus and a cyclist.
		c.rect(0.55, 0.62, 0.72, 0.74, rgb(0x3A9A5B))
		c.rect(0.56, 0.64, 0.71, 0.68, glass)
		c.circle(0.58, 0.745, 0.02, rgb(0x222222))
		c.circle(0.69, 0.745, 0.02, rgb(0x222222))
		c.person(0.2, 0.95, 0.22, rgb(0xD9534F), rgb(0x34495E), 0)
	}
}

// watershed: a clear, remediated stream between stone banks and planted
// slopes, with a footpath.
func watershed(c *canvas, v int) {
	c.sky(0.45)
	c.hills(0.5, 5+float64(v))
	c.rect(0, 0.45, 1, 1, grass)
	var left, right []pt
	for i := 0; i <= 30; i++ {
		t := float64(i) / 30
		y := 0.45 + 0.55*t
		mid := 0.5 + 0.15*math.Sin(t*4+float64(v))
		half := 0.02 + 0.25*t
		left = append(left, pt{mid - half, y})
		right = append(right, pt{mid + half, y})
	}
	bank := make([]pt, 0, 64)
	water1 := make([]pt, 0, 64)
	for _, p := range left {
		bank = append(bank, pt{p.x - 0.04, p.y})
		water1 = append(water1, p)
	}
	for i := len(right) - 1; i >= 0; i-- {
		bank = append(bank, pt{right[i].x + 0.04, right[i].y})
		water1 = append(water1, right[i])
	}
	c.poly(bank, rgb(0xB9B2A3)) // stone embankment
	c.poly(water1, water)
	// Ripples.
	for i := range 12 {
		t := 0.15 + 0.07*float64(i)
		y := 0.45 + 0.55*t
		mid := 0.5 + 0.15*math.Sin(t*4+float64(v))
		c.rect(mid-0.05*t, y, mid+0.05*t, y+0.004, rgb(0xA9D3EC))
	}
	if v == 1 {
		// Low check-dam steps across the stream.
		for k := range 3 {
			t := 0.35 + 0.2*float64(k)
			y := 0.45 + 0.55*t
			mid := 0.5 + 0.15*math.Sin(t*4+float64(v))
			half := 0.02 + 0.25*t
			c.rect(mid-half, y, mid+half, y+0.015+0.01*t, rgb(0xA59C8C))
			c.rect(mid-half, y+0.015+0.01*t, mid+half, y+0.02+0.012*t, white)
		}
	}
	// Footpath and reeds along the right bank, trees on both.
	c.poly([]pt{{0.7, 0.48}, {0.72, 0.48}, {1, 0.8}, {1, 0.9}}, paving)
	for i := range 10 {
		t := float64(i) / 10
		c.tree(0.05+0.02*float64(i%3), 0.5+0.45*t, 0.05+0.2*t, leaf)
		c.tree(0.93-0.01*float64(i%2), 0.48+0.3*t, 0.04+0.15*t, leafLight)
	}
	for i := range 20 {
		x := 0.15 + 0.012*float64(i)
		c.line(pt{x, 0.95}, pt{x + 0.01, 0.85 + 0.02*float64(i%3)}, 0.004, rgb(0x6E9A3C))
	}
}

// sewagePlant: round settling tanks and the plant building, with a group
// of students and their guide.
func sewagePlant(c *canvas, v int) {
	c.sky(0.45)
	c.hills(0.45, 7)
	c.rect(0, 0.45, 1, 1, rgb(0xCFCFC8))
	c.building(0.62, 0.25, 0.95, 0.5, rgb(0xF2F2EE), glass, 6, 4)
	c.rect(0.62, 0.22, 0.95, 0.25, rgb(0x2F6FA8))
	for i := range 2 {
		cx := 0.2 + 0.3*float64(i)
		c.ellipse(cx, 0.6, 0.16, 0.08, rgb(0x9A9A94))
		c.ellipse(cx, 0.6, 0.14, 0.065, rgb(0x6FA6B8))
		c.line(pt{cx - 0.14, 0.6}, pt{cx + 0.14, 0.6}, 0.006, rgb(0x55585C)) // the scraper bridge
	}
	// Railing in front.
	c.rect(0, 0.74, 1, 0.745, rgb(0x55585C))
	for i := range 21 {
		c.rect(0.05*float64(i), 0.74, 0.05*float64(i)+0.004, 0.8, rgb(0x55585C))
	}
	shirts := []uint32{0xF2F2F2, 0x2F6FA8, 0xF2F2F2, 0xD9534F, 0xF2F2F2, 0x2F6FA8, 0xF0AD4E}
	n := 5 + 2*v
	for i := range n {
		x := 0.12 + 0.7*float64(i)/float64(n)
		c.person(x, 0.97, 0.2, rgb(shirts[i%len(shirts)]), rgb(0x2C3E50), 0)
		c.rect(x-0.012, 0.82, x+0.012, 0.87, rgb(0xF0AD4E)) // school bags
	}
	// The guide, pointing at the tanks.
	c.person(0.9, 0.97, 0.26, rgb(0x3A9A5B), rgb(0x34495E), 2)
}

// compound: apartment blocks around a planted courtyard, or the smart
// sorting kiosk with its gift cabinet.
func compound(c *canvas, v int) {
	c.sky(0.5)
	if v == 0 {
		c.hills(0.62, 3)
		for i := range 4 {
			x := 0.02 + 0.25*float64(i)
			c.building(x, 0.12+0.04*float64(i%2), x+0.2, 0.6, rgb(0xF1E7DA), glass, 4, 11)
			c.poly([]pt{{x - 0.01, 0.12 + 0.04*float64(i%2)}, {x + 0.21, 0.12 + 0.04*float64(i%2)}, {x + 0.1, 0.07 + 0.04*float64(i%2)}}, rgb(0xB55A3C))
		}
		c.rect(0, 0.6, 1, 1, grass)
		c.poly([]pt{{0.45, 0.6}, {0.55, 0.6}, {0.75, 1}, {0.25, 1}}, paving)
		for i := range 6 {
			c.tree(0.05+0.07*float64(i), 0.75+0.04*float64(i%2), 0.2, leaf)
			c.tree(0.62+0.07*float64(i), 0.75+0.04*float64(i%2), 0.2, leafLight)
		}
		c.ellipse(0.2, 0.92, 0.1, 0.04, rgb(0xE57A9A)) // flower beds
		c.ellipse(0.8, 0.92, 0.1, 0.04, rgb(0xF2C14E))
		c.person(0.5, 0.9, 0.18, rgb(0xD9534F), rgb(0x34495E), 0)
		return
	}
	c.building(0, 0.05, 1, 0.5, rgb(0xF1E7DA), glass, 10, 6)
	c.rect(0, 0.5, 1, 1, paving)
	// The kiosk: over 5 m long, one door per kind of recyclable.
	c.rect(0.08, 0.4, 0.78, 0.85, rgb(0x2E7D5B))
	c.rect(0.08, 0.36, 0.78, 0.4, rgb(0x245F46))
	doors := []uint32{0x3B7DD8, 0x4CAF50, 0x9E9E9E, 0x26A69A, 0xE53935} // plastic, paper, metal, glass, batteries
	for i, d := range doors {
		x := 0.11 + 0.134*float64(i)
		c.rect(x, 0.48, x+0.11, 0.78, rgb(d))
		c.rect(x+0.02, 0.52, x+0.09, 0.56, white)
	}
	c.rect(0.7, 0.44, 0.76, 0.5, rgb(0x222222)) // the screen
	// The gift cabinet beside it.
	c.rect(0.82, 0.45, 0.97, 0.85, rgb(0xE0E0E0))
	for k := range 4 {
		y := 0.48 + 0.09*float64(k)
		c.rect(0.84, y, 0.95, y+0.07, glass)
		c.rect(0.86, y+0.02, 0.89, y+0.07, rgb(0xF48FB1))
		c.rect(0.9, y+0.03, 0.93, y+0.07, rgb(0x90CAF9))
	}
	c.person(0.45, 0.98, 0.3, rgb(0xF0AD4E), rgb(0x34495E), 2)
}

// eldersDance: a bright activity room, retired workers rehearsing with red
// fans in front of a mirror wall.
func eldersDance(c *canvas, v int) {
	c.rect(0, 0, 1, 0.62, rgb(0xF4EEE4))
	c.rect(0, 0.62, 1, 1, rgb(0xC89B6D)) // wooden floor
	for i := range 12 {
		c.rect(0, 0.62+0.033*float64(i), 1, 0.622+0.033*float64(i), rgb(0xB88A5C))
	}
	c.rect(0.05, 0.1, 0.6, 0.6, rgb(0xD6E4EC))   // mirror wall
	c.rect(0.68, 0.1, 0.95, 0.45, rgb(0xBFDDF2)) // window
	c.rect(0.815, 0.1, 0.825, 0.45, white)
	c.rect(0.68, 0.27, 0.95, 0.28, white)
	c.rect(0.3, 0.03, 0.7, 0.08, rgb(0xC0392B)) // a red banner
	n := 5 + v
	for i := range n {
		x := 0.12 + 0.76*float64(i)/float64(n-1)
		y := 0.9 + 0.04*float64(i%2)
		arms := 1
		if (i+v)%2 == 1 {
			arms = 2
		}
		c.person(x, y, 0.36, rgb(0xC0392B), rgb(0x1F1F1F), arms)
		// A fan in the raised hand.
		hx := x + 0.3*0.36*c.h/c.w
		hy := y - 0.36*0.75 - 0.36*0.3
		if arms == 2 {
			hx, hy = x+0.42*0.36*c.h/c.w, y-0.36*0.83
		}
		c.poly([]pt{{hx, hy}, {hx + 0.04, hy - 0.06}, {hx + 0.07, hy - 0.01}}, rgb(0xE74C3C))
	}
}
