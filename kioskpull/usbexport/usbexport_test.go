package usbexport

import (
	"bytes"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"gongjian/gen/kiosklog"
	"gongjian/kioskpull/protocol"
)

var rows = []Row{
	{Kiosk: "K02", Epoch: 3, Record: protocol.Record{Seq: 7, Time: 1777597212, Card: "8642001234567890", Category: kiosklog.Battery, Grams: 64, Points: 6}},
	{Kiosk: "K02", Epoch: 3, Record: protocol.Record{Seq: 8, Time: 1777597380, Card: "8642009876543210", Category: kiosklog.Paper, Grams: 1830, Points: 18}},
}

func TestRoundTrip(t *testing.T) {
	for _, chinese := range []bool{false, true} {
		var buf bytes.Buffer
		if err := Write(&buf, rows, chinese); err != nil {
			t.Fatal(err)
		}
		if chinese && bytes.Contains(buf.Bytes(), []byte("电池")) {
			t.Error("GB18030 export holds UTF-8 text")
		}
		got, err := Read(&buf, "stick.csv")
		if err != nil || len(got) != 2 || got[0] != rows[0] || got[1] != rows[1] {
			t.Errorf("chinese=%v: Read = %+v, %v", chinese, got, err)
		}
	}
}

func TestReadVariants(t *testing.T) {
	crc := func(r protocol.Record) string {
		var b []byte
		for shift := 28; shift >= 0; shift -= 4 {
			b = append(b, "0123456789abcdef"[(RowChecksum(r)>>uint(shift))&0xf])
		}
		return string(b)
	}
	r := rows[0].Record
	// BOM, reordered columns, Chinese category name, upper-case CRC.
	utf8 := "\ufeffseq,kiosk,epoch,time,card,category,grams,points,crc\n" +
		"7,K02,3,2026-05-01 09:00:12,8642001234567890,电池,64,6," + strings.ToUpper(crc(r)) + "\n"
	got, err := Read(strings.NewReader(utf8), "a.csv")
	if err != nil || len(got) != 1 || got[0] != rows[0] {
		t.Errorf("UTF-8 variant: %+v, %v", got, err)
	}
	gb, _ := simplifiedchinese.GB18030.NewEncoder().String("设备编号,日志纪元,序号,时间,卡号,类别,重量(克),积分,校验\n" +
		"K02,3,7,2026-05-01 09:00:12,8642001234567890,BA,64,6," + crc(r) + "\n")
	got, err = Read(strings.NewReader(gb), "b.csv")
	if err != nil || len(got) != 1 || got[0] != rows[0] {
		t.Errorf("GB18030 variant: %+v, %v", got, err)
	}
}

func TestReadErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"kiosk,epoch,seq\n", `x.csv:1: no column "time"`},
		{"kiosk,epoch,seq,time,card,category,grams,points,crc\nK02,3,7,2026-05-01,8642001234567890,BA,64,6,00000000\n", `x.csv:2: time "2026-05-01" is not YYYY-MM-DD HH:MM:SS`},
		{"kiosk,epoch,seq,time,card,category,grams,points,crc\nK02,3,7,2026-05-01 09:00:12,8642001234567890,wood,64,6,00000000\n", `x.csv:2: unknown category "wood"`},
		{"kiosk,epoch,seq,time,card,category,grams,points,crc\nK02,3,7,2026-05-01 09:00:12,8642001234567890,BA,64,6,00000000\n", `x.csv:2: checksum mismatch`},
		{"kiosk,epoch,seq,time,card,category,grams,points,crc\nK02,3,0,2026-05-01 09:00:12,8642001234567890,BA,64,6,00000000\n", `x.csv:2: seq "0"`},
	}
	for _, tt := range tests {
		_, err := Read(strings.NewReader(tt.in), "x.csv")
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Read(%q) error %v, want %q", tt.in, err, tt.want)
		}
		if err != nil && strings.Contains(err.Error(), "8642001234567890") {
			t.Errorf("error leaks the card number: %v", err)
		}
	}
}
