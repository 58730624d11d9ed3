//go:build schedx

package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestChaosFindsPoolRace builds the program with the compiler's entry
// probes and runs it under GODEBUG=schedchaos with seeds 1 to 100 at
// GOMAXPROCS=1, as the package comment shows: the pool's race must show,
// and the first failing seed must fail again, naming itself. It needs the
// fork's toolchain (the schedx build tag).
func TestChaosFindsPoolRace(t *testing.T) {
	exe := filepath.Join(t.TempDir(), "chaosbug")
	build := exec.Command("go", "build", "-gcflags=schedx.example/misc/chaosbug=-d=probes=entry", "-o", exe, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("%v: %v\n%s", build, err, out)
	}
	run := func(env ...string) (string, bool) {
		cmd := exec.Command(exe)
		cmd.Env = append(os.Environ(), env...)
		out, err := cmd.CombinedOutput()
		return string(out), err == nil
	}
	if out, ok := run("GOMAXPROCS=1", "GODEBUG="); !ok {
		t.Fatalf("the default scheduler shows the race at GOMAXPROCS=1:\n%s", out)
	}
	found := 0
	first := 0
	for seed := 1; seed <= 100; seed++ {
		out, ok := run("GOMAXPROCS=1", fmt.Sprintf("GODEBUG=schedchaos=%d", seed))
		if ok {
			continue
		}
		found++
		if first == 0 {
			first = seed
			if want := fmt.Sprintf("(replay: GODEBUG=schedchaos=%d)", seed); !strings.Contains(out, want) {
				t.Errorf("seed %d: the failure does not say how to replay it:\n%s", seed, out)
			}
		}
	}
	t.Logf("the race showed in %d runs of 100", found)
	if found < 10 {
		t.Fatalf("the race showed in %d runs of 100, want at least 10", found)
	}
	for range 10 {
		if out, ok := run("GOMAXPROCS=1", fmt.Sprintf("GODEBUG=schedchaos=%d", first)); ok {
			t.Fatalf("seed %d did not fail again:\n%s", first, out)
		}
	}
}
