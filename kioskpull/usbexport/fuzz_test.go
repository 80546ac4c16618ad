package usbexport

import (
	"bytes"
	"testing"

	"gongjian/gen/kiosklog"
	"gongjian/kioskpull/protocol"
)

// FuzzRead: any file gives rows or errors, never a panic; every row read
// is sound (valid kiosk, sequence, card, category, weight) and survives
// Write and Read unchanged, in both the English and the Chinese form.
func FuzzRead(f *testing.F) {
	var en, zh bytes.Buffer
	Write(&en, rows, false)
	Write(&zh, rows, true)
	f.Add(en.Bytes())
	f.Add(zh.Bytes())
	f.Add([]byte("\ufeff" + zhHeader + "\r\nK02,3,7,2026/5/1 9:00,8642001234567890,电池,64,6,0\r\n,,,,,,,,\r\n"))
	f.Add([]byte("kiosk,epoch,seq,time,card,category,grams,points,crc\nK02,3,7,1/5/2026 9:03,8.64E+15,BA,64,6,1.2E+07\n"))
	f.Add([]byte("kiosk,kiosk,epoch\n\"a"))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, _ := Read(bytes.NewReader(data), "f.csv")
		if len(got) == 0 {
			return
		}
		for _, r := range got {
			if !kiosklog.ValidKioskID(r.Kiosk) || r.Record.Seq == 0 || !protocol.ValidCard(r.Record.Card) ||
				!r.Record.Category.Valid() || r.Record.Grams <= 0 || r.Record.Points < 0 {
				t.Fatalf("Read returned an unsound row %+v", r)
			}
		}
		for _, chinese := range []bool{false, true} {
			var buf bytes.Buffer
			if err := Write(&buf, got, chinese); err != nil {
				t.Fatalf("Write of rows read: %v", err)
			}
			back, err := Read(&buf, "back.csv")
			if err != nil || len(back) != len(got) {
				t.Fatalf("chinese=%v: rows do not read back: %d of %d, %v", chinese, len(back), len(got), err)
			}
			for i := range got {
				if back[i] != got[i] {
					t.Fatalf("chinese=%v: row %+v reads back as %+v", chinese, got[i], back[i])
				}
			}
		}
	})
}
