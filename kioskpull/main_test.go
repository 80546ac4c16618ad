package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"gongjian/gen/kiosklog"
	"gongjian/kioskpull/pseudonym"
	"gongjian/kioskpull/sim"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"kioskpull": func() {
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
			code := NewMain().Main(ctx, os.Args[1:])
			stop()
			os.Exit(code)
		},
	})
}

func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(env *testscript.Env) error {
			// Never touch the real user's key.
			env.Setenv("HOME", env.WorkDir)
			env.Setenv("XDG_CONFIG_HOME", filepath.Join(env.WorkDir, ".config"))
			env.Setenv(pseudonym.EnvKey, "")
			// Scripts are in English unless they set LANG (zh-CN is the
			// program's default; see the *_zh scripts).
			env.Setenv("LANG", "en_US.UTF-8")
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			// status CODE cmd args...: run cmd and check its exit status.
			"status": func(ts *testscript.TestScript, neg bool, args []string) {
				if len(args) < 2 {
					ts.Fatalf("usage: status CODE command [args...]")
				}
				want, err := strconv.Atoi(args[0])
				ts.Check(err)
				cmd := exec.Command(args[1], args[2:]...)
				cmd.Dir = ts.MkAbs(".")
				cmd.Env = os.Environ()
				for _, kv := range []string{"HOME", "XDG_CONFIG_HOME", pseudonym.EnvKey, "LANG", "LC_ALL", "LC_MESSAGES"} {
					cmd.Env = append(cmd.Env, kv+"="+ts.Getenv(kv))
				}
				out, _ := cmd.CombinedOutput()
				got := cmd.ProcessState.ExitCode()
				if (got == want) == neg {
					ts.Fatalf("%s exited %d, want %d; output:\n%s", strings.Join(args[1:], " "), got, want, out)
				}
			},
		},
	})
}

// TestKilledPullResumes runs the CLI as a process, kills it with SIGKILL
// in the middle of a slow transfer, and runs it again: the store must end
// complete, without duplicates and without half-written files.
func TestKilledPullResumes(t *testing.T) { interruptedPullResumes(t, syscall.SIGKILL) }

// TestCtrlCPullResumes: Ctrl-C (SIGINT) ends a pull with status 130, a
// summary, and no half-written file; the next pull completes.
func TestCtrlCPullResumes(t *testing.T) { interruptedPullResumes(t, syscall.SIGINT) }

func interruptedPullResumes(t *testing.T, sig syscall.Signal) {
	bin, err := exec.LookPath("kioskpull")
	if err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	key := testKey(t)
	out := filepath.Join(work, "store")
	cfg := sim.Config{Kiosk: "K05", Log: sim.LogSpec{Seed: 5, Records: 600, Start: time.Date(2026, 2, 1, 0, 0, 0, 0, kiosklog.Location), Days: 30, Households: 60}, Baud: 38400}

	pull := func(path string) *exec.Cmd {
		cmd := exec.Command(bin, "pull", "-port", path, "-out", out, "-key", key, "-batch", "50", "-wait", "0", "-timeout", "5s")
		cmd.Env = append(os.Environ(), "LANG=en_US.UTF-8", "LC_ALL=", "LC_MESSAGES=")
		return cmd
	}

	path, _ := serveSim(t, cfg)
	cmd := pull(path)
	var stdout strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Kill once at least two batches are committed, well before the end.
	deadline := time.Now().Add(20 * time.Second)
	for {
		files, _ := filepath.Glob(filepath.Join(out, "K05", "e1-*.csv"))
		if len(files) >= 2 {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("no batch committed in time; output:\n%s", stdout.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	err = cmd.Wait()
	var ee *exec.ExitError
	switch {
	case !errors.As(err, &ee):
		t.Fatalf("pull was not stopped by %v: %v; output:\n%s", sig, err, stdout.String())
	case sig == syscall.SIGKILL && ee.ProcessState.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL:
		t.Fatalf("pull was not killed: %v; output:\n%s", err, stdout.String())
	case sig == syscall.SIGINT && (ee.ExitCode() != ExitInterrupt || !strings.Contains(stdout.String(), "INCOMPLETE, run again to resume")):
		t.Fatalf("after Ctrl-C: %v; output:\n%s", err, stdout.String())
	}
	if sig == syscall.SIGINT {
		if tmp, _ := filepath.Glob(filepath.Join(out, "K05", ".tmp-*")); len(tmp) > 0 {
			t.Errorf("Ctrl-C left temp files: %v", tmp)
		}
	}
	got, err := kiosklog.ReadStore(os.DirFS(out), ".")
	if err != nil {
		t.Fatalf("store after SIGKILL: %v", err)
	}
	if len(got) == 0 || len(got) >= 600 || len(got)%50 != 0 {
		t.Fatalf("after SIGKILL the store holds %d records, want whole batches short of 600", len(got))
	}

	// Pulled again at once over the same port: the kiosk is most likely
	// still sending the batch the killed pull asked for, and the new pull
	// must get past it by itself.
	cmd = pull(path)
	again, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("second pull: %v\n%s", err, again)
	}
	want := fmt.Sprintf("%d new records, 0 duplicates skipped, no gaps", 600-len(got))
	t.Logf("second pull:\n%s", again)
	if !strings.Contains(string(again), want) || !strings.Contains(string(again), "complete up to #600 of epoch 1") {
		t.Errorf("second pull said:\n%s\nwant %q", again, want)
	}
	got, err = kiosklog.ReadStore(os.DirFS(out), ".")
	if err != nil || len(got) != 600 {
		t.Fatalf("final store: %d records, %v", len(got), err)
	}
	for i, r := range got {
		if r.Seq != uint64(i+1) {
			t.Fatalf("record %d has seq %d", i, r.Seq)
		}
	}
	leftovers, _ := filepath.Glob(filepath.Join(out, "K05", ".tmp-*"))
	if len(leftovers) > 0 {
		t.Errorf("temp files left: %v", leftovers)
	}
}
