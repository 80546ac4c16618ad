package outpath

import "testing"

func TestPhase(t *testing.T) {
	for _, tt := range []struct {
		path string
		want int
	}{
		{"css/site.1a2b3c4d.css", PhaseAssets},
		{"search/shard-0.1a2b3c4d.bin", PhaseAssets},
		{"img/p/photo.1111.jpg", PhaseAssets},
		{"data/points.csv", PhaseAssets},
		{"index.html", PhasePages},
		{"news/x/index.html", PhasePages},
		{"index.xml", PhaseFeeds},
		{"sitemap-2.xml", PhaseFeeds},
		{"robots.txt", PhaseFeeds},
		{"data.json", PhaseFeeds},
		{"search/meta.json", PhaseFeeds},
		{"news/x/data.xml", PhaseAssets},
		{"sitemap.xml", PhaseSitemap},
	} {
		if got := Phase(tt.path); got != tt.want {
			t.Errorf("Phase(%q) = %s, want %s", tt.path, PhaseNames[got], PhaseNames[tt.want])
		}
	}
}
