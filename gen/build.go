package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"gongjian/gen/diag"
	"gongjian/gen/internal/memlimit"
	"gongjian/gen/output"
	"gongjian/gen/pipeline"
)

var errHelp = flag.ErrHelp

type buildCmd struct {
	stdout, stderr io.Writer
	opt            pipeline.Options
	quiet          bool
	cpuProfile     string
	memProfile     string
}

// siteFlags declares the flags build and serve share.
func siteFlags(fs *flag.FlagSet, opt *pipeline.Options) {
	fs.StringVar(&opt.Src, "src", ".", "the site `folder`, holding content/, data/ and themes/")
	fs.StringVar(&opt.BaseURL, "baseurl", "", "absolute `URL` the site is published at (default: baseURL in content/site.yaml)")
	fs.BoolVar(&opt.Drafts, "drafts", false, "include stories marked draft: true")
	fs.StringVar(&opt.Theme, "theme", "default", "theme `name` under themes/")
	fs.BoolVar(&opt.Strict, "strict", false, "treat missing alt text and captions, and raw HTML or links left out of a page, as errors")
}

func (c *buildCmd) ParseFlags(args []string) error {
	fs := flag.NewFlagSet("gen build", flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	siteFlags(fs, &c.opt)
	fs.StringVar(&c.opt.Out, "out", "", "output `folder`, replaced whole on success: new, empty, or built by gen before, and outside content/, data/ and themes/ (default: SRC/public)")
	fs.BoolVar(&c.quiet, "q", false, "print nothing on success")
	fs.BoolVar(&c.opt.Full, "full", false, "write the whole site, ignoring the record of the last build in the cache folder")
	fs.StringVar(&c.cpuProfile, "cpuprofile", "", "write a CPU profile of the build to `file` (for developers; make pgo uses it)")
	fs.StringVar(&c.memProfile, "memprofile", "", "write a heap profile of the build at its largest live heap to `file` (for developers)")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `Usage: gen build [flags]

Builds the site into the output folder. If anything is wrong, every problem is
printed as FILE:LINE: message, the exit status is 1 and the previous output is
untouched.

The first build writes the whole site beside the output folder and swaps it in.
It keeps a record of what it built in the cache folder (SRC/.cache/build), so
that the next build reads again only the sources that changed, renders again
only the pages they reach, and replaces only the files that differ, in one
step that is undone if anything fails. A record from another version of gen,
for other flags, or for an output folder changed since, is not used.

Flags:
`)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(c.stderr, "gen build: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return errors.New("usage")
	}
	return nil
}

func (c *buildCmd) Run(ctx context.Context) error {
	// The heap may grow to a share of the machine's memory, no more than
	// GOGC=100 would let it, and kept half as much again as the build
	// holds (see memlimit).
	_, stopLimit := memlimit.Set(os.Getenv, os.DirFS("/"))
	defer stopLimit()
	if c.opt.Out == "" {
		c.opt.Out = filepath.Join(c.opt.Src, "public")
	}
	// A folder that can never be the output is refused before the pipeline.
	if err := output.Check(c.opt.Out, c.opt.Src); err != nil {
		return fmt.Errorf("gen build: -out %w", err)
	}
	c.opt.Logf = func(format string, args ...any) { fmt.Fprintf(c.stderr, format+"\n", args...) }
	c.opt.Progress = c.stderr
	if c.cpuProfile != "" {
		stop, err := startCPUProfile(c.cpuProfile)
		if err != nil {
			return fmt.Errorf("gen build: %w", err)
		}
		defer stop()
	}
	if c.memProfile != "" {
		stop, err := startHeapProfile(c.memProfile)
		if err != nil {
			return fmt.Errorf("gen build: %w", err)
		}
		defer func() {
			peak, err := stop()
			switch {
			case err != nil:
				fmt.Fprintf(c.stderr, "gen build: -memprofile: %v\n", err)
			case !c.quiet:
				fmt.Fprintf(c.stderr, "heap profile at a live heap of %d MiB: %s\n", peak>>20, c.memProfile)
			}
		}()
	}
	stats, err := pipeline.Build(ctx, c.opt)
	if err != nil {
		var list diag.List
		if errors.As(err, &list) {
			return fmt.Errorf("%v\ngen build: %d problem(s); nothing was written", list, len(list))
		}
		var refused *output.RefusedError
		if errors.As(err, &refused) {
			return fmt.Errorf("gen build: -out %w", refused)
		}
		return fmt.Errorf("gen build: %w", err)
	}
	if !c.quiet {
		if stats.Rendered == stats.Pages && stats.Written == stats.Files {
			fmt.Fprintf(c.stdout, "built %d pages (%d stories, %d files) in %v\n", stats.Pages, stats.Stories, stats.Files, stats.Elapsed.Round(1e6))
		} else {
			fmt.Fprintf(c.stdout, "built %d pages (%d stories, %d files) in %v: %d pages rendered, %d files changed since the last build\n",
				stats.Pages, stats.Stories, stats.Files, stats.Elapsed.Round(1e6), stats.Rendered, stats.Written)
		}
	}
	return nil
}
