package dataset

import (
	"fmt"
	"testing"

	"github.com/gocarina/gocsv"
)

type deposit struct {
	Seq      int    `csv:"seq"`
	Time     Day    `csv:"time"`
	Category string `csv:"category"`
	Grams    Number `csv:"grams"`
}

func TestNewCSVReaderWithGocsv(t *testing.T) {
	const want = "[{1 2026-03-05 08:12 塑料 1234} {2 2026-03-05 00:00 纸张 0.5}]"
	tests := []struct {
		name string
		data []byte
	}{
		{"clean", []byte("seq,time,category,grams\n1,2026-03-05T08:12:00+08:00,塑料,1234\n2,2026-03-05,纸张,0.5\n")},
		{"gb18030, title row, semicolons, messy values, extra column", gb18030(t,
			"回收机导出\r\n\r\nnote;seq;time;category;grams\r\nx;1;2026/3/5 8:12;塑料;1,234\r\n;2;2026年3月5日;纸张;0.5\r\n")},
	}
	for _, tt := range tests {
		r, err := NewCSVReader(tt.data, "", "seq", "time", "category", "grams")
		if err != nil {
			t.Errorf("%s: NewCSVReader(%q): %v", tt.name, tt.data, err)
			continue
		}
		var rows []deposit
		if err := gocsv.UnmarshalCSV(r, &rows); err != nil {
			t.Errorf("%s: gocsv.UnmarshalCSV(%q): %v", tt.name, tt.data, err)
			continue
		}
		got := "["
		for i, d := range rows {
			if i > 0 {
				got += " "
			}
			got += fmt.Sprintf("{%d %s %s %v}", d.Seq, d.Time.In(Zone).Format("2006-01-02 15:04"), d.Category, float64(d.Grams))
		}
		got += "]"
		if got != want {
			t.Errorf("%s: rows of %q = %s, want %s", tt.name, tt.data, got, want)
		}
	}
	if _, err := NewCSVReader([]byte("a,b\n"), "", "seq"); err == nil {
		t.Errorf("NewCSVReader without the header: no error")
	}
}
