// Package memlimit gives a build a soft memory limit that follows the
// machine: a fraction of the memory the process may use, which is the
// smaller of the physical memory and the limits of its control groups. The
// garbage collector then works harder only when memory is really short,
// instead of at a fixed size that a large site outgrows. GOMEMLIMIT, when
// set, wins.
package memlimit

import (
	"bufio"
	"bytes"
	"fmt"
	"io/fs"
	"math"
	"path"
	"runtime/debug"
	"strconv"
	"strings"
)

// Fraction is the share of the available memory the Go runtime may use
// before its collector runs harder: the rest is left for the stacks, the
// page cache of the files the build writes, and the other programs.
const Fraction = 0.75

// Set sets the runtime's soft memory limit to Fraction of Available(root),
// unless getenv("GOMEMLIMIT") is set or the available memory is unknown,
// and returns the limit it set (0: none). root is the file system at "/".
func Set(getenv func(string) string, root fs.FS) int64 {
	if getenv("GOMEMLIMIT") != "" {
		return 0
	}
	avail, err := Available(root)
	if err != nil || avail <= 0 {
		return 0
	}
	limit := int64(float64(avail) * Fraction)
	debug.SetMemoryLimit(limit)
	return limit
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
