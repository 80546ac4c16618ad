package kiosklog

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
)

// FuzzReadCSV: any batch file gives records or errors, never a panic;
// every record read is valid and survives WriteCSV and ReadCSV unchanged.
func FuzzReadCSV(f *testing.F) {
	var good bytes.Buffer
	WriteCSV(&good, []Record{sample(1), sample(2)})
	f.Add(good.String())
	f.Add(strings.Join(Header, ",") + "\nK01,2,1,2026-03-01T08:15:02+08:00,h0123456789abcdef,metal,350\n")
	f.Add(strings.Join(Header, ",") + "\nK01,2,1,10000-03-01T08:15:02+08:00,h0123456789abcdef,PL,0x10,12.7\n")
	f.Add("kiosk,\"epoch\n")
	f.Add("")
	f.Fuzz(func(t *testing.T, text string) {
		recs, _ := ReadCSV(strings.NewReader(text), "f.csv")
		if len(recs) == 0 {
			return
		}
		for _, r := range recs {
			if err := r.Validate(); err != nil {
				t.Fatalf("ReadCSV returned an invalid record %+v: %v", r, err)
			}
		}
		var buf bytes.Buffer
		if err := WriteCSV(&buf, recs); err != nil {
			t.Fatalf("WriteCSV of records read: %v", err)
		}
		back, err := ReadCSV(&buf, "back.csv")
		if err != nil || len(back) != len(recs) {
			t.Fatalf("records do not read back: %d of %d, %v", len(back), len(recs), err)
		}
		for i := range recs {
			if !back[i].Time.Equal(recs[i].Time) {
				t.Fatalf("record %d time %v reads back as %v", i, recs[i].Time, back[i].Time)
			}
			back[i].Time = recs[i].Time
			if !reflect.DeepEqual(back[i], recs[i]) {
				t.Fatalf("record %d %+v reads back as %+v", i, recs[i], back[i])
			}
		}
	})
}

// FuzzParsePull: any pull.yaml gives a Pull or an error, never a panic;
// a Pull parsed survives MarshalPull and ParsePull.
func FuzzParsePull(f *testing.F) {
	f.Add("kiosk: K01\nlast_pull: 2026-11-27T14:22:55+08:00\nsource: pull\nfirmware: sim-1.0\nepoch: 1\nlast_seq: 2600\ncomplete: true\n")
	f.Add("kiosk: K05\nlast_pull: 2026-11-27T14:22:55+08:00\nsource: pull\nepoch: 1\nlast_seq: 1400\ncomplete: true\ngaps:\n  - epoch: 1\n    from: 1\n    to: 150\n")
	f.Add("kiosk: K01\nbogus: 1\n")
	f.Add("kiosk: [\n")
	f.Fuzz(func(t *testing.T, text string) {
		p, err := ParsePull([]byte(text), "pull.yaml")
		if err != nil {
			return
		}
		data, err := MarshalPull(p)
		if err != nil {
			t.Fatalf("MarshalPull(%+v): %v", p, err)
		}
		back, err := ParsePull(data, "back.yaml")
		if err != nil {
			t.Fatalf("pull.yaml written from %+v does not parse: %v\n%s", p, err, data)
		}
		if !back.LastPull.Equal(p.LastPull.Truncate(1e9)) || back.Kiosk != p.Kiosk || back.LastSeq != p.LastSeq || len(back.Gaps) != len(p.Gaps) {
			t.Fatalf("%+v reads back as %+v", p, back)
		}
	})
}

// FuzzParseKiosks: any kiosks.yaml gives kiosks or errors, never a panic;
// every kiosk returned has a valid, unique id and a compound.
func FuzzParseKiosks(f *testing.F) {
	f.Add("kiosks:\n  - id: K01\n    compound: 玫瑰苑\n    usb_serial: GJK-0001\n  - id: K02\n    compound: 示例小区\n    sample_name: true\n")
	f.Add("kiosks:\n  - id: K01\n    compound: a\n  - id: K01\n    compound: b\n")
	f.Add("kiosks: 3\n")
	f.Add("- a\n- b\n")
	f.Fuzz(func(t *testing.T, text string) {
		ks, _ := ParseKiosks([]byte(text), "kiosks.yaml")
		seen := map[string]bool{}
		for _, k := range ks {
			if !ValidKioskID(k.ID) || seen[k.ID] || strings.TrimSpace(k.Compound) == "" {
				t.Fatalf("ParseKiosks returned %+v (seen before: %v)", k, seen[k.ID])
			}
			seen[k.ID] = true
		}
	})
}
