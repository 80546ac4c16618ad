package deploy

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"gongjian/gen/internal/corpus"
	"gongjian/gen/outpath"
	"gongjian/gen/pipeline"
	"gongjian/gen/theme"
)

// allDigits reports whether the hex digits h are all decimal digits, as
// about 2 in 100 hashes of 8 digits are.
func allDigits(h string) bool { return strings.Trim(h, "0123456789") == "" }

// digitsVariant is the first of the contents base + "/* N */\n", N = 0, 1,
// …, for which hash gives all decimal digits; a hash of 8 digits has them
// with a chance of (10/16)^8, about 1 in 43, so 5,000 tries all fail with
// a chance under 10^-100.
func digitsVariant(t *testing.T, base string, hash func(content []byte) string) []byte {
	t.Helper()
	for n := range 5000 {
		b := fmt.Appendf([]byte(base), "/* %d */\n", n)
		if allDigits(hash(b)) {
			return b
		}
	}
	t.Fatalf("no variant of %q hashes to decimal digits in 5,000 tries", base)
	return nil
}

// TestBuiltSiteCacheControl builds the example site, with a theme script
// and a stylesheet whose content hashes are all decimal digits, and checks
// the Cache-Control deploy gives each file it would upload: immutable for
// exactly the files whose names gen derived from their content, told
// apart here by what made them, not by outpath.ContentHashed: the theme's
// files by the SHA-256 of their content in their names, the search index's
// by the group hashes and names meta.json announces, photo renditions by
// the album pages that show them under img/. meta.json, pages, feeds, the
// sitemap and dataset downloads are not.
func TestBuiltSiteCacheControl(t *testing.T) {
	tmp := t.TempDir()
	src, out := filepath.Join(tmp, "site"), filepath.Join(tmp, "public")
	for _, d := range []string{"content", "data", "themes"} {
		if err := corpus.CopyDir(filepath.Join("../..", d), filepath.Join(src, d)); err != nil {
			t.Fatal(err)
		}
	}
	static := filepath.Join(src, "themes/default/static")
	js := digitsVariant(t, "console.log('全数字');\n", func(b []byte) string {
		s := sha256.Sum256(b)
		return hex.EncodeToString(s[:outpath.HashLen/2])
	})
	if err := os.WriteFile(filepath.Join(static, "js/digits.js"), js, 0o644); err != nil {
		t.Fatal(err)
	}
	css := digitsVariant(t, ".digits{color:#222}\n", stylesheetHash(t, static))
	if err := os.WriteFile(filepath.Join(static, "css/zz-digits.css"), css, 0o644); err != nil {
		t.Fatal(err)
	}

	if _, err := pipeline.Build(context.Background(), pipeline.Options{Src: src, Out: out, CacheDir: filepath.Join(tmp, "cache")}); err != nil {
		t.Fatal(err)
	}
	files, _, err := Scan(context.Background(), out, "")
	if err != nil {
		t.Fatal(err)
	}

	var meta struct{ Files map[string]string }
	if b, err := os.ReadFile(filepath.Join(out, "search/meta.json")); err != nil {
		t.Fatal(err)
	} else if err := json.Unmarshal(b, &meta); err != nil {
		t.Fatalf("search/meta.json: %v", err)
	}
	indexHashes := map[string]bool{}
	for _, v := range meta.Files {
		if strings.HasSuffix(v, ".bin") { // a file that is a kind of its own
			indexHashes[hashPart(v)] = true
			continue
		}
		for i := 0; i+outpath.HashLen <= len(v); i += outpath.HashLen {
			indexHashes[v[i:i+outpath.HashLen]] = true
		}
	}
	shown := map[string]bool{}
	imgRef := regexp.MustCompile(`/(` + outpath.PhotoDir + `/[^"'\s,?#]+)`)
	for _, f := range files {
		if strings.HasSuffix(f.Key, ".html") {
			b, err := os.ReadFile(f.Path)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range imgRef.FindAllSubmatch(b, -1) {
				shown[string(m[1])] = true
			}
		}
	}

	kinds := map[string]int{}
	digits := 0
	for _, f := range files {
		data, err := os.ReadFile(f.Path)
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(data)
		var kind string
		switch {
		case hashPart(f.Key) == hex.EncodeToString(sum[:outpath.HashLen/2]):
			kind = "theme"
		case strings.HasPrefix(f.Key, outpath.SearchDir) && path.Ext(f.Key) == ".bin" && indexHashes[hashPart(f.Key)]:
			kind = "search"
		case strings.HasPrefix(f.Key, outpath.PhotoDir+"/") && shown[f.Key]:
			kind = "photo"
		}
		want := CacheShort
		switch {
		case kind != "":
			want = CacheImmutable
			kinds[kind]++
			if h := hashPart(f.Key); h != "" && allDigits(h) {
				digits++
			}
		case f.Key == "search/meta.json" || strings.HasSuffix(f.Key, ".html") || strings.HasSuffix(f.Key, ".xml") ||
			f.Key == "data.json" || f.Key == "robots.txt":
			want = CacheRevalidate
		}
		if f.CacheControl != want {
			t.Errorf("%s (made by content: %q): Cache-Control %q, want %q", f.Key, kind, f.CacheControl, want)
		}
		if ext := path.Ext(f.Key); strings.HasPrefix(f.Key, "data/") && (ext == ".csv" || ext == ".json") && f.CacheControl != CacheShort {
			t.Errorf("%s, a dataset download: Cache-Control %q, want %q", f.Key, f.CacheControl, CacheShort)
		}
	}
	t.Logf("%d files, named by content: %v, %d of them with all-digit hashes", len(files), kinds, digits)
	if kinds["theme"] < 2 || kinds["search"] < 2 || kinds["photo"] < 2 || digits < 2 {
		t.Errorf("named by content: %v, %d with all-digit hashes; want at least 2 of each kind and the 2 forced all-digit names", kinds, digits)
	}
}

// hashPart is the part of p's base name between its last two dots, "" if
// it has fewer.
func hashPart(p string) string {
	base := path.Base(p)
	stem := strings.TrimSuffix(base, path.Ext(base))
	if i := strings.LastIndexByte(stem, '.'); i >= 0 {
		return stem[i+1:]
	}
	return ""
}

// stylesheetHash returns the hash in the name of the stylesheet the theme
// would bundle from the stylesheets in static/css plus zz-digits.css with
// the content given: the theme itself makes the bundle and names it.
func stylesheetHash(t *testing.T, static string) func([]byte) string {
	t.Helper()
	fsys := fstest.MapFS{
		"themes/x/templates/pages/p.html": {Data: []byte("p")},
		"themes/x/i18n/zh-CN.yaml":        {Data: []byte("a: b\n")},
	}
	sheets, err := fs.Glob(os.DirFS(static), "css/*.css")
	if err != nil || len(sheets) == 0 {
		t.Fatalf("no stylesheets in %s: %v", static, err)
	}
	for _, s := range sheets {
		b, err := os.ReadFile(filepath.Join(static, s))
		if err != nil {
			t.Fatal(err)
		}
		fsys["themes/x/static/"+s] = &fstest.MapFile{Data: b}
	}
	return func(b []byte) string {
		fsys["themes/x/static/css/zz-digits.css"] = &fstest.MapFile{Data: b}
		th, errs := theme.Load(fsys, "x", "zh-CN", nil)
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		return hashPart(th.CSS.Path)
	}
}
