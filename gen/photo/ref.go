package photo

import (
	"fmt"
	"path"
	"strings"
)

// ResolveRef turns an image reference written in a source file (a story's
// cover or an inline image, relative to the story's own folder) into a path
// within the site's fs.FS. from is the referring file's path ("content/news/
// x.md"). References that leave the content tree, are absolute, or are URLs
// are refused: pictures are published from the repository only.
func ResolveRef(from, ref string) (string, error) {
	switch {
	case ref == "":
		return "", fmt.Errorf("empty image reference")
	case strings.Contains(ref, "://") || strings.HasPrefix(ref, "//") || strings.HasPrefix(strings.ToLower(ref), "data:"):
		return "", fmt.Errorf("image %q: only images in the repository can be published, not links", ref)
	case strings.HasPrefix(ref, "/") || strings.Contains(ref, "\\"):
		return "", fmt.Errorf("image %q: give a path relative to %s, with forward slashes", ref, path.Base(from))
	}
	p := path.Join(path.Dir(from), ref)
	root, _, _ := strings.Cut(from, "/")
	if p == ".." || strings.HasPrefix(p, "../") || (root != from && !strings.HasPrefix(p, root+"/")) {
		return "", fmt.Errorf("image %q: points outside the %s folder", ref, root)
	}
	if !IsImage(p) {
		return "", fmt.Errorf("image %q: only .jpg, .jpeg and .png files can be published", ref)
	}
	return p, nil
}
