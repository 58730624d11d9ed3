// Package analysis reads schedbench results and compares configurations
// with golang.org/x/perf: benchstat-style tables (median, 95% confidence
// interval, Mann-Whitney U test, from benchmath) and the regression
// verdict.
package analysis

import (
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"

	"golang.org/x/perf/benchfmt"
)

// A Bench identifies a benchmark: its suite and its full name, without the
// "Benchmark" prefix and with the GOMAXPROCS suffix (as benchstat shows
// it).
type Bench struct {
	Suite, Name string
}

// A Config is a configuration as the results record it (see
// schedx.example/bench/internal/runconfig).
type Config struct {
	Name, Toolchain, GoVersion, Commit, Mode, Env string
}

// SameAs reports whether c and d ran the same toolchain with the same
// settings, which makes one an A/A control for the other.
func (c Config) SameAs(d Config) bool {
	return c.Toolchain == d.Toolchain && c.Env == d.Env && c.Commit == d.Commit
}

// A Measurement is one value of a benchmark and the round it was measured
// in (0 if the results have no round key).
type Measurement struct {
	Round int
	Value float64
}

type sampleKey struct {
	bench        Bench
	unit, config string
}

// Results are the measurements of a results file, grouped by benchmark,
// unit and configuration.
type Results struct {
	// Configs are the configurations in order of first appearance.
	Configs []Config
	// Benches are the benchmarks in order of first appearance.
	Benches []Bench
	// Units lists each benchmark's units in order of first appearance.
	// Values are tidied as benchstat does: ns/op is sec/op, MB/s is B/s,
	// p99-ns is p99-sec.
	Units map[Bench][]string
	// Run holds the run-* and host-* keys and the goos, goarch and cpu of
	// the first result.
	Run map[string]string
	// LoadAverages are the 1-minute load averages of the machine when
	// each run started (the load-avg key), one per result.
	LoadAverages []float64

	values   map[sampleKey][]Measurement
	unitMeta benchfmt.UnitMetadataMap
}

// ReadFile reads the results file at path.
func ReadFile(path string) (*Results, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Read(f, path)
}

// runKeys are the keys Read copies to Results.Run.
var runKeys = []string{"run-command", "run-dir", "run-start", "run-count", "run-short", "host-cpu", "host-cores", "host-memory", "host-os", "goos", "goarch", "cpu"}

// Read reads results in the Go benchmark format. Every result must carry a
// config key; suite and round keys are used when present.
func Read(r io.Reader, name string) (*Results, error) {
	res := &Results{
		Units:  map[Bench][]string{},
		Run:    map[string]string{},
		values: map[sampleKey][]Measurement{},
	}
	rd := benchfmt.NewReader(r, name)
	seenConfig := map[string]bool{}
	seenBench := map[Bench]bool{}
	for rd.Scan() {
		switch rec := rd.Result().(type) {
		case *benchfmt.SyntaxError:
			return nil, rec
		case *benchfmt.Result:
			cfg := rec.GetConfig("config")
			if cfg == "" {
				file, line := rec.Pos()
				return nil, fmt.Errorf("%s:%d: result without a config key (not schedbench results?)", file, line)
			}
			if len(res.Run) == 0 {
				for _, k := range runKeys {
					if v := rec.GetConfig(k); v != "" {
						res.Run[k] = v
					}
				}
			}
			if !seenConfig[cfg] {
				seenConfig[cfg] = true
				res.Configs = append(res.Configs, Config{
					Name:      cfg,
					Toolchain: rec.GetConfig("toolchain"),
					GoVersion: rec.GetConfig("goversion"),
					Commit:    rec.GetConfig("commit"),
					Mode:      rec.GetConfig("mode"),
					Env:       rec.GetConfig("env"),
				})
			}
			b := Bench{Suite: rec.GetConfig("suite"), Name: string(rec.Name.Full())}
			if !seenBench[b] {
				seenBench[b] = true
				res.Benches = append(res.Benches, b)
			}
			if load, err := strconv.ParseFloat(rec.GetConfig("load-avg"), 64); err == nil {
				res.LoadAverages = append(res.LoadAverages, load)
			}
			round, _ := strconv.Atoi(rec.GetConfig("round"))
			for _, v := range rec.Values {
				if !slices.Contains(res.Units[b], v.Unit) {
					res.Units[b] = append(res.Units[b], v.Unit)
				}
				k := sampleKey{b, v.Unit, cfg}
				res.values[k] = append(res.values[k], Measurement{Round: round, Value: v.Value})
			}
		}
	}
	if err := rd.Err(); err != nil {
		return nil, err
	}
	if len(res.Configs) == 0 {
		return nil, fmt.Errorf("%s: no benchmark results", name)
	}
	res.unitMeta = rd.Units()
	return res, nil
}

// Config returns the configuration named name.
func (r *Results) Config(name string) (Config, bool) {
	for _, c := range r.Configs {
		if c.Name == name {
			return c, true
		}
	}
	return Config{}, false
}

// ConfigNames returns the names of r.Configs.
func (r *Results) ConfigNames() []string {
	var names []string
	for _, c := range r.Configs {
		names = append(names, c.Name)
	}
	return names
}

// Measurements returns the measurements of benchmark b in unit under
// configuration config.
func (r *Results) Measurements(b Bench, unit, config string) []Measurement {
	return r.values[sampleKey{b, unit, config}]
}

// Values returns the values of benchmark b in unit under configuration
// config.
func (r *Results) Values(b Bench, unit, config string) []float64 {
	var vs []float64
	for _, m := range r.Measurements(b, unit, config) {
		vs = append(vs, m.Value)
	}
	return vs
}

// Suites returns the suites of r.Benches in order of first appearance.
func (r *Results) Suites() []string {
	var suites []string
	for _, b := range r.Benches {
		if !slices.Contains(suites, b.Suite) {
			suites = append(suites, b.Suite)
		}
	}
	return suites
}

// Better returns +1 if higher values of unit are better, -1 if lower ones
// are, and 0 if unknown: the results' unit metadata first, then the
// defaults of benchfmt.
func (r *Results) Better(unit string) int {
	return r.unitMeta.GetBetter(unit)
}

// DefaultRoles returns the configurations to judge against base and the A/A
// control of base. A control is a configuration that ran the same
// toolchain with the same settings as base (the first such one);
// candidates are the other configurations in the default scheduler mode.
// Other modes are compared in the tables but not judged: they may trade
// throughput for latency on purpose.
func (r *Results) DefaultRoles(base string) (candidates []string, control string) {
	bc, ok := r.Config(base)
	if !ok {
		return nil, ""
	}
	for _, c := range r.Configs {
		switch {
		case c.Name == base:
		case c.SameAs(bc):
			if control == "" {
				control = c.Name
			}
		case c.Mode == "default":
			candidates = append(candidates, c.Name)
		}
	}
	return candidates, control
}
