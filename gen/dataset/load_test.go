package dataset

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"

	"gongjian/gen/diag"
)

const requestsSchema = `title: 居民诉求
description: 试点社区收集的居民诉求。
source: 开发区共同缔造办公室
licence: CC BY 4.0
updated: 2026-03-31
topic: governance
sample: true
columns:
  - {name: id, type: int, label: 编号}
  - {name: community, type: category, label: 社区}
  - {name: households, type: int}
  - {name: rate, type: percent}
  - {name: received, type: date, label: 受理日期}
  - {name: resolved, type: date}
`

// rows renders every row of d as "v|v|v" with Format, for comparison.
func rows(d *Dataset) string {
	var b strings.Builder
	for i := 0; i < d.Rows; i++ {
		for j, c := range d.Columns {
			if j > 0 {
				b.WriteByte('|')
			}
			b.WriteString(c.Format(i))
		}
		b.WriteByte('\n')
	}
	return b.String()
}

func mustSchema(t *testing.T, y string) *Dataset {
	t.Helper()
	d, errs := ParseSchema("data/requests.yaml", "requests", []byte(y))
	if err := errs.Err(); err != nil {
		t.Fatalf("ParseSchema: %v", err)
	}
	return d
}

// errText is the errors of l one per line, the lines sorted, so that tests
// do not depend on how diag orders errors on the same line.
func errText(l diag.List) string {
	lines := make([]string, len(l))
	for i, e := range l {
		lines[i] = e.Error()
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}

func gb18030(t *testing.T, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseCSVFormats(t *testing.T) {
	const want = "1|白浪社区|1,234|91.9%|2026-03-05|2026-03-09\n2|光明社区|12|100%|2026-03-15|\n"
	plain := "id,community,households,rate,received,resolved\n1,白浪社区,1234,91.9,2026-03-05,2026-03-09\n2,光明社区,12,100,2026-03-15,\n"
	utf16, _ := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(plain))
	tests := []struct {
		name, encoding string
		data           []byte
		wantEnc        string
		wantDelim      rune
	}{
		{"utf-8", "", []byte(plain), "UTF-8", ','},
		{"bom", "", []byte("\uFEFF" + plain), "UTF-8 BOM", ','},
		{"crlf", "", []byte(strings.ReplaceAll(plain, "\n", "\r\n")), "UTF-8", ','},
		{"gb18030 detected", "", gb18030(t, plain), "GB18030", ','},
		{"gbk named", "gbk", gb18030(t, plain), "GBK", ','},
		{"utf-16le bom", "", utf16, "UTF-16LE", ','},
		{"tab", "", []byte(strings.ReplaceAll(plain, ",", "\t")), "UTF-8", '\t'},
		{"semicolon", "", []byte(strings.ReplaceAll(plain, ",", ";")), "UTF-8", ';'},
		{"labels, other order, title row, blank rows, messy values", "", []byte(
			"2026年一季度诉求台账（导出）,,,,,\n" +
				"\n" +
				"社区,编号,受理日期,resolved,households,rate\r\n" +
				"白浪社区, 1 ,2026/3/5,2026年3月9日,\"1,234\",91.9%\r\n" +
				"光明社区,2,2026年3月15日,,12,100%\r\n" +
				",,,,,\r\n\r\n"), "UTF-8", ','},
		{"gb18030 with title row and thousands", "", gb18030(t,
			"诉求台账\r\nid,community,households,rate,received,resolved\r\n1,白浪社区,\"1,234\",91.9%,2026/03/05,2026/3/9\r\n2,光明社区,12,100%,2026-3-15,\r\n"), "GB18030", ','},
		{"excel trailing empty columns", "", []byte(
			"id,community,households,rate,received,resolved,,\n1,白浪社区,1234,91.9,2026-03-05,2026-03-09,,\n2,光明社区,12,100,2026-03-15,,,\n"), "UTF-8", ','},
	}
	for _, tt := range tests {
		d := mustSchema(t, requestsSchema)
		d.Encoding = tt.encoding
		if errs := d.ParseCSV(tt.data); len(errs) > 0 {
			t.Errorf("%s: ParseCSV(%q) errors:\n%v", tt.name, tt.data, errs.Err())
			continue
		}
		if got := rows(d); got != want {
			t.Errorf("%s: ParseCSV(%q) rows =\n%s\nwant\n%s", tt.name, tt.data, got, want)
		}
		if d.Encoding != tt.wantEnc || d.Delimiter != tt.wantDelim {
			t.Errorf("%s: encoding, delimiter = %q, %q; want %q, %q", tt.name, d.Encoding, d.Delimiter, tt.wantEnc, tt.wantDelim)
		}
	}
}

func TestParseCSVErrors(t *testing.T) {
	const header = "id,community,households,rate,received,resolved\n"
	tests := []struct {
		name string
		data string
		want string
	}{
		{"bad date", header + "1,白浪社区,1,1,2026-03-05,2026-03-09\n2,光明社区,1,1,2026-03-05,2026-13-01\n",
			`data/requests.csv:3: column "resolved": "2026-13-01" is not a date`},
		{"all errors together", header + "x,白浪社区,1.5,1,2026-02-30,\n1,白浪社区,\"1,2\",5%,2026-03-05,\n",
			"data/requests.csv:2: column \"households\": \"1.5\" is not a whole number\n" +
				"data/requests.csv:2: column \"id\": \"x\" is not a number\n" +
				"data/requests.csv:2: column \"received\": \"2026-02-30\" is not a date\n" +
				"data/requests.csv:3: column \"households\": \"1,2\" is not a number (misplaced thousands separator)"},
		{"field count", header + "1,白浪社区,1,1\n", `data/requests.csv:2: 4 fields, but the header has 6`},
		{"missing column", "id,community,households,rate,received\n1,a,1,1,2026-01-01\n",
			`data/requests.csv:1: header row lacks the column(s) "resolved"`},
		{"unknown column", "id,community,households,rate,received,resolved,note\n",
			`data/requests.csv:1: header row has column(s) not in the schema: "note"`},
		{"no header", "a;b\n1;2\n",
			`data/requests.csv:1: no header row naming the columns "id", "community", "households", "rate", "received", "resolved" in the first 10 rows`},
		{"bad quote", header + "1,\"白浪\"社区,1,1,2026-01-01,\n", `data/requests.csv:2: extraneous or missing " in quoted-field`},
		{"not text", "id\xff\xfe\x80,", `data/requests.csv: neither UTF-8 nor valid GB18030 text (first bad character on line 1)`},
		{"percent in int", header + "1,白浪社区,5%,1,2026-01-01,\n", `data/requests.csv:2: column "households": "5%" is a percentage in a column that is not of type percent`},
	}
	for _, tt := range tests {
		d := mustSchema(t, requestsSchema)
		got := errText(d.ParseCSV([]byte(tt.data)))
		if got != tt.want {
			t.Errorf("%s: ParseCSV(%q) errors =\n%s\nwant\n%s", tt.name, tt.data, got, tt.want)
		}
	}
}

// TestParseSchemaTopic: any topic slug parses (the site checks it against
// content/site.yaml), and its line is kept for that error.
func TestParseSchemaTopic(t *testing.T) {
	for _, tt := range []struct {
		yaml  string
		topic string
		line  int
	}{
		{"title: x\nsource: s\nlicence: l\nupdated: 2026-01-01\ntopic: night-market\ncolumns:\n  - {name: a, type: int}\n", "night-market", 5},
		{"topic: river\ntitle: x\nsource: s\nlicence: l\nupdated: 2026-01-01\ncolumns:\n  - {name: a, type: int}\n", "river", 1},
	} {
		d, errs := ParseSchema("data/requests.yaml", "requests", []byte(tt.yaml))
		if len(errs) > 0 {
			t.Fatalf("ParseSchema(%q): %v", tt.yaml, errs.Err())
		}
		if d.Topic != tt.topic || d.TopicLine != tt.line {
			t.Errorf("ParseSchema(%q): topic %q at line %d, want %q at line %d", tt.yaml, d.Topic, d.TopicLine, tt.topic, tt.line)
		}
	}
}

func TestParseSchemaErrors(t *testing.T) {
	tests := []struct{ yaml, want string }{
		{"title: x\nsource: s\nlicence: l\nupdated: 2026-01-01\ntopic: river\ncolumns:\n  - {name: a, type: number}\n",
			`data/requests.yaml:7: column "a": type "number" is not one of string, category, int, float, percent, year, month, date, datetime`},
		{"title: x\nsourse: s\n", `data/requests.yaml:2: field sourse not found in type dataset.schema`},
		{"title: x\nsource: s\nlicence: l\nupdated: 2026-1-1x\ntopic: river\ncolumns:\n  - {name: a}\n  - {name: a}\n",
			"data/requests.yaml:4: updated: \"2026-1-1x\" is not a date\ndata/requests.yaml:8: column \"a\" is listed twice"},
		{"title: [\n", `data/requests.yaml:1: did not find expected node content`},
		{"title: x\ncolumns:\n  - {name: a}\n",
			"data/requests.yaml: missing \"licence\"\ndata/requests.yaml: missing \"source\"\ndata/requests.yaml: missing \"topic\"\ndata/requests.yaml: missing \"updated\""},
	}
	for _, tt := range tests {
		_, errs := ParseSchema("data/requests.yaml", "requests", []byte(tt.yaml))
		got := errText(errs)
		if got != tt.want {
			t.Errorf("ParseSchema(%q) errors =\n%s\nwant\n%s", tt.yaml, got, tt.want)
		}
	}
}

func TestLoadDir(t *testing.T) {
	fsys := fstest.MapFS{
		"data/requests.yaml":    {Data: []byte(requestsSchema)},
		"data/requests.csv":     {Data: []byte("id,community,households,rate,received,resolved\n1,白浪社区,1,1,2026-03-05,2026/3/9\n")},
		"data/orphan.csv":       {Data: []byte("a\n1\n")},
		"data/broken.yaml":      {Data: []byte(strings.Replace(requestsSchema, "type: int, label: 编号", "type: int", 1))},
		"data/broken.csv":       {Data: []byte("id,community,households,rate,received,resolved\nx,白浪社区,1,1,2026-03-05,\n")},
		"data/kiosk/k1/log.csv": {Data: []byte("whatever")},
	}
	sets, errs := LoadDir(fsys, "data")
	got := errText(errs)
	want := "data/broken.csv:2: column \"id\": \"x\" is not a number\ndata/orphan.csv: no schema data/orphan.yaml beside it"
	if got != want {
		t.Errorf("LoadDir errors =\n%s\nwant\n%s", got, want)
	}
	if len(sets) != 1 || sets[0].Name != "requests" || sets[0].Rows != 1 || sets[0].Path != "data/requests.csv" {
		t.Fatalf("LoadDir sets = %v, want requests with 1 row", sets)
	}
	if got := sets[0].Column("受理日期").Format(0); got != "2026-03-05" {
		t.Errorf("Column(受理日期).Format(0) = %q, want 2026-03-05", got)
	}
}

func TestParseTime(t *testing.T) {
	tests := []struct {
		in    string
		month bool
		want  string // formatted in Zone, "" for an error
	}{
		{"2026-03-05", false, "2026-03-05 00:00:00"},
		{"2026/3/5", false, "2026-03-05 00:00:00"},
		{"2026.3.5", false, "2026-03-05 00:00:00"},
		{"2026年3月5日", false, "2026-03-05 00:00:00"},
		{"2026年3月5号", false, "2026-03-05 00:00:00"},
		{"2026-03-05 8:12", false, "2026-03-05 08:12:00"},
		{"2026-03-05T08:12:33+08:00", false, "2026-03-05 08:12:33"},
		{"2026-03-05T00:12:33Z", false, "2026-03-05 08:12:33"},
		{"2026-03", true, "2026-03-01 00:00:00"},
		{"2026年3月", true, "2026-03-01 00:00:00"},
		{"2026/3", true, "2026-03-01 00:00:00"},
		{"2026-03", false, ""},
		{"2026-13-01", false, ""},
		{"2026-02-29", false, ""},
		{"2024-02-29", false, "2024-02-29 00:00:00"},
		{"2026年3月5", false, "2026-03-05 00:00:00"},
		{"26-3-5", false, ""},
		{"2026-03-05 25:00", false, ""},
		{"2026-03-05x", false, ""},
		{"", false, ""},
	}
	for _, tt := range tests {
		tm, err := parseTime(tt.in, tt.month)
		got := ""
		if err == nil {
			got = tm.In(Zone).Format("2006-01-02 15:04:05")
		}
		if got != tt.want {
			t.Errorf("parseTime(%q, %v) = %q (%v), want %q", tt.in, tt.month, got, err, tt.want)
		}
	}
}

func TestParseNumber(t *testing.T) {
	tests := []struct {
		in   string
		want float64
		pct  bool
		ok   bool
	}{
		{"1234", 1234, false, true},
		{"-12", -12, false, true},
		{"1,234", 1234, false, true},
		{"1,234,567.5", 1234567.5, false, true},
		{"91.9%", 91.9, true, true},
		{"91.9 %", 91.9, true, true},
		{"512万", 5120000, false, true},
		{"1.2亿", 120000000, false, true},
		{"1,2", 0, false, false},
		{"12,34", 0, false, false},
		{"1.2.3", 0, false, false},
		{"NaN", 0, false, false},
		{"1e5", 0, false, false},
		{"abc", 0, false, false},
		{"", 0, false, false},
	}
	for _, tt := range tests {
		v, pct, err := parseNumber(tt.in)
		if (err == nil) != tt.ok || (tt.ok && (v != tt.want || pct != tt.pct)) {
			t.Errorf("parseNumber(%q) = %v, %v, %v; want %v, %v, ok=%v", tt.in, v, pct, err, tt.want, tt.pct, tt.ok)
		}
	}
}

func TestFormatCN(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		{62, "62"}, {91.94, "91.9"}, {9999, "9999"}, {12500, "1.25万"}, {512345, "51.2万"},
		{5123456, "512万"}, {99999999, "1亿"}, {340000000, "3.4亿"}, {-12500, "-1.25万"}, {0, "0"},
	}
	for _, tt := range tests {
		if got := FormatCN(tt.in); got != tt.want {
			t.Errorf("FormatCN(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzLoadCSV(f *testing.F) {
	f.Add([]byte("id,community,households,rate,received,resolved\n1,白浪社区,1234,91.9,2026-03-05,2026-03-09\n"))
	f.Add([]byte("title\r\n社区\t编号\t受理日期\tresolved\thouseholds\trate\r\n白浪社区\t1\t2026年3月5日\t\t\"1,234\"\t9%\r\n"))
	f.Add(bytes.Repeat([]byte{0xb0, 0xd7, ','}, 10))
	f.Add([]byte("id,community,households,rate,received,resolved\n1,白浪社区,1,1,2300-01-01,1600-06-15\n2,光明社区,1,1,0001-01-01,9999年12月31日\n3,光明社区,1,1,0000-12-31,10000-01-01\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, errs := ParseSchema("data/requests.yaml", "requests", []byte(requestsSchema))
		if len(errs) > 0 {
			t.Fatal(errs.Err())
		}
		errs = d.ParseCSV(data)
		for _, e := range errs {
			if e.File != "data/requests.csv" || e.Msg == "" {
				t.Fatalf("error without file or message: %#v", e)
			}
		}
		for _, c := range d.Columns {
			if c.Len() != d.Rows {
				t.Fatalf("column %s has %d values, dataset %d rows", c.Name, c.Len(), d.Rows)
			}
			for i := 0; i < d.Rows; i++ {
				_ = c.Format(i)
				if !c.Temporal() || c.Null(i) {
					continue
				}
				// A date is kept exactly: what is published reads back
				// as the same instant.
				back, err := parseTime(c.Canonical(i), c.Type == Month)
				if sec, nsec := c.Unix(i); err != nil || back.Unix() != sec || int32(back.Nanosecond()) != nsec {
					t.Fatalf("column %s row %d: %q reads back as %v, %v; stored %d s %d ns", c.Name, i, c.Canonical(i), back, err, sec, nsec)
				}
			}
		}
	})
}
