package runner

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"schedx.example/bench/internal/runconfig"
)

// A ListedPackage is a package that the patterns of schedbench user name,
// with the benchmarks of its test files.
type ListedPackage struct {
	ImportPath, Dir string
	// Benchmarks are the names of its top-level benchmark functions;
	// Matching are those that -bench selects.
	Benchmarks, Matching []string
}

// A UserSelection is what UserSuites found: the module and its packages.
type UserSelection struct {
	// Module is the go.mod file of the module holding Dir.
	Module string
	// Packages are the packages the patterns matched, in go list order.
	Packages []ListedPackage
}

// Suites returns a suite for each package with benchmarks that -bench
// selects, named after the package's import path. All are gate suites.
func (s UserSelection) Suites() []Suite {
	var suites []Suite
	for _, p := range s.Packages {
		if len(p.Matching) == 0 {
			continue
		}
		suites = append(suites, Suite{
			Name:    p.ImportPath,
			Doc:     "benchmarks of " + p.ImportPath,
			Kind:    UserPackage,
			Package: p.ImportPath,
			Dir:     p.Dir,
			Gate:    true,
		})
	}
	return suites
}

// Skipped describes the packages without benchmarks that -bench selects,
// one string each ("example.com/x/y: no test files").
func (s UserSelection) Skipped() []string {
	var out []string
	for _, p := range s.Packages {
		switch {
		case len(p.Matching) > 0:
		case len(p.Benchmarks) == 0:
			out = append(out, p.ImportPath+": no benchmarks")
		default:
			out = append(out, fmt.Sprintf("%s: none of its %d benchmarks matches", p.ImportPath, len(p.Benchmarks)))
		}
	}
	return out
}

// FindUserPackages lists the packages that patterns name, as go list
// would in dir, and finds the benchmarks of their test files that the
// -test.bench regexp bench selects (at the top level, as the testing
// package matches it). It lists them with the go command of each distinct
// toolchain of configs and UserToolEnv, and merges what they see, so that
// benchmarks in files that build with one toolchain only (//go:build
// schedx) are found. It fails with an error saying what is wrong if dir is
// not in a module, if a pattern matches no package or names a package go
// list cannot load, if no package has benchmarks that bench selects, or
// if a toolchain's go command fails (naming its configurations).
func FindUserPackages(ctx context.Context, configs []runconfig.Config, dir string, patterns []string, bench string) (UserSelection, error) {
	var sel UserSelection
	if len(patterns) == 0 {
		return sel, errors.New("no package patterns")
	}
	for _, p := range patterns {
		if strings.HasPrefix(p, "-") {
			return sel, fmt.Errorf("package pattern %q: a flag, not a pattern", p)
		}
	}
	match, err := benchMatcher(bench)
	if err != nil {
		return sel, err
	}
	if fi, err := os.Stat(dir); err != nil {
		return sel, fmt.Errorf("module directory: %v", err)
	} else if !fi.IsDir() {
		return sel, fmt.Errorf("module directory %s is not a directory", dir)
	}
	var roots []string
	names := map[string][]string{}
	for _, c := range configs {
		if !slices.Contains(roots, c.GOROOT) {
			roots = append(roots, c.GOROOT)
		}
		names[c.GOROOT] = append(names[c.GOROOT], c.Name)
	}
	for _, root := range roots {
		part, err := listUserPackages(ctx, root, dir, patterns, match)
		var gerr goCommandError
		if errors.As(err, &gerr) {
			return sel, fmt.Errorf("configuration %s (GOROOT %s): %v", strings.Join(names[root], ", "), root, err)
		} else if err != nil {
			return sel, err
		}
		sel.merge(part)
	}
	if len(sel.Packages) == 0 {
		return sel, fmt.Errorf("in module %s: %s match no packages", sel.Module, strings.Join(patterns, " "))
	}
	if len(sel.Suites()) == 0 {
		return sel, fmt.Errorf("in module %s: no benchmark of %s matches -bench %q (%s)", sel.Module, strings.Join(patterns, " "), bench, strings.Join(sel.Skipped(), "; "))
	}
	return sel, nil
}

// merge adds the packages and benchmarks of t that s lacks.
func (s *UserSelection) merge(t UserSelection) {
	if s.Module == "" {
		s.Module = t.Module
	}
	for _, tp := range t.Packages {
		i := slices.IndexFunc(s.Packages, func(p ListedPackage) bool { return p.ImportPath == tp.ImportPath })
		if i < 0 {
			s.Packages = append(s.Packages, tp)
			continue
		}
		p := &s.Packages[i]
		for _, b := range tp.Benchmarks {
			if !slices.Contains(p.Benchmarks, b) {
				p.Benchmarks = append(p.Benchmarks, b)
			}
		}
		for _, b := range tp.Matching {
			if !slices.Contains(p.Matching, b) {
				p.Matching = append(p.Matching, b)
			}
		}
	}
}

// listUserPackages lists the packages of patterns in dir with the go
// command of goroot, and their benchmarks that match selects.
func listUserPackages(ctx context.Context, goroot, dir string, patterns []string, match func(string) bool) (UserSelection, error) {
	var sel UserSelection
	goCmd := filepath.Join(goroot, "bin", "go")
	env := UserToolEnv(os.Environ())
	out, err := goOutput(ctx, dir, env, nil, goCmd, "env", "GOMOD")
	if err != nil {
		return sel, err
	}
	sel.Module = strings.TrimSpace(string(out))
	if sel.Module == "" || sel.Module == os.DevNull {
		return sel, fmt.Errorf("%s is not in a Go module (no go.mod in it or above it): name your module's directory with -C", dir)
	}

	var stderr bytes.Buffer
	out, err = goOutput(ctx, dir, env, &stderr, goCmd, append([]string{"list", "-e", "-json=ImportPath,Dir,TestGoFiles,XTestGoFiles,Error"}, patterns...)...)
	if err != nil {
		return sel, err
	}
	// go list -e warns about patterns that match nothing; an error here.
	var unmatched []string
	for _, line := range strings.Split(stderr.String(), "\n") {
		if strings.Contains(line, "matched no packages") {
			unmatched = append(unmatched, strings.TrimPrefix(line, "go: warning: "))
		}
	}
	if len(unmatched) > 0 {
		return sel, fmt.Errorf("in module %s: %s", sel.Module, strings.Join(unmatched, "; "))
	}
	type listed struct {
		ImportPath, Dir           string
		TestGoFiles, XTestGoFiles []string
		Error                     *struct{ Err string }
	}
	var bad []string
	for d := json.NewDecoder(bytes.NewReader(out)); ; {
		var p listed
		if err := d.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			return sel, fmt.Errorf("reading go list output: %v", err)
		}
		if p.Error != nil {
			bad = append(bad, fmt.Sprintf("%s: %s", p.ImportPath, p.Error.Err))
			continue
		}
		lp := ListedPackage{ImportPath: p.ImportPath, Dir: p.Dir}
		for _, f := range append(p.TestGoFiles, p.XTestGoFiles...) {
			names, err := benchmarkFuncs(filepath.Join(p.Dir, f))
			if err != nil {
				return sel, err
			}
			lp.Benchmarks = append(lp.Benchmarks, names...)
		}
		for _, b := range lp.Benchmarks {
			if match(b) {
				lp.Matching = append(lp.Matching, b)
			}
		}
		sel.Packages = append(sel.Packages, lp)
	}
	if len(bad) > 0 {
		return sel, fmt.Errorf("in module %s, go list: %s", sel.Module, strings.Join(bad, "; "))
	}
	return sel, nil
}

// A goCommandError is the failure of a go command, not of its input.
type goCommandError struct{ error }

// goOutput runs a go command in dir and returns its standard output; its
// standard error goes to stderr if not nil. A failure's error holds the
// command and its standard error.
func goOutput(ctx context.Context, dir string, env []string, stderr *bytes.Buffer, name string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir, cmd.Env = dir, env
	var errBuf bytes.Buffer
	cmd.Stderr = &errBuf
	out, err := cmd.Output()
	if stderr != nil {
		stderr.Write(errBuf.Bytes())
	}
	if err != nil {
		return nil, goCommandError{fmt.Errorf("%s (in %s): %v\n%s", strings.Join(cmd.Args, " "), dir, err, errBuf.Bytes())}
	}
	return out, nil
}

// benchmarkFuncs returns the names of the benchmark functions of the Go
// file at path: top-level functions BenchmarkXxx (Xxx not starting with a
// lower-case letter) of one *testing.B parameter, as go test finds them.
func benchmarkFuncs(path string) ([]string, error) {
	f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, d := range f.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if !ok || fn.Recv != nil || !isBenchmarkName(fn.Name.Name) {
			continue
		}
		params := fn.Type.Params.List
		if len(params) != 1 || len(params[0].Names) > 1 {
			continue
		}
		star, ok := params[0].Type.(*ast.StarExpr)
		if !ok {
			continue
		}
		switch t := star.X.(type) {
		case *ast.SelectorExpr: // testing.B
			if t.Sel.Name != "B" {
				continue
			}
		case *ast.Ident: // B, with testing dot-imported
			if t.Name != "B" {
				continue
			}
		default:
			continue
		}
		names = append(names, fn.Name.Name)
	}
	return names, nil
}

// isBenchmarkName reports whether name is a benchmark's: "Benchmark", then
// nothing or a rune that is not a lower-case letter.
func isBenchmarkName(name string) bool {
	rest, ok := strings.CutPrefix(name, "Benchmark")
	if !ok {
		return false
	}
	if rest == "" {
		return true
	}
	r, _ := utf8.DecodeRuneInString(rest)
	return !unicode.IsLower(r)
}

// benchMatcher returns whether a top-level benchmark name is selected by
// the -test.bench regexp bench, as the testing package decides it: bench
// is split at each top-level '|' into alternatives and each alternative at
// each top-level '/' into one regexp per level; a benchmark runs if the
// first level of some alternative matches its name.
func benchMatcher(bench string) (func(string) bool, error) {
	var first []*regexp.Regexp
	for _, alt := range splitTopLevel(bench, '|') {
		for i, level := range splitTopLevel(alt, '/') {
			re, err := regexp.Compile(level)
			if err != nil {
				return nil, fmt.Errorf("-bench %q: %v", bench, err)
			}
			if i == 0 {
				first = append(first, re)
			}
		}
	}
	return func(name string) bool {
		return slices.ContainsFunc(first, func(re *regexp.Regexp) bool { return re.MatchString(name) })
	}, nil
}

// splitTopLevel splits s at each sep outside brackets and parentheses and
// not escaped, as the testing package splits -test.bench.
func splitTopLevel(s string, sep byte) []string {
	var parts []string
	brackets, parens, start := 0, 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '[':
			brackets++
		case ']':
			if brackets--; brackets < 0 { // an unmatched ']' is legal
				brackets = 0
			}
		case '(':
			if brackets == 0 {
				parens++
			}
		case ')':
			if brackets == 0 {
				parens--
			}
		case '\\':
			i++
		case sep:
			if brackets == 0 && parens == 0 {
				parts = append(parts, s[start:i])
				start = i + 1
			}
		}
	}
	return append(parts, s[start:])
}
