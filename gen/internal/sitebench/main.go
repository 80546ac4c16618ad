// Command sitebench measures gen build on synthetic corpora of Chinese
// stories (make bench-site): for each size, cold builds, builds with no
// change and builds after one story changed, with wall time, CPU time (user+sys), peak RSS and pages per
// second, and how each grows from one size to the next. A second gen (built
// from another git revision with -base, or a prebuilt binary with -gen2)
// and Hugo, when it is on PATH, are measured in the same run, every tool
// taking its turn in each round, and compared by the medians.
package main

import (
	"cmp"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"gongjian/gen/internal/corpus"
)

// largeSize is the size -large adds: it takes minutes.
const largeSize = 100000

func main() {
	log.SetFlags(0)
	if err := run(os.Args[1:]); err != nil {
		log.Fatalf("sitebench: %v", err)
	}
}

func run(args []string) (err error) {
	fl := flag.NewFlagSet("sitebench", flag.ContinueOnError)
	sizesFlag := fl.String("n", "1000,10000", "numbers of stories, comma-separated")
	large := fl.Bool("large", os.Getenv("GONGJIAN_BENCH_LARGE") != "", "also build 100,000 stories (takes minutes; or set GONGJIAN_BENCH_LARGE=1)")
	colds := fl.Int("cold", 3, "cold builds of each tool, taking turns (the median is reported)")
	warms := fl.Int("runs", 3, "builds with no change of each tool, taking turns (the median is reported; 0: none)")
	edits := fl.Int("edits", 3, "builds after one story changed, of each tool, taking turns (the median is reported; 0: none)")
	genPath := fl.String("gen", "", "gen `binary` to measure (default: built from this tree)")
	base := fl.String("base", "", "also measure gen built from this git `revision` (A/B)")
	gen2 := fl.String("gen2", "", "also measure this prebuilt gen `binary` (A/B)")
	env2 := fl.String("env2", "", "environment of the second gen, space-separated `K=V` pairs, e.g. GOMEMLIMIT=1GiB (alone: the first gen again with it)")
	var also []*tool
	fl.Func("also", "also measure the gen `LABEL=PATH[,K=V...]`, with environment K=V (repeatable: several variants in one run)", func(v string) error {
		t, err := parseAlso(v)
		if err == nil {
			also = append(also, t)
		}
		return err
	})
	noHugo := fl.Bool("nohugo", false, "leave Hugo out even when it is on PATH")
	keep := fl.Bool("keep", false, "keep the corpus folders")
	if err := fl.Parse(args); err != nil {
		return err
	}
	sizes, err := parseSizes(*sizesFlag)
	if err != nil {
		return err
	}
	if *colds < 1 || *warms < 0 || *edits < 0 {
		return fmt.Errorf("-cold %d -runs %d: want at least one cold build and no negative number of builds with no change", *colds, *warms)
	}
	if *large && !slices.Contains(sizes, largeSize) {
		sizes = append(sizes, largeSize)
	}
	if *base != "" && *gen2 != "" {
		return errors.New("-base and -gen2 both name the second gen; give one")
	}

	work, err := os.MkdirTemp("", "gongjian-bench-")
	if err != nil {
		return err
	}
	defer func() {
		if *keep {
			fmt.Printf("kept %s\n", work)
			return
		}
		if rerr := os.RemoveAll(work); err == nil {
			err = rerr
		}
	}()

	var tools []*tool
	first := &tool{label: "gen", path: *genPath, what: *genPath}
	if first.path == "" {
		first.path, first.what = filepath.Join(work, "gen"), "gen of this tree"
		if err := corpus.BuildGen(first.path, "."); err != nil {
			return err
		}
	}
	tools = append(tools, first)
	var second *tool
	switch {
	case *base != "":
		src := filepath.Join(work, "base-src")
		second = &tool{label: "base", path: filepath.Join(work, "gen-base"), theme: filepath.Join(src, "themes", "default")}
		if second.what, err = buildRevision(*base, second.path, src); err != nil {
			return err
		}
	case *gen2 != "":
		second = &tool{label: "gen2", path: *gen2, what: *gen2}
	case *env2 != "":
		second = &tool{label: "gen2", path: first.path, what: first.what}
	}
	if second != nil {
		second.env = strings.Fields(*env2)
		if len(second.env) > 0 {
			second.what += " with " + strings.Join(second.env, " ")
		}
		tools = append(tools, second)
	}
	tools = append(tools, also...)
	var hugo *tool
	if !*noHugo {
		if p := findHugo(); p != "" {
			hugo = &tool{label: "hugo", path: p, what: p, hugo: true}
			tools = append(tools, hugo)
		}
	}
	for _, t := range tools {
		fmt.Printf("%-9s = %s\n", t.label, t.what)
	}
	if hugo == nil && !*noHugo {
		fmt.Println("hugo: not on PATH, not measured; at 10,000 and 100,000 stories its figures are quoted from issue 18 (go install github.com/gohugoio/hugo@v0.152.2 to measure it)")
	}

	var all []sizeResult
	for _, n := range sizes {
		sr, err := benchSize(work, n, tools, *colds, *warms, *edits)
		if err != nil {
			return err
		}
		all = append(all, sr)
		sr.print(first, second, also, hugo)
	}
	printGrowth(all, tools)
	return nil
}

// tool is one site generator under test.
type tool struct {
	label, path, what string
	env               []string // added to the environment
	hugo              bool
	// theme, when set, is the default theme the tool builds with instead of
	// this tree's: a gen of another revision gets that revision's theme,
	// whose templates call the functions that gen has.
	theme string
}

func (t *tool) args(site, out string) []string {
	if t.hugo {
		return []string{"--quiet", "--source", filepath.Join(filepath.Dir(site), "hugo"), "--destination", out}
	}
	return []string{"build", "-q", "-src", site, "-out", out}
}

// parseAlso reads LABEL=PATH[,K=V...].
func parseAlso(v string) (*tool, error) {
	fields := strings.Split(v, ",")
	label, path, ok := strings.Cut(fields[0], "=")
	if !ok || label == "" || path == "" || strings.ContainsAny(label, "/ ") {
		return nil, fmt.Errorf("%q: want LABEL=PATH[,K=V...], a label without / or spaces", v)
	}
	t := &tool{label: label, path: path, what: path}
	for _, kv := range fields[1:] {
		if k, _, ok := strings.Cut(kv, "="); !ok || k == "" {
			return nil, fmt.Errorf("%q: environment %q is not K=V", v, kv)
		}
		t.env = append(t.env, kv)
	}
	if len(t.env) > 0 {
		t.what += " with " + strings.Join(t.env, " ")
	}
	return t, nil
}

func parseSizes(s string) ([]int, error) {
	var sizes []int
	for f := range strings.SplitSeq(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("-n %q: want positive numbers of stories separated by commas", s)
		}
		sizes = append(sizes, n)
	}
	return sizes, nil
}

// buildRevision builds gen as the git revision rev has it (its
// default.pgo included) into out, from a copy of that tree at src, and
// describes it.
func buildRevision(rev, out, src string) (string, error) {
	hash, err := exec.Command("git", "rev-parse", "--verify", rev+"^{commit}").Output()
	if err != nil {
		return "", fmt.Errorf("-base %s: not a commit of this repository", rev)
	}
	id := strings.TrimSpace(string(hash))
	tarball := src + ".tar"
	if msg, err := exec.Command("git", "archive", "-o", tarball, id).CombinedOutput(); err != nil {
		return "", fmt.Errorf("git archive %s: %v\n%s", rev, err, msg)
	}
	if err := os.MkdirAll(src, 0o755); err != nil {
		return "", err
	}
	if msg, err := exec.Command("tar", "-xf", tarball, "-C", src).CombinedOutput(); err != nil {
		return "", fmt.Errorf("tar: %v\n%s", err, msg)
	}
	if err := corpus.BuildGen(out, src); err != nil {
		return "", err
	}
	return fmt.Sprintf("gen of %s (%.12s)", rev, id), nil
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
	wall, cpu time.Duration
	maxKB     int64
}

// runOnce runs t once, writing into out.
func runOnce(t *tool, site, out string) (result, error) {
	// Start each build with no dirty pages left by the one before, so that
	// no tool pays for another's writeback.
	syscall.Sync()
	cmd := exec.Command(t.path, t.args(site, out)...)
	cmd.Stderr = os.Stderr
	cmd.Env = append(os.Environ(), t.env...)
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return result{}, fmt.Errorf("%s %s: %v", t.path, strings.Join(cmd.Args[1:], " "), err)
	}
	r := result{wall: time.Since(start), cpu: cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.maxKB = ru.Maxrss
	}
	return r, nil
}

// measured is what one tool gave at one size.
type measured struct {
	cold, warm, edit []result
	pages            int
}

// of is the results of one kind of build: cold, warm or edit.
func (m *measured) of(kind string) []result {
	switch kind {
	case "warm":
		return m.warm
	case "edit":
		return m.edit
	}
	return m.cold
}

type sizeResult struct {
	n   int
	dir string
	by  map[*tool]*measured
}

// benchSize builds a corpus of n stories and measures every tool on it.
// Cold builds go to new folders and nothing is deleted until the end: on
// ext4 without a journal, creating files right after a large tree was
// deleted costs several times more, which would punish whichever tool came
// next. Round i starts with tool i mod len(tools), so that no tool always
// follows the same one.
func benchSize(work string, n int, tools []*tool, colds, warms, edits int) (sizeResult, error) {
	dir := filepath.Join(work, fmt.Sprintf("n%d", n))
	site := filepath.Join(dir, "site")
	sr := sizeResult{n: n, dir: dir, by: map[*tool]*measured{}}
	if err := corpus.Site(site, n); err != nil {
		return sr, err
	}
	sites := map[*tool]string{}
	for _, t := range tools {
		sr.by[t] = &measured{}
		sites[t] = site
		if t.theme != "" {
			sites[t] = filepath.Join(dir, "site-"+t.label)
			if err := themed(site, sites[t], t.theme); err != nil {
				return sr, err
			}
		}
		if t.hugo {
			if err := writeHugoSite(site, filepath.Join(dir, "hugo")); err != nil {
				return sr, err
			}
		}
	}
	out := func(t *tool, i int) string { return filepath.Join(dir, fmt.Sprintf("%s-public-%d", t.label, i)) }
	// rounds builds n rounds, each tool in turn, into the folder
	// folder(round) gives, after before(round).
	rounds := func(n int, folder func(int) int, before func(int) error, add func(*measured, result)) error {
		for i := range n {
			if err := before(i); err != nil {
				return err
			}
			for k := range tools {
				t := tools[(i+k)%len(tools)]
				r, err := runOnce(t, sites[t], out(t, folder(i)))
				if err != nil {
					return err
				}
				add(sr.by[t], r)
			}
		}
		return nil
	}
	same := func(int) int { return colds - 1 }
	nothing := func(int) error { return nil }
	// Each cold build writes a folder of its own; only the last round's
	// is built on again, so the others go once measured: at 100,000
	// stories each is about 1.3 GB, which on tmpfs is memory.
	dropLast := func(i int) error {
		if i == 0 {
			return nil
		}
		for _, t := range tools {
			if err := os.RemoveAll(out(t, i-1)); err != nil {
				return err
			}
		}
		return nil
	}
	if err := rounds(colds, func(i int) int { return i }, dropLast, func(m *measured, r result) { m.cold = append(m.cold, r) }); err != nil {
		return sr, err
	}
	if err := rounds(warms, same, nothing, func(m *measured, r result) { m.warm = append(m.warm, r) }); err != nil {
		return sr, err
	}
	// One story changes before each round, and every tool builds the
	// site it built last: gen from the record of its last build.
	editAll := func(i int) error {
		for _, s := range slices.Compact(slices.Sorted(maps.Values(sites))) {
			if err := editStory(s, i); err != nil {
				return err
			}
		}
		return nil
	}
	if err := rounds(edits, same, editAll, func(m *measured, r result) { m.edit = append(m.edit, r) }); err != nil {
		return sr, err
	}
	for _, t := range tools {
		sr.by[t].pages = countFiles(out(t, colds-1), ".html")
	}
	return sr, nil
}

// themed copies the corpus at site to dst with the default theme taken
// from theme.
func themed(site, dst, theme string) error {
	if err := corpus.CopyDir(site, dst); err != nil {
		return err
	}
	own := filepath.Join(dst, "themes", "default")
	if err := os.RemoveAll(own); err != nil {
		return err
	}
	return corpus.CopyDir(theme, own)
}

// editStory appends a sentence to the body of one story of the corpus at
// site, another for each round.
func editStory(site string, round int) error {
	files, err := filepath.Glob(filepath.Join(site, "content", "news", "*.md"))
	if err != nil || len(files) == 0 {
		return fmt.Errorf("no stories in %s: %v", site, err)
	}
	slices.Sort(files)
	f, err := os.OpenFile(files[(round*7919)%len(files)], os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(f, "\n第%d轮修改：补充一句说明。\n", round+1)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

func (sr sizeResult) print(first, second *tool, also []*tool, hugo *tool) {
	others := also
	if second != nil {
		others = append([]*tool{second}, also...)
	}
	fmt.Printf("\n%d stories of about 3 KB Chinese Markdown (corpus in %s); medians, ranges in brackets\n", sr.n, sr.dir)
	fmt.Printf("%-14s %-24s %-24s %-10s %s\n", "", "wall s", "CPU s (user+sys)", "peak RSS", "pages")
	kinds := []string{"cold"}
	if len(sr.by[first].warm) > 0 {
		kinds = append(kinds, "warm")
	}
	if len(sr.by[first].edit) > 0 {
		kinds = append(kinds, "edit")
	}
	for _, kind := range kinds {
		for _, t := range append(append([]*tool{first}, others...), hugo) {
			if t == nil {
				continue
			}
			m := sr.by[t]
			rs := m.of(kind)
			fmt.Printf("%-14s %-24s %-24s %4d MiB   %d (%.0f pages/s)\n", t.label+" "+kind,
				spread(rs, wallOf), spread(rs, cpuOf), medianOf(rs, rssOf)/1024, m.pages,
				float64(m.pages)/time.Duration(medianOf(rs, wallOf)).Seconds())
		}
	}
	for _, second := range others {
		for _, kind := range kinds {
			ra, rb := sr.by[first].of(kind), sr.by[second].of(kind)
			fmt.Printf("%s/%s %s: wall %.3f, CPU %.3f, peak RSS %.3f\n", first.label, second.label, kind,
				ratio(ra, rb, wallOf), ratio(ra, rb, cpuOf), ratio(ra, rb, rssOf))
		}
	}
	if hugo == nil {
		if line := quotedHugoLine(sr.n, first.label, sr.by[first].cold); line != "" {
			fmt.Println(line)
		}
	}
	if hugo != nil {
		g, h := sr.by[first], sr.by[hugo]
		fmt.Printf("%s/hugo cold: wall %.2f (target at most 0.33), CPU %.2f, peak RSS %.2f (target at most 0.5)\n", first.label,
			ratio(g.cold, h.cold, wallOf), ratio(g.cold, h.cold, cpuOf), ratio(g.cold, h.cold, rssOf))
		for _, kind := range kinds[1:] {
			fmt.Printf("%s/hugo %s: wall %.2f\n", first.label, kind, ratio(g.of(kind), h.of(kind), wallOf))
		}
	}
}

// quotedHugo are Hugo v0.152.2's cold builds of the same corpus on tmpfs
// as issue 18 gives them, by number of stories, for a run without Hugo.
var quotedHugo = map[int]struct {
	wall   time.Duration
	rss    string
	rssMiB int64 // the middle of the range given
}{
	10000:  {wall: 3800 * time.Millisecond, rss: "500-540 MiB", rssMiB: 520},
	100000: {wall: 44900 * time.Millisecond, rss: "3.1 GiB", rssMiB: 3174},
}

// quotedHugoLine compares the cold builds of n stories with Hugo's figures
// quoted from the issue, "" if it quotes none for n. The figures were not
// measured in this run, nor perhaps on this machine or under this load:
// the line says so.
func quotedHugoLine(n int, label string, cold []result) string {
	q, ok := quotedHugo[n]
	if !ok || len(cold) == 0 {
		return ""
	}
	wall := time.Duration(medianOf(cold, wallOf))
	rss := medianOf(cold, rssOf) / 1024
	return fmt.Sprintf("hugo cold, quoted from issue 18 (not measured in this run): %.1f s, peak RSS %s; %s/quoted hugo: wall %.2f (target at most 0.33), peak RSS %.2f (target at most 0.5)",
		q.wall.Seconds(), q.rss, label, wall.Seconds()/q.wall.Seconds(), float64(rss)/float64(q.rssMiB))
}

// printGrowth prints, for each tool, how the cold build's time and memory
// grow from one size to the next, and the time per story.
func printGrowth(all []sizeResult, tools []*tool) {
	if len(all) < 2 {
		return
	}
	fmt.Println("\ngrowth of the cold build from one size to the next (1.0 per story is linear):")
	for _, t := range tools {
		for i := 1; i < len(all); i++ {
			a, b := all[i-1], all[i]
			ra, rb := a.by[t].cold, b.by[t].cold
			k := float64(b.n) / float64(a.n)
			wa, wb := time.Duration(medianOf(ra, wallOf)), time.Duration(medianOf(rb, wallOf))
			fmt.Printf("%-5s %d→%d stories (×%.0f): wall ×%.1f (per story ×%.2f, %.0f→%.0f µs), CPU ×%.1f (per story ×%.2f), peak RSS ×%.1f (per story ×%.2f)\n",
				t.label, a.n, b.n, k, ratio(rb, ra, wallOf), ratio(rb, ra, wallOf)/k,
				float64(wa.Microseconds())/float64(a.n), float64(wb.Microseconds())/float64(b.n),
				ratio(rb, ra, cpuOf), ratio(rb, ra, cpuOf)/k, ratio(rb, ra, rssOf), ratio(rb, ra, rssOf)/k)
		}
	}
}

func wallOf(r result) int64 { return int64(r.wall) }
func cpuOf(r result) int64  { return int64(r.cpu) }
func rssOf(r result) int64  { return r.maxKB }

// medianOf is the median of f over rs (the lower middle one of an even
// number).
func medianOf(rs []result, f func(result) int64) int64 {
	if len(rs) == 0 {
		return 0
	}
	v := make([]int64, len(rs))
	for i, r := range rs {
		v[i] = f(r)
	}
	slices.SortFunc(v, cmp.Compare)
	return v[(len(v)-1)/2]
}

// ratio is the median of f over a divided by its median over b.
func ratio(a, b []result, f func(result) int64) float64 {
	return float64(medianOf(a, f)) / float64(medianOf(b, f))
}

// spread formats the median of a duration with its range.
func spread(rs []result, f func(result) int64) string {
	lo, hi := slices.MinFunc(rs, func(a, b result) int { return cmp.Compare(f(a), f(b)) }),
		slices.MaxFunc(rs, func(a, b result) int { return cmp.Compare(f(a), f(b)) })
	return fmt.Sprintf("%.3f (%.3f-%.3f)", time.Duration(medianOf(rs, f)).Seconds(),
		time.Duration(f(lo)).Seconds(), time.Duration(f(hi)).Seconds())
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
