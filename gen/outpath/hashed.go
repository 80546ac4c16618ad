package outpath

import (
	"encoding/hex"
	"strconv"
	"strings"
)

// The names gen gives files by their content. A new content is a new name,
// so a copy of such a file never goes stale and gen deploy lets browsers
// and CDNs keep it for good. The namers build their names with the
// constants and functions here, and ContentHashed knows each kind by its
// folder and shape, so that the two agree.
const (
	// HashLen is the hex digits of the content hash in the name of the
	// theme's stylesheet and scripts and of the search index's files.
	HashLen = 8
	// PhotoKeyLen is the hex digits of the key that names a photo's
	// renditions: img/KEY-WIDTH.jpg.
	PhotoKeyLen = 16
	// PhotoDir is the folder of the photo renditions.
	PhotoDir = "img"
	// SearchDir is the folder of the search index.
	SearchDir = "search/"
	// StyleSheet is the stem of the theme's stylesheet, css/site.HASH.css.
	StyleSheet = "css/site"
)

// WithHash is the name of a file of content sum (a digest of at least
// HashLen/2 bytes): stem, a dot, the first HashLen hex digits of sum, and
// ext. WithHash("js/search", sum, ".js") is "js/search.1a2b3c4d.js".
func WithHash(stem string, sum []byte, ext string) string {
	return stem + "." + hex.EncodeToString(sum[:HashLen/2]) + ext
}

// PhotoFile is the name of the rendition w pixels wide of the photo whose
// renditions key names: KEY-W.jpg, published in PhotoDir.
func PhotoFile(key string, w int) string {
	return key + "-" + strconv.Itoa(w) + ".jpg"
}

// ContentHashed reports whether p, a slash-separated path from the site
// root, is a name gen gave by content:
//
//	css/site.HASH.css         the theme's stylesheet
//	DIR/NAME.HASH.js          a script of the theme (gen names every one so)
//	img/KEY-WIDTH.jpg         a photo rendition
//	search/KIND-N.HASH.bin    a file of the search index (N in hex)
//	search/KIND.HASH.bin      a file of the search index that is a kind of its own
//
// HASH is HashLen and KEY PhotoKeyLen lower-case hex digits, which may all
// be decimal digits: the folder and shape tell these names from dates and
// counters (news/2026-03-31/, data/kiosk-20260301.csv), not the digits.
func ContentHashed(p string) bool {
	dir, base := "", p
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		dir, base = p[:i+1], p[i+1:]
	}
	if stem, ok := strings.CutSuffix(base, ".js"); ok {
		name, ok := cutHash(stem)
		return ok && name != ""
	}
	if stem, ok := strings.CutSuffix(p, ".css"); ok {
		name, ok := cutHash(stem)
		return ok && name == StyleSheet
	}
	switch dir {
	case PhotoDir + "/":
		stem, ok := strings.CutSuffix(base, ".jpg")
		key, width, cut := strings.Cut(stem, "-")
		return ok && cut && isHex(key, PhotoKeyLen) && isNumber(width, 10)
	case SearchDir:
		stem, ok := strings.CutSuffix(base, ".bin")
		if stem, ok = cutHash(stem); !ok {
			return false
		}
		kind, n, numbered := strings.Cut(stem, "-")
		return isKind(kind) && (!numbered || isNumber(n, 16))
	}
	return false
}

// cutHash cuts ".HASH" off the end of s.
func cutHash(s string) (stem string, ok bool) {
	i := len(s) - HashLen - 1
	if i < 0 || s[i] != '.' || !isHex(s[i+1:], HashLen) {
		return "", false
	}
	return s[:i], true
}

// isHex reports whether s is n lower-case hex digits.
func isHex(s string, n int) bool {
	return len(s) == n && strings.Trim(s, "0123456789abcdef") == ""
}

// isNumber reports whether s is a number in base 10 or 16 (lower-case) as
// strconv.FormatUint writes it: no sign, no leading zeros.
func isNumber(s string, base int) bool {
	digits := "0123456789abcdef"[:base]
	return s != "" && (s == "0" || s[0] != '0') && strings.Trim(s, digits) == ""
}

// isKind reports whether s names a kind of search index file: a lower-case
// letter, then lower-case letters and digits.
func isKind(s string) bool {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for i := range len(s) {
		if c := s[i]; !('a' <= c && c <= 'z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}
