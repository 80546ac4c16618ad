package diag

import (
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

func TestNotes(t *testing.T) {
	tests := []struct {
		yaml  string
		off   int
		notes string
		errs  string
	}{
		{"notes: 待换成真实小区名称\n", 0, "a.yaml:1: note for editors: 待换成真实小区名称", ""},
		{"notes:\n  - 甲\n  - ' 乙 '\n", 4, "a.yaml:6: note for editors: 甲\na.yaml:7: note for editors: 乙", ""},
		{"notes:\n  - 甲\n  - {a: b}\n  - ''\n  - ~\n", 0, "a.yaml:2: note for editors: 甲",
			"a.yaml:3: notes: expected a text or a list of texts\na.yaml:4: notes: expected a text or a list of texts\na.yaml:5: notes: expected a text or a list of texts"},
		{"notes: {a: b}\n", 0, "", "a.yaml:1: notes: expected a text or a list of texts"},
	}
	for _, tt := range tests {
		var doc yaml.Node
		if err := yaml.Unmarshal([]byte(tt.yaml), &doc); err != nil {
			t.Fatal(err)
		}
		notes, errs := Notes("a.yaml", doc.Content[0].Content[1], tt.off)
		if got := lines(notes); got != tt.notes {
			t.Errorf("Notes(%q) notes:\n%s\nwant:\n%s", tt.yaml, got, tt.notes)
		}
		if got := lines(errs); got != tt.errs {
			t.Errorf("Notes(%q) errors:\n%s\nwant:\n%s", tt.yaml, got, tt.errs)
		}
	}
}

func lines(l List) string {
	var s []string
	for _, e := range l {
		s = append(s, e.Error())
	}
	return strings.Join(s, "\n")
}
