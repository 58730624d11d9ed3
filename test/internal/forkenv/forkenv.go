// Package forkenv locates the project, the built fork and the pristine base
// for the black-box tests under test/.
package forkenv

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// Root is the project's top directory (test/internal/forkenv/../../..).
func Root() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Dir(filepath.Dir(filepath.Dir(filepath.Dir(file))))
}

// Version is the first line of the project's VERSION: the fork's version.
func Version(t testing.TB) string {
	b, err := os.ReadFile(filepath.Join(Root(), "VERSION"))
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(strings.SplitN(string(b), "\n", 2)[0])
}

// BaseVersion is the upstream release the fork is based on: Version
// without its -schedx.N suffix (go1.26.11 for go1.26.11-schedx.1).
func BaseVersion(t testing.TB) string {
	v, _, _ := strings.Cut(Version(t), "-")
	return v
}

// NextVersion is the point release after the base (go1.26.12 for
// go1.26.11), for tests that need a version just newer than the fork.
func NextVersion(t testing.TB) string {
	b := BaseVersion(t)
	i := strings.LastIndex(b, ".")
	n, err := strconv.Atoi(b[i+1:])
	if err != nil || strings.Count(b, ".") != 2 {
		t.Fatalf("base version %q is not goX.Y.Z", b)
	}
	return b[:i+1] + strconv.Itoa(n+1)
}

// GOROOT is the fork's GOROOT: $SCHEDX_GOROOT, else go/ in the project.
func GOROOT(t testing.TB) string {
	g := os.Getenv("SCHEDX_GOROOT")
	if g == "" {
		g = filepath.Join(Root(), "go")
	}
	if _, err := os.Stat(filepath.Join(g, "bin", "go")); err != nil {
		t.Fatalf("no built fork at %s (run ./make.bash): %v", g, err)
	}
	return g
}

// BaseGOROOT is the pristine upstream GOROOT: $GOROOT_BASE, else the GOROOT
// of the go command on PATH (all.bash runs the tests with the base's go).
func BaseGOROOT(t testing.TB) string {
	if g := os.Getenv("GOROOT_BASE"); g != "" {
		return g
	}
	cmd := exec.Command("go", "env", "GOROOT")
	cmd.Env = append(Environ(), "GOTOOLCHAIN=local")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go env GOROOT (the base go on PATH): %v", err)
	}
	return strings.TrimSpace(string(out))
}

// Environ is os.Environ without the variables that select or configure a
// toolchain (GOROOT, GOTOOLCHAIN, GOOS, GOARCH, GOFLAGS, CGO_ENABLED,
// GOENV), which the tests set themselves.
func Environ() []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch name {
		case "GOROOT", "GOTOOLCHAIN", "GOOS", "GOARCH", "GOFLAGS", "CGO_ENABLED", "GOENV":
			continue
		}
		env = append(env, kv)
	}
	return env
}

// GoEnv is the environment of a go command, or a program it built, run
// with the toolchain at goroot: Environ with GOROOT set, goroot's bin first
// on PATH, no toolchain switch and no VCS stamping.
func GoEnv(goroot string) []string {
	return append(Environ(),
		"GOROOT="+goroot,
		"PATH="+filepath.Join(goroot, "bin")+string(os.PathListSeparator)+os.Getenv("PATH"),
		"GOTOOLCHAIN=local",
		"GOFLAGS=-buildvcs=false",
	)
}

// Build builds the program in pkg (a path relative to the test's
// directory, such as ./testdata/torture) with the fork and extra build
// flags, into the test's temporary directory, and returns the executable.
func Build(t testing.TB, pkg string, flags ...string) string {
	t.Helper()
	g := GOROOT(t)
	exe := filepath.Join(t.TempDir(), filepath.Base(pkg))
	args := append(append([]string{"build", "-o", exe}, flags...), pkg)
	cmd := exec.Command(filepath.Join(g, "bin", "go"), args...)
	cmd.Env = GoEnv(g)
	Run(t, cmd)
	return exe
}

// Run runs cmd and returns its combined output, failing the test with the
// command line, the error and the output if it fails.
func Run(t testing.TB, cmd *exec.Cmd) string {
	t.Helper()
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s (in %s): %v\n%s", strings.Join(cmd.Args, " "), cmd.Dir, err, out)
	}
	return string(out)
}

// Output runs cmd and returns its standard output, failing the test with the
// command line, the error and both outputs if it fails. The go command's
// notes on standard error ("go: downloading ...") are not part of the result.
func Output(t testing.TB, cmd *exec.Cmd) string {
	t.Helper()
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s (in %s): %v\n%s%s", strings.Join(cmd.Args, " "), cmd.Dir, err, out, stderr.String())
	}
	return string(out)
}

// Proxy is the user's GOPROXY for tests that download from the module
// proxy, or the default one when it is unset or off.
func Proxy() string {
	if p := os.Getenv("GOPROXY"); p != "" && p != "off" {
		return p
	}
	return "https://proxy.golang.org,direct"
}
