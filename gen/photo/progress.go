package photo

import (
	"os"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// progressBar returns a bar for n photos, or nil when the work is small or
// nobody is watching a terminal.
func (p *Processor) progressBar(n int) *progressbar.ProgressBar {
	f, ok := p.opt.Progress.(*os.File)
	if !ok || n < p.opt.ProgressMin || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	return progressbar.NewOptions(n,
		progressbar.OptionSetWriter(f),
		progressbar.OptionSetDescription("photos"),
		progressbar.OptionShowCount(),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionClearOnFinish(),
	)
}
