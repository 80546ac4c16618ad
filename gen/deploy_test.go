package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"gongjian/gen/internal/corpus"
	"gongjian/gen/internal/s3server"
)

// TestDeployScripts runs testdata/deploy/*.txtar, each against its own
// versitygw. Without the binary they skip, unless GONGJIAN_REQUIRE_S3=1.
func TestDeployScripts(t *testing.T) {
	s3server.SkipIfMissing(t)
	testscript.Run(t, testscript.Params{
		Dir: "testdata/deploy",
		Setup: func(env *testscript.Env) error {
			srv, err := s3server.Start(context.Background(), filepath.Join(env.WorkDir, "..", "s3root"))
			if err != nil {
				return err
			}
			env.Defer(func() { srv.Close() })
			if err := srv.Bucket("site"); err != nil {
				return err
			}
			for _, kv := range srv.Env() {
				k, v, _ := strings.Cut(kv, "=")
				env.Setenv(k, v)
			}
			env.Setenv("S3ENDPOINT", srv.Endpoint)
			env.Setenv("S3ROOT", srv.Root)
			env.Setenv("S3SECRET", s3server.SecretKey)
			return corpus.CopyDir("../themes/default", filepath.Join(env.WorkDir, "themes", "default"))
		},
	})
}
