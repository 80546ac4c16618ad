package kiosklog

import (
	"errors"
	"fmt"
)

// maxErrors is how many bad rows of one file are reported before the rest
// is skipped: a file with a wrong layout would otherwise print thousands.
const maxErrors = 20

// Problems collects the problems of one file, each as "name:line: what",
// up to maxErrors, then one more saying there are too many.
type Problems struct {
	name string
	errs []error
}

// NewProblems starts the problems of the file name.
func NewProblems(name string) *Problems { return &Problems{name: name} }

// Add records err at line. It reports false once there are too many to
// go on reading.
func (p *Problems) Add(line int, err error) bool {
	return p.AddErr(fmt.Errorf("%s:%d: %v", p.name, line, err))
}

// AddErr is Add for an error that already says its file and line (one
// for people, in their language).
func (p *Problems) AddErr(err error) bool {
	p.errs = append(p.errs, err)
	if len(p.errs) >= maxErrors {
		p.errs = append(p.errs, fmt.Errorf("%s: too many errors", p.name))
		return false
	}
	return true
}

// Err is every problem joined, or nil.
func (p *Problems) Err() error { return errors.Join(p.errs...) }
