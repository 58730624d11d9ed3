// Package torture runs the torture program (testdata/torture) built with
// the fork: every scheduler feature at once, with invariants checked while
// it runs (see the program's doc comment).
//
// Each configuration runs for 1s in -short mode (./all.bash) and 5s
// otherwise; SCHEDX_TORTURE_DURATION (a time.Duration) overrides both, for
// long runs:
//
//	cd test && SCHEDX_TORTURE_DURATION=2m go test -timeout 0 -v ./torture
package torture

import (
	"os"
	"os/exec"
	"runtime"
	"strings"
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

// run runs exe for the test's duration with GODEBUG set to godebug and
// checks that it reports OK.
func run(t *testing.T, exe, godebug string) {
	t.Helper()
	d := duration(t)
	cmd := exec.Command(exe, "-d", d.String())
	cmd.Env = append(forkenv.GoEnv(forkenv.GOROOT(t)), "GODEBUG="+godebug)
	start := time.Now()
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.HasPrefix(string(out), "OK: ") {
		t.Fatalf("GODEBUG=%s torture -d %v: %v\n%s", godebug, d, err, out)
	}
	summary, _, _ := strings.Cut(string(out), "\n")
	t.Logf("GODEBUG=%s, %v (took %v): %s", godebug, d, time.Since(start).Round(time.Millisecond), summary)
	if _, rest, _ := strings.Cut(string(out), "\n"); testing.Verbose() {
		t.Logf("%s", rest)
	}
}

func TestTorture(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "plan9" {
		t.Skip("the torture program is for Unix systems")
	}
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
	} {
		t.Run("GODEBUG="+godebug, func(t *testing.T) {
			run(t, exe, godebug)
		})
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
