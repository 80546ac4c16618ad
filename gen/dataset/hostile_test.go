package dataset

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"gongjian/gen/internal/cputime"
)

// hostileBudget is how much CPU time any hostile file may take to be
// loaded or refused. The work is linear and takes milliseconds; CPU time,
// unlike wall time, does not grow when the machine is busy with other
// work, and the budget is still far below the minutes that quadratic work
// took.
const hostileBudget = 2 * time.Second

func wideSchema(n int) string {
	var b strings.Builder
	b.WriteString("title: 宽表\nsource: 开发区\nlicence: CC BY 4.0\nupdated: 2026-03-31\ntopic: governance\ncolumns:\n")
	for i := range n {
		fmt.Fprintf(&b, "  - {name: c%d, type: int, label: 列%d}\n", i, i)
	}
	return b.String()
}

// firstNames is "c0,c1,…" for n columns.
func firstNames(n int) string {
	names := make([]string, n)
	for i := range names {
		names[i] = fmt.Sprintf("c%d", i)
	}
	return strings.Join(names, ",")
}

// TestHostileFiles generates the files a careless editor or a hostile
// contributor could give and checks that each is refused with file:line
// and a short message, or loaded, well within hostileBudget.
func TestHostileFiles(t *testing.T) {
	wide := func(n int, sep string, label bool) string {
		cells := make([]string, n)
		for i := range cells {
			cells[i] = fmt.Sprintf("c%d", n-1-i) // reverse order: no lucky early match
			if label {
				cells[i] = fmt.Sprintf("列%d", n-1-i)
			}
		}
		return strings.Join(cells, sep)
	}
	tests := []struct {
		name    string
		schema  string
		csv     string
		wantErr string // "" when the file must load
	}{
		{"100,000 columns in the schema", wideSchema(100_000), "c0\n1\n",
			`data/wide.yaml: 4677878 bytes; a schema may have at most 262144 bytes (256 KiB)`},
		{"1001 columns in the schema", wideSchema(maxColumns + 1), "c0\n1\n",
			`data/wide.yaml:6: 1001 columns; a dataset may have at most 1000`},
		{"1000 columns, header by name", wideSchema(maxColumns), wide(maxColumns, ",", false) + "\n" + strings.Repeat("7,", maxColumns-1) + "7\n", ""},
		{"1000 columns, header by label", wideSchema(maxColumns), wide(maxColumns, ";", true) + "\n" + strings.Repeat("7;", maxColumns-1) + "7\n", ""},
		{"a header of a million fields", wideSchema(1), strings.Repeat(",", 1_000_000) + "c0\n1\n",
			`data/wide.csv:1: more than 10000 fields in one record`},
		{"a row of a million fields", wideSchema(1), "c0\n1\n" + strings.Repeat(",", 1_000_000) + "\n2\n",
			`data/wide.csv:3: more than 10000 fields in one record`},
		{"a quoted row of a million fields", wideSchema(1), "c0\n1\n" + strings.Repeat(`"",`, 1_000_000) + "\n2\n",
			`data/wide.csv:3: more than 10000 fields in one record`},
		{"a 17 MiB cell", wideSchema(1), "c0\n1\n" + strings.Repeat("9", 17<<20) + "\n",
			`data/wide.csv:3: column "c0": a value of 17825792 bytes; at most 16777216 bytes (16 MiB) are allowed in a cell`},
		{"a quoted 17 MiB cell over many lines", wideSchema(1), "c0\n\"" + strings.Repeat("9\n", 17<<19) + "\"\n",
			`data/wide.csv:2: column "c0": a value of 17825792 bytes`},
		{"9,999 unknown header names", wideSchema(2), "c0," + wide(9_999, ",", true) + "\n1,2\n",
			`data/wide.csv:1: no header row naming the columns "c0", "c1" in the first 10 rows`},
		{"12 unknown header names, each long", wideSchema(15), firstNames(14) + strings.Repeat(","+strings.Repeat("长", 5000), 12) + "\n1,2\n",
			`data/wide.csv:1: header row lacks the column(s) "c14" and has column(s) not in the schema: "` + strings.Repeat("长", 39) + `…", `},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := cputime.Now()
			d, errs := ParseSchema("data/wide.yaml", "wide", []byte(tt.schema))
			if len(errs) == 0 {
				errs = d.ParseCSV([]byte(tt.csv))
			}
			elapsed := cputime.Since(start)
			if elapsed > hostileBudget {
				t.Errorf("took %v, want under %v", elapsed, hostileBudget)
			}
			got := errText(errs)
			if tt.wantErr == "" {
				if got != "" {
					t.Fatalf("errors: %.300s", got)
				}
				if d.Rows != 1 || d.Columns[0].Format(0) != "7" {
					t.Errorf("loaded %d rows, first value %q; want 1 row of 7", d.Rows, d.Columns[0].Format(0))
				}
				return
			}
			if !strings.HasPrefix(got, tt.wantErr) {
				t.Errorf("errors = %.300q…, want %q…", got, tt.wantErr)
			}
			if len(got) > 2000 {
				t.Errorf("error text is %d bytes; a message must stay short", len(got))
			}
		})
	}
}

// TestColumnMatcherLinear holds header matching linear in the number of
// columns: 100,000 cells naming 100,000 columns in reverse order took 49 s
// when each cell was compared with every column. (The record reader stops
// a header at maxFields; the matcher is tested beyond it.)
func TestColumnMatcherLinear(t *testing.T) {
	const n = 100_000
	cols := make([]*Column, n)
	for i := range cols {
		cols[i] = &Column{Name: fmt.Sprintf("c%d", i), Label: fmt.Sprintf("列%d", i)}
	}
	start := cputime.Now()
	m := newColumnMatcher(cols)
	for i := n - 1; i >= 0; i-- {
		if c := m.match(cols[i].Label); c != cols[i] {
			t.Fatalf("match(%q) = %v, want column %s", cols[i].Label, c, cols[i].Name)
		}
		if c := m.match(cols[i].Name); c != cols[i] {
			t.Fatalf("match(%q) = %v, want column %s", cols[i].Name, c, cols[i].Name)
		}
	}
	if elapsed := cputime.Since(start); elapsed > hostileBudget {
		t.Errorf("matching %d columns took %v, want under %v", n, elapsed, hostileBudget)
	}
	// A name wins over another column's label, as the schema reads.
	a, b := &Column{Name: "x", Label: "y"}, &Column{Name: "y"}
	if c := newColumnMatcher([]*Column{a, b}).match("y"); c != b {
		t.Errorf("match(y) = %v, want the column named y", c)
	}
}

func TestTruncate(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"", 5, ""},
		{"abc", 3, "abc"},
		{"abcd", 3, "ab…"},
		{"白浪社区居民", 6, "白浪社区居民"},
		{"白浪社区居民诉求", 6, "白浪社区居…"},
		{"白浪社区居民诉求", 1, "…"},
		{"a\u0301bcdef", 3, "a\u0301…"},
		{"\xff\xfe\xfdabc", 4, "\xff\xfe\xfd…"},
	}
	for _, tt := range tests {
		if got := Truncate(tt.in, tt.n); got != tt.want {
			t.Errorf("Truncate(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}

// TestLongFirstLineUTF8 checks that a first line longer than the part of a
// file that is sniffed for its encoding is not taken for GB18030 because
// the cut fell inside a character.
func TestLongFirstLineUTF8(t *testing.T) {
	label := strings.Repeat("长", 30_000) // 90 KB, beyond sniffSize
	schema := strings.Replace(wideSchema(1), "label: 列0", "label: "+label, 1)
	for _, pad := range []string{"", " ", "  "} { // the cut falls on each byte of a character
		d, errs := ParseSchema("data/wide.yaml", "wide", []byte(schema))
		if err := errs.Err(); err != nil {
			t.Fatal(err)
		}
		if err := d.ParseCSV([]byte(pad + label + "\n1\n")).Err(); err != nil {
			t.Fatalf("pad %q: %.200v", pad, err)
		}
		if d.Encoding != "UTF-8" || d.Rows != 1 {
			t.Errorf("pad %q: encoding %s, %d rows; want UTF-8, 1 row", pad, d.Encoding, d.Rows)
		}
	}
}

// TestErrorListsShort checks that errors listing a column's values stay
// short when the data has many: a category of 5,000 values, each long.
func TestErrorListsShort(t *testing.T) {
	d := mustSchema(t, testSchemaHead+"  - {name: kind, type: category}\n")
	var b strings.Builder
	b.WriteString("kind\n")
	for i := range 5000 {
		fmt.Fprintf(&b, "%s%d\n", strings.Repeat("类", 100), i)
	}
	if err := d.ParseCSV([]byte(b.String())).Err(); err != nil {
		t.Fatal(err)
	}
	d.Name = "kinds"
	_, err := Eval([]*Dataset{d}, "kinds | count where kind = 无")
	if err == nil || !strings.Contains(err.Error(), "and 4990 more") || len(err.Error()) > 2000 {
		t.Errorf("Eval error = %.300v… (%d bytes), want the first ten values and \"and 4990 more\"", err, len(fmt.Sprint(err)))
	}
	levels := make([]string, 31)
	for i := range levels {
		levels[i] = fmt.Sprintf("甲类%d", i)
	}
	fixed := mustSchema(t, testSchemaHead+"  - {name: kind, type: category, levels: ["+strings.Join(levels, ", ")+"]}\n")
	errs := fixed.ParseCSV([]byte("kind\n丙类\n"))
	if got := errText(errs); !strings.Contains(got, `"丙类" is not one of 甲类0, 甲类1, `) || !strings.Contains(got, "and 21 more") {
		t.Errorf("ParseCSV errors = %q, want the first ten levels and \"and 21 more\"", got)
	}
}
