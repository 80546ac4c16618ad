package dataset

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// FormatCN formats v the way Chinese prose and charts write figures: below
// ten thousand as it is (at most one decimal), above in 万 or 亿 with three
// significant digits where that needs no more than two decimals: 62, 91.9,
// 1.25万, 51.2万, 512万, 3.4亿.
func FormatCN(v float64) string {
	a := math.Abs(v)
	switch {
	case a >= 1e8:
		return shortUnit(v/1e8) + "亿"
	case a >= 1e4:
		s := shortUnit(v / 1e4)
		if s == "10000" || s == "-10000" { // 9999.96万 rounds up to 1亿
			return strings.Replace(s, "10000", "1", 1) + "亿"
		}
		return s + "万"
	}
	return FormatDecimal(v, 1, false)
}

func shortUnit(v float64) string {
	a := math.Abs(v)
	switch {
	case a >= 100:
		return FormatDecimal(v, 0, false)
	case a >= 10:
		return FormatDecimal(v, 1, false)
	}
	return FormatDecimal(v, 2, false)
}

// FormatPercent formats a fraction (0.919) as a percentage with one decimal
// place, trailing zero dropped: "91.9%", "100%".
func FormatPercent(frac float64) string {
	return FormatDecimal(frac*100, 1, false) + "%"
}

// FormatDecimal rounds v to at most decimals places and drops trailing
// zeros; with group set, the integer part is grouped by thousands
// ("5,123,456"), as in tables where exact figures matter.
func FormatDecimal(v float64, decimals int, group bool) string {
	return formatNumber(v, decimals, group, true)
}

// FormatFixed is FormatDecimal with exactly decimals places, trailing zeros
// kept ("1,250.50"), so that the figures of a table column line up.
func FormatFixed(v float64, decimals int, group bool) string {
	return formatNumber(v, decimals, group, false)
}

func formatNumber(v float64, decimals int, group, trim bool) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return ""
	}
	s := strconv.FormatFloat(v, 'f', decimals, 64)
	if trim && strings.IndexByte(s, '.') >= 0 {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if strings.TrimLeft(s, "-0.") == "" {
		s = strings.TrimPrefix(s, "-") // no "-0" or "-0.00"
	}
	if group {
		s = groupThousands(s)
	}
	return s
}

func groupThousands(s string) string {
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	intPart, frac := s, ""
	if i := strings.IndexByte(s, '.'); i >= 0 {
		intPart, frac = s[:i], s[i:]
	}
	if len(intPart) <= 3 {
		return sign + s
	}
	var b strings.Builder
	b.WriteString(sign)
	head := len(intPart) % 3
	if head > 0 {
		b.WriteString(intPart[:head])
	}
	for i := head; i < len(intPart); i += 3 {
		if b.Len() > len(sign) {
			b.WriteByte(',')
		}
		b.WriteString(intPart[i : i+3])
	}
	b.WriteString(frac)
	return b.String()
}

// Truncate cuts s to at most n characters (runes), ending it with "…" when
// anything was cut, so that one huge cell cannot bloat a page: tables,
// previews, chart tooltips and search snippets show the start, the
// download keeps the whole value. A cut never splits a character.
func Truncate(s string, n int) string {
	if len(s) <= n {
		return s // n bytes are at most n runes
	}
	i, count := 0, 0
	for i < len(s) && count < n {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
		count++
	}
	if i == len(s) {
		return s
	}
	if n > 0 {
		// Keep room for the ellipsis within n characters.
		_, size := utf8.DecodeLastRuneInString(s[:i])
		i -= size
	}
	return s[:i] + "…"
}
