package report

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"schedx.example/bench/internal/analysis"
	"schedx.example/bench/internal/runconfig"
	"schedx.example/bench/internal/runner"
)

// writeResults writes synthetic results of stock, stock-aa and fork: a
// runtime benchmark (fork 20% slower) and a scenario reporting latency
// percentiles, over rounds rounds.
func writeResults(t *testing.T, path string, rounds int) {
	configs := []runconfig.Config{
		{Name: "stock", GOROOT: "/usr/local/go", GoVersion: "go1.26.8", Commit: "none"},
		{Name: "stock-aa", GOROOT: "/usr/local/go", GoVersion: "go1.26.8", Commit: "none"},
		{Name: "fork", GOROOT: "/work/go", GoVersion: "go1.26.8-schedx.1", Commit: "abc"},
	}
	var buf bytes.Buffer
	runner.WriteHeader(&buf, runner.Header{Command: "go run ./cmd/schedbench run -count 10", Start: time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC), Count: rounds, Host: runner.Host{CPU: "Test CPU", Cores: 2, Memory: "1 GiB", OS: "Linux"}})
	for _, st := range runner.Interleave(rounds, 2, len(configs)) {
		c := configs[st.Config]
		f := 1.0
		if c.Name == "fork" {
			f = 1.2
		}
		i := float64(st.Round)
		var out, suite string
		if st.Unit == 0 {
			suite = "runtime"
			out = fmt.Sprintf("pkg: runtime\nBenchmarkPingPongHog-2 1000 %.1f ns/op\nBenchmarkChanSync-2 1000 %.1f ns/op\n", (1000+i)*f, 200+i)
		} else {
			suite = "scenario"
			out = fmt.Sprintf("pkg: scenario\nBenchmarkWakeup/timer-2 150 2e6 ns/op %.0f p50-ns %.0f p99-ns %.0f max-ns\n", (1e6+i*1e3)*f, 5e6+i*1e4, 9e6+i*1e4)
		}
		keys := append(c.Keys(), runconfig.Key{Name: "suite", Value: suite}, runconfig.Key{Name: "round", Value: fmt.Sprint(st.Round + 1)})
		runner.WriteRun(&buf, keys, []byte(out))
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o666); err != nil {
		t.Fatal(err)
	}
}

func TestWrite(t *testing.T) {
	dir := t.TempDir()
	results := filepath.Join(dir, "raw", "baseline.txt")
	os.MkdirAll(filepath.Dir(results), 0o777)
	writeResults(t, results, 10)
	r, err := analysis.ReadFile(results)
	if err != nil {
		t.Fatal(err)
	}
	rule := analysis.Rule{Alpha: 0.05, Threshold: 0.02, GeomeanThreshold: 0.01, Suites: []string{"runtime"}, Unit: "sec/op"}
	fork, err := analysis.Judge(r, "stock", "fork", rule)
	if err != nil {
		t.Fatal(err)
	}
	control, err := analysis.Judge(r, "stock", "stock-aa", rule)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "perf", "baseline.md")
	files, err := Write(Options{
		Results: r, ResultsPath: results, Configs: []string{"stock", "stock-aa", "fork"},
		Verdicts: []analysis.Verdict{fork}, Control: &control, Alpha: 0.05, Path: out,
		ReportCommand: "go run ./cmd/schedbench report -o baseline.md baseline.txt",
	})
	if err != nil {
		t.Fatal(err)
	}
	md, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"**fork vs stock: FAIL**",
		"A/A control",
		"**stock-aa vs stock: PASS**",
		"go run ./cmd/schedbench run -count 10",
		"Test CPU",
		"| runtime: sec/op | stock | stock-aa | vs stock | fork | vs stock |",
		"| scenario: p50-sec |",
		"(../raw/baseline.txt)",
		"![runtime throughput relative to stock](baseline-throughput-runtime.svg)",
		"![Wakeup/timer-2 latency percentiles](baseline-latency-Wakeup_timer-2.svg)",
	} {
		if !strings.Contains(string(md), want) {
			t.Errorf("report lacks %q", want)
		}
	}
	// The scenario's time per operation is no throughput: no plot.
	if strings.Contains(string(md), "baseline-throughput-scenario.svg") {
		t.Errorf("report plots the scenario's throughput")
	}
	if len(files) != 3 {
		t.Errorf("wrote %v, want the report and two plots", files)
	}
	for _, f := range files[1:] {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(b, []byte("<svg")) || !bytes.HasSuffix(bytes.TrimSpace(b), []byte("</svg>")) {
			t.Errorf("%s is not a complete SVG", f)
		}
	}
}
