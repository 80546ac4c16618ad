package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"gongjian/kioskpull/msg"
	"gongjian/kioskpull/serialport"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	m := NewMain()
	code := m.Main(ctx, os.Args[1:])
	stop()
	os.Exit(code)
}

// Exit statuses (also in README.md).
const (
	ExitOK         = 0   // done: everything the kiosks held is stored
	ExitFailure    = 1   // an error: I/O, a kiosk fault, damaged export files
	ExitUsage      = 2   // bad command line
	ExitNoKey      = 3   // no site key: run `kioskpull keygen`
	ExitIncomplete = 4   // not everything pulled (kiosk lost, none found, line too bad); what was committed stays
	ExitInterrupt  = 130 // interrupted (Ctrl-C); what was committed stays
)

// exitError carries an exit status with an error.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func withCode(code int, err error) error {
	if err == nil {
		return nil
	}
	return &exitError{code, err}
}

// errUsage marks an error already reported (usage text, flag errors).
var errUsage = errors.New("usage")

// Main is the kioskpull program, testable without a process.
type Main struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string

	// P says things in the user's language (msg.LangFrom(Getenv)); Main
	// sets it when it is nil.
	P *msg.Printer

	// ListPorts enumerates serial ports (serialport.List when nil; tests
	// pass pseudo-terminals off as USB kiosks).
	ListPorts func() ([]serialport.Port, error)
	// Now is the clock (time.Now when nil).
	Now func() time.Time

	cmd  command
	args []string // as given, for the lock file's note of who holds a kiosk folder
}

// command is one subcommand: it parses its flags, then runs.
type command interface {
	parse(m *Main, args []string) error
	run(ctx context.Context, m *Main) error
}

// NewMain returns a Main on the process's standard streams.
func NewMain() *Main {
	return &Main{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}
}

// ParseFlags picks the subcommand and parses its flags.
func (m *Main) ParseFlags(ctx context.Context, args []string) error {
	m.setup()
	usage := m.P.Sprintf(msg.CLIUsage)
	m.args = args
	if len(args) == 0 {
		fmt.Fprint(m.Stderr, usage)
		return withCode(ExitUsage, errUsage)
	}
	switch args[0] {
	case "pull":
		m.cmd = &pullCmd{}
	case "status":
		m.cmd = &statusCmd{}
	case "import":
		m.cmd = &importCmd{}
	case "verify":
		m.cmd = &verifyCmd{}
	case "ports":
		m.cmd = &portsCmd{}
	case "close":
		m.cmd = &closeCmd{}
	case "keygen":
		m.cmd = &keygenCmd{}
	case "receipt":
		m.cmd = &receiptCmd{}
	case "sim":
		m.cmd = &simCmd{}
	case "demo":
		m.cmd = &demoCmd{}
	case "help", "-h", "-help", "--help":
		fmt.Fprint(m.Stdout, usage)
		return withCode(ExitOK, errUsage)
	default:
		fmt.Fprintf(m.Stderr, "%s\n\n%s", m.P.Sprintf(msg.CLIError, m.P.Sprintf(msg.CLIUnknownCommand, args[0])), usage)
		return withCode(ExitUsage, errUsage)
	}
	if err := m.cmd.parse(m, args[1:]); err != nil {
		var ee *exitError
		if errors.As(err, &ee) {
			return err
		}
		return withCode(ExitUsage, err)
	}
	return nil
}

// setup fills in what the caller left out.
func (m *Main) setup() {
	if m.Getenv == nil {
		m.Getenv = os.Getenv
	}
	if m.P == nil {
		m.P = msg.New(msg.LangFrom(m.Getenv))
	}
	if m.ListPorts == nil {
		m.ListPorts = serialport.List
	}
	if m.Now == nil {
		m.Now = time.Now
	}
}

// Run runs the parsed subcommand.
func (m *Main) Run(ctx context.Context) error {
	m.setup()
	return m.cmd.run(ctx, m)
}

// Main parses, runs and reports; it returns the exit status.
func (m *Main) Main(ctx context.Context, args []string) int {
	err := m.ParseFlags(ctx, args)
	if err == nil {
		err = m.Run(ctx)
	}
	code := ExitCode(ctx, err)
	if err != nil && !errors.Is(err, errUsage) {
		for _, line := range strings.Split(m.P.Error(err), "\n") {
			fmt.Fprintln(m.Stderr, m.P.Sprintf(msg.CLIError, line))
		}
	}
	return code
}

// ExitCode maps an error from ParseFlags or Run to an exit status.
func ExitCode(ctx context.Context, err error) int {
	var ee *exitError
	switch {
	case err == nil:
		return ExitOK
	case ctx.Err() != nil || errors.Is(err, context.Canceled):
		return ExitInterrupt
	case errors.As(err, &ee):
		return ee.code
	}
	return ExitFailure
}
