package build

import (
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
