package msg

import (
	"fmt"
	"strings"
	"sync"

	"gongjian/gen/diag"
)

// Lang is a language of the catalogue.
type Lang int

// The catalogue's languages.
const (
	ZH Lang = iota // Simplified Chinese, the default
	EN             // English
)

// LangFrom picks the language from the environment the way POSIX locales
// do: the first of LC_ALL, LC_MESSAGES and LANG that is set decides;
// English if it starts with "en", Chinese otherwise.
func LangFrom(getenv func(string) string) Lang {
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if s := getenv(v); s != "" {
			if strings.HasPrefix(s, "en") {
				return EN
			}
			return ZH
		}
	}
	return ZH
}

// Key names one message of the catalogue.
type Key string

// Where a problem is: a file and line, or a whole file.
const (
	At     Key = "at"
	AtFile Key = "at-file"
)

func init() {
	Register(map[Key]Text{
		At:     {ZH: "%s:%d：%v", EN: "%s:%d: %v"},
		AtFile: {ZH: "%s：%v", EN: "%s: %v"},
	})
}

// Text is one message in both languages: fmt formats. EN1, if set, is the
// English for a first argument of 1 ("1 gap", "2 gaps"); Chinese needs no
// plural.
type Text struct{ ZH, EN, EN1 string }

var (
	mu        sync.RWMutex
	catalogue = map[Key]Text{}
)

// Register adds messages to the catalogue. It panics on a key registered
// twice or a message missing a language: both are programming errors,
// caught by the package's tests.
func Register(texts map[Key]Text) {
	mu.Lock()
	defer mu.Unlock()
	for k, t := range texts {
		if _, dup := catalogue[k]; dup {
			panic("msg: key registered twice: " + string(k))
		}
		if t.ZH == "" || t.EN == "" {
			panic("msg: key without both languages: " + string(k))
		}
		catalogue[k] = t
	}
}

// Keys returns every registered key (for tests).
func Keys() []Key {
	mu.RLock()
	defer mu.RUnlock()
	ks := make([]Key, 0, len(catalogue))
	for k := range catalogue {
		ks = append(ks, k)
	}
	return ks
}

// Lookup returns the text of k.
func Lookup(k Key) (Text, bool) {
	mu.RLock()
	defer mu.RUnlock()
	t, ok := catalogue[k]
	return t, ok
}

// Printer formats messages in one language.
type Printer struct{ Lang Lang }

// New returns a printer for l.
func New(l Lang) *Printer { return &Printer{Lang: l} }

// English formats in English: what Error() of an *Error says.
var English = New(EN)

// Format returns the format of k in p's language; an unknown key is its
// own format, so a missing message still says something.
func (p *Printer) Format(k Key) string { return p.format(k, nil) }

func (p *Printer) format(k Key, args []any) string {
	t, ok := Lookup(k)
	switch {
	case !ok:
		return string(k)
	case p.Lang == EN && t.EN1 != "" && len(args) > 0 && args[0] == any(1):
		return t.EN1
	case p.Lang == EN:
		return t.EN
	}
	return t.ZH
}

// Sprintf formats message k with args; error arguments are rendered with
// p.Error and Key arguments looked up, so they are translated too.
func (p *Printer) Sprintf(k Key, args ...any) string {
	out := make([]any, len(args))
	for i, a := range args {
		switch v := a.(type) {
		case error:
			a = p.Error(v)
		case Key:
			a = p.Format(v)
		}
		out[i] = a
	}
	return fmt.Sprintf(p.format(k, args), out...)
}

// Error renders err for people in p's language: *Error in the chain are
// translated, errors.Join lists and diag.Lists go one per line, a
// *diag.Error made from an error says its file and line before that error,
// and a wrapper that adds nothing to its one wrapped error (an exit
// status, say) is looked through. Other errors say what they say.
func (p *Printer) Error(err error) string {
	if err == nil {
		return ""
	}
	switch e := err.(type) {
	case *Error:
		return p.Sprintf(e.Key, e.Args...)
	case *diag.Error:
		switch {
		case e.Err == nil:
		case e.Line > 0:
			return p.Sprintf(At, e.File, e.Line, e.Err)
		default:
			return p.Sprintf(AtFile, e.File, e.Err)
		}
	}
	switch u := err.(type) {
	case interface{ Unwrap() []error }:
		var lines []string
		for _, inner := range u.Unwrap() {
			if inner != nil {
				lines = append(lines, p.Error(inner))
			}
		}
		return strings.Join(lines, "\n")
	case interface{ Unwrap() error }:
		if inner := u.Unwrap(); inner != nil && inner.Error() == err.Error() {
			return p.Error(inner)
		}
	}
	return err.Error()
}

// Error is an error for people: a catalogue message and its arguments.
type Error struct {
	Key  Key
	Args []any
}

// Errorf returns an *Error for message k.
func Errorf(k Key, args ...any) error { return &Error{Key: k, Args: args} }

// Error says it in English.
func (e *Error) Error() string { return English.Sprintf(e.Key, e.Args...) }

// Unwrap returns the error arguments, for errors.Is and errors.As.
func (e *Error) Unwrap() []error {
	var errs []error
	for _, a := range e.Args {
		if err, ok := a.(error); ok {
			errs = append(errs, err)
		}
	}
	return errs
}
