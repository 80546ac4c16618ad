package photo

import (
	"strings"
	"testing"
)

func TestResolveRef(t *testing.T) {
	tests := []struct {
		from, ref, want, err string
	}{
		{"content/news/x.md", "x-cover.jpg", "content/news/x-cover.jpg", ""},
		{"content/news/x.md", "img/a.PNG", "content/news/img/a.PNG", ""},
		{"content/news/x.md", "../photos/river/river-1.jpg", "content/photos/river/river-1.jpg", ""},
		{"content/news/x.md", "../../data/secret.jpg", "", "outside the content folder"},
		{"content/news/x.md", "../../../etc/a.jpg", "", "outside the content folder"},
		{"content/news/x.md", "/img/a.jpg", "", "relative to x.md"},
		{"content/news/x.md", "https://example.com/a.jpg", "", "not links"},
		{"content/news/x.md", "//example.com/a.jpg", "", "not links"},
		{"content/news/x.md", "data:image/png;base64,AAAA", "", "not links"},
		{"content/news/x.md", "a.gif", "", "only .jpg"},
		{"content/news/x.md", "", "", "empty"},
	}
	for _, tt := range tests {
		got, err := ResolveRef(tt.from, tt.ref)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("ResolveRef(%q, %q) error = %v, want one containing %q", tt.from, tt.ref, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ResolveRef(%q, %q) = %q, %v, want %q", tt.from, tt.ref, got, err, tt.want)
		}
	}
}
