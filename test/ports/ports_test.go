// Package ports checks that the fork builds for every port, not only the
// host: the patches change the runtime and the compiler for all of them.
//
// For each port, with the fork's go and CGO_ENABLED=0, TestPorts
// cross-compiles std and cmd/compile and the bench module, and runs go vet
// on the runtime packages the patches touch (read from patches/, so the list
// follows the series; vet's asmdecl and friends are per-architecture).
// TestVetCompiler runs go vet on the touched cmd/ packages once, for
// linux/386: their code is the same for every port but word size, and the
// host's go test (all.bash runs it for cmd/compile/internal/ssa) already
// runs vet's checks for the host.
//
// A step that fails with the fork is run again with the pristine base; if
// the base fails too the failure is not the fork's and is only logged.
//
// SCHEDX_PORTS="linux/arm64 windows/amd64" limits TestPorts to some ports.
package ports

import (
	"bufio"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"schedx.example/test/internal/forkenv"
)

// ports are the targets checked by default: 64- and 32-bit, both byte
// orders' common cases, a weak memory model (arm64, ppc64le, riscv64), and
// the three non-Linux kernels users run (darwin, windows, wasip1).
var ports = []string{
	"linux/arm64",
	"darwin/arm64",
	"windows/amd64",
	"linux/386",
	"linux/riscv64",
	"linux/ppc64le",
	"wasip1/wasm",
}

func TestPorts(t *testing.T) {
	list := ports
	if s := os.Getenv("SCHEDX_PORTS"); s != "" {
		list = strings.Fields(s)
	}
	fork := forkenv.GOROOT(t)
	base := forkenv.BaseGOROOT(t)
	runtimePkgs, _ := touchedPackages(t)
	benchDir := filepath.Join(forkenv.Root(), "bench")

	for _, port := range list {
		goos, goarch, ok := strings.Cut(port, "/")
		if !ok {
			t.Fatalf("SCHEDX_PORTS: %q is not GOOS/GOARCH", port)
		}
		t.Run(strings.ReplaceAll(port, "/", "_"), func(t *testing.T) {
			check(t, fork, base, goos, goarch, "", "build", "std", "cmd/compile")
			check(t, fork, base, goos, goarch, benchDir, "build", "./...")
			check(t, fork, base, goos, goarch, "", append([]string{"vet"}, runtimePkgs...)...)
		})
	}
}

func TestVetCompiler(t *testing.T) {
	_, cmdPkgs := touchedPackages(t)
	if len(cmdPkgs) == 0 {
		t.Skip("the patches touch no cmd/ package")
	}
	check(t, forkenv.GOROOT(t), forkenv.BaseGOROOT(t), "linux", "386", "", append([]string{"vet"}, cmdPkgs...)...)
}

// check runs go ARGS in dir for goos/goarch with the fork's go and fails the
// test if it fails, unless the pristine base fails too.
func check(t *testing.T, fork, base, goos, goarch, dir string, args ...string) {
	t.Helper()
	what := "go " + strings.Join(args, " ")
	if dir != "" {
		what += " (in " + filepath.Base(dir) + "/)"
	}
	start := time.Now()
	out, err := goCmd(fork, goos, goarch, dir, args...).CombinedOutput()
	t.Logf("%s/%s: %s: %.0fs", goos, goarch, what, time.Since(start).Seconds())
	if err == nil {
		return
	}
	baseOut, baseErr := goCmd(base, goos, goarch, dir, args...).CombinedOutput()
	if baseErr != nil {
		t.Logf("%s/%s: %s fails with the pristine base as well, so not because of the fork (ignored):\n%s",
			goos, goarch, what, tail(baseOut))
		return
	}
	t.Errorf("%s/%s: %s fails with the fork (%v) but not with the pristine base:\n%s",
		goos, goarch, what, err, tail(out))
}

// goCmd returns a command running GOROOT's go for goos/goarch in dir.
func goCmd(goroot, goos, goarch, dir string, args ...string) *exec.Cmd {
	cmd := exec.Command(filepath.Join(goroot, "bin", "go"), args...)
	cmd.Dir = dir
	cmd.Env = append(forkenv.GoEnv(goroot),
		"GOOS="+goos,
		"GOARCH="+goarch,
		"CGO_ENABLED=0",
	)
	return cmd
}

var diffLine = regexp.MustCompile(`^diff --git a/src/(\S+\.go) b/`)

// touchedPackages lists the std and cmd packages whose non-test Go files
// the patches change (testdata programs excluded), read from
// patches/*.patch: the cmd/ ones apart from the others.
func touchedPackages(t *testing.T) (std, cmd []string) {
	files, err := filepath.Glob(filepath.Join(forkenv.Root(), "patches", "*.patch"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no patches/*.patch (%v)", err)
	}
	var pkgs []string
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			m := diffLine.FindStringSubmatch(sc.Text())
			if m == nil || strings.Contains(m[1], "/testdata/") {
				continue
			}
			if p := path.Dir(m[1]); !slices.Contains(pkgs, p) {
				pkgs = append(pkgs, p)
			}
		}
		f.Close()
		if err := sc.Err(); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	slices.Sort(pkgs)
	for _, p := range pkgs {
		if strings.HasPrefix(p, "cmd/") {
			cmd = append(cmd, p)
		} else {
			std = append(std, p)
		}
	}
	t.Logf("packages the patches touch: %s", strings.Join(pkgs, " "))
	return std, cmd
}

// tail returns the last 40 lines of out.
func tail(out []byte) string {
	lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	if len(lines) > 40 {
		lines = append([]string{"..."}, lines[len(lines)-40:]...)
	}
	return strings.Join(lines, "\n")
}
