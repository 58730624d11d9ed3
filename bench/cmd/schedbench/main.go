// Schedbench compares Go toolchains and scheduler modes: stock Go against
// the schedx fork in each of its modes.
//
// Usage (from bench/):
//
//	go run ./cmd/schedbench run [flags]              measure, write raw results (and a report)
//	go run ./cmd/schedbench user -C DIR [flags] [PKGS]  the same for the benchmarks of your own module
//	go run ./cmd/schedbench compare [flags] FILE     tables and the verdict of raw results
//	go run ./cmd/schedbench report [flags] -o MD FILE  the Markdown report with SVG plots
//
// user does for the packages of any module what run does for the built-in
// suites: each package with benchmarks matching -bench is a suite.
//
// run builds each suite once per toolchain, runs the suites interleaved
// (every configuration back to back, rounds rotating the order) and writes
// results in the Go benchmark format with configuration keys config,
// toolchain, goversion, commit, mode, env, suite and round.
//
// compare and report judge each candidate configuration against the base
// and exit with status 1 if one regressed; run -report does too.
// Any other failure exits with status 2. See bench/README.md.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"schedx.example/bench/internal/analysis"
	"schedx.example/bench/internal/report"
	"schedx.example/bench/internal/runconfig"
	"schedx.example/bench/internal/runner"
)

const usage = `usage: schedbench run [flags]
       schedbench user -C MODULEDIR [flags] [-pkg PATTERNS] [PATTERNS]
       schedbench compare [flags] RESULTS
       schedbench report [flags] -o REPORT.md RESULTS

Run "schedbench CMD -h" for a command's flags; bench/README.md explains them.
`

// controlWarning is printed when the A/A control fails.
const controlWarning = "WARNING: the A/A control failed: this run's noise exceeds the rule; rerun with a higher -count before trusting a failure"

// errRegression is returned when a verdict fails: exit status 1.
var errRegression = errors.New("regression")

func main() {
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	var err error
	switch cmd, args := os.Args[1], os.Args[2:]; cmd {
	case "run":
		err = runCmd(args)
	case "user":
		err = userCmd(args)
	case "compare":
		err = compareCmd(args)
	case "report":
		err = reportCmd(args)
	case "-h", "-help", "--help", "help":
		fmt.Print(usage)
		return
	default:
		fmt.Fprintf(os.Stderr, "schedbench: unknown command %q\n%s", cmd, usage)
		os.Exit(2)
	}
	switch {
	case errors.Is(err, errRegression):
		os.Exit(1)
	case errors.Is(err, flag.ErrHelp):
		os.Exit(0)
	case err != nil:
		fmt.Fprintf(os.Stderr, "schedbench: %v\n", err)
		os.Exit(2)
	}
}

// listFlag is a repeatable string flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, " ") }
func (l *listFlag) Set(s string) error { *l = append(*l, s); return nil }

// verdictFlags are the flags of compare, report and run that choose the
// configurations to judge and the rule.
type verdictFlags struct {
	base, gate, control, gateSuites string
	alpha, threshold, geomean       float64
}

func (v *verdictFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&v.base, "base", "", "the base `config`uration (default: the first in the results)")
	fs.StringVar(&v.gate, "gate", "", "comma-separated `configs` to judge against the base (default: the others in the default scheduler mode, except the A/A control)")
	fs.StringVar(&v.control, "control", "", "the A/A control `config`uration, or \"none\" (default: one with the base's toolchain and settings)")
	fs.StringVar(&v.gateSuites, "gate-suites", "", "comma-separated `suites` (or groups) whose time per operation the verdict judges (default: every suite in the results but the latency scenarios "+strings.Join(nonGateSuites(), ", ")+")")
	fs.Float64Var(&v.alpha, "alpha", 0.05, "significance `level` of the tests (family-wise for the verdict)")
	fs.Float64Var(&v.threshold, "threshold", 2, "per-benchmark slowdown in `percent` that fails the verdict")
	fs.Float64Var(&v.geomean, "geomean-threshold", 1, "geomean slowdown in `percent` that fails the verdict")
}

// judged holds the configurations and verdicts of a comparison.
type judged struct {
	configs  []string // table columns, base first
	verdicts []analysis.Verdict
	control  *analysis.Verdict
}

// check checks the values of the flags that do not depend on results.
// Names in -gate-suites must be built-in suites or groups, or in extra.
func (v *verdictFlags) check(extra ...string) error {
	if v.alpha <= 0 || v.alpha >= 1 {
		return fmt.Errorf("-alpha %g: want a level between 0 and 1", v.alpha)
	}
	if v.threshold < 0 || v.geomean < 0 {
		return fmt.Errorf("-threshold %g, -geomean-threshold %g: want percentages >= 0", v.threshold, v.geomean)
	}
	for _, s := range splitList(v.gateSuites) {
		if _, err := runner.SelectSuites(s); err != nil && !slices.Contains(extra, s) {
			if len(extra) > 0 {
				return fmt.Errorf("-gate-suites: %q is neither a package measured here (%s) nor a built-in suite", s, strings.Join(extra, ", "))
			}
			return fmt.Errorf("-gate-suites: %v", err)
		}
	}
	return nil
}

// gateSet returns the suites of the verdict's gate set in results r:
// those -gate-suites names (built-in suites and groups, and the suites of
// r), by default every suite of r but the built-in latency scenarios.
func (v *verdictFlags) gateSet(r *analysis.Results) ([]string, error) {
	have := r.Suites()
	if v.gateSuites == "" {
		var suites []string
		for _, s := range have {
			if !slices.Contains(nonGateSuites(), s) {
				suites = append(suites, s)
			}
		}
		return suites, nil
	}
	var suites []string
	for _, name := range splitList(v.gateSuites) {
		if slices.Contains(have, name) {
			suites = append(suites, name)
			continue
		}
		sel, err := runner.SelectSuites(name)
		if err != nil {
			return nil, fmt.Errorf("-gate-suites: %q is neither a suite of the results (%s) nor a built-in suite or group", name, strings.Join(have, ", "))
		}
		for _, s := range sel {
			suites = append(suites, s.Name)
		}
	}
	return suites, nil
}

// nonGateSuites returns the built-in suites whose time per operation is
// not a throughput (latency scenarios): the verdict leaves them out by
// default.
func nonGateSuites() []string {
	var names []string
	for _, s := range runner.Suites {
		if !s.Gate {
			names = append(names, s.Name)
		}
	}
	return names
}

// judge applies the flags to results r.
func (v *verdictFlags) judge(r *analysis.Results) (judged, error) {
	if err := v.check(); err != nil {
		return judged{}, err
	}
	base := v.base
	if base == "" {
		base = r.Configs[0].Name
	}
	if _, ok := r.Config(base); !ok {
		return judged{}, fmt.Errorf("-base %q: no such configuration in the results (have %s)", base, strings.Join(r.ConfigNames(), ", "))
	}
	candidates, control := r.DefaultRoles(base)
	if v.gate != "" {
		candidates = splitList(v.gate)
	}
	switch v.control {
	case "":
	case "none":
		control = ""
	default:
		control = v.control
	}
	for _, name := range append(candidates, control) {
		if _, ok := r.Config(name); name != "" && !ok {
			return judged{}, fmt.Errorf("configuration %q (from -gate or -control) is not in the results (have %s)", name, strings.Join(r.ConfigNames(), ", "))
		}
	}
	suites, err := v.gateSet(r)
	if err != nil {
		return judged{}, err
	}
	rule := analysis.Rule{
		Alpha:            v.alpha,
		Threshold:        v.threshold / 100,
		GeomeanThreshold: v.geomean / 100,
		Suites:           suites,
		Unit:             "sec/op",
	}
	// Columns: the base, then the rest in results order.
	j := judged{configs: []string{base}}
	for _, c := range r.ConfigNames() {
		if c != base {
			j.configs = append(j.configs, c)
		}
	}
	for _, c := range candidates {
		verdict, err := analysis.Judge(r, base, c, rule)
		if err != nil {
			return judged{}, err
		}
		j.verdicts = append(j.verdicts, verdict)
	}
	if control != "" {
		verdict, err := analysis.Judge(r, base, control, rule)
		if err != nil {
			return judged{}, err
		}
		j.control = &verdict
	}
	return j, nil
}

// failed reports whether a candidate's verdict failed.
func (j judged) failed() bool {
	for _, v := range j.verdicts {
		if v.Fail() {
			return true
		}
	}
	return false
}

// printSummary prints the verdict lines, with a warning if the A/A
// control failed.
func (j judged) printSummary() {
	for _, v := range j.verdicts {
		fmt.Fprintf(os.Stderr, "verdict %s\n", v.Summary())
	}
	if j.control != nil {
		fmt.Fprintf(os.Stderr, "A/A control %s\n", j.control.Summary())
		if j.control.Fail() {
			fmt.Fprintln(os.Stderr, controlWarning)
		}
	}
}

func compareCmd(args []string) error {
	fs := flag.NewFlagSet("compare", flag.ContinueOnError)
	var vf verdictFlags
	vf.register(fs)
	format := fs.String("format", "text", "output `format`: text or markdown")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: schedbench compare [flags] RESULTS\n\nPrints benchstat-style tables (a column per configuration, changes against the base)\nand the verdict; exits 1 if a judged configuration regressed.\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return fmt.Errorf("compare: want one results file, have %d arguments", fs.NArg())
	}
	if *format != "text" && *format != "markdown" {
		return fmt.Errorf("-format %q: want text or markdown", *format)
	}
	r, err := analysis.ReadFile(fs.Arg(0))
	if err != nil {
		return err
	}
	j, err := vf.judge(r)
	if err != nil {
		return err
	}
	w := os.Stdout
	for _, t := range r.Tables(j.configs, vf.alpha) {
		if *format == "markdown" {
			t.WriteMarkdown(w)
		} else {
			t.WriteText(w)
		}
		fmt.Fprintln(w)
	}
	all := j.verdicts
	if j.control != nil {
		all = append(all, *j.control)
	}
	for i, v := range all {
		if j.control != nil && i == len(all)-1 {
			fmt.Fprintln(w, "A/A control:")
		}
		if *format == "markdown" {
			v.WriteMarkdown(w)
		} else {
			v.WriteText(w)
		}
		fmt.Fprintln(w)
	}
	if j.control != nil && j.control.Fail() {
		fmt.Fprintln(os.Stderr, controlWarning)
	}
	if j.failed() {
		return errRegression
	}
	return nil
}

func reportCmd(args []string) error {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	var vf verdictFlags
	vf.register(fs)
	out := fs.String("o", "", "the Markdown `file` to write; SVG plots go next to it")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: schedbench report [flags] -o REPORT.md RESULTS\n\nWrites the Markdown report with SVG plots; exits 1 if a judged configuration regressed.\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 || *out == "" {
		fs.Usage()
		return errors.New("report: want -o REPORT.md and one results file")
	}
	return writeReport(vf, fs.Arg(0), *out, "go run ./cmd/schedbench report "+quoteArgs(args))
}

// writeReport writes the report of results to out.
func writeReport(vf verdictFlags, results, out, command string) error {
	r, err := analysis.ReadFile(results)
	if err != nil {
		return err
	}
	j, err := vf.judge(r)
	if err != nil {
		return err
	}
	files, err := report.Write(report.Options{
		Results:       r,
		ResultsPath:   results,
		Configs:       j.configs,
		Verdicts:      j.verdicts,
		Control:       j.control,
		Alpha:         vf.alpha,
		Path:          out,
		ReportCommand: command,
	})
	if err != nil {
		return err
	}
	for _, f := range files {
		fmt.Fprintf(os.Stderr, "wrote %s\n", f)
	}
	j.printSummary()
	if j.failed() {
		return errRegression
	}
	return nil
}

func runCmd(args []string) error {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	var configs listFlag
	fs.Var(&configs, "config", "a configuration `NAME=GOROOT[,VAR=VALUE...]` to measure; repeat for each (default: stock, stock-aa and fork; see README)")
	suiteList := fs.String("suite", "all", "comma-separated `suites` or groups: "+strings.Join(runner.SuiteNames(), ", ")+"; upstream; all")
	count := fs.Int("count", 10, "`rounds`: the number of times each configuration runs each benchmark")
	short := fs.Bool("short", false, "run the short selections at short benchtimes (the smoke test)")
	benchtime := fs.String("benchtime", "", "override -test.benchtime: `VALUE` for all suites, or SUITE=VALUE,... per suite")
	bench := fs.String("bench", "", "run only the benchmarks matching this -test.bench `regexp` in each selected suite, instead of the suite's selections (e.g. -suite runtime -bench '^BenchmarkCreateGoroutines$')")
	var of outputFlags
	of.register(fs)
	var vf verdictFlags
	vf.register(fs)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: schedbench run [flags]\n\nBuilds the suites with each configuration's toolchain and runs them interleaved.\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return fmt.Errorf("run: unexpected arguments %q", fs.Args())
	}
	if *count < 1 {
		return fmt.Errorf("-count %d: want at least 1", *count)
	}
	if err := vf.check(); err != nil {
		return err
	}
	if err := of.check("run"); err != nil {
		return err
	}
	suites, err := runner.SelectSuites(*suiteList)
	if err != nil {
		return fmt.Errorf("-suite: %v", err)
	}
	bt, err := parseBenchtime(*benchtime)
	if err != nil {
		return err
	}
	for _, part := range strings.Split(*bench, "/") { // as go test splits it
		if _, err := regexp.Compile(part); err != nil {
			return fmt.Errorf("-bench %q: %v", *bench, err)
		}
	}
	moduleDir, err := findModuleDir()
	if err != nil {
		return err
	}
	cs, err := resolveConfigs(configs, moduleDir)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	return measure(ctx, fs, vf, of, runner.Options{
		Configs:   cs,
		Suites:    suites,
		Count:     *count,
		Short:     *short,
		Benchtime: bt,
		Bench:     *bench,
		ModuleDir: moduleDir,
		Header: runner.Header{
			Command: "go run ./cmd/schedbench run " + quoteArgs(args),
			Count:   *count,
			Short:   *short,
		},
	}, "go run ./cmd/schedbench")
}

// outputFlags are the flags of run and user that say where results go.
type outputFlags struct {
	out, report, work string
}

func (of *outputFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&of.out, "o", "", "the results `file` (default: the -report file with .txt)")
	fs.StringVar(&of.report, "report", "", "after the run, write the Markdown report with SVG plots to this `file`")
	fs.StringVar(&of.work, "work", "", "`dir`ectory for test binaries and build caches (default: a new temporary directory, removed afterwards)")
}

// check checks the flags of command cmd and sets the default of -o.
func (of *outputFlags) check(cmd string) error {
	if of.out == "" {
		if of.report == "" {
			return fmt.Errorf("%s: want -o RESULTS or -report REPORT.md", cmd)
		}
		of.out = strings.TrimSuffix(of.report, filepath.Ext(of.report)) + ".txt"
	}
	return nil
}

// resolveConfigs parses and resolves the -config flags, or returns the
// default comparison if there are none and moduleDir (bench/) is known.
func resolveConfigs(configs []string, moduleDir string) ([]runconfig.Config, error) {
	if len(configs) == 0 {
		if moduleDir == "" {
			return nil, errors.New("no -config given: name the toolchains to compare, e.g. -config stock=/usr/local/go -config stock-aa=/usr/local/go -config fork=/path/to/schedx/go (or run from bench/ for this default)")
		}
		var err error
		configs, err = defaultConfigs(moduleDir)
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(os.Stderr, "schedbench: no -config given; comparing %s\n", strings.Join(configs, " "))
	}
	cs, err := runconfig.ParseList(configs)
	if err != nil {
		return nil, err
	}
	for i := range cs {
		if err := cs[i].Resolve(); err != nil {
			return nil, err
		}
	}
	return cs, nil
}

// measure runs o (its WorkDir, Out, Log and the Start and Host of its
// Header are filled in here), writes the results to of.out, and then
// prints the verdict of vf or writes the report to of.report. fs holds
// the verdict flags the report's command repeats; self is how that
// command starts ("go run ./cmd/schedbench" in bench/).
func measure(ctx context.Context, fs *flag.FlagSet, vf verdictFlags, of outputFlags, o runner.Options, self string) error {
	work := of.work
	var err error
	if work == "" {
		work, err = os.MkdirTemp("", "schedbench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(work)
	} else if work, err = filepath.Abs(work); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(of.out), 0o777); err != nil {
		return err
	}
	f, err := os.Create(of.out)
	if err != nil {
		return err
	}
	start := time.Now()
	o.WorkDir = work
	o.Header.Start = start
	o.Header.Host = runner.ThisHost()
	o.Out, o.Log = f, os.Stderr
	runErr := runner.Run(ctx, o)
	if err := f.Close(); err != nil && runErr == nil {
		runErr = err
	}
	if fi, err := os.Stat(of.out); runErr != nil && err == nil && fi.Size() == 0 {
		// It failed before measuring anything (a build): no results.
		os.Remove(of.out)
		return runErr
	}
	fmt.Fprintf(os.Stderr, "schedbench: wrote %s (%s)\n", of.out, time.Since(start).Round(time.Second))
	if runErr != nil && (errors.Is(runErr, context.Canceled) || of.report == "") {
		return runErr
	}
	if of.report == "" {
		r, err := analysis.ReadFile(of.out)
		if err != nil {
			return err
		}
		j, err := vf.judge(r)
		if err != nil {
			return err
		}
		j.printSummary()
		if j.failed() {
			return errRegression
		}
		return nil
	}
	var reportArgs []string
	fs.Visit(func(fl *flag.Flag) {
		switch fl.Name {
		case "base", "gate", "control", "gate-suites", "alpha", "threshold", "geomean-threshold":
			reportArgs = append(reportArgs, "-"+fl.Name+"="+fl.Value.String())
		}
	})
	reportArgs = append(reportArgs, "-o", of.report, of.out)
	err = writeReport(vf, of.out, of.report, self+" report "+quoteArgs(reportArgs))
	if runErr != nil {
		return runErr // the report shows what did run
	}
	return err
}

// parseBenchtime parses -benchtime: "VALUE" or "SUITE=VALUE,...".
func parseBenchtime(s string) (map[string]string, error) {
	m := map[string]string{}
	for _, item := range splitList(s) {
		suite, value, ok := strings.Cut(item, "=")
		if !validBenchtime(value) && !(!ok && validBenchtime(item)) {
			return nil, fmt.Errorf("-benchtime %q: %q is not a duration (200ms) or a count (100x)", s, value)
		}
		if !ok {
			m[""] = item
			continue
		}
		suites, err := runner.SelectSuites(suite)
		if err != nil {
			return nil, fmt.Errorf("-benchtime %q: %v", s, err)
		}
		for _, st := range suites {
			m[st.Name] = value
		}
	}
	return m, nil
}

func validBenchtime(v string) bool {
	if n, ok := strings.CutSuffix(v, "x"); ok {
		i, err := strconv.Atoi(n)
		return err == nil && i > 0
	}
	d, err := time.ParseDuration(v)
	return err == nil && d > 0
}

// findModuleDir returns the directory of the bench module, the current
// directory or one above it.
func findModuleDir() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for d := dir; ; d = filepath.Dir(d) {
		b, err := os.ReadFile(filepath.Join(d, "go.mod"))
		if err == nil && strings.HasPrefix(string(b), "module schedx.example/bench\n") {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("%s is not in the bench module: run schedbench from bench/", dir)
		}
	}
}

// defaultConfigs returns the default comparison: stock (the base GOROOT:
// $GOROOT_BASE, else the GOROOT of the go command on PATH), an A/A copy
// of it, and the fork (go/ next to bench/).
func defaultConfigs(moduleDir string) ([]string, error) {
	base := os.Getenv("GOROOT_BASE")
	if base == "" {
		cmd := exec.Command("go", "env", "GOROOT")
		cmd.Env = append(os.Environ(), "GOTOOLCHAIN=local")
		out, err := cmd.Output()
		if err != nil {
			return nil, fmt.Errorf("no -config given and cannot find the stock GOROOT (go env GOROOT: %v); set GOROOT_BASE or pass -config", err)
		}
		base = strings.TrimSpace(string(out))
	}
	if v, err := os.ReadFile(filepath.Join(base, "VERSION")); err == nil && strings.Contains(strings.SplitN(string(v), "\n", 2)[0], "-schedx") {
		return nil, fmt.Errorf("no -config given and the go on PATH is the fork (%s); set GOROOT_BASE to the stock GOROOT or pass -config", base)
	}
	fork := filepath.Join(filepath.Dir(moduleDir), "go")
	return []string{"stock=" + base, "stock-aa=" + base, "fork=" + fork}, nil
}

func splitList(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// quoteArgs joins args for a shell, quoting those that need it.
func quoteArgs(args []string) string {
	var q []string
	for _, a := range args {
		if a == "" || strings.ContainsAny(a, " \t\n'\"\\$`*?[]{}()<>|&;#~") {
			a = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		q = append(q, a)
	}
	return strings.Join(q, " ")
}
