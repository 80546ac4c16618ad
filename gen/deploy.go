package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"gongjian/gen/deploy"
)

type deployCmd struct {
	stdout, stderr io.Writer
	src, dir       string
	target         deploy.Target
	dryRun         bool
	overwrite      bool
	quiet          bool
}

func (c *deployCmd) ParseFlags(args []string) error {
	fs := flag.NewFlagSet("gen deploy", flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	fs.StringVar(&c.src, "src", ".", "the site `folder`")
	fs.StringVar(&c.dir, "dir", "", "the built `folder` to publish (default: SRC/public)")
	fs.BoolVar(&c.dryRun, "dry-run", false, "print the plan (upload, delete, with sizes) and change nothing")
	fs.BoolVar(&c.overwrite, "overwrite", false, "replace objects at the site's keys that gen deploy did not upload")
	fs.BoolVar(&c.quiet, "q", false, "print nothing on success")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `Usage: gen deploy [flags] s3://BUCKET[/PREFIX][?region=R&endpoint=URL&style=path|virtual]

Publishes the built site (run gen build first) to an S3-compatible bucket:
only what changed is uploaded; assets and data first, then pages, then
feeds, sitemap and data.json; objects no longer in the site are deleted
last, and only when everything else succeeded. An interrupted deploy leaves
the previous site readable; running it again finishes the job.

Credentials come from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and
AWS_SESSION_TOKEN), or AWS_PROFILE with ~/.aws/credentials; never from the
command line.

Flags:
`)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(c.stderr, "gen deploy: want one target, e.g. s3://bucket/prefix?region=cn-north-1")
		fs.Usage()
		return errors.New("usage")
	}
	t, err := deploy.ParseTarget(fs.Arg(0))
	if err != nil {
		fmt.Fprintf(c.stderr, "gen deploy: %v\n", err)
		return err
	}
	c.target = t
	if c.dir == "" {
		c.dir = filepath.Join(c.src, "public")
	}
	return nil
}

func (c *deployCmd) Run(ctx context.Context) error {
	if fi, err := os.Stat(c.dir); err != nil || !fi.IsDir() {
		return fmt.Errorf("gen deploy: %s is not a built site folder; run gen build first", c.dir)
	}
	s, err := deploy.NewS3(ctx, c.target, deploy.S3Options{})
	if err != nil {
		return fmt.Errorf("gen deploy: %w", err)
	}
	logf := func(format string, args ...any) { fmt.Fprintf(c.stderr, format+"\n", args...) }
	if c.quiet {
		logf = nil
	}
	st, err := deploy.Deploy(ctx, s, deploy.Options{
		Dir:       c.dir,
		DryRun:    c.dryRun,
		Overwrite: c.overwrite,
		HashCache: filepath.Join(c.src, ".cache", "deploy-hashes.json"),
		Out:       c.stdout,
		Progress:  c.stderr,
		Logf:      logf,
	})
	if err != nil {
		return fmt.Errorf("gen deploy %s: %w", c.target, err)
	}
	if !c.quiet && !c.dryRun {
		fmt.Fprintf(c.stdout, "deployed to %s: uploaded %d files (%s), kept %d, deleted %d, left %d not made by gen; %d HEAD requests; in %v\n",
			c.target, st.Uploaded, deploy.Size(st.Bytes), st.Kept, st.Deleted, st.Foreign, st.Heads, st.Elapsed.Round(1e6))
	}
	return nil
}
