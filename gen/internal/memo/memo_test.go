package memo

import (
	"fmt"
	"sync"
	"testing"
)

func TestMap(t *testing.T) {
	type op struct {
		store bool
		k, v  string
	}
	tests := []struct {
		name string
		max  int
		ops  []op
		want map[string]string // after the ops; keys absent from it must not load
	}{
		{"empty", 0, nil, map[string]string{}},
		{"no bound", 0, []op{{true, "a", "1"}, {true, "b", "22"}}, map[string]string{"a": "1", "b": "22"}},
		{"first value stays", 0, []op{{true, "a", "1"}, {true, "a", "2"}}, map[string]string{"a": "1"}},
		{"bound drops what would pass it", 3, []op{{true, "a", "1"}, {true, "b", "22"}, {true, "c", "3"}}, map[string]string{"a": "1", "b": "22"}},
		{"a value kept twice counts once", 3, []op{{true, "a", "1"}, {true, "a", "1"}, {true, "b", "22"}}, map[string]string{"a": "1", "b": "22"}},
		{"clear empties and frees the bound", 3, []op{{true, "a", "1"}, {true, "b", "22"}, {false, "", ""}, {true, "c", "333"}}, map[string]string{"c": "333"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Map[string, string]{Max: tt.max}
			seen := map[string]bool{}
			for _, o := range tt.ops {
				if o.store {
					c.Store(o.k, o.v, len(o.v))
					seen[o.k] = true
				} else {
					c.Clear()
				}
			}
			for k := range seen {
				v, ok := c.Load(k)
				want, wantOK := tt.want[k]
				if ok != wantOK || v != want {
					t.Errorf("Load(%q) = %q, %v; want %q, %v", k, v, ok, want, wantOK)
				}
			}
		})
	}
}

// TestMapConcurrent stores and loads from many goroutines (run with
// -race): every key loads the value stored for it, and the bound holds.
func TestMapConcurrent(t *testing.T) {
	c := Map[int, string]{Max: 500}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				k := (i*7 + g) % 200
				if v, ok := c.Load(k); ok && v != fmt.Sprint(k) {
					t.Errorf("Load(%d) = %q", k, v)
				}
				c.Store(k, fmt.Sprint(k), 5)
			}
		})
	}
	wg.Wait()
	n := 0
	for k := range 200 {
		if v, ok := c.Load(k); ok {
			n++
			if v != fmt.Sprint(k) {
				t.Errorf("Load(%d) = %q", k, v)
			}
		}
	}
	if n != 100 {
		t.Errorf("%d values kept at cost 5 under a bound of 500, want 100", n)
	}
}
