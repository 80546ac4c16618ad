package cputime

import (
	"testing"
	"time"
)

// TestNowCountsWork spins for a while and expects the CPU time to grow by
// about that much; sleeping must not count.
func TestNowCountsWork(t *testing.T) {
	start := Now()
	time.Sleep(50 * time.Millisecond)
	if slept := Since(start); slept > 40*time.Millisecond {
		t.Errorf("sleeping 50ms used %v of CPU", slept)
	}
	start = Now()
	x := 0
	for end := time.Now().Add(100 * time.Millisecond); time.Now().Before(end); {
		x++
	}
	if worked := Since(start); worked < 20*time.Millisecond {
		t.Errorf("spinning 100ms of wall time used only %v of CPU (%d rounds)", worked, x)
	}
}
