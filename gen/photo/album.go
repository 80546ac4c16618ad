package photo

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"gongjian/gen/diag"
)

// Album is one folder under content/photos with its album.yaml.
type Album struct {
	Slug      string // the folder's name
	Dir       string // the folder, within the fs.FS it was loaded from
	File      string // Dir + "/album.yaml"
	Title     string
	Date      time.Time
	Topic     string // a topic slug; the site checks it against content/site.yaml
	TopicLine int    // of topic in File
	Credit    string
	Summary   string // optional
	Cover     string // optional file name; defaults to the first photo
	Photos    []Photo
	// Notes are the editors' notes (notes:), each at its line: gen build
	// lists them as warnings; no page shows them.
	Notes diag.List
}

// Photo is one entry of an album's photo list.
type Photo struct {
	File    string // file name within the album folder
	Path    string // Dir + "/" + File
	Caption string
	Alt     string
	Line    int // of the entry in album.yaml
}

// CoverPhoto returns the album's cover: the photo named by Cover, or the first.
func (a *Album) CoverPhoto() Photo {
	for _, p := range a.Photos {
		if p.File == a.Cover {
			return p
		}
	}
	return a.Photos[0]
}

// Jobs returns one ProcessAll job per photo, in album order, each reported
// at its line in album.yaml.
func (a *Album) Jobs(fsys fs.FS) []Job {
	jobs := make([]Job, len(a.Photos))
	for i, p := range a.Photos {
		jobs[i] = Job{FS: fsys, Path: p.Path, File: a.File, Line: p.Line}
	}
	return jobs
}

var imageExt = map[string]bool{".jpg": true, ".jpeg": true, ".png": true}

// IsImage reports whether a file name has an extension this package reads.
func IsImage(name string) bool { return imageExt[strings.ToLower(path.Ext(name))] }

// LoadAlbums reads every album under dir (content/photos): each folder with
// an album.yaml. Problems an editor may leave for later (a missing caption,
// alt text or credit; a photo in the folder not listed) are warnings, or
// errors when strict; everything else is an error. Albums come newest first,
// then by slug. A missing dir means no albums.
func LoadAlbums(fsys fs.FS, dir string, strict bool) ([]*Album, diag.List, diag.List) {
	var warns, errs diag.List
	entries, err := fs.ReadDir(fsys, dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, nil
	}
	if err != nil {
		errs.Addf(dir, 0, "%v", err)
		return nil, nil, errs
	}
	soft := &warns
	if strict {
		soft = &errs
	}
	var albums []*Album
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			continue
		}
		if e.Type()&fs.ModeSymlink != 0 {
			// A linked album folder is read through the link when it stays
			// inside the site (fsys refuses the others); only one level
			// is read, so a link cannot make a loop.
			fi, err := fs.Stat(fsys, path.Join(dir, e.Name()))
			if err != nil {
				errs.Addf(path.Join(dir, e.Name()), 0, "%v", diag.Cause(err))
				continue
			}
			if !fi.IsDir() {
				continue
			}
		} else if !e.IsDir() {
			continue
		}
		a := loadAlbum(fsys, path.Join(dir, e.Name()), soft, &errs)
		if a != nil {
			albums = append(albums, a)
		}
	}
	slices.SortStableFunc(albums, func(a, b *Album) int {
		if c := b.Date.Compare(a.Date); c != 0 {
			return c
		}
		return strings.Compare(a.Slug, b.Slug)
	})
	return albums, warns, errs
}

var slugRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)

func loadAlbum(fsys fs.FS, dir string, soft, errs *diag.List) *Album {
	file := path.Join(dir, "album.yaml")
	a := &Album{Slug: path.Base(dir), Dir: dir, File: file}
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		errs.Addf(dir, 0, "%v", err)
		return nil
	}
	files := map[string]bool{}
	for _, e := range entries {
		if !e.IsDir() {
			files[e.Name()] = true
		}
	}
	if !files["album.yaml"] {
		for name := range files {
			if IsImage(name) {
				soft.Addf(dir, 0, "folder has images but no album.yaml; it is not published")
				break
			}
		}
		return nil
	}
	src, err := fs.ReadFile(fsys, file)
	if err != nil {
		errs.Addf(file, 0, "%v", err)
		return nil
	}
	nerr := len(*errs)
	if !slugRE.MatchString(a.Slug) {
		errs.Addf(file, 0, "album folder name %q must be lower-case letters, digits and hyphens (it becomes the URL)", a.Slug)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		errs.Addf(file, yamlErrorLine(err), "%s", yamlErrorMsg(err))
		return nil
	}
	if len(doc.Content) == 0 {
		errs.Addf(file, 0, "empty album.yaml: it needs title, date, topic, credit and photos")
		return nil
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		errs.Addf(file, root.Line, "album.yaml must be a mapping of title, date, topic, credit and photos")
		return nil
	}
	seen := map[string]*yaml.Node{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if _, dup := seen[k.Value]; dup {
			errs.Addf(file, k.Line, "field %q given twice", k.Value)
			continue
		}
		seen[k.Value] = k
		switch k.Value {
		case "title", "topic", "credit", "summary", "cover", "date":
			if v.Kind != yaml.ScalarNode {
				errs.Addf(file, v.Line, "%s: want a single value", k.Value)
				continue
			}
			val := strings.TrimSpace(v.Value)
			switch k.Value {
			case "title":
				a.Title = val
			case "topic":
				a.Topic, a.TopicLine = val, v.Line
			case "credit":
				a.Credit = val
			case "summary":
				a.Summary = val
			case "cover":
				a.Cover = val
			case "date":
				d, err := time.Parse(time.DateOnly, val)
				if err != nil {
					errs.Addf(file, v.Line, "date %q is not a date like 2026-03-15", val)
				}
				a.Date = d
			}
		case "photos":
			a.Photos = loadPhotos(a, v, files, soft, errs)
		case "notes":
			notes, nerrs := diag.Notes(file, v, 0)
			a.Notes = append(a.Notes, notes...)
			errs.Merge(nerrs)
		default:
			errs.Addf(file, k.Line, "unknown field %q (want title, date, topic, credit, summary, cover, photos, notes)", k.Value)
		}
	}
	for _, f := range []string{"title", "date", "topic"} {
		if seen[f] == nil {
			errs.Addf(file, root.Line, "missing %s", f)
		}
	}
	if a.Title == "" && seen["title"] != nil {
		errs.Addf(file, seen["title"].Line, "empty title")
	}
	if strings.TrimSpace(a.Credit) == "" {
		line := root.Line
		if k := seen["credit"]; k != nil {
			line = k.Line
		}
		soft.Addf(file, line, "missing credit (who took the photos)")
	}
	if seen["photos"] == nil {
		errs.Addf(file, root.Line, "missing photos")
	} else if len(a.Photos) == 0 {
		errs.Addf(file, seen["photos"].Line, "photos: the album has no photos")
	}
	if a.Cover != "" && !slices.ContainsFunc(a.Photos, func(p Photo) bool { return p.File == a.Cover }) {
		errs.Addf(file, seen["cover"].Line, "cover %q is not one of the album's photos", a.Cover)
	}
	listed := map[string]bool{}
	for _, p := range a.Photos {
		listed[p.File] = true
	}
	var unlisted []string
	for name := range files {
		if IsImage(name) && !listed[name] {
			unlisted = append(unlisted, name)
		}
	}
	slices.Sort(unlisted)
	for _, name := range unlisted {
		soft.Addf(file, 0, "photo %q is in the folder but not listed in photos; it is not published", name)
	}
	if len(*errs) > nerr {
		return nil
	}
	return a
}

func loadPhotos(a *Album, v *yaml.Node, files map[string]bool, soft, errs *diag.List) []Photo {
	file := a.File
	if v.Kind != yaml.SequenceNode {
		errs.Addf(file, v.Line, "photos: want a list of entries with file, caption and alt")
		return nil
	}
	var out []Photo
	dup := map[string]int{}
	for _, item := range v.Content {
		if item.Kind != yaml.MappingNode {
			errs.Addf(file, item.Line, "photos: each entry needs file, caption and alt")
			continue
		}
		p := Photo{Line: item.Line}
		var hasCaption, hasAlt bool
		for i := 0; i+1 < len(item.Content); i += 2 {
			k, val := item.Content[i], item.Content[i+1]
			if val.Kind != yaml.ScalarNode {
				errs.Addf(file, val.Line, "photo %s: want a single value", k.Value)
				continue
			}
			s := strings.TrimSpace(val.Value)
			switch k.Value {
			case "file":
				p.File = s
			case "caption":
				p.Caption, hasCaption = s, s != ""
			case "alt":
				p.Alt, hasAlt = s, s != ""
			default:
				errs.Addf(file, k.Line, "photo: unknown field %q (want file, caption, alt)", k.Value)
			}
		}
		switch {
		case p.File == "":
			errs.Addf(file, p.Line, "photo entry without a file")
			continue
		case p.File != path.Base(p.File) || p.File == "." || p.File == "..":
			errs.Addf(file, p.Line, "photo %q: name a file in the album's own folder", p.File)
			continue
		case !IsImage(p.File):
			errs.Addf(file, p.Line, "photo %q: only .jpg, .jpeg and .png files can be published", p.File)
			continue
		case !files[p.File]:
			errs.Addf(file, p.Line, "photo %q: no such file in %s", p.File, a.Dir)
			continue
		}
		if first, ok := dup[p.File]; ok {
			errs.Addf(file, p.Line, "photo %q: listed twice (first at line %d)", p.File, first)
			continue
		}
		dup[p.File] = p.Line
		if !hasAlt {
			soft.Addf(file, p.Line, "photo %q: missing alt text", p.File)
		}
		if !hasCaption {
			soft.Addf(file, p.Line, "photo %q: missing caption", p.File)
		}
		p.Path = path.Join(a.Dir, p.File)
		out = append(out, p)
	}
	return out
}

var yamlLineRE = regexp.MustCompile(`^yaml: (?:line (\d+): )?`)

// yamlErrorLine digs the line number out of a YAML syntax error.
func yamlErrorLine(err error) int {
	m := yamlLineRE.FindStringSubmatch(err.Error())
	if m == nil || m[1] == "" {
		return 0
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

func yamlErrorMsg(err error) string {
	return fmt.Sprintf("invalid YAML: %s", yamlLineRE.ReplaceAllString(err.Error(), ""))
}
