package store

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"gongjian/kioskpull/msg"
)

// LockFile is the name of the lock file in each kiosk folder. Its name
// starts with '.', so package kiosklog (and so the site) never reads it.
const LockFile = ".lock"

// ErrLocked is wrapped by Lock when another writer holds a kiosk folder
// for longer than the store's LockWait.
var ErrLocked = msg.Errorf(msg.StoreLocked)

// Holder says who holds a kiosk folder's lock: it is written into the lock
// file, for the writer that has to wait.
type Holder struct {
	PID     int
	Command string
	Started time.Time
}

func (h Holder) String() string {
	if h.PID == 0 {
		return "an unknown process"
	}
	s := "pid " + strconv.Itoa(h.PID)
	if h.Command != "" {
		s += " (" + h.Command + ")"
	}
	if !h.Started.IsZero() {
		s += " since " + h.Started.Format("2006-01-02 15:04:05 -0700")
	}
	return s
}

func (h Holder) marshal() []byte {
	cmd := strings.ReplaceAll(h.Command, "\n", " ")
	return fmt.Appendf(nil, "pid %d\ncommand %s\nstarted %s\n", h.PID, cmd, h.Started.Format(time.RFC3339))
}

// parseHolder reads what marshal wrote; anything it does not understand
// is left out.
func parseHolder(data []byte) Holder {
	var h Holder
	for line := range strings.Lines(string(data)) {
		k, v, _ := strings.Cut(strings.TrimRight(line, "\n"), " ")
		switch k {
		case "pid":
			h.PID, _ = strconv.Atoi(v)
		case "command":
			h.Command = v
		case "started":
			h.Started, _ = time.Parse(time.RFC3339, v)
		}
	}
	return h
}

// lockPoll is how often a waiting writer tries the lock again.
const lockPoll = 50 * time.Millisecond

// acquire takes the flock of dir/.lock, waiting up to wait. The lock is
// the open file: closing it (or the process ending, however it ends)
// releases it, so a killed writer never leaves a folder locked.
func (s *Store) acquire(ctx context.Context, dir string, wait time.Duration) (*os.File, error) {
	name := filepath.Join(dir, LockFile)
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	deadline := time.Now().Add(wait)
	for {
		busy, err := tryLock(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("store: locking %s: %w", name, err)
		}
		if !busy {
			break
		}
		if !time.Now().Before(deadline) {
			f.Close()
			data, _ := os.ReadFile(name)
			return nil, msg.Errorf(msg.StoreErrLocked, dir, parseHolder(data).String(), wait.String(), ErrLocked)
		}
		t := time.NewTimer(min(lockPoll, time.Until(deadline)))
		select {
		case <-ctx.Done():
			t.Stop()
			f.Close()
			return nil, fmt.Errorf("store: waiting for %s: %w", name, ctx.Err())
		case <-t.C:
		}
	}
	h := Holder{PID: os.Getpid(), Command: s.Command, Started: time.Now()}
	if err := f.Truncate(0); err == nil {
		f.WriteAt(h.marshal(), 0) // only a hint for a waiting writer
	}
	return f, nil
}

// release drops a lock taken by acquire.
func release(f *os.File) error {
	err := unlock(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
