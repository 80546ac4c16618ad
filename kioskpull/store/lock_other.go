//go:build !unix

package store

import (
	"errors"
	"os"
)

func tryLock(f *os.File) (bool, error) {
	return false, errors.New("file locking is only implemented for Unix systems (Linux, macOS)")
}

func unlock(f *os.File) error { return nil }
