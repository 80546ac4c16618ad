package main

import (
	"context"
	"fmt"

	"gongjian/kioskpull/msg"
	"gongjian/kioskpull/pseudonym"
)

type keygenCmd struct {
	key        string
	insideRepo bool
}

func (c *keygenCmd) parse(m *Main, args []string) error {
	fs := newFlags(m, "keygen", "[-key FILE]")
	fs.StringVar(&c.key, "key", "", m.P.Sprintf(msg.FlagKeygenKey, pseudonym.EnvKey))
	fs.BoolVar(&c.insideRepo, "inside-repo", false, m.P.Sprintf(msg.FlagInsideRepo))
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return msg.Errorf(msg.KeygenNoArgs)
	}
	return nil
}

func (c *keygenCmd) run(ctx context.Context, m *Main) error {
	path, err := pseudonym.KeyPath(c.key, m.Getenv)
	if err != nil {
		return err
	}
	if !c.insideRepo && pseudonym.InsideGitRepo(path) {
		return msg.Errorf(msg.KeygenInsideRepo, path)
	}
	if err := pseudonym.Generate(path); err != nil {
		return err
	}
	fmt.Fprintln(m.Stdout, m.P.Sprintf(msg.KeygenWritten, path))
	return nil
}
