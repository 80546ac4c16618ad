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
		ops  []op
		want map[string]string // after the ops; keys absent from it must not load
	}{
		{"empty", nil, map[string]string{}},
		{"two keys", []op{{true, "a", "1"}, {true, "b", "22"}}, map[string]string{"a": "1", "b": "22"}},
		{"first value stays", []op{{true, "a", "1"}, {true, "a", "2"}}, map[string]string{"a": "1"}},
		{"clear empties", []op{{true, "a", "1"}, {true, "b", "22"}, {false, "", ""}, {true, "c", "333"}}, map[string]string{"c": "333"}},
		{"a key stores again after clear", []op{{true, "a", "1"}, {false, "", ""}, {true, "a", "2"}}, map[string]string{"a": "2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c Map[string, string]
			seen := map[string]bool{}
			for _, o := range tt.ops {
				if o.store {
					c.Store(o.k, o.v)
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
// -race): every key loads the value stored for it.
func TestMapConcurrent(t *testing.T) {
	var c Map[int, string]
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				k := (i*7 + g) % 200
				if v, ok := c.Load(k); ok && v != fmt.Sprint(k) {
					t.Errorf("Load(%d) = %q", k, v)
				}
				c.Store(k, fmt.Sprint(k))
			}
		})
	}
	wg.Wait()
	for k := range 200 {
		if v, ok := c.Load(k); !ok || v != fmt.Sprint(k) {
			t.Errorf("Load(%d) = %q, %v; want %q", k, v, ok, fmt.Sprint(k))
		}
	}
}
