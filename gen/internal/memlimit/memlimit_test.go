package memlimit

import (
	"math"
	"runtime"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"
)

const meminfo = "MemTotal:       24683584 kB\nMemFree:        18224432 kB\n"

const total = 24683584 * 1024

func TestAvailable(t *testing.T) {
	for _, c := range []struct {
		name  string
		files map[string]string
		want  int64
		err   string // part of the error, "" for none
	}{
		{name: "meminfo alone", files: map[string]string{"proc/meminfo": meminfo}, want: total},
		{name: "nothing known", files: map[string]string{}, want: 0},
		{name: "cgroup v2 limit below memory", files: map[string]string{
			"proc/meminfo":     meminfo,
			"proc/self/cgroup": "0::/user.slice/build\n",
			"sys/fs/cgroup/user.slice/build/memory.max": "1073741824\n",
			"sys/fs/cgroup/user.slice/memory.max":       "max\n",
		}, want: 1 << 30},
		{name: "a parent's limit binds", files: map[string]string{
			"proc/meminfo":                 meminfo,
			"proc/self/cgroup":             "0::/a/b\n",
			"sys/fs/cgroup/a/b/memory.max": "max\n",
			"sys/fs/cgroup/a/memory.max":   "536870912\n",
		}, want: 512 << 20},
		{name: "cgroup v1, unlimited as a huge number", files: map[string]string{
			"proc/meminfo":     meminfo,
			"proc/self/cgroup": "9:name=systemd:/\n4:memory:/process_api/565449\n3:cpuset:/\n0::/\n",
			"sys/fs/cgroup/memory/process_api/565449/memory.limit_in_bytes": "9223372036854771712\n",
			"sys/fs/cgroup/memory/memory.limit_in_bytes":                    "9223372036854771712\n",
		}, want: total},
		{name: "cgroup v1 with joined controllers", files: map[string]string{
			"proc/meminfo":     meminfo,
			"proc/self/cgroup": "5:cpu,memory:/job\n",
			"sys/fs/cgroup/memory/job/memory.limit_in_bytes": "2147483648",
		}, want: 2 << 30},
		{name: "limit without meminfo", files: map[string]string{
			"proc/self/cgroup":         "0::/\n",
			"sys/fs/cgroup/memory.max": "3000000000\n",
		}, want: 3000000000},
		{name: "bad meminfo", files: map[string]string{"proc/meminfo": "MemTotal: lots\n"},
			err: `/proc/meminfo:1: want "MemTotal: N kB"`},
		{name: "meminfo without MemTotal", files: map[string]string{"proc/meminfo": "MemFree: 3 kB\n"},
			err: "/proc/meminfo: no MemTotal line"},
		{name: "bad cgroup line", files: map[string]string{"proc/meminfo": meminfo, "proc/self/cgroup": "0::/\ngarbage\n"},
			err: "/proc/self/cgroup:2: want ID:CONTROLLERS:/PATH"},
		{name: "bad limit", files: map[string]string{
			"proc/meminfo":             meminfo,
			"proc/self/cgroup":         "0::/\n",
			"sys/fs/cgroup/memory.max": "12 GiB\n",
		}, err: `/sys/fs/cgroup/memory.max:1: want a number of bytes or "max", found "12 GiB"`},
	} {
		fsys := fstest.MapFS{}
		for name, data := range c.files {
			fsys[name] = &fstest.MapFile{Data: []byte(data)}
		}
		got, err := Available(fsys)
		switch {
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("%s: Available = %d, %v; want an error with %q", c.name, got, err, c.err)
		case c.err == "" && (err != nil || got != c.want):
			t.Errorf("%s: Available = %d, %v; want %d", c.name, got, err, c.want)
		}
	}
}

func TestSet(t *testing.T) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	fsys := fstest.MapFS{
		"proc/meminfo":             {Data: []byte(meminfo)},
		"proc/self/cgroup":         {Data: []byte("0::/\n")},
		"sys/fs/cgroup/memory.max": {Data: []byte("17179869184\n")},
	}
	env := map[string]string{}
	getenv := func(k string) string { return env[k] }

	debug.SetMemoryLimit(math.MaxInt64)
	avail := int64(16 << 30)
	want := int64(float64(avail) * Share)
	got, stop := Set(getenv, fsys)
	if got != want {
		t.Errorf("Set = %d, want %d", got, want)
	}
	if got := debug.SetMemoryLimit(-1); got < want {
		t.Errorf("runtime limit = %d, want at least %d", got, want)
	}
	stop()
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Errorf("runtime limit after stop = %d, want the one before", got)
	}

	// GOMEMLIMIT or GOGC wins: the runtime read it at start, and Set
	// leaves it.
	for _, k := range []string{"GOMEMLIMIT", "GOGC"} {
		env[k] = "x"
		if got, stop := Set(getenv, fsys); got != 0 {
			stop()
			t.Errorf("Set with %s = %d, want 0", k, got)
		}
		if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
			t.Errorf("runtime limit with %s = %d, want it untouched", k, got)
		}
		delete(env, k)
	}

	// Unknown memory: no limit.
	if got, _ := Set(getenv, fstest.MapFS{}); got != 0 {
		t.Errorf("Set with nothing known = %d, want 0", got)
	}
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Errorf("runtime limit with nothing known = %d, want it untouched", got)
	}
}

// TestFollow: after a collection the limit is at least half as much
// again as the live heap, and back at the base once the heap is let go.
func TestFollow(t *testing.T) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	const base = 8 << 20
	var live atomic.Uint64
	live.Store(64 << 20)
	before := debug.SetMemoryLimit(-1)
	stop := follow(base, live.Load)
	defer stop()
	if got := debug.SetMemoryLimit(-1); got != base {
		t.Fatalf("limit %d before a collection, want the base %d", got, base)
	}
	// Bounded: each collection runs the finalizer, on its own goroutine.
	wait := func(want int64) {
		t.Helper()
		for range 200 {
			runtime.GC()
			if debug.SetMemoryLimit(-1) == want {
				return
			}
			time.Sleep(5 * time.Millisecond)
		}
		t.Fatalf("limit %d after 200 collections, want %d", debug.SetMemoryLimit(-1), want)
	}
	wait(96 << 20)
	live.Store(1 << 20)
	wait(base)
	live.Store(1 << 30)
	wait(3 << 29)
	stop()
	if got := debug.SetMemoryLimit(-1); got != before {
		t.Errorf("limit %d after stop, want the %d there was before follow", got, before)
	}
	runtime.GC()
	runtime.GC()
	time.Sleep(10 * time.Millisecond)
	if got := debug.SetMemoryLimit(-1); got != before {
		t.Errorf("limit %d after stop and a collection, want it left at %d", got, before)
	}
}

// FuzzParse feeds the three parsers what a hostile or odd kernel might
// write: none may panic, and a value they accept is never negative.
func FuzzParse(f *testing.F) {
	f.Add([]byte(meminfo))
	f.Add([]byte("9:name=systemd:/\n4:memory:/process_api/565449\n0::/\n"))
	f.Add([]byte("max\n"))
	f.Add([]byte("9223372036854771712\n"))
	f.Add([]byte("MemTotal: 99999999999999999999 kB\n"))
	f.Add([]byte("0::/../../x\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if n, err := parseMeminfo("m", data); err == nil && n <= 0 {
			t.Errorf("parseMeminfo(%q) = %d", data, n)
		}
		if n, err := parseLimit("l", data); err == nil && n < 0 {
			t.Errorf("parseLimit(%q) = %d", data, n)
		}
		if files, err := limitFiles("c", data); err == nil {
			for _, f := range files {
				if !strings.HasPrefix(f, "/sys/fs/cgroup/") && f != "/sys/fs/cgroup" {
					t.Errorf("limitFiles(%q) names %q, outside /sys/fs/cgroup", data, f)
				}
			}
		}
	})
}
