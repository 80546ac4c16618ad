//go:build !unix || aix

package pipeline

import (
	"io/fs"
	"time"
)

func sysStamp(fs.FileInfo) (ino uint64, ctime int64) { return 0, 0 }

// lockRecord has no lock to take where records are not kept.
func lockRecord(string, time.Duration) (func(), error) { return func() {}, nil }

// Without a lock that two builds respect, every build is a full one.
const haveRecords = false
