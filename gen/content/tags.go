package content

import (
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"gongjian/gen/diag"
)

// A tag's pages live in the folder /tags/SLUG/. The slug is the tag itself
// when it is short enough to be a file name everywhere (a path segment may
// hold 255 bytes, and a Chinese character takes three); a longer tag keeps
// its first characters and gets a hash of the whole, so that two long tags
// with the same beginning still get folders of their own.
const (
	maxTagSlug   = 100 // bytes of a tag that is its own slug
	tagSlugStart = 64  // bytes of a long tag kept at the start of its slug
	tagSlugHash  = 10  // hex digits of the hash
)

// TagSlug is the name of the tag's folder under /tags/.
func TagSlug(tag string) string {
	if len(tag) <= maxTagSlug {
		return tag
	}
	start := tag[:tagSlugStart]
	for !utf8.ValidString(start) {
		start = start[:len(start)-1]
	}
	sum := sha256.Sum256([]byte(tag))
	return strings.TrimRight(start, "-") + "-" + hex.EncodeToString(sum[:])[:tagSlugHash]
}

// TagURL is a tag's path on the site.
func TagURL(tag string) string { return "/tags/" + url.PathEscape(TagSlug(tag)) + "/" }

// TagDir is the folder of a tag's pages, as a path on the site before
// escaping: /tags/SLUG/.
func TagDir(tag string) string { return "/tags/" + TagSlug(tag) + "/" }

// reservedTags are names in /tags/ that are not tag folders.
var reservedTags = map[string]string{
	"index.html": "the page that lists every tag",
}

// tagProblem says why tag cannot name a folder under /tags/, or "".
func tagProblem(tag string) string {
	switch {
	case strings.ContainsAny(tag, `/\`) || strings.HasPrefix(tag, "."):
		return "a tag may not contain / or \\ or start with a dot (it becomes the address /tags/TAG/)"
	case strings.ContainsFunc(tag, unicode.IsControl):
		return "a tag may not contain control characters such as tabs or line breaks"
	case reservedTags[tag] != "":
		return "/tags/" + tag + " is " + reservedTags[tag] + ": choose another tag"
	}
	return ""
}

// tagClaim is the first story line that used a tag.
type tagClaim struct {
	tag, file string
	line      int
}

// checkTagSlugs reports tags of stories that would share a folder with
// another tag. Only the stories a build publishes count.
func checkTagSlugs(stories []*Story) diag.List {
	var errs diag.List
	claims := map[string]tagClaim{}
	for _, s := range stories {
		for i, tag := range s.Tags {
			slug := TagSlug(tag)
			first, ok := claims[slug]
			switch {
			case !ok:
				claims[slug] = tagClaim{tag, s.File, s.tagLn[i]}
			case first.tag != tag:
				errs.Addf(s.File, s.tagLn[i], "tag %q would share the address /tags/%s/ with tag %q (%s:%d): write one of them differently", tag, slug, first.tag, first.file, first.line)
			}
		}
	}
	return errs
}

// TagLine is the line of the story's front matter that lists tag, or 0.
func (s *Story) TagLine(tag string) int {
	for i, t := range s.Tags {
		if t == tag && i < len(s.tagLn) {
			return s.tagLn[i]
		}
	}
	return 0
}
