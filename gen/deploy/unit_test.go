package deploy

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/smithy-go"

	"gongjian/gen/outpath"
)

func TestParseTarget(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Target
		err  string
	}{
		{in: "s3://site", want: Target{Bucket: "site"}},
		{in: "s3://site/portal/zh/?region=cn-north-1", want: Target{Bucket: "site", Prefix: "portal/zh/", Region: "cn-north-1"}},
		{in: "s3://site/p?endpoint=http://127.0.0.1:9000&region=us-east-1", want: Target{Bucket: "site", Prefix: "p/", Region: "us-east-1", Endpoint: "http://127.0.0.1:9000", PathStyle: true}},
		{in: "s3://site?endpoint=https://oss-cn-hangzhou.aliyuncs.com", want: Target{Bucket: "site", Endpoint: "https://oss-cn-hangzhou.aliyuncs.com"}},
		{in: "s3://site?endpoint=https://minio.example.org&style=path", want: Target{Bucket: "site", Endpoint: "https://minio.example.org", PathStyle: true}},
		{in: "http://site", err: "want s3://"},
		{in: "s3://AK:SK@site", err: "credentials do not belong"},
		{in: "s3://Site_1", err: "not a bucket name"},
		{in: "s3://site/a//b", err: "empty segment"},
		{in: "s3://site?endpoint=ftp://x", err: "not an http(s) URL"},
		{in: "s3://site?secret=x", err: `unknown parameter "secret"`},
		{in: "s3://site?style=sideways", err: "want path or virtual"},
	} {
		got, err := ParseTarget(c.in)
		if c.err != "" {
			if err == nil || !contains(err.Error(), c.err) {
				t.Errorf("ParseTarget(%q) error = %v, want one containing %q", c.in, err, c.err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("ParseTarget(%q) = %+v, %v; want %+v", c.in, got, err, c.want)
		}
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

func TestHeaders(t *testing.T) {
	for _, c := range []struct{ key, ctype, cache string }{
		{"index.html", "text/html; charset=utf-8", CacheRevalidate},
		{"news/x/index.html", "text/html; charset=utf-8", CacheRevalidate},
		{"css/site.8bbfb097.css", "text/css; charset=utf-8", CacheImmutable},
		{"img/25e4f57b8963afec-1280.jpg", "image/jpeg", CacheImmutable},
		{"js/charts.js", "text/javascript; charset=utf-8", CacheShort},
		{"data/river/river.csv", "text/csv; charset=utf-8", CacheShort},
		{"data/river/river.json", "application/json; charset=utf-8", CacheShort},
		{"data/2026-10-01/x.csv", "text/csv; charset=utf-8", CacheShort},
		{"data/20261001-report.csv", "text/csv; charset=utf-8", CacheShort},
		{"search/shard-3.bin", "application/octet-stream", CacheShort},
		{"search/docs-a.json", "application/json; charset=utf-8", CacheShort},
		// Names gen gives by content, some of whose hashes are all digits
		// (about 2 in 100 of 8-digit hashes are).
		{"css/site.00417723.css", "text/css; charset=utf-8", CacheImmutable},
		{"js/charts.c89955a6.js", "text/javascript; charset=utf-8", CacheImmutable},
		{"js/charts.12345678.js", "text/javascript; charset=utf-8", CacheImmutable},
		{"img/2026033112345678-480.jpg", "image/jpeg", CacheImmutable},
		{"search/shard-3.12345678.bin", "application/octet-stream", CacheImmutable},
		{"search/shard-1f.2fb00af5.bin", "application/octet-stream", CacheImmutable},
		{"search/t2s.4ca0ab57.bin", "application/octet-stream", CacheImmutable},
		{"search/meta.json", "application/json; charset=utf-8", CacheRevalidate},
		{"data/kiosk-20260301.csv", "text/csv; charset=utf-8", CacheShort},
		{"data/river/rev/2ad6277.csv", "text/csv; charset=utf-8", CacheShort},
		{"news/2026-03-31/index.html", "text/html; charset=utf-8", CacheRevalidate},
		{"data.json", "application/json; charset=utf-8", CacheRevalidate},
		{"atom.xml", "application/xml; charset=utf-8", CacheRevalidate},
		{"sitemap.xml", "application/xml; charset=utf-8", CacheRevalidate},
		{"robots.txt", "text/plain; charset=utf-8", CacheRevalidate},
		{"vendor/echarts/LICENSE", "text/plain; charset=utf-8", CacheShort},
		{"vendor/echarts/licenses/LICENSE-d3", "text/plain; charset=utf-8", CacheShort},
		{"vendor/echarts/README.md", "text/markdown; charset=utf-8", CacheShort},
	} {
		if got := ContentType(c.key); got != c.ctype {
			t.Errorf("ContentType(%q) = %q, want %q", c.key, got, c.ctype)
		}
		if got := CacheControl(c.key); got != c.cache {
			t.Errorf("CacheControl(%q) = %q, want %q", c.key, got, c.cache)
		}
	}
}

func TestExplain(t *testing.T) {
	tg := Target{Bucket: "site"}
	for _, c := range []struct {
		code string
		want error
	}{
		{"RequestTimeTooSkewed", ErrClockSkew},
		{"SignatureDoesNotMatch", ErrCredentials},
		{"InvalidAccessKeyId", ErrCredentials},
		{"NoSuchBucket", ErrNoBucket},
		{"AccessDenied", ErrDenied},
		{"NoSuchKey", ErrNotFound},
	} {
		api := &smithy.GenericAPIError{Code: c.code, Message: "from the server"}
		err := Explain(fmt.Errorf("operation error S3: PutObject: %w", api), tg)
		if !errors.Is(err, c.want) {
			t.Errorf("Explain(%s) = %v, want %v", c.code, err, c.want)
		}
		if !errors.As(err, new(smithy.APIError)) && c.want != ErrNotFound {
			t.Errorf("Explain(%s) lost the service's error: %v", c.code, err)
		}
	}
	if err := Explain(errors.New("reset by peer"), tg); errors.Is(err, ErrCredentials) {
		t.Errorf("a network error was taken for a credentials problem: %v", err)
	}
}

func FuzzParseManifest(f *testing.F) {
	f.Add([]byte(`{"version":1,"objects":{"index.html":{"sha256":"` + sixtyFour + `","size":3,"etag":"\"x\"","contentType":"text/html","cacheControl":"no-cache"}}}`))
	f.Add([]byte(`{"version":2}`))
	f.Add([]byte(`{not json`))
	f.Add([]byte(`{"version":1,"objects":{".gongjian-deploy.json":{}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ParseManifest(data)
		if err != nil {
			return
		}
		for k, e := range m.Objects {
			if k == "" || k == ManifestName || !hexSHA256.MatchString(e.SHA256) || e.Size < 0 || e.ETag == "" {
				t.Fatalf("accepted a bad entry %q: %+v", k, e)
			}
		}
	})
}

const sixtyFour = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

// TestSearchMetaLast: the search index's meta.json, which names the
// content-hashed index files, is uploaded after them and after the pages.
func TestSearchMetaLast(t *testing.T) {
	if a, m := outpath.Phase("search/shard-0.1a2b3c4d.bin"), outpath.Phase("search/meta.json"); m <= a || m < outpath.Phase("index.html") {
		t.Errorf("phase of search/meta.json %d, of a shard %d, of a page %d: meta.json must come after both", m, a, outpath.Phase("index.html"))
	}
}

// TestSitemapIndexLast: sitemap.xml, which on a large site is the index of
// sitemap-1.xml, sitemap-2.xml, …, is uploaded after them, and they after
// the pages they list.
func TestSitemapIndexLast(t *testing.T) {
	page, part, index := outpath.Phase("news/x/index.html"), outpath.Phase("sitemap-2.xml"), outpath.Phase("sitemap.xml")
	if !(page < part && part < index) {
		t.Errorf("phases: a page %d, sitemap-2.xml %d, sitemap.xml %d: want them in that order", page, part, index)
	}
}
