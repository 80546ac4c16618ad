package usbexport

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gocarina/gocsv"
	"golang.org/x/text/encoding/simplifiedchinese"

	"gongjian/gen/diag"
	"gongjian/gen/kiosklog"
	"gongjian/kioskpull/msg"
	"gongjian/kioskpull/protocol"
)

// Row is one exported deposit, with its raw card number.
type Row struct {
	Kiosk  string
	Epoch  uint32
	Record protocol.Record
}

// exportRow is one line of an export file as gocsv reads it: each column
// by its English or its Chinese name, the values as text, because a file
// saved again by a spreadsheet needs more than a strict parse (see
// parseRow).
type exportRow struct {
	Kiosk    string `csv:"kiosk,设备编号"`
	Epoch    string `csv:"epoch,日志纪元"`
	Seq      string `csv:"seq,序号"`
	Time     string `csv:"time,时间"`
	Card     string `csv:"card,卡号"`
	Category string `csv:"category,类别"`
	Grams    string `csv:"grams,重量(克)"`
	Points   string `csv:"points,积分"`
	CRC      string `csv:"crc,校验"`
}

// exportRowZH is exportRow with the Chinese names first, which gocsv
// writes as the header.
type exportRowZH struct {
	Kiosk    string `csv:"设备编号,kiosk"`
	Epoch    string `csv:"日志纪元,epoch"`
	Seq      string `csv:"序号,seq"`
	Time     string `csv:"时间,time"`
	Card     string `csv:"卡号,card"`
	Category string `csv:"类别,category"`
	Grams    string `csv:"重量(克),grams"`
	Points   string `csv:"积分,points"`
	CRC      string `csv:"校验,crc"`
}

func (e exportRow) blank() bool {
	return e == exportRow{}
}

// TimeLayout is how an export writes times, in China Standard Time.
const TimeLayout = "2006-01-02 15:04:05"

// RowChecksum is the export's per-row check: the CRC-32 of the record's
// link text "seq,time,card,cat,grams,points" (time in Unix seconds,
// category as its two-letter code), so it does not depend on how the CSV
// spells times or categories.
func RowChecksum(r protocol.Record) uint32 {
	return protocol.Checksum(protocol.AppendRecord(nil, r))
}

// Write writes rows as an export file, in GB18030 with Chinese column
// names when chinese is set, else UTF-8 with English names.
func Write(w io.Writer, rows []Row, chinese bool) error {
	out := make([]exportRow, len(rows))
	for i, row := range rows {
		r := row.Record
		cat := r.Category.Code()
		if chinese {
			cat = r.Category.Chinese()
		}
		out[i] = exportRow{
			Kiosk: row.Kiosk, Epoch: strconv.FormatUint(uint64(row.Epoch), 10), Seq: strconv.FormatUint(r.Seq, 10),
			Time: time.Unix(r.Time, 0).In(kiosklog.Location).Format(TimeLayout), Card: r.Card, Category: cat,
			Grams: strconv.Itoa(r.Grams), Points: strconv.Itoa(r.Points), CRC: fmt.Sprintf("%08x", RowChecksum(r)),
		}
	}
	var buf bytes.Buffer
	cw := gocsv.NewSafeCSVWriter(csv.NewWriter(&buf))
	var err error
	if chinese {
		zh := make([]exportRowZH, len(out))
		for i, r := range out {
			zh[i] = exportRowZH(r)
		}
		err = gocsv.MarshalCSV(zh, cw)
	} else {
		err = gocsv.MarshalCSV(out, cw)
	}
	if err != nil {
		return fmt.Errorf("usbexport: %w", err)
	}
	data := buf.Bytes()
	if chinese {
		if data, err = simplifiedchinese.GB18030.NewEncoder().Bytes(data); err != nil {
			return fmt.Errorf("usbexport: %w", err)
		}
	}
	_, err = w.Write(data)
	return err
}

// Read reads an export file, UTF-8 (with or without BOM) or GB18030, as
// the kiosk wrote it or as a spreadsheet program saved it again (see
// parseRow). Every row is checked; errors read "name:line: what" and are
// all returned together. When the error is not nil, rows holds only the
// rows that passed, and a careful caller imports none of the file.
func Read(r io.Reader, name string) ([]Row, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		if data, err = simplifiedchinese.GB18030.NewDecoder().Bytes(data); err != nil {
			return nil, fmt.Errorf("%s: neither UTF-8 nor GB18030: %v", name, err)
		}
	}
	cr := csv.NewReader(bytes.NewReader(data))
	header := func(um *gocsv.Unmarshaller) error {
		if um == nil {
			return msg.Errorf(msg.ExportNoHeader, name)
		}
		err := um.RenormalizeHeaders(func(h []string) []string {
			out := make([]string, len(h))
			for i, s := range h {
				out[i] = strings.ToLower(strings.TrimSpace(s))
			}
			return out
		})
		if err != nil {
			return fmt.Errorf("%s:1: %v", name, err)
		}
		// gocsv lists every name of each column missing: English, Chinese.
		if missing := um.MismatchedStructFields; len(missing) >= 2 {
			return msg.Errorf(msg.ExportNoColumn, name, missing[0], missing[1])
		} else if len(missing) == 1 {
			return msg.Errorf(msg.ExportNoColumn, name, missing[0], missing[0])
		}
		return nil
	}
	var rows []Row
	var problems diag.List
	err = kiosklog.EachRow(cr, name, header, func(e exportRow, line int, err error) bool {
		if err == nil {
			if e.blank() {
				return true // a spreadsheet's empty row: ",,,,,,,,"
			}
			var row Row
			if row, err = parseRow(e); err == nil {
				rows = append(rows, row)
				return true
			}
		}
		return kiosklog.Report(&problems, name, line, err)
	})
	if err != nil {
		return nil, err
	}
	if len(problems) > 0 {
		return rows, problems
	}
	return rows, nil
}

var (
	// excelTime is a date and time as the kiosk writes it (2026-01-03
	// 11:13:43) or as a spreadsheet in a Chinese locale shows it
	// (2026/1/3 11:13:43, 2026/1/3 11:13).
	excelTime = regexp.MustCompile(`^([0-9]{4})[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})[ T]+([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?$`)
	// dayMonthFirst is a date a spreadsheet in another locale wrote
	// (1/3/2026): January 3rd or March 1st.
	dayMonthFirst = regexp.MustCompile(`^[0-9]{1,2}[-/.][0-9]{1,2}[-/.][0-9]{4}`)
	// serialNumber is a date a spreadsheet shows as its serial number.
	serialNumber = regexp.MustCompile(`^[0-9]{4,6}(\.[0-9]+)?$`)
	// scientific is a number a spreadsheet shows in scientific notation,
	// its lower digits lost (8.64E+15).
	// A spreadsheet always writes the "+": "9e126658" is a checksum.
	scientific = regexp.MustCompile(`^[0-9](\.[0-9]+)?[eE]\+[0-9]+$`)
)

// spreadsheetNumber is a whole number as a spreadsheet may show it: with
// thousands separators (1,830) or a zero fraction (1830.00).
var spreadsheetNumber = regexp.MustCompile(`^([0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.0+)?$`)

// plainNumber undoes a spreadsheet's number format. It is used only for
// columns the row's checksum covers (seq, grams, points), so a wrong
// reading cannot pass; other text is returned as it is, for the strict
// parse to refuse.
func plainNumber(s string) string {
	m := spreadsheetNumber.FindStringSubmatch(s)
	if m == nil {
		return s
	}
	return strings.ReplaceAll(m[1], ",", "")
}

// parseTime reads a time in the kiosk's zone; seconds is false when the
// text had none (a spreadsheet's short format dropped them).
func parseTime(s string) (t time.Time, seconds bool, err error) {
	m := excelTime.FindStringSubmatch(s)
	if m == nil {
		switch {
		case dayMonthFirst.MatchString(s):
			return t, false, msg.Errorf(msg.ExportTimeDayMonth, s)
		case serialNumber.MatchString(s):
			return t, false, msg.Errorf(msg.ExportTimeSerial, s)
		}
		return t, false, msg.Errorf(msg.ExportTimeLayout, s)
	}
	n := make([]int, 6)
	for i := range 6 {
		if m[i+1] != "" {
			n[i], _ = strconv.Atoi(m[i+1])
		}
	}
	t = time.Date(n[0], time.Month(n[1]), n[2], n[3], n[4], n[5], 0, kiosklog.Location)
	if t.Year() != n[0] || int(t.Month()) != n[1] || t.Day() != n[2] || t.Hour() != n[3] || t.Minute() != n[4] || t.Second() != n[5] {
		return t, false, msg.Errorf(msg.ExportTimeNoDate, s)
	}
	return t, m[6] != "", nil
}

// parseRow checks one row. Besides the kiosk's own layout it accepts what
// a spreadsheet program (Excel, WPS) does to a file it saves again, where
// the row's checksum proves the result: times as 2026/1/3 11:13:43, times
// without seconds (the one second of that minute the checksum accepts),
// leading zeros stripped from card numbers or checksums, and sequence
// numbers, weights and points written as 1,830 or 1830.00. What cannot
// be undone, card numbers in scientific notation or cut to 15 digits, is
// refused with what happened and what to do. The card number is never
// echoed: it is personal data.
func parseRow(e exportRow) (Row, error) {
	var row Row
	get := func(s string) string { return strings.TrimSpace(s) }
	row.Kiosk = get(e.Kiosk)
	if !kiosklog.ValidKioskID(row.Kiosk) {
		return row, fmt.Errorf("kiosk %q is not a valid kiosk id", row.Kiosk)
	}
	n, err := strconv.ParseUint(get(e.Epoch), 10, 32)
	if err != nil {
		return row, fmt.Errorf("epoch %q is not a whole number", get(e.Epoch))
	}
	row.Epoch = uint32(n)
	r := &row.Record
	if r.Seq, err = strconv.ParseUint(plainNumber(get(e.Seq)), 10, 64); err != nil || r.Seq == 0 {
		return row, fmt.Errorf("seq %q is not a sequence number", get(e.Seq))
	}
	t, seconds, err := parseTime(get(e.Time))
	if err != nil {
		return row, err
	}
	card := get(e.Card)
	if scientific.MatchString(card) {
		return row, msg.Errorf(msg.ExportCardScientific)
	}
	if !protocol.ValidCard(card) {
		return row, fmt.Errorf("card number is not 1 to 32 letters or digits")
	}
	cat := get(e.Category)
	r.Category, err = kiosklog.ParseCategory(cat)
	if err != nil {
		for _, c := range kiosklog.Categories {
			if c.Chinese() == cat {
				r.Category, err = c, nil
			}
		}
	}
	if err != nil {
		return row, err
	}
	if r.Grams, err = strconv.Atoi(plainNumber(get(e.Grams))); err != nil || r.Grams <= 0 {
		return row, fmt.Errorf("grams %q is not a positive whole number", get(e.Grams))
	}
	if r.Points, err = strconv.Atoi(plainNumber(get(e.Points))); err != nil || r.Points < 0 {
		return row, fmt.Errorf("points %q is not a whole number", get(e.Points))
	}
	crc := get(e.CRC)
	if scientific.MatchString(crc) {
		return row, msg.Errorf(msg.ExportCRCScientific, crc)
	}
	if len(crc) < 8 && len(crc) > 0 && strings.Trim(crc, "0123456789") == "" {
		crc = strings.Repeat("0", 8-len(crc)) + crc // a spreadsheet took it for a number
	}
	want, err := strconv.ParseUint(crc, 16, 32)
	if err != nil || len(crc) != 8 {
		return row, fmt.Errorf("crc %q is not 8 hex digits", get(e.CRC))
	}
	if found := matchChecksum(r, t, seconds, card, uint32(want)); found == 1 {
		return row, nil
	} else if found > 1 {
		return row, msg.Errorf(msg.ExportTimeAmbiguous, get(e.Time))
	}
	r.Time, r.Card = t.Unix(), card
	got := RowChecksum(*r)
	switch {
	case !seconds:
		return row, msg.Errorf(msg.ExportTimeNoSeconds, get(e.Time))
	case len(card) >= 16 && strings.HasSuffix(card, "0") && strings.Trim(card, "0123456789") == "":
		return row, msg.Errorf(msg.ExportCardDigits, crc, got)
	}
	return row, fmt.Errorf("checksum mismatch (row says %s, computed %08x): the row is damaged", crc, got)
}

// matchChecksum looks for the one reading of the row that its checksum
// proves: the time as given (or, without seconds, each second of that
// minute) and the card as given (or, all digits, with the leading zeros a
// spreadsheet strips put back, up to 32 digits). It sets r to the match
// and returns how many readings matched: more than one is ambiguous. At
// most 60 × 32 checksums are computed for a row.
func matchChecksum(r *protocol.Record, t time.Time, seconds bool, card string, want uint32) int {
	cards := []string{card}
	if strings.Trim(card, "0123456789") == "" {
		for pad := "0"; len(pad)+len(card) <= 32; pad += "0" {
			cards = append(cards, pad+card)
		}
	}
	secs := 1
	if !seconds {
		secs = 60
	}
	found := 0
	var match protocol.Record
	for _, c := range cards {
		for s := range secs {
			try := *r
			try.Time, try.Card = t.Unix()+int64(s), c
			if RowChecksum(try) == want {
				found++
				match = try
			}
		}
		if found > 0 {
			break // the fewest zeros put back that the checksum accepts
		}
	}
	if found == 1 {
		*r = match
	}
	return found
}
