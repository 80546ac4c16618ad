package dataset

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// requestsValues is requestsSchema as values for New.
func requestsValues() Schema {
	return Schema{
		Title: "居民诉求", Description: "试点社区收集的居民诉求。", Source: "开发区共同缔造办公室", Licence: "CC BY 4.0",
		Updated: time.Date(2026, 3, 31, 0, 0, 0, 0, Zone), Topic: "governance", Sample: true,
		Columns: []ColumnSpec{
			{Name: "id", Type: Int, Label: "编号"},
			{Name: "community", Type: Category, Label: "社区"},
			{Name: "households", Type: Int},
			{Name: "rate", Type: Percent},
			{Name: "received", Type: Date, Label: "受理日期"},
			{Name: "resolved", Type: Date},
		},
	}
}

// TestNewAsFromFiles: a dataset made with New has the values, metadata and
// downloads of the same table read from data/NAME.yaml and data/NAME.csv.
func TestNewAsFromFiles(t *testing.T) {
	cells := [][]string{
		{"1", "白浪社区", "1,234", "91.9%", "2026/3/5", ""},
		{"2", "光明,社区", "12", "100", "2026-03-15", "2026年3月16日"},
		{"3", "", "", "", "2026-03-20", ""},
	}
	var csv strings.Builder
	csv.WriteString("id,community,households,rate,received,resolved\n")
	for _, r := range cells {
		for j, c := range r {
			if j > 0 {
				csv.WriteByte(',')
			}
			csv.WriteString(`"` + c + `"`)
		}
		csv.WriteByte('\n')
	}
	file := mustSchema(t, requestsSchema)
	if errs := file.ParseCSV([]byte(csv.String())); len(errs) > 0 {
		t.Fatal(errs.Err())
	}
	made, errs := New("data/requests.yaml", "requests", requestsValues(), cells)
	if err := errs.Err(); err != nil {
		t.Fatalf("New: %v", err)
	}
	if got, want := rows(made), rows(file); got != want {
		t.Errorf("New rows:\n%s\nwant, as from the file:\n%s", got, want)
	}
	if made.Path != "data/requests.csv" || made.SchemaPath != "data/requests.yaml" || made.Encoding != "UTF-8" || made.Rows != 3 {
		t.Errorf("New: Path %q, SchemaPath %q, Encoding %q, Rows %d", made.Path, made.SchemaPath, made.Encoding, made.Rows)
	}
	if !made.Updated.Equal(file.Updated) || made.Title != file.Title || made.Description != file.Description || made.Sample != file.Sample {
		t.Errorf("New metadata %v %q %q %v, want %v %q %q %v", made.Updated, made.Title, made.Description, made.Sample, file.Updated, file.Title, file.Description, file.Sample)
	}
	if got, want := made.Column("community").Levels(), file.Column("community").Levels(); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("New levels %q, want %q", got, want)
	}
	var a, b bytes.Buffer
	if err := made.WriteJSON(&a); err != nil {
		t.Fatal(err)
	}
	if err := file.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	if a.String() != b.String() {
		t.Errorf("New's JSON download:\n%s\nwant, as from the file:\n%s", a.String(), b.String())
	}
}

func TestNewErrors(t *testing.T) {
	two := 2
	tests := []struct {
		name string
		edit func(*Schema)
		rows [][]string
		want string // the problems, one per line, sorted
	}{
		{"no title or topic", func(s *Schema) { s.Title, s.Topic = "", "" }, nil,
			"data/requests.yaml: missing \"title\"\ndata/requests.yaml: missing \"topic\""},
		{"no updated", func(s *Schema) { s.Updated = time.Time{} }, nil,
			"data/requests.yaml: missing \"updated\""},
		{"bad type and levels", func(s *Schema) {
			s.Columns[0].Type = "number"
			s.Columns[2].Levels = []string{"a"}
			s.Columns[3].Decimals = &two
		}, nil,
			"data/requests.yaml: column \"households\": levels are only for type category\n" +
				"data/requests.yaml: column \"id\": type \"number\" is not one of string, category, int, float, percent, year, month, date, datetime"},
		{"bad cells", nil, [][]string{{"1.5", "a", "x", "", "2026-02-30", ""}},
			"data/requests.csv: row 1: column \"households\": \"x\" is not a number\n" +
				"data/requests.csv: row 1: column \"id\": \"1.5\" is not a whole number\n" +
				"data/requests.csv: row 1: column \"received\": \"2026-02-30\" is not a date"},
		{"short row", nil, [][]string{{"1", "a"}},
			"data/requests.csv: row 1: 2 cells, but the schema has 6 columns"},
		{"level not declared", func(s *Schema) { s.Columns[1].Levels = []string{"白浪社区"} }, [][]string{{"1", "光明社区", "", "", "", ""}},
			"data/requests.csv: row 1: column \"community\": \"光明社区\" is not one of 白浪社区"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := requestsValues()
			if tt.edit != nil {
				tt.edit(&s)
			}
			d, errs := New("data/requests.yaml", "requests", s, tt.rows)
			if d != nil || errText(errs) != tt.want {
				t.Errorf("New = %v, problems:\n%s\nwant nil and:\n%s", d != nil, errText(errs), tt.want)
			}
		})
	}
}
