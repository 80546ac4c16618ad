// Package memlimit gives a build a soft memory limit that follows the
// machine: a share of the memory the process may use, which is the
// smaller of the physical memory and the limits of its control groups.
// The garbage collector then works harder only as the heap nears that
// share, and never holds the heap closer to what the build keeps live
// than half of it again: a site that outgrows the share (a large site on
// a small machine) is collected as often as GOGC=50, not without pause
// as under a fixed limit it outgrew. GOMEMLIMIT or GOGC, when set, win.
package memlimit

import (
	"bufio"
	"bytes"
	"fmt"
	"io/fs"
	"math"
	"path"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
)

// Share is the part of the available memory the Go runtime may use before
// its collector runs more often than GOGC=100 would. A build of 10,000
// stories (about 220 MiB at its peak) stays under it on a machine of 8 GiB.
// One of 100,000 stories, on the 24 GiB machine of make bench-site, keeps
// 650-900 MiB live and is held at the share, well under half of what Hugo
// takes for the same site (about 4 GiB). sitebench -n 100000, taking
// turns, measured a median of 42.8 s and 1,727 MiB peak RSS with this
// share (as GOMEMLIMIT=1714MiB) against 49.7 s and 1,281 MiB with a
// twentieth, and 2,150-2,249 MiB with no limit. The rest is left to the
// page cache of the files the build writes, a browser, gen serve.
const Share = 1.0 / 14

// Set sets the runtime's soft memory limit to Share of Available(root),
// and keeps it at least Floor(live heap) after each collection, unless
// getenv("GOMEMLIMIT") or getenv("GOGC") is set or the available memory
// is unknown. It returns the limit it set (0: none) and a function that
// stops following the live heap and puts back the limit there was.
func Set(getenv func(string) string, root fs.FS) (limit int64, stop func()) {
	if getenv("GOMEMLIMIT") != "" || getenv("GOGC") != "" {
		return 0, func() {}
	}
	avail, err := Available(root)
	if err != nil || avail <= 0 {
		return 0, func() {}
	}
	limit = int64(float64(avail) * Share)
	return limit, follow(limit, LiveHeap)
}

// Floor is the least limit for a live heap of live bytes: half of it
// again.
func Floor(live uint64) int64 {
	return int64(min(live+live/2, math.MaxInt64))
}

// follow sets the limit to base and, after every collection, to the
// larger of base and Floor(live()), until stop is called.
func follow(base int64, live func() uint64) (stop func()) {
	old := debug.SetMemoryLimit(base)
	var (
		mu   sync.Mutex
		done bool
		arm  func()
	)
	arm = func() {
		// A finalizer of an object no one holds runs after the next
		// collection; it sets the limit and arms the next one. The
		// object has a pointer, so the tiny allocator does not batch it.
		s := &struct{ _ *int }{}
		runtime.SetFinalizer(s, func(any) {
			mu.Lock()
			defer mu.Unlock()
			if !done {
				debug.SetMemoryLimit(max(base, Floor(live())))
				arm()
			}
		})
	}
	arm()
	return func() {
		mu.Lock()
		defer mu.Unlock()
		done = true
		debug.SetMemoryLimit(old)
	}
}

// LiveHeap is the heap the last collection found live, in bytes.
func LiveHeap() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64()
}

// Available returns the bytes of memory the process may use: the least of
// MemTotal in /proc/meminfo and the memory limits of the control groups
// it is in and their ancestors (cgroup v2 memory.max, v1
// memory.limit_in_bytes). A file that is missing is no limit; one that
// does not read as expected is an error naming it and its line.
func Available(root fs.FS) (int64, error) {
	avail := int64(math.MaxInt64)
	data, err := fs.ReadFile(root, "proc/meminfo")
	if err == nil {
		total, err := parseMeminfo("/proc/meminfo", data)
		if err != nil {
			return 0, err
		}
		avail = min(avail, total)
	}
	cg, err := fs.ReadFile(root, "proc/self/cgroup")
	if err != nil {
		return finite(avail), nil
	}
	files, err := limitFiles("/proc/self/cgroup", cg)
	if err != nil {
		return 0, err
	}
	for _, f := range files {
		data, err := fs.ReadFile(root, strings.TrimPrefix(f, "/"))
		if err != nil {
			continue
		}
		n, err := parseLimit(f, data)
		if err != nil {
			return 0, err
		}
		avail = min(avail, n)
	}
	return finite(avail), nil
}

func finite(n int64) int64 {
	if n == math.MaxInt64 {
		return 0
	}
	return n
}

// parseMeminfo returns MemTotal in bytes.
func parseMeminfo(file string, data []byte) (int64, error) {
	sc := bufio.NewScanner(bytes.NewReader(data))
	for line := 1; sc.Scan(); line++ {
		rest, ok := strings.CutPrefix(sc.Text(), "MemTotal:")
		if !ok {
			continue
		}
		f := strings.Fields(rest)
		if len(f) != 2 || f[1] != "kB" {
			return 0, fmt.Errorf("%s:%d: want \"MemTotal: N kB\", found %q", file, line, sc.Text())
		}
		kb, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil || kb <= 0 || kb > math.MaxInt64/1024 {
			return 0, fmt.Errorf("%s:%d: MemTotal %q is not a number of kB", file, line, f[0])
		}
		return kb * 1024, nil
	}
	if err := sc.Err(); err != nil {
		return 0, fmt.Errorf("%s: %v", file, err)
	}
	return 0, fmt.Errorf("%s: no MemTotal line", file)
}

// limitFiles lists the memory limit files of the control groups that
// /proc/self/cgroup names, from the process's own group up to the root:
// a parent's limit binds its children too.
func limitFiles(file string, data []byte) ([]string, error) {
	var files []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	for line := 1; sc.Scan(); line++ {
		text := sc.Text()
		if text == "" {
			continue
		}
		id, rest, ok1 := strings.Cut(text, ":")
		controllers, group, ok2 := strings.Cut(rest, ":")
		if !ok1 || !ok2 || id == "" || !strings.HasPrefix(group, "/") {
			return nil, fmt.Errorf("%s:%d: want ID:CONTROLLERS:/PATH, found %q", file, line, text)
		}
		var dir, name string
		switch {
		case id == "0" && controllers == "":
			dir, name = "/sys/fs/cgroup", "memory.max"
		case hasItem(controllers, "memory"):
			dir, name = "/sys/fs/cgroup/memory", "memory.limit_in_bytes"
		default:
			continue
		}
		for g := path.Clean(group); ; g = path.Dir(g) {
			files = append(files, path.Join(dir, g, name))
			if g == "/" {
				break
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %v", file, err)
	}
	return files, nil
}

// hasItem reports whether the comma-separated list holds name.
func hasItem(list, name string) bool {
	for c := range strings.SplitSeq(list, ",") {
		if c == name {
			return true
		}
	}
	return false
}

// parseLimit reads a control group's memory limit: bytes, or "max" for
// none (cgroup v1 writes a number near 2^63 instead).
func parseLimit(file string, data []byte) (int64, error) {
	s := strings.TrimSpace(string(data))
	if s == "max" {
		return math.MaxInt64, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%s:1: want a number of bytes or \"max\", found %q", file, s)
	}
	return n, nil
}
