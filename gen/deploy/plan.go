package deploy

import (
	"context"
	"errors"
	"fmt"
	"gongjian/gen/internal/parallel"
	"gongjian/gen/outpath"
	"io"
	"sort"
	"strings"
)

// Remote is an object as the bucket listing shows it.
type Remote struct {
	Size int64
	ETag string
}

// Meta is what a HEAD request tells about an object. SHA256 is "" for an
// object gen did not upload.
type Meta struct {
	SHA256       string
	ContentType  string
	CacheControl string
}

// ErrNotFound is returned by a store's Get or Head for a missing object.
var ErrNotFound = errors.New("no such object")

// Plan is what a deploy does.
type Plan struct {
	Upload []File   // in upload order: phase by phase, then by key
	Keep   []File   // already in the bucket as they are
	Delete []Delete // gen's objects that are no longer in the site
	// Foreign are objects under the prefix that gen did not upload and
	// that are no longer in the site: they are left alone.
	Foreign []string
	// Overwrite are keys of the site whose object gen did not upload:
	// the deploy refuses to replace them unless allowed.
	Overwrite []string
	Heads     int    // HEAD requests made because the manifest did not vouch for an object
	Manifest  string // "", or why the manifest was not used
	etags     map[string]string
}

// Delete is an object to delete.
type Delete struct {
	Key  string
	Size int64
}

// header is the part of a store the planner needs.
type header interface {
	Head(ctx context.Context, key string) (Meta, error)
}

// headWorkers bounds concurrent HEAD requests.
const headWorkers = 16

// MakePlan compares the site with the bucket. An object is trusted to hold
// a file's content when the manifest records that content for it and the
// listing still shows the size and ETag the manifest recorded; any other
// listed object is asked for its metadata with a HEAD request. Objects
// the HEAD finds gone are dropped from remote.
func MakePlan(ctx context.Context, local []File, remote map[string]Remote, m *Manifest, h header) (*Plan, error) {
	p := &Plan{etags: map[string]string{}}
	if m == nil {
		m = &Manifest{}
	}
	trusted := func(key string) (Entry, bool) {
		e, ok := m.Objects[key]
		r := remote[key]
		return e, ok && e.Size == r.Size && normETag(e.ETag) == normETag(r.ETag)
	}
	inSite := make(map[string]bool, len(local))
	var ask []string
	for _, f := range local {
		inSite[f.Key] = true
		if _, listed := remote[f.Key]; !listed {
			continue
		}
		if _, ok := trusted(f.Key); !ok {
			ask = append(ask, f.Key)
		}
	}
	for key := range remote {
		if inSite[key] {
			continue
		}
		if _, ok := trusted(key); !ok {
			ask = append(ask, key)
		}
	}
	sort.Strings(ask)
	metas := make([]Meta, len(ask))
	gone := make([]bool, len(ask))
	err := parallel.For(ctx, len(ask), headWorkers, func(i int) error {
		meta, err := h.Head(ctx, ask[i])
		if errors.Is(err, ErrNotFound) {
			gone[i] = true // deleted since the listing
			return nil
		}
		if err != nil {
			return fmt.Errorf("HEAD %s: %w", ask[i], err)
		}
		metas[i] = meta
		return nil
	})
	if err != nil {
		return nil, err
	}
	p.Heads = len(ask)
	asked := make(map[string]Meta, len(ask))
	for i, k := range ask {
		if gone[i] {
			delete(remote, k)
			continue
		}
		asked[k] = metas[i]
	}
	for _, f := range local {
		r, listed := remote[f.Key]
		if !listed {
			p.Upload = append(p.Upload, f)
			continue
		}
		var have Meta
		if e, ok := trusted(f.Key); ok {
			have = Meta{SHA256: e.SHA256, ContentType: e.ContentType, CacheControl: e.CacheControl}
		} else {
			have = asked[f.Key]
			if have.SHA256 == "" {
				p.Overwrite = append(p.Overwrite, f.Key)
			}
		}
		if have.SHA256 == f.SHA256 && r.Size == f.Size && have.ContentType == f.ContentType && have.CacheControl == f.CacheControl {
			p.Keep = append(p.Keep, f)
			p.etags[f.Key] = r.ETag
			continue
		}
		p.Upload = append(p.Upload, f)
	}
	for key, r := range remote {
		if inSite[key] {
			continue
		}
		if _, ok := trusted(key); ok || asked[key].SHA256 != "" {
			p.Delete = append(p.Delete, Delete{Key: key, Size: r.Size})
		} else {
			p.Foreign = append(p.Foreign, key)
		}
	}
	sort.SliceStable(p.Upload, func(i, j int) bool {
		a, b := p.Upload[i], p.Upload[j]
		if pa, pb := outpath.Phase(a.Key), outpath.Phase(b.Key); pa != pb {
			return pa < pb
		}
		return a.Key < b.Key
	})
	sort.Slice(p.Keep, func(i, j int) bool { return p.Keep[i].Key < p.Keep[j].Key })
	sort.Slice(p.Delete, func(i, j int) bool { return p.Delete[i].Key < p.Delete[j].Key })
	sort.Strings(p.Foreign)
	sort.Strings(p.Overwrite)
	return p, nil
}

func normETag(s string) string { return strings.Trim(s, `"`) }

// UploadBytes is the total size of the uploads.
func (p *Plan) UploadBytes() int64 {
	var n int64
	for _, f := range p.Upload {
		n += f.Size
	}
	return n
}

// Print writes the plan, one line per upload and deletion with its size,
// and a line of totals.
func (p *Plan) Print(w io.Writer) {
	for _, f := range p.Upload {
		fmt.Fprintf(w, "upload  %9s  %s\n", Size(f.Size), f.Key)
	}
	for _, d := range p.Delete {
		fmt.Fprintf(w, "delete  %9s  %s\n", Size(d.Size), d.Key)
	}
	for _, k := range p.Foreign {
		fmt.Fprintf(w, "leave   %9s  %s (not uploaded by gen)\n", "", k)
	}
	var keep int64
	for _, f := range p.Keep {
		keep += f.Size
	}
	fmt.Fprintf(w, "plan: upload %d files (%s), keep %d (%s), delete %d, leave %d\n",
		len(p.Upload), Size(p.UploadBytes()), len(p.Keep), Size(keep), len(p.Delete), len(p.Foreign))
}

// Size formats a byte count for people.
func Size(n int64) string {
	switch {
	case n < 1000:
		return fmt.Sprintf("%d B", n)
	case n < 1000*1000:
		return fmt.Sprintf("%.1f kB", float64(n)/1e3)
	case n < 1000*1000*1000:
		return fmt.Sprintf("%.1f MB", float64(n)/1e6)
	}
	return fmt.Sprintf("%.2f GB", float64(n)/1e9)
}
