package photo

import (
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

const goodAlbum = `title: 小流域治理
date: 2026-04-02
topic: river
credit: 示例图片
photos:
  - file: a.jpg
    caption: 治理后的河道（示例图片）
    alt: 清澈的河水流过石砌河岸
  - file: b.png
    caption: 河岸步道（示例图片）
    alt: 河边的步道和树
`

func TestLoadAlbumsGood(t *testing.T) {
	fsys := fstest.MapFS{
		"content/photos/river/album.yaml": {Data: []byte(goodAlbum)},
		"content/photos/river/a.jpg":      {Data: []byte("x")},
		"content/photos/river/b.png":      {Data: []byte("x")},
		"content/photos/older/album.yaml": {Data: []byte(strings.Replace(strings.Replace(goodAlbum, "2026-04-02", "2025-01-01", 1), "b.png", "a.jpg", 0))},
		"content/photos/older/a.jpg":      {Data: []byte("x")},
		"content/photos/older/b.png":      {Data: []byte("x")},
	}
	albums, warns, errs := LoadAlbums(fsys, "content/photos", true)
	if errs != nil || warns != nil {
		t.Fatalf("warnings %v, errors %v", warns, errs)
	}
	if len(albums) != 2 || albums[0].Slug != "river" || albums[1].Slug != "older" {
		t.Fatalf("albums = %v, want river then older", albums)
	}
	a := albums[0]
	if a.Title != "小流域治理" || a.Topic != "river" || !a.Date.Equal(time.Date(2026, 4, 2, 0, 0, 0, 0, time.UTC)) || a.Credit != "示例图片" {
		t.Errorf("album = %+v", a)
	}
	want := []Photo{
		{File: "a.jpg", Path: "content/photos/river/a.jpg", Caption: "治理后的河道（示例图片）", Alt: "清澈的河水流过石砌河岸", Line: 6},
		{File: "b.png", Path: "content/photos/river/b.png", Caption: "河岸步道（示例图片）", Alt: "河边的步道和树", Line: 9},
	}
	for i := range want {
		if a.Photos[i] != want[i] {
			t.Errorf("photo %d = %+v, want %+v", i, a.Photos[i], want[i])
		}
	}
	if a.CoverPhoto().File != "a.jpg" {
		t.Errorf("cover = %q, want a.jpg", a.CoverPhoto().File)
	}
	jobs := a.Jobs(fsys)
	if len(jobs) != 2 || jobs[1].Path != "content/photos/river/b.png" || jobs[1].File != "content/photos/river/album.yaml" || jobs[1].Line != 9 {
		t.Errorf("jobs = %+v", jobs)
	}
}

func TestLoadAlbumsProblems(t *testing.T) {
	tests := []struct {
		name   string
		yaml   string
		files  []string
		strict bool
		warns  string
		errs   string
	}{
		{
			name: "missing alt and caption warn",
			yaml: `title: 河
date: 2026-04-02
topic: river
credit: 示例图片
photos:
  - file: a.jpg
  - file: b.jpg
    caption: 有说明
  - file: c.jpg
    alt: 有替代文字
`,
			files: []string{"a.jpg", "b.jpg", "c.jpg"},
			warns: `content/photos/river/album.yaml:6: photo "a.jpg": missing alt text
content/photos/river/album.yaml:6: photo "a.jpg": missing caption
content/photos/river/album.yaml:7: photo "b.jpg": missing alt text
content/photos/river/album.yaml:9: photo "c.jpg": missing caption`,
		},
		{
			name: "missing alt is an error when strict",
			yaml: `title: 河
date: 2026-04-02
topic: river
credit: 示例图片
photos:
  - file: a.jpg
    caption: 说明
`,
			files:  []string{"a.jpg", "stray.png"},
			strict: true,
			errs: `content/photos/river/album.yaml: photo "stray.png" is in the folder but not listed in photos; it is not published
content/photos/river/album.yaml:6: photo "a.jpg": missing alt text`,
		},
		{
			name: "every error at once",
			yaml: `title: 河
date: 2026-13-02
topic: rivers
colour: blue
cover: z.jpg
photos:
  - file: a.jpg
    caption: 说明
    alt: 文字
    size: big
  - file: gone.jpg
    caption: 说明
    alt: 文字
  - file: ../x.jpg
  - file: a.jpg
    caption: 说明
    alt: 文字
  - file: notes.txt
  - caption: 没有文件
`,
			files: []string{"a.jpg", "notes.txt"},
			warns: `content/photos/river/album.yaml:1: missing credit (who took the photos)`,
			errs: `content/photos/river/album.yaml:2: date "2026-13-02" is not a date like 2026-03-15
content/photos/river/album.yaml:4: unknown field "colour" (want title, date, topic, credit, summary, cover, photos, notes)
content/photos/river/album.yaml:5: cover "z.jpg" is not one of the album's photos
content/photos/river/album.yaml:10: photo: unknown field "size" (want file, caption, alt)
content/photos/river/album.yaml:11: photo "gone.jpg": no such file in content/photos/river
content/photos/river/album.yaml:14: photo "../x.jpg": name a file in the album's own folder
content/photos/river/album.yaml:15: photo "a.jpg": listed twice (first at line 7)
content/photos/river/album.yaml:18: photo "notes.txt": only .jpg, .jpeg and .png files can be published
content/photos/river/album.yaml:19: photo entry without a file`,
		},
		{
			name:  "syntax error",
			yaml:  "title: 河\ndate: 2026-04-02\nphotos:\n  - file: a.jpg\n   caption: x\n",
			files: []string{"a.jpg"},
			errs:  `content/photos/river/album.yaml:3: invalid YAML: did not find expected '-' indicator`,
		},
		{
			name:  "missing fields",
			yaml:  "credit: 示例图片\n",
			files: []string{"a.jpg"},
			errs: `content/photos/river/album.yaml: photo "a.jpg" is in the folder but not listed in photos; it is not published
content/photos/river/album.yaml:1: missing date
content/photos/river/album.yaml:1: missing photos
content/photos/river/album.yaml:1: missing title
content/photos/river/album.yaml:1: missing topic`,
			strict: true,
		},
	}
	for _, tt := range tests {
		fsys := fstest.MapFS{"content/photos/river/album.yaml": {Data: []byte(tt.yaml)}}
		for _, f := range tt.files {
			fsys["content/photos/river/"+f] = &fstest.MapFile{Data: []byte("x")}
		}
		albums, warns, errs := LoadAlbums(fsys, "content/photos", tt.strict)
		warns.Sort()
		errs.Sort()
		if got := warns.Error(); got != tt.warns {
			t.Errorf("%s: warnings:\n%s\nwant:\n%s", tt.name, got, tt.warns)
		}
		if got := errs.Error(); got != tt.errs {
			t.Errorf("%s: errors:\n%s\nwant:\n%s", tt.name, got, tt.errs)
		}
		if (tt.errs == "") != (len(albums) == 1) {
			t.Errorf("%s: %d albums with errors %q", tt.name, len(albums), tt.errs)
		}
	}
}

// TestAlbumNotes: notes: are editors' notes at their lines, kept apart
// from the credit, captions and warnings a page may show; -strict does not
// make them errors.
func TestAlbumNotes(t *testing.T) {
	yaml := goodAlbum + "notes:\n  - 待开发区提供实拍后替换\n  - 占位图由程序生成\n"
	fsys := fstest.MapFS{
		"content/photos/river/album.yaml": {Data: []byte(yaml)},
		"content/photos/river/a.jpg":      {Data: []byte("x")},
		"content/photos/river/b.png":      {Data: []byte("x")},
	}
	albums, warns, errs := LoadAlbums(fsys, "content/photos", true)
	if errs != nil || warns != nil || len(albums) != 1 {
		t.Fatalf("%d albums, warnings %v, errors %v", len(albums), warns, errs)
	}
	want := "content/photos/river/album.yaml:13: note for editors: 待开发区提供实拍后替换\ncontent/photos/river/album.yaml:14: note for editors: 占位图由程序生成"
	if got := albums[0].Notes.Error(); got != want {
		t.Errorf("notes:\n%s\nwant:\n%s", got, want)
	}
	fsys["content/photos/river/album.yaml"] = &fstest.MapFile{Data: []byte(goodAlbum + "notes: [[a]]\n")}
	_, _, errs = LoadAlbums(fsys, "content/photos", false)
	if got, want := errs.Error(), "content/photos/river/album.yaml:12: notes: expected a text or a list of texts"; got != want {
		t.Errorf("errors = %q, want %q", got, want)
	}
}

func TestLoadAlbumsFolders(t *testing.T) {
	fsys := fstest.MapFS{
		"content/photos/Bad Name/album.yaml": {Data: []byte(goodAlbum)},
		"content/photos/Bad Name/a.jpg":      {Data: []byte("x")},
		"content/photos/Bad Name/b.png":      {Data: []byte("x")},
		"content/photos/loose/a.jpg":         {Data: []byte("x")},
		"content/photos/README.md":           {Data: []byte("x")},
	}
	albums, warns, errs := LoadAlbums(fsys, "content/photos", false)
	if len(albums) != 0 {
		t.Errorf("albums = %v, want none", albums)
	}
	if got, want := warns.Error(), "content/photos/loose: folder has images but no album.yaml; it is not published"; got != want {
		t.Errorf("warnings = %q, want %q", got, want)
	}
	if got := errs.Error(); !strings.HasPrefix(got, `content/photos/Bad Name/album.yaml: album folder name "Bad Name"`) {
		t.Errorf("errors = %q", got)
	}
	if a, w, e := LoadAlbums(fsys, "nowhere", true); a != nil || w != nil || e != nil {
		t.Errorf("missing folder: %v %v %v, want nothing", a, w, e)
	}
}
