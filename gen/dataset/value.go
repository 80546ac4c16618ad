package dataset

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Zone is the time zone of every date and time in the datasets: the zone is
// in Hubei, and exports from its offices carry local wall-clock times without
// an offset.
var Zone = time.FixedZone("CST", 8*3600)

var (
	errNotNumber   = errors.New("not a number")
	errNotWhole    = errors.New("not a whole number")
	errPercentSign = errors.New("a percentage in a column that is not of type percent")
	errGrouping    = errors.New("not a number (misplaced thousands separator)")
)

// trimCell removes the spaces, tabs and ideographic spaces that exports leave
// around values.
func trimCell(s string) string {
	if len(s) == 0 {
		return s
	}
	if !trimmable(s[0]) && !trimmable(s[len(s)-1]) {
		return s
	}
	return strings.Trim(s, " \t\u3000\u00a0")
}

// trimmable reports whether b may begin or end a space trimCell removes:
// ASCII space or tab, or the first or last byte of U+3000 (E3 80 80) or
// U+00A0 (C2 A0).
func trimmable(b byte) bool {
	switch b {
	case ' ', '\t', 0xE3, 0xC2, 0x80, 0xA0:
		return true
	}
	return false
}

// parseNumber reads a number as spreadsheets export it: "1234", "1,234.5",
// "-3", "91.9%", "512万", "1.2亿". It reports whether a percent sign was
// present (the value is returned as written, 91.9 for "91.9%").
func parseNumber(s string) (v float64, percent bool, err error) {
	// Fast path: plain ASCII digits, the common case by far.
	if n, ok := parseSmallInt(s); ok {
		return float64(n), false, nil
	}
	scale := 1.0
	switch {
	case strings.HasSuffix(s, "%") || strings.HasSuffix(s, "％"):
		percent = true
		_, size := utf8.DecodeLastRuneInString(s)
		s = trimCell(s[:len(s)-size])
	case strings.HasSuffix(s, "万"):
		scale = 1e4
		s = trimCell(strings.TrimSuffix(s, "万"))
	case strings.HasSuffix(s, "亿"):
		scale = 1e8
		s = trimCell(strings.TrimSuffix(s, "亿"))
	}
	if strings.IndexByte(s, ',') >= 0 {
		if !validGrouping(s) {
			return 0, percent, errGrouping
		}
		s = strings.ReplaceAll(s, ",", "")
	}
	if s == "" || !isDecimal(s) {
		return 0, percent, errNotNumber
	}
	v, err = strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(v, 0) {
		return 0, percent, errNotNumber
	}
	return v * scale, percent, nil
}

// isDecimal accepts an optional sign, digits and at most one decimal point;
// strconv.ParseFloat alone would also take "NaN", "Inf", hex and exponents,
// which no export means as a figure.
func isDecimal(s string) bool {
	if s[0] == '-' || s[0] == '+' {
		s = s[1:]
	}
	digits, dots := 0, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '.':
			dots++
		default:
			return false
		}
	}
	return digits > 0 && dots <= 1
}

// parseSmallInt parses an optionally negative run of at most 18 ASCII digits.
func parseSmallInt(s string) (int64, bool) {
	neg := false
	if len(s) > 0 && s[0] == '-' {
		neg, s = true, s[1:]
	}
	if len(s) == 0 || len(s) > 18 {
		return 0, false
	}
	var n int64
	for i := 0; i < len(s); i++ {
		c := s[i] - '0'
		if c > 9 {
			return 0, false
		}
		n = n*10 + int64(c)
	}
	if neg {
		n = -n
	}
	return n, true
}

// validGrouping reports whether the commas in s separate groups of three
// digits, as in "12,345.6"; "1,2" is more likely a mangled value than 12.
func validGrouping(s string) bool {
	if s[0] == '-' || s[0] == '+' {
		s = s[1:]
	}
	intPart := s
	if i := strings.IndexByte(s, '.'); i >= 0 {
		intPart = s[:i]
		if strings.IndexByte(s[i:], ',') >= 0 {
			return false
		}
	}
	groups := strings.Split(intPart, ",")
	if len(groups[0]) == 0 || len(groups[0]) > 3 {
		return false
	}
	for _, g := range groups[1:] {
		if len(g) != 3 {
			return false
		}
	}
	return true
}

// parseTime reads a date or a date and time: 2026-03-05, 2026/3/5, 2026.3.5,
// 2026年3月5日, each optionally followed by a time (" 08:12", "T08:12:33",
// "T08:12:33+08:00", "Z"). With month set, a missing day is allowed
// (2026-03, 2026年3月) and means the first of the month. Times without an
// offset are in Zone.
func parseTime(s string, month bool) (time.Time, error) {
	p := timeParser{s: s}
	y := p.num(4, 4)
	cn := p.take("年")
	if !cn && !p.sep() {
		return time.Time{}, errNotDate(month)
	}
	m := p.num(1, 2)
	if cn && !p.take("月") {
		p.bad = true
	}
	d := 1
	if !(month && p.done()) {
		if !cn && !p.sep() {
			p.bad = true
		}
		d = p.num(1, 2)
		if cn && !p.take("日") {
			p.take("号")
		}
	}
	var hh, mm, ss, nsec int
	loc := Zone
	if !p.done() && !p.bad {
		if !p.take("T") && !p.take(" ") {
			p.bad = true
		}
		for p.take(" ") {
		}
		hh = p.num(1, 2)
		if !p.take(":") {
			p.bad = true
		}
		mm = p.num(2, 2)
		if p.take(":") {
			ss = p.num(2, 2)
			if p.take(".") {
				start := p.i
				frac := p.num(1, 9)
				for n := p.i - start; n < 9; n++ {
					frac *= 10
				}
				nsec = frac
			}
		}
		switch {
		case p.take("Z"):
			loc = time.UTC
		case p.i < len(p.s) && (p.s[p.i] == '+' || p.s[p.i] == '-'):
			sign := 1
			if p.s[p.i] == '-' {
				sign = -1
			}
			p.i++
			oh := p.num(2, 2)
			p.take(":")
			om := p.num(2, 2)
			if off := sign * (oh*3600 + om*60); off != 8*3600 {
				loc = time.FixedZone("", off)
			}
		}
	}
	if p.bad || !p.done() || m < 1 || m > 12 || d < 1 || d > daysIn(y, m) || hh > 23 || mm > 59 || ss > 60 {
		return time.Time{}, errNotDate(month)
	}
	t := time.Date(y, time.Month(m), d, hh, mm, ss, nsec, loc)
	if u := t.Unix(); u < minUnix || u > maxUnix {
		return time.Time{}, errYearRange
	}
	return t, nil
}

// minUnix and maxUnix bound the times a value may have, 0001-01-01 00:00:00
// to 9999-12-31 23:59:59 in Zone: what four-digit years can write. Offsets
// could carry a value just outside; it is refused rather than printed with
// a year of 0 or 10000.
var (
	minUnix = daysFromCivil(1, 1, 1)*86400 - 8*3600
	maxUnix = daysFromCivil(10000, 1, 1)*86400 - 8*3600 - 1
)

var errYearRange = errors.New("outside the years 0001 to 9999 (in China Standard Time)")

func errNotDate(month bool) error {
	if month {
		return errors.New("not a month")
	}
	return errors.New("not a date")
}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

type timeParser struct {
	s   string
	i   int
	bad bool
}

func (p *timeParser) done() bool { return p.i == len(p.s) }

// num reads between min and max ASCII digits.
func (p *timeParser) num(min, max int) int {
	n, start := 0, p.i
	for p.i < len(p.s) && p.i-start < max && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
		n = n*10 + int(p.s[p.i]-'0')
		p.i++
	}
	if p.i-start < min {
		p.bad = true
	}
	return n
}

func (p *timeParser) take(tok string) bool {
	if strings.HasPrefix(p.s[p.i:], tok) {
		p.i += len(tok)
		return true
	}
	return false
}

// sep takes one date separator: - / or .
func (p *timeParser) sep() bool {
	if p.i < len(p.s) && (p.s[p.i] == '-' || p.s[p.i] == '/' || p.s[p.i] == '.') {
		p.i++
		return true
	}
	return false
}

// fastISO parses the layouts machines write, 2026-03-05 and
// 2026-03-05T08:12:33 (or with a space) optionally followed by Z or an
// offset such as +08:00, into Unix seconds, without the generality of
// parseTime: a million kiosk records spend most of their date time here.
func fastISO(s string) (int64, bool) {
	n := len(s)
	if n != 10 && n != 19 && n != 20 && n != 25 {
		return 0, false
	}
	digits := func(i, w int) (int, bool) {
		v := 0
		for _, c := range []byte(s[i : i+w]) {
			if c < '0' || c > '9' {
				return 0, false
			}
			v = v*10 + int(c-'0')
		}
		return v, true
	}
	y, ok1 := digits(0, 4)
	m, ok2 := digits(5, 2)
	d, ok3 := digits(8, 2)
	if !ok1 || !ok2 || !ok3 || s[4] != '-' || s[7] != '-' || m < 1 || m > 12 || d < 1 || d > daysIn(y, m) {
		return 0, false
	}
	sec := daysFromCivil(y, m, d) * 86400
	off := int64(8 * 3600) // Zone
	if n > 10 {
		hh, ok1 := digits(11, 2)
		mm, ok2 := digits(14, 2)
		ss, ok3 := digits(17, 2)
		if !ok1 || !ok2 || !ok3 || (s[10] != 'T' && s[10] != ' ') || s[13] != ':' || s[16] != ':' || hh > 23 || mm > 59 || ss > 59 {
			return 0, false
		}
		sec += int64(hh*3600 + mm*60 + ss)
		switch n {
		case 20:
			if s[19] != 'Z' {
				return 0, false
			}
			off = 0
		case 25:
			oh, ok1 := digits(20, 2)
			om, ok2 := digits(23, 2)
			if !ok1 || !ok2 || (s[19] != '+' && s[19] != '-') || s[22] != ':' {
				return 0, false
			}
			off = int64(oh*3600 + om*60)
			if s[19] == '-' {
				off = -off
			}
		}
	}
	if sec -= off; sec < minUnix || sec > maxUnix {
		return 0, false // parseTime gives the error
	}
	return sec, true
}

// daysFromCivil is the number of days from 1970-01-01 to y-m-d in the
// proleptic Gregorian calendar (Howard Hinnant's algorithm).
func daysFromCivil(y, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int64(era)*146097 + int64(doe) - 719468
}
