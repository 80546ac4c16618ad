package main

import (
	"io"
	"time"

	"github.com/schollz/progressbar/v3"

	"gongjian/kioskpull/puller"
)

// bar shows a pull's progress with records/s and ETA.
type bar struct {
	w   io.Writer
	bar *progressbar.ProgressBar
}

// newProgress returns a progress bar on w, or nil when mode is "off" or
// "auto" and w is not a terminal.
func newProgress(w io.Writer, mode string) puller.Progress {
	if mode == "off" || mode == "auto" && !isTerminal(w) {
		return nil
	}
	return &bar{w: w}
}

func (b *bar) Begin(kiosk string, total int64) {
	b.bar = progressbar.NewOptions64(total,
		progressbar.OptionSetWriter(b.w),
		progressbar.OptionSetDescription(kiosk),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("records"),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionOnCompletion(func() { io.WriteString(b.w, "\n") }),
	)
}

func (b *bar) Received(int) {}
func (b *bar) Rejected()    {}

func (b *bar) Committed(n int) {
	if b.bar != nil {
		b.bar.Add(n)
	}
}

func (b *bar) End() {
	if b.bar != nil && !b.bar.IsFinished() {
		b.bar.Exit()
		io.WriteString(b.w, "\n")
	}
}
