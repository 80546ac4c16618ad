package main

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"gongjian/kioskpull/msg"
)

// Progress display. A pull's rate is measured over a sliding window of
// the records arriving on the line (each R line, as it passes its
// checks), so the first batch, committed all at once, does not read as
// millions of records a second; the ETA is the records the kiosk still
// holds at that rate. Lines are redrawn per R line (at most every
// redrawEvery) and by a ticker, so a stall shows too.
const (
	rateWindow  = 10 * time.Second       // the rate is measured over this much of the recent past
	minSpan     = time.Second            // no rate is shown before this much was measured
	redrawEvery = 100 * time.Millisecond // at most this often per event
	barWidth    = 24
)

// screen shows one status line per kiosk: redrawn in place with ANSI
// escapes on a terminal, or as plain lines when a kiosk starts and ends
// otherwise. Log messages print above the status lines.
type screen struct {
	mu       sync.Mutex
	w        io.Writer
	p        *msg.Printer
	now      func() time.Time
	ansi     bool // redraw the status lines in place
	quiet    bool // no status lines at all (-progress off)
	meters   []*meter
	drawn    int // status lines on the screen now
	lastDraw time.Time
}

// newScreen returns a screen on w for -progress mode (auto, on, off).
func newScreen(w io.Writer, p *msg.Printer, mode string, now func() time.Time) *screen {
	return &screen{w: w, p: p, now: now, ansi: mode == "on" || mode == "auto" && isTerminal(w), quiet: mode == "off"}
}

// add returns the meter of one more kiosk, shown as where until it says
// who it is.
func (s *screen) add(where string) *meter {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := &meter{s: s, where: where}
	s.meters = append(s.meters, m)
	return m
}

// tick redraws every interval until the returned stop is called.
func (s *screen) tick(interval time.Duration) (stop func()) {
	if !s.ansi {
		return func() {}
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				s.mu.Lock()
				s.redraw(true)
				s.mu.Unlock()
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}

// close draws the final state of every line.
func (s *screen) close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.redraw(true)
}

// log prints a line above the status lines.
func (s *screen) log(line string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ansi && s.drawn > 0 {
		fmt.Fprintf(s.w, "\x1b[%dA\r\x1b[J", s.drawn)
		s.drawn = 0
	}
	fmt.Fprintln(s.w, line)
	s.redraw(true)
}

// redraw rewrites the status lines in place; unless forced, at most once
// per redrawEvery. s.mu must be held.
func (s *screen) redraw(force bool) {
	if !s.ansi || len(s.meters) == 0 {
		return
	}
	now := s.now()
	if !force && now.Sub(s.lastDraw) < redrawEvery {
		return
	}
	s.lastDraw = now
	var b strings.Builder
	if s.drawn > 0 {
		fmt.Fprintf(&b, "\x1b[%dA", s.drawn)
	}
	for _, m := range s.meters {
		b.WriteString("\r\x1b[K")
		b.WriteString(m.line(now))
		b.WriteByte('\n')
	}
	io.WriteString(s.w, b.String())
	s.drawn = len(s.meters)
}

// plain prints one meter's line when the screen cannot redraw. s.mu must
// be held.
func (s *screen) plain(m *meter) {
	if !s.ansi && !s.quiet {
		fmt.Fprintln(s.w, m.line(s.now()))
	}
}

type meterState int

const (
	connecting meterState = iota
	pulling
	done
	failed
)

type sample struct {
	t time.Time
	n int64 // records received up to t
}

// meter follows one kiosk's pull: it is the puller's Progress and Logf.
type meter struct {
	s     *screen
	where string
	kiosk string
	state meterState
	err   error

	total, committed, inflight, received int64
	start, end                           time.Time
	samples                              []sample // oldest first; samples[0] is at or before the window's start
}

func (m *meter) Begin(kiosk string, total int64) {
	m.s.mu.Lock()
	defer m.s.mu.Unlock()
	now := m.s.now()
	m.kiosk, m.total, m.state, m.start = kiosk, total, pulling, now
	m.samples = []sample{{now, 0}}
	m.s.plain(m)
	m.s.redraw(true)
}

func (m *meter) Received(n int) {
	m.s.mu.Lock()
	defer m.s.mu.Unlock()
	now := m.s.now()
	m.received += int64(n)
	m.inflight += int64(n)
	m.samples = append(m.samples, sample{now, m.received})
	for len(m.samples) > 1 && !m.samples[1].t.After(now.Add(-rateWindow)) {
		m.samples = m.samples[1:]
	}
	m.s.redraw(false)
}

func (m *meter) Committed(n int) {
	m.s.mu.Lock()
	defer m.s.mu.Unlock()
	m.committed += int64(n)
	m.inflight = 0
	m.s.redraw(false)
}

func (m *meter) Rejected() {
	m.s.mu.Lock()
	defer m.s.mu.Unlock()
	m.inflight = 0
	m.s.redraw(false)
}

func (m *meter) End() {}

// finish records how the pull ended.
func (m *meter) finish(err error) {
	m.s.mu.Lock()
	defer m.s.mu.Unlock()
	m.state, m.err, m.end = done, err, m.s.now()
	if m.start.IsZero() {
		m.start = m.end
	}
	if err != nil {
		m.state = failed
	} else {
		// A failure is told by the error the command ends with.
		m.s.plain(m)
	}
	m.s.redraw(true)
}

// logf is the puller's Logf: the message goes above the status lines.
func (m *meter) logf(key msg.Key, args ...any) {
	p := m.s.p
	m.s.log(p.Sprintf(msg.CLIError, p.Sprintf(key, args...)))
}

// rate returns the records per second received over the window, once
// at least minSpan was measured.
func (m *meter) rate(now time.Time) (float64, bool) {
	if len(m.samples) == 0 {
		return 0, false
	}
	base := m.samples[0]
	span := now.Sub(base.t)
	if span < minSpan {
		return 0, false
	}
	return float64(m.received-base.n) / span.Seconds(), true
}

// line is the meter's status line at now.
func (m *meter) line(now time.Time) string {
	p := m.s.p
	name := m.where
	if m.kiosk != "" {
		name = m.kiosk
	}
	switch m.state {
	case connecting:
		return name + "  " + p.Sprintf(msg.ProgressConnecting) + "…"
	case failed:
		first, _, _ := strings.Cut(p.Error(m.err), "\n")
		return name + "  " + p.Sprintf(msg.ProgressFailed, first)
	}
	got := m.committed + m.inflight
	parts := []string{name, fmt.Sprintf("%d/%d", got, m.total)}
	if m.s.ansi {
		parts = []string{name, m.bar(), parts[1]}
	}
	switch {
	case m.state == done && m.total == 0:
		parts = append(parts, p.Sprintf(msg.ProgressNothing))
	case m.state == done:
		parts = append(parts, p.Sprintf(msg.ProgressDone, duration(p, m.end.Sub(m.start))))
	default:
		if r, ok := m.rate(now); ok && r > 0 {
			parts = append(parts, p.Sprintf(msg.ProgressRate, r))
			left := max(m.total-got, 0)
			parts = append(parts, p.Sprintf(msg.ProgressETA, duration(p, time.Duration(float64(left)/r*float64(time.Second)))))
		} else if m.s.ansi {
			parts = append(parts, p.Sprintf(msg.ProgressMeasuring)+"…")
		} else {
			parts = append(parts, p.Sprintf(msg.ProgressBegin, m.total))
		}
	}
	return strings.Join(parts, "  ")
}

// bar draws committed records solid and those of the batch in flight
// shaded.
func (m *meter) bar() string {
	if m.total <= 0 {
		return "[" + strings.Repeat("█", barWidth) + "]"
	}
	solid := int(min(m.committed*barWidth/m.total, barWidth))
	shaded := int(min((m.committed+m.inflight)*barWidth/m.total, barWidth)) - solid
	return "[" + strings.Repeat("█", solid) + strings.Repeat("▒", shaded) + strings.Repeat("░", barWidth-solid-shaded) + "]"
}

// duration says d for people, to the second.
func duration(p *msg.Printer, d time.Duration) string {
	sec := int(d.Round(time.Second) / time.Second)
	switch {
	case sec < 60:
		return p.Sprintf(msg.DurSeconds, sec)
	case sec < 3600:
		return p.Sprintf(msg.DurMinutes, sec/60, sec%60)
	case sec%86400 == 0:
		return p.Sprintf(msg.DurDays, sec/86400)
	}
	return p.Sprintf(msg.DurHours, sec/3600, sec%3600/60)
}
