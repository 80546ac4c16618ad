package puller_test

import (
	"io"
	"net"
	"slices"
	"sync"
	"time"
)

// quietClock is a pull's clock for scripted kiosks on in-memory pipes.
// Time stands still while anything is on its way: a timer fires only
// when, on every open link, both ends wait to read and nothing written is
// still unread. Then the pull waits for a line that cannot come, which is
// what a timeout means, and the clock jumps to the earliest timer. So a
// slow or busy machine never makes a line late, and silence is seen at
// once, however long the timeout.
type quietClock struct {
	mu     sync.Mutex
	now    time.Time
	timers []*quietTimer
	links  []*quietLink
}

type quietTimer struct {
	at time.Time
	c  chan time.Time
}

// quietLink is the state of one pipe: for each end (host, kiosk), whether
// it waits in Read, and how many bytes were written to it and read by it.
type quietLink struct {
	ends [2]struct {
		inRead        bool
		read, written int
	}
	closed bool
}

// quiet reports whether nothing moves on l: both ends wait to read, and
// each has read all that was written to it.
func (l *quietLink) quiet() bool {
	if l.closed {
		return true
	}
	for _, e := range l.ends {
		if !e.inRead || e.read != e.written {
			return false
		}
	}
	return true
}

func newQuietClock() *quietClock {
	return &quietClock{now: time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)}
}

func (q *quietClock) Now() time.Time {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.now
}

func (q *quietClock) Timer(d time.Duration) (<-chan time.Time, func() bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	t := &quietTimer{at: q.now.Add(d), c: make(chan time.Time, 1)}
	q.timers = append(q.timers, t)
	q.settle()
	return t.c, func() bool {
		q.mu.Lock()
		defer q.mu.Unlock()
		i := slices.Index(q.timers, t)
		if i < 0 {
			return false
		}
		q.timers = slices.Delete(q.timers, i, i+1)
		return true
	}
}

// settle fires the earliest timer if every link is quiet. q.mu is held.
func (q *quietClock) settle() {
	if len(q.timers) == 0 {
		return
	}
	for _, l := range q.links {
		if !l.quiet() {
			return
		}
	}
	first := 0
	for i, t := range q.timers {
		if t.at.Before(q.timers[first].at) {
			first = i
		}
	}
	t := q.timers[first]
	q.timers = slices.Delete(q.timers, first, first+1)
	if t.at.After(q.now) {
		q.now = t.at
	}
	t.c <- q.now
}

// pipe returns a connected pair of ends, the host's and the kiosk's,
// whose reads and writes the clock watches.
func (q *quietClock) pipe() (host, kiosk io.ReadWriteCloser) {
	h, k := net.Pipe()
	l := &quietLink{}
	q.mu.Lock()
	q.links = append(q.links, l)
	q.mu.Unlock()
	return &quietEnd{Conn: h, q: q, l: l, me: 0}, &quietEnd{Conn: k, q: q, l: l, me: 1}
}

// quietEnd is one end of a watched pipe: me is its index in l.ends.
type quietEnd struct {
	net.Conn
	q  *quietClock
	l  *quietLink
	me int
}

func (e *quietEnd) Read(b []byte) (int, error) {
	e.q.mu.Lock()
	e.l.ends[e.me].inRead = true
	e.q.settle()
	e.q.mu.Unlock()
	n, err := e.Conn.Read(b)
	e.q.mu.Lock()
	e.l.ends[e.me].inRead = false
	e.l.ends[e.me].read += n
	e.q.mu.Unlock()
	return n, err
}

// Write counts b as written to the other end before that end can see it,
// so that the link is not quiet until the other end has read it all and
// waits again.
func (e *quietEnd) Write(b []byte) (int, error) {
	e.q.mu.Lock()
	e.l.ends[1-e.me].written += len(b)
	e.q.mu.Unlock()
	return e.Conn.Write(b)
}

func (e *quietEnd) Close() error {
	e.q.mu.Lock()
	e.l.closed = true
	e.q.settle()
	e.q.mu.Unlock()
	return e.Conn.Close()
}
