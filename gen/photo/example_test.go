package photo

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"gongjian/gen/content"
	"gongjian/gen/photo/internal/fakeexif"
)

// TestExampleAlbums checks the placeholder albums that ship in content/photos:
// they load strictly, say 示例图片 everywhere, and publish cleanly, including
// the one photo stored sideways with GPS data.
func TestExampleAlbums(t *testing.T) {
	fsys := os.DirFS("../..")
	albums, warns, errs := LoadAlbums(fsys, "content/photos", true)
	if errs != nil || warns != nil {
		t.Fatalf("warnings:\n%v\nerrors:\n%v", warns, errs)
	}
	if len(albums) != 6 {
		t.Errorf("%d albums, want 6 (one per caption in FACTS.md)", len(albums))
	}
	topics := map[string]bool{}
	var jobs []Job
	for _, a := range albums {
		topics[a.Topic] = true
		if !strings.Contains(a.Credit, "示例图片") {
			t.Errorf("%s: credit %q does not say 示例图片", a.File, a.Credit)
		}
		if n := len(a.Photos); n < 2 || n > 4 {
			t.Errorf("%s: %d photos, want 2 to 4", a.File, n)
		}
		for _, p := range a.Photos {
			if !strings.HasSuffix(p.Caption, "（示例图片）") {
				t.Errorf("%s:%d: caption %q does not end with （示例图片）", a.File, p.Line, p.Caption)
			}
			if fi, err := os.Stat("../../" + p.Path); err != nil || fi.Size() > 100_000 {
				t.Errorf("%s: %v, size %v: want a file under 100 KB", p.Path, err, fi.Size())
			}
		}
		jobs = append(jobs, a.Jobs(fsys)...)
	}
	site, serrs := content.Load(fsys, content.Options{})
	if err := serrs.Err(); err != nil {
		t.Fatal(err)
	}
	for _, st := range site.Topics {
		if !topics[st.Slug] {
			t.Errorf("no album for topic %q of content/site.yaml (albums cover %v)", st.Slug, topics)
		}
		delete(topics, st.Slug)
	}
	if len(topics) > 0 {
		t.Errorf("albums use topics %v that content/site.yaml does not list", topics)
	}

	raw, err := os.ReadFile("../../content/photos/bailang-road/road-2.jpg")
	if err != nil {
		t.Fatal(err)
	}
	if JPEGOrientation(raw) != 6 || !bytes.Contains(raw, []byte(fakeexif.GPSMarker)) {
		t.Error("road-2.jpg should carry orientation 6 and a GPS block; regenerate it")
	}

	p := NewProcessor(t.TempDir(), Options{})
	res, perrs := p.ProcessAll(context.Background(), jobs)
	if perrs != nil {
		t.Fatal(perrs)
	}
	for i, r := range res {
		if r.Width != 1280 || r.Height != 854 {
			t.Errorf("%s: %d×%d, want 1280×854 upright", jobs[i].Path, r.Width, r.Height)
		}
		for _, v := range r.Variants {
			data, err := os.ReadFile(v.File)
			if err != nil {
				t.Fatal(err)
			}
			if HasMetadata(data) || bytes.Contains(data, []byte("SAMPLE-000000")) {
				t.Errorf("%s (%s): metadata survived", v.Path, jobs[i].Path)
			}
		}
		if got := len(r.Variants); got != 3 {
			t.Errorf("%s: %d variants, want 3 (480, 960, 1280)", jobs[i].Path, got)
		}
	}
}
