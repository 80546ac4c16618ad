package watch

import (
	"context"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Watcher watches folders under a root.
type Watcher struct {
	root  string
	fw    *fsnotify.Watcher
	Quiet time.Duration // wait this long after the last event before reporting a batch
	Max   time.Duration // but never longer than this after the first event
	Logf  func(format string, args ...any)
}

// New watches dirs (slash-separated, relative to root) and every folder
// below them. A dir that does not exist is skipped.
func New(root string, dirs ...string) (*Watcher, error) {
	fw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	w := &Watcher{root: root, fw: fw, Quiet: 10 * time.Millisecond, Max: 250 * time.Millisecond, Logf: func(string, ...any) {}}
	for _, d := range dirs {
		full := filepath.Join(root, filepath.FromSlash(d))
		if _, err := os.Stat(full); err != nil {
			continue
		}
		if _, err := w.addTree(full); err != nil {
			fw.Close()
			return nil, err
		}
	}
	return w, nil
}

// addTree watches dir and the folders below it, and returns the files found
// in them (for a folder that appeared with files already in it).
func (w *Watcher) addTree(dir string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // vanished meanwhile
		}
		if d.IsDir() {
			if p != dir && Ignored(d.Name()) {
				return filepath.SkipDir
			}
			return w.fw.Add(p)
		}
		if !Ignored(d.Name()) {
			files = append(files, p)
		}
		return nil
	})
	return files, err
}

// Close stops watching.
func (w *Watcher) Close() error { return w.fw.Close() }

// Run sends batches of changed paths (slash-separated, relative to the root,
// sorted, without duplicates) until ctx is done.
func (w *Watcher) Run(ctx context.Context, batches chan<- []string) error {
	pending := map[string]bool{}
	var quiet, max <-chan time.Time
	flush := func() {
		if len(pending) == 0 {
			return
		}
		batch := make([]string, 0, len(pending))
		for p := range pending {
			batch = append(batch, p)
		}
		slices.Sort(batch)
		clear(pending)
		quiet, max = nil, nil
		select {
		case batches <- batch:
		case <-ctx.Done():
		}
	}
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case err, ok := <-w.fw.Errors:
			if !ok {
				return nil
			}
			w.Logf("watch: %v", err)
		case ev, ok := <-w.fw.Events:
			if !ok {
				return nil
			}
			if Ignored(filepath.Base(ev.Name)) {
				continue
			}
			if ev.Has(fsnotify.Create) {
				if fi, err := os.Stat(ev.Name); err == nil && fi.IsDir() {
					files, err := w.addTree(ev.Name)
					if err != nil {
						w.Logf("watch %s: %v", ev.Name, err)
					}
					for _, f := range files {
						pending[w.rel(f)] = true
					}
				}
			}
			if ev.Op == fsnotify.Chmod {
				continue // attribute changes alone do not change a page
			}
			pending[w.rel(ev.Name)] = true
			if quiet == nil && max == nil {
				max = time.After(w.Max)
			}
			quiet = time.After(w.Quiet)
		case <-quiet:
			flush()
		case <-max:
			flush()
		}
	}
}

func (w *Watcher) rel(p string) string {
	r, err := filepath.Rel(w.root, p)
	if err != nil {
		return filepath.ToSlash(p)
	}
	return filepath.ToSlash(r)
}

// Ignored reports whether a file name is an editor's or system's temporary
// file rather than a source: hidden files, vim swap files and its 4913 probe,
// backups ending in ~, emacs lock and autosave files, and .tmp files that
// editors write before renaming over the real one.
func Ignored(name string) bool {
	switch {
	case name == "" || name == "4913":
		return true
	case strings.HasPrefix(name, ".") || strings.HasPrefix(name, "#") || strings.HasPrefix(name, ".#"):
		return true
	case strings.HasSuffix(name, "~"):
		return true
	}
	switch path.Ext(name) {
	case ".swp", ".swo", ".swx", ".tmp", ".part", ".crdownload":
		return true
	}
	return false
}
