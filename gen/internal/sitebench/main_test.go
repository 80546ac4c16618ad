package main

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestParseSizes(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []int
		bad  bool
	}{
		{in: "10000", want: []int{10000}},
		{in: "1000,10000", want: []int{1000, 10000}},
		{in: " 1000 , 5 ", want: []int{1000, 5}},
		{in: "", bad: true},
		{in: "1000,", bad: true},
		{in: "0", bad: true},
		{in: "-3", bad: true},
		{in: "1e4", bad: true},
	} {
		got, err := parseSizes(c.in)
		if c.bad {
			if err == nil {
				t.Errorf("parseSizes(%q) = %v, want an error", c.in, got)
			}
			continue
		}
		if err != nil || !slices.Equal(got, c.want) {
			t.Errorf("parseSizes(%q) = %v, %v, want %v", c.in, got, err, c.want)
		}
	}
}

func TestMedianAndRatio(t *testing.T) {
	rs := func(walls ...int) []result {
		var out []result
		for i, w := range walls {
			out = append(out, result{wall: time.Duration(w), cpu: time.Duration(10 * w), maxKB: int64(100 - i)})
		}
		return out
	}
	for _, c := range []struct {
		walls []int
		want  int64
	}{
		{walls: []int{5}, want: 5},
		{walls: []int{9, 1, 5}, want: 5},
		{walls: []int{4, 1, 3, 2}, want: 2}, // the lower middle one
		{walls: nil, want: 0},
	} {
		if got := medianOf(rs(c.walls...), wallOf); got != c.want {
			t.Errorf("median wall of %v = %d, want %d", c.walls, got, c.want)
		}
	}
	// Each metric has its own median: the build with the median wall time
	// need not have the median CPU time or RSS.
	a := []result{{wall: 1, cpu: 30}, {wall: 2, cpu: 10}, {wall: 3, cpu: 20}}
	b := []result{{wall: 4, cpu: 5}, {wall: 8, cpu: 40}, {wall: 6, cpu: 10}}
	if got := ratio(a, b, wallOf); got != 2.0/6 {
		t.Errorf("wall ratio = %v, want %v", got, 2.0/6)
	}
	if got := ratio(a, b, cpuOf); got != 2 {
		t.Errorf("CPU ratio = %v, want 2", got)
	}
}

func TestParseAlso(t *testing.T) {
	for _, c := range []struct {
		in                string
		label, path, what string
		env               []string
		bad               bool
	}{
		{in: "nopgo=/tmp/gen-nopgo", label: "nopgo", path: "/tmp/gen-nopgo", what: "/tmp/gen-nopgo"},
		{in: "nolimit=bin/gen,GOMEMLIMIT=off,GOGC=200", label: "nolimit", path: "bin/gen",
			env: []string{"GOMEMLIMIT=off", "GOGC=200"}, what: "bin/gen with GOMEMLIMIT=off GOGC=200"},
		{in: "/tmp/gen", bad: true},
		{in: "=/tmp/gen", bad: true},
		{in: "a=", bad: true},
		{in: "a/b=/tmp/gen", bad: true},
		{in: "a=/tmp/gen,GOGC", bad: true},
		{in: "a=/tmp/gen,=3", bad: true},
	} {
		got, err := parseAlso(c.in)
		if c.bad {
			if err == nil {
				t.Errorf("parseAlso(%q) = %+v, want an error", c.in, got)
			}
			continue
		}
		if err != nil || got.label != c.label || got.path != c.path || got.what != c.what || !slices.Equal(got.env, c.env) {
			t.Errorf("parseAlso(%q) = %+v, %v; want label %q path %q env %q", c.in, got, err, c.label, c.path, c.env)
		}
	}
}

func TestQuotedHugoLine(t *testing.T) {
	cold := []result{{wall: 20 * time.Second, maxKB: 1024 * 1024}, {wall: 15 * time.Second, maxKB: 900 * 1024}, {wall: 30 * time.Second, maxKB: 2048 * 1024}}
	if got := quotedHugoLine(1000, "gen", cold); got != "" {
		t.Errorf("1,000 stories: %q, want no line (the issue quotes Hugo at 10,000 and 100,000 only)", got)
	}
	if got := quotedHugoLine(100000, "gen", nil); got != "" {
		t.Errorf("no builds: %q, want no line", got)
	}
	got := quotedHugoLine(100000, "gen", cold)
	for _, want := range []string{"quoted from issue 18 (not measured in this run)", "44.9 s, peak RSS 3.1 GiB",
		"gen/quoted hugo: wall 0.45 ", "peak RSS 0.32 "} { // medians 20 s and 1024 MiB against 44.9 s and 3174 MiB
		if !strings.Contains(got, want) {
			t.Errorf("100,000 stories: %q lacks %q", got, want)
		}
	}
}
