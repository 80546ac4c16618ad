package deploy

import (
	"mime"
	"path"
	"strings"

	"gongjian/gen/outpath"
)

// contentTypes names the type of every kind of file gen writes; text types
// carry their charset so that a browser never guesses one for Chinese text.
var contentTypes = map[string]string{
	".html":  "text/html; charset=utf-8",
	".css":   "text/css; charset=utf-8",
	".js":    "text/javascript; charset=utf-8",
	".json":  "application/json; charset=utf-8",
	".csv":   "text/csv; charset=utf-8",
	".xml":   "application/xml; charset=utf-8",
	".txt":   "text/plain; charset=utf-8",
	".md":    "text/markdown; charset=utf-8",
	".svg":   "image/svg+xml",
	".jpg":   "image/jpeg",
	".jpeg":  "image/jpeg",
	".png":   "image/png",
	".webp":  "image/webp",
	".gif":   "image/gif",
	".ico":   "image/x-icon",
	".bin":   "application/octet-stream",
	".woff2": "font/woff2",
	".pdf":   "application/pdf",
}

// ContentType is the Content-Type header of the object for key.
func ContentType(key string) string {
	ext := strings.ToLower(path.Ext(key))
	if t, ok := contentTypes[ext]; ok {
		return t
	}
	switch path.Base(key) {
	case "LICENSE", "NOTICE":
		return "text/plain; charset=utf-8"
	}
	if strings.Contains(key, "/licenses/LICENSE-") {
		return "text/plain; charset=utf-8"
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t
	}
	return "application/octet-stream"
}

// Cache-Control values.
const (
	// CacheImmutable is for files whose name carries a hash of their
	// content (outpath.ContentHashed): a new content is a new name, so a
	// copy never goes stale.
	CacheImmutable = "public, max-age=31536000, immutable"
	// CacheRevalidate is for the addresses people and feed readers come
	// back to: a CDN or browser may serve them for a minute, then asks.
	CacheRevalidate = "public, max-age=60, must-revalidate"
	// CacheShort is for the other files with stable names (dataset
	// downloads, a theme's images and licences): they change with the
	// pages that use them, so they are held no longer than five minutes.
	CacheShort = "public, max-age=300, must-revalidate"
)

// CacheControl is the Cache-Control header of the object for key.
func CacheControl(key string) string {
	switch {
	case outpath.ContentHashed(key):
		return CacheImmutable
	case outpath.Phase(key) >= outpath.PhasePages:
		return CacheRevalidate
	default:
		return CacheShort
	}
}
