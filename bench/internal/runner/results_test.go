package runner

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"golang.org/x/perf/benchfmt"

	"schedx.example/bench/internal/runconfig"
)

// testBinaryOutput is what a test binary prints, with noise around the
// results.
const testBinaryOutput = `goos: linux
goarch: amd64
pkg: runtime
cpu: Some CPU @ 2.0GHz
BenchmarkPingPongHog-2   	  348655	      1248 ns/op
--- BENCH: BenchmarkPingPongHog-2
    proc_test.go:12: a log line: with a colon
BenchmarkChanSync-2      	 1384083	       190.6 ns/op
PASS
`

func TestWriteRunKeysAndFiltering(t *testing.T) {
	fork := runconfig.Config{Name: "fork-prio", GOROOT: "/work/go", GoVersion: "go1.26.8-schedx.1", Commit: "abc", Env: []string{"GODEBUG=schedmode=priority,asyncpreemptoff=1"}}
	stock := runconfig.Config{Name: "stock", GOROOT: "/usr/local/go", GoVersion: "go1.26.8", Commit: "none"}
	var buf bytes.Buffer
	if err := WriteHeader(&buf, Header{Command: "schedbench run -count 1", Start: time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC), Count: 1, Host: Host{CPU: "cpu", Cores: 2, Memory: "1 GiB", OS: "Linux"}}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []runconfig.Config{fork, stock} {
		keys := append(c.Keys(), runconfig.Key{Name: "suite", Value: "runtime"}, runconfig.Key{Name: "round", Value: "1"})
		if err := WriteRun(&buf, keys, []byte(testBinaryOutput)); err != nil {
			t.Fatal(err)
		}
	}
	out := buf.String()
	for _, unwanted := range []string{"PASS", "--- BENCH", "a log line"} {
		if strings.Contains(out, unwanted) {
			t.Errorf("results contain %q:\n%s", unwanted, out)
		}
	}

	// Every result carries its configuration's keys.
	want := []map[string]string{
		{"config": "fork-prio", "toolchain": "/work/go", "goversion": "go1.26.8-schedx.1", "commit": "abc", "mode": "priority", "env": "GODEBUG=schedmode=priority,asyncpreemptoff=1", "suite": "runtime", "round": "1", "pkg": "runtime", "run-command": "schedbench run -count 1", "host-cores": "2"},
		{"config": "stock", "toolchain": "/usr/local/go", "goversion": "go1.26.8", "commit": "none", "mode": "default", "env": "none", "suite": "runtime", "round": "1", "pkg": "runtime"},
	}
	r := benchfmt.NewReader(strings.NewReader(out), "results")
	n := 0
	for r.Scan() {
		var res *benchfmt.Result
		switch rec := r.Result().(type) {
		case *benchfmt.UnitMetadata:
			continue
		case *benchfmt.Result:
			res = rec
		default:
			t.Fatalf("unexpected record %v", rec)
		}
		w := want[n/2]
		for k, v := range w {
			if got := res.GetConfig(k); got != v {
				t.Errorf("result %d (%s): %s = %q, want %q", n, res.Name, k, got, v)
			}
		}
		n++
	}
	if n != 4 {
		t.Errorf("read %d results, want 4", n)
	}
	if got := r.Units().GetBetter("p99-sec"); got != -1 {
		t.Errorf("unit metadata: p99-sec better = %d, want -1 (lower)", got)
	}
}

func TestIsKeyLine(t *testing.T) {
	for line, want := range map[string]bool{
		"pkg: runtime":              true,
		"cpu: AMD EPYC":             true,
		"goos:":                     true,
		"host-cores: 2":             true,
		"BenchmarkX 1 2 ns/op":      false,
		"PASS":                      false,
		"    x_test.go:12: message": false,
		"Key: upper":                false,
		"a b: spaced key":           false,
		"url:http://x":              false,
	} {
		if got := isKeyLine([]byte(line)); got != want {
			t.Errorf("isKeyLine(%q) = %v, want %v", line, got, want)
		}
	}
}

func TestMeasuredEnv(t *testing.T) {
	c := runconfig.Config{Env: []string{"GODEBUG=schedmode=priority"}}
	env := MeasuredEnv([]string{"PATH=/bin", "GODEBUG=gctrace=1", "GOGC=50", "HOME=/root", "GOROOT=/x"}, c)
	want := []string{"PATH=/bin", "HOME=/root", "GODEBUG=schedmode=priority"}
	if strings.Join(env, " ") != strings.Join(want, " ") {
		t.Errorf("MeasuredEnv = %v, want %v (the caller's GODEBUG, GOGC and GOROOT removed)", env, want)
	}
}
