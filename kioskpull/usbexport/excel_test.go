package usbexport

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"gongjian/gen/kiosklog"
	"gongjian/kioskpull/msg"
	"gongjian/kioskpull/protocol"
)

// excelRow is a row the way a spreadsheet program saves it again: the
// given time and card text, the other columns as the kiosk wrote them,
// and the kiosk's checksum of the original record.
func excelRow(r Row, timeText, cardText, crcText string) string {
	if crcText == "" {
		crcText = fmt.Sprintf("%08X", RowChecksum(r.Record))
	}
	return strings.Join([]string{r.Kiosk, fmt.Sprint(r.Epoch), fmt.Sprint(r.Record.Seq), timeText, cardText,
		r.Record.Category.Chinese(), fmt.Sprint(r.Record.Grams), fmt.Sprint(r.Record.Points), crcText}, ",")
}

// writeFixture writes text as a file the way Excel saves CSV on a
// Chinese Windows: CRLF line ends, and GB18030 ("ANSI") or UTF-8 with a
// BOM ("CSV UTF-8").
func writeFixture(t *testing.T, lines []string, gb bool) string {
	t.Helper()
	text := strings.Join(lines, "\r\n") + "\r\n"
	data := []byte("\ufeff" + text)
	if gb {
		var err error
		if data, err = simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(text)); err != nil {
			t.Fatal(err)
		}
	}
	name := filepath.Join(t.TempDir(), "K02.csv")
	if err := os.WriteFile(name, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return name
}

func readFile(t *testing.T, name string) ([]Row, error) {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return Read(f, name)
}

const zhHeader = "设备编号,日志纪元,序号,时间,卡号,类别,重量(克),积分,校验"

// TestReadExcelSaved: what Excel does to an export that can be undone,
// proved by each row's checksum, is accepted and gives the very records
// the kiosk exported.
func TestReadExcelSaved(t *testing.T) {
	zeroCard := Row{Kiosk: "K02", Epoch: 3, Record: protocol.Record{Seq: 9, Time: 1777597212, Card: "0086420012345678", Category: kiosklog.Glass, Grams: 400, Points: 4}}
	// A record whose checksum starts with a zero digit, as Excel drops it.
	lowCRC := Row{Kiosk: "K02", Epoch: 3}
	for seq := uint64(10); ; seq++ {
		lowCRC.Record = protocol.Record{Seq: seq, Time: 1777597300, Card: "8642001234567890", Category: kiosklog.Metal, Grams: 120, Points: 1}
		if c := fmt.Sprintf("%08x", RowChecksum(lowCRC.Record)); c[0] == '0' && strings.Trim(c, "0123456789") == "" {
			break
		}
		if seq > 1e6 {
			t.Fatal("no record with a decimal checksum starting with 0 found")
		}
	}
	lowText := strings.TrimLeft(fmt.Sprintf("%08x", RowChecksum(lowCRC.Record)), "0")
	tests := []struct {
		name  string
		lines []string
		want  []Row
	}{
		{"slashes, no zero padding", []string{zhHeader, excelRow(rows[0], "2026/5/1 9:00:12", rows[0].Record.Card, "")}, rows[:1]},
		{"seconds dropped", []string{zhHeader,
			excelRow(rows[0], "2026/5/1 9:00", rows[0].Record.Card, ""),
			excelRow(rows[1], "2026-05-01 09:03", rows[1].Record.Card, "")}, rows},
		{"card leading zeros stripped", []string{zhHeader, excelRow(zeroCard, "2026/5/1 9:00:12", "86420012345678", "")}, []Row{zeroCard}},
		{"checksum leading zeros stripped", []string{zhHeader, excelRow(lowCRC, "2026/5/1 9:01:40", lowCRC.Record.Card, lowText)}, []Row{lowCRC}},
		{"numbers with thousands separators and zero fractions", []string{zhHeader,
			strings.NewReplacer(",3,8,", ",3,8.00,", ",1830,18,", `,"1,830",18.00,`).Replace(excelRow(rows[1], "2026/5/1 9:03:00", rows[1].Record.Card, ""))}, rows[1:]},
		{"empty rows at the end", []string{zhHeader, excelRow(rows[0], "2026/5/1 9:00:12", rows[0].Record.Card, ""), ",,,,,,,,", ",,,,,,,,"}, rows[:1]},
	}
	for _, tt := range tests {
		for _, gb := range []bool{false, true} {
			got, err := readFile(t, writeFixture(t, tt.lines, gb))
			if err != nil || len(got) != len(tt.want) {
				t.Errorf("%s (GB18030 %v): Read = %d rows, %v; want %d rows", tt.name, gb, len(got), err, len(tt.want))
				continue
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("%s (GB18030 %v): row %d = %+v, want %+v", tt.name, gb, i, got[i], tt.want[i])
				}
			}
		}
	}
}

// TestReadExcelRefused: what cannot be undone is refused at its line,
// saying what happened and what to do, in Chinese and in English, and
// never echoing a card number.
func TestReadExcelRefused(t *testing.T) {
	r := rows[1] // card 8642009876543210
	tests := []struct {
		name, row string
		wantEN    string
		wantZH    string
	}{
		{"scientific card", excelRow(r, "2026/5/1 9:03:00", "8.64201E+15", ""),
			"K02.csv:2: the card number was turned into a number in scientific notation", "科学计数法"},
		{"card cut to 15 digits", excelRow(r, "2026/5/1 9:03:00", "8642009876543200", ""),
			"Excel keeps 15 significant digits", "Excel 只保留15位有效数字"},
		{"day and month first", excelRow(r, "1/5/2026 9:03", r.Record.Card, ""),
			"could be January 3rd or March 1st", "既可能是1月3日"},
		{"date as serial number", excelRow(r, "46143.37708", r.Record.Card, ""),
			"is a bare number", "序列号"},
		{"seconds dropped and damaged", excelRow(Row{Kiosk: r.Kiosk, Epoch: r.Epoch, Record: protocol.Record{Seq: r.Record.Seq, Time: r.Record.Time, Card: r.Record.Card, Category: r.Record.Category, Grams: r.Record.Grams + 1, Points: r.Record.Points}}, "2026/5/1 9:03", r.Record.Card, fmt.Sprintf("%08x", RowChecksum(r.Record))),
			"has no seconds (a spreadsheet program's short format dropped them) and no second", "没有秒"},
		{"no such day", excelRow(r, "2026/2/30 9:03:00", r.Record.Card, ""),
			"is not a real date and time", "不是真实存在的日期"},
		{"epoch with a fraction (not covered by the checksum)", strings.Replace(excelRow(r, "2026/5/1 9:03:00", r.Record.Card, ""), "K02,3,", "K02,3.0,", 1),
			`epoch "3.0" is not a whole number`, `epoch "3.0"`},
		{"weight with a real fraction", strings.Replace(excelRow(r, "2026/5/1 9:03:00", r.Record.Card, ""), ",1830,", ",1830.5,", 1),
			`grams "1830.5" is not a positive whole number`, `grams "1830.5"`},
		{"scientific checksum", excelRow(r, "2026/5/1 9:03:00", r.Record.Card, "1.2E+07"),
			"crc \"1.2E+07\" was turned into a number in scientific notation", "科学计数法"},
	}
	zh, en := msg.New(msg.ZH), msg.New(msg.EN)
	for _, tt := range tests {
		got, err := readFile(t, writeFixture(t, []string{zhHeader, tt.row}, true))
		if err == nil || len(got) != 0 {
			t.Errorf("%s: Read = %d rows, %v; want it refused", tt.name, len(got), err)
			continue
		}
		if s := en.Error(err); !strings.Contains(s, tt.wantEN) || !strings.Contains(s, "K02.csv:2: ") {
			t.Errorf("%s: English error\n%s\nlacks %q", tt.name, s, tt.wantEN)
		}
		if s := zh.Error(err); !strings.Contains(s, tt.wantZH) || !strings.Contains(s, "K02.csv:2：") {
			t.Errorf("%s: Chinese error\n%s\nlacks %q", tt.name, s, tt.wantZH)
		}
		for _, s := range []string{en.Error(err), zh.Error(err)} {
			if strings.Contains(s, r.Record.Card) || strings.Contains(s, "86420098765432") {
				t.Errorf("%s: error leaks the card number: %s", tt.name, s)
			}
		}
	}
}

// TestWriteHeaders: the header gocsv writes is the kiosk's, in English or
// in Chinese.
func TestWriteHeaders(t *testing.T) {
	for _, tt := range []struct {
		chinese bool
		want    string
	}{
		{false, "kiosk,epoch,seq,time,card,category,grams,points,crc\nK02,3,7,2026-05-01 09:00:12,8642001234567890,BA,64,6,"},
		{true, zhHeader + "\nK02,3,7,2026-05-01 09:00:12,8642001234567890,电池,64,6,"},
	} {
		var buf bytes.Buffer
		if err := Write(&buf, rows, tt.chinese); err != nil {
			t.Fatal(err)
		}
		got := buf.String()
		if tt.chinese {
			got, _ = simplifiedchinese.GB18030.NewDecoder().String(got)
		}
		if !strings.HasPrefix(got, tt.want) {
			t.Errorf("Write(chinese=%v) = %q, want prefix %q", tt.chinese, got, tt.want)
		}
	}
}

// TestReadHexChecksumLikeExponent: a checksum such as 9e126658 is hex,
// not a number in scientific notation.
func TestReadHexChecksumLikeExponent(t *testing.T) {
	r := Row{Kiosk: "K02", Epoch: 3}
	for seq := uint64(1); ; seq++ {
		r.Record = protocol.Record{Seq: seq, Time: 1777597300, Card: "8642001234567890", Category: kiosklog.Metal, Grams: 120, Points: 1}
		c := fmt.Sprintf("%08x", RowChecksum(r.Record))
		if strings.Trim(c[:1]+c[2:], "0123456789") == "" && c[1] == 'e' {
			break
		}
		if seq > 1e6 {
			t.Fatal("no record with a checksum like 9e126658 found")
		}
	}
	got, err := readFile(t, writeFixture(t, []string{zhHeader, excelRow(r, "2026-05-01 09:01:40", r.Record.Card, fmt.Sprintf("%08x", RowChecksum(r.Record)))}, false))
	if err != nil || len(got) != 1 || got[0] != r {
		t.Errorf("Read = %+v, %v; want %+v", got, err, r)
	}
}
