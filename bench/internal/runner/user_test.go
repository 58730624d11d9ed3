package runner

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"schedx.example/bench/internal/runconfig"
)

func TestBenchMatcher(t *testing.T) {
	for _, tc := range []struct {
		bench string
		match []string
		skip  []string
	}{
		{".", []string{"Benchmark", "BenchmarkA"}, nil},
		{"Sum", []string{"BenchmarkSum", "BenchmarkSumSlow"}, []string{"BenchmarkA"}},
		{"^BenchmarkSum$", []string{"BenchmarkSum"}, []string{"BenchmarkSumSlow"}},
		// Levels: only the first one selects top-level benchmarks.
		{"^BenchmarkHTTP$/light", []string{"BenchmarkHTTP"}, []string{"BenchmarkLight"}},
		// Top-level alternatives, each with its own levels.
		{"^BenchmarkA$/x|^BenchmarkB$", []string{"BenchmarkA", "BenchmarkB"}, []string{"BenchmarkC", "BenchmarkAB"}},
		// '|' and '/' inside parentheses or brackets do not split.
		{"^Benchmark(A|B)$", []string{"BenchmarkA", "BenchmarkB"}, []string{"BenchmarkAB"}},
		{"^Benchmark[/|]?C$", []string{"BenchmarkC"}, []string{"BenchmarkD"}},
	} {
		match, err := benchMatcher(tc.bench)
		if err != nil {
			t.Errorf("benchMatcher(%q): %v", tc.bench, err)
			continue
		}
		for _, n := range tc.match {
			if !match(n) {
				t.Errorf("-bench %q does not select %s, want it to", tc.bench, n)
			}
		}
		for _, n := range tc.skip {
			if match(n) {
				t.Errorf("-bench %q selects %s, want it not to", tc.bench, n)
			}
		}
	}
	if _, err := benchMatcher("a/(b"); err == nil || !strings.Contains(err.Error(), `-bench "a/(b"`) {
		t.Errorf("benchMatcher(a/(b): error %v, want one naming -bench", err)
	}
}

func TestBenchmarkFuncs(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x_test.go")
	src := `package x

import (
	"testing"
	. "testing"
)

func BenchmarkA(b *testing.B)       {}
func BenchmarkDot(b *B)             {}
func Benchmark(b *testing.B)        {}
func Benchmark_under(b *testing.B)  {}
func Benchmarklower(b *testing.B)   {}
func BenchmarkNoArg()               {}
func BenchmarkT(t *testing.T)       {}
func BenchmarkTwo(a, b *testing.B)  {}
func (x) BenchmarkMethod(b *testing.B) {}
func TestA(t *testing.T)            {}

type x int
`
	if err := os.WriteFile(path, []byte(src), 0o666); err != nil {
		t.Fatal(err)
	}
	got, err := benchmarkFuncs(path)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"BenchmarkA", "BenchmarkDot", "Benchmark", "Benchmark_under"}
	if !slices.Equal(got, want) {
		t.Errorf("benchmarkFuncs = %v, want %v", got, want)
	}
}

// writeFiles writes files (path relative to dir: content) under dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o777); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o666); err != nil {
			t.Fatal(err)
		}
	}
}

// testGOROOT returns the GOROOT of the go command on PATH.
func testGOROOT(t *testing.T) string {
	t.Helper()
	cmd := exec.Command("go", "env", "GOROOT")
	cmd.Env = append(os.Environ(), "GOTOOLCHAIN=local")
	out, err := cmd.Output()
	if err != nil {
		t.Skipf("no go command: %v", err)
	}
	return strings.TrimSpace(string(out))
}

func TestFindUserPackages(t *testing.T) {
	goroot := testGOROOT(t)
	mod := t.TempDir()
	writeFiles(t, mod, map[string]string{
		"go.mod":          "module example.com/svc\n\ngo 1.22\n",
		"cache/cache.go":  "package cache\n",
		"cache/c_test.go": "package cache\n\nimport \"testing\"\n\nfunc BenchmarkGet(b *testing.B) {}\nfunc BenchmarkPut(b *testing.B) {}\n",
		"api/x_test.go":   "package api_test\n\nimport \"testing\"\n\nfunc BenchmarkServe(b *testing.B) {}\n",
		"api/api.go":      "package api\n",
		"util/util.go":    "package util\n",
		"util/u_test.go":  "package util\n\nimport \"testing\"\n\nfunc TestU(t *testing.T) {}\n",
	})
	ctx := context.Background()
	stock := []runconfig.Config{{Name: "stock", GOROOT: goroot}, {Name: "stock-aa", GOROOT: goroot}}

	sel, err := FindUserPackages(ctx, stock, mod, []string{"./..."}, "Get|Serve")
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(mod, "go.mod"); sel.Module != want {
		t.Errorf("Module = %s, want %s", sel.Module, want)
	}
	var got []string
	for _, s := range sel.Suites() {
		if s.Kind != UserPackage || !s.Gate || s.Dir != filepath.Join(mod, filepath.Base(s.Package)) {
			t.Errorf("suite %+v: want a gate UserPackage suite in its package's directory", s)
		}
		got = append(got, s.Name)
	}
	if want := []string{"example.com/svc/api", "example.com/svc/cache"}; !slices.Equal(got, want) {
		t.Errorf("suites %v, want %v", got, want)
	}
	if skipped := strings.Join(sel.Skipped(), "; "); skipped != "example.com/svc/util: no benchmarks" {
		t.Errorf("Skipped() = %q", skipped)
	}

	// From a subdirectory, and a pattern naming one package.
	sel, err = FindUserPackages(ctx, stock, filepath.Join(mod, "util"), []string{"../cache"}, ".")
	if err != nil {
		t.Fatal(err)
	}
	if len(sel.Packages) != 1 || !slices.Equal(sel.Packages[0].Matching, []string{"BenchmarkGet", "BenchmarkPut"}) {
		t.Errorf("../cache: %+v, want cache with BenchmarkGet and BenchmarkPut", sel.Packages)
	}

	for _, tc := range []struct {
		dir      string
		patterns []string
		bench    string
		want     []string
	}{
		{t.TempDir(), []string{"./..."}, ".", []string{"is not in a Go module", "-C"}},
		{filepath.Join(mod, "nonexistent"), []string{"./..."}, ".", []string{"module directory", "no such file"}},
		{mod, []string{"./cache/zz..."}, ".", []string{`"./cache/zz..." matched no packages`}},
		{mod, []string{"./nope/..."}, ".", []string{"./nope/", "no such file"}},
		{mod, []string{"./cache", "./nope"}, ".", []string{"./nope", "not found"}},
		{mod, []string{"./util"}, ".", []string{"no benchmark of ./util matches -bench", "util: no benchmarks"}},
		{mod, []string{"./..."}, "NoSuch", []string{`matches -bench "NoSuch"`, "cache: none of its 2 benchmarks matches"}},
		{mod, []string{"-bench"}, ".", []string{"a flag"}},
	} {
		_, err := FindUserPackages(ctx, stock, tc.dir, tc.patterns, tc.bench)
		for _, w := range tc.want {
			if err == nil || !strings.Contains(err.Error(), w) {
				t.Errorf("FindUserPackages(%s, %q, -bench %q): error %v, want one containing %q", tc.dir, tc.patterns, tc.bench, err, w)
			}
		}
	}
}

func TestFindUserPackagesToolchainFails(t *testing.T) {
	goroot := testGOROOT(t)
	mod := t.TempDir()
	writeFiles(t, mod, map[string]string{
		"go.mod":    "module example.com/svc\n\ngo 1.22\n",
		"x_test.go": "package svc\n\nimport \"testing\"\n\nfunc BenchmarkX(b *testing.B) {}\n",
		// A toolchain whose go list fails.
		"fake/bin/go": "#!/bin/sh\nif [ \"$1\" = list ]; then echo 'fake go: cannot list' >&2; exit 1; fi\nexec '" + goroot + "/bin/go' \"$@\"\n",
	})
	os.Chmod(filepath.Join(mod, "fake/bin/go"), 0o777)
	fake := filepath.Join(mod, "fake")
	configs := []runconfig.Config{{Name: "stock", GOROOT: goroot}, {Name: "fork", GOROOT: fake}, {Name: "fork-prio", GOROOT: fake}}
	_, err := FindUserPackages(context.Background(), configs, mod, []string{"."}, ".")
	for _, w := range []string{"configuration fork, fork-prio (GOROOT " + fake + ")", "fake go: cannot list"} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("FindUserPackages with a failing go list: error %v, want one containing %q", err, w)
		}
	}
}

func TestUserSelectionMerge(t *testing.T) {
	// What stock Go lists, and what the fork adds: a benchmark in a
	// //go:build schedx file and a package that only the fork builds.
	s := UserSelection{Module: "/m/go.mod", Packages: []ListedPackage{
		{ImportPath: "m/a", Benchmarks: []string{"BenchmarkA", "BenchmarkB"}, Matching: []string{"BenchmarkA"}},
	}}
	s.merge(UserSelection{Module: "/m/go.mod", Packages: []ListedPackage{
		{ImportPath: "m/a", Benchmarks: []string{"BenchmarkA", "BenchmarkB", "BenchmarkPrio"}, Matching: []string{"BenchmarkA", "BenchmarkPrio"}},
		{ImportPath: "m/forkonly", Benchmarks: []string{"BenchmarkF"}, Matching: []string{"BenchmarkF"}},
	}})
	if len(s.Packages) != 2 || s.Packages[1].ImportPath != "m/forkonly" ||
		!slices.Equal(s.Packages[0].Benchmarks, []string{"BenchmarkA", "BenchmarkB", "BenchmarkPrio"}) ||
		!slices.Equal(s.Packages[0].Matching, []string{"BenchmarkA", "BenchmarkPrio"}) {
		t.Errorf("merged: %+v", s.Packages)
	}
}

func TestUserToolEnv(t *testing.T) {
	env := UserToolEnv([]string{"PATH=/bin", "GOFLAGS=-tags=prod", "GODEBUG=x=1", "GOROOT=/x", "GOTOOLCHAIN=go1.30", "GOWORK=/w/go.work", "GOEXPERIMENT=foo"})
	want := []string{"PATH=/bin", "GOFLAGS=-tags=prod", "GOWORK=/w/go.work", "GOEXPERIMENT=foo", "GOTOOLCHAIN=local"}
	if !slices.Equal(env, want) {
		t.Errorf("UserToolEnv = %q, want %q", env, want)
	}
}
