package dataset

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"runtime"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"

	"gongjian/gen/diag"
	"gongjian/gen/internal/parallel"
)

// maxErrors caps the cell errors reported per file: a wrong column type in
// a long file would otherwise print one line per row.
const maxErrors = 50

// headerSearch is how many rows above the header a title block may take.
const headerSearch = 10

// LoadDir loads every dataset in dir of fsys: each NAME.yaml with the
// NAME.csv beside it, in name order. Paths in errors are dir-relative paths
// inside fsys (data/requests.csv), so fsys should be the site root.
// Subfolders (data/kiosk/) are not datasets and are skipped. Datasets with
// errors are left out of the result; the errors of all are returned together.
func LoadDir(fsys fs.FS, dir string) ([]*Dataset, diag.List) {
	var errs diag.List
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		errs.Addf(dir, 0, "%v", err)
		return nil, errs
	}
	files := map[string]bool{}
	for _, e := range entries {
		if !e.IsDir() {
			files[e.Name()] = true
		}
	}
	var sets []*Dataset
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".yaml")
		if e.IsDir() || !ok {
			if n, isCSV := strings.CutSuffix(e.Name(), ".csv"); isCSV && !files[n+".yaml"] {
				errs.Addf(path.Join(dir, e.Name()), 0, "no schema %s beside it", path.Join(dir, n+".yaml"))
			}
			continue
		}
		d, derrs := Load(fsys, dir, name)
		errs.Merge(derrs)
		if d != nil && len(derrs) == 0 {
			sets = append(sets, d)
		}
	}
	return sets, errs
}

// Load loads the dataset name from dir/name.yaml and dir/name.csv in fsys.
func Load(fsys fs.FS, dir, name string) (*Dataset, diag.List) {
	schemaPath := path.Join(dir, name+".yaml")
	b, err := fs.ReadFile(fsys, schemaPath)
	if err != nil {
		return nil, diag.List{diag.Errorf(schemaPath, 0, "%v", diag.Cause(err))}
	}
	d, errs := ParseSchema(schemaPath, name, b)
	if d == nil {
		return nil, errs
	}
	data, err := fs.ReadFile(fsys, d.Path)
	if err != nil {
		errs.Addf(d.Path, 0, "%v", diag.Cause(err))
		return d, errs
	}
	if len(errs) > 0 {
		return d, errs // columns are unreliable
	}
	errs.Merge(d.ParseCSV(data))
	return d, errs
}

// ReadCSV reads the rows of d from r; see ParseCSV.
func (d *Dataset) ReadCSV(r io.Reader) diag.List {
	b, err := io.ReadAll(r)
	if err != nil {
		return diag.List{diag.Errorf(d.Path, 0, "%v", err)}
	}
	return d.ParseCSV(b)
}

// ParseCSV fills d's columns from the CSV text data, however an
// office exported it: UTF-8 with or without BOM, GB18030/GBK (as named in
// the schema, or detected when the text is not UTF-8), UTF-16 with BOM, CRLF
// line ends, comma, tab or semicolon between fields, title rows above the
// header, blank rows, and values as described at the column types. The
// header is found by the column names (or labels) of the schema, in any
// order. Every problem is returned, each with d.Path and its line.
func (d *Dataset) ParseCSV(data []byte) diag.List {
	enc := d.Encoding
	if _, ok := lookupEncoding(enc); !ok {
		enc = "" // detect again ("UTF-8 BOM" is a finding, not a name)
	}
	errs, bad := d.parseCSV(data, enc, true)
	if bad {
		// The start of the file looked like UTF-8 but a later value is
		// not: check the whole text this time, which falls back to GB18030.
		errs, _ = d.parseCSV(data, enc, false)
	}
	return errs
}

// parseCSV is ParseCSV; with sniff set, a large file whose start is valid
// UTF-8 is taken for UTF-8 without checking the rest up front (a full
// check costs as much as converting the numbers). The values that could
// hide bad bytes — text, new categories, values that fail to parse — are
// checked as they come instead, and bad reports any that fails.
func (d *Dataset) parseCSV(data []byte, encName string, sniff bool) (errs diag.List, bad bool) {
	text, enc, unverified, err := decodeText(data, encName, sniff)
	if err != nil {
		errs.Addf(d.Path, 0, "%v", err)
		return errs, false
	}
	d.Encoding = enc
	// One string for the whole text: fields are substrings of it.
	str := string(text)
	delim, skip, order, herr := findHeader(str, d.Columns, d.Delimiter)
	if herr != nil {
		errs.Add(&diag.Error{File: d.Path, Line: herr.line, Msg: herr.msg})
		return errs, false
	}
	d.Delimiter = delim
	r := newRecordReader(str, byte(delim))
	for range skip + 1 { // the title rows and the header
		if _, err := r.Read(); err != nil {
			break
		}
	}
	// Large files are cut into chunks at record boundaries and converted in
	// parallel; the chunks' columns are then joined in order.
	chunks := splitChunks(str, r.pos, r.line, parallelism())
	parts := make([]*part, len(chunks))
	_ = parallel.For(context.Background(), len(chunks), len(chunks), func(k int) error {
		parts[k] = d.parseChunk(chunks[k], byte(delim), order, unverified)
		return nil
	})
	for _, p := range parts {
		if p.badUTF8 {
			return nil, true
		}
	}
	d.join(parts)
	more := 0
	for _, p := range parts {
		for _, e := range p.errs {
			if len(errs) < maxErrors {
				errs.Add(e)
			} else {
				more++
			}
		}
		more += p.more
	}
	if more > 0 {
		errs.Addf(d.Path, 0, "%d more errors not shown", more)
	}
	return errs, false
}

// parallelism is how many chunks a large file is cut into; tests vary it.
var parallelism = func() int { return runtime.GOMAXPROCS(0) }

// A chunk is a run of whole records of the text, starting at line.
type chunk struct {
	s    string
	line int
}

// minChunk is the size below which splitting a file does not pay.
const minChunk = 1 << 20

// splitChunks cuts s[start:] into at most n chunks that end on line breaks
// outside quoted fields: a line break follows an even number of quotes
// since start, as every quoted field has an even number of them.
func splitChunks(s string, start, line, n int) []chunk {
	s = s[start:]
	if n < 1 || len(s) < 2*minChunk {
		n = 1
	}
	var chunks []chunk
	quotes := 0
	for k := 1; k < n && len(s) > 0; k++ {
		cut := len(s) / (n - k + 1)
		quotes = strings.Count(s[:cut], `"`)
		for {
			i := strings.IndexByte(s[cut:], '\n')
			if i < 0 {
				cut = len(s)
				break
			}
			quotes += strings.Count(s[cut:cut+i], `"`)
			cut += i + 1
			if quotes%2 == 0 {
				break
			}
		}
		chunks = append(chunks, chunk{s[:cut], line})
		line += strings.Count(s[:cut], "\n")
		s = s[cut:]
	}
	if len(s) > 0 || len(chunks) == 0 {
		chunks = append(chunks, chunk{s, line})
	}
	return chunks
}

// A part is one chunk's rows, in columns like the dataset's.
type part struct {
	cols    []*Column
	rows    int
	errs    diag.List
	more    int
	badUTF8 bool
}

// parseChunk converts the records of ch; order gives the dataset column of
// each field (nil to ignore).
func (d *Dataset) parseChunk(ch chunk, delim byte, order []*Column, verify bool) *part {
	p := &part{cols: make([]*Column, len(d.Columns))}
	local := map[*Column]*Column{}
	lines := strings.Count(ch.s, "\n") + 1
	for i, c := range d.Columns {
		lc := &Column{Name: c.Name, Type: c.Type, Decimals: c.Decimals, fixed: c.fixed, verify: verify}
		if c.fixed {
			lc.levels, lc.index = c.levels, c.index // read only
		}
		lc.reset(lines)
		p.cols[i] = lc
		local[c] = lc
	}
	lorder := make([]*Column, len(order))
	for j, c := range order {
		if c != nil {
			lorder[j] = local[c]
		}
	}
	add := func(line int, format string, args ...any) {
		if len(p.errs) < maxErrors {
			p.errs.Addf(d.Path, line, format, args...)
		} else {
			p.more++
		}
	}
	r := newRecordReader(ch.s, delim)
	r.line = ch.line
	width := len(order)
	row := 0
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var re *RecordError
			if errors.As(err, &re) {
				add(re.Line, "%v", re.Err)
				continue
			}
			add(0, "%v", err)
			break
		}
		if blank(rec) {
			continue
		}
		if len(rec) != width {
			if len(rec) < width || !blank(rec[width:]) {
				add(r.FieldLine(0), "%d fields, but the header has %d", len(rec), width)
				continue
			}
		}
		for j, c := range lorder {
			if c == nil {
				continue
			}
			cell := trimCell(rec[j])
			if len(cell) > maxCell {
				add(r.FieldLine(j), "column %q: a value of %d bytes; at most %d bytes (16 MiB) are allowed in a cell", c.Name, len(cell), maxCell)
				cell = ""
			}
			if err := c.appendCell(cell, row); err != nil {
				if verify && !utf8.ValidString(cell) {
					c.badUTF8 = true
				}
				add(r.FieldLine(j), "%s", cellError(c, cell, err))
			}
		}
		row++
	}
	p.rows = row
	for _, c := range p.cols {
		p.badUTF8 = p.badUTF8 || c.badUTF8
	}
	return p
}

// join sets d's columns to the parts' rows, in order.
func (d *Dataset) join(parts []*part) {
	d.Rows = 0
	for _, p := range parts {
		d.Rows += p.rows
	}
	for i, c := range d.Columns {
		c.reset(0)
		if len(parts) == 1 {
			lc := parts[0].cols[i]
			c.nums, c.times, c.nanos, c.strs, c.codes, c.null = lc.nums, lc.times, lc.nanos, lc.strs, lc.codes, lc.null
			if !c.fixed {
				c.levels, c.index = lc.levels, lc.index
			}
			continue
		}
		switch {
		case c.Numeric():
			c.nums = make([]float64, 0, d.Rows)
		case c.Temporal():
			c.times = make([]int64, 0, d.Rows)
		case c.Type == Category:
			c.codes = make([]uint32, 0, d.Rows)
		default:
			c.strs = make([]string, 0, d.Rows)
		}
		base := 0
		for _, p := range parts {
			lc := p.cols[i]
			c.nums = append(c.nums, lc.nums...)
			c.times = append(c.times, lc.times...)
			c.strs = append(c.strs, lc.strs...)
			if c.Type == Category {
				remap := make([]uint32, len(lc.levels))
				for k, l := range lc.levels {
					remap[k], _ = c.level(l)
				}
				for _, code := range lc.codes {
					c.codes = append(c.codes, remap[code])
				}
			}
			for k, null := range lc.null {
				if null {
					c.setNull(base + k)
				}
			}
			for k, nsec := range lc.nanos {
				if nsec != 0 {
					c.setNano(base+k, nsec)
				}
			}
			base += p.rows
		}
	}
}

func blank(rec []string) bool {
	for _, s := range rec {
		if trimCell(s) != "" {
			return false
		}
	}
	return true
}

func (c *Column) reset(capacity int) {
	c.nums, c.times, c.nanos, c.strs, c.codes, c.null = nil, nil, nil, nil, nil, nil
	if !c.fixed {
		c.levels, c.index = nil, nil
	}
	if capacity == 0 {
		return
	}
	switch {
	case c.Numeric():
		c.nums = make([]float64, 0, capacity)
	case c.Temporal():
		c.times = make([]int64, 0, capacity)
	case c.Type == Category:
		c.codes = make([]uint32, 0, capacity)
	default:
		c.strs = make([]string, 0, capacity)
	}
}

// appendCell converts s by the column type and appends it as row. On error
// a blank is appended instead, so that the columns stay aligned.
func (c *Column) appendCell(s string, row int) error {
	var err error
	switch c.Type {
	case String:
		if c.verify && !utf8.ValidString(s) {
			c.badUTF8 = true
		}
		c.strs = append(c.strs, s)
	case Category:
		code, ok := uint32(0), true
		if s != "" {
			code, ok = c.level(s)
			if !ok {
				err = fmt.Errorf("not one of %s", ShortList(c.levels))
			}
		}
		c.codes = append(c.codes, code)
		if s == "" {
			c.setNull(row)
		}
	case Int, Float, Percent, Year:
		var v float64
		if s != "" {
			v, err = c.number(s)
		}
		c.nums = append(c.nums, v)
	case Month, Date, DateTime:
		var sec int64
		if s != "" {
			var ok bool
			if sec, ok = fastISO(s); !ok {
				var tm time.Time
				if tm, err = parseTime(s, c.Type == Month); err == nil {
					sec = tm.Unix()
					if ns := tm.Nanosecond(); ns != 0 {
						c.setNano(row, int32(ns))
					}
				}
			}
		}
		c.times = append(c.times, sec)
	}
	if err != nil || (s == "" && c.Type != String && c.Type != Category) {
		c.setNull(row)
	}
	return err
}

func (c *Column) number(s string) (float64, error) {
	v, pct, err := parseNumber(s)
	switch {
	case err != nil:
		return 0, err
	case pct && c.Type != Percent:
		return 0, errPercentSign
	case (c.Type == Int || c.Type == Year) && v != float64(int64(v)):
		return 0, errNotWhole
	}
	return v, nil
}

// headerError is a problem with finding the header row.
type headerError struct {
	line int
	msg  string
}

// Bounds on what a dataset may hold, so that a hostile or broken file is
// refused with its line instead of taking minutes or gigabytes.
const (
	maxColumns = 1000     // columns a schema may list
	maxFields  = 10000    // fields in one CSV record (trailing blank ones included)
	maxCell    = 16 << 20 // bytes in one CSV cell: a long text stays downloadable whole
	maxSchema  = 1 << 18  // bytes in data/NAME.yaml: YAML takes seconds for megabytes
)

// A columnMatcher finds the schema column a header cell names: a column
// name first, else a label. Maps keep the header search linear in the
// number of cells.
type columnMatcher struct {
	byName, byLabel map[string]*Column
}

func newColumnMatcher(cols []*Column) columnMatcher {
	m := columnMatcher{make(map[string]*Column, len(cols)), make(map[string]*Column, len(cols))}
	for _, c := range cols {
		if _, ok := m.byName[c.Name]; !ok {
			m.byName[c.Name] = c
		}
		if _, ok := m.byLabel[c.Label]; !ok && c.Label != "" {
			m.byLabel[c.Label] = c
		}
	}
	return m
}

func (m columnMatcher) match(cell string) *Column {
	if c, ok := m.byName[cell]; ok {
		return c
	}
	return m.byLabel[cell]
}

// findHeader finds the delimiter and the header row: the first of the first
// rows, for the first delimiter that splits one, whose cells name every
// schema column. It returns how many records to skip before the data and the
// column of each field (nil for ignored blank header cells).
func findHeader(text string, cols []*Column, delim rune) (rune, int, []*Column, *headerError) {
	delims := []rune{',', '\t', ';'}
	if delim != 0 {
		delims = []rune{delim}
	}
	var best struct {
		score   int
		line    int
		missing []string
		unknown []string
	}
	best.score = -1
	var firstErr *RecordError
	m := newColumnMatcher(cols)
	for _, dl := range delims {
		r := newRecordReader(text, byte(dl))
		for i := 0; i < headerSearch; i++ {
			rec, err := r.Read()
			if err != nil {
				var re *RecordError
				if errors.As(err, &re) && firstErr == nil {
					firstErr = re
				}
				break
			}
			order := make([]*Column, len(rec))
			var unknown []string
			found := map[*Column]bool{}
			for j, cell := range rec {
				cell = trimCell(cell)
				if cell == "" {
					continue
				}
				c := m.match(cell)
				if c == nil || found[c] {
					unknown = append(unknown, cell)
					continue
				}
				found[c] = true
				order[j] = c
			}
			if len(found) == len(cols) && len(unknown) == 0 {
				// Trailing blank header cells (Excel) are ignored; blank
				// cells between named ones would hide data.
				last := len(order)
				for last > 0 && order[last-1] == nil {
					last--
				}
				if slices.Contains(order[:last], nil) {
					return 0, 0, nil, &headerError{r.FieldLine(0), "header row has a blank column name"}
				}
				return dl, i, order, nil
			}
			if score := len(found) - len(unknown); score > best.score {
				line := r.FieldLine(0)
				best.score, best.line, best.unknown = score, line, unknown
				best.missing = nil
				for _, c := range cols {
					if !found[c] {
						best.missing = append(best.missing, c.Name)
					}
				}
			}
		}
	}
	if best.score <= 0 {
		if firstErr != nil && errors.Is(firstErr, errTooManyFields) {
			return 0, 0, nil, &headerError{firstErr.Line, firstErr.Err.Error()}
		}
		names := make([]string, len(cols))
		for i, c := range cols {
			names[i] = c.Name
		}
		return 0, 0, nil, &headerError{1, fmt.Sprintf("no header row naming the columns %s in the first %d rows", quoteList(names), headerSearch)}
	}
	var parts []string
	if len(best.missing) > 0 {
		parts = append(parts, "lacks the column(s) "+quoteList(best.missing))
	}
	if len(best.unknown) > 0 {
		parts = append(parts, "has column(s) not in the schema: "+quoteList(best.unknown))
	}
	return 0, 0, nil, &headerError{best.line, "header row " + strings.Join(parts, " and ")}
}

// quoteList is ShortList with each name quoted.
func quoteList(s []string) string { return shortList(s, true) }

// ShortList joins the first ten of s with ", ", each cut to 40
// characters, and says how many more there are: an error message that
// lists a column's values or a file's names must stay short whatever the
// data holds.
func ShortList(s []string) string { return shortList(s, false) }

func shortList(s []string, quote bool) string {
	const most = 10
	var q []string
	for i, v := range s {
		if i == most {
			q = append(q, fmt.Sprintf("and %d more", len(s)-most))
			break
		}
		v = Truncate(v, 40)
		if quote {
			v = fmt.Sprintf("%q", v)
		}
		q = append(q, v)
	}
	return strings.Join(q, ", ")
}

// lookupEncoding maps the names a schema may give to encodings; nil means
// UTF-8.
func lookupEncoding(name string) (encoding.Encoding, bool) {
	switch strings.ToLower(strings.ReplaceAll(name, "_", "-")) {
	case "utf-8", "utf8":
		return nil, true
	case "gb18030", "gbk", "gb2312", "cp936":
		return simplifiedchinese.GB18030, true
	case "utf-16le":
		return unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), true
	case "utf-16be":
		return unicode.UTF16(unicode.BigEndian, unicode.UseBOM), true
	}
	return nil, false
}

// sniffSize is how much of a large file decides that it is UTF-8.
const sniffSize = 64 << 10

// decodeText returns data as UTF-8 without a BOM, and the encoding it was
// found in. With name empty the encoding is detected: a BOM decides; else
// text that is valid UTF-8 is UTF-8, and anything else is read as GB18030
// (which contains GBK and GB2312), what Excel on Chinese Windows writes.
// With sniff set, only the first sniffSize bytes of a larger file are
// checked, and unverified reports that the rest was not.
func decodeText(data []byte, name string, sniff bool) (text []byte, found string, unverified bool, err error) {
	var enc encoding.Encoding
	switch {
	case name != "":
		e, ok := lookupEncoding(name)
		if !ok {
			return nil, "", false, fmt.Errorf("unknown encoding %q", name)
		}
		enc, found = e, strings.ToUpper(name)
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		found = "UTF-8 BOM"
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		enc, found = unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), "UTF-16LE"
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		enc, found = unicode.UTF16(unicode.BigEndian, unicode.UseBOM), "UTF-16BE"
	case sniff && len(data) > sniffSize:
		// Cut at a line break so that no character is split.
		head := data[:sniffSize]
		if i := bytes.LastIndexByte(head, '\n'); i > 0 {
			head = head[:i]
		} else {
			head = cutPartialRune(head) // one long line
		}
		if utf8.Valid(head) {
			return data, "UTF-8", true, nil
		}
		enc, found = simplifiedchinese.GB18030, "GB18030"
	case utf8.Valid(data):
		found = "UTF-8"
	default:
		enc, found = simplifiedchinese.GB18030, "GB18030"
	}
	if enc == nil {
		data = bytes.TrimPrefix(data, []byte{0xEF, 0xBB, 0xBF})
		if found == "UTF-8 BOM" && !utf8.Valid(data) {
			return nil, "", false, fmt.Errorf("not valid UTF-8 (%s)", badLine(data))
		}
		return data, found, false, nil
	}
	out, err := enc.NewDecoder().Bytes(data)
	if err != nil {
		return nil, "", false, fmt.Errorf("not valid %s text: %v", found, err)
	}
	out = bytes.TrimPrefix(out, []byte{0xEF, 0xBB, 0xBF})
	if i := bytes.IndexRune(out, utf8.RuneError); i >= 0 {
		return nil, "", false, fmt.Errorf("neither UTF-8 nor valid %s text (first bad character on line %d)", found, bytes.Count(out[:i], []byte{'\n'})+1)
	}
	return out, found, false, nil
}

// cutPartialRune drops the start of a character that b ends in the middle
// of, so that a cut through a long line is not taken for bad UTF-8.
func cutPartialRune(b []byte) []byte {
	for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
		if utf8.RuneStart(b[i]) {
			if !utf8.FullRune(b[i:]) {
				return b[:i]
			}
			break
		}
	}
	return b
}

func badLine(data []byte) string {
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 {
			return fmt.Sprintf("first bad byte on line %d", bytes.Count(data[:i], []byte{'\n'})+1)
		}
		i += size
	}
	return "bad bytes"
}
