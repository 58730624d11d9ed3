package runner

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"schedx.example/bench/internal/runconfig"
)

// Options configure Run.
type Options struct {
	// Configs are the configurations to compare, resolved.
	Configs []runconfig.Config
	// Suites are the suites to run, in order.
	Suites []Suite
	// Count is the number of rounds.
	Count int
	// Short selects the short benchmark selections and benchtimes.
	Short bool
	// Benchtime overrides suites' benchtimes; see Units.
	Benchtime map[string]string
	// Bench, if not empty, replaces the suites' benchmark selections;
	// see Units.
	Bench string
	// ModuleDir is the directory of this module (bench/), where module
	// packages are built.
	ModuleDir string
	// WorkDir holds the test binaries and the GOCACHEs of GoBuild runs.
	WorkDir string
	// Header is written at the top of Out.
	Header Header
	// Out receives the results.
	Out io.Writer
	// Log receives progress messages.
	Log io.Writer
}

// runTimeout bounds each test binary run and each go build.
const runTimeout = 15 * time.Minute

// Run builds the suites with each configuration's toolchain, then runs
// them in the order of Interleave, writing results to o.Out as it goes. A
// failed run is reported on o.Log and the rest still run; Run then returns
// an error naming the failed runs.
func Run(ctx context.Context, o Options) error {
	if o.Count < 1 {
		return fmt.Errorf("count %d: need at least 1 round", o.Count)
	}
	units := Units(o.Suites, o.Short, o.Benchtime, o.Bench)
	if len(units) == 0 {
		return errors.New("no benchmarks selected")
	}
	binaries, err := buildAll(ctx, o, units)
	if err != nil {
		return err
	}
	if err := WriteHeader(o.Out, o.Header); err != nil {
		return err
	}
	steps := Interleave(o.Count, len(units), len(o.Configs))
	var failed []string
	start := time.Now()
	for i, st := range steps {
		u, c := units[st.Unit], o.Configs[st.Config]
		load := LoadAverage()
		t0 := time.Now()
		out, err := runUnit(ctx, o, u, c, binaries[binaryKey{c.GOROOT, u.Suite.Name}])
		msg := fmt.Sprintf("[%d/%d] round %d/%d %s %s: %.1fs", i+1, len(steps), st.Round+1, o.Count, u.Suite.Name, c.Name, time.Since(t0).Seconds())
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			failed = append(failed, fmt.Sprintf("round %d %s %s", st.Round+1, u.Suite.Name, c.Name))
			fmt.Fprintf(o.Log, "%s FAILED: %v\n", msg, err)
			continue
		}
		keys := append(c.Keys(),
			runconfig.Key{Name: "suite", Value: u.Suite.Name},
			runconfig.Key{Name: "round", Value: fmt.Sprint(st.Round + 1)},
			runconfig.Key{Name: "load-avg", Value: load})
		if err := WriteRun(o.Out, keys, out); err != nil {
			return err
		}
		elapsed := time.Since(start)
		eta := time.Duration(float64(elapsed) / float64(i+1) * float64(len(steps)-i-1))
		fmt.Fprintf(o.Log, "%s (eta %s)\n", msg, eta.Round(time.Second))
	}
	if len(failed) > 0 {
		return fmt.Errorf("%d of %d runs failed: %s", len(failed), len(steps), strings.Join(failed, "; "))
	}
	return nil
}

// binaryKey identifies a test binary: one per toolchain and suite.
type binaryKey struct {
	goroot, suite string
}

// buildAll builds the test binary of every suite that has one with every
// distinct toolchain of o.Configs.
func buildAll(ctx context.Context, o Options, units []Unit) (map[binaryKey]string, error) {
	binaries := map[binaryKey]string{}
	var roots []string
	names := map[string][]string{} // the configurations of each toolchain
	for _, c := range o.Configs {
		if !slices.Contains(roots, c.GOROOT) {
			roots = append(roots, c.GOROOT)
		}
		names[c.GOROOT] = append(names[c.GOROOT], c.Name)
	}
	for ri, root := range roots {
		tags := BuildTags(root)
		for ui, u := range units {
			key := binaryKey{root, u.Suite.Name}
			if u.Suite.Kind == GoBuild || binaries[key] != "" {
				continue
			}
			file := u.Suite.Name + ".test"
			if u.Suite.Kind == UserPackage {
				// An import path: keep the file name flat and unique.
				file = fmt.Sprintf("user%d-%s.test", ui, path.Base(u.Suite.Package))
			}
			out := filepath.Join(o.WorkDir, fmt.Sprintf("toolchain%d", ri), file)
			t0 := time.Now()
			if err := buildTestBinary(ctx, o, root, tags, u.Suite, out); err != nil {
				return nil, fmt.Errorf("configuration %s (GOROOT %s): %v", strings.Join(names[root], ", "), root, err)
			}
			fmt.Fprintf(o.Log, "built %s with %s (%.1fs)\n", file, root, time.Since(t0).Seconds())
			binaries[key] = out
		}
	}
	return binaries, nil
}

// buildTestBinary compiles the test binary of suite s with the toolchain at
// goroot into out.
func buildTestBinary(ctx context.Context, o Options, goroot string, tags []string, s Suite, out string) error {
	args := []string{"test", "-c", "-o", out}
	var dir string
	env := toolEnv()
	pkg := s.Package
	switch s.Kind {
	case UpstreamPackage:
		// Outside any module: the package comes from goroot's own tree.
		dir = filepath.Join(o.WorkDir, "empty")
	case ModulePackage:
		dir = o.ModuleDir
		if len(tags) > 0 {
			args = append(args, "-tags", strings.Join(tags, ","))
		}
	case UserPackage:
		// As the user's go test would build it: in the package's
		// directory, with the user's GOFLAGS and GOWORK.
		dir, pkg, env = s.Dir, ".", UserToolEnv(os.Environ())
	default:
		return fmt.Errorf("suite %s has no test binary", s.Name)
	}
	args = append(args, pkg)
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, filepath.Join(goroot, "bin", "go"), args...)
	cmd.Dir = dir
	cmd.Env = env
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("building %s: %s (in %s): %v\n%s", s.Name, strings.Join(cmd.Args, " "), dir, err, b)
	}
	return nil
}

// runUnit runs unit u under configuration c and returns its standard
// output in the benchmark format.
func runUnit(ctx context.Context, o Options, u Unit, c runconfig.Config, binary string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, runTimeout)
	defer cancel()
	if u.Suite.Kind == GoBuild {
		return runGoBuild(ctx, o, u.Suite, c)
	}
	args := []string{
		"-test.run=^$",
		"-test.bench=" + u.Bench,
		"-test.benchtime=" + u.Benchtime,
		"-test.count=1",
		"-test.timeout=" + runTimeout.String(),
	}
	args = append(args, u.Suite.Args...)
	if c.Trace() {
		// The trace goes to a file removed after the run: only its
		// cost is measured.
		f, err := os.CreateTemp(o.WorkDir, "trace-*.out")
		if err != nil {
			return nil, err
		}
		f.Close()
		defer os.Remove(f.Name())
		args = append(args, "-test.trace="+f.Name())
	}
	cmd := exec.CommandContext(ctx, binary, args...)
	// Run in the package's directory, as go test does.
	switch u.Suite.Kind {
	case UpstreamPackage:
		cmd.Dir = filepath.Join(c.GOROOT, "src", filepath.FromSlash(u.Suite.Package))
	case ModulePackage:
		cmd.Dir = filepath.Join(o.ModuleDir, filepath.FromSlash(u.Suite.Package))
	case UserPackage:
		cmd.Dir = u.Suite.Dir
	}
	cmd.Env = MeasuredEnv(os.Environ(), c)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("%s %s: %v\n%s%s", binary, strings.Join(args, " "), err, tail(stdout.Bytes()), tail(stderr.Bytes()))
	}
	return stdout.Bytes(), nil
}

// runGoBuild times one go build of s.BuildPackages with c's toolchain and an
// empty GOCACHE, and returns the result as a benchmark line: wall time
// (ns/op) and the CPU time of the go command and its children (user-ns/op,
// sys-ns/op).
func runGoBuild(ctx context.Context, o Options, s Suite, c runconfig.Config) ([]byte, error) {
	cache, err := os.MkdirTemp(o.WorkDir, "gocache-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(cache)
	dir := filepath.Join(o.WorkDir, "empty")
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, filepath.Join(c.GOROOT, "bin", "go"), append([]string{"build"}, s.BuildPackages...)...)
	cmd.Dir = dir
	cmd.Env = append(MeasuredEnv(os.Environ(), c), "GOTOOLCHAIN=local", "GOFLAGS=", "GOWORK=off", "GOCACHE="+cache)
	var output bytes.Buffer
	cmd.Stdout, cmd.Stderr = &output, &output
	start := time.Now()
	err = cmd.Run()
	wall := time.Since(start)
	if err != nil {
		return nil, fmt.Errorf("%s: %v\n%s", strings.Join(cmd.Args, " "), err, tail(output.Bytes()))
	}
	user, sys := cmd.ProcessState.UserTime(), cmd.ProcessState.SystemTime()
	return []byte(fmt.Sprintf("pkg: %s\nBenchmarkGoBuild/std 1 %d ns/op %d user-ns/op %d sys-ns/op\n",
		strings.Join(s.BuildPackages, " "), wall.Nanoseconds(), user.Nanoseconds(), sys.Nanoseconds())), nil
}

// tail returns the last 40 lines of b.
// tail returns the first and the last 20 lines of b: a crash's cause is at
// the start of its output and its goroutines after it.
func tail(b []byte) string {
	lines := strings.SplitAfter(string(b), "\n")
	if len(lines) > 40 {
		lines = append(append(lines[:20:20], "\t...\n"), lines[len(lines)-20:]...)
	}
	return strings.Join(lines, "")
}

// measuredEnvRemoved are the variables removed from the environment of
// measured processes, so that they run as each configuration says and
// nothing else: the runtime's tuning knobs and the go command's selection
// of a toolchain and flags.
var measuredEnvRemoved = []string{"GODEBUG", "GOGC", "GOMAXPROCS", "GOMEMLIMIT", "GOROOT", "GOFLAGS", "GOTOOLCHAIN", "GOEXPERIMENT"}

// MeasuredEnv returns the environment of a process measured under c: env
// without measuredEnvRemoved, plus c's settings.
func MeasuredEnv(env []string, c runconfig.Config) []string {
	var out []string
	for _, kv := range env {
		k, _, _ := strings.Cut(kv, "=")
		if !slices.Contains(measuredEnvRemoved, k) {
			out = append(out, kv)
		}
	}
	return append(out, c.Env...)
}

// toolEnv returns the environment for building test binaries: the caller's
// without measuredEnvRemoved, with GOTOOLCHAIN=local so that each go
// command builds with itself.
func toolEnv() []string {
	return append(MeasuredEnv(os.Environ(), runconfig.Config{}), "GOTOOLCHAIN=local", "GOFLAGS=", "GOWORK=off")
}

// userEnvKept are the variables of measuredEnvRemoved that the go commands
// building and listing a user's packages keep: the user's build settings.
var userEnvKept = []string{"GOFLAGS", "GOEXPERIMENT"}

// UserToolEnv returns the environment of the go commands that list and
// build a user's packages: env without the runtime's tuning knobs, GOROOT
// and GOTOOLCHAIN, with GOTOOLCHAIN=local so that each go command builds
// with itself. GOFLAGS, GOEXPERIMENT, GOWORK and the rest stay as the user
// set them.
func UserToolEnv(env []string) []string {
	var out []string
	for _, kv := range env {
		k, _, _ := strings.Cut(kv, "=")
		if !slices.Contains(measuredEnvRemoved, k) || slices.Contains(userEnvKept, k) {
			out = append(out, kv)
		}
	}
	return append(out, "GOTOOLCHAIN=local")
}
