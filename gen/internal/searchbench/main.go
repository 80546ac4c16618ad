package main

import (
	"context"
	_ "embed"
	"flag"
	"fmt"
	"log"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"gongjian/gen/search"
	"gongjian/gen/search/searchtest"
)

//go:embed queries.txt
var queriesTxt string

//go:embed example.txt
var exampleTxt string

func main() {
	n := flag.Int("n", 10000, "number of stories")
	browser := flag.Bool("browser", true, "run the queries in Chromium")
	example := flag.Bool("example", true, "also run example.txt on the example site (run from the repository root)")
	pf := flag.String("pagefind", os.Getenv("PAGEFIND"), "Pagefind binary for the column beside ours (default: pagefind on PATH or in node_modules/.bin)")
	flag.Parse()
	log.SetFlags(0)

	docs := benchDocs(*n)
	qs, err := loadQueries("queries.txt", queriesTxt, docs)
	if err != nil {
		log.Fatal(err)
	}
	var textBytes int
	for _, d := range docs {
		textBytes += len(d.Text) + len(d.Title) + len(d.Summary)
	}
	fmt.Printf("corpus: %d documents, %.1f MB of text; %d queries\n", len(docs), float64(textBytes)/1e6, len(qs))

	runtime.GC()
	hwm0 := peakRSS()
	files, buildTime := timeBuild(docs)
	hwm1 := peakRSS()
	ours := &column{name: "gen", build: fmt.Sprintf("%.2f s, +%d MB RSS", buildTime.Seconds(), (hwm1-hwm0)>>10)}
	byKind := map[string][2]int{}
	for _, f := range files {
		ours.size += len(f.Data)
		k, _, _ := strings.Cut(strings.TrimPrefix(f.Path, search.Dir), "-")
		byKind[k] = [2]int{byKind[k][0] + 1, byKind[k][1] + len(f.Data)}
	}
	ours.files = len(files)
	fmt.Printf("index files:")
	for _, k := range slices.Sorted(maps.Keys(byKind)) {
		fmt.Printf(" %s %d (%.1f MB)", k, byKind[k][0], float64(byKind[k][1])/1e6)
	}
	fmt.Println()

	x, err := search.Open(memFetch(files))
	if err != nil {
		log.Fatal(err)
	}
	// The Go reference first: the expectations, without a browser.
	for _, q := range qs {
		a, err := x.Query(q.text, 10)
		if err != nil {
			log.Fatal(err)
		}
		o := outcome{urls: hitURLs(a.Hits), n: a.N, unknown: a.Unknown}
		ok, why := q.check(o)
		ours.record(q, ok, why, o)
	}
	cols := []*column{ours}

	if *browser {
		ctx, cancel, err := searchtest.Chrome(context.Background())
		if err != nil {
			log.Fatal(err)
		}
		defer cancel()
		if err := ours.runBrowser(ctx, files, qs); err != nil {
			log.Fatal(err)
		}
		if bin := findPagefind(*pf); bin == "" {
			fmt.Println("\nPagefind: not installed, its column is left out (npm install pagefind@1.6.0, or -pagefind PATH)")
		} else if col, err := runPagefind(ctx, bin, docs, qs); err != nil {
			fmt.Printf("\nPagefind (%s): %v\n", bin, err)
		} else {
			cols = append(cols, col)
		}
	}
	printTable(cols, qs)

	if *example {
		if err := runExample(); err != nil {
			log.Fatal(err)
		}
	}
}

var verbose = flag.Bool("v", false, "print each query's bytes and requests")

// column is one search engine's figures.
type column struct {
	name        string
	build       string
	size, files int
	kb, ms      []float64 // per query, cold
	warm        []float64 // per query, again in the same tab
	noneKB      []float64 // cold bytes of the queries that should find nothing
	pass        map[string]int
	fails       []string
}

func (c *column) record(q query, ok bool, why string, o outcome) {
	if c.pass == nil {
		c.pass = map[string]int{}
	}
	if ok {
		c.pass[q.kind]++
	} else {
		c.fails = append(c.fails, fmt.Sprintf("%s %q: %s", q.kind, q.text, why))
	}
}

// runBrowser runs each query in a fresh tab with an empty cache (cold),
// checking the page's answer against the Go reference's, then all of them
// again in one tab (warm).
func (c *column) runBrowser(ctx context.Context, files []search.File, qs []query) error {
	srv, err := searchtest.Serve(".", files)
	if err != nil {
		return err
	}
	defer srv.Close()
	x, err := search.Open(memFetch(files))
	if err != nil {
		return err
	}
	// A warm-up visit, so that Chromium's own start is not in the figures.
	if _, err := searchtest.Query(ctx, srv.URL, "水", false); err != nil {
		return err
	}
	for _, q := range qs {
		r, err := searchtest.Query(ctx, srv.URL, q.text, false)
		if err != nil {
			return err
		}
		a, err := x.Query(q.text, 10)
		if err != nil {
			return err
		}
		if want := hitURLs(a.Hits); !slices.Equal(r.URLs, want) || r.N != a.N {
			c.fails = append(c.fails, fmt.Sprintf("%q: the page shows %d %q, the Go reference %d %q", q.text, r.N, r.URLs, a.N, want))
		}
		for _, u := range r.Requests {
			if !strings.HasPrefix(u, srv.URL+"/") {
				c.fails = append(c.fails, fmt.Sprintf("%q: request to another host %s", q.text, u))
			}
		}
		if *verbose {
			var shards, chunks, texts int
			for _, u := range r.Requests {
				switch {
				case strings.Contains(u, "/shard-"):
					shards++
				case strings.Contains(u, "/docs-"):
					chunks++
				case strings.Contains(u, "/text-"):
					texts++
				}
			}
			fmt.Printf("  %-8s %6d results %7.1f KB (%d shards, %d chunks, %d texts) %6.0f ms  %s\n",
				q.kind, r.N, float64(r.Bytes)/1024, shards, chunks, texts, r.MS, q.text)
		}
		c.kb = append(c.kb, float64(r.Bytes)/1024)
		c.ms = append(c.ms, r.MS)
		if q.kind == "none" {
			c.noneKB = append(c.noneKB, float64(r.Bytes)/1024)
		}
	}
	texts := make([]string, len(qs))
	for i, q := range qs {
		texts[i] = q.text
	}
	// Warm: every query twice in one tab, timing the second pass, when
	// every file is in the cache.
	rs, err := searchtest.Queries(ctx, srv.URL, append(texts, texts...))
	if err != nil {
		return err
	}
	for i, r := range rs[len(texts):] {
		c.warm = append(c.warm, r.MS)
		if *verbose {
			fmt.Printf("  warm %-8s %6.1f ms %s  %s\n", qs[i].kind, r.MS, laps(r.Laps), qs[i].text)
		}
	}
	return nil
}

// laps lists where a query's time went, in the page's order.
func laps(l map[string]float64) string {
	var b strings.Builder
	for _, k := range []string{"shards", "rank", "verify", "docs", "render"} {
		if v, ok := l[k]; ok {
			fmt.Fprintf(&b, " %s %.1f", k, v)
		}
	}
	return b.String()
}

func printTable(cols []*column, qs []query) {
	kinds := []string{}
	total := map[string]int{}
	for _, q := range qs {
		if total[q.kind] == 0 {
			kinds = append(kinds, q.kind)
		}
		total[q.kind]++
	}
	fmt.Printf("\n%-44s", "")
	for _, c := range cols {
		fmt.Printf(" | %-26s", c.name)
	}
	fmt.Println()
	row := func(label string, f func(c *column) string) {
		fmt.Printf("%-*s", 44+len(label)-len([]rune(label)), label)
		for _, c := range cols {
			fmt.Printf(" | %-26s", f(c))
		}
		fmt.Println()
	}
	row("index build", func(c *column) string { return c.build })
	row("index on disk / files", func(c *column) string {
		return fmt.Sprintf("%.1f MB / %d", float64(c.size)/1e6, c.files)
	})
	row("KB per cold query, median / max", func(c *column) string {
		if len(c.kb) == 0 {
			return "-"
		}
		return fmt.Sprintf("%.1f / %.1f", percentile(c.kb, 0.5), slices.Max(c.kb))
	})
	row("submit → results cold ms, median / p95", func(c *column) string {
		if len(c.ms) == 0 {
			return "-"
		}
		return fmt.Sprintf("%.0f / %.0f", percentile(c.ms, 0.5), percentile(c.ms, 0.95))
	})
	row("warm ms, median / p95 (target p95 ≤ 50)", func(c *column) string {
		if len(c.warm) == 0 {
			return "-"
		}
		return fmt.Sprintf("%.0f / %.0f", percentile(c.warm, 0.5), percentile(c.warm, 0.95))
	})
	for _, k := range kinds {
		row(kindLabels[k], func(c *column) string { return fmt.Sprintf("%d/%d", c.pass[k], total[k]) })
	}
	row("KB for a query with no results", func(c *column) string {
		if len(c.noneKB) == 0 {
			return "-"
		}
		return fmt.Sprintf("%.1f–%.1f", slices.Min(c.noneKB), slices.Max(c.noneKB))
	})
	fmt.Printf("(bytes: ours as the page's resource timings give them, headers included; Pagefind's response bodies counted by the server, since it fetches from a Web Worker. Load average now %s)\n", loadavg())
	for _, c := range cols {
		for _, f := range c.fails {
			fmt.Printf("%s: %s\n", c.name, f)
		}
	}
}

var kindLabels = map[string]string{
	"words":  "words: expected result",
	"long":   "long query without spaces",
	"phrase": "phrase from a story's body: that story top-1",
	"quoted": "quoted phrase: exactly that story",
	"typo":   "typo or traditional characters",
	"latin":  "Latin or digits with Chinese",
	"none":   "should find nothing",
}

// runExample builds the example site with gen and runs example.txt on its
// index, with the Go reference (which the browser tests hold equal to the
// page).
func runExample() error {
	dir, err := os.MkdirTemp("", "gongjian-searchbench-site-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	out := filepath.Join(dir, "public")
	if b, err := exec.Command("go", "run", "./gen", "build", "-q", "-src", ".", "-out", out).CombinedOutput(); err != nil {
		return fmt.Errorf("building the example site: %v\n%s", err, b)
	}
	x, err := search.Open(func(p string) ([]byte, error) { return os.ReadFile(filepath.Join(out, p)) })
	if err != nil {
		return err
	}
	qs, err := loadQueries("example.txt", exampleTxt, nil)
	if err != nil {
		return err
	}
	pass := 0
	var fails []string
	for _, q := range qs {
		a, err := x.Query(q.text, 10)
		if err != nil {
			return err
		}
		if ok, why := q.check(outcome{urls: hitURLs(a.Hits), n: a.N, unknown: a.Unknown}); ok {
			pass++
		} else {
			fails = append(fails, fmt.Sprintf("  %q: %s", q.text, why))
		}
	}
	fmt.Printf("\nexample site: %d/%d queries of example.txt as expected\n", pass, len(qs))
	for _, f := range fails {
		fmt.Println(f)
	}
	return nil
}

func memFetch(files []search.File) func(string) ([]byte, error) {
	m := map[string][]byte{}
	for _, f := range files {
		m[f.Path] = f.Data
	}
	return func(p string) ([]byte, error) {
		b, ok := m[p]
		if !ok {
			return nil, fmt.Errorf("%s: not found", p)
		}
		return b, nil
	}
}

func hitURLs(hits []search.Hit) []string {
	var u []string
	for _, h := range hits {
		u = append(u, h.URL)
	}
	return u
}

// timeBuild runs Build three times and reports the best time.
func timeBuild(docs []search.Doc) ([]search.File, time.Duration) {
	var files []search.File
	var best time.Duration
	for i := range 3 {
		runtime.GC()
		start := time.Now()
		f, err := search.Build(docs)
		el := time.Since(start)
		if err != nil {
			log.Fatal(err)
		}
		if i == 0 || el < best {
			best = el
		}
		files = f
	}
	return files, best
}

func percentile(xs []float64, p float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	return s[min(len(s)-1, int(p*float64(len(s))))]
}

// loadavg is the first field of /proc/loadavg: the figures above mean little
// on a machine busy with other work.
func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	return strings.Fields(string(b))[0]
}

// peakRSS is the process's peak resident set (VmHWM) in KiB.
func peakRSS() int {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			var kb int
			fmt.Sscan(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), &kb)
			return kb
		}
	}
	return 0
}
