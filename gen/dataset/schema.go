package dataset

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"gongjian/gen/diag"
)

// schema is data/NAME.yaml as written.
type schema struct {
	Title       string       `yaml:"title"`
	Description string       `yaml:"description"`
	Source      string       `yaml:"source"`
	Licence     string       `yaml:"licence"`
	Updated     string       `yaml:"updated"`
	Topic       string       `yaml:"topic"`
	Sample      bool         `yaml:"sample"`
	Frequency   string       `yaml:"frequency"`
	Encoding    string       `yaml:"encoding"`
	Delimiter   string       `yaml:"delimiter"`
	Columns     []ColumnSpec `yaml:"columns"`
	Charts      []yaml.Node  `yaml:"charts"`
	Checks      []yaml.Node  `yaml:"checks"`
	Notes       yaml.Node    `yaml:"notes"`
}

func (c *ColumnSpec) UnmarshalYAML(n *yaml.Node) error {
	type plain ColumnSpec
	if err := n.Decode((*plain)(c)); err != nil {
		return err
	}
	c.line = n.Line
	return nil
}

var nameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)

// ParseSchema reads the schema of dataset name from b, the text of path
// (data/NAME.yaml). The returned Dataset has its columns but no rows yet;
// fill them with ReadCSV. The errors carry path and line.
func ParseSchema(path, name string, b []byte) (*Dataset, diag.List) {
	var errs diag.List
	if len(b) > maxSchema {
		errs.Addf(path, 0, "%d bytes; a schema may have at most %d bytes (256 KiB)", len(b), maxSchema)
		return nil, errs
	}
	var s schema
	var root yaml.Node
	if err := yaml.Unmarshal(b, &root); err != nil {
		return nil, yamlErrors(path, err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&s); err != nil {
		return nil, yamlErrors(path, err)
	}
	line := func(key string) int { return keyLine(&root, key) }
	d := start(path, name, Schema{Title: s.Title, Description: s.Description, Source: s.Source, Licence: s.Licence, Topic: s.Topic, Sample: s.Sample, Frequency: s.Frequency})
	d.Encoding, d.Charts = s.Encoding, s.Charts
	if s.Notes.Kind != 0 {
		notes, nerrs := diag.Notes(path, &s.Notes, 0)
		d.Notes = notes
		errs.Merge(nerrs)
	}
	for _, n := range s.Checks {
		if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!str" {
			errs.Addf(path, n.Line, "check: expected an expression such as \"%s | count = 62\", found %s", name, yamlKind(&n))
			continue
		}
		if err := CheckSyntax(n.Value); err != nil {
			errs.Addf(path, n.Line, "check %q: %v", n.Value, err)
			continue
		}
		d.Checks = append(d.Checks, Check{File: path, Line: n.Line, Expr: n.Value})
	}
	errs.Merge(d.check(map[string]string{"updated": s.Updated}, line))
	if s.Updated != "" {
		t, err := parseTime(strings.TrimSpace(s.Updated), false)
		if err != nil {
			errs.Addf(path, line("updated"), "updated: %q is %v", s.Updated, err)
		}
		d.Updated = t
	}
	if s.Topic != "" {
		d.TopicLine = line("topic")
	}
	if s.Encoding != "" {
		if _, ok := lookupEncoding(s.Encoding); !ok {
			errs.Addf(path, line("encoding"), "encoding %q is not one of utf-8, gb18030, gbk, gb2312, utf-16le, utf-16be", s.Encoding)
		}
	}
	switch s.Delimiter {
	case "":
	case ",", ";":
		d.Delimiter = rune(s.Delimiter[0])
	case "\t", "tab":
		d.Delimiter = '\t'
	default:
		errs.Addf(path, line("delimiter"), "delimiter %q is not one of \",\", \";\", \"tab\"", s.Delimiter)
	}
	errs.Merge(d.setColumns(s.Columns, line))
	return d, errs
}

// check reports what d's metadata lacks, at d.SchemaPath: its name must
// make a page address, and title, source, licence, updated and topic are
// required. text holds the keys whose value as written is not a field of
// d (updated); line gives the line of a key.
func (d *Dataset) check(text map[string]string, line func(key string) int) diag.List {
	var errs diag.List
	if !nameRE.MatchString(d.Name) {
		errs.Addf(d.SchemaPath, 0, "dataset name %q must be lower-case letters, digits and hyphens (it becomes the page address /data/%s/)", d.Name, d.Name)
	}
	if d.Frequency != "" && !slices.Contains(Frequencies, d.Frequency) {
		errs.Addf(d.SchemaPath, line("frequency"), "frequency %q is not one of %s", d.Frequency, strings.Join(Frequencies, ", "))
	}
	for _, f := range []struct{ key, val string }{{"title", d.Title}, {"source", d.Source}, {"licence", d.Licence}, {"updated", text["updated"]}, {"topic", d.Topic}} {
		if f.val == "" {
			errs.Addf(d.SchemaPath, line(f.key), "missing %q", f.key)
		}
	}
	return errs
}

// setColumns makes d's columns from specs, with the problems of each at
// its line of d.SchemaPath (or at the line of the columns key).
func (d *Dataset) setColumns(specs []ColumnSpec, line func(key string) int) diag.List {
	var errs diag.List
	path := d.SchemaPath
	if len(specs) == 0 {
		errs.Addf(path, line("columns"), "no columns: list each column of the CSV with its name and type")
	}
	if len(specs) > maxColumns {
		errs.Addf(path, line("columns"), "%d columns; a dataset may have at most %d (split it into several datasets)", len(specs), maxColumns)
		return errs
	}
	seen := map[string]bool{}
	for _, cs := range specs {
		c := &Column{Name: strings.TrimSpace(cs.Name), Type: cs.Type, Unit: cs.Unit, Label: strings.TrimSpace(cs.Label), Decimals: -1}
		if cs.Decimals != nil {
			c.Decimals = *cs.Decimals
		}
		switch {
		case c.Name == "":
			errs.Addf(path, cs.line, "column without a name")
		case seen[c.Name]:
			errs.Addf(path, cs.line, "column %q is listed twice", c.Name)
		}
		seen[c.Name] = true
		if c.Type == "" {
			c.Type = String
		}
		if !slices.Contains(Types, c.Type) {
			errs.Addf(path, cs.line, "column %q: type %q is not one of %s", c.Name, c.Type, strings.Join(Types, ", "))
		}
		if len(cs.Levels) > 0 {
			if c.Type != Category {
				errs.Addf(path, cs.line, "column %q: levels are only for type category", c.Name)
			}
			for _, l := range cs.Levels {
				c.level(l)
			}
			c.fixed = true
		}
		d.Columns = append(d.Columns, c)
	}
	return errs
}

// level returns the code of category value v, adding it when it is new.
func (c *Column) level(v string) (uint32, bool) {
	if code, ok := c.index[v]; ok {
		return code, true
	}
	if c.fixed {
		return 0, false
	}
	if c.index == nil {
		c.index = map[string]uint32{}
	}
	if c.verify && !utf8.ValidString(v) {
		c.badUTF8 = true
	}
	code := uint32(len(c.levels))
	c.index[v] = code
	c.levels = append(c.levels, v)
	return code, true
}

// yamlKind names what a YAML node holds, for errors.
func yamlKind(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	}
	return fmt.Sprintf("%q", n.Value)
}

// keyLine is the line of key in the top-level mapping of a YAML document,
// or 0.
func keyLine(root *yaml.Node, key string) int {
	n := root
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	if n.Kind != yaml.MappingNode {
		return 0
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i].Line
		}
	}
	return 0
}

var yamlLineRE = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)

// yamlErrors turns a yaml.v3 error into diagnostics with line numbers: its
// messages carry them as text ("yaml: line 3: …").
func yamlErrors(path string, err error) diag.List {
	var msgs []string
	var te *yaml.TypeError
	if errors.As(err, &te) {
		msgs = te.Errors
	} else {
		msgs = []string{err.Error()}
	}
	var errs diag.List
	for _, m := range msgs {
		m = strings.TrimSpace(m)
		if sm := yamlLineRE.FindStringSubmatch(m); sm != nil {
			n, _ := strconv.Atoi(sm[1])
			errs.Addf(path, n, "%s", sm[2])
			continue
		}
		errs.Addf(path, 0, "%s", strings.TrimPrefix(m, "yaml: "))
	}
	return errs
}

// YAMLErrors is yamlErrors for other packages that read YAML beside a
// dataset (chart specs): it converts err into diagnostics for path, adding
// offset to every line number.
func YAMLErrors(path string, offset int, err error) diag.List {
	errs := yamlErrors(path, err)
	for _, e := range errs {
		if e.Line > 0 {
			e.Line += offset
		}
	}
	return errs
}

// errorf is shorthand for a cell error message.
func cellError(col *Column, value string, err error) string {
	return fmt.Sprintf("column %q: %q is %s", col.Name, value, err)
}
