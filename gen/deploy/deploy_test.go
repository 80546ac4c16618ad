package deploy

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"gongjian/gen/internal/s3server"
)

// startServer starts versitygw with a bucket "site" and sets the AWS
// variables the client reads; without the binary the test skips, or fails
// under GONGJIAN_REQUIRE_S3=1.
func startServer(t *testing.T) *s3server.Server {
	t.Helper()
	s3server.SkipIfMissing(t)
	srv, err := s3server.Start(context.Background(), filepath.Join(t.TempDir(), "root"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	if err := srv.Bucket("site"); err != nil {
		t.Fatal(err)
	}
	for _, kv := range srv.Env() {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	return srv
}

func open(t *testing.T, endpoint, target string) *S3 {
	t.Helper()
	tg, err := ParseTarget(target + "?endpoint=" + endpoint)
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewS3(context.Background(), tg, S3Options{MaxAttempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// site is a small built site with every kind of file gen writes.
var site = map[string]string{
	"index.html":                           "<!doctype html><title>首页</title><link href=/css/site.8bbfb097.css>",
	"404.html":                             "<!doctype html><title>页面不存在</title>",
	"news/a/index.html":                    "<!doctype html><title>新闻甲</title>",
	"news/b/index.html":                    "<!doctype html><title>新闻乙</title>",
	"tags/垃圾分类/index.html":                 "<!doctype html><title>标签</title>",
	"css/site.8bbfb097.css":                "body{color:#222}",
	"js/charts.js":                         "console.log(1)",
	"img/25e4f57b8963afec-480.jpg":         "\xff\xd8\xff\xe0 jpeg",
	"data/requests/requests.csv":           "类别,数量\n环境,3\n",
	"data/requests/requests.json":          `[{"类别":"环境","数量":3}]`,
	"data/requests/index.html":             "<!doctype html><title>诉求</title>",
	"search/shard-0.12345678.bin":          "\x00\x01\x02",
	"search/meta.json":                     `{"v":6}`,
	"data.json":                            `{"dataset":[]}`,
	"atom.xml":                             "<feed/>",
	"sitemap.xml":                          "<urlset/>",
	"robots.txt":                           "User-agent: *\n",
	"vendor/echarts/LICENSE":               "Apache License",
	"vendor/echarts/echarts.common.min.js": "/*echarts*/",
}

func writeSite(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "public")
	for k, v := range files {
		p := filepath.Join(dir, filepath.FromSlash(k))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(v), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func deploy(t *testing.T, s Store, dir string) Stats {
	t.Helper()
	st, err := Deploy(context.Background(), s, Options{Dir: dir, Logf: t.Logf})
	if err != nil {
		t.Fatalf("Deploy: %v", err)
	}
	return st
}

// checkBucket fails unless the bucket holds exactly the files of dir (and
// the manifest), byte for byte, each with its headers and content hash.
func checkBucket(t *testing.T, s *S3, dir string) {
	t.Helper()
	ctx := context.Background()
	local, _, err := Scan(ctx, dir, "")
	if err != nil {
		t.Fatal(err)
	}
	remote, err := s.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, f := range local {
		want = append(want, f.Key)
	}
	want = append(want, ManifestName)
	slices.Sort(want)
	got := slices.Sorted(maps.Keys(remote))
	if !slices.Equal(got, want) {
		t.Fatalf("bucket keys:\n%q\nwant:\n%q", got, want)
	}
	for _, f := range local {
		body, err := s.Get(ctx, f.Key)
		if err != nil {
			t.Fatal(err)
		}
		disk, _ := os.ReadFile(f.Path)
		if !bytes.Equal(body, disk) {
			t.Errorf("%s: bucket holds %q, want %q", f.Key, body, disk)
		}
		m, err := s.Head(ctx, f.Key)
		if err != nil {
			t.Fatal(err)
		}
		want := Meta{SHA256: f.SHA256, ContentType: ContentType(f.Key), CacheControl: CacheControl(f.Key)}
		if m != want {
			t.Errorf("%s: HEAD = %+v, want %+v", f.Key, m, want)
		}
	}
}

func TestDeployRealServer(t *testing.T) {
	srv := startServer(t)
	s := open(t, srv.Endpoint, "s3://site/portal")
	dir := writeSite(t, site)

	st := deploy(t, s, dir)
	if st.Uploaded != len(site) || st.Kept != 0 || st.Deleted != 0 {
		t.Errorf("first deploy: %+v, want %d uploads", st, len(site))
	}
	checkBucket(t, s, dir)
	// The headers as a visitor's browser sees them, spot-checked by name.
	for key, want := range map[string][2]string{
		"index.html":                   {"text/html; charset=utf-8", CacheRevalidate},
		"css/site.8bbfb097.css":        {"text/css; charset=utf-8", CacheImmutable},
		"img/25e4f57b8963afec-480.jpg": {"image/jpeg", CacheImmutable},
		"search/shard-0.12345678.bin":  {"application/octet-stream", CacheImmutable},
		"search/meta.json":             {"application/json; charset=utf-8", CacheRevalidate},
		"data/requests/requests.csv":   {"text/csv; charset=utf-8", CacheShort},
		"data/requests/requests.json":  {"application/json; charset=utf-8", CacheShort},
		"data.json":                    {"application/json; charset=utf-8", CacheRevalidate},
		"atom.xml":                     {"application/xml; charset=utf-8", CacheRevalidate},
	} {
		m, err := s.Head(context.Background(), key)
		if err != nil {
			t.Fatal(err)
		}
		if m.ContentType != want[0] || m.CacheControl != want[1] {
			t.Errorf("%s: Content-Type %q, Cache-Control %q; want %q, %q", key, m.ContentType, m.CacheControl, want[0], want[1])
		}
	}

	t.Run("no change", func(t *testing.T) {
		st := deploy(t, s, dir)
		if st.Uploaded != 0 || st.Deleted != 0 || st.Heads != 0 || st.Kept != len(site) {
			t.Errorf("no-change deploy: %+v, want 0 uploads, 0 HEADs, %d kept", st, len(site))
		}
	})
	t.Run("one story changed", func(t *testing.T) {
		os.WriteFile(filepath.Join(dir, "news/a/index.html"), []byte("<!doctype html><title>新闻甲（更正）</title>"), 0o644)
		st := deploy(t, s, dir)
		if st.Uploaded != 1 || st.Deleted != 0 {
			t.Errorf("one file changed: %+v, want 1 upload", st)
		}
		checkBucket(t, s, dir)
	})
	t.Run("story deleted", func(t *testing.T) {
		os.RemoveAll(filepath.Join(dir, "news/b"))
		st := deploy(t, s, dir)
		if st.Uploaded != 0 || st.Deleted != 1 {
			t.Errorf("one story deleted: %+v, want 1 deletion", st)
		}
		if _, err := s.Head(context.Background(), "news/b/index.html"); !errors.Is(err, ErrNotFound) {
			t.Errorf("HEAD of the deleted story: %v, want not found", err)
		}
		checkBucket(t, s, dir)
	})
	t.Run("damaged manifest", func(t *testing.T) {
		if _, err := s.Put(context.Background(), ManifestName, []byte("{not json"), Meta{}); err != nil {
			t.Fatal(err)
		}
		st := deploy(t, s, dir)
		if st.Uploaded != 0 || st.Heads == 0 {
			t.Errorf("deploy with a damaged manifest: %+v, want 0 uploads and a HEAD per object", st)
		}
		if st := deploy(t, s, dir); st.Heads != 0 || st.Uploaded != 0 {
			t.Errorf("the deploy after it: %+v, want the rewritten manifest trusted", st)
		}
	})
	t.Run("object changed behind gen's back", func(t *testing.T) {
		// Same size, other bytes: the listing's ETag gives it away.
		if _, err := s.Put(context.Background(), "js/charts.js", []byte("console.log(2)"), Meta{SHA256: strings.Repeat("0", 64), ContentType: ContentType("x.js"), CacheControl: CacheShort}); err != nil {
			t.Fatal(err)
		}
		st := deploy(t, s, dir)
		if st.Uploaded != 1 {
			t.Errorf("deploy after an outside change: %+v, want 1 upload", st)
		}
		checkBucket(t, s, dir)
	})
	t.Run("foreign objects", func(t *testing.T) {
		ctx := context.Background()
		if _, err := s.Put(ctx, "hand-made.txt", []byte("别删"), Meta{ContentType: "text/plain"}); err != nil {
			t.Fatal(err)
		}
		st := deploy(t, s, dir)
		if st.Deleted != 0 || st.Foreign != 1 {
			t.Errorf("deploy beside a foreign object: %+v, want it left alone", st)
		}
		if _, err := s.Head(ctx, "hand-made.txt"); err != nil {
			t.Errorf("the foreign object: %v", err)
		}
		if _, err := s.Put(ctx, "robots.txt", []byte("手工"), Meta{ContentType: "text/plain"}); err != nil {
			t.Fatal(err)
		}
		_, err := Deploy(ctx, s, Options{Dir: dir})
		var ow *OverwriteError
		if !errors.As(err, &ow) || !slices.Equal(ow.Keys, []string{"robots.txt"}) {
			t.Fatalf("deploy over a foreign object: %v, want an OverwriteError naming robots.txt", err)
		}
		if _, err := Deploy(ctx, s, Options{Dir: dir, Overwrite: true}); err != nil {
			t.Fatal(err)
		}
	})
}

func TestDryRunChangesNothing(t *testing.T) {
	srv := startServer(t)
	s := open(t, srv.Endpoint, "s3://site")
	dir := writeSite(t, site)
	var out bytes.Buffer
	if _, err := Deploy(context.Background(), s, Options{Dir: dir, DryRun: true, Out: &out}); err != nil {
		t.Fatal(err)
	}
	if remote, err := s.List(context.Background()); err != nil || len(remote) != 0 {
		t.Fatalf("after a dry run the bucket holds %d objects (%v), want none", len(remote), err)
	}
	for _, want := range []string{"upload       16 B  css/site.8bbfb097.css\n", "plan: upload " + fmt.Sprint(len(site)) + " files"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("dry-run output lacks %q:\n%s", want, out.String())
		}
	}
	// Assets first, then pages, then feeds.
	lines := strings.Split(out.String(), "\n")
	idx := func(key string) int {
		return slices.IndexFunc(lines, func(l string) bool { return strings.HasSuffix(l, "  "+key) })
	}
	if !(idx("css/site.8bbfb097.css") < idx("index.html") && idx("index.html") < idx("atom.xml") && idx("news/a/index.html") < idx("data.json")) {
		t.Errorf("plan order wrong:\n%s", out.String())
	}
}

func TestServiceErrors(t *testing.T) {
	srv := startServer(t)
	dir := writeSite(t, site)
	t.Run("missing bucket", func(t *testing.T) {
		s := open(t, srv.Endpoint, "s3://no-such-bucket")
		_, err := Deploy(context.Background(), s, Options{Dir: dir})
		if !errors.Is(err, ErrNoBucket) || !strings.Contains(err.Error(), "no-such-bucket") {
			t.Errorf("deploy to a missing bucket: %v, want ErrNoBucket naming it", err)
		}
	})
	for _, c := range []struct{ name, key, value string }{
		{"wrong secret", "AWS_SECRET_ACCESS_KEY", "wrong"},
		{"unknown key", "AWS_ACCESS_KEY_ID", "nobody"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv(c.key, c.value)
			s := open(t, srv.Endpoint, "s3://site")
			_, err := Deploy(context.Background(), s, Options{Dir: dir})
			if !errors.Is(err, ErrCredentials) {
				t.Errorf("deploy with %s: %v, want ErrCredentials", c.name, err)
			}
		})
	}
}

// cutProxy forwards TCP connections to target until clients start their
// limit-th PUT request; then it closes every connection and refuses new
// ones, as a network that went away in the middle of an upload.
type cutProxy struct {
	l      net.Listener
	target string
	limit  int64
	puts   atomic.Int64
	mu     sync.Mutex
	conns  []net.Conn
	cut    atomic.Bool
}

func newCutProxy(t *testing.T, target string, limit int64) *cutProxy {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &cutProxy{l: l, target: target, limit: limit}
	t.Cleanup(func() { l.Close(); p.cutAll() })
	go p.serve()
	return p
}

func (p *cutProxy) serve() {
	for {
		c, err := p.l.Accept()
		if err != nil {
			return
		}
		if p.cut.Load() {
			c.Close()
			continue
		}
		s, err := net.Dial("tcp", p.target)
		if err != nil {
			c.Close()
			continue
		}
		p.mu.Lock()
		p.conns = append(p.conns, c, s)
		p.mu.Unlock()
		go io.Copy(c, s)
		go func() {
			buf := make([]byte, 4096)
			for {
				n, err := c.Read(buf)
				if n > 0 {
					if bytes.HasPrefix(buf[:n], []byte("PUT /")) && p.puts.Add(1) >= p.limit {
						p.cutAll()
						return
					}
					if _, err := s.Write(buf[:n]); err != nil {
						return
					}
				}
				if err != nil {
					s.Close()
					return
				}
			}
		}()
	}
}

func (p *cutProxy) cutAll() {
	p.cut.Store(true)
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	}
}

// TestConnectionCutThenRerun cuts the network at the 3rd PUT (among the
// assets) and at the 12th (among the pages).
func TestConnectionCutThenRerun(t *testing.T) {
	for _, cutAt := range []int64{3, 12} {
		t.Run(fmt.Sprint("PUT ", cutAt), func(t *testing.T) { testCut(t, cutAt) })
	}
}

func testCut(t *testing.T, cutAt int64) {
	srv := startServer(t)
	direct := open(t, srv.Endpoint, "s3://site")
	old := writeSite(t, site)
	deploy(t, direct, old)

	// The new site changes every page and asset and drops a story.
	next := map[string]string{}
	for k, v := range site {
		if k != "news/b/index.html" {
			next[k] = v + " v2"
		}
	}
	dir := writeSite(t, next)
	proxy := newCutProxy(t, strings.TrimPrefix(srv.Endpoint, "http://"), cutAt)
	cut := open(t, "http://"+proxy.l.Addr().String(), "s3://site")

	// A visitor reads the old pages all along: each read gets the old or
	// the new content, never an error or a mixture.
	ctx, stop := context.WithCancel(context.Background())
	var reads atomic.Int64
	failed := make(chan string, 1)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ctx.Err() == nil && i < 10000; i++ {
			for _, k := range []string{"index.html", "news/b/index.html", "css/site.8bbfb097.css", "news/a/index.html"} {
				b, err := direct.Get(context.Background(), k)
				if err != nil || string(b) != site[k] && string(b) != next[k] {
					select {
					case failed <- k + ": " + string(b) + " " + errString(err):
					default:
					}
					return
				}
				reads.Add(1)
			}
		}
	}()
	_, err := Deploy(context.Background(), cut, Options{Dir: dir, Workers: 2})
	if err == nil {
		t.Fatal("deploy through a cut connection succeeded; the cut came too late to test anything")
	}
	t.Logf("cut deploy: %v", err)
	if _, herr := direct.Head(context.Background(), "news/b/index.html"); herr != nil {
		t.Errorf("after the cut the story to delete is gone already: %v", herr)
	}
	stop()
	wg.Wait()
	select {
	case msg := <-failed:
		t.Errorf("a visitor met a broken object during the cut deploy: %s", msg)
	default:
	}
	if reads.Load() == 0 {
		t.Error("the visitor read nothing")
	}

	st := deploy(t, direct, dir)
	if st.Uploaded == 0 || st.Uploaded >= len(next) || st.Deleted != 1 {
		t.Errorf("rerun: %+v, want the rest of the uploads (fewer than %d) and 1 deletion", st, len(next))
	}
	checkBucket(t, direct, dir)
	if st := deploy(t, direct, dir); st.Uploaded != 0 || st.Heads != 0 {
		t.Errorf("after convergence: %+v, want nothing to do", st)
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func TestInterruptedDeployDeletesNothing(t *testing.T) {
	srv := startServer(t)
	s := open(t, srv.Endpoint, "s3://site")
	deploy(t, s, writeSite(t, site))
	next := maps.Clone(site)
	delete(next, "news/b/index.html")
	next["index.html"] += " v2"
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Deploy(ctx, s, Options{Dir: writeSite(t, next)}); !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted deploy: %v, want context.Canceled", err)
	}
	for _, k := range []string{"news/b/index.html", "index.html"} {
		if b, err := s.Get(context.Background(), k); err != nil || string(b) != site[k] {
			t.Errorf("%s after an interrupted deploy: %q, %v; want the old page", k, b, err)
		}
	}
}
