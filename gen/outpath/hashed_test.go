package outpath

import (
	"crypto/sha256"
	"encoding/hex"
	"testing"
)

func TestContentHashed(t *testing.T) {
	for _, tt := range []struct {
		path string
		want bool
	}{
		// The theme's stylesheet and scripts.
		{"css/site.08e8fa47.css", true},
		{"css/site.00417723.css", true}, // all digits
		{"css/site.0041772.css", false}, // 7 digits
		{"css/site.004177230.css", false},
		{"css/site.0041772G.css", false},
		{"css/site.0041772A.css", false}, // upper case: not a name gen gives
		{"css/site.css", false},
		{"css/print.08e8fa47.css", false}, // gen bundles the stylesheets into css/site
		{"css/sub/site.08e8fa47.css", false},
		{"site.08e8fa47.css", false},
		{"js/search.ce6a4d4f.js", true},
		{"js/charts.12345678.js", true},
		{"vendor/echarts/echarts.common.min.55974cf4.js", true},
		{"vendor/echarts/echarts.common.min.55974cf4.js.map", false},
		{"js/x.20260301.12345678.js", true},
		{"js/charts.js", false},
		{"js/kiosk-20260301.js", false},
		{"js/.12345678.js", false},
		{"12345678.js", false},
		// Photo renditions.
		{"img/25e4f57b8963afec-480.jpg", true},
		{"img/2026033112345678-1280.jpg", true}, // all digits
		{"img/25e4f57b8963afec-0480.jpg", false},
		{"img/25e4f57b8963afec-.jpg", false},
		{"img/25e4f57b8963afec.jpg", false},
		{"img/25e4f57b8963afe-480.jpg", false},
		{"img/25e4f57b8963afec-480.png", false},
		{"img/logo.png", false},
		{"img/2026-03-31.jpg", false},
		{"img/p/25e4f57b8963afec-480.jpg", false},
		{"news/x/25e4f57b8963afec-480.jpg", false},
		// The search index.
		{"search/shard-3.12345678.bin", true}, // all digits
		{"search/shard-1f.2fb00af5.bin", true},
		{"search/shard-0.ed9e2449.bin", true},
		{"search/docs-10.a42ba096.bin", true},
		{"search/text-0.e1f7e38b.bin", true},
		{"search/t2s.4ca0ab57.bin", true},
		{"search/pairs.00000000.bin", true},
		{"search/shard-01.12345678.bin", false},
		{"search/shard-1F.12345678.bin", false},
		{"search/shard-.12345678.bin", false},
		{"search/-3.12345678.bin", false},
		{"search/Shard-3.12345678.bin", false},
		{"search/shard-3.1234567.bin", false},
		{"search/shard-3.bin", false},
		{"search/shard-3.12345678.json", false},
		{"search/meta.json", false},
		{"search/index.html", false},
		{"search/x/shard-3.12345678.bin", false},
		{"data/shard-3.12345678.bin", false},
		// Dates and counters are not hashes.
		{"news/2026-03-31/index.html", false},
		{"news/20260331/index.html", false},
		{"data/kiosk-20260301.csv", false},
		{"data/kiosk-weights/kiosk-weights.csv", false},
		{"data/river/rev/2ad6277.csv", false},
		{"data/river/rev/12345678.csv", false},
		{"data/x.12345678.csv", false},
		{"sitemap-2.xml", false},
		{"data.json", false},
		{"atom.xml", false},
		{"index.html", false},
		{"", false},
	} {
		if got := ContentHashed(tt.path); got != tt.want {
			t.Errorf("ContentHashed(%q) = %v, want %v", tt.path, got, tt.want)
		}
	}
}

// TestNamersAgree: the names WithHash and PhotoFile give are the names
// ContentHashed takes, whatever the digits of the hash.
func TestNamersAgree(t *testing.T) {
	for i := range 2000 {
		sum := sha256.Sum256([]byte{byte(i), byte(i >> 8)})
		for _, p := range []string{
			WithHash(StyleSheet, sum[:], ".css"),
			WithHash("js/search", sum[:], ".js"),
			WithHash(SearchDir+"shard-3", sum[:], ".bin"),
			WithHash(SearchDir+"t2s", sum[:], ".bin"),
			PhotoDir + "/" + PhotoFile(hex.EncodeToString(sum[:PhotoKeyLen/2]), 480+i),
		} {
			if !ContentHashed(p) {
				t.Fatalf("ContentHashed(%q) = false for a name the namers give", p)
			}
		}
	}
	if got, want := WithHash("js/search", []byte{0x12, 0x34, 0x56, 0x78, 0x9a}, ".js"), "js/search.12345678.js"; got != want {
		t.Errorf("WithHash = %q, want %q", got, want)
	}
	if got, want := PhotoFile("25e4f57b8963afec", 480), "25e4f57b8963afec-480.jpg"; got != want {
		t.Errorf("PhotoFile = %q, want %q", got, want)
	}
}
