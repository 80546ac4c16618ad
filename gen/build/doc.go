// Package build is the one entry point that turns a site folder into a
// published site: load (content, theme), check (every error, with file and
// line), derive (lists, tags, feeds), render (pages in parallel through the
// theme) and write (a fresh folder swapped in whole). The same input gives
// byte-identical output.
package build
