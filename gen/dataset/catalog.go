package dataset

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
	"unicode/utf8"
)

// A Download is one file a dataset page offers, ready to be written.
type Download struct {
	Path      string // site path, /data/NAME/NAME.csv
	Format    string // "CSV" or "JSON"
	MediaType string
	Data      []byte
	Size      int
	SHA256    string // hex
}

// Downloads renders d as the files its page offers: the clean UTF-8 CSV
// (WriteCSV) and the JSON (WriteJSON), each with size and SHA-256, so that
// the page can show them and the catalog can list them.
func (d *Dataset) Downloads() ([]Download, error) {
	var csvBuf, jsonBuf bytes.Buffer
	if err := d.WriteCSV(&csvBuf); err != nil {
		return nil, err
	}
	if err := d.WriteJSON(&jsonBuf); err != nil {
		return nil, err
	}
	mk := func(ext, format, media string, b []byte) Download {
		sum := sha256.Sum256(b)
		return Download{
			Path:      "/data/" + d.Name + "/" + d.Name + "." + ext,
			Format:    format,
			MediaType: media,
			Data:      b,
			Size:      len(b),
			SHA256:    hex.EncodeToString(sum[:]),
		}
	}
	return []Download{
		mk("csv", "CSV", "text/csv; charset=utf-8", csvBuf.Bytes()),
		mk("json", "JSON", "application/json", jsonBuf.Bytes()),
	}, nil
}

// CellChars is how many characters of a value a page shows: previews,
// chart tables and labels, and figures in prose cut longer values (see
// Truncate); the downloads keep them whole.
const CellChars = 200

// A Cell is one value of a preview table as it is shown.
type Cell struct {
	Text string // the value as Column.Fixed gives it, cut to CellChars
	Cut  bool   // Text is the start of a longer value
	Num  bool   // a figure: right-aligned, decimals lined up with its column's
	Long bool   // text of more than LongChars characters, which may wrap
}

// LongChars is the length past which a cell's text may wrap onto more lines
// in a table rather than widen its column.
const LongChars = 16

// Page returns rows [from, to) of d as table cells, for a paged preview;
// the bounds are clipped to the rows there are.
func (d *Dataset) Page(from, to int) [][]Cell {
	from, to = max(from, 0), min(to, d.Rows)
	var rows [][]Cell
	for i := from; i < to; i++ {
		row := make([]Cell, len(d.Columns))
		for j, c := range d.Columns {
			full := c.Fixed(i)
			text := Truncate(full, CellChars)
			row[j] = Cell{Text: text, Cut: len(text) != len(full), Num: c.Numeric() && c.Type != Year,
				Long: utf8.RuneCountInString(text) > LongChars}
		}
		rows = append(rows, row)
	}
	return rows
}

// Catalog returns the machine-readable list of sets (data.json), shaped
// after W3C DCAT in JSON-LD: one dcat:Dataset per set with its landing page
// and its Downloads as distributions. baseURL is the site's absolute URL
// ("https://example.org"); the output is the same for the same input.
func Catalog(sets []*Dataset, siteTitle, baseURL string) ([]byte, error) {
	base := strings.TrimSuffix(baseURL, "/")
	type checksum struct {
		Algorithm string `json:"spdx:algorithm"`
		Value     string `json:"spdx:checksumValue"`
	}
	type distribution struct {
		Type        string   `json:"@type"`
		Title       string   `json:"dct:title"`
		DownloadURL string   `json:"dcat:downloadURL"`
		MediaType   string   `json:"dcat:mediaType"`
		Format      string   `json:"dct:format"`
		ByteSize    int      `json:"dcat:byteSize"`
		Checksum    checksum `json:"spdx:checksum"`
	}
	type column struct {
		Name  string `json:"name"`
		Type  string `json:"type"`
		Unit  string `json:"unit,omitempty"`
		Label string `json:"label,omitempty"`
	}
	type set struct {
		Type          string         `json:"@type"`
		Identifier    string         `json:"dct:identifier"`
		Title         string         `json:"dct:title"`
		Description   string         `json:"dct:description,omitempty"`
		Publisher     string         `json:"dct:publisher"`
		License       string         `json:"dct:license"`
		Modified      string         `json:"dct:modified"`
		Theme         string         `json:"dcat:theme"`
		LandingPage   string         `json:"dcat:landingPage"`
		Sample        bool           `json:"sample"`
		Rows          int            `json:"rows"`
		Columns       []column       `json:"columns"`
		Distributions []distribution `json:"dcat:distribution"`
	}
	cat := struct {
		Context  map[string]string `json:"@context"`
		Type     string            `json:"@type"`
		Title    string            `json:"dct:title"`
		Homepage string            `json:"foaf:homepage"`
		Datasets []set             `json:"dcat:dataset"`
	}{
		Context: map[string]string{
			"dcat": "http://www.w3.org/ns/dcat#",
			"dct":  "http://purl.org/dc/terms/",
			"foaf": "http://xmlns.com/foaf/0.1/",
			"spdx": "http://spdx.org/rdf/terms#",
		},
		Type:     "dcat:Catalog",
		Title:    siteTitle,
		Homepage: base + "/",
		Datasets: []set{},
	}
	for _, d := range sets {
		downloads, err := d.Downloads()
		if err != nil {
			return nil, err
		}
		s := set{
			Type: "dcat:Dataset", Identifier: d.Name, Title: d.Title, Description: d.Description,
			Publisher: d.Source, License: d.Licence, Modified: d.Updated.In(Zone).Format("2006-01-02"),
			Theme: d.Topic, LandingPage: base + "/data/" + d.Name + "/", Sample: d.Sample, Rows: d.Rows,
		}
		for _, c := range d.Columns {
			s.Columns = append(s.Columns, column{c.Name, c.Type, c.Unit, c.Label})
		}
		for _, dl := range downloads {
			s.Distributions = append(s.Distributions, distribution{
				Type: "dcat:Distribution", Title: d.Title + "（" + dl.Format + "）", DownloadURL: base + dl.Path,
				MediaType: dl.MediaType, Format: dl.Format, ByteSize: dl.Size, Checksum: checksum{"sha256", dl.SHA256},
			})
		}
		cat.Datasets = append(cat.Datasets, s)
	}
	b, err := json.MarshalIndent(cat, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}
