package dataset

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"io"
	"strconv"
)

// Canonical is row i as machine-readable text: numbers plain with a point
// ("1234", "91.9" for 91.9%), dates as 2026-03-05, months as 2026-03, times
// as RFC 3339 in Zone (with the fraction of a second, if any), blanks as "".
func (c *Column) Canonical(i int) string {
	if c.Null(i) {
		return ""
	}
	switch c.Type {
	case Int, Year, Float, Percent:
		return strconv.FormatFloat(c.nums[i], 'f', -1, 64)
	case DateTime:
		return c.Time(i).Format("2006-01-02T15:04:05.999999999Z07:00")
	case Month, Date:
		return c.Format(i)
	}
	return c.Text(i)
}

// WriteCSV writes d as clean CSV for download: UTF-8 with a BOM (so that
// Excel on Chinese Windows reads it as UTF-8), comma-separated, CRLF line
// ends, one header row of column names, values as Canonical gives them.
// Because the BOM makes Excel open the file directly, text that a
// spreadsheet would run as a formula is defused (see Defuse): column names
// and the values of text columns. Numbers and dates are written as they
// are; they cannot start a formula.
func (d *Dataset) WriteCSV(w io.Writer) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("\uFEFF")
	cw := csv.NewWriter(bw)
	cw.UseCRLF = true
	rec := make([]string, len(d.Columns))
	for j, c := range d.Columns {
		rec[j] = Defuse(c.Name)
	}
	cw.Write(rec)
	for i := 0; i < d.Rows; i++ {
		for j, c := range d.Columns {
			rec[j] = c.Canonical(i)
			if c.Type == String || c.Type == Category {
				rec[j] = Defuse(rec[j])
			}
		}
		cw.Write(rec)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

// Defuse prefixes s with a single quote when it begins with a character
// that makes a spreadsheet read a cell as a formula (=, +, -, @) or that
// Excel skips before looking for one (tab, carriage return), as OWASP's
// advice on CSV injection has it: "=HYPERLINK(…)" opens as text, not as a
// link. A text value such as "-5" is prefixed too: in a text column it is
// text, and the quote keeps it so.
func Defuse(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

// WriteJSON writes d for download as one JSON object: the metadata, the
// columns with type, unit and label, and the rows as objects keyed by
// column name in column order, numbers as numbers and blanks as null.
// Values are exact, without the defusing of WriteCSV: JSON is read by
// programs, which must get what the office published, and no spreadsheet
// opens it as a table.
func (d *Dataset) WriteJSON(w io.Writer) error {
	bw := bufio.NewWriter(w)
	str := func(s string) {
		b, _ := json.Marshal(s)
		bw.Write(b)
	}
	type column struct {
		Name  string `json:"name"`
		Type  string `json:"type"`
		Unit  string `json:"unit,omitempty"`
		Label string `json:"label,omitempty"`
	}
	cols := make([]column, len(d.Columns))
	for j, c := range d.Columns {
		cols[j] = column{c.Name, c.Type, c.Unit, c.Label}
	}
	meta := struct {
		Name        string   `json:"name"`
		Title       string   `json:"title"`
		Description string   `json:"description,omitempty"`
		Source      string   `json:"source"`
		Licence     string   `json:"licence"`
		Updated     string   `json:"updated"`
		Topic       string   `json:"topic"`
		Sample      bool     `json:"sample"`
		Columns     []column `json:"columns"`
	}{d.Name, d.Title, d.Description, d.Source, d.Licence, d.Updated.In(Zone).Format("2006-01-02"), d.Topic, d.Sample, cols}
	b, err := json.Marshal(meta)
	if err != nil {
		return err
	}
	// Splice the rows in before the closing brace, keeping column order.
	bw.Write(b[:len(b)-1])
	bw.WriteString(`,"rows":[`)
	for i := 0; i < d.Rows; i++ {
		if i > 0 {
			bw.WriteByte(',')
		}
		bw.WriteString("\n{")
		for j, c := range d.Columns {
			if j > 0 {
				bw.WriteByte(',')
			}
			str(c.Name)
			bw.WriteByte(':')
			switch {
			case c.Null(i):
				bw.WriteString("null")
			case c.Numeric():
				bw.WriteString(c.Canonical(i))
			default:
				str(c.Canonical(i))
			}
		}
		bw.WriteByte('}')
	}
	bw.WriteString("\n]}\n")
	return bw.Flush()
}
