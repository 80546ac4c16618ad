package deploy

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"gongjian/gen/internal/parallel"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"unicode/utf8"
)

// File is one file of the built site.
type File struct {
	Key          string // slash-separated path inside the site folder
	Path         string // on disk
	Size         int64
	SHA256       string // hex
	ContentType  string
	CacheControl string
}

// maxFiles bounds the files of one site, so that a wrong -src (a home
// folder) fails fast instead of hashing a disk.
const maxFiles = 1_000_000

// Scan lists and hashes every regular file under dir. A symbolic link or
// other special file is an error: gen never writes one, so its presence
// means the folder is not a built site. With a cache path, files whose
// stat is unchanged since the last scan are not read again (hashcache.go),
// and the cache is rewritten when anything was read; cached reports
// how many hashes came from it.
func Scan(ctx context.Context, dir, cache string) (files []File, cached int, err error) {
	var infos []fs.FileInfo
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		if !d.Type().IsRegular() {
			return fmt.Errorf("%s: not a regular file (a built site holds only files and folders)", p)
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		key := filepath.ToSlash(rel)
		if !utf8.ValidString(key) || strings.ContainsAny(key, "\x00\r\n") {
			return fmt.Errorf("%s: the name is not valid UTF-8 text", p)
		}
		if key == ManifestName {
			return fmt.Errorf("%s: this name is reserved for the deploy manifest", p)
		}
		if len(files) >= maxFiles {
			return fmt.Errorf("%s: more than %d files", dir, maxFiles)
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		infos = append(infos, info)
		files = append(files, File{Key: key, Path: p, ContentType: ContentType(key), CacheControl: CacheControl(key)})
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	hc := loadHashCache(cache)
	hit := make([]bool, len(files))
	err = parallel.For(ctx, len(files), runtime.GOMAXPROCS(0), func(i int) error {
		if cache != "" {
			if abs, err := filepath.Abs(files[i].Path); err == nil {
				if sum := hc.lookup(abs, infos[i]); sum != "" {
					files[i].SHA256, files[i].Size, hit[i] = sum, infos[i].Size(), true
					return nil
				}
			}
		}
		return hashFile(&files[i])
	})
	if err != nil {
		return nil, 0, err
	}
	for _, h := range hit {
		if h {
			cached++
		}
	}
	if cache != "" && (cached < len(files) || len(hc.Files) != len(files)) {
		// A cache that cannot be written costs time next run, nothing else.
		_ = saveHashCache(cache, files, infos)
	}
	return files, cached, nil
}

func hashFile(f *File) error {
	r, err := os.Open(f.Path)
	if err != nil {
		return err
	}
	defer r.Close()
	h := sha256.New()
	n, err := io.Copy(h, r)
	if err != nil {
		return fmt.Errorf("%s: %w", f.Path, err)
	}
	f.Size = n
	f.SHA256 = hex.EncodeToString(h.Sum(nil))
	return nil
}
