package puller

import (
	"context"
	"time"
)

// A Clock is time as a pull sees it: Now for stamps and deadlines, and a
// timer for every wait (a line, a backoff, a kiosk coming back). Tests
// pass one they drive, so that no wait depends on the machine's speed.
type Clock interface {
	Now() time.Time
	// Timer starts a timer of d: c receives once d has passed; stop
	// releases it early.
	Timer(d time.Duration) (c <-chan time.Time, stop func() bool)
}

// realClock is the system's clock.
type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) Timer(d time.Duration) (<-chan time.Time, func() bool) {
	t := time.NewTimer(d)
	return t.C, t.Stop
}

// sleep waits d on clock, or until ctx is done.
func sleep(ctx context.Context, clock Clock, d time.Duration) error {
	c, stop := clock.Timer(d)
	defer stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-c:
		return nil
	}
}
