package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"gongjian/kioskpull/msg"
	"gongjian/kioskpull/pseudonym"
	"gongjian/kioskpull/store"
)

// newFlags returns a flag set that reports to m.Stderr and never exits.
func newFlags(m *Main, name, args string) *flag.FlagSet {
	fs := flag.NewFlagSet("kioskpull "+name, flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	fs.Usage = func() {
		fmt.Fprintln(m.Stderr, m.P.Sprintf(msg.CLIFlagUsage, name, args))
		fs.PrintDefaults()
	}
	return fs
}

// flagGiven reports whether the flag was set on the command line.
func flagGiven(fs *flag.FlagSet, name string) bool {
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == name })
	return given
}

// defaultOut is the store folder, relative to the repository's top folder.
const defaultOut = "data/kiosk"

// checkOut refuses to make the default store folder anywhere but at the
// top of the repository: run elsewhere, a pull would quietly fill a stray
// ./data/kiosk that no site build ever reads.
func checkOut(out string, given bool) error {
	if given {
		return nil
	}
	if _, err := os.Stat(out); err == nil {
		return nil
	}
	if fi, err := os.Stat(filepath.Dir(out)); err == nil && fi.IsDir() {
		return nil
	}
	return withCode(ExitUsage, msg.Errorf(msg.CLIOutNoRepo, out))
}

// parseFlags parses args; -h is not an error, a bad flag is a usage error
// (already reported by the flag package).
func parseFlags(fs *flag.FlagSet, args []string) error {
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		return withCode(ExitOK, errUsage)
	}
	if err != nil {
		return withCode(ExitUsage, fmt.Errorf("%w: %v", errUsage, err))
	}
	return nil
}

// lockWaitHelp is the help of -lock-wait.
func lockWaitHelp(m *Main) string { return m.P.Sprintf(msg.FlagLockWait) }

// openStore opens the store at dir as the one writer this command is, and
// refuses with ExitNoKey a store made under another site key than h.
func openStore(m *Main, dir string, lockWait time.Duration, h *pseudonym.Hasher) (*store.Store, error) {
	st, err := store.Open(dir)
	if err != nil {
		return nil, err
	}
	if _, err := st.CheckKey(h.Fingerprint()); errors.Is(err, store.ErrKeyMismatch) {
		return nil, withCode(ExitNoKey, err)
	} else if err != nil {
		return nil, err
	}
	st.LockWait = lockWait
	st.Command = strings.TrimSpace("kioskpull " + strings.Join(m.args, " "))
	return st, nil
}

// lockedCode is the exit status for err: ExitIncomplete when another
// writer held a kiosk folder (running again later helps), else code.
func lockedCode(err error, code int) int {
	if errors.Is(err, store.ErrLocked) {
		return ExitIncomplete
	}
	return code
}

// keyFlagHelp is the help of -key.
func keyFlagHelp(m *Main) string { return m.P.Sprintf(msg.FlagKey, pseudonym.EnvKey) }

// loadKey finds and loads the site key, refusing with ExitNoKey if there
// is none.
func loadKey(m *Main, flagPath string) (*pseudonym.Hasher, string, error) {
	path, err := pseudonym.KeyPath(flagPath, m.Getenv)
	if err != nil {
		return nil, "", withCode(ExitNoKey, err)
	}
	h, err := pseudonym.Load(path)
	if errors.Is(err, pseudonym.ErrNoKey) {
		return nil, path, withCode(ExitNoKey, msg.Errorf(msg.CLINoKey, err))
	}
	if err != nil {
		return nil, path, err
	}
	return h, path, nil
}
