// Command servebench measures gen serve on the 10,000-story bench corpus
// (make bench-serve): the time from a story file's write to the reload event
// for its page, over a series of edits, as p50 and p95.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"gongjian/gen/internal/corpus"
)

func main() {
	n := flag.Int("n", 10000, "number of stories in the corpus")
	edits := flag.Int("edits", 30, "number of story edits to time")
	flag.Parse()
	log.SetFlags(0)

	dir, site, gen, err := corpus.Bench("gongjian-servebench-", *n)
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	cmd := exec.Command(gen, "serve", "-src", site, "-addr", "127.0.0.1:0")
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		log.Fatal(err)
	}
	defer func() {
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
	}()
	lines := bufio.NewScanner(stdout)
	var url string
	re := regexp.MustCompile(`serving (http://\S+/)`)
	for lines.Scan() {
		if m := re.FindStringSubmatch(lines.Text()); m != nil {
			url = m[1]
			break
		}
	}
	if url == "" {
		log.Fatal("gen serve printed no address")
	}
	fmt.Printf("serve: %d stories, first build and listening after %.2f s\n", *n, time.Since(start).Seconds())
	go io.Copy(io.Discard, stdout)

	resp, err := http.Get(url + "_gen/events")
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	reloads := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(make([]byte, 1<<20), 64<<20)
		name := ""
		for sc.Scan() {
			line := sc.Text()
			if strings.HasPrefix(line, "event: ") {
				name = strings.TrimPrefix(line, "event: ")
			} else if strings.HasPrefix(line, "data: ") && name == "reload" {
				reloads <- line
			}
		}
		close(reloads)
	}()
	time.Sleep(200 * time.Millisecond)

	var lat []time.Duration
	for i := range *edits {
		k := (i * 337) % *n
		file := filepath.Join(site, "content", "news", fmt.Sprintf("story-%05d.md", k))
		src, err := os.ReadFile(file)
		if err != nil {
			log.Fatal(err)
		}
		src = append(src, []byte(fmt.Sprintf("\n第%d次修改：编辑补充了一句话。\n", i))...)
		want := fmt.Sprintf(`"/news/story-%05d/"`, k)
		t0 := time.Now()
		if err := os.WriteFile(file, src, 0o644); err != nil {
			log.Fatal(err)
		}
		for ev := range reloads {
			if strings.Contains(ev, want) {
				break
			}
		}
		lat = append(lat, time.Since(t0))
		time.Sleep(150 * time.Millisecond)
	}
	slices.Sort(lat)
	p := func(q float64) time.Duration { return lat[int(q*float64(len(lat)-1)+0.5)] }
	fmt.Printf("serve: story write → reload event over %d edits: p50 %.1f ms  p95 %.1f ms  max %.1f ms (target p50 <= 50 ms)\n",
		len(lat), ms(p(0.5)), ms(p(0.95)), ms(lat[len(lat)-1]))
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
