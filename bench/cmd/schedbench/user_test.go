package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// stockGOROOT returns the GOROOT of the go command on PATH (stock Go when
// bench/ is tested as all.bash and smoke.bash test it).
func stockGOROOT(t *testing.T) string {
	t.Helper()
	cmd := exec.Command("go", "env", "GOROOT")
	cmd.Env = append(os.Environ(), "GOTOOLCHAIN=local")
	out, err := cmd.Output()
	if err != nil {
		t.Skipf("no go command: %v", err)
	}
	root := strings.TrimSpace(string(out))
	if real, err := filepath.EvalSymlinks(root); err == nil {
		root = real // as configurations record it
	}
	return root
}

// tinyModule writes a module with one fast benchmark (example.com/tiny),
// a package without benchmarks (example.com/tiny/nobench) and one whose
// test does not compile (example.com/tiny/broken), and returns its
// directory.
func tinyModule(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range map[string]string{
		"go.mod":                  "module example.com/tiny\n\ngo 1.22\n",
		"tiny.go":                 "package tiny\n\nfunc Sum(n int) (s int) {\n\tfor i := range n {\n\t\ts += i\n\t}\n\treturn s\n}\n",
		"tiny_test.go":            "package tiny\n\nimport \"testing\"\n\nfunc BenchmarkSum(b *testing.B) {\n\tfor range b.N {\n\t\tSum(10)\n\t}\n}\n",
		"nobench/nobench.go":      "package nobench\n",
		"broken/broken.go":        "package broken\n",
		"broken/broken_test.go":   "package broken\n\nimport \"testing\"\n\nfunc BenchmarkBroken(b *testing.B) { undefinedName() }\n",
		"nobench/nobench_test.go": "package nobench\n\nimport \"testing\"\n\nfunc TestNothing(t *testing.T) {}\n",
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o777); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o666); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestUserRun runs schedbench user on a tiny module with configurations
// that all use stock Go: the base, its A/A control and a candidate in the
// default mode (GOGC=400), one round.
func TestUserRun(t *testing.T) {
	root := stockGOROOT(t)
	mod := tinyModule(t)
	out := t.TempDir()
	report := filepath.Join(out, "user.md")
	err := userCmd([]string{
		"-C", mod, "-pkg", "./...", "-bench", "Sum",
		"-config", "stock=" + root, "-config", "stock-aa=" + root, "-config", "gogc=" + root + ",GOGC=400",
		"-count", "1", "-benchtime", "100x", "-report", report,
	})
	if err != nil {
		t.Fatalf("schedbench user: %v", err)
	}
	raw, err := os.ReadFile(filepath.Join(out, "user.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for _, config := range []string{"stock", "stock-aa", "gogc"} {
		want := "config: " + config + "\n"
		i := strings.Index(string(raw), want)
		if i < 0 {
			t.Errorf("raw results have no results of %s:\n%s", config, raw)
			continue
		}
		run, _, _ := strings.Cut(string(raw[i:]), "\n\n")
		for _, w := range []string{"suite: example.com/tiny\n", "round: 1\n", "\nBenchmarkSum"} {
			if !strings.Contains(run, w) {
				t.Errorf("results of %s lack %q:\n%s", config, w, run)
			}
		}
	}
	if n := strings.Count(string(raw), "\nBenchmark"); n != 3 {
		t.Errorf("raw results have %d benchmark lines, want 3 (one per configuration):\n%s", n, raw)
	}
	md, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{
		"**gogc vs stock: NO VERDICT**",
		"A/A control",
		"**stock-aa vs stock: NO VERDICT**",
		"suites example.com/tiny in sec/op",
		"## example.com/tiny\n",
		"| Sum-",
		"schedbench user -C " + mod,
	} {
		if !strings.Contains(string(md), w) {
			t.Errorf("report lacks %q:\n%s", w, md)
		}
	}
	svgs, _ := filepath.Glob(filepath.Join(out, "user-throughput-*.svg"))
	if len(svgs) != 1 {
		t.Errorf("plots %v, want one throughput plot", svgs)
	}
	// The results read back as any others.
	if err := compareCmd([]string{filepath.Join(out, "user.txt")}); err != nil {
		t.Errorf("schedbench compare of the results: %v", err)
	}
}

// TestUserBadInput checks that schedbench user explains what is wrong
// before it measures anything.
func TestUserBadInput(t *testing.T) {
	root := stockGOROOT(t)
	mod := tinyModule(t)

	// A toolchain whose go lists packages but fails to build: the error
	// names its configuration and shows its output.
	fake, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	version, err := os.ReadFile(filepath.Join(root, "VERSION"))
	if err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Join(fake, "bin"), 0o777)
	os.WriteFile(filepath.Join(fake, "VERSION"), version, 0o666)
	script := "#!/bin/sh\nif [ \"$1\" = test ]; then echo 'fake go: cannot build here' >&2; exit 1; fi\nexec '" + root + "/bin/go' \"$@\"\n"
	if err := os.WriteFile(filepath.Join(fake, "bin", "go"), []byte(script), 0o777); err != nil {
		t.Fatal(err)
	}

	notModule := t.TempDir()
	for _, tc := range []struct {
		name string
		args []string
		want []string
	}{
		{"not a module", []string{"-C", notModule}, []string{"is not in a Go module", "-C"}},
		{"no such directory", []string{"-C", filepath.Join(mod, "nonexistent")}, []string{"no such file or directory"}},
		{"pattern matches nothing", []string{"-C", mod, "-pkg", "./nobench/zz..."}, []string{`"./nobench/zz..." matched no packages`}},
		{"no such directory in pattern", []string{"-C", mod, "-pkg", "./nothing/..."}, []string{"./nothing/", "no such file"}},
		{"no such package", []string{"-C", mod, "./nothing"}, []string{"./nothing", "not found"}},
		{"no benchmarks", []string{"-C", mod, "-pkg", "./nobench"}, []string{`no benchmark of ./nobench matches -bench "."`, "nobench: no benchmarks"}},
		{"no matching benchmarks", []string{"-C", mod, "-bench", "NoSuch", "."}, []string{`matches -bench "NoSuch"`, "none of its 1 benchmarks matches"}},
		{"bad -bench", []string{"-C", mod, "-bench", "Sum/(", "."}, []string{`-bench "Sum/("`}},
		{"build fails", []string{"-C", mod, "./broken"}, []string{"configuration stock, stock-aa (GOROOT " + root + ")", "building example.com/tiny/broken", "undefined: undefinedName"}},
		{"a toolchain fails", []string{"-C", mod, "-config", "broken=" + fake, "."}, []string{"configuration broken (GOROOT " + fake + ")", "fake go: cannot build here"}},
		{"gate suite", []string{"-C", mod, "-gate-suites", "example.com/other", "."}, []string{`"example.com/other" is neither a package measured here (example.com/tiny)`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := t.TempDir()
			args := append([]string{"-config", "stock=" + root, "-config", "stock-aa=" + root, "-count", "1", "-benchtime", "1x", "-o", filepath.Join(out, "r.txt")}, tc.args...)
			err := userCmd(args)
			for _, w := range tc.want {
				if err == nil || !strings.Contains(err.Error(), w) {
					t.Errorf("schedbench user %s: error %v, want one containing %q", quoteArgs(args), err, w)
				}
			}
		})
	}
}
