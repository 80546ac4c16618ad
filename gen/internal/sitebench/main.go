// Command sitebench measures gen build on a synthetic corpus of Chinese
// stories (make bench-site): cold builds (three by default, the median
// reported with the range) and a build with no change, wall time, pages per
// second and peak RSS; and, when hugo is on PATH, Hugo on the same stories in
// the same run, its cold builds taking turns with ours, with our time as a
// ratio of Hugo's.
package main

import (
	"cmp"
	"flag"
	"fmt"
	"io/fs"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"gongjian/gen/internal/corpus"
)

func main() {
	n := flag.Int("n", 10000, "number of stories")
	colds := flag.Int("cold", 3, "cold builds of each tool, interleaved (the median is reported)")
	runs := flag.Int("runs", 3, "builds with no change to time (the best is reported)")
	keep := flag.Bool("keep", false, "keep the corpus folder")
	flag.Parse()
	log.SetFlags(0)

	dir, site, gen, err := corpus.Bench("gongjian-bench-", *n)
	if err != nil {
		log.Fatal(err)
	}
	if !*keep {
		defer os.RemoveAll(dir)
	}
	fmt.Printf("site build: %d stories of about 3 KB Chinese Markdown (corpus in %s)\n", *n, dir)

	hugo := findHugo()
	hsite := filepath.Join(dir, "hugo")
	if hugo != "" {
		if err := writeHugoSite(site, hsite); err != nil {
			log.Fatal(err)
		}
	}
	genArgs := func(out string) []string { return []string{"build", "-q", "-src", site, "-out", out} }
	hugoArgs := func(out string) []string { return []string{"--quiet", "--source", hsite, "--destination", out} }

	// Cold builds go to new folders, the two tools taking turns, and
	// nothing is deleted until the end: on ext4 without a journal (as
	// here), creating files right after a large tree was deleted costs
	// several times more, which would punish whichever tool came next.
	var cold, hcold []result
	var public, hpublic string
	for i := range *colds {
		public = filepath.Join(dir, fmt.Sprintf("public-%d", i))
		cold = append(cold, run(gen, genArgs(public)...))
		if hugo != "" {
			hpublic = filepath.Join(dir, fmt.Sprintf("hugo-public-%d", i))
			hcold = append(hcold, run(hugo, hugoArgs(hpublic)...))
		}
	}
	warm := best(*runs, func() result { return run(gen, genArgs(public)...) })
	pages := countFiles(public, ".html")
	report("gen  cold", cold, pages)
	report("gen  warm", []result{warm}, pages)
	if hugo == "" {
		fmt.Println("hugo: not on PATH, no comparison (go install github.com/gohugoio/hugo@v0.152.2)")
		return
	}
	hwarm := best(*runs, func() result { return run(hugo, hugoArgs(hpublic)...) })
	hpages := countFiles(hpublic, ".html")
	report("hugo cold", hcold, hpages)
	report("hugo warm", []result{hwarm}, hpages)
	fmt.Printf("ratio cold: gen takes %.2f of Hugo's wall time, medians of %d (target at most 0.33)\n",
		median(cold).wall.Seconds()/median(hcold).wall.Seconds(), *colds)
	fmt.Printf("ratio warm: gen takes %.2f of Hugo's wall time\n", warm.wall.Seconds()/hwarm.wall.Seconds())
}

// findHugo looks for hugo on PATH, then where go install puts it; "" if
// it is in neither.
func findHugo() string {
	if p, err := exec.LookPath("hugo"); err == nil {
		return p
	}
	if home, err := os.UserHomeDir(); err == nil {
		if p := filepath.Join(home, "go", "bin", "hugo"); fileExists(p) {
			return p
		}
	}
	return ""
}

type result struct {
	wall  time.Duration
	maxKB int64
}

func run(name string, args ...string) result {
	// Start each build with no dirty pages left by the one before, so that
	// neither tool pays for the other's writeback.
	syscall.Sync()
	cmd := exec.Command(name, args...)
	cmd.Stderr = os.Stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		log.Fatalf("%s %s: %v", name, strings.Join(args, " "), err)
	}
	r := result{wall: time.Since(start)}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.maxKB = ru.Maxrss
	}
	return r
}

func best(n int, f func() result) result {
	var b result
	for i := range n {
		r := f()
		if i == 0 || r.wall < b.wall {
			b.wall = r.wall
		}
		b.maxKB = max(b.maxKB, r.maxKB)
	}
	return b
}

// report prints the median wall time of rs, its range when there are
// several, and the highest peak RSS.
func report(label string, rs []result, pages int) {
	m := median(rs)
	var maxKB int64
	lo, hi := rs[0].wall, rs[0].wall
	for _, r := range rs {
		maxKB = max(maxKB, r.maxKB)
		lo, hi = min(lo, r.wall), max(hi, r.wall)
	}
	spread := ""
	if len(rs) > 1 {
		spread = fmt.Sprintf("  (median of %d: %.3f-%.3f s)", len(rs), lo.Seconds(), hi.Seconds())
	}
	fmt.Printf("%s: %7.3f s  %7.0f pages/s  peak RSS %4d MiB  %d pages%s\n",
		label, m.wall.Seconds(), float64(pages)/m.wall.Seconds(), maxKB/1024, pages, spread)
}

// median is the result with the median wall time (the lower middle one
// of an even number).
func median(rs []result) result {
	s := slices.Clone(rs)
	slices.SortFunc(s, func(a, b result) int { return cmp.Compare(a.wall, b.wall) })
	return s[(len(s)-1)/2]
}

func countFiles(dir, ext string) int {
	n := 0
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ext) {
			n++
		}
		return nil
	})
	return n
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
