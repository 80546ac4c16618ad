// Package memo keeps values that are computed once and then read many
// times by concurrent goroutines: rendered partials, phrase-broken
// titles. A map behind a read lock hashes a comparable key directly,
// where sync.Map hashes it through an interface and walks a trie: with
// it, gen/cjk's BenchmarkWBRMemo took 1,050-1,230 ns a call against
// 440-590, and the partial cache's nilinterhash and ifaceeq were 4% of a
// build's profile.
package memo

import "sync"

// Map is a memo of V by K. Its zero value is empty, with no bound.
type Map[K comparable, V any] struct {
	// Max bounds the sum of the costs of the values kept; 0 is no
	// bound. A value that would pass it is not kept.
	Max int

	mu   sync.RWMutex
	m    map[K]V
	used int
}

// Load returns the value kept for k.
func (c *Map[K, V]) Load(k K) (V, bool) {
	c.mu.RLock()
	v, ok := c.m[k]
	c.mu.RUnlock()
	return v, ok
}

// Store keeps v for k, at cost towards Max, unless a value for k is kept
// already (goroutines that computed the same value at once store it once)
// or keeping it would pass Max.
func (c *Map[K, V]) Store(k K, v V, cost int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.m[k]; ok || (c.Max > 0 && c.used+cost > c.Max) {
		return
	}
	if c.m == nil {
		c.m = map[K]V{}
	}
	c.m[k] = v
	c.used += cost
}

// Clear drops every value.
func (c *Map[K, V]) Clear() {
	c.mu.Lock()
	c.m, c.used = nil, 0
	c.mu.Unlock()
}
