// Package s3server starts a real S3 server for tests and benchmarks:
// versitygw (github.com/versity/versitygw) over a posix folder, listening
// on a free loopback port. .ci/run installs it; without it tests skip
// unless GONGJIAN_REQUIRE_S3=1.
package s3server

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Credentials of the server's single account.
const (
	AccessKey = "gongjian-test"
	SecretKey = "gongjian-test-secret-0123456789"
	Region    = "us-east-1"
)

// Install is the command that installs the server.
const Install = "go install github.com/versity/versitygw/cmd/versitygw@v1.8.0"

// ErrMissing means the versitygw binary was not found.
var ErrMissing = errors.New("versitygw is not installed (" + Install + ")")

// Server is a running versitygw.
type Server struct {
	Endpoint string // http://127.0.0.1:PORT
	Root     string // one folder per bucket
	cmd      *exec.Cmd
	done     chan error
}

// Binary finds versitygw on PATH or in the go command's install folders.
func Binary() (string, error) {
	if p, err := exec.LookPath("versitygw"); err == nil {
		return p, nil
	}
	var dirs []string
	if d := os.Getenv("GOBIN"); d != "" {
		dirs = append(dirs, d)
	}
	if d := os.Getenv("GOPATH"); d != "" {
		for _, e := range filepath.SplitList(d) {
			dirs = append(dirs, filepath.Join(e, "bin"))
		}
	}
	if h, err := os.UserHomeDir(); err == nil {
		dirs = append(dirs, filepath.Join(h, "go", "bin"))
	}
	for _, d := range dirs {
		p := filepath.Join(d, "versitygw")
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			return p, nil
		}
	}
	return "", ErrMissing
}

// Start runs versitygw over root (created if needed) and waits, at most
// ten seconds, until it accepts connections. Its output goes to
// root/../versitygw.log.
func Start(ctx context.Context, root string) (*Server, error) {
	bin, err := Binary()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		return nil, err
	}
	for attempt := 0; ; attempt++ {
		s, err := start(ctx, bin, root)
		if err == nil || attempt == 2 {
			return s, err
		}
	}
}

func start(ctx context.Context, bin, root string) (*Server, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := l.Addr().String()
	l.Close()
	logf, err := os.Create(filepath.Join(filepath.Dir(root), "versitygw.log"))
	if err != nil {
		return nil, err
	}
	defer logf.Close()
	cmd := exec.Command(bin, "--access", AccessKey, "--secret", SecretKey, "--region", Region,
		"--port", addr, "--quiet", "posix", root)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &Server{Endpoint: "http://" + addr, Root: root, cmd: cmd, done: make(chan error, 1)}
	go func() { s.done <- cmd.Wait() }()
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err == nil {
			c.Close()
			return s, nil
		}
		select {
		case err := <-s.done:
			out, _ := os.ReadFile(logf.Name())
			return nil, fmt.Errorf("versitygw exited: %v: %s", err, strings.TrimSpace(string(out)))
		case <-ctx.Done():
			s.Close()
			return nil, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			s.Close()
			return nil, fmt.Errorf("versitygw did not listen on %s within 10 s", addr)
		}
	}
}

// Bucket creates a bucket (a folder under the root).
func (s *Server) Bucket(name string) error {
	return os.Mkdir(filepath.Join(s.Root, name), 0o755)
}

// Env is the environment a client needs: the server's credentials and no
// other source of them (no shared files, no instance metadata).
func (s *Server) Env() []string {
	return []string{
		"AWS_ACCESS_KEY_ID=" + AccessKey,
		"AWS_SECRET_ACCESS_KEY=" + SecretKey,
		"AWS_REGION=" + Region,
		"AWS_CONFIG_FILE=" + os.DevNull,
		"AWS_SHARED_CREDENTIALS_FILE=" + os.DevNull,
		"AWS_EC2_METADATA_DISABLED=true",
	}
}

// Close stops the server, waiting at most five seconds.
func (s *Server) Close() error {
	if s.cmd.Process == nil {
		return nil
	}
	s.cmd.Process.Signal(os.Interrupt)
	select {
	case <-s.done:
	case <-time.After(5 * time.Second):
		s.cmd.Process.Kill()
		<-s.done
	}
	return nil
}

// SkipIfMissing skips the test when versitygw is not installed, or fails
// it when GONGJIAN_REQUIRE_S3=1 (as in CI), so that a missing server is
// never counted as a pass.
func SkipIfMissing(t testing.TB) {
	t.Helper()
	if _, err := Binary(); err != nil {
		if os.Getenv("GONGJIAN_REQUIRE_S3") == "1" {
			t.Fatalf("GONGJIAN_REQUIRE_S3=1: %v", err)
		}
		t.Skipf("skipped: %v", err)
	}
}
