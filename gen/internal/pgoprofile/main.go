// Command pgoprofile writes gen/default.pgo (make pgo): CPU profiles of
// several cold builds of the benchmark corpus, merged. The go command
// builds gen with it automatically (profile-guided optimisation), which
// pays on make bench-site's cold build of 10,000 stories on tmpfs; refresh
// it after large changes to the build's hot paths.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"

	"gongjian/gen/internal/corpus"
)

func main() {
	n := flag.Int("n", 10000, "number of stories")
	runs := flag.Int("runs", 4, "builds to profile")
	out := flag.String("o", "gen/default.pgo", "merged profile to write")
	flag.Parse()
	log.SetFlags(0)

	dir, site, gen, err := corpus.Bench("gongjian-pgo-", *n)
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	var profiles []string
	for i := range *runs {
		prof := filepath.Join(dir, fmt.Sprintf("cpu%d.prof", i))
		public := filepath.Join(dir, fmt.Sprintf("public%d", i))
		cmd := exec.Command(gen, "build", "-q", "-cpuprofile", prof, "-src", site, "-out", public)
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		if err := cmd.Run(); err != nil {
			log.Fatalf("gen build: %v", err)
		}
		profiles = append(profiles, prof)
	}
	merged, err := exec.Command("go", append([]string{"tool", "pprof", "-proto"}, profiles...)...).Output()
	if err != nil {
		log.Fatalf("go tool pprof: %v", err)
	}
	if err := os.WriteFile(*out, merged, 0o644); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("wrote %s from %d profiled builds of %d stories\n", *out, *runs, *n)
}
