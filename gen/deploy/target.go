package deploy

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// Target is where a site is deployed: a bucket, a key prefix inside it, and
// the service that holds it.
type Target struct {
	Bucket string
	// Prefix is "" or a key prefix ending in "/".
	Prefix   string
	Region   string
	Endpoint string // "" for AWS S3 itself
	// PathStyle addresses the bucket in the URL path (MinIO, versitygw)
	// rather than in the host name (AWS, Aliyun OSS, Tencent COS).
	PathStyle bool
}

// ParseTarget reads a target URL:
//
//	s3://BUCKET[/PREFIX][?region=REGION&endpoint=URL&style=path|virtual]
//
// Without style, a bucket at an endpoint whose host is an IP address or
// localhost is addressed by path, any other by host name.
func ParseTarget(raw string) (Target, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return Target{}, fmt.Errorf("target %q: %v", raw, err)
	}
	if u.Scheme != "s3" {
		return Target{}, fmt.Errorf("target %q: want s3://BUCKET/PREFIX?region=…&endpoint=…", raw)
	}
	if u.User != nil {
		return Target{}, fmt.Errorf("target %q: credentials do not belong in the target; use AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY or ~/.aws/credentials", redact(u))
	}
	t := Target{Bucket: u.Host, Prefix: strings.Trim(u.Path, "/")}
	if !validBucket(t.Bucket) {
		return Target{}, fmt.Errorf("target %q: %q is not a bucket name (3 to 63 lower-case letters, digits, dots and hyphens)", raw, t.Bucket)
	}
	if t.Prefix != "" {
		if strings.Contains(t.Prefix, "//") {
			return Target{}, fmt.Errorf("target %q: prefix %q has an empty segment", raw, t.Prefix)
		}
		t.Prefix += "/"
	}
	q := u.Query()
	for k := range q {
		switch k {
		case "region", "endpoint", "style":
		default:
			return Target{}, fmt.Errorf("target %q: unknown parameter %q (want region, endpoint or style)", raw, k)
		}
	}
	t.Region = q.Get("region")
	if ep := q.Get("endpoint"); ep != "" {
		e, err := url.Parse(ep)
		if err != nil || (e.Scheme != "http" && e.Scheme != "https") || e.Host == "" {
			return Target{}, fmt.Errorf("target %q: endpoint %q is not an http(s) URL", raw, ep)
		}
		t.Endpoint = ep
		host := e.Hostname()
		t.PathStyle = host == "localhost" || net.ParseIP(host) != nil
	}
	switch q.Get("style") {
	case "":
	case "path":
		t.PathStyle = true
	case "virtual":
		t.PathStyle = false
	default:
		return Target{}, fmt.Errorf("target %q: style %q: want path or virtual", raw, q.Get("style"))
	}
	return t, nil
}

func (t Target) String() string {
	return "s3://" + t.Bucket + "/" + t.Prefix
}

func redact(u *url.URL) string {
	c := *u
	c.User = nil
	return c.String()
}

func validBucket(b string) bool {
	if len(b) < 3 || len(b) > 63 {
		return false
	}
	for _, r := range b {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '-') {
			return false
		}
	}
	return true
}
