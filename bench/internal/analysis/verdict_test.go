package analysis

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func judge(t *testing.T, r *Results, base, candidate string) Verdict {
	t.Helper()
	v, err := Judge(r, base, candidate, testRule)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestVerdictFailsClearRegression(t *testing.T) {
	// One benchmark gets slower on the fork; nothing else changes. In
	// each of ten independent runs the verdict must fail on that
	// benchmark. How clear "clear" must be depends on the rounds: one
	// 30% outlier in a sample keeps the U test from reaching Holm's
	// first level (0.05/40) at 10 rounds, but not at 20. Another
	// benchmark may be flagged by chance, with probability at most
	// alpha per run; over the 40 runs here that happens about twice.
	falseAlarms := 0
	for _, tc := range []struct {
		bench  int
		slow   float64
		rounds int
	}{
		{bench: 1, slow: 1.40, rounds: 10}, // 3% spread
		{bench: 4, slow: 1.40, rounds: 10}, // 9% spread
		{bench: 0, slow: 1.15, rounds: 20}, // 1% spread
		{bench: 1, slow: 1.15, rounds: 20},
	} {
		name := fmt.Sprintf("B%02d-2", tc.bench)
		for seed := range uint64(10) {
			s := synth{configs: stockForkConfigs, nbench: 40, rounds: tc.rounds, value: noisyMachine(nil, map[int]float64{tc.bench: tc.slow})}
			v := judge(t, s.results(t, 10+seed), "stock", "fork")
			caught := false
			for _, r := range v.Regressions() {
				if r.Bench.Name == name {
					caught = true
				} else {
					falseAlarms++
				}
			}
			if !v.Fail() || v.Status() != "FAIL" || !caught {
				t.Errorf("%s %+.0f%% over %d rounds, seed %d: verdict %s, regressions %v; want FAIL on %s",
					name, (tc.slow-1)*100, tc.rounds, seed, v.Summary(), v.Regressions(), name)
			}
		}
	}
	if falseAlarms > 4 {
		t.Errorf("%d other benchmarks flagged in 40 runs, want at most 4", falseAlarms)
	}
}

func TestVerdictFailsGeomeanRegression(t *testing.T) {
	// Every benchmark 2.5% slower, under a per-benchmark threshold of 5%
	// and over the geomean threshold of 1%: only the geomean test can
	// see it. It must in each of ten independent runs.
	rule := testRule
	rule.Threshold = 0.05
	for seed := range uint64(10) {
		s := synth{configs: stockForkConfigs, nbench: 40, rounds: 10, value: noisyMachine(map[string]float64{"fork": 1.025}, nil)}
		v, err := Judge(s.results(t, 20+seed), "stock", "fork", rule)
		if err != nil {
			t.Fatal(err)
		}
		if !v.GeomeanRegression || !v.Fail() {
			t.Errorf("seed %d: verdict %s, want a geomean regression", seed, v.Summary())
		}
	}
}

func TestVerdictPassesClearImprovement(t *testing.T) {
	s := synth{configs: stockForkConfigs, nbench: 40, rounds: 10, value: noisyMachine(map[string]float64{"fork": 0.85}, nil)}
	v := judge(t, s.results(t, 3), "stock", "fork")
	if v.Fail() || v.Status() != "PASS" {
		t.Fatalf("verdict %s, want PASS", v.Summary())
	}
	if len(v.Improvements()) < 20 {
		t.Errorf("%d improvements, want most of the 40 benchmarks", len(v.Improvements()))
	}
	if math.Abs(v.GeomeanChange+0.15) > 0.02 {
		t.Errorf("geomean change %+.3f, want about -0.15", v.GeomeanChange)
	}
}

func TestVerdictPassesAANoise(t *testing.T) {
	// Many A/A comparisons on the noisy machine: the rule may fire in at
	// most about 2*alpha of them (alpha for the benchmarks, alpha for the
	// geomean). The naive rule (each benchmark at alpha, no correction)
	// fires in most, which is why the rule uses Holm's method.
	const trials = 100
	ruleFired, naiveFired := 0, 0
	for seed := range uint64(trials) {
		s := synth{configs: stockForkConfigs, nbench: 50, rounds: 10, value: noisyMachine(nil, nil)}
		r := s.results(t, 100+seed)
		v := judge(t, r, "stock", "stock-aa")
		if !v.Decided {
			t.Fatalf("A/A: %s", v.Reason)
		}
		if v.Fail() {
			ruleFired++
		}
		for _, b := range v.Benches {
			if b.P < testRule.Alpha && b.Change > testRule.Threshold {
				naiveFired++
				break
			}
		}
	}
	if ruleFired > trials/10 {
		t.Errorf("rule fired in %d of %d A/A comparisons, want at most %d", ruleFired, trials, trials/10)
	}
	if naiveFired < trials/3 {
		t.Errorf("naive rule fired in %d of %d A/A comparisons; the noise model is too tame to show why Holm is needed", naiveFired, trials)
	}
	t.Logf("A/A false alarms in %d trials: rule %d, naive per-benchmark alpha %d", trials, ruleFired, naiveFired)
}

func TestVerdictNoVerdictWithOneRound(t *testing.T) {
	s := synth{configs: stockForkConfigs, nbench: 10, rounds: 1, value: noisyMachine(map[string]float64{"fork": 2}, nil)}
	v := judge(t, s.results(t, 4), "stock", "fork")
	if v.Decided || v.Fail() || v.Status() != "NO VERDICT" {
		t.Fatalf("verdict %s, want NO VERDICT", v.Summary())
	}
	if !strings.Contains(v.Reason, "-count 6") {
		t.Errorf("reason %q, want it to name the count needed (6 for 10 benchmarks)", v.Reason)
	}
}

func TestVerdictRejectsUnknownConfig(t *testing.T) {
	s := synth{configs: stockForkConfigs, nbench: 2, rounds: 2, value: noisyMachine(nil, nil)}
	_, err := Judge(s.results(t, 5), "stock", "frok", testRule)
	if err == nil || !strings.Contains(err.Error(), `"frok"`) {
		t.Fatalf("Judge with unknown config: error %v, want one naming \"frok\"", err)
	}
}

func TestHolm(t *testing.T) {
	bs := []BenchVerdict{{P: 0.04}, {P: 0.001}, {P: 0.012}, {P: 0.03}}
	holm(bs, 0.05)
	// Sorted: 0.001 < 0.05/4, 0.012 < 0.05/3, 0.03 >= 0.05/2 stops, so
	// 0.04 < 0.05 does not count.
	want := []bool{false, true, true, false}
	levels := []float64{0.05, 0.0125, 0.05 / 3, 0.025}
	for i, b := range bs {
		if b.Significant != want[i] || math.Abs(b.Level-levels[i]) > 1e-12 {
			t.Errorf("p=%v: significant %v level %v, want %v level %v", b.P, b.Significant, b.Level, want[i], levels[i])
		}
	}
}

func TestMinPValue(t *testing.T) {
	// benchmath's table of the smallest U test p-value for n+n samples.
	for n, want := range map[int]float64{1: 1, 2: 1.0 / 3, 5: 0.007936507936507936, 9: 4.113533525298231e-05} {
		if got := minPValue(n, n); math.Abs(got-want) > 1e-12 {
			t.Errorf("minPValue(%d, %d) = %v, want %v", n, n, got, want)
		}
	}
}

func TestRoundGeomeansPairRounds(t *testing.T) {
	// Fork is exactly 2x stock in every round: each round's geomeans
	// differ by 2x whatever the drift.
	s := synth{configs: stockForkConfigs, nbench: 5, rounds: 6, value: func(rng *rand.Rand, b, r int, c string) float64 {
		v := float64((b + 1) * (r + 1) * 100)
		if c == "fork" {
			v *= 2
		}
		return v
	}}
	r := s.results(t, 6)
	v := judge(t, r, "stock", "fork")
	g1, g2 := roundGeomeans(r, v.Benches, "sec/op", "stock", "fork")
	if len(g1) != 6 || len(g2) != 6 {
		t.Fatalf("got %d and %d round geomeans, want 6", len(g1), len(g2))
	}
	for i := range g1 {
		if math.Abs(g2[i]/g1[i]-2) > 1e-9 {
			t.Errorf("round %d: geomeans %v and %v, want ratio 2", i+1, g1[i], g2[i])
		}
	}
	if !slices.IsSorted(g1) {
		t.Errorf("round geomeans %v not in round order", g1)
	}
}
