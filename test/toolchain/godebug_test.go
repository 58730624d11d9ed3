package toolchain

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"schedx.example/test/internal/forkenv"
)

// settingsProg prints what the scheduler settings a program starts with
// decide: the mode, the number of NUMA nodes, whether the NUMA locality
// counters count in the default mode, the sched_setaffinity calls of
// numabind, and whether the scheduler hooks run.
const settingsProg = `package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"sync/atomic"
)

func main() {
	var created atomic.Int64
	runtime.SetSchedulerHooks(&runtime.SchedulerHooks{
		OnGoroutineCreate: func(any, uintptr) any { created.Add(1); return nil },
	})
	var wg sync.WaitGroup
	for i := 0; i < 100; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			runtime.Gosched()
		}()
	}
	wg.Wait()
	runtime.SetSchedulerHooks(nil)
	s := []metrics.Sample{
		{Name: "/sched/numa/nodes:nodes"},
		{Name: "/sched/numa/runs/home:goroutines"},
		{Name: "/sched/numa/binds:calls"},
	}
	metrics.Read(s)
	fmt.Printf("mode=%v nodes=%d counted=%v binds=%v hooks=%v\n", debug.CurrentSchedulerMode(),
		s[0].Value.Uint64(), s[1].Value.Uint64() > 0, s[2].Value.Uint64() > 0, created.Load() > 0)
}
`

// TestGodebugDirectives builds a program with each scheduler setting in a
// //go:debug line, and with a go.mod godebug line, and checks that the
// program starts with it; the GODEBUG environment variable overrides the
// binary's setting. The settings are registered in internal/godebugs, so
// the go command accepts them (it rejects unknown //go:debug settings).
func TestGodebugDirectives(t *testing.T) {
	for _, tt := range []struct {
		directives string // //go:debug lines
		godebugMod string // go.mod godebug line
		env        string // GODEBUG at run time
		want       string
	}{
		{"", "", "", "mode=default nodes=N counted=false binds=false hooks=true"},
		{"//go:debug schedmode=priority\n", "", "", "mode=priority nodes=N counted=false binds=false hooks=true"},
		{"", "godebug schedmode=priority", "", "mode=priority nodes=N counted=false binds=false hooks=true"},
		{"//go:debug schedmode=priority\n", "", "schedmode=default", "mode=default nodes=N counted=false binds=false hooks=true"},
		{"//go:debug schedmode=numa\n//go:debug numanodes=2\n", "", "", "mode=numa nodes=2 counted=true binds=false hooks=true"},
		{"//go:debug numanodes=2\n//go:debug numastats=1\n", "", "", "mode=default nodes=2 counted=true binds=false hooks=true"},
		{"//go:debug schedmode=numa\n//go:debug numanodes=2\n//go:debug numabind=1\n", "", "", "mode=numa nodes=2 counted=true binds=true hooks=true"},
		{"//go:debug schedhooks=0\n", "", "", "mode=default nodes=N counted=false binds=false hooks=false"},
	} {
		goMod := "module example.com/settings\n\ngo 1.26\n"
		if tt.godebugMod != "" {
			goMod += "\n" + tt.godebugMod + "\n"
		}
		dir := writeModule(t, map[string]string{
			"go.mod":  goMod,
			"main.go": tt.directives + settingsProg,
		})
		run(t, goCmd(t, dir, "build", "-o", "settings", "."))
		cmd := exec.Command(filepath.Join(dir, "settings"))
		cmd.Env = append(forkenv.Environ(), "GODEBUG="+tt.env)
		got := strings.TrimSpace(run(t, cmd))
		want := tt.want
		if strings.Contains(want, "nodes=N") {
			// The machine's own topology: whatever it is, the same as
			// a program without settings sees.
			want = strings.Replace(want, "nodes=N", got[strings.Index(got, "nodes="):strings.Index(got, " counted")], 1)
		}
		if got != want {
			t.Errorf("%s%s, GODEBUG=%q: program printed %q, want %q", tt.directives, tt.godebugMod, tt.env, got, want)
		}
	}
}

// TestSchedxBuildTag checks that the fork's go command sets the schedx
// build tag and stock Go does not: a file under //go:build schedx is
// compiled by the fork only.
func TestSchedxBuildTag(t *testing.T) {
	dir := writeModule(t, map[string]string{
		"go.mod":       "module example.com/tag\n\ngo 1.26\n",
		"main.go":      "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(toolchain) }\n",
		"schedx.go":    "//go:build schedx\n\npackage main\n\nconst toolchain = \"schedx\"\n",
		"notschedx.go": "//go:build !schedx\n\npackage main\n\nconst toolchain = \"stock\"\n",
	})
	if got := strings.TrimSpace(run(t, goCmd(t, dir, "run", "."))); got != "schedx" {
		t.Errorf("fork: go run printed %q, want %q", got, "schedx")
	}
	goroot := forkenv.BaseGOROOT(t)
	stock := exec.Command(filepath.Join(goroot, "bin", "go"), "run", ".")
	stock.Dir, stock.Env = dir, append(forkenv.Environ(), "GOROOT="+goroot, "GOTOOLCHAIN=local", "GOPROXY=off", "GOFLAGS=-mod=mod")
	if got := strings.TrimSpace(run(t, stock)); got != "stock" {
		t.Errorf("stock %s: go run printed %q, want %q", forkenv.BaseVersion(t), got, "stock")
	}
}
