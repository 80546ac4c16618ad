package content

import (
	"errors"
	"io/fs"

	"github.com/cespare/xxhash/v2"

	"gongjian/gen/diag"
)

// A Page is a Markdown page that is neither a story nor a topic, such as
// the page that explains the site's data (see package catalog): front
// matter with title, summary and notes, as a topic has, then its text.
type Page struct {
	File     string
	Title    string
	Summary  string
	Notes    diag.List // editors' notes, as for a story
	Body     []byte
	BodyLine int
	Hash     uint64 // of the whole file
}

// InputKey names the page among the inputs a page reads: its file.
func (p *Page) InputKey() string { return p.File }

// InputVersion is the page's hash.
func (p *Page) InputVersion() uint64 { return p.Hash }

// ReadPage reads the page in file (a slash path from the site root). A
// site without the file has no such page: nil, and no error.
func ReadPage(fsys fs.FS, file string) (*Page, diag.List) {
	src, err := readSource(fsys, file)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	var errs diag.List
	if err != nil {
		errs.Addf(file, 0, "%v", diag.Cause(err))
		return nil, errs
	}
	p := &Page{File: file, Hash: xxhash.Sum64(src)}
	p.Title, p.Summary, p.Notes, p.Body, p.BodyLine = titled(file, src, &errs)
	return p, errs
}
