package theme

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"go.yaml.in/yaml/v3"

	"gongjian/gen/cjk"
	"gongjian/gen/diag"
	"gongjian/gen/internal/tmplexec"
	"gongjian/gen/outpath"
)

// Theme is a loaded theme.
type Theme struct {
	Dir     string // themes/NAME, relative to the site root
	pages   map[string]*template.Template
	shared  *template.Template
	Static  []File // files to publish as they are, paths relative to the site root of the output
	CSS     File   // every static/css/*.css in name order, as one stylesheet with a content-hashed name
	Strings Catalogue
	// assets maps the path of each script under static/ (js/search.js) to
	// the content-hashed path it is published at (js/search.1a2b3c4d.js).
	assets map[string]string

	// Interpreted runs every template with html/template alone, never
	// with tmplexec; tests compare the two.
	Interpreted bool
	funcMap     template.FuncMap
	programs    sync.Map // a page kind or partial name → *program
	runs        Runs
}

// Runs counts template executions by how they ran.
type Runs struct {
	Compiled    atomic.Int64 // by tmplexec
	Interpreted atomic.Int64 // by html/template: a first run, or Interpreted set
	Fallback    atomic.Int64 // by html/template after tmplexec gave up on the data
}

// program is a template's compiled form, once html/template has escaped
// it (on its first run).
type program struct {
	tried atomic.Bool
	p     atomic.Pointer[tmplexec.Program]
}

// File is a file the theme publishes.
type File struct {
	Path string // output path, e.g. css/site.1a2b3c4d.css
	Data []byte
	Src  string // the file it comes from, from the site root
}

// Catalogue holds the UI strings of one language.
type Catalogue map[string]string

// Load reads themes/NAME from fsys (the site root) for the language lang
// (e.g. zh-CN). extraFuncs are added to the template functions, so that
// packages such as chart can offer their own.
func Load(fsys fs.FS, name, lang string, extraFuncs template.FuncMap) (*Theme, diag.List) {
	var errs diag.List
	dir := "themes/" + name
	t := &Theme{Dir: dir, pages: map[string]*template.Template{}}
	if _, err := fs.Stat(fsys, dir); err != nil {
		errs.Addf(dir, 0, "theme %q not found", name)
		return t, errs
	}
	t.Strings = loadCatalogue(fsys, dir+"/i18n/"+lang+".yaml", &errs)
	t.loadStatic(fsys, &errs)

	funcs := t.funcs()
	for k, v := range extraFuncs {
		funcs[k] = v
	}
	t.funcMap = funcs
	shared := template.New("").Funcs(funcs)
	var pageFiles []string
	err := fs.WalkDir(fsys, dir+"/templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if linkedFolder(fsys, p, d, &errs) || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return nil
		}
		if path.Dir(p) == dir+"/templates/pages" {
			pageFiles = append(pageFiles, p)
			return nil
		}
		if e := parseInto(fsys, shared, p); e != nil {
			errs.Add(e)
		}
		return nil
	})
	if err != nil {
		errs.Addf(dir+"/templates", 0, "%v", err)
		return t, errs
	}
	t.shared = shared
	for _, p := range pageFiles {
		tmpl, err := shared.Clone()
		if err != nil {
			errs.Addf(p, 0, "%v", err)
			continue
		}
		if e := parseInto(fsys, tmpl, p); e != nil {
			errs.Add(e)
			continue
		}
		t.pages[strings.TrimSuffix(path.Base(p), ".html")] = tmpl
	}
	return t, errs
}

// parseInto parses one template file into tmpl, reporting errors at their
// line.
func parseInto(fsys fs.FS, tmpl *template.Template, file string) *diag.Error {
	src, err := fs.ReadFile(fsys, file)
	if err != nil {
		return diag.Errorf(file, 0, "%v", diag.Cause(err))
	}
	if _, err := tmpl.New(file).Parse(string(src)); err != nil {
		return templateError(file, err)
	}
	return nil
}

// linkedFolder reports whether the entry d at p is a symbolic link that
// cannot be read as a file: a link to a folder, which is not walked into
// (it could lead back up into a loop), or a link that fsys refuses (one
// leading outside the site). Either is an error at p.
func linkedFolder(fsys fs.FS, p string, d fs.DirEntry, errs *diag.List) bool {
	if d.Type()&fs.ModeSymlink == 0 {
		return false
	}
	fi, err := fs.Stat(fsys, p)
	switch {
	case err != nil:
		errs.Addf(p, 0, "%v", diag.Cause(err))
	case fi.IsDir():
		errs.Addf(p, 0, "a folder that is a symbolic link is not read: copy the folder here instead")
	default:
		return false
	}
	return true
}

// templateError turns "template: NAME:LINE: msg" into file:line: msg.
func templateError(file string, err error) *diag.Error {
	msg := err.Error()
	prefix := "template: " + file + ":"
	if rest, ok := strings.CutPrefix(msg, prefix); ok {
		var line int
		if n, _ := fmt.Sscanf(rest, "%d:", &line); n == 1 {
			_, after, _ := strings.Cut(rest, ":")
			return diag.Errorf(file, line, "%s", strings.TrimSpace(after))
		}
	}
	return diag.Errorf(file, 0, "%s", msg)
}

func loadCatalogue(fsys fs.FS, file string, errs *diag.List) Catalogue {
	src, err := fs.ReadFile(fsys, file)
	if err != nil {
		errs.Addf(file, 0, "no UI strings for this language: %v", err)
		return Catalogue{}
	}
	var c Catalogue
	if err := yaml.Unmarshal(src, &c); err != nil {
		errs.Addf(file, 0, "invalid YAML: %v", err)
	}
	return c
}

func (t *Theme) loadStatic(fsys fs.FS, errs *diag.List) {
	root := t.Dir + "/static"
	var css bytes.Buffer
	_ = fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p != root {
				errs.Addf(p, 0, "%v", err)
			}
			return nil
		}
		if linkedFolder(fsys, p, d, errs) || d.IsDir() {
			return nil
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			errs.Addf(p, 0, "%v", diag.Cause(err))
			return nil
		}
		rel := strings.TrimPrefix(p, root+"/")
		if path.Dir(rel) == "css" && strings.HasSuffix(rel, ".css") {
			fmt.Fprintf(&css, "/* %s */\n", path.Base(rel))
			css.Write(data)
			css.WriteByte('\n')
			return nil
		}
		if strings.HasSuffix(rel, ".js") {
			// Scripts get content-hashed names, as the stylesheet does:
			// a page always loads the scripts it was built with, even
			// while a deploy replaces the site under it, and they can be
			// cached for good.
			sum := sha256.Sum256(data)
			hashed := outpath.WithHash(strings.TrimSuffix(rel, ".js"), sum[:], ".js")
			if t.assets == nil {
				t.assets = map[string]string{}
			}
			t.assets[rel] = hashed
			rel = hashed
		}
		t.Static = append(t.Static, File{Path: rel, Data: data, Src: p})
		return nil
	})
	sum := sha256.Sum256(css.Bytes())
	t.CSS = File{Path: outpath.WithHash(outpath.StyleSheet, sum[:], ".css"), Data: css.Bytes()}
}

// Asset returns the address a script of the theme is published at, e.g.
// /js/search.1a2b3c4d.js for js/search.js, or "" when the theme has no
// such script.
func (t *Theme) Asset(rel string) string {
	if h, ok := t.assets[rel]; ok {
		return "/" + h
	}
	return ""
}

// Has reports whether the theme has a page template called kind.
func (t *Theme) Has(kind string) bool { return t.pages[kind] != nil }

// Kinds lists the page templates, sorted.
func (t *Theme) Kinds() []string {
	var k []string
	for name := range t.pages {
		k = append(k, name)
	}
	slices.Sort(k)
	return k
}

// Render executes the page template kind with data into w.
func (t *Theme) Render(w io.Writer, kind string, data any) error {
	tmpl := t.pages[kind]
	if tmpl == nil {
		return fmt.Errorf("theme %s has no page template %q (templates/pages/%s.html)", t.Dir, kind, kind)
	}
	return t.execute(w, tmpl, t.Dir+"/templates/pages/"+kind+".html", data)
}

// Partial executes the shared template name (a {{define}} outside pages/)
// with data into w.
func (t *Theme) Partial(w io.Writer, name string, data any) error {
	if t.shared == nil || t.shared.Lookup(name) == nil {
		return fmt.Errorf("theme %s has no template %q", t.Dir, name)
	}
	return t.execute(w, t.shared, name, data)
}

// Runs says how the templates ran so far.
func (t *Theme) Runs() *Runs { return &t.runs }

// execute runs the template name of set: compiled by tmplexec when it can,
// else by html/template, which also gives every error. Compiled templates
// take a fifth off BenchmarkRender in gen/pipeline (its compiled and
// interpreted runs: 422-534 against 585-700 ms a build, 1.33 against 1.89
// million allocations).
func (t *Theme) execute(w io.Writer, set *template.Template, name string, data any) error {
	e, _ := t.programs.Load(name)
	if e == nil {
		e, _ = t.programs.LoadOrStore(name, new(program))
	}
	prog := e.(*program)
	if p := prog.p.Load(); p != nil && !t.Interpreted {
		buf, direct := w.(*bytes.Buffer)
		if !direct {
			buf = new(bytes.Buffer)
		}
		if p.Execute(buf, data) == nil {
			t.runs.Compiled.Add(1)
			if !direct {
				_, err := w.Write(buf.Bytes())
				return err
			}
			return nil
		}
		t.runs.Fallback.Add(1)
		return set.ExecuteTemplate(w, name, data)
	}
	t.runs.Interpreted.Add(1)
	if err := set.ExecuteTemplate(w, name, data); err != nil {
		return err
	}
	// The template is escaped now: compile it, once.
	if !t.Interpreted && !prog.tried.Swap(true) {
		if p, ok := tmplexec.Compile(set, name, t.funcMap); ok {
			prog.p.Store(p)
		}
	}
	return nil
}

// T returns the UI string for key, formatted with args, or the key itself in
// brackets so that a missing string is visible on the page and in tests.
func (t *Theme) T(key string, args ...any) string {
	s, ok := t.Strings[key]
	if !ok {
		return "[" + key + "]"
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

func (t *Theme) funcs() template.FuncMap {
	return template.FuncMap{
		"t": t.T,
		"date": func(tm time.Time) string {
			return t.T("date.format", tm.Year(), int(tm.Month()), tm.Day())
		},
		"isodate": func(tm time.Time) string { return tm.Format("2006-01-02") },
		"asset": func(rel string) (string, error) {
			if a := t.Asset(rel); a != "" {
				return a, nil
			}
			return "", fmt.Errorf("theme %s has no script static/%s", t.Dir, rel)
		},
		"month": func(tm time.Time) string {
			return t.T("date.month", tm.Year(), int(tm.Month()))
		},
		// wbr marks where Chinese text may break between phrases, for
		// headings, cards, chips and links (see gen/cjk.WBR).
		"wbr": cjk.WBR,
	}
}
