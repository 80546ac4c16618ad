package pipeline

import (
	"gongjian/gen/diag"
	"gongjian/gen/outpath"
	"gongjian/gen/site"
)

// checkOutputs reports pages and files of pl that could not be written
// side by side, each at the source that asks for it: a tag named like a
// file of /tags/, a theme file where a page goes. Nothing has rendered yet.
func checkOutputs(pl *site.Plan) diag.List {
	claims := make([]outpath.Claim, 0, len(pl.Pages)+len(pl.Files))
	for _, p := range pl.Pages {
		claims = append(claims, outpath.Claim{Path: p.Out, File: p.From.File, Line: p.From.Line})
	}
	for _, f := range pl.Files {
		claims = append(claims, outpath.Claim{Path: f.Path, File: f.From.File, Line: f.From.Line})
	}
	return outpath.Check(claims)
}

// outputs are the output paths of pl, pages first, in plan order.
func outputs(pl *site.Plan) []string {
	out := make([]string, 0, len(pl.Pages)+len(pl.Files))
	for _, p := range pl.Pages {
		out = append(out, p.Out)
	}
	for _, f := range pl.Files {
		out = append(out, f.Path)
	}
	return out
}
