package kiosklog

import (
	"errors"

	"gongjian/gen/diag"
)

// MaxErrors is how many bad rows of one file a reader reports before it
// stops reading the file: a file with a wrong layout would otherwise print
// thousands.
const MaxErrors = 20

// Report adds err, a problem at line of file, to l, which holds that
// file's problems. Once l has MaxErrors of them it adds one more, saying
// there are too many, and returns false: the reader stops there.
func Report(l *diag.List, file string, line int, err error) bool {
	l.Add(diag.At(file, line, err))
	if len(*l) >= MaxErrors {
		l.Addf(file, 0, "too many errors")
		return false
	}
	return true
}

// errOf is l as an error: nil when l is empty. The problems stay in the
// order found (files in name order, lines in order), with a file's "too
// many errors" after its last line.
func errOf(l diag.List) error {
	if len(l) == 0 {
		return nil
	}
	return l
}

// merge adds err to l: each problem of a diag.List in it, a *diag.Error,
// or any other error as a problem of file as a whole.
func merge(l *diag.List, file string, err error) {
	var list diag.List
	var one *diag.Error
	switch {
	case err == nil:
	case errors.As(err, &list):
		l.Merge(list)
	case errors.As(err, &one):
		l.Add(one)
	default:
		l.Add(diag.At(file, 0, diag.Cause(err)))
	}
}
