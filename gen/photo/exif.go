package photo

import (
	"bytes"
	"encoding/binary"
)

// Orientation values as EXIF defines them (tag 0x0112): how the stored pixels
// must be transformed to be seen upright.
const (
	OrientNormal      = 1 // as stored
	OrientFlipH       = 2 // mirror left-right
	OrientRotate180   = 3
	OrientFlipV       = 4 // mirror top-bottom
	OrientTranspose   = 5 // mirror along the top-left/bottom-right diagonal
	OrientRotate90CW  = 6
	OrientTransverse  = 7 // mirror along the other diagonal
	OrientRotate270CW = 8 // that is, 90° counter-clockwise
)

const tagOrientation = 0x0112

// JPEGOrientation returns the EXIF orientation of a JPEG file, 1..8, or 1 when
// the file carries none or an unreadable one. It reads only the marker
// segments before the first scan and never trusts a length or offset without
// checking it against the data, so any input is safe.
func JPEGOrientation(b []byte) int {
	for _, app1 := range jpegSegments(b, 0xE1) {
		if tiff, ok := bytes.CutPrefix(app1, []byte("Exif\x00\x00")); ok {
			return tiffOrientation(tiff)
		}
	}
	return OrientNormal
}

// jpegSegments returns the payloads of the segments with the given marker
// found before the first scan (SOS). It stops quietly at the first thing that
// does not look like a marker segment.
func jpegSegments(b []byte, marker byte) [][]byte {
	if len(b) < 2 || b[0] != 0xFF || b[1] != 0xD8 {
		return nil
	}
	var out [][]byte
	i := 2
	for i+4 <= len(b) {
		if b[i] != 0xFF {
			return out
		}
		m := b[i+1]
		switch {
		case m == 0xFF: // fill byte before a marker
			i++
			continue
		case m == 0xD8 || m == 0x01 || (m >= 0xD0 && m <= 0xD7):
			i += 2 // markers without a length
			continue
		case m == 0xDA || m == 0xD9: // start of scan, end of image
			return out
		}
		n := int(binary.BigEndian.Uint16(b[i+2:]))
		if n < 2 || i+2+n > len(b) {
			return out
		}
		if m == marker {
			out = append(out, b[i+4:i+2+n])
		}
		i += 2 + n
	}
	return out
}

// tiffOrientation reads the orientation tag from IFD0 of a TIFF structure
// (the body of an EXIF APP1 segment or of a PNG eXIf chunk).
func tiffOrientation(t []byte) int {
	if len(t) < 8 {
		return OrientNormal
	}
	var bo binary.ByteOrder
	switch string(t[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return OrientNormal
	}
	if bo.Uint16(t[2:]) != 42 {
		return OrientNormal
	}
	ifd := int64(bo.Uint32(t[4:]))
	if ifd < 8 || ifd+2 > int64(len(t)) {
		return OrientNormal
	}
	count := int64(bo.Uint16(t[ifd:]))
	for k := int64(0); k < count; k++ {
		e := ifd + 2 + 12*k
		if e+12 > int64(len(t)) {
			break
		}
		if bo.Uint16(t[e:]) != tagOrientation {
			continue
		}
		// SHORT (type 3), count 1: the value sits in the first two bytes
		// of the value field.
		if bo.Uint16(t[e+2:]) != 3 || bo.Uint32(t[e+4:]) != 1 {
			return OrientNormal
		}
		if v := int(bo.Uint16(t[e+8:])); v >= 1 && v <= 8 {
			return v
		}
		return OrientNormal
	}
	return OrientNormal
}

// PNGOrientation returns the orientation from a PNG file's eXIf chunk, or 1.
func PNGOrientation(b []byte) int {
	const sig = "\x89PNG\r\n\x1a\n"
	if len(b) < len(sig) || string(b[:len(sig)]) != sig {
		return OrientNormal
	}
	i := len(sig)
	for i+8 <= len(b) {
		n := int64(binary.BigEndian.Uint32(b[i:]))
		typ := string(b[i+4 : i+8])
		end := int64(i) + 8 + n + 4 // data and CRC
		if end > int64(len(b)) {
			return OrientNormal
		}
		switch typ {
		case "eXIf":
			return tiffOrientation(b[i+8 : int64(i)+8+n])
		case "IDAT", "IEND": // eXIf must come before the image data
			return OrientNormal
		}
		i = int(end)
	}
	return OrientNormal
}

// HasMetadata reports whether a JPEG file carries any segment that can hold
// metadata: APP0 to APP15 (EXIF, XMP, ICC, maker notes) or COM. Tests use it
// to prove that published files are clean.
func HasMetadata(b []byte) bool {
	for m := byte(0xE0); m <= 0xEF; m++ {
		if len(jpegSegments(b, m)) > 0 {
			return true
		}
	}
	return len(jpegSegments(b, 0xFE)) > 0
}
