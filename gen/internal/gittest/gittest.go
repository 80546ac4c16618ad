// Package gittest runs git for tests that need a site's history: as one
// author, at the date each command gives, without the configuration of
// the user running the tests.
package gittest

import (
	"os"
	"os/exec"
	"testing"
)

// Runner returns a function that runs git in the folder repo, at the
// date when (an ISO 8601 time, as GIT_AUTHOR_DATE takes), and fails the
// test if it fails. The test fails at once when there is no git.
func Runner(t testing.TB, repo string) (git func(when string, args ...string)) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Fatal("git is needed to read a site's history: install it (.ci/run does)")
	}
	return func(when string, args ...string) {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-C", repo}, args...)...)
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=编辑", "GIT_AUTHOR_EMAIL=e@example.org",
			"GIT_COMMITTER_NAME=编辑", "GIT_COMMITTER_EMAIL=e@example.org",
			"GIT_AUTHOR_DATE="+when, "GIT_COMMITTER_DATE="+when, "GIT_CONFIG_GLOBAL=/dev/null")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
}
