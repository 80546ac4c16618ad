// Package cputime measures work in CPU time rather than wall time, so that
// tests which bound the work done on hostile input (a story, a dataset) do
// not fail because the machine is busy with something else.
package cputime

import "time"

// Since returns the CPU time the process has used since start, a value
// returned by Now.
func Since(start time.Duration) time.Duration { return Now() - start }
