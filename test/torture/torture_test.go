// Package torture runs the torture program (testdata/torture) built with
// the fork: every scheduler feature at once, with invariants checked while
// it runs (see the program's doc comment).
//
// Each configuration runs for 1s in -short mode (./all.bash) and 5s
// otherwise; SCHEDX_TORTURE_DURATION (a time.Duration) overrides both, for
// long runs:
//
//	cd test && SCHEDX_TORTURE_DURATION=2m go test -timeout 0 -v ./torture

//go:build unix

package torture

import (
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"schedx.example/test/internal/forkenv"
)

func duration(t *testing.T) time.Duration {
	if s := os.Getenv("SCHEDX_TORTURE_DURATION"); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil {
			t.Fatalf("SCHEDX_TORTURE_DURATION=%s: %v", s, err)
		}
		return d
	}
	if testing.Short() {
		return time.Second
	}
	return 5 * time.Second
}

// hangMargin is how long the program may run past its duration before
// run takes it for hung: it drains its workers (failing by itself after a
// minute) and checks its invariants in that time.
const hangMargin = 2 * time.Minute

// run runs exe for the test's duration with GODEBUG set to godebug and
// checks that it reports OK.
//
// A program still running hangMargin after its duration (or 30s before
// the test's deadline, which must leave it its duration) is hung: a
// scheduler that stops running goroutines stops the program's own
// watchdogs too. run then sends it SIGQUIT, and
// GOTRACEBACK=crash makes the runtime print every goroutine, runtime
// ones included, and every thread's stack, which is what tells a lost
// wake-up from a deadlock.
func run(t *testing.T, exe, godebug string, args ...string) {
	t.Helper()
	d := duration(t)
	limit := d + hangMargin
	if dl, ok := t.Deadline(); ok {
		// Leave 30s to print the dump. A deadline too close to let the
		// program run its duration would make any run look hung.
		left := time.Until(dl) - 30*time.Second
		if left <= d {
			t.Fatalf("GODEBUG=%s torture -d %v: the test deadline is %v away, too close for a run of %v and its dump; raise go test -timeout",
				godebug, d, time.Until(dl).Round(time.Second), d)
		}
		limit = min(limit, left)
	}
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	cmd := exec.CommandContext(ctx, exe, append([]string{"-d", d.String()}, args...)...)
	cmd.Env = append(forkenv.GoEnv(forkenv.GOROOT(t)), "GODEBUG="+godebug, "GOTRACEBACK=crash")
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGQUIT) }
	cmd.WaitDelay = 20 * time.Second // then SIGKILL
	start := time.Now()
	out, err := cmd.CombinedOutput()
	// GODEBUG=schedchaos=random: the runtime prints the seed it drew
	// first.
	seed := ""
	if rest, ok := strings.CutPrefix(string(out), "schedchaos: seed="); ok {
		seed, rest, _ = strings.Cut(rest, "\n")
		out = []byte(rest)
		t.Logf("GODEBUG=%s: seed %s", godebug, seed)
	}
	if ctx.Err() != nil {
		t.Fatalf("GODEBUG=%s torture -d %v: hung: still running after %v; its SIGQUIT dump:\n%s",
			godebug, d, limit.Round(time.Second), out)
	}
	if err != nil || !strings.HasPrefix(string(out), "OK: ") {
		if seed != "" {
			t.Logf("run again with GODEBUG=%s (the decisions also depend on timing unless GOMAXPROCS=1)", strings.Replace(godebug, "random", seed, 1))
		}
		t.Fatalf("GODEBUG=%s torture -d %v: %v\n%s", godebug, d, err, out)
	}
	summary, _, _ := strings.Cut(string(out), "\n")
	t.Logf("GODEBUG=%s, %v (took %v): %s", godebug, d, time.Since(start).Round(time.Millisecond), summary)
	if _, rest, _ := strings.Cut(string(out), "\n"); testing.Verbose() {
		t.Logf("%s", rest)
	}
}

func TestTorture(t *testing.T) {
	exe := forkenv.Build(t, "./testdata/torture")
	for _, godebug := range []string{
		"",
		"schedmode=priority",
		"asyncpreemptoff=1",
		"gcstoptheworld=1",
		"schedmode=priority,asyncpreemptoff=1",
		// A fake two-node topology (the mode switches go through numa
		// and priority+numa in every configuration), with threads bound
		// to their node in the second.
		"schedmode=numa,numanodes=2",
		"schedmode=priority+numa,numanodes=2,numabind=1,asyncpreemptoff=1",
		// Goroutine groups' queues and limits from the start, and the
		// CPU clock on from start-up.
		"schedmode=priority+fair,schedcputime=1",
		// Schedule exploration from the start, with a seed drawn per
		// run, which the subtest's log names.
		"schedchaos=random",
		"schedchaos=random,schedchaospct=3",
	} {
		t.Run("GODEBUG="+godebug, func(t *testing.T) {
			run(t, exe, godebug)
		})
	}
}

// TestTortureTrace checks the execution trace the torture program
// recorded last (it starts and stops runtime/trace all along, with
// every feature on): go tool trace must parse it, which validates the
// order of its events, the scheduler policies' and probes' included.
func TestTortureTrace(t *testing.T) {
	exe := forkenv.Build(t, "./testdata/torture")
	file := filepath.Join(t.TempDir(), "torture.trace")
	run(t, exe, "schedmode=priority+fair", "-tracefile", file)
	goroot := forkenv.GOROOT(t)
	cmd := exec.Command(filepath.Join(goroot, "bin", "go"), "tool", "trace", "-d=parsed", file)
	cmd.Env = forkenv.GoEnv(goroot)
	cmd.Stdout = io.Discard
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("go tool trace -d=parsed of the torture program's last trace: %v\n%s", err, stderr.String())
	}
}

func TestTortureRace(t *testing.T) {
	switch runtime.GOOS + "/" + runtime.GOARCH {
	case "linux/amd64", "linux/arm64", "darwin/amd64", "darwin/arm64", "freebsd/amd64", "netbsd/amd64":
	default:
		t.Skipf("no race detector on %s/%s", runtime.GOOS, runtime.GOARCH)
	}
	if _, err := exec.LookPath("gcc"); err != nil {
		t.Skip("-race needs cgo and a C compiler")
	}
	exe := forkenv.Build(t, "./testdata/torture", "-race")
	run(t, exe, "")
}
