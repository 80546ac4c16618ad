package main

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"gongjian/kioskpull/msg"
)

// fakeClock is a clock the test moves.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time          { return c.t }
func (c *fakeClock) advance(d time.Duration) { c.t = c.t.Add(d) }

var rateRE = regexp.MustCompile(`(\d+) records/s  ETA (\S+)`)

// TestProgressHonest feeds a meter the events of a pull at 266 records/s
// (16-record lines every 60 ms, batches of 1000, the first committed at
// once): the rate shown must be the line's, from the start, never the
// burst of a batch committed at once; the ETA must follow from what the
// kiosk still holds; and the line must move with every few R lines.
func TestProgressHonest(t *testing.T) {
	var out bytes.Buffer
	clock := &fakeClock{t: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	scr := newScreen(&out, msg.English, "on", clock.now)
	m := scr.add("/dev/ttyUSB0")
	const total = 6000
	m.Begin("K05", total)
	draws := strings.Count(out.String(), "\r\x1b[K")
	received := 0
	var rates []float64
	for step := 1; received < total; step++ {
		clock.advance(60 * time.Millisecond)
		n := min(16, total-received)
		m.Received(n)
		received += n
		if received%1000 < 16 || received == total {
			m.Committed(received - int(m.committed))
		}
		last := m.line(clock.now())
		if elapsed := time.Duration(step) * 60 * time.Millisecond; elapsed < minSpan {
			if strings.Contains(last, "records/s") {
				t.Fatalf("after %s a rate is shown already: %q", elapsed, last)
			}
			continue
		}
		sub := rateRE.FindStringSubmatch(last)
		if sub == nil {
			t.Fatalf("step %d: no rate and ETA in %q", step, last)
		}
		r, _ := strconv.ParseFloat(sub[1], 64)
		rates = append(rates, r)
		if r < 250 || r > 280 {
			t.Fatalf("step %d: rate %v records/s shown, the line runs at 266: %q", step, r, last)
		}
		if step == 100 { // 1600 received, 4400 left at 266/s: 16.5 s
			if sub[2] != "16s" && sub[2] != "17s" {
				t.Errorf("ETA with 4400 records left at 266/s = %s, want 16s or 17s", sub[2])
			}
		}
	}
	if len(rates) == 0 {
		t.Fatal("no rate was ever shown")
	}
	// 375 R lines over 22.5 s: redrawn at least every other line.
	if got := strings.Count(out.String(), "\r\x1b[K") - draws; got < 180 {
		t.Errorf("redrawn %d times for 375 lines; want smooth progress", got)
	}
	m.finish(nil)
	if last := lastLine(out.String()); !strings.Contains(last, "6000/6000") || !strings.Contains(last, "done in 23s") {
		t.Errorf("final line %q", last)
	}
}

// TestProgressStall: when the kiosk falls silent the rate falls and the
// ETA grows, redrawn by the ticker, not frozen at the last good figure.
func TestProgressStall(t *testing.T) {
	var out bytes.Buffer
	clock := &fakeClock{t: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	scr := newScreen(&out, msg.New(msg.ZH), "on", clock.now)
	m := scr.add("/dev/ttyUSB0")
	m.Begin("K05", 2000)
	for range 50 {
		clock.advance(100 * time.Millisecond)
		m.Received(10) // 100 records/s for 5 s
	}
	before := m.line(clock.now())
	clock.advance(5 * time.Second)
	scr.mu.Lock()
	scr.redraw(true)
	scr.mu.Unlock()
	after := lastLine(out.String())
	if !strings.Contains(before, "每秒 100 条") || !strings.Contains(after, "每秒 50 条") {
		t.Errorf("before the stall %q, 5 s into it %q: want 100 then 50 records/s", before, after)
	}
	if !strings.Contains(after, "约剩 30秒") {
		t.Errorf("ETA after the stall: %q, want 1500 records at 50/s = 30秒", after)
	}
}

// TestProgressPlain: off a terminal, no escapes, a line when a kiosk
// starts and one when it is done.
func TestProgressPlain(t *testing.T) {
	out, clock, a, b := twoKiosks("auto")
	a.Begin("K01", 100)
	b.Begin("K02", 0)
	a.Received(100)
	a.Committed(100)
	clock.advance(2 * time.Second)
	a.finish(nil)
	b.finish(nil)
	want := "K01  0/100  100 records to pull\nK02  0/0  0 records to pull\nK01  100/100  done in 2s\nK02  0/0  nothing new\n"
	if out.String() != want {
		t.Errorf("plain output:\n%s\nwant:\n%s", out.String(), want)
	}
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	l := lines[len(lines)-1]
	if i := strings.LastIndex(l, "\x1b[K"); i >= 0 {
		l = l[i+len("\x1b[K"):]
	}
	return l
}

// TestProgressBoard: on a terminal, two kiosks' lines are redrawn in
// place (cursor up two lines), and a log message goes above them.
func TestProgressBoard(t *testing.T) {
	out, clock, a, b := twoKiosks("on")
	a.Begin("K01", 100)
	b.Begin("K02", 100)
	clock.advance(time.Second)
	a.Received(50)
	b.logf(msg.PullerBatchSize, "K02", 500)
	s := out.String()
	if !strings.Contains(s, "\x1b[2A") {
		t.Errorf("no redraw in place:\n%q", s)
	}
	i := strings.LastIndex(s, "kioskpull: K02: now asking for 500 records per batch\n")
	if i < 0 || !strings.Contains(s[i:], "K01  [") || !strings.Contains(s[i:], "K02  [") {
		t.Errorf("the log line is not followed by both status lines:\n%q", s)
	}
}

// twoKiosks returns a screen in English for -progress mode with the meters
// of two kiosks, writing to out, on a clock the test moves.
func twoKiosks(mode string) (out *bytes.Buffer, clock *fakeClock, a, b *meter) {
	out = new(bytes.Buffer)
	clock = &fakeClock{t: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	scr := newScreen(out, msg.English, mode, clock.now)
	return out, clock, scr.add("/dev/ttyUSB0"), scr.add("/dev/ttyUSB1")
}
