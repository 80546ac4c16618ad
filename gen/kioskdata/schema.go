package kioskdata

import "go.yaml.in/yaml/v3"

// schemaDoc is a dataset schema as package dataset reads it from
// data/NAME.yaml; the field tags are its keys.
type schemaDoc struct {
	Title       string      `yaml:"title"`
	Description string      `yaml:"description"`
	Source      string      `yaml:"source"`
	Licence     string      `yaml:"licence"`
	Updated     string      `yaml:"updated"`
	Topic       string      `yaml:"topic"`
	Sample      bool        `yaml:"sample"`
	Columns     []columnDoc `yaml:"columns"`
	Charts      []chartDoc  `yaml:"charts,omitempty"`
}

type columnDoc struct {
	Name     string   `yaml:"name"`
	Type     string   `yaml:"type"`
	Unit     string   `yaml:"unit,omitempty"`
	Label    string   `yaml:"label,omitempty"`
	Decimals *int     `yaml:"decimals,omitempty"`
	Levels   []string `yaml:"levels,omitempty"`
}

// chartDoc is a chart spec as package chart decodes it.
type chartDoc struct {
	Kind   string   `yaml:"kind"`
	Title  string   `yaml:"title"`
	X      string   `yaml:"x,omitempty"`
	Y      []string `yaml:"y,omitempty"`
	Series string   `yaml:"series,omitempty"`
	Filter string   `yaml:"filter,omitempty"`
	Unit   string   `yaml:"unit,omitempty"`
	Value  string   `yaml:"value,omitempty"`
	Note   string   `yaml:"note,omitempty"`
}

// yaml encodes the schema; yaml.Marshal orders keys as the struct does, so
// the same schema always gives the same text.
func (s *schemaDoc) yaml() ([]byte, error) { return yaml.Marshal(s) }
