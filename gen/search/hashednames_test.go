package search

import (
	"strings"
	"testing"

	"gongjian/gen/outpath"
)

// TestNamesContentHashed: gen deploy caches for good the files whose names
// outpath.ContentHashed takes, which must be every file of the index but
// its entry point meta.json, whatever the digits of their hashes.
func TestNamesContentHashed(t *testing.T) {
	files, err := Build(smallDocs(600, 60))
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]bool{}
	for _, f := range files {
		want := f.Path != Dir+"meta.json"
		if got := outpath.ContentHashed(f.Path); got != want {
			t.Errorf("outpath.ContentHashed(%q) = %v, want %v", f.Path, got, want)
		}
		kind, _, _ := strings.Cut(strings.TrimPrefix(f.Path, Dir), ".")
		kind, _, _ = strings.Cut(kind, "-")
		kinds[kind] = true
	}
	for _, k := range []string{"meta", "shard", "docs", "text", "t2s", "pairs"} {
		if !kinds[k] {
			t.Errorf("the index has no %s file: %v", k, kinds)
		}
	}
	// About 2 in 100 group hashes are all decimal digits.
	for _, name := range []string{fileName("shard", 31, "12345678"), fileName("docs", 0, "0000000012345678")} {
		if !outpath.ContentHashed(Dir + name) {
			t.Errorf("outpath.ContentHashed(%q) = false, want true", Dir+name)
		}
	}
}
