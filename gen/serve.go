package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"path"
	"strings"
	"time"

	"gongjian/gen/diag"
	"gongjian/gen/internal/dirfs"
	"gongjian/gen/pipeline"
	"gongjian/gen/preview"
	"gongjian/gen/search"
	"gongjian/gen/watch"
)

// serveCmd is the editors' preview: build, serve from memory, rebuild what a
// change affects, and tell the browsers.
type serveCmd struct {
	stdout, stderr io.Writer
	opt            pipeline.Options
	addr           string
	index          *indexer
}

func (c *serveCmd) ParseFlags(args []string) error {
	fs := flag.NewFlagSet("gen serve", flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	siteFlags(fs, &c.opt)
	fs.StringVar(&c.addr, "addr", "127.0.0.1:1414", "`host:port` to listen on (loopback by default; port 0 picks a free one)")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `Usage: gen serve [flags]

Builds the site into memory, serves it, and watches content/, data/ and
themes/. Every save re-renders the pages it affects and open browsers reload
themselves; a stylesheet change is swapped in without a reload. Problems show
over the page, with file and line, while the last good pages stay served.
Nothing is written to disk. Stop with Ctrl-C.

Flags:
`)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(c.stderr, "gen serve: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return errors.New("usage")
	}
	return nil
}

func (c *serveCmd) Run(ctx context.Context) error {
	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return fmt.Errorf("gen serve: %w", err)
	}
	defer ln.Close()
	url := "http://" + ln.Addr().String() + "/"
	if c.opt.BaseURL == "" {
		c.opt.BaseURL = url
	}
	c.opt.Logf = func(format string, args ...any) { fmt.Fprintf(c.stderr, format+"\n", args...) }
	c.opt.Progress = c.stderr
	ss := pipeline.NewSession(dirfs.New(c.opt.Src), c.opt)
	srv := preview.New()
	c.index = newIndexer(ctx, srv, c.stderr)
	c.rebuild(ctx, ss, srv, nil)

	w, err := watch.New(c.opt.Src, "content", "data", "themes")
	if err != nil {
		return fmt.Errorf("gen serve: watch: %w", err)
	}
	defer w.Close()
	w.Logf = func(format string, args ...any) { fmt.Fprintf(c.stderr, format+"\n", args...) }
	batches := make(chan []string)
	go w.Run(ctx, batches)

	hs := &http.Server{Handler: preview.Guard(ln.Addr().String(), c.addr, srv), BaseContext: func(net.Listener) context.Context { return ctx }, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	fmt.Fprintf(c.stdout, "serving %s (Ctrl-C to stop)\n", url)

	for {
		select {
		case <-ctx.Done():
			shut, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			_ = hs.Shutdown(shut)
			fmt.Fprintln(c.stdout, "stopped")
			return nil
		case err := <-served:
			return fmt.Errorf("gen serve: %w", err)
		case batch := <-batches:
			c.rebuild(ctx, ss, srv, batch)
		}
	}
}

// snapshot is what the search index covers after one update.
type snapshot struct {
	docs search.Keyed
	ok   bool // the site has search
}

// indexer builds the search index of the latest snapshot in the
// background, once edits pause: a snapshot waiting when a newer one comes
// is dropped, so a burst of edits costs one index, not one per edit.
type indexer struct {
	latest chan snapshot // holds at most the one newest snapshot
}

func newIndexer(ctx context.Context, srv *preview.Server, stderr io.Writer) *indexer {
	ix := &indexer{latest: make(chan snapshot, 1)}
	go func() {
		var enc pipeline.Indexer
		for {
			select {
			case <-ctx.Done():
				return
			case s := <-ix.latest:
				s, ok := ix.settle(ctx, s)
				if !ok {
					return
				}
				files, removed, err := enc.Files(s.docs, s.ok)
				if err != nil {
					fmt.Fprintf(stderr, "gen serve: search index: %v\n", err)
					continue
				}
				srv.Put(files, removed)
			}
		}
	}()
	return ix
}

// Encoding the index of 10,000 stories takes about a second of CPU the
// first time and a quarter of that after an edit (the Writer keeps its
// postings), which would compete with the next edit for the cores: the
// indexer waits until no newer snapshot has come for indexQuiet, but
// never more than indexMaxWait after the first.
const (
	indexQuiet   = 300 * time.Millisecond
	indexMaxWait = 3 * time.Second
)

// settle waits for edits to pause and returns the newest snapshot; false
// when ctx ends first.
func (ix *indexer) settle(ctx context.Context, s snapshot) (snapshot, bool) {
	deadline := time.NewTimer(indexMaxWait)
	defer deadline.Stop()
	for {
		quiet := time.NewTimer(indexQuiet)
		select {
		case newer := <-ix.latest:
			quiet.Stop()
			s = newer
		case <-quiet.C:
			return s, true
		case <-deadline.C:
			quiet.Stop()
			return s, true
		case <-ctx.Done():
			quiet.Stop()
			return s, false
		}
	}
}

// put hands s to the indexer, replacing a snapshot it has not started on.
// Only the rebuild loop calls it.
func (ix *indexer) put(s snapshot) {
	select {
	case <-ix.latest:
	default:
	}
	ix.latest <- s
}

// rebuild applies one batch of changes and reports it.
func (c *serveCmd) rebuild(ctx context.Context, ss *pipeline.Session, srv *preview.Server, batch []string) {
	res, err := ss.Update(ctx, batch)
	if err != nil {
		srv.Fail(err)
		var list diag.List
		if errors.As(err, &list) {
			fmt.Fprintf(c.stderr, "%v\ngen serve: %d problem(s); still serving the last good pages\n", list, len(list))
		} else {
			fmt.Fprintf(c.stderr, "gen serve: %v\n", err)
		}
		return
	}
	// Editors' notes show over the pages they concern, in the preview only.
	srv.SetNotes(ss.PageNotes())
	srv.Update(res.Files, res.Removed, res.CSS, batch != nil && cssOnly(batch))
	// The search index follows the reload, on its own goroutine: neither
	// the edited page nor the next edit waits for it.
	docs, ok := ss.SearchDocs()
	c.index.put(snapshot{docs, ok})
	what := "built"
	if batch != nil {
		what = "rebuilt"
	}
	fmt.Fprintf(c.stdout, "%s %d page(s), %d file(s) changed, %d removed in %v\n", what, res.Pages, len(res.Files), len(res.Removed), res.Elapsed.Round(time.Microsecond*100))
}

// cssOnly reports whether a batch changes only theme stylesheets.
func cssOnly(batch []string) bool {
	for _, p := range batch {
		if !strings.HasPrefix(p, "themes/") || path.Base(path.Dir(p)) != "css" || path.Ext(p) != ".css" {
			return false
		}
	}
	return len(batch) > 0
}
