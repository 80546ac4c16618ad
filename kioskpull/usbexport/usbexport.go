package usbexport

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"gongjian/kioskpull/kiosklog"
	"gongjian/kioskpull/protocol"
)

// Row is one exported deposit, with its raw card number.
type Row struct {
	Kiosk  string
	Epoch  uint32
	Record protocol.Record
}

// Columns in export order; each has an English and a Chinese name.
var columns = []struct{ en, zh string }{
	{"kiosk", "设备编号"},
	{"epoch", "日志纪元"},
	{"seq", "序号"},
	{"time", "时间"},
	{"card", "卡号"},
	{"category", "类别"},
	{"grams", "重量(克)"},
	{"points", "积分"},
	{"crc", "校验"},
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
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	head := make([]string, len(columns))
	for i, c := range columns {
		head[i] = c.en
		if chinese {
			head[i] = c.zh
		}
	}
	cw.Write(head)
	for _, row := range rows {
		r := row.Record
		cat := r.Category.Code()
		if chinese {
			cat = r.Category.Chinese()
		}
		cw.Write([]string{
			row.Kiosk, strconv.FormatUint(uint64(row.Epoch), 10), strconv.FormatUint(r.Seq, 10),
			time.Unix(r.Time, 0).In(kiosklog.Location).Format(TimeLayout), r.Card, cat,
			strconv.Itoa(r.Grams), strconv.Itoa(r.Points), fmt.Sprintf("%08x", RowChecksum(r)),
		})
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("usbexport: %w", err)
	}
	data := buf.Bytes()
	if chinese {
		var err error
		if data, err = simplifiedchinese.GB18030.NewEncoder().Bytes(data); err != nil {
			return fmt.Errorf("usbexport: %w", err)
		}
	}
	_, err := w.Write(data)
	return err
}

// Read reads an export file, UTF-8 (with or without BOM) or GB18030.
// Every row is checked; errors read "name:line: what" and are all
// returned together. When the error is not nil, rows holds only the rows
// that passed, and a careful caller imports none of the file.
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
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("%s:1: no header: %v", name, err)
	}
	pos := make([]int, len(columns))
	for i := range pos {
		pos[i] = -1
	}
	for j, h := range head {
		h = strings.ToLower(strings.TrimSpace(h))
		for i, c := range columns {
			if h == c.en || h == c.zh {
				pos[i] = j
			}
		}
	}
	for i, p := range pos {
		if p < 0 {
			return nil, fmt.Errorf("%s:1: no column %q (or %q)", name, columns[i].en, columns[i].zh)
		}
	}
	var rows []Row
	problems := kiosklog.NewProblems(name)
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				problems.Add(pe.Line, pe.Err)
				break
			}
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		get := func(i int) string {
			if pos[i] < len(rec) {
				return strings.TrimSpace(rec[pos[i]])
			}
			return ""
		}
		row, err := parseRow(get)
		if err != nil {
			if !problems.Add(line, err) {
				break
			}
			continue
		}
		rows = append(rows, row)
	}
	return rows, problems.Err()
}

func parseRow(get func(int) string) (Row, error) {
	var row Row
	row.Kiosk = get(0)
	if !kiosklog.ValidKioskID(row.Kiosk) {
		return row, fmt.Errorf("kiosk %q is not a valid kiosk id", row.Kiosk)
	}
	e, err := strconv.ParseUint(get(1), 10, 32)
	if err != nil {
		return row, fmt.Errorf("epoch %q is not a whole number", get(1))
	}
	row.Epoch = uint32(e)
	r := &row.Record
	if r.Seq, err = strconv.ParseUint(get(2), 10, 64); err != nil || r.Seq == 0 {
		return row, fmt.Errorf("seq %q is not a sequence number", get(2))
	}
	t, err := time.ParseInLocation(TimeLayout, get(3), kiosklog.Location)
	if err != nil {
		return row, fmt.Errorf("time %q is not YYYY-MM-DD HH:MM:SS", get(3))
	}
	r.Time = t.Unix()
	r.Card = get(4)
	if !protocol.ValidCard(r.Card) {
		return row, fmt.Errorf("card number is not 1 to 32 letters or digits")
	}
	cat := get(5)
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
	if r.Grams, err = strconv.Atoi(get(6)); err != nil || r.Grams <= 0 {
		return row, fmt.Errorf("grams %q is not a positive whole number", get(6))
	}
	if r.Points, err = strconv.Atoi(get(7)); err != nil || r.Points < 0 {
		return row, fmt.Errorf("points %q is not a whole number", get(7))
	}
	want, err := strconv.ParseUint(get(8), 16, 32)
	if err != nil || len(get(8)) != 8 {
		return row, fmt.Errorf("crc %q is not 8 hex digits", get(8))
	}
	if got := RowChecksum(*r); got != uint32(want) {
		// Never echo the card number: it is personal data.
		return row, fmt.Errorf("checksum mismatch (row says %s, computed %08x): the row is damaged", get(8), got)
	}
	return row, nil
}
