package photo

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/png"
	"testing"

	"gongjian/gen/photo/internal/fakeexif"
)

// tiffMM builds a big-endian TIFF block with one IFD0 entry.
func tiffMM(tag, typ uint16, count uint32, value uint16) []byte {
	be := binary.BigEndian
	t := []byte("MM\x00\x2A\x00\x00\x00\x08")
	t = be.AppendUint16(t, 1)
	t = be.AppendUint16(t, tag)
	t = be.AppendUint16(t, typ)
	t = be.AppendUint32(t, count)
	t = be.AppendUint16(t, value)
	t = append(t, 0, 0, 0, 0, 0, 0)
	return t
}

func segment(marker byte, payload []byte) []byte {
	s := []byte{0xFF, marker, 0, 0}
	binary.BigEndian.PutUint16(s[2:], uint16(len(payload)+2))
	return append(s, payload...)
}

func jpegWith(segs ...[]byte) []byte {
	b := []byte{0xFF, 0xD8}
	for _, s := range segs {
		b = append(b, s...)
	}
	return append(b, 0xFF, 0xDA, 0, 2, 0xFF, 0xD9)
}

func TestJPEGOrientation(t *testing.T) {
	exif := func(tiff []byte) []byte { return segment(0xE1, append([]byte("Exif\x00\x00"), tiff...)) }
	tests := []struct {
		name string
		data []byte
		want int
	}{
		{"no segments", jpegWith(), 1},
		{"little-endian 3", jpegWith(exif(fakeexif.TIFF(fakeexif.Info{Orientation: 3}))), 3},
		{"little-endian 6 with GPS and serial", jpegWith(exif(fakeexif.TIFF(fakeexif.Info{Orientation: 6, Lat: 1, Lon: 1, Serial: "s", Make: "m"}))), 6},
		{"big-endian 8", jpegWith(exif(tiffMM(0x0112, 3, 1, 8))), 8},
		{"after JFIF and XMP", jpegWith(segment(0xE0, []byte("JFIF\x00\x01\x02")), segment(0xE1, []byte("http://ns.adobe.com/xap/1.0/\x00<x/>")), exif(tiffMM(0x0112, 3, 1, 5))), 5},
		{"value out of range", jpegWith(exif(tiffMM(0x0112, 3, 1, 9))), 1},
		{"wrong type", jpegWith(exif(tiffMM(0x0112, 4, 1, 6))), 1},
		{"other tag", jpegWith(exif(tiffMM(0x0110, 3, 1, 6))), 1},
		{"bad magic", jpegWith(exif([]byte("MM\x00\x2B\x00\x00\x00\x08"))), 1},
		{"segment longer than file", []byte{0xFF, 0xD8, 0xFF, 0xE1, 0xFF, 0xFF, 'E', 'x'}, 1},
		{"IFD offset past the end", jpegWith(exif([]byte("II\x2A\x00\xFF\x00\x00\x00"))), 1},
		{"EXIF after the scan is ignored", append(jpegWith(), exif(tiffMM(0x0112, 3, 1, 6))...), 1},
		{"not a JPEG", []byte("GIF89a"), 1},
	}
	for _, tt := range tests {
		if got := JPEGOrientation(tt.data); got != tt.want {
			t.Errorf("%s: JPEGOrientation = %d, want %d", tt.name, got, tt.want)
		}
	}
}

func TestPNGOrientation(t *testing.T) {
	var b bytes.Buffer
	png.Encode(&b, image.NewGray(image.Rect(0, 0, 4, 3)))
	plain := b.Bytes()
	if got := PNGOrientation(plain); got != 1 {
		t.Errorf("plain PNG: %d, want 1", got)
	}
	// Put an eXIf chunk right after IHDR (8 + 25 bytes).
	tiff := fakeexif.TIFF(fakeexif.Info{Orientation: 8})
	chunk := binary.BigEndian.AppendUint32(nil, uint32(len(tiff)))
	chunk = append(chunk, "eXIf"...)
	chunk = append(chunk, tiff...)
	chunk = binary.BigEndian.AppendUint32(chunk, crc32.ChecksumIEEE(chunk[4:]))
	withExif := append(append(bytes.Clone(plain[:33]), chunk...), plain[33:]...)
	if got := PNGOrientation(withExif); got != 8 {
		t.Errorf("PNG with eXIf: %d, want 8", got)
	}
	if _, err := png.Decode(bytes.NewReader(withExif)); err != nil {
		t.Fatalf("test PNG does not decode: %v", err)
	}
}

func TestHasMetadata(t *testing.T) {
	tests := []struct {
		data []byte
		want bool
	}{
		{jpegWith(), false},
		{jpegWith(segment(0xDB, make([]byte, 65))), false},
		{jpegWith(segment(0xE0, []byte("JFIF\x00"))), true},
		{jpegWith(segment(0xED, []byte("Photoshop 3.0\x00"))), true},
		{jpegWith(segment(0xFE, []byte("a comment"))), true},
	}
	for i, tt := range tests {
		if got := HasMetadata(tt.data); got != tt.want {
			t.Errorf("case %d: HasMetadata = %v, want %v", i, got, tt.want)
		}
	}
}
