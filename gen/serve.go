package main

import (
	"context"
	"errors"
	"io"
)

// serveCmd is the editors' preview; see issue "gen serve".
type serveCmd struct {
	stdout, stderr io.Writer
}

func (c *serveCmd) ParseFlags(args []string) error { return nil }

func (c *serveCmd) Run(ctx context.Context) error {
	return errors.New("gen serve: not built yet")
}
