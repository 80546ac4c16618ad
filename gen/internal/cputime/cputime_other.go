//go:build !unix

package cputime

import "time"

var start = time.Now()

// Now stands in for the process's CPU time where there is no getrusage:
// the wall time since the process started.
func Now() time.Duration { return time.Since(start) }
