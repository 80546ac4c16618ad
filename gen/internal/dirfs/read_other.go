//go:build !linux

package dirfs

import (
	"io/fs"
	"os"
)

func openFile(root, name string) (*os.File, error) { return rootOpen(root, name) }

func stat(root, name string) (fs.FileInfo, error) { return rootStat(root, name) }

func readFile(root, name string, n int64) ([]byte, error) { return readPortable(root, name, n) }
