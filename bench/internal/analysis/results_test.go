package analysis

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"schedx.example/bench/internal/runconfig"
)

func TestReadKeepsConfigsAndKeys(t *testing.T) {
	s := synth{configs: stockForkConfigs, nbench: 3, rounds: 2, value: noisyMachine(nil, nil)}
	r := s.results(t, 1)
	if got := r.ConfigNames(); !slices.Equal(got, []string{"stock", "stock-aa", "fork"}) {
		t.Errorf("configs %v, want stock, stock-aa, fork (first-appearance order)", got)
	}
	fork, _ := r.Config("fork")
	want := Config{Name: "fork", Toolchain: "/work/go", GoVersion: "go1.26.8-schedx.1", Commit: "abc123", Mode: "default", Env: "none"}
	if fork != want {
		t.Errorf("fork config %+v, want %+v", fork, want)
	}
	if len(r.Benches) != 3 || r.Benches[0] != (Bench{"runtime", "B00-2"}) {
		t.Errorf("benches %v, want B00-2, B01-2, B02-2 of suite runtime", r.Benches)
	}
	if got := r.Units[r.Benches[0]]; !slices.Equal(got, []string{"sec/op"}) {
		t.Errorf("units %v, want [sec/op] (ns/op tidied)", got)
	}
	ms := r.Measurements(r.Benches[0], "sec/op", "fork")
	if len(ms) != 2 || ms[0].Round != 1 || ms[1].Round != 2 {
		t.Errorf("fork measurements %v, want one in round 1 and one in round 2", ms)
	}
	if r.Run["run-command"] != "synthetic" || r.Run["run-count"] != "2" {
		t.Errorf("run keys %v, want run-command synthetic and run-count 2", r.Run)
	}
}

func TestReadRejectsResultWithoutConfig(t *testing.T) {
	in := "pkg: x\nBenchmarkFoo-2 10 100 ns/op\n"
	_, err := Read(strings.NewReader(in), "plain.txt")
	if err == nil || !strings.Contains(err.Error(), "plain.txt:2") {
		t.Fatalf("error %v, want one naming plain.txt:2", err)
	}
}

func TestBetterUsesUnitMetadata(t *testing.T) {
	s := synth{configs: stockForkConfigs, nbench: 1, rounds: 1, value: noisyMachine(nil, nil)}
	r := s.results(t, 1)
	for unit, want := range map[string]int{"sec/op": -1, "p99-sec": -1, "req/s": 1, "B/s": 1, "user-sec/op": -1, "widgets": 0} {
		if got := r.Better(unit); got != want {
			t.Errorf("Better(%q) = %d, want %d", unit, got, want)
		}
	}
}

func TestDefaultRoles(t *testing.T) {
	configs := append(slices.Clone(stockForkConfigs), runconfig.Config{
		Name: "fork-prio", GOROOT: "/work/go", GoVersion: "go1.26.8-schedx.1", Commit: "abc123",
		Env: []string{"GODEBUG=schedmode=priority"},
	})
	s := synth{configs: configs, nbench: 1, rounds: 1, value: noisyMachine(nil, nil)}
	r := s.results(t, 1)
	candidates, control := r.DefaultRoles("stock")
	if !slices.Equal(candidates, []string{"fork"}) || control != "stock-aa" {
		t.Errorf("DefaultRoles(stock) = %v, %q; want [fork] (fork-prio is not the default mode), stock-aa", candidates, control)
	}
}

func TestTables(t *testing.T) {
	s := synth{configs: stockForkConfigs, nbench: 3, rounds: 10, value: func(rng *rand.Rand, b, r int, c string) float64 {
		v := 1000 * float64(b+1) * (1 + 0.01*rng.NormFloat64())
		if c == "fork" && b == 0 {
			v *= 1.5
		}
		return v
	}}
	r := s.results(t, 1)
	tables := r.Tables([]string{"stock", "stock-aa", "fork"}, 0.05)
	if len(tables) != 1 || tables[0].Title() != "runtime: sec/op" || len(tables[0].Rows) != 3 || tables[0].Geomean == nil {
		t.Fatalf("tables %+v, want one runtime sec/op table of 3 rows and a geomean", tables)
	}
	var text, md bytes.Buffer
	if err := tables[0].WriteText(&text); err != nil {
		t.Fatal(err)
	}
	if err := tables[0].WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"vs stock", "B00-2", "% (p=0.000 n=10)", "~ (p=", "geomean"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("text table lacks %q:\n%s", want, text.String())
		}
		if !strings.Contains(md.String(), want) {
			t.Errorf("Markdown table lacks %q:\n%s", want, md.String())
		}
	}
	if !strings.HasPrefix(md.String(), "| runtime: sec/op | stock | stock-aa | vs stock | fork | vs stock |\n| --- | ---: | ---: | --- | ---: | --- |\n") {
		t.Errorf("Markdown table header:\n%s", md.String())
	}
	t.Logf("text:\n%s\nmarkdown:\n%s", text.String(), md.String())
}
