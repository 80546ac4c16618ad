package dataset

import (
	"bytes"
	"encoding/json"
	"testing"
)

func TestExport(t *testing.T) {
	d := mustSchema(t, requestsSchema)
	if errs := d.ParseCSV(gb18030(t, "台账\r\n社区,编号,受理日期,resolved,households,rate\r\n白浪社区,1,2026/3/5,,\"1,234\",91.9%\r\n\"光明,社区\",2,2026年3月15日,2026-03-16,12,100%\r\n")); len(errs) > 0 {
		t.Fatal(errs.Err())
	}
	var b bytes.Buffer
	if err := d.WriteCSV(&b); err != nil {
		t.Fatal(err)
	}
	wantCSV := "\uFEFFid,community,households,rate,received,resolved\r\n1,白浪社区,1234,91.9,2026-03-05,\r\n2,\"光明,社区\",12,100,2026-03-15,2026-03-16\r\n"
	if b.String() != wantCSV {
		t.Errorf("WriteCSV = %q, want %q", b.String(), wantCSV)
	}
	// The clean CSV loads back to the same rows.
	d2 := mustSchema(t, requestsSchema)
	if errs := d2.ParseCSV(b.Bytes()); len(errs) > 0 || rows(d2) != rows(d) {
		t.Errorf("WriteCSV output reloads as %q (%v), want %q", rows(d2), errs.Err(), rows(d))
	}
	b.Reset()
	if err := d.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Name    string
		Sample  bool
		Columns []struct{ Name, Type string }
		Rows    []map[string]any
	}
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatalf("WriteJSON wrote invalid JSON: %v\n%s", err, b.String())
	}
	if got.Name != "requests" || !got.Sample || len(got.Columns) != 6 || len(got.Rows) != 2 ||
		got.Rows[0]["households"] != 1234.0 || got.Rows[0]["resolved"] != nil || got.Rows[1]["community"] != "光明,社区" || got.Rows[0]["rate"] != 91.9 {
		t.Errorf("WriteJSON = %s", b.String())
	}
}
