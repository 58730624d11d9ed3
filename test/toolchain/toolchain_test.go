// Package toolchain holds black-box tests of the built fork: they run
// go/bin/go the way a user does after the GOROOT swap.
package toolchain

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"schedx.example/test/internal/forkenv"
)

// goCmd returns a command running the fork's go in dir, with the
// environment of a user who did the GOROOT swap and has no network.
func goCmd(t *testing.T, dir string, args ...string) *exec.Cmd {
	g := forkenv.GOROOT(t)
	cmd := exec.Command(filepath.Join(g, "bin", "go"), args...)
	cmd.Dir = dir
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "GOROOT=") || strings.HasPrefix(kv, "PATH=") ||
			strings.HasPrefix(kv, "GOTOOLCHAIN=") || strings.HasPrefix(kv, "GOPROXY=") ||
			strings.HasPrefix(kv, "GOFLAGS=") {
			continue
		}
		env = append(env, kv)
	}
	cmd.Env = append(env,
		"GOROOT="+g,
		"PATH="+filepath.Join(g, "bin")+string(os.PathListSeparator)+os.Getenv("PATH"),
		"GOPROXY=off", // nothing may be downloaded: the fork itself must do
		"GOFLAGS=-mod=mod",
	)
	return cmd
}

func run(t *testing.T, cmd *exec.Cmd) string {
	t.Helper()
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(cmd.Args, " "), err, out)
	}
	return string(out)
}

func writeModule(t *testing.T, files map[string]string) string {
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestGoVersionNamesFork checks the toolchain's two versions (see
// internal/buildcfg/schedx.go in the fork): "go version" prints its name,
// go1.26.11-schedx.1, and "go env GOVERSION" (runtime.Version of the go
// command) the upstream release it implements, go1.26.11, as stock
// go1.26.11 does.
func TestGoVersionNamesFork(t *testing.T) {
	v, base := forkenv.Version(t), forkenv.BaseVersion(t)
	out := run(t, goCmd(t, t.TempDir(), "version"))
	want := "go version " + v + " " + runtime.GOOS + "/" + runtime.GOARCH
	if strings.TrimSpace(out) != want {
		t.Errorf("go version = %q, want %q", strings.TrimSpace(out), want)
	}
	if got := strings.TrimSpace(run(t, goCmd(t, t.TempDir(), "env", "GOVERSION"))); got != base {
		t.Errorf("go env GOVERSION = %q, want %q", got, base)
	}
}

const hello = `package main

import (
	"fmt"
	"runtime"
)

func main() {
	fmt.Println("hello from", runtime.Version())
}
`

func TestHelloWorld(t *testing.T) {
	v := forkenv.Version(t)
	// A module written for upstream Go 1.26: the fork must accept its go
	// line without trying to switch toolchains (GOTOOLCHAIN=auto, no proxy).
	base := forkenv.BaseVersion(t)
	for _, goLine := range []string{"go 1.26", "go 1.26.0", "go " + strings.TrimPrefix(base, "go") + "\n\ntoolchain " + base} {
		dir := writeModule(t, map[string]string{
			"go.mod":  "module example.com/hello\n\n" + goLine + "\n",
			"main.go": hello,
		})
		cmd := goCmd(t, dir, "run", ".")
		cmd.Env = append(cmd.Env, "GOTOOLCHAIN=auto")
		out := run(t, cmd)
		if want := "hello from " + base + "\n"; out != want {
			t.Errorf("%s: go run printed %q, want %q", goLine, out, want)
		}
	}
	// go build and running the binary.
	dir := writeModule(t, map[string]string{
		"go.mod":  "module example.com/hello\n\ngo 1.26\n",
		"main.go": hello,
	})
	run(t, goCmd(t, dir, "build", "-o", "hello", "."))
	out := run(t, exec.Command(filepath.Join(dir, "hello")))
	if want := "hello from " + base + "\n"; out != want {
		t.Errorf("built binary printed %q, want %q", out, want)
	}
	// The binary reports the base release as its Go version, and records
	// the toolchain that built it as a build setting.
	out = run(t, goCmd(t, dir, "version", "-m", "hello"))
	if !strings.Contains(out, ": "+base+"\n") || !strings.Contains(out, "\tbuild\tschedx.toolchain="+v+"\n") {
		t.Errorf("go version -m hello = %q, want it to name %s and record build setting schedx.toolchain=%s", out, base, v)
	}
}

func TestGoTestModule(t *testing.T) {
	dir := writeModule(t, map[string]string{
		"go.mod": "module example.com/sum\n\ngo 1.26\n",
		"sum.go": `package sum

// Sum adds the numbers, using a goroutine per half.
func Sum(xs []int) int {
	if len(xs) < 2 {
		s := 0
		for _, x := range xs {
			s += x
		}
		return s
	}
	c := make(chan int)
	go func() { c <- Sum(xs[:len(xs)/2]) }()
	return Sum(xs[len(xs)/2:]) + <-c
}
`,
		"sum_test.go": `package sum

import "testing"

func TestSum(t *testing.T) {
	xs := make([]int, 1000)
	for i := range xs {
		xs[i] = i
	}
	if got := Sum(xs); got != 499500 {
		t.Fatalf("Sum = %d", got)
	}
}

func BenchmarkSum(b *testing.B) {
	xs := make([]int, 64)
	for b.Loop() {
		Sum(xs)
	}
}
`,
	})
	out := run(t, goCmd(t, dir, "test", "-race", "-count=1", "-bench=.", "-benchtime=10x", "."))
	if !strings.Contains(out, "ok  \texample.com/sum") {
		t.Errorf("go test output:\n%s", out)
	}
	out = run(t, goCmd(t, dir, "vet", "."))
	if out != "" {
		t.Errorf("go vet printed:\n%s", out)
	}
}
