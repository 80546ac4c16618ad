package cputime

import (
	"testing"
	"time"
)

// TestNowCountsWork: sleeping must not count as CPU time, and work must.
// The work loop runs until 20ms of CPU time are counted, bounded by a wall
// time long enough for even a very busy machine to give it that much.
func TestNowCountsWork(t *testing.T) {
	start := Now()
	time.Sleep(50 * time.Millisecond)
	if slept := Since(start); slept > 40*time.Millisecond {
		t.Errorf("sleeping 50ms used %v of CPU", slept)
	}
	start = Now()
	deadline := time.Now().Add(30 * time.Second)
	rounds := 0
	for Since(start) < 20*time.Millisecond {
		if time.Now().After(deadline) {
			t.Fatalf("30s of spinning (%d rounds) counted only %v of CPU", rounds, Since(start))
		}
		for range 100_000 {
			rounds++
		}
	}
}
