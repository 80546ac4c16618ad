package deploy

import (
	"context"
	"errors"
	"fmt"
	"gongjian/gen/internal/parallel"
	"io"
	"net/http"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
)

// metaSHA256 is the user metadata key (x-amz-meta-gongjian-sha256) that
// holds an object's content hash; it also marks the objects gen uploaded.
const metaSHA256 = "gongjian-sha256"

// S3 is a Store on an S3-compatible service.
type S3 struct {
	client *s3.Client
	t      Target
}

// S3Options tune the client.
type S3Options struct {
	// MaxAttempts per request, retries included; 0 means the SDK default (3).
	MaxAttempts int
	// HTTPClient, if set, carries the requests.
	HTTPClient *http.Client
}

// NewS3 opens the target with credentials from the standard AWS sources:
// the AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN)
// variables, AWS_PROFILE and the shared files ~/.aws/credentials and
// ~/.aws/config.
func NewS3(ctx context.Context, t Target, o S3Options) (*S3, error) {
	var opts []func(*config.LoadOptions) error
	if t.Region != "" {
		opts = append(opts, config.WithRegion(t.Region))
	}
	if o.MaxAttempts > 0 {
		opts = append(opts, config.WithRetryMaxAttempts(o.MaxAttempts))
	}
	if o.HTTPClient != nil {
		opts = append(opts, config.WithHTTPClient(o.HTTPClient))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("AWS configuration: %w", err)
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	client := s3.NewFromConfig(cfg, func(so *s3.Options) {
		if t.Endpoint != "" {
			so.BaseEndpoint = aws.String(t.Endpoint)
		}
		so.UsePathStyle = t.PathStyle
		// Checksums only where the API demands them: several
		// S3-compatible services reject the newer default ones.
		so.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenRequired
		so.ResponseChecksumValidation = aws.ResponseChecksumValidationWhenRequired
		if o.MaxAttempts > 0 {
			so.Retryer = retry.AddWithMaxAttempts(so.Retryer, o.MaxAttempts)
		}
	})
	return &S3{client: client, t: t}, nil
}

// maxListed bounds the objects a listing may return.
const maxListed = 5_000_000

// listWorkers bounds the listings running at once.
const listWorkers = 4

// List lists every object under the prefix. The folders at the top of the
// site (news/, tags/, img/, …) are listed at the same time: a listing is
// a sequence of pages, each waiting for the one before, and on a large
// site the client's decoding and the server's walking then overlap.
func (s *S3) List(ctx context.Context) (map[string]Remote, error) {
	out := map[string]Remote{}
	var mu sync.Mutex
	add := func(objs []types.Object) error {
		mu.Lock()
		defer mu.Unlock()
		for _, o := range objs {
			key, ok := strings.CutPrefix(aws.ToString(o.Key), s.t.Prefix)
			if !ok || key == "" {
				continue
			}
			out[key] = Remote{Size: aws.ToInt64(o.Size), ETag: aws.ToString(o.ETag)}
		}
		if len(out) > maxListed {
			return fmt.Errorf("%s holds more than %d objects", s.t, maxListed)
		}
		return nil
	}
	var dirs []string
	err := s.list(ctx, s.t.Prefix, "/", func(page *s3.ListObjectsV2Output) error {
		for _, cp := range page.CommonPrefixes {
			dirs = append(dirs, aws.ToString(cp.Prefix))
		}
		return add(page.Contents)
	})
	if err != nil {
		return nil, err
	}
	err = parallel.For(ctx, len(dirs), listWorkers, func(i int) error {
		return s.list(ctx, dirs[i], "", func(page *s3.ListObjectsV2Output) error {
			return add(page.Contents)
		})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (s *S3) list(ctx context.Context, prefix, delim string, fn func(*s3.ListObjectsV2Output) error) error {
	in := &s3.ListObjectsV2Input{Bucket: aws.String(s.t.Bucket), Prefix: aws.String(prefix)}
	if delim != "" {
		in.Delimiter = aws.String(delim)
	}
	p := s3.NewListObjectsV2Paginator(s.client, in)
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return s.explain(err)
		}
		if err := fn(page); err != nil {
			return err
		}
	}
	return nil
}

// Head reads an object's headers and content hash.
func (s *S3) Head(ctx context.Context, key string) (Meta, error) {
	out, err := s.client.HeadObject(ctx, &s3.HeadObjectInput{
		Bucket: aws.String(s.t.Bucket),
		Key:    aws.String(s.t.Prefix + key),
	})
	if err != nil {
		return Meta{}, s.explain(err)
	}
	return Meta{
		SHA256:       out.Metadata[metaSHA256],
		ContentType:  aws.ToString(out.ContentType),
		CacheControl: aws.ToString(out.CacheControl),
	}, nil
}

// maxGet bounds the object Get reads (the manifest of a 10,000-story site
// is about 3 MB).
const maxGet = 512 << 20

// Get reads a whole object.
func (s *S3) Get(ctx context.Context, key string) ([]byte, error) {
	out, err := s.client.GetObject(ctx, &s3.GetObjectInput{
		Bucket: aws.String(s.t.Bucket),
		Key:    aws.String(s.t.Prefix + key),
	})
	if err != nil {
		return nil, s.explain(err)
	}
	defer out.Body.Close()
	data, err := io.ReadAll(io.LimitReader(out.Body, maxGet+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxGet {
		return nil, fmt.Errorf("%s%s: larger than %d bytes", s.t, key, maxGet)
	}
	return data, nil
}

// Put uploads one object.
func (s *S3) Put(ctx context.Context, key string, body []byte, meta Meta) (string, error) {
	in := &s3.PutObjectInput{
		Bucket:        aws.String(s.t.Bucket),
		Key:           aws.String(s.t.Prefix + key),
		Body:          bytesReader(body),
		ContentLength: aws.Int64(int64(len(body))),
		ContentType:   aws.String(meta.ContentType),
		CacheControl:  aws.String(meta.CacheControl),
	}
	if meta.SHA256 != "" {
		in.Metadata = map[string]string{metaSHA256: meta.SHA256}
	}
	out, err := s.client.PutObject(ctx, in)
	if err != nil {
		return "", s.explain(err)
	}
	return aws.ToString(out.ETag), nil
}

// deleteBatch is the most keys one DeleteObjects request may name.
const deleteBatch = 1000

// Delete deletes objects, a thousand per request.
func (s *S3) Delete(ctx context.Context, keys []string) error {
	for len(keys) > 0 {
		n := min(len(keys), deleteBatch)
		ids := make([]types.ObjectIdentifier, n)
		for i, k := range keys[:n] {
			ids[i] = types.ObjectIdentifier{Key: aws.String(s.t.Prefix + k)}
		}
		out, err := s.client.DeleteObjects(ctx, &s3.DeleteObjectsInput{
			Bucket: aws.String(s.t.Bucket),
			Delete: &types.Delete{Objects: ids, Quiet: aws.Bool(true)},
		})
		if err != nil {
			return s.explain(err)
		}
		if len(out.Errors) > 0 {
			e := out.Errors[0]
			return fmt.Errorf("%d object(s) not deleted, e.g. %s: %s %s", len(out.Errors), aws.ToString(e.Key), aws.ToString(e.Code), aws.ToString(e.Message))
		}
		keys = keys[n:]
	}
	return nil
}

// Problems a person can fix, named in the errors Explain returns.
var (
	ErrCredentials = errors.New("the credentials were refused: check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE and ~/.aws/credentials)")
	ErrNoBucket    = errors.New("the bucket does not exist")
	ErrClockSkew   = errors.New("this computer's clock differs too much from the server's: set the clock right (e.g. with NTP) and run again")
	ErrDenied      = errors.New("access denied: the credentials are valid but may not use this bucket")
	ErrNoCreds     = errors.New("no credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE with ~/.aws/credentials")
)

func (s *S3) explain(err error) error { return Explain(err, s.t) }

// Explain turns the service's error codes into the problems people can
// fix, keeping the original error in the chain.
func Explain(err error, t Target) error {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		var kind error
		switch ae.ErrorCode() {
		case "InvalidAccessKeyId", "XAdminUserNotFound", "SignatureDoesNotMatch", "InvalidToken", "ExpiredToken", "InvalidSecurity", "AuthorizationHeaderMalformed":
			kind = ErrCredentials
		case "NoSuchBucket":
			kind = fmt.Errorf("%w: %s", ErrNoBucket, t.Bucket)
		case "RequestTimeTooSkewed":
			kind = ErrClockSkew
		case "AccessDenied", "Forbidden":
			kind = ErrDenied
		case "NoSuchKey", "NotFound":
			return fmt.Errorf("%w: %v", ErrNotFound, err)
		}
		if kind != nil {
			return &ServiceError{Kind: kind, Err: err}
		}
	}
	if strings.Contains(err.Error(), "failed to retrieve credentials") || strings.Contains(err.Error(), "static credentials are empty") {
		return &ServiceError{Kind: ErrNoCreds, Err: err}
	}
	return err
}

// ServiceError is a refusal by the service with its explanation.
type ServiceError struct {
	Kind error // one of ErrCredentials, ErrNoBucket, ErrClockSkew, ErrDenied, ErrNoCreds
	Err  error
}

func (e *ServiceError) Error() string { return e.Kind.Error() + " (" + e.Err.Error() + ")" }

func (e *ServiceError) Unwrap() []error { return []error{e.Kind, e.Err} }
