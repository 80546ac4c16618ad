package output

import (
	"maps"
	"slices"
	"strings"
	"testing"
)

// withFolders is files and the folders that hold them, each with a slash
// at its end: the list filesDigest hashes without making it.
func withFolders(files []string) []string {
	return append(slices.Clone(files), slices.Collect(func(yield func(string) bool) {
		for d := range parents(slices.Values(files)) {
			if !yield(d + "/") {
				return
			}
		}
	})...)
}

func TestFilesDigest(t *testing.T) {
	for _, files := range [][]string{
		nil,
		{"index.html"},
		{"a/b/c.html", "a/b.html", "a/b/d/e.html", "a.html", "a-b/c.html", "a/b-c/d.html", "z/index.html"},
		{"news/a/index.html", "news/a.b/index.html", "news/a/b/index.html", "news/index.html", "news.xml"},
		{"a/b", "a/b/c"}, // a file and a folder of the same name but for the slash
	} {
		list := withFolders(files)
		digest, count := filesDigest(files)
		if want := listDigest(slices.Clone(list)); digest != want || count != len(list) {
			t.Errorf("filesDigest(%q) = %s, %d; want the digest of %q, %s, %d", files, digest, count, list, want, len(list))
		}
	}
}

func FuzzFilesDigest(f *testing.F) {
	f.Add("a/b/c.html a/b.html a-b/c a/b-c/d")
	f.Fuzz(func(t *testing.T, s string) {
		seen := map[string]bool{}
		for p := range strings.FieldsSeq(s) {
			if checkRel(p) == nil && !strings.HasSuffix(p, "/") {
				seen[p] = true
			}
		}
		files := slices.Collect(maps.Keys(seen))
		list := withFolders(files)
		digest, count := filesDigest(files)
		if want := listDigest(list); digest != want || count != len(list) {
			t.Errorf("filesDigest(%q) = %s, %d; want %s, %d", files, digest, count, want, len(list))
		}
	})
}

func TestPatched(t *testing.T) {
	old := []string{"a.html", "b/index.html", "c/d.html", "e.html"}
	got := Patched(old, map[string][]byte{"b/index.html": nil, "0.html": nil, "c/a.html": nil, "f.html": nil}, []string{"c/d.html", "a.html"})
	want := []string{"0.html", "b/index.html", "c/a.html", "e.html", "f.html"}
	if !slices.Equal(got, want) {
		t.Errorf("Patched = %q, want %q", got, want)
	}
}
