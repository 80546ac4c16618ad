// Package memo keeps values that are computed once and then read many
// times by concurrent goroutines: the partials a build renders once and
// shows on many pages. A map behind a read lock hashes a comparable key
// directly, where sync.Map hashes it through an interface and walks a
// trie, whose nilinterhash and ifaceeq were 4% of a build's profile with
// the partial cache in a sync.Map.
package memo

import "sync"

// Map is a memo of V by K. Its zero value is empty.
type Map[K comparable, V any] struct {
	mu sync.RWMutex
	m  map[K]V
}

// Load returns the value kept for k.
func (c *Map[K, V]) Load(k K) (V, bool) {
	c.mu.RLock()
	v, ok := c.m[k]
	c.mu.RUnlock()
	return v, ok
}

// Store keeps v for k unless a value for k is kept already: goroutines
// that computed the same value at once store it once.
func (c *Map[K, V]) Store(k K, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.m[k]; ok {
		return
	}
	if c.m == nil {
		c.m = map[K]V{}
	}
	c.m[k] = v
}

// Clear drops every value.
func (c *Map[K, V]) Clear() {
	c.mu.Lock()
	c.m = nil
	c.mu.Unlock()
}
