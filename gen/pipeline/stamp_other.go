//go:build !unix || aix

package pipeline

import (
	"errors"
	"time"
)

// stampTree has nothing to stamp where records are not kept.
func stampTree(string, string, map[string]stamp) error { return errNoRecords }

var errNoRecords = errors.New("records are not kept on this system")

// lockRecord has no lock to take where records are not kept.
func lockRecord(string, time.Duration) (func(), error) { return func() {}, nil }

// Without a lock that two builds respect, every build is a full one.
const haveRecords = false
