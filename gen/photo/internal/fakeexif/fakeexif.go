// Package fakeexif writes the kind of EXIF block a phone camera puts in a
// JPEG: an orientation, a GPS position and a camera serial number. Tests and
// the example images use it to prove that published photos come out upright
// and with none of that data left.
package fakeexif

import (
	"bytes"
	"encoding/binary"
	"fmt"
)

// Tags written, as EXIF numbers them.
const (
	TagMake            = 0x010F
	TagOrientation     = 0x0112
	TagExifIFD         = 0x8769
	TagGPSIFD          = 0x8825
	TagBodySerial      = 0xA431
	TagGPSLatitudeRef  = 0x0001
	TagGPSLatitude     = 0x0002
	TagGPSLongitudeRef = 0x0003
	TagGPSLongitude    = 0x0004
)

// Info is what goes into the block.
type Info struct {
	Orientation int     // 1..8; 0 leaves the tag out
	Lat, Lon    float64 // degrees north and east; both 0 leaves GPS out
	Make        string  // camera maker; "" leaves it out
	Serial      string  // camera body serial; "" leaves it out
}

// GPSMarker is a string every GPS block written here contains, in the
// ASCII latitude reference, so tests can look for traces of it.
const GPSMarker = "N\x00"

type entry struct {
	tag, typ uint16
	count    uint32
	data     []byte // the value, already in byte order
}

var le = binary.LittleEndian

func ascii(tag uint16, s string) entry {
	b := append([]byte(s), 0)
	return entry{tag, 2, uint32(len(b)), b}
}

func short(tag uint16, v uint16) entry {
	return entry{tag, 3, 1, le.AppendUint16(nil, v)}
}

func long(tag uint16, v uint32) entry {
	return entry{tag, 4, 1, le.AppendUint32(nil, v)}
}

// dms writes degrees as three rationals: degrees, minutes, seconds×100/100.
func dms(tag uint16, deg float64) entry {
	if deg < 0 {
		deg = -deg
	}
	d := uint32(deg)
	mf := (deg - float64(d)) * 60
	m := uint32(mf)
	s := uint32((mf - float64(m)) * 60 * 100)
	var b []byte
	for _, r := range [][2]uint32{{d, 1}, {m, 1}, {s, 100}} {
		b = le.AppendUint32(b, r[0])
		b = le.AppendUint32(b, r[1])
	}
	return entry{tag, 5, 3, b}
}

func ifdSize(es []entry) int {
	n := 2 + 12*len(es) + 4
	for _, e := range es {
		if len(e.data) > 4 {
			n += len(e.data) + len(e.data)%2
		}
	}
	return n
}

// appendIFD writes es (sorted by tag) at offset len(t) of the TIFF data t.
func appendIFD(t []byte, es []entry) []byte {
	base := len(t)
	extra := base + 2 + 12*len(es) + 4
	var tail []byte
	t = le.AppendUint16(t, uint16(len(es)))
	for _, e := range es {
		t = le.AppendUint16(t, e.tag)
		t = le.AppendUint16(t, e.typ)
		t = le.AppendUint32(t, e.count)
		if len(e.data) <= 4 {
			v := make([]byte, 4)
			copy(v, e.data)
			t = append(t, v...)
		} else {
			t = le.AppendUint32(t, uint32(extra+len(tail)))
			tail = append(tail, e.data...)
			if len(e.data)%2 == 1 {
				tail = append(tail, 0)
			}
		}
	}
	t = le.AppendUint32(t, 0) // no next IFD
	return append(t, tail...)
}

// TIFF returns the TIFF structure of an EXIF block (what follows "Exif\0\0").
func TIFF(in Info) []byte {
	var ifd0, exif, gps []entry
	if in.Make != "" {
		ifd0 = append(ifd0, ascii(TagMake, in.Make))
	}
	if in.Orientation != 0 {
		ifd0 = append(ifd0, short(TagOrientation, uint16(in.Orientation)))
	}
	if in.Serial != "" {
		exif = append(exif, ascii(TagBodySerial, in.Serial))
	}
	if in.Lat != 0 || in.Lon != 0 {
		latRef, lonRef := "N", "E"
		if in.Lat < 0 {
			latRef = "S"
		}
		if in.Lon < 0 {
			lonRef = "W"
		}
		gps = []entry{ascii(TagGPSLatitudeRef, latRef), dms(TagGPSLatitude, in.Lat),
			ascii(TagGPSLongitudeRef, lonRef), dms(TagGPSLongitude, in.Lon)}
	}
	// Pointer entries need the offsets of the sub-IFDs, which follow IFD0.
	n0 := len(ifd0)
	if len(exif) > 0 {
		n0++
	}
	if len(gps) > 0 {
		n0++
	}
	size0 := ifdSize(ifd0) + 12*(n0-len(ifd0))
	exifOff := 8 + size0
	gpsOff := exifOff
	if len(exif) > 0 {
		ifd0 = append(ifd0, long(TagExifIFD, uint32(exifOff)))
		gpsOff += ifdSize(exif)
	}
	if len(gps) > 0 {
		ifd0 = append(ifd0, long(TagGPSIFD, uint32(gpsOff)))
	}
	t := []byte("II")
	t = le.AppendUint16(t, 42)
	t = le.AppendUint32(t, 8)
	t = appendIFD(t, ifd0)
	if len(exif) > 0 {
		t = appendIFD(t, exif)
	}
	if len(gps) > 0 {
		t = appendIFD(t, gps)
	}
	return t
}

// Insert returns the JPEG file with an APP1 EXIF segment holding in placed
// right after the start-of-image marker.
func Insert(jpeg []byte, in Info) ([]byte, error) {
	if len(jpeg) < 2 || jpeg[0] != 0xFF || jpeg[1] != 0xD8 {
		return nil, fmt.Errorf("fakeexif: not a JPEG file")
	}
	payload := append([]byte("Exif\x00\x00"), TIFF(in)...)
	if len(payload)+2 > 0xFFFF {
		return nil, fmt.Errorf("fakeexif: EXIF block too large")
	}
	var b bytes.Buffer
	b.Write(jpeg[:2])
	b.Write([]byte{0xFF, 0xE1})
	binary.Write(&b, binary.BigEndian, uint16(len(payload)+2))
	b.Write(payload)
	b.Write(jpeg[2:])
	return b.Bytes(), nil
}
