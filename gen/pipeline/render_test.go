package pipeline

import (
	"context"
	"errors"
	"html/template"
	"strings"
	"testing"
	"testing/fstest"

	"gongjian/gen/content"
	"gongjian/gen/site"
)

// TestCachedEach renders lists through cachedEach with a theme partial of
// its own, and checks its output and its errors.
func TestCachedEach(t *testing.T) {
	fsys := siteFS(t)
	fsys["themes/default/templates/partials/each-test.html"] = &fstest.MapFile{Data: []byte(`{{define "each-test"}}[{{.Key}}]{{end}}`)}
	s, err := Load(context.Background(), fsys, Options{CacheDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	stories := s.Content.Stories[:2]
	cachedEach := s.e.r.Funcs()["cachedEach"].(func(string, any) (template.HTML, error))
	tests := []struct {
		name    string
		list    any
		want    string
		wantErr string
	}{
		{"stories", stories, "\n[" + stories[0].Key() + "]\n[" + stories[1].Key() + "]", ""},
		{"links", []site.PageLink{{N: 1, URL: "/news/"}, {}, {N: 3, URL: "/news/page/3/", Current: true}},
			"\n[1 /news/]\n[]\n[3 /news/page/3/ current]", ""},
		{"empty", []*content.Story{}, "", ""},
		{"pointers to links", []*site.PageLink{{N: 2, URL: "/a/"}}, "\n[2 /a/]", ""},
		{"not a list", "text", "", "is not a list"},
		{"items without Key", []int{1}, "", "has no Key method"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := cachedEach("each-test", tt.list)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one saying %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// TestRenderCancelled: a build whose context is cancelled stops and says so
// rather than reporting success with pages missing.
func TestRenderCancelled(t *testing.T) {
	s, err := Load(context.Background(), siteFS(t), Options{CacheDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	w := &memFiles{files: map[string][]byte{}}
	if _, err := s.Render(ctx, w); !errors.Is(err, context.Canceled) {
		t.Fatalf("Render with a cancelled context: err = %v, want context.Canceled", err)
	}
}
