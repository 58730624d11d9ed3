// Package hooks runs programs built with the fork that use the scheduler
// hooks (runtime.SetSchedulerHooks) as a user would, beyond what the
// runtime's own tests do.
package hooks

import (
	"fmt"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"schedx.example/test/internal/forkenv"
)

// TestThreadStartHookTakesLock runs testdata/threadstartlock: an
// OnThreadStart hook that starts a goroutine and takes a lock shared with
// the other OnThreadStart calls must not make the runtime start threads
// until the program dies (docs/reliability.md, "Thread exhaustion with a
// blocking OnThreadStart hook"; fixed in patch 0005 by letting at most
// GOMAXPROCS threads run OnThreadStart at once).
func TestThreadStartHookTakesLock(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc/self/task")
	}
	exe := forkenv.Build(t, "./testdata/threadstartlock")
	env := forkenv.GoEnv(forkenv.GOROOT(t))

	// Without the limit, more Ps than CPUs made it die within seconds;
	// as many as the CPUs, within a minute on a 2-CPU machine, and when
	// it survived it had had thousands of threads. With a hook that does
	// not block (threadstartlock -lock=false) it has at most 27 on that
	// machine: a thread for each of its 8 locked goroutines, one for each
	// P and a few for the runtime. maxThreads leaves room for threads
	// that are still exiting and for larger machines.
	const maxThreads = 500
	d := "60s"
	if testing.Short() {
		d = "10s"
	}
	for _, procs := range []int{2 * runtime.NumCPU(), runtime.NumCPU()} {
		cmd := exec.Command(exe, "-d", d)
		cmd.Env = append(env, "GOMAXPROCS="+strconv.Itoa(procs))
		out, err := cmd.CombinedOutput()
		if err != nil || !strings.HasPrefix(string(out), "OK: ") {
			first, _, _ := strings.Cut(string(out), "\n\n")
			t.Errorf("GOMAXPROCS=%d threadstartlock -d %s: %v\n%s", procs, d, err, first)
			continue
		}
		t.Logf("GOMAXPROCS=%d: %s", procs, strings.TrimSpace(string(out)))
		var rounds, most int
		if _, err := fmt.Sscanf(string(out), "OK: %d rounds, at most %d threads", &rounds, &most); err != nil {
			t.Errorf("cannot read the program's summary %q: %v", out, err)
		} else if most > maxThreads {
			t.Errorf("GOMAXPROCS=%d: the program had %d threads at once, want at most %d", procs, most, maxThreads)
		}
	}
}
