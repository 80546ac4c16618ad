package kiosklog

import (
	"bytes"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

func sample(seq uint64) Record {
	return Record{Kiosk: "K01", Epoch: 2, Seq: seq, Time: time.Date(2026, 3, 1, 8, 15, 2, 0, Location), Card: "h0123456789abcdef", Category: Metal, Grams: 350, Points: 10}
}

func TestCSVRoundTrip(t *testing.T) {
	recs := []Record{sample(1), sample(2)}
	var buf bytes.Buffer
	if err := WriteCSV(&buf, recs); err != nil {
		t.Fatal(err)
	}
	want := "kiosk,epoch,seq,time,card,category,grams,points\nK01,2,1,2026-03-01T08:15:02+08:00,h0123456789abcdef,metal,350,10\n"
	if !strings.HasPrefix(buf.String(), want) {
		t.Errorf("WriteCSV = %q, want prefix %q", buf.String(), want)
	}
	got, err := ReadCSV(&buf, "x.csv")
	if err != nil || len(got) != 2 || !got[1].Time.Equal(recs[1].Time) || got[1].Card != recs[1].Card {
		t.Errorf("ReadCSV = %+v, %v", got, err)
	}
}

func TestWriteCSVRefusesRawCard(t *testing.T) {
	r := sample(1)
	r.Card = "8642000012345678"
	if err := WriteCSV(&bytes.Buffer{}, []Record{r}); err == nil {
		t.Error("WriteCSV wrote a raw card number")
	}
}

func TestReadStoreErrors(t *testing.T) {
	head := "kiosk,epoch,seq,time,card,category,grams,points\n"
	row := func(kiosk, epoch, seq, cat string) string {
		return kiosk + "," + epoch + "," + seq + ",2026-03-01T08:15:02+08:00,h0123456789abcdef," + cat + ",350,10\n"
	}
	fsys := fstest.MapFS{
		"kiosk/K01/e2-0000000001-0000000002.csv":          {Data: []byte(head + row("K01", "2", "1", "metal") + row("K01", "2", "2", "wood"))},
		"kiosk/K01/e2-0000000001-0000000003.csv":          {Data: []byte(head + row("K01", "2", "1", "metal") + row("K02", "2", "3", "metal"))},
		"kiosk/K01/e3-0000000001-0000000001.csv":          {Data: []byte(head + row("K01", "2", "1", "metal"))},
		"kiosk/K01/.tmp-e9-0000000001-0000000001.csv-123": {Data: []byte("half a file")},
		"kiosk/K01/pull.yaml":                             {Data: []byte("kiosk: K01\n")},
	}
	recs, err := ReadStore(fsys, "kiosk")
	if err == nil {
		t.Fatal("ReadStore found no errors")
	}
	for _, want := range []string{
		`kiosk/K01/e2-0000000001-0000000002.csv:3: column "category": unknown category "wood"`,
		`kiosk/K01/e2-0000000001-0000000003.csv:2: record (K01, 2, 1) already stored at kiosk/K01/e2-0000000001-0000000002.csv:2`,
		`kiosk/K01/e2-0000000001-0000000003.csv:3: kiosk "K02" in the folder of kiosk "K01"`,
		`kiosk/K01/e3-0000000001-0000000001.csv:2: epoch 2 in a file of epoch 3`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("errors lack %q; got:\n%v", want, err)
		}
	}
	if len(recs) != 1 {
		t.Errorf("ReadStore returned %d good records, want 1", len(recs))
	}
}

func TestBatchFileName(t *testing.T) {
	name := BatchFileName(3, 1001, 2000)
	e, f, l, ok := ParseBatchFileName(name)
	if name != "e3-0000001001-0000002000.csv" || !ok || e != 3 || f != 1001 || l != 2000 {
		t.Errorf("BatchFileName = %q, parsed %d %d %d %v", name, e, f, l, ok)
	}
	for _, bad := range []string{"pull.yaml", "e3-1-2.csv", "e3-0000000002-0000000001.csv", "e-0000000001-0000000002.csv"} {
		if _, _, _, ok := ParseBatchFileName(bad); ok {
			t.Errorf("ParseBatchFileName(%q) accepted", bad)
		}
	}
}
