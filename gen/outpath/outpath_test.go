package outpath

import (
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	long := strings.Repeat("长", 86) // 258 bytes
	tests := []struct {
		name   string
		claims []Claim
		want   []string
	}{
		{"distinct", []Claim{{Path: "index.html"}, {Path: "news/a/index.html", File: "content/news/a.md"}, {Path: "tags/积分/index.html", File: "content/news/a.md", Line: 6}}, nil},
		{"tag named index.html", []Claim{
			{Path: "tags/index.html"},
			{Path: "tags/index.html/index.html", File: "content/news/a.md", Line: 6},
		}, []string{
			"content/news/a.md:6: output tags/index.html/index.html needs tags/index.html to be a folder, but a page gen makes itself makes it a file",
		}},
		{"file before folder, both with sources", []Claim{
			{Path: "css/site.css", File: "themes/default/static/css/site.css"},
			{Path: "css/site.css/x.png", File: "themes/default/static/css/site.css/x.png"},
		}, []string{
			"themes/default/static/css/site.css/x.png: output css/site.css/x.png needs css/site.css to be a folder, but themes/default/static/css/site.css makes it a file",
		}},
		{"twice", []Claim{
			{Path: "atom.xml"},
			{Path: "atom.xml", File: "themes/default/static/atom.xml"},
		}, []string{
			"themes/default/static/atom.xml: output atom.xml is claimed twice: also by a page gen makes itself",
		}},
		{"twice by gen", []Claim{{Path: "a.html"}, {Path: "a.html"}}, []string{
			"output a.html: output a.html is claimed twice: also by a page gen makes itself",
		}},
		{"letter case", []Claim{
			{Path: "tags/AI/index.html", File: "content/news/a.md", Line: 6},
			{Path: "tags/ai/index.html", File: "content/news/b.md", Line: 7},
			{Path: "tags/caf\u00e9/index.html", File: "content/news/a.md", Line: 6},
			{Path: "tags/cafe\u0301/index.html", File: "content/news/c.md", Line: 8},
		}, []string{
			"content/news/b.md:7: output tags/ai/index.html and tags/AI/index.html (by content/news/a.md:6) differ only in letter case or Unicode form: on macOS and Windows they are one file",
			"content/news/c.md:8: output tags/cafe\u0301/index.html and tags/caf\u00e9/index.html (by content/news/a.md:6) differ only in letter case or Unicode form: on macOS and Windows they are one file",
		}},
		{"too long", []Claim{{Path: "tags/" + long + "/index.html", File: "content/news/a.md", Line: 6}}, []string{
			`content/news/a.md:6: output "tags/` + long + `/index.html": the name "` + strings.Repeat("长", 40) + `"… is 258 bytes long, over the 255 a file system allows`,
		}},
		{"at the length limit", []Claim{{Path: strings.Repeat("a", MaxSegment) + "/index.html"}}, nil},
		{"dot segments", []Claim{{Path: "tags/../x", File: "f"}, {Path: "/abs", File: "f"}, {Path: "a//b", File: "f"}, {Path: "a\x00b", File: "f"}}, []string{
			`f: output "tags/../x": the name ".." is not allowed in a path`,
			`f: output "/abs": expected a relative path`,
			`f: output "a//b": the name "" is not allowed in a path`,
			`f: output "a\x00b": the name "a\x00b" holds a NUL or a backslash`,
		}},
	}
	for _, tt := range tests {
		errs := Check(tt.claims)
		var got []string
		for _, e := range errs {
			got = append(got, e.Error())
		}
		if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
			t.Errorf("%s: Check:\n%s\nwant:\n%s", tt.name, strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
		}
	}
}

// TestCheckMany: 20,000 deep claims, of which 2,600 are distinct (the
// pattern repeats every lcm(200, 26) claims): every repeat is reported
// once, and the folders the claims share are no conflict.
func TestCheckMany(t *testing.T) {
	claims := make([]Claim, 20000)
	deep := strings.Repeat("d/", 100)
	for i := range claims {
		claims[i] = Claim{Path: deep + strings.Repeat("x", i%200+1) + "/" + string(rune('a'+i%26)) + ".html"}
	}
	if errs := Check(claims); len(errs) != 20000-2600 {
		t.Fatalf("%d problems, want %d", len(errs), 20000-2600)
	}
}
