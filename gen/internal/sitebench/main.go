// Command sitebench measures gen build on a synthetic corpus of Chinese
// stories (make bench-site): a cold build and a build with no change, wall
// time, pages per second and peak RSS; and, when hugo is on PATH, Hugo on the
// same stories in the same run, with our time as a ratio of Hugo's.
package main

import (
	"flag"
	"fmt"
	"io/fs"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"gongjian/gen/internal/corpus"
)

func main() {
	n := flag.Int("n", 10000, "number of stories")
	runs := flag.Int("runs", 3, "warm builds to time (the best is reported)")
	keep := flag.Bool("keep", false, "keep the corpus folder")
	flag.Parse()
	log.SetFlags(0)

	dir, err := os.MkdirTemp("", "gongjian-bench-")
	if err != nil {
		log.Fatal(err)
	}
	if !*keep {
		defer os.RemoveAll(dir)
	}
	site, gen, err := corpus.Bench(dir, *n)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("site build: %d stories of about 3 KB Chinese Markdown (corpus in %s)\n", *n, dir)

	genArgs := []string{"build", "-q", "-src", site, "-out", filepath.Join(dir, "public")}
	cold := run(gen, genArgs...)
	warm := best(*runs, func() result { return run(gen, genArgs...) })
	pages := countFiles(filepath.Join(dir, "public"), ".html")
	report("gen  cold", cold, pages)
	report("gen  warm", warm, pages)

	hugo, err := exec.LookPath("hugo")
	if err != nil {
		if home, herr := os.UserHomeDir(); herr == nil {
			if p := filepath.Join(home, "go", "bin", "hugo"); fileExists(p) {
				hugo, err = p, nil
			}
		}
	}
	if err != nil {
		fmt.Println("hugo: not on PATH, no comparison (go install github.com/gohugoio/hugo@v0.152.2)")
		return
	}
	hsite := filepath.Join(dir, "hugo")
	if err := writeHugoSite(site, hsite); err != nil {
		log.Fatal(err)
	}
	hugoArgs := []string{"--quiet", "--source", hsite, "--destination", filepath.Join(dir, "hugo-public")}
	hcold := run(hugo, hugoArgs...)
	hwarm := best(*runs, func() result { return run(hugo, hugoArgs...) })
	hpages := countFiles(filepath.Join(dir, "hugo-public"), ".html")
	report("hugo cold", hcold, hpages)
	report("hugo warm", hwarm, hpages)
	fmt.Printf("ratio cold: gen takes %.2f of Hugo's wall time (target at most 0.33)\n", cold.wall.Seconds()/hcold.wall.Seconds())
	fmt.Printf("ratio warm: gen takes %.2f of Hugo's wall time\n", warm.wall.Seconds()/hwarm.wall.Seconds())
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

func report(label string, r result, pages int) {
	fmt.Printf("%s: %7.3f s  %7.0f pages/s  peak RSS %4d MiB  (%d pages)\n",
		label, r.wall.Seconds(), float64(pages)/r.wall.Seconds(), r.maxKB/1024, pages)
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
