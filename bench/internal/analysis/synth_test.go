package analysis

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"schedx.example/bench/internal/runconfig"
	"schedx.example/bench/internal/runner"
)

// synth describes synthetic results: rounds of nbench benchmarks of suite
// "runtime" (in the gate set) under configs, each value drawn by value.
type synth struct {
	configs []runconfig.Config
	nbench  int
	rounds  int
	// value returns the ns/op of benchmark b in round r under config c.
	value func(rng *rand.Rand, b, r int, c string) float64
}

// stockForkConfigs are stock, an A/A copy of it and the fork.
var stockForkConfigs = []runconfig.Config{
	{Name: "stock", GOROOT: "/usr/local/go", GoVersion: "go1.26.8", Commit: "none"},
	{Name: "stock-aa", GOROOT: "/usr/local/go", GoVersion: "go1.26.8", Commit: "none"},
	{Name: "fork", GOROOT: "/work/go", GoVersion: "go1.26.8-schedx.1", Commit: "abc123"},
}

// results writes the synthetic results in schedbench's format, interleaved
// as the runner runs them, and reads them back.
func (s synth) results(t testing.TB, seed uint64) *Results {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 1))
	var buf bytes.Buffer
	if err := runner.WriteHeader(&buf, runner.Header{Command: "synthetic", Start: time.Unix(0, 0), Count: s.rounds}); err != nil {
		t.Fatal(err)
	}
	for _, st := range runner.Interleave(s.rounds, 1, len(s.configs)) {
		c := s.configs[st.Config]
		var out bytes.Buffer
		fmt.Fprintf(&out, "goos: linux\npkg: runtime\n")
		for b := range s.nbench {
			fmt.Fprintf(&out, "BenchmarkB%02d-2 1000 %.3f ns/op\n", b, s.value(rng, b, st.Round, c.Name))
		}
		keys := append(c.Keys(), runconfig.Key{Name: "suite", Value: "runtime"}, runconfig.Key{Name: "round", Value: fmt.Sprint(st.Round + 1)})
		if err := runner.WriteRun(&buf, keys, out.Bytes()); err != nil {
			t.Fatal(err)
		}
	}
	r, err := Read(&buf, "synthetic")
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// noisyMachine returns a value function modelled on what an A/A
// comparison shows on the 2-core VMs: per-benchmark spread from 1% to 15%
// (log-normal; B00, B08, ... are the quietest, B07, B15, ... the noisiest),
// 1% drift from round to round that hits every configuration of the round
// alike, and a 5% chance of a 30% outlier. slowdown[c] scales
// configuration c's values (1 if absent) and slow[b] overrides it per
// benchmark.
func noisyMachine(slowdown map[string]float64, slow map[int]float64) func(*rand.Rand, int, int, string) float64 {
	drift := map[int]float64{}
	return func(rng *rand.Rand, b, r int, c string) float64 {
		if _, ok := drift[r]; !ok {
			drift[r] = 1 + 0.01*rng.NormFloat64()
		}
		sigma := 0.01 + 0.14*float64(b%8)/7
		v := 1000 * float64(b+1) * drift[r] * math.Exp(sigma*rng.NormFloat64())
		if rng.Float64() < 0.05 {
			v *= 1.3
		}
		f := 1.0
		if s, ok := slowdown[c]; ok {
			f = s
		}
		if s, ok := slow[b]; ok && c != "stock" && c != "stock-aa" {
			f = s
		}
		return v * f
	}
}

var testRule = Rule{Alpha: 0.05, Threshold: 0.02, GeomeanThreshold: 0.01, Suites: []string{"runtime"}, Unit: "sec/op"}
