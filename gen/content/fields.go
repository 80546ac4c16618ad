package content

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"gongjian/gen/cjk"
	"gongjian/gen/diag"
	"gongjian/gen/markdown"
)

// field is one key a YAML mapping may have.
type field struct {
	name     string
	required bool
	set      func(n *yaml.Node) error
}

// decodeMapping applies fields to the mapping node m, reporting unknown keys,
// duplicate keys, missing required keys and bad values, each at its line.
// lineOff is added to the YAML parser's line numbers (front matter starts
// below the --- fence).
func decodeMapping(file string, lineOff, wholeLine int, m *yaml.Node, fields []field, errs *diag.List) {
	if m.Kind != yaml.MappingNode {
		errs.Addf(file, m.Line+lineOff, "expected a mapping of fields (key: value), found %s", kindName(m))
		return
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		f := findField(fields, k.Value)
		if f == nil {
			errs.Addf(file, k.Line+lineOff, "unknown field %q (expected one of: %s)", k.Value, fieldNames(fields))
			continue
		}
		if seen[k.Value] {
			errs.Addf(file, k.Line+lineOff, "field %q appears twice", k.Value)
			continue
		}
		seen[k.Value] = true
		if err := f.set(v); err != nil {
			errs.Addf(file, v.Line+lineOff, "field %q: %v", k.Value, err)
		}
	}
	for _, f := range fields {
		if f.required && !seen[f.name] {
			errs.Addf(file, wholeLine, "missing field %q", f.name)
		}
	}
}

func findField(fields []field, name string) *field {
	for i := range fields {
		if fields[i].name == name {
			return &fields[i]
		}
	}
	return nil
}

func fieldNames(fields []field) string {
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = f.name
	}
	return strings.Join(names, ", ")
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.ShortTag() == "!!null" {
			return "nothing"
		}
		return fmt.Sprintf("%q", n.Value)
	case yaml.AliasNode:
		return "an alias"
	}
	return "a document"
}

func str(dst *string) func(*yaml.Node) error {
	return func(n *yaml.Node) error {
		if n.Kind != yaml.ScalarNode || n.ShortTag() == "!!null" {
			return fmt.Errorf("expected text, found %s", kindName(n))
		}
		*dst = cjk.Join(strings.TrimSpace(n.Value))
		if *dst == "" {
			return fmt.Errorf("is empty")
		}
		return nil
	}
}

// matching reads a text that must match re; want says what was expected.
func matching(dst *string, re *regexp.Regexp, want string) func(*yaml.Node) error {
	return func(n *yaml.Node) error {
		if err := str(dst)(n); err != nil {
			return err
		}
		if !re.MatchString(*dst) {
			return fmt.Errorf("%q: expected %s", *dst, want)
		}
		return nil
	}
}

var (
	phoneRE    = regexp.MustCompile(`^\+?[0-9][0-9 -]{4,30}$`)
	emailRE    = regexp.MustCompile(`^[^@\s<>"]+@[^@\s<>"]+\.[^@\s<>"]+$`)
	siteCodeRE = regexp.MustCompile(`^[0-9]{10}$`)
)

// link reads an address that a page links to, under the same policy as
// links in Markdown.
func link(dst *string) func(*yaml.Node) error {
	return func(n *yaml.Node) error {
		if err := str(dst)(n); err != nil {
			return err
		}
		if !markdown.SafeURL(*dst) {
			return fmt.Errorf("%q: %s", *dst, markdown.LinkPolicy)
		}
		return nil
	}
}

func boolean(dst *bool) func(*yaml.Node) error {
	return func(n *yaml.Node) error {
		if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!bool" {
			return fmt.Errorf("expected true or false, found %s", kindName(n))
		}
		return n.Decode(dst)
	}
}

func integer(dst *int, lo, hi int) func(*yaml.Node) error {
	return func(n *yaml.Node) error {
		if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!int" {
			return fmt.Errorf("expected a whole number, found %s", kindName(n))
		}
		if err := n.Decode(dst); err != nil {
			return err
		}
		if *dst < lo || *dst > hi {
			return fmt.Errorf("%d is out of range (expected %d to %d)", *dst, lo, hi)
		}
		return nil
	}
}

// list accepts a list of texts, or a single text as a list of one. Each item
// is passed to check with its line, so that an item's error names its line.
func list(dst *[]string, lines *[]int) func(*yaml.Node) error {
	return func(n *yaml.Node) error {
		items := []*yaml.Node{n}
		if n.Kind == yaml.SequenceNode {
			items = n.Content
		}
		// A set, not slices.Contains: a list may be as long as hostile
		// front matter makes it.
		seen := make(map[string]bool, len(*dst)+len(items))
		for _, v := range *dst {
			seen[v] = true
		}
		for _, it := range items {
			if it.Kind != yaml.ScalarNode || it.ShortTag() == "!!null" || strings.TrimSpace(it.Value) == "" {
				return fmt.Errorf("expected a list of texts, found %s", kindName(it))
			}
			v := strings.TrimSpace(it.Value)
			if seen[v] {
				continue
			}
			seen[v] = true
			*dst = append(*dst, v)
			if lines != nil {
				*lines = append(*lines, it.Line)
			}
		}
		return nil
	}
}

// Zone is the time zone of dates written without one: the portal is a
// Chinese one, and a fixed zone keeps builds independent of the machine's.
var Zone = time.FixedZone("CST", 8*3600)

var dateLayouts = []string{"2006-01-02", "2006-01-02 15:04", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02T15:04:05", time.RFC3339}

// ParseDate reads the dates editors write: 2026-03-05, optionally with a
// time, optionally with a zone.
func ParseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range dateLayouts {
		if t, err := time.ParseInLocation(layout, s, Zone); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a date (expected YYYY-MM-DD, optionally followed by a time hh:mm)", s)
}

func date(dst *time.Time) func(*yaml.Node) error {
	return func(n *yaml.Node) error {
		if n.Kind != yaml.ScalarNode {
			return fmt.Errorf("expected a date, found %s", kindName(n))
		}
		t, err := ParseDate(n.Value)
		if err != nil {
			return err
		}
		*dst = t
		return nil
	}
}

// noteField reads a front matter's notes: field. The YAML parser's lines
// are those of the front matter; off, added later, makes them the file's.
type noteField struct{ node *yaml.Node }

func (nf *noteField) set(n *yaml.Node) error { nf.node = n; return nil }

// list is the notes as diagnostics of file, and adds their errors to errs.
func (nf *noteField) list(file string, off int, errs *diag.List) diag.List {
	if nf.node == nil {
		return nil
	}
	notes, nerrs := diag.Notes(file, nf.node, off)
	errs.Merge(nerrs)
	return notes
}
