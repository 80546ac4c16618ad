package pipeline

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"gongjian/gen/diag"
	"gongjian/gen/internal/parallel"
	"gongjian/gen/search"
	"gongjian/gen/site"
)

// rendered is what rendering a list of pages gave.
type rendered struct {
	pages int
	reads []site.Reads // by the page's index in the list
}

// render produces pages and files into w, in parallel, then the files of
// features that finish after the pages. With index, the search index is
// written too, as soon as the last page it covers has rendered, while the
// other pages render.
func (e *engine) render(ctx context.Context, pages []*site.Page, files []site.File, w Writer, index bool) (rendered, error) {
	type written struct {
		sum uint64
		err error
	}
	var (
		indexed = make(chan written, 1)
		started bool
		textOut func()
	)
	if index && e.searchPage {
		textOut = func() {
			started = true
			go func() {
				iw := e.index
				if iw == nil {
					iw = new(search.Writer)
				}
				sum, err := e.search.WriteIndex(iw, func(f search.File) error {
					if f.Same {
						// Only a Writer that wrote into w before can
						// reuse a file, and render writes a new folder.
						return fmt.Errorf("%s: the index reuses a file of an earlier output folder", f.Path)
					}
					if e.indexed != nil {
						e.indexed(f.Path)
					}
					return w.WriteFile(f.Path, f.Data)
				})
				indexed <- written{sum, err}
			}()
		}
	}
	e.indexSum = 0
	res, err := e.renderPages(ctx, pages, files, w, textOut)
	if started {
		// Wait even when rendering failed: the index writes into w.
		ix := <-indexed
		switch {
		case ix.err != nil && err == nil:
			err = fmt.Errorf("search index: %w", ix.err)
		case ix.err == nil && ix.sum != 0:
			e.indexSum = docsKey(ix.sum)
		}
	}
	if err != nil {
		return rendered{}, err
	}
	for _, f := range e.features() {
		if fin, ok := f.(finisher); ok {
			if err := fin.Finish(ctx, w); err != nil {
				return rendered{}, err
			}
		}
	}
	return res, nil
}

// renderPages renders pages and writes them and files into w. Pages with
// Markdown render first; when they all have, textDone (if not nil) is
// called once, from one goroutine: the text of every page is known. It is
// not called when the context is cancelled first.
func (e *engine) renderPages(ctx context.Context, pages []*site.Page, files []site.File, w Writer, textDone func()) (rendered, error) {
	var (
		mu    sync.Mutex
		errs  diag.List
		other []error
		count int
	)
	fail := func(err error) {
		mu.Lock()
		other = append(other, err)
		mu.Unlock()
	}
	// Pages render on every core, but one goroutine writes them: creating
	// files and folders side by side in one folder contends on the
	// folder's lock in the kernel, and two writers took twice as long as
	// one for the 10,000 story folders of news/. Pages go to it in
	// batches, and renderers take pages by an atomic index: a channel
	// operation per page woke a sleeping goroutine per page.
	type file struct {
		path string
		data []byte
		buf  *bytes.Buffer // returned to bufs once written
	}
	const batchSize = 16
	// Page buffers are reused (with render's shared body bytes, 6-17% of
	// BenchmarkRender's CPU).
	bufs := sync.Pool{New: func() any { return new(bytes.Buffer) }}
	batches := make(chan []file, 4)
	written := make(chan struct{})
	go func() {
		defer close(written)
		for batch := range batches {
			for _, f := range batch {
				if err := w.WriteFile(f.path, f.data); err != nil {
					fail(fmt.Errorf("write: %w", err))
				}
				if f.buf != nil {
					bufs.Put(f.buf)
				}
			}
		}
	}()
	// Markdown pages first, each group in the order given.
	order := make([]int, 0, len(pages))
	for i, p := range pages {
		if p.Source != nil {
			order = append(order, i)
		}
	}
	var mdLeft atomic.Int64
	mdLeft.Store(int64(len(order)))
	for i, p := range pages {
		if p.Source == nil {
			order = append(order, i)
		}
	}
	if textDone != nil && mdLeft.Load() == 0 {
		textDone()
		textDone = nil
	}
	reads := make([]site.Reads, len(pages))
	hooks := e.hooks()
	total := len(order) + len(files)
	err := parallel.Workers(ctx, total, 0, func(next func() (int, bool)) {
		var local diag.List
		var n int
		batch := make([]file, 0, batchSize)
		send := func(f file) {
			batch = append(batch, f)
			if len(batch) == batchSize {
				batches <- batch
				batch = make([]file, 0, batchSize)
			}
		}
		for {
			k, ok := next()
			if !ok {
				break
			}
			if k >= len(order) {
				f := files[k-len(order)]
				send(file{path: f.Path, data: f.Data})
				continue
			}
			i := order[k]
			p := pages[i]
			buf := bufs.Get().(*bytes.Buffer)
			buf.Reset()
			r, err := e.r.Page(ctx, buf, p, hooks, &local)
			reads[i] = r
			if p.Source != nil && mdLeft.Add(-1) == 0 && textDone != nil {
				textDone()
			}
			if err != nil {
				fail(err)
				bufs.Put(buf)
				continue
			}
			n++
			send(file{path: p.Out, data: buf.Bytes(), buf: buf})
		}
		if len(batch) > 0 {
			batches <- batch
		}
		mu.Lock()
		errs.Merge(local)
		count += n
		mu.Unlock()
	})
	close(batches)
	<-written
	if err != nil {
		return rendered{}, err
	}
	if err := errs.Err(); err != nil {
		return rendered{}, err
	}
	if len(other) > 0 {
		return rendered{}, errors.Join(other...)
	}
	return rendered{pages: count, reads: reads}, nil
}
