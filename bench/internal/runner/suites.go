// Package runner builds the benchmark suites with each toolchain being
// compared and runs them interleaved, writing the results in the Go
// benchmark format with configuration keys.
package runner

import (
	"fmt"
	"slices"
	"strings"
)

// A SuiteKind says where a suite's benchmarks come from.
type SuiteKind int

const (
	// UpstreamPackage suites run the benchmarks of a standard-library
	// package from each toolchain's own GOROOT (go test -c PKG).
	UpstreamPackage SuiteKind = iota
	// ModulePackage suites run the benchmarks of a package of this module,
	// compiled by each toolchain (go test -c ./PKG).
	ModulePackage
	// GoBuild suites time "go build" of standard-library packages with each
	// toolchain's go command and compiler, with an empty GOCACHE.
	GoBuild
	// UserPackage suites run the benchmarks of a package of the user's
	// module (schedbench user), compiled by each toolchain in the
	// package's directory with the user's GOFLAGS (see UserSuites).
	UserPackage
)

// A Suite is a named group of benchmarks that schedbench builds and runs
// together.
type Suite struct {
	// Name is the suite's name in -suite flags and in the results' suite
	// key.
	Name string
	// Doc says in one line what the suite measures.
	Doc  string
	Kind SuiteKind
	// Package is the standard-library import path (UpstreamPackage), the
	// module-relative directory (ModulePackage) or the import path
	// (UserPackage) of the package holding the benchmarks.
	Package string
	// Dir is the directory of a UserPackage suite's package, absolute:
	// where its test binary is built and run.
	Dir string
	// Selections are the benchmark selections, each run as one process
	// per configuration per round. A GoBuild suite has none: it is one
	// build per configuration per round.
	Selections []Selection
	// Benchtime and ShortBenchtime are the -test.benchtime of full and of
	// -short runs.
	Benchtime, ShortBenchtime string
	// Args are extra test binary flags.
	Args []string
	// BuildPackages are the packages a GoBuild suite builds.
	BuildPackages []string
	// Gate says whether the suite's time per operation counts toward the
	// regression verdict. Latency scenarios do not: they show the
	// behaviour the fork's modes are meant to change.
	Gate bool
}

// A Selection picks the benchmarks of one run of a suite's test binary.
type Selection struct {
	// Bench is the -test.bench regexp of full runs.
	Bench string
	// Short is the -test.bench regexp of -short runs; empty leaves the
	// selection out of them.
	Short string
}

// Suites are all suites, in the order they run within a round.
var Suites = []Suite{
	{
		Name:    "runtime",
		Doc:     "upstream runtime scheduler benchmarks: goroutine creation, channel hand-offs, PingPongHog, wake-ups, stack growth",
		Kind:    UpstreamPackage,
		Package: "runtime",
		Selections: []Selection{
			{
				Bench: `^Benchmark(PingPongHog|CreateGoroutines|CreateGoroutinesParallel|CreateGoroutinesCapture|ChanSync|ChanSyncWork|ChanProdCons0|ChanProdCons100|ChanProdConsWork100|ChanContended|StackGrowth|Matmult)$`,
				Short: `^Benchmark(PingPongHog|ChanSync)$`,
			},
			// A second process, since a two-level pattern leaves out
			// benchmarks without sub-benchmarks.
			{Bench: `^BenchmarkWakeupParallel(Spinning|Syscall)$/^(0s|10µs|100µs)$`},
		},
		Benchtime:      "200ms",
		ShortBenchtime: "50ms",
		Gate:           true,
	},
	{
		Name:    "sync",
		Doc:     "upstream sync benchmarks: Mutex, RWMutex, WaitGroup, Cond, semaphores",
		Kind:    UpstreamPackage,
		Package: "sync",
		Selections: []Selection{{
			Bench: `^Benchmark(Mutex|MutexSlack|MutexWork|MutexNoSpin|MutexSpin|RWMutexWrite100|RWMutexWorkWrite100|WaitGroupWait|WaitGroupAddDone|WaitGroupActuallyWait|Cond8|SemaWorkBlock)$`,
			Short: `^Benchmark(Mutex|WaitGroupActuallyWait)$`,
		}},
		Benchtime:      "200ms",
		ShortBenchtime: "50ms",
		Gate:           true,
	},
	{
		Name:    "time",
		Doc:     "upstream time benchmarks of timers: After, AfterFunc, Sleep, Reset, Stop, Ticker",
		Kind:    UpstreamPackage,
		Package: "time",
		Selections: []Selection{{
			Bench: `^Benchmark(After|AfterFunc1000|Sleep1000|StartStop1000|Reset|Stop|Ticker|TickerReset|AdjustTimers10000|SimultaneousAfterFunc1000)$`,
			Short: `^Benchmark(Sleep1000|Ticker)$`,
		}},
		Benchtime:      "200ms",
		ShortBenchtime: "50ms",
		Gate:           true,
	},
	{
		Name:    "context",
		Doc:     "upstream context benchmarks: cancellation and timeouts across goroutines",
		Kind:    UpstreamPackage,
		Package: "context",
		Selections: []Selection{{
			Bench: `^Benchmark(CommonParentCancel|WithTimeout|ContextCancelDone)$`,
			Short: `^Benchmark(CommonParentCancel)$`,
		}},
		Benchtime:      "200ms",
		ShortBenchtime: "50ms",
		Gate:           true,
	},
	{
		Name:    "app",
		Doc:     "application workloads (bench/workload): GC churn over a 32 MiB live heap, HTTP on loopback, JSON, a goroutine pipeline",
		Kind:    ModulePackage,
		Package: "./workload",
		Selections: []Selection{{
			Bench: `^Benchmark(GCChurn|HTTP|JSON|Pipeline)$`,
			Short: `^Benchmark(GCChurn|HTTP|JSON|Pipeline)$`,
		}},
		Benchtime:      "300ms",
		ShortBenchtime: "50ms",
		Args:           []string{"-test.benchmem"},
		Gate:           true,
	},
	{
		Name:          "compile",
		Doc:           "go build of a fixed set of std packages (and runtime, their dependency) with an empty GOCACHE",
		Kind:          GoBuild,
		BuildPackages: []string{"errors", "sort", "strconv", "unicode/utf8", "container/heap"},
		Gate:          true,
	},
	{
		Name:    "scenario",
		Doc:     "latency scenarios under CPU saturation (bench/scenario): wake-to-run delay percentiles",
		Kind:    ModulePackage,
		Package: "./scenario",
		Selections: []Selection{{
			Bench: `^BenchmarkWakeup$`,
			Short: `^BenchmarkWakeup$`,
		}},
		// Each operation is one wake-up, about 20 ms under saturation.
		Benchtime:      "150x",
		ShortBenchtime: "20x",
	},
	{
		Name:    "http",
		Doc:     "loopback HTTP server (bench/scenario BenchmarkHTTP), pinned to one CPU with its load generator on another: light-request latency percentiles with and without a saturating heavy endpoint, and heavy throughput",
		Kind:    ModulePackage,
		Package: "./scenario",
		Selections: []Selection{{
			Bench: `^BenchmarkHTTP$`,
			Short: `^BenchmarkHTTP$`,
		}},
		// Each operation is one light request, sent every 2 ms: 3000
		// take 6 s per variant, enough for p999.
		Benchtime:      "3000x",
		ShortBenchtime: "100x",
	},
	{
		Name:    "inversion",
		Doc:     "priority inversion through a sync.Mutex (bench/scenario BenchmarkMutexInversion): a High goroutine's Lock lateness while Low goroutines hold the Mutex and spin on 2 Ps, and the Low goroutines' work rate",
		Kind:    ModulePackage,
		Package: "./scenario",
		Selections: []Selection{{
			Bench: `^BenchmarkMutexInversion$`,
			Short: `^BenchmarkMutexInversion$`,
		}},
		// Each operation is one wake-up every 2 ms; without
		// inheritance about 100 ms: 100 take 10 s per round.
		Benchtime:      "100x",
		ShortBenchtime: "10x",
	},
	{
		Name:    "floor",
		Doc:     "the anti-starvation floor (bench/scenario BenchmarkFloorShare): the share of its own rate that Low spinners keep beside saturating High spinners on 2 Ps",
		Kind:    ModulePackage,
		Package: "./scenario",
		Selections: []Selection{{
			Bench: `^BenchmarkFloorShare$`,
			Short: `^BenchmarkFloorShare$`,
		}},
		// Each operation is one round of 0.5 s.
		Benchtime:      "6x",
		ShortBenchtime: "1x",
	},
	{
		Name:    "groups",
		Doc:     "goroutine groups (bench/scenario BenchmarkGroups): the work share of groups of weights 3 and 1, and the CPU a group limited to 0.25 uses, over 1 s rounds and in 100 ms windows, on 2 Ps (GODEBUG=schedmode=fair turns weights and limits on)",
		Kind:    ModulePackage,
		Package: "./scenario",
		Selections: []Selection{{
			Bench: `^BenchmarkGroups$`,
			Short: `^BenchmarkGroups$`,
		}},
		// Each operation is one round of 1 s (2 s for the limit, which
		// measures the spinners alone first): 4 take 4 s and 8 s.
		Benchtime:      "4x",
		ShortBenchtime: "1x",
	},
	{
		Name:    "numa",
		Doc:     "NUMA locality (bench/scenario BenchmarkNUMA): a goroutine pipeline and loopback HTTP on 4 Ps, with the fork's home-node run fraction and cross-node steals where counted (GODEBUG=numanodes=2 fakes two nodes)",
		Kind:    ModulePackage,
		Package: "./scenario",
		Selections: []Selection{{
			Bench: `^BenchmarkNUMA$`,
			Short: `^BenchmarkNUMA$`,
		}},
		Benchtime:      "300ms",
		ShortBenchtime: "50ms",
	},
}

// SuiteGroups name sets of suites for -suite.
var SuiteGroups = map[string][]string{
	"all":      {"runtime", "sync", "time", "context", "app", "compile", "scenario", "http", "inversion", "floor", "numa", "groups"},
	"upstream": {"runtime", "sync", "time", "context"},
}

// SelectSuites returns the suites a comma-separated list of suite and group
// names names, in the order of Suites.
func SelectSuites(list string) ([]Suite, error) {
	want := map[string]bool{}
	for _, name := range strings.Split(list, ",") {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		if group, ok := SuiteGroups[name]; ok {
			for _, n := range group {
				want[n] = true
			}
			continue
		}
		if !slices.ContainsFunc(Suites, func(s Suite) bool { return s.Name == name }) {
			return nil, fmt.Errorf("unknown suite %q (suites: %s; groups: all, upstream)", name, strings.Join(SuiteNames(), ", "))
		}
		want[name] = true
	}
	var out []Suite
	for _, s := range Suites {
		if want[s.Name] {
			out = append(out, s)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no suites selected by %q", list)
	}
	return out, nil
}

// SuiteNames returns the names of all suites.
func SuiteNames() []string {
	var names []string
	for _, s := range Suites {
		names = append(names, s.Name)
	}
	return names
}

// GateSuites returns the names of the suites whose Gate is set.
func GateSuites() []string {
	var names []string
	for _, s := range Suites {
		if s.Gate {
			names = append(names, s.Name)
		}
	}
	return names
}
