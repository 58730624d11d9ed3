package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"

	"schedx.example/bench/internal/runner"
)

// userCmd is "schedbench user": the benchmarks of the user's own packages,
// measured and judged as run measures and judges the built-in suites.
func userCmd(args []string) error {
	fs := flag.NewFlagSet("user", flag.ContinueOnError)
	var configs, pkgs listFlag
	fs.Var(&configs, "config", "a configuration `NAME=GOROOT[,VAR=VALUE...]` to measure; repeat for each (default, from bench/ only: stock, stock-aa and fork; see README)")
	dir := fs.String("C", ".", "the `dir`ectory of your module (or any directory in it): where the package patterns are resolved, as go -C would")
	fs.Var(&pkgs, "pkg", "comma-separated package `patterns`, as go test takes them; repeatable, and patterns may also follow the flags (default ./...)")
	bench := fs.String("bench", ".", "the -test.bench `regexp` of the benchmarks to run, as go test -bench takes it")
	benchtime := fs.String("benchtime", "1s", "`VALUE` of -test.benchtime for each run: a duration (200ms) or a count (100x)")
	benchmem := fs.Bool("benchmem", false, "also record allocations (-test.benchmem)")
	count := fs.Int("count", 10, "`rounds`: the number of times each configuration runs each benchmark")
	var of outputFlags
	of.register(fs)
	var vf verdictFlags
	vf.register(fs)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: schedbench user [flags] [-pkg PATTERNS] [PATTERNS]\n\n"+
			"Builds the test binaries of your module's packages with each configuration's\n"+
			"toolchain (go test -c, GOTOOLCHAIN=local, your GOFLAGS), runs their benchmarks\n"+
			"interleaved as run does, and judges them as run judges the built-in suites:\n"+
			"each package is a suite of the gate set. Exits 1 if a judged configuration\n"+
			"regressed.\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	var patterns []string
	for _, p := range append(pkgs, fs.Args()...) {
		patterns = append(patterns, splitList(p)...)
	}
	if len(patterns) == 0 {
		patterns = []string{"./..."}
	}
	if *count < 1 {
		return fmt.Errorf("-count %d: want at least 1", *count)
	}
	if *bench == "" {
		return fmt.Errorf("-bench is empty: it would select no benchmark (-bench . selects all)")
	}
	if !validBenchtime(*benchtime) {
		return fmt.Errorf("-benchtime %q: want a duration (200ms) or a count (100x)", *benchtime)
	}
	if err := of.check("user"); err != nil {
		return err
	}
	modDir, err := filepath.Abs(*dir)
	if err != nil {
		return err
	}
	cwd, err := os.Getwd()
	if err != nil {
		return err
	}
	// From bench/, the defaults of run apply and the report says
	// "go run ./cmd/schedbench" in bench/; from elsewhere, the run
	// records its directory.
	benchDir, _ := findModuleDir()
	self := "schedbench"
	header := runner.Header{Dir: cwd, Count: *count}
	if benchDir == cwd {
		self, header.Dir = "go run ./cmd/schedbench", ""
	}
	header.Command = self + " user " + quoteArgs(args)
	cs, err := resolveConfigs(configs, benchDir)
	if err != nil {
		return err
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	sel, err := runner.FindUserPackages(ctx, cs, modDir, patterns, *bench)
	if err != nil {
		return fmt.Errorf("user: %v", err)
	}
	suites := sel.Suites()
	var names []string
	for _, s := range suites {
		names = append(names, s.Name)
	}
	if err := vf.check(names...); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "schedbench: module %s: %d package(s) with benchmarks matching -bench %s:\n", sel.Module, len(suites), quoteArgs([]string{*bench}))
	for _, p := range sel.Packages {
		if len(p.Matching) > 0 {
			fmt.Fprintf(os.Stderr, "\t%s: %s\n", p.ImportPath, listSome(p.Matching, 6))
		}
	}
	if skipped := sel.Skipped(); len(skipped) > 0 {
		fmt.Fprintf(os.Stderr, "schedbench: skipped %d package(s): %s\n", len(skipped), strings.Join(skipped, "; "))
	}

	var extra []string
	if *benchmem {
		extra = append(extra, "-test.benchmem")
	}
	for i := range suites {
		suites[i].Benchtime = *benchtime
		suites[i].Args = extra
	}
	return measure(ctx, fs, vf, of, runner.Options{
		Configs: cs,
		Suites:  suites,
		Count:   *count,
		Bench:   *bench,
		Header:  header,
	}, self)
}

// listSome lists up to n of names, with the count of the rest.
func listSome(names []string, n int) string {
	if len(names) <= n {
		return strings.Join(names, " ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(names[:n], " "), len(names)-n)
}
