package dataset

import (
	"fmt"
	"strings"
	"testing"
)

// TestParseCSVChunks checks that cutting a large file into chunks changes
// nothing: same rows, same category order, same blanks, same errors with
// the same lines, also with quoted line breaks near the cuts.
func TestParseCSVChunks(t *testing.T) {
	var b strings.Builder
	b.WriteString("台账\nid,community,households,rate,received,resolved\n")
	communities := []string{"白浪社区", "光明社区", "\"多行\n社区\"", "\"引号\"\"社区\""}
	for i := 1; i <= 60000; i++ {
		resolved := ""
		if i%7 != 0 {
			resolved = "2026/3/9"
		}
		households := fmt.Sprint(i)
		if i == 45000 {
			households = "bad"
		}
		if i == 50000 {
			communities = append(communities, "新社区")
		}
		fmt.Fprintf(&b, "%d,%s,%s,%d%%,2026年3月5日,%s\n", i, communities[i%len(communities)], households, i%100, resolved)
	}
	data := []byte(b.String())
	if len(data) < 3*minChunk {
		t.Fatalf("test data of %d bytes is too small to be cut", len(data))
	}
	defer func(f func() int) { parallelism = f }(parallelism)
	var want, wantErrs string
	for _, n := range []int{1, 2, 3, 7} {
		parallelism = func() int { return n }
		d := mustSchema(t, requestsSchema)
		errs := errText(d.ParseCSV(data))
		got := rows(d) + strings.Join(d.Column("community").Levels(), "|")
		if n == 1 {
			want, wantErrs = got, errs
			if d.Rows != 60000 || !strings.Contains(errs, `data/requests.csv:`) {
				t.Fatalf("one chunk: %d rows, errors %q", d.Rows, errs)
			}
			continue
		}
		if got != want {
			t.Errorf("%d chunks: rows differ from one chunk", n)
		}
		if errs != wantErrs {
			t.Errorf("%d chunks: errors = %q, want %q", n, errs, wantErrs)
		}
	}
	// Row 45000 sits after 45000 records; every fourth of those before it
	// has a community with a line break, and two lines precede the data.
	wantLine := 2 + 45000 + 45000/4
	if !strings.Contains(wantErrs, fmt.Sprintf("data/requests.csv:%d: column \"households\": \"bad\" is not a number", wantLine)) {
		t.Errorf("errors = %q, want one at line %d", wantErrs, wantLine)
	}
}

// TestParseCSVLateGB18030 feeds a large GB18030 file whose first rows are
// plain ASCII, so that sniffing its start says UTF-8: the Chinese text
// further down must still load, as GB18030.
func TestParseCSVLateGB18030(t *testing.T) {
	var b strings.Builder
	b.WriteString("id,community,households,rate,received,resolved\n")
	for i := 1; i <= 4000; i++ {
		community := "A"
		if i > 3900 {
			community = "光明社区"
		}
		fmt.Fprintf(&b, "%d,%s,%d,50%%,2026-03-05,\n", i, community, i)
	}
	data := gb18030(t, b.String())
	if len(data) < sniffSize+1000 {
		t.Fatalf("test data of %d bytes is too small", len(data))
	}
	d := mustSchema(t, requestsSchema)
	if errs := d.ParseCSV(data); len(errs) > 0 {
		t.Fatalf("ParseCSV: %v", errs.Err())
	}
	if got := d.Column("community").Text(d.Rows - 1); got != "光明社区" || d.Encoding != "GB18030" || d.Rows != 4000 {
		t.Errorf("last community = %q, encoding %s, %d rows; want 光明社区, GB18030, 4000", got, d.Encoding, d.Rows)
	}
}
