package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"gongjian/gen/search"
)

func main() {
	n := flag.Int("n", 10000, "number of stories")
	browser := flag.Bool("browser", true, "run the queries in Chromium")
	h2 := flag.Bool("h2", false, "serve over HTTP/2 (TLS) instead of HTTP/1.1")
	runs := flag.Int("runs", 3, "times to run each query (the fastest is reported)")
	flag.Parse()
	log.SetFlags(0)

	dir, err := os.MkdirTemp("", "gongjian-searchbench-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	docs, err := corpusDocs(filepath.Join(dir, "site"), *n)
	if err != nil {
		log.Fatal(err)
	}
	var textBytes int
	for _, d := range docs {
		textBytes += len(d.Text) + len(d.Title) + len(d.Summary)
	}
	fmt.Printf("search index: %d documents, %.1f MB of text\n", len(docs), float64(textBytes)/1e6)

	runtime.GC()
	hwm0 := peakRSS()
	files, stats := timeBuild(docs)
	hwm1 := peakRSS()
	var total, shards, chunks, biggest int
	var biggestName string
	for _, f := range files {
		total += len(f.Data)
		switch {
		case strings.Contains(f.Path, "shard-"):
			shards++
		case strings.Contains(f.Path, "docs-"):
			chunks++
		}
		if len(f.Data) > biggest {
			biggest, biggestName = len(f.Data), f.Path
		}
	}
	fmt.Printf("Build: %s\n", stats)
	fmt.Printf("peak RSS: %d MiB with the documents loaded, %d MiB after building (Build adds at most %d MiB)\n", hwm0>>10, hwm1>>10, (hwm1-hwm0)>>10)
	fmt.Printf("index: %d files, %.1f MB (%d postings shards, %d document chunks; largest %s %.1f KB)\n",
		len(files), float64(total)/1e6, shards, chunks, biggestName, float64(biggest)/1024)

	if !*browser {
		return
	}
	if err := runQueries(files, *runs, *h2); err != nil {
		log.Fatal(err)
	}
}

// timeBuild runs Build a few times and reports the best time and the heap
// it allocates.
func timeBuild(docs []search.Doc) ([]search.File, string) {
	var files []search.File
	var best time.Duration
	var alloc, peak uint64
	for i := range 3 {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		start := time.Now()
		f, err := search.Build(docs)
		el := time.Since(start)
		if err != nil {
			log.Fatal(err)
		}
		runtime.ReadMemStats(&after)
		if i == 0 || el < best {
			best = el
		}
		alloc = after.TotalAlloc - before.TotalAlloc
		peak = max(peak, after.HeapInuse)
		files = f
	}
	return files, fmt.Sprintf("best of 3 %v, %.0f MB allocated per run, heap in use after %.0f MB (GOMAXPROCS %d)",
		best.Round(time.Millisecond), float64(alloc)/1e6, float64(peak)/1e6, runtime.GOMAXPROCS(0))
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	return s[len(s)/2]
}

func percentile(xs []float64, p float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	return s[min(len(s)-1, int(p*float64(len(s))))]
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
