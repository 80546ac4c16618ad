package memlimit

import (
	"math"
	"runtime/debug"
	"strings"
	"testing"
	"testing/fstest"
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
		"sys/fs/cgroup/memory.max": {Data: []byte("1073741824\n")},
	}
	env := map[string]string{}
	getenv := func(k string) string { return env[k] }

	debug.SetMemoryLimit(math.MaxInt64)
	want := int64(float64(1<<30) * Fraction)
	if got := Set(getenv, fsys); got != want {
		t.Errorf("Set = %d, want %d", got, want)
	}
	if got := debug.SetMemoryLimit(-1); got != want {
		t.Errorf("runtime limit = %d, want %d", got, want)
	}

	// GOMEMLIMIT wins: the runtime read it at start, and Set leaves it.
	env["GOMEMLIMIT"] = "8GiB"
	debug.SetMemoryLimit(math.MaxInt64)
	if got := Set(getenv, fsys); got != 0 {
		t.Errorf("Set with GOMEMLIMIT = %d, want 0", got)
	}
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Errorf("runtime limit with GOMEMLIMIT = %d, want it untouched", got)
	}

	// Unknown memory: no limit.
	delete(env, "GOMEMLIMIT")
	if got := Set(getenv, fstest.MapFS{}); got != 0 {
		t.Errorf("Set with nothing known = %d, want 0", got)
	}
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Errorf("runtime limit with nothing known = %d, want it untouched", got)
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
