package main

import (
	"context"
	"errors"
	"fmt"

	"gongjian/kioskpull/pseudonym"
)

type keygenCmd struct {
	key        string
	insideRepo bool
}

func (c *keygenCmd) parse(m *Main, args []string) error {
	fs := newFlags(m, "keygen", "[-key FILE]")
	fs.StringVar(&c.key, "key", "", "where to write the key `file` (default $"+pseudonym.EnvKey+", else kiosk.key in your config folder)")
	fs.BoolVar(&c.insideRepo, "inside-repo", false, "allow writing the key inside a git working tree (not recommended)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return errors.New("keygen takes no arguments")
	}
	return nil
}

func (c *keygenCmd) run(ctx context.Context, m *Main) error {
	path, err := pseudonym.KeyPath(c.key, m.Getenv)
	if err != nil {
		return err
	}
	if !c.insideRepo && pseudonym.InsideGitRepo(path) {
		return fmt.Errorf("refusing to write the site key inside a git working tree (%s), where it could be committed; choose a path outside it", path)
	}
	if err := pseudonym.Generate(path); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "site key written to %s\nKeep it outside the repository and back it up: every pull and import must use the same key, or one household becomes two.\n", path)
	return nil
}
