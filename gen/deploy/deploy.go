package deploy

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"gongjian/gen/internal/parallel"
	"gongjian/gen/outpath"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// Store is a bucket seen through a prefix: keys are relative to it.
type Store interface {
	List(ctx context.Context) (map[string]Remote, error)
	Head(ctx context.Context, key string) (Meta, error)
	Get(ctx context.Context, key string) ([]byte, error)
	// Put stores body under key with meta's headers and content hash and
	// returns the object's ETag.
	Put(ctx context.Context, key string, body []byte, meta Meta) (etag string, err error)
	Delete(ctx context.Context, keys []string) error
}

// Options control a deploy.
type Options struct {
	Dir       string // the built site
	DryRun    bool   // plan only: print it to Out and change nothing
	Overwrite bool   // replace objects at the site's keys that gen did not upload
	Workers   int    // concurrent uploads; 0 means 16
	// HashCache is a file that keeps the site's hashes between deploys
	// ("" for none); see Scan.
	HashCache string
	Out       io.Writer
	// Progress gets a progress bar when it is a terminal.
	Progress io.Writer
	Logf     func(format string, args ...any)
}

// Stats say what a deploy did.
type Stats struct {
	Uploaded, Kept, Deleted, Foreign, Heads int
	Bytes                                   int64
	Elapsed                                 time.Duration
}

// OverwriteError is returned when the site would replace objects gen did
// not upload.
type OverwriteError struct{ Keys []string }

func (e *OverwriteError) Error() string {
	show := e.Keys[:min(len(e.Keys), 5)]
	return fmt.Sprintf("%d object(s) in the bucket were not uploaded by gen deploy and would be replaced, e.g. %q; use -overwrite to replace them", len(e.Keys), show)
}

// maxFileSize bounds one file, which is read whole to check its hash
// against the plan before it is sent.
const maxFileSize = 1 << 30

// Deploy publishes opt.Dir to s.
func Deploy(ctx context.Context, s Store, opt Options) (Stats, error) {
	start := time.Now()
	var st Stats
	logf := opt.Logf
	if logf == nil {
		logf = func(string, ...any) {}
	}
	if opt.Out == nil {
		opt.Out = io.Discard
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = 16
	}
	// The site is hashed while the bucket is listed: on a no-change
	// deploy these two are nearly all the time spent.
	var local []File
	var scanErr error
	var scanTime time.Duration
	var cached int
	scanned := make(chan struct{})
	scanCtx, cancelScan := context.WithCancel(ctx)
	defer cancelScan()
	go func() {
		defer close(scanned)
		t := time.Now()
		local, cached, scanErr = Scan(scanCtx, opt.Dir, opt.HashCache)
		scanTime = time.Since(t)
	}()
	t := time.Now()
	remote, m, why, err := readBucket(ctx, s)
	listTime := time.Since(t)
	if err != nil {
		cancelScan()
		<-scanned
		return st, err
	}
	<-scanned
	if scanErr != nil {
		return st, fmt.Errorf("scan: %w", scanErr)
	}
	if len(local) == 0 {
		return st, fmt.Errorf("scan: %s holds no files; build the site first", opt.Dir)
	}
	if why != "" && why != "absent" {
		logf("deploy: the manifest is damaged, every object will be checked: %s", why)
	}
	logf("deploy: hashed %d files (%d unchanged since the last deploy) in %v; listed %d objects in %v",
		len(local), cached, scanTime.Round(time.Millisecond), len(remote), listTime.Round(time.Millisecond))
	plan, err := MakePlan(ctx, local, remote, m, s)
	if err != nil {
		return st, fmt.Errorf("plan: %w", err)
	}
	plan.Manifest = why
	st.Heads, st.Kept, st.Foreign = plan.Heads, len(plan.Keep), len(plan.Foreign)
	if opt.DryRun {
		plan.Print(opt.Out)
		st.Elapsed = time.Since(start)
		return st, nil
	}
	if len(plan.Overwrite) > 0 && !opt.Overwrite {
		return st, &OverwriteError{Keys: plan.Overwrite}
	}

	bar := newBar(opt.Progress, plan.UploadBytes())
	etags := plan.etags
	for phase := range outpath.Phases {
		var files []File
		for _, f := range plan.Upload {
			if outpath.Phase(f.Key) == phase {
				files = append(files, f)
			}
		}
		if len(files) == 0 {
			continue
		}
		logf("deploy: uploading %d %s", len(files), outpath.PhaseNames[phase])
		got := make([]string, len(files))
		err := parallel.For(ctx, len(files), workers, func(i int) error {
			etag, err := upload(ctx, s, files[i])
			if err != nil {
				return err
			}
			got[i] = etag
			if bar != nil {
				bar.Add64(files[i].Size)
			}
			return nil
		})
		// Record what did arrive even on failure: the count is reported.
		for i, f := range files {
			if got[i] != "" {
				etags[f.Key] = got[i]
				st.Uploaded++
				st.Bytes += f.Size
			}
		}
		if err != nil {
			if bar != nil {
				bar.Exit()
			}
			return st, fmt.Errorf("upload (%s): %w; nothing was deleted, the previous site is whole: run again to finish", outpath.PhaseNames[phase], err)
		}
	}
	if bar != nil {
		bar.Finish()
	}
	if len(plan.Delete) > 0 {
		logf("deploy: deleting %d stale objects", len(plan.Delete))
		keys := make([]string, len(plan.Delete))
		for i, d := range plan.Delete {
			keys[i] = d.Key
		}
		if err := s.Delete(ctx, keys); err != nil {
			return st, fmt.Errorf("delete: %w", err)
		}
		st.Deleted = len(keys)
	}
	if st.Uploaded > 0 || st.Deleted > 0 || m == nil || len(m.Objects) != len(local) || st.Heads > 0 {
		if err := writeManifest(ctx, s, local, etags); err != nil {
			return st, fmt.Errorf("write %s: %w", ManifestName, err)
		}
	}
	st.Elapsed = time.Since(start)
	return st, nil
}

// readBucket lists the objects under the prefix and reads the manifest;
// why says why there is no manifest to use ("absent", or what is wrong
// with it).
func readBucket(ctx context.Context, s Store) (remote map[string]Remote, m *Manifest, why string, err error) {
	remote, err = s.List(ctx)
	if err != nil {
		return nil, nil, "", fmt.Errorf("list: %w", err)
	}
	delete(remote, ManifestName)
	data, err := s.Get(ctx, ManifestName)
	switch {
	case errors.Is(err, ErrNotFound):
		return remote, nil, "absent", nil
	case err != nil:
		return nil, nil, "", fmt.Errorf("read %s: %w", ManifestName, err)
	}
	if m, err = ParseManifest(data); err != nil {
		return remote, nil, err.Error(), nil
	}
	return remote, m, "", nil
}

func upload(ctx context.Context, s Store, f File) (string, error) {
	if f.Size > maxFileSize {
		return "", fmt.Errorf("%s: %s is larger than %s", f.Path, Size(f.Size), Size(maxFileSize))
	}
	body, err := os.ReadFile(f.Path)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(body)
	if hex.EncodeToString(sum[:]) != f.SHA256 {
		return "", fmt.Errorf("%s: changed while deploying (is a build running?)", f.Path)
	}
	etag, err := s.Put(ctx, f.Key, body, Meta{SHA256: f.SHA256, ContentType: f.ContentType, CacheControl: f.CacheControl})
	if err != nil {
		return "", fmt.Errorf("PUT %s: %w", f.Key, err)
	}
	return etag, nil
}

func writeManifest(ctx context.Context, s Store, local []File, etags map[string]string) error {
	m := Manifest{Version: manifestVersion, Objects: make(map[string]Entry, len(local))}
	for _, f := range local {
		m.Objects[f.Key] = Entry{SHA256: f.SHA256, Size: f.Size, ETag: etags[f.Key], ContentType: f.ContentType, CacheControl: f.CacheControl}
	}
	data, err := json.Marshal(m)
	if err != nil {
		return err
	}
	_, err = s.Put(ctx, ManifestName, data, Meta{ContentType: "application/json; charset=utf-8", CacheControl: "no-store"})
	return err
}

func newBar(w io.Writer, total int64) *progressbar.ProgressBar {
	f, ok := w.(*os.File)
	if !ok || total == 0 || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	return progressbar.NewOptions64(total,
		progressbar.OptionSetWriter(f),
		progressbar.OptionSetDescription("deploy"),
		progressbar.OptionShowBytes(true),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionClearOnFinish(),
	)
}

// bytesReader is what the S3 client sends: seekable, so that a retry can
// send the body again.
func bytesReader(b []byte) io.ReadSeeker { return bytes.NewReader(b) }
