package sitetest

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gongjian/gen/catalog"
	"gongjian/gen/content"
	"gongjian/gen/dataset"
	"gongjian/gen/diag"
	"gongjian/gen/photo"
)

// editorPhrases are words meant for the portal's editors that once reached
// residents' pages: placeholders awaiting real names and photos, the tool
// that brings the kiosk data in, how an export was encoded.
var editorPhrases = []string{
	"待换成",
	"实拍后替换",
	"实拍照片后替换",
	"kioskpull",
	"generated placeholder",
	"原始文件编码",
	"UTF-8 BOM",
	"note for editors",
}

// TestNoEditorNotes builds the example site and reads every file it
// writes (pages, feeds, data downloads, search index): none may hold an
// editors' note declared in the sources (notes: of stories, topics,
// datasets and albums) or one of editorPhrases.
func TestNoEditorNotes(t *testing.T) {
	out := builtSite(t)
	phrases := append([]string(nil), editorPhrases...)
	notes := sourceNotes(t)
	if *src == root && len(notes) == 0 {
		t.Fatal("the example site declares no editors' notes: the test would check nothing of theirs")
	}
	for _, n := range notes {
		phrases = append(phrases, strings.TrimPrefix(n.Msg, "note for editors: "))
	}
	files := 0
	err := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		switch filepath.Ext(p) {
		case ".jpg", ".jpeg", ".png", ".webp", ".gz", ".br":
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		files++
		rel, _ := filepath.Rel(out, p)
		for _, ph := range phrases {
			if i := bytes.Index(data, []byte(ph)); i >= 0 {
				t.Errorf("%s: holds %q for editors: …%s…", filepath.ToSlash(rel), ph, around(data, i, len(ph)))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 50 {
		t.Fatalf("read %d files, want the whole example site", files)
	}
	t.Logf("read %d files for %d phrases", files, len(phrases))
}

// sourceNotes loads the notes the site's sources declare.
func sourceNotes(t *testing.T) diag.List {
	t.Helper()
	fsys := os.DirFS(*src)
	site, errs := content.Load(fsys, content.Options{Drafts: true})
	if len(errs) > 0 {
		t.Fatal(errs.Err())
	}
	notes := site.Notes()
	sets, errs := dataset.LoadDir(fsys, "data")
	if len(errs) > 0 {
		t.Fatal(errs.Err())
	}
	for _, d := range sets {
		notes = append(notes, d.Notes...)
	}
	albums, _, errs := photo.LoadAlbums(fsys, "content/photos", false)
	if len(errs) > 0 {
		t.Fatal(errs.Err())
	}
	for _, a := range albums {
		notes = append(notes, a.Notes...)
	}
	methods, errs := content.ReadPage(fsys, catalog.MethodsFile)
	if len(errs) > 0 {
		t.Fatal(errs.Err())
	}
	if methods != nil {
		notes = append(notes, methods.Notes...)
	}
	return notes
}

// around is the text around data[i:i+n], for a readable failure.
func around(data []byte, i, n int) string {
	from, to := max(0, i-60), min(len(data), i+n+60)
	return strings.ToValidUTF8(string(data[from:to]), "")
}
