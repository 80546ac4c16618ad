// Package render turns the pages of a site model into HTML through a theme:
// the theme's templates with the functions they call, the page's Markdown
// converted with the hooks features add, and partials rendered once and
// reused across pages.
package render

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"maps"
	"reflect"
	"regexp"
	"strings"
	"unsafe"

	"gongjian/gen/content"
	"gongjian/gen/diag"
	"gongjian/gen/internal/memo"
	"gongjian/gen/markdown"
	"gongjian/gen/site"
	"gongjian/gen/theme"
)

// Options tune rendering.
type Options struct {
	// Strict makes what Markdown leaves out of a page (raw HTML, links
	// with a disallowed address) an error instead of a warning.
	Strict bool
	Logf   func(format string, args ...any)
	// Keep keeps each page's Markdown after it rendered, for rendering it
	// again (watch mode); without it the source is dropped once rendered.
	Keep bool
	// Interpret runs the theme's templates with html/template alone
	// (see theme.Theme.Interpreted).
	Interpret bool
}

// Renderer renders pages. It is safe for concurrent use while the model
// and theme stay as they are.
type Renderer struct {
	Theme   *theme.Theme
	opt     Options
	conv    *markdown.Converter
	model   *site.Model
	cache   memo.Map[cacheKey, template.HTML] // rendered partials
	pageIDs map[string]bool                   // ids the theme's templates write; headings avoid them
}

// New makes a renderer; it has no theme until LoadTheme.
func New(opt Options) *Renderer {
	if opt.Logf == nil {
		opt.Logf = func(string, ...any) {}
	}
	return &Renderer{opt: opt, conv: markdown.New()}
}

// LoadTheme loads themes/NAME from fsys (the site root) for the language
// lang, with the template functions pages call, and checks it has a
// template for each of kinds. Partials rendered with an earlier theme are
// forgotten.
func (r *Renderer) LoadTheme(fsys fs.FS, name, lang string, kinds []string) diag.List {
	th, errs := theme.Load(fsys, name, lang, r.Funcs())
	th.Interpreted = r.opt.Interpret
	if len(errs) == 0 {
		for _, kind := range kinds {
			if !th.Has(kind) {
				errs.Addf(th.Dir+"/templates/pages/"+kind+".html", 0, "missing page template")
			}
		}
	}
	r.Theme = th
	r.pageIDs = templateIDs(fsys, th.Dir)
	r.cache.Clear()
	return errs
}

// SetModel makes m the model the template functions look topics and
// addresses up in.
func (r *Renderer) SetModel(m *site.Model) { r.model = m }

// Forget drops every rendered partial, for a model whose topics or
// settings changed (cards show topic titles).
func (r *Renderer) Forget() { r.cache.Clear() }

// Funcs are the template functions pages call beyond the theme's own.
func (r *Renderer) Funcs() template.FuncMap {
	return template.FuncMap{
		"topic":      func(slug string) *content.Topic { return r.model.Topics[slug] },
		"tagURL":     content.TagURL,
		"abs":        func(p string) string { return r.model.Abs(p) },
		"cached":     r.cached,
		"cachedEach": r.cachedEach,
	}
}

// A Hook prepares a page just before it renders, on the goroutine that
// renders it: it may set parts of the page (a story's cover) and add
// Markdown hooks (images, chart blocks), recording what it reads with
// p.Read. Errors at a source line are *diag.Error or diag.List.
type Hook interface {
	BeforeRender(ctx context.Context, p *site.Page, prep *Prep) error
}

// Prep is what hooks prepare for one page.
type Prep struct {
	Hooks markdown.Hooks
	// Text asks for the plain text of the page's Markdown, which the
	// functions given to AfterMarkdown receive.
	Text  bool
	after []func(text string)
}

// AfterMarkdown calls fn once the page's Markdown is converted, before its
// template runs, with the Markdown's text if Text was set.
func (pr *Prep) AfterMarkdown(fn func(text string)) { pr.after = append(pr.after, fn) }

// Page renders the page planned as pp into buf, after hooks prepare it,
// and returns what it read while rendering. Problems in the page's sources
// are added to errs; the error returned is anything else. The planned page
// is left as it was: hooks prepare a copy, so that rendering it again
// starts from the plan.
func (r *Renderer) Page(ctx context.Context, buf *bytes.Buffer, pp *site.Page, hooks []Hook, errs *diag.List) (site.Reads, error) {
	page := *pp
	p := &page
	p.Parts = maps.Clone(pp.Parts)
	var prep Prep
	for _, h := range hooks {
		if err := h.BeforeRender(ctx, p, &prep); err != nil {
			var d *diag.Error
			var l diag.List
			switch {
			case errors.As(err, &l):
				errs.Merge(l)
			case errors.As(err, &d):
				errs.Add(d)
			default:
				return nil, err
			}
		}
	}
	if src := p.Source; src != nil {
		doc, derrs := r.conv.Convert(src.Src, markdown.Options{File: src.File, Line: src.Line, Hooks: &prep.Hooks, Text: prep.Text, ReservedIDs: r.pageIDs})
		errs.Merge(derrs)
		if r.opt.Strict {
			errs.Merge(doc.Warnings)
		} else {
			for _, w := range doc.Warnings {
				r.opt.Logf("warning: %v", w)
			}
		}
		// doc.HTML is the page's own copy, never written again: the body
		// shares its bytes instead of copying them into a string (with the
		// page buffer pool in pipeline, 6-17% of BenchmarkRender's CPU).
		p.Body = template.HTML(unsafe.String(unsafe.SliceData(doc.HTML), len(doc.HTML)))
		for _, fn := range prep.after {
			fn(doc.Text)
		}
	}
	err := r.Theme.Render(buf, p.Kind, p)
	if !r.opt.Keep && p.Source != nil {
		p.Source.Src = nil
		if p.Story != nil {
			p.Story.Body = nil
		}
	}
	if err != nil {
		return nil, fmt.Errorf("render %s: %w", p.Out, err)
	}
	return p.Reads(), nil
}

// cached renders the theme's partial name with data once per key and
// renderer, and reuses the HTML wherever the same key comes again: a
// story's card shows on list, topic, tag and related lists, the header is
// the same on every page of a section. The key must identify everything
// the partial shows.
func (r *Renderer) cached(name, key string, data any) (template.HTML, error) {
	k := cacheKey{name, key}
	if h, ok := r.cache.Load(k); ok {
		return h, nil
	}
	var b bytes.Buffer
	if err := r.Theme.Partial(&b, name, data); err != nil {
		return "", err
	}
	h := template.HTML(b.String())
	r.cache.Store(k, h)
	return h, nil
}

// keyer is what cachedEach needs of a list's items: a key that identifies
// everything the partial shows of the item.
type keyer interface{ Key() string }

// cachedEach renders the partial name for each item of list (a slice whose
// items have a Key method) as cached does, each on a new line: one template
// call for a whole list of cards or pager links instead of three actions
// per item.
func (r *Renderer) cachedEach(name string, list any) (template.HTML, error) {
	var (
		small [16]template.HTML
		parts = small[:0]
		size  int
	)
	add := func(item keyer) error {
		h, err := r.cached(name, item.Key(), item)
		parts = append(parts, h)
		size += 1 + len(h)
		return err
	}
	switch l := list.(type) {
	case []*content.Story:
		for _, st := range l {
			if err := add(st); err != nil {
				return "", err
			}
		}
	case []site.PageLink:
		for _, pl := range l {
			if err := add(pl); err != nil {
				return "", err
			}
		}
	default:
		v := reflect.ValueOf(list)
		if v.Kind() != reflect.Slice {
			return "", fmt.Errorf("cachedEach %q: %T is not a list", name, list)
		}
		for i := range v.Len() {
			item, ok := v.Index(i).Interface().(keyer)
			if !ok {
				return "", fmt.Errorf("cachedEach %q: %s has no Key method", name, v.Index(i).Type())
			}
			if err := add(item); err != nil {
				return "", err
			}
		}
	}
	var b strings.Builder
	b.Grow(size)
	for _, h := range parts {
		b.WriteByte('\n')
		b.WriteString(string(h))
	}
	return template.HTML(b.String()), nil
}

// cacheKey names one rendering of a cached partial.
type cacheKey struct{ name, key string }

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
