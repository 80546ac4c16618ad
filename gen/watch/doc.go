// Package watch reports changes under a site's source folders in batches:
// it follows new folders as they appear, ignores editors' swap and backup
// files, and waits for a short quiet spell so that one save — written in
// place, renamed over, or a burst of events — becomes one rebuild.
package watch
