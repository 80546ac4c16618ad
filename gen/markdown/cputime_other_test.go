//go:build !unix

package markdown

import "time"

var start = time.Now()

// cpuTime stands in for the process's CPU time where there is no getrusage:
// the time since the tests started.
func cpuTime() time.Duration { return time.Since(start) }
