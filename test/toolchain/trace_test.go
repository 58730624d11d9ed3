package toolchain

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"schedx.example/test/internal/forkenv"
)

// traceProg traces a High goroutine woken by a Low one, in the scheduler
// mode named by its first argument, to the file named by its second.
const traceProg = `package main

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/trace"
)

func main() {
	mode, err := debug.ParseSchedulerMode(os.Args[1])
	if err != nil {
		panic(err)
	}
	f, err := os.Create(os.Args[2])
	if err != nil {
		panic(err)
	}
	if err := trace.Start(f); err != nil {
		panic(err)
	}
	debug.SetSchedulerMode(mode)
	wake, done := make(chan bool), make(chan bool)
	go func() {
		runtime.SetGoroutinePriority(runtime.PriorityHigh)
		for range wake {
		}
		close(done)
	}()
	go func() {
		runtime.SetGoroutinePriority(runtime.PriorityLow)
		for i := 0; i < 100; i++ {
			wake <- true
		}
		close(wake)
	}()
	<-done
	debug.SetSchedulerMode(0)
	trace.Stop()
	f.Close()
}
`

// TestTraceReadableByStock checks the promise of the scheduler policy
// trace events (runtime/schedext_trace.go in the fork): a trace of a
// program that stays in the default mode is read by the base's go tool
// trace, and one that used a policy lists its events with the fork's
// go tool trace -d=sched.
func TestTraceReadableByStock(t *testing.T) {
	dir := writeModule(t, map[string]string{
		"go.mod":  "module example.com/tracer\n\ngo 1.26\n",
		"main.go": traceProg,
	})
	run(t, goCmd(t, dir, "build", "-o", "tracer", "."))
	baseGo := filepath.Join(forkenv.BaseGOROOT(t), "bin", "go")
	for _, mode := range []string{"default", "priority"} {
		out := filepath.Join(dir, mode+".trace")
		run(t, exec.Command(filepath.Join(dir, "tracer"), mode, out))

		sched := run(t, goCmd(t, dir, "tool", "trace", "-d=sched", out))
		stock := exec.Command(baseGo, "tool", "trace", "-d=parsed", out)
		stock.Env = append(forkenv.Environ(), "GOTOOLCHAIN=local")
		stockOut, stockErr := stock.CombinedOutput()
		switch mode {
		case "default":
			if stockErr != nil {
				t.Errorf("default mode: the base's go tool trace cannot read the fork's trace: %v\n%s", stockErr, tail(stockOut))
			}
			if !strings.Contains(sched, "no scheduler policy events") {
				t.Errorf("default mode: go tool trace -d=sched = %q, want no events", sched)
			}
		case "priority":
			for _, want := range []string{"mode priority (was default)", "level high (set)", "level low (set)", "mode default (was priority)"} {
				if !strings.Contains(sched, want) {
					t.Errorf("priority mode: go tool trace -d=sched lacks %q:\n%s", want, sched)
				}
			}
		}
	}
}

func tail(b []byte) string {
	s := string(b)
	if len(s) > 2000 {
		s = "..." + s[len(s)-2000:]
	}
	return s
}
