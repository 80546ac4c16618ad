package build

import (
	"io/fs"
	"regexp"

	"gongjian/gen/diag"
	"gongjian/gen/outpath"
)

// checkOutputs reports files of jobs that could not be written side by
// side, each at the source that asks for the file: a tag named like a
// file of /tags/, a theme file where a page goes. Nothing has rendered yet.
func (s *Site) checkOutputs(jobs []*job) diag.List {
	static := make(map[string]bool, len(s.Theme.Static))
	for _, f := range s.Theme.Static {
		static[f.Path] = true
	}
	claims := make([]outpath.Claim, len(jobs))
	for i, j := range jobs {
		c := outpath.Claim{Path: j.out}
		switch p := j.page; {
		case p == nil:
			if static[j.out] {
				c.File = s.Theme.Dir + "/static/" + j.out
			}
		case p.Story != nil:
			c.File = p.Story.File
		case p.Topic != nil:
			c.File = p.Topic.File
		case p.Tag != "":
			if stories := s.byTag[p.Tag]; len(stories) > 0 {
				c.File, c.Line = stories[0].File, stories[0].TagLine(p.Tag)
			}
		case p.Album != nil:
			c.File = p.Album.File
		case p.Dataset != nil:
			c.File = p.Dataset.SchemaPath
		}
		claims[i] = c
	}
	return outpath.Check(claims)
}

// templateIDs are the literal ids written in the theme's templates
// (id="main", not id="{{.ID}}"), which heading ids must not repeat.
func templateIDs(fsys fs.FS, themeDir string) map[string]bool {
	ids := map[string]bool{}
	_ = fs.WalkDir(fsys, themeDir+"/templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		src, err := fs.ReadFile(fsys, p)
		if err != nil {
			return nil
		}
		for _, m := range idAttr.FindAllSubmatch(src, -1) {
			ids[string(m[1])] = true
		}
		return nil
	})
	return ids
}

var idAttr = regexp.MustCompile(`\bid="([^"{}]+)"`)
