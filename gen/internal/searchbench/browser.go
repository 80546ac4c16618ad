package main

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"

	"gongjian/gen/search"
	"gongjian/gen/search/searchtest"
)

// queries are what residents might type, with and without spaces.
var queries = []string{"垃圾分类积分怎么兑换", "污水处理厂", "长者服务中心 食堂", "5433", "诉求办理",
	"水", "积分卡", "智能回收亭", "幸福食堂", "业委会物业", "小河变清", "党员中心户", "志愿者上门走访",
	"白浪路改造", "工业园区", "舞蹈队", "爱心积分超市兑换洗发水", "共同缔造第125期", "水电气暖", "科普"}

// runQueries serves the index with the real search page and runs each query
// in a fresh tab with an empty cache, so every query downloads what it
// needs; runs times each, keeping the fastest (the machine may be busy).
func runQueries(files []search.File, runs int, h2 bool) error {
	serve := searchtest.Serve
	if h2 {
		serve = searchtest.ServeHTTP2
	}
	srv, err := serve(".", files)
	if err != nil {
		return err
	}
	defer srv.Close()
	ctx, cancel, err := searchtest.Chrome(context.Background())
	if err != nil {
		return err
	}
	defer cancel()
	x, err := search.Open(func(p string) ([]byte, error) {
		i := slices.IndexFunc(files, func(f search.File) bool { return f.Path == p })
		if i < 0 {
			return nil, fmt.Errorf("%s: not found", p)
		}
		return files[i].Data, nil
	})
	if err != nil {
		return err
	}
	// One warm-up visit, so that Chromium's own start-up is not in the
	// first query's figures.
	if _, err := searchtest.Query(ctx, srv.URL, "科普", false); err != nil {
		return err
	}
	var kb, ms, done, cpu []float64
	fmt.Printf("\n%-24s %8s %9s %8s  %s\n", "query", "results", "fetched", "time", "first result")
	for _, q := range queries {
		var r *searchtest.Result
		for range max(1, runs) {
			ri, err := searchtest.Query(ctx, srv.URL, q, false)
			if err != nil {
				return err
			}
			if r == nil || ri.MS < r.MS {
				r = ri
			}
		}
		first := ""
		if len(r.URLs) > 0 {
			first = r.URLs[0]
		}
		note := ""
		hits, n, err := x.Search(q, 10)
		if err != nil {
			return err
		}
		var want []string
		for _, h := range hits {
			want = append(want, h.URL)
		}
		if !slices.Equal(want, r.URLs) || n != r.N {
			note = fmt.Sprintf("  DIFFERS from the Go reference: %d %q", n, want)
		}
		for _, u := range r.Requests {
			if !strings.HasPrefix(u, srv.URL+"/") {
				note += "  REQUEST TO ANOTHER HOST: " + u
			}
		}
		if len(r.Failed)+len(r.Console) > 0 {
			note += fmt.Sprintf("  failed %q console %q", r.Failed, r.Console)
		}
		kb = append(kb, float64(r.Bytes)/1024)
		ms = append(ms, r.MS)
		done = append(done, r.Done)
		cpu = append(cpu, r.Laps["rank"]+r.Laps["render"])
		fmt.Printf("%-*s %8d %7.1fKB %6.1fms  (shards %.0f, rank %.0f, docs %.0f, render %.0f; snippets at %.0f)  %s%s\n", 24-(len(q)-len([]rune(q)))/2, q, r.N,
			float64(r.Bytes)/1024, r.MS, r.Laps["shards"], r.Laps["rank"], r.Laps["docs"], r.Laps["render"], r.Done, first, note)
	}
	// Typed one character at a time, the last search reuses what the
	// prefixes fetched.
	var typed []float64
	for _, q := range queries {
		best := 0.0
		for i := range max(1, runs) {
			ms, _, err := searchtest.Type(ctx, srv.URL, q)
			if err != nil {
				return err
			}
			if i == 0 || ms < best {
				best = ms
			}
		}
		typed = append(typed, best)
	}

	fmt.Printf("\nfetched per query: median %.1f KB, max %.1f KB (target at most 300 KB)\n", median(kb), slices.Max(kb))
	fmt.Printf("query time in the page, from submit to results (titles) in the DOM: p50 %.1f ms, p95 %.1f ms, max %.1f ms (target at most 50 ms)\n",
		percentile(ms, 0.5), percentile(ms, 0.95), slices.Max(ms))
	fmt.Printf("  and to the snippets from the document chunks too: p50 %.1f ms, p95 %.1f ms, max %.1f ms\n",
		percentile(done, 0.5), percentile(done, 0.95), slices.Max(done))
	fmt.Printf("  of which computing (rank + render, no waiting for the network): p50 %.1f ms, p95 %.1f ms, max %.1f ms\n",
		percentile(cpu, 0.5), percentile(cpu, 0.95), slices.Max(cpu))
	fmt.Printf("typed one character at a time, the last search: p50 %.1f ms, p95 %.1f ms, max %.1f ms\n",
		percentile(typed, 0.5), percentile(typed, 0.95), slices.Max(typed))
	proto := "HTTP/1.1"
	if h2 {
		proto = "HTTP/2 over TLS"
	}
	fmt.Printf("  (%s on localhost; fresh tab and empty cache per query, best of %d; meta.json loads with the page; load average now %s)\n", proto, runs, loadavg())
	return nil
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
