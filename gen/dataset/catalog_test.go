package dataset

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"strings"
	"testing"
)

func TestCatalog(t *testing.T) {
	sets, errs := LoadDir(os.DirFS("../.."), "data")
	if err := errs.Err(); err != nil {
		t.Fatal(err)
	}
	b, err := Catalog(sets, "共同缔造", "https://example.org/")
	if err != nil {
		t.Fatal(err)
	}
	again, _ := Catalog(sets, "共同缔造", "https://example.org/")
	if !bytes.Equal(b, again) {
		t.Error("Catalog differs between two calls")
	}
	var cat struct {
		Datasets []struct {
			Identifier    string `json:"dct:identifier"`
			LandingPage   string `json:"dcat:landingPage"`
			Distributions []struct {
				DownloadURL string `json:"dcat:downloadURL"`
				ByteSize    int    `json:"dcat:byteSize"`
				Checksum    struct {
					Value string `json:"spdx:checksumValue"`
				} `json:"spdx:checksum"`
			} `json:"dcat:distribution"`
		} `json:"dcat:dataset"`
	}
	if err := json.Unmarshal(b, &cat); err != nil {
		t.Fatalf("Catalog is not JSON: %v", err)
	}
	if len(cat.Datasets) != len(sets) {
		t.Fatalf("Catalog lists %d datasets, want %d", len(cat.Datasets), len(sets))
	}
	for i, d := range sets {
		c := cat.Datasets[i]
		downloads, err := d.Downloads()
		if err != nil {
			t.Fatal(err)
		}
		if c.Identifier != d.Name || c.LandingPage != "https://example.org/data/"+d.Name+"/" || len(c.Distributions) != 2 {
			t.Errorf("catalog entry %d = %+v, want %s with 2 downloads", i, c, d.Name)
			continue
		}
		for k, dl := range downloads {
			sum := sha256.Sum256(dl.Data)
			got := c.Distributions[k]
			if got.ByteSize != len(dl.Data) || got.Checksum.Value != hex.EncodeToString(sum[:]) || !strings.HasSuffix(got.DownloadURL, dl.Path) {
				t.Errorf("%s distribution %d = %+v, want size %d and the data's SHA-256", d.Name, k, got, len(dl.Data))
			}
		}
	}
}

func TestPage(t *testing.T) {
	d := evalSets(t)[0]
	if got := d.Page(2, 10); len(got) != 2 || got[0][0].Text != "3" || got[1][1].Text != "房屋裂缝" {
		t.Errorf("Page(2, 10) = %v, want rows 3 and 4", got)
	}
	if got := d.Page(-5, 1); len(got) != 1 {
		t.Errorf("Page(-5, 1) = %v, want one row", got)
	}
}
