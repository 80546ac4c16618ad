// Command gen builds the transparency portal: Markdown stories, datasets and
// a theme in, a static site out. Run "gen -h" for the commands.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"gongjian/gen/deploy"
	"gongjian/gen/output"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(Run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// Exit statuses.
const (
	exitOK      = 0
	exitFailed  = 1 // the site has errors, or writing failed
	exitUsage   = 2 // bad command line, or an output folder gen may not replace
	exitStopped = 130
)

const usage = `gen builds the portal from content/, data/ and themes/.

Usage:
  gen build [flags]   build the site into public/
  gen serve [flags]   preview the site with live reload while you edit
  gen deploy [flags] s3://BUCKET/PREFIX
                      publish the built site to S3-compatible storage

Run "gen COMMAND -h" for a command's flags.
`

// Run runs the command line args and returns the exit status.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	var cmd interface {
		ParseFlags(args []string) error
		Run(ctx context.Context) error
	}
	switch args[0] {
	case "build":
		cmd = &buildCmd{stdout: stdout, stderr: stderr}
	case "serve":
		cmd = &serveCmd{stdout: stdout, stderr: stderr}
	case "deploy":
		cmd = &deployCmd{stdout: stdout, stderr: stderr}
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usage)
		return exitOK
	default:
		fmt.Fprintf(stderr, "gen: unknown command %q\n\n%s", args[0], usage)
		return exitUsage
	}
	if err := cmd.ParseFlags(args[1:]); err != nil {
		if errors.Is(err, errHelp) {
			return exitOK
		}
		return exitUsage
	}
	if err := cmd.Run(ctx); err != nil {
		if ctx.Err() != nil {
			fmt.Fprintln(stderr, "gen: stopped")
			return exitStopped
		}
		fmt.Fprintln(stderr, err)
		var refused *output.RefusedError
		var overwrite *deploy.OverwriteError
		if errors.As(err, &refused) || errors.As(err, &overwrite) {
			return exitUsage
		}
		return exitFailed
	}
	return exitOK
}
