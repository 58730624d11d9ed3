package toolchain

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"schedx.example/test/internal/forkenv"
)

// TestPortablePackage checks the repository's portable package (sched/)
// with both toolchains: its own tests, and those of the live view
// (sched/view) and schedtop, pass with the fork and with stock Go of the
// base release, and a user's module that requires it through a
// replace line builds and runs with both, its High goroutine High on the
// fork and the calls ignored on stock Go.
func TestPortablePackage(t *testing.T) {
	pkg := filepath.Join(forkenv.Root(), "sched")
	goroot := forkenv.BaseGOROOT(t)
	stockCmd := func(dir string, args ...string) *exec.Cmd {
		cmd := exec.Command(filepath.Join(goroot, "bin", "go"), args...)
		cmd.Dir, cmd.Env = dir, append(forkenv.Environ(), "GOROOT="+goroot, "GOTOOLCHAIN=local", "GOPROXY=off", "GOFLAGS=-mod=mod")
		return cmd
	}
	run(t, goCmd(t, pkg, "vet", "./..."))
	run(t, goCmd(t, pkg, "test", "-count=1", "./..."))
	run(t, stockCmd(pkg, "vet", "./..."))
	run(t, stockCmd(pkg, "test", "-count=1", "./..."))

	dir := writeModule(t, map[string]string{
		"go.mod": "module example.com/user\n\ngo 1.26\n\nrequire schedx.example/sched v0.0.0\n\nreplace schedx.example/sched => " + pkg + "\n",
		"main.go": `package main

import (
	"fmt"

	"schedx.example/sched"
)

func main() {
	c := make(chan sched.Priority)
	go func() {
		sched.SetPriority(sched.High)
		c <- sched.CurrentPriority()
	}()
	_, err := sched.SetMode(sched.ModePriority)
	fmt.Println(sched.Available(), <-c, sched.CurrentMode(), err == nil)
}
`,
	})
	if got, want := strings.TrimSpace(run(t, goCmd(t, dir, "run", "."))), "true high priority true"; got != want {
		t.Errorf("fork: the user's program printed %q, want %q", got, want)
	}
	if got, want := strings.TrimSpace(run(t, stockCmd(dir, "run", "."))), "false normal default false"; got != want {
		t.Errorf("stock %s: the user's program printed %q, want %q", forkenv.BaseVersion(t), got, want)
	}
}
