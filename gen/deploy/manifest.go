package deploy

import (
	"encoding/json"
	"fmt"
	"regexp"
)

// ManifestName is the key, under the target prefix, of the object that
// records what the last finished deploy left in the bucket. It is written
// after everything else, so it never claims an upload that did not happen.
const ManifestName = ".gongjian-deploy.json"

const manifestVersion = 1

// Manifest maps each key (relative to the prefix) to what was uploaded.
type Manifest struct {
	Version int              `json:"version"`
	Objects map[string]Entry `json:"objects"`
}

// Entry is one uploaded object. ETag is the bucket's own, as the listing
// shows it: a listed object whose ETag or size differs from its entry was
// changed by someone else, and its entry is not trusted.
type Entry struct {
	SHA256       string `json:"sha256"`
	Size         int64  `json:"size"`
	ETag         string `json:"etag"`
	ContentType  string `json:"contentType"`
	CacheControl string `json:"cacheControl"`
}

var hexSHA256 = regexp.MustCompile(`^[0-9a-f]{64}$`)

// ParseManifest reads a manifest and checks every entry; a manifest that
// fails is not used at all.
func ParseManifest(data []byte) (*Manifest, error) {
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("%s: %v", ManifestName, err)
	}
	if m.Version != manifestVersion {
		return nil, fmt.Errorf("%s: version %d, want %d", ManifestName, m.Version, manifestVersion)
	}
	for k, e := range m.Objects {
		if k == "" || k == ManifestName {
			return nil, fmt.Errorf("%s: object %q: not a site key", ManifestName, k)
		}
		if !hexSHA256.MatchString(e.SHA256) {
			return nil, fmt.Errorf("%s: object %q: sha256 %q is not 64 hex digits", ManifestName, k, e.SHA256)
		}
		if e.Size < 0 || e.ETag == "" {
			return nil, fmt.Errorf("%s: object %q: want a size ≥ 0 and an etag", ManifestName, k)
		}
	}
	return &m, nil
}
