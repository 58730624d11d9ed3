package analysis

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/aclements/go-moremath/stats"
)

// A Rule says when a candidate configuration counts as slower than the
// base. A benchmark of the gate set regresses when the Mann-Whitney U test
// finds its samples different, at family-wise level Alpha across the gate
// set (Holm's method), and the candidate's median is worse than the base's
// by more than Threshold. The gate set as a whole regresses when the
// per-round geometric means differ at level Alpha and the geometric mean
// of the median ratios is worse by more than GeomeanThreshold. Either makes
// the verdict fail.
//
// The geomean test pairs rounds: within a round the configurations run
// back to back, so drift of the machine between rounds hits both alike,
// and the per-round log ratio of the geomeans cancels it. The test is a
// paired t-test of the per-round log geomeans (go-moremath, the statistics
// under benchmath); a mean over some fifty benchmarks is close to normal
// even when single benchmarks are not. An unpaired U test of the
// per-round geomeans would see the drift as noise and miss a broad 1.5%
// slowdown.
//
// A test at level Alpha per benchmark would not do: over some fifty
// benchmarks it fires on a few by chance in every A/A comparison, and on
// the noisy ones (ChanSync, PingPongHog) the chance difference is far
// beyond 2%. Holm's method keeps the chance of any false alarm in the gate
// set at Alpha, and with -count 10 (U test p-values down to 1.1e-5) it
// still catches a clear regression.
type Rule struct {
	// Alpha is the significance level, family-wise over the gate set.
	Alpha float64
	// Threshold is the smallest slowdown of one benchmark that fails,
	// as a fraction (0.02 is 2%).
	Threshold float64
	// GeomeanThreshold is the smallest slowdown of the gate set's
	// geometric mean that fails.
	GeomeanThreshold float64
	// Suites are the suites whose benchmarks form the gate set.
	Suites []string
	// Unit is the unit judged; "sec/op" (time per operation).
	Unit string
}

// A BenchVerdict is the judgement of one benchmark of the gate set.
type BenchVerdict struct {
	Bench Bench
	// Change is the candidate's median over the base's, minus 1.
	Change float64
	// P is the U test's p-value; Level the Holm level it was held to.
	P, Level float64
	N1, N2   int
	// Significant says the test rejected at Level (Holm's method stops
	// at the first p-value that fails its level).
	Significant bool
	// Regression and Improvement say the benchmark is significantly
	// worse or better by more than the threshold.
	Regression, Improvement bool
}

// A Verdict is the judgement of a candidate configuration against a base.
type Verdict struct {
	Base, Candidate string
	Rule            Rule
	// Benches are the gate set benchmarks both configurations ran, in
	// results order.
	Benches []BenchVerdict
	// Missing are gate set benchmarks that only one configuration ran.
	Missing []Bench
	// GeomeanChange is the geometric mean of the gate set's median
	// ratios, minus 1.
	GeomeanChange float64
	// GeomeanP is the p-value of the paired t-test of the per-round
	// log geometric means, over GeomeanRounds rounds.
	GeomeanP      float64
	GeomeanRounds int
	// GeomeanRegression says the geometric mean is significantly worse
	// by more than the threshold.
	GeomeanRegression bool
	// Decided is false when there are too few rounds for any benchmark's
	// test to reach its level; Reason then says how many are needed.
	Decided bool
	Reason  string
	// Better is -1 if lower values of the rule's unit are better, +1 if
	// higher ones are.
	Better int
}

// Fail reports whether the candidate regressed.
func (v Verdict) Fail() bool {
	if !v.Decided {
		return false
	}
	return v.GeomeanRegression || len(v.Regressions()) > 0
}

// Status is "FAIL", "PASS" or "NO VERDICT".
func (v Verdict) Status() string {
	switch {
	case !v.Decided:
		return "NO VERDICT"
	case v.Fail():
		return "FAIL"
	}
	return "PASS"
}

// Regressions returns the benchmarks that regressed, worst first.
func (v Verdict) Regressions() []BenchVerdict {
	return v.filter(func(b BenchVerdict) bool { return b.Regression }, true)
}

// Improvements returns the benchmarks that improved, best first.
func (v Verdict) Improvements() []BenchVerdict {
	return v.filter(func(b BenchVerdict) bool { return b.Improvement }, false)
}

func (v Verdict) filter(keep func(BenchVerdict) bool, worstFirst bool) []BenchVerdict {
	var out []BenchVerdict
	for _, b := range v.Benches {
		if keep(b) {
			out = append(out, b)
		}
	}
	// Lower is better: the worst change is the largest.
	sign := 1.0
	if worstFirst == (v.Better < 0) {
		sign = -1
	}
	slices.SortStableFunc(out, func(a, b BenchVerdict) int { return cmp.Compare(sign*a.Change, sign*b.Change) })
	return out
}

// Judge judges candidate against base under rule.
func Judge(r *Results, base, candidate string, rule Rule) (Verdict, error) {
	for _, name := range []string{base, candidate} {
		if _, ok := r.Config(name); !ok {
			return Verdict{}, fmt.Errorf("no configuration %q in the results (have %s)", name, strings.Join(r.ConfigNames(), ", "))
		}
	}
	better := r.Better(rule.Unit)
	if better == 0 {
		return Verdict{}, fmt.Errorf("unit %s: unknown whether higher or lower is better", rule.Unit)
	}
	v := Verdict{Base: base, Candidate: candidate, Rule: rule, Better: better}
	worse := func(change, by float64) bool {
		if better < 0 {
			return change > by
		}
		return change < -by
	}

	// Per-benchmark tests.
	var ratios []float64
	for _, b := range r.Benches {
		if !slices.Contains(rule.Suites, b.Suite) || !slices.Contains(r.Units[b], rule.Unit) {
			continue
		}
		bc := r.Cell(b, rule.Unit, base, rule.Alpha)
		cc := r.Cell(b, rule.Unit, candidate, rule.Alpha)
		d, ok := Compare(bc, cc)
		if !ok {
			v.Missing = append(v.Missing, b)
			continue
		}
		ratios = append(ratios, d.Ratio)
		v.Benches = append(v.Benches, BenchVerdict{
			Bench:  b,
			Change: d.Ratio - 1,
			P:      d.Comparison.P,
			N1:     bc.N,
			N2:     cc.N,
		})
	}
	if len(rule.Suites) == 0 {
		v.Reason = "no gate suite in the results (latency scenarios are judged only if named with -gate-suites)"
		return v, nil
	}
	if len(v.Benches) == 0 {
		v.Reason = fmt.Sprintf("no benchmark of suites %s in %s ran under both %s and %s", strings.Join(rule.Suites, ","), rule.Unit, base, candidate)
		return v, nil
	}
	holm(v.Benches, rule.Alpha)
	for i := range v.Benches {
		b := &v.Benches[i]
		b.Regression = b.Significant && worse(b.Change, rule.Threshold)
		b.Improvement = b.Significant && worse(-b.Change, rule.Threshold)
	}

	// Can any benchmark reach its level? The first Holm level is the
	// strictest a benchmark is held to: Alpha/m.
	m := len(v.Benches)
	n := medianN(v.Benches)
	if minPValue(n, n) >= rule.Alpha/float64(m) {
		need := n
		for minPValue(need, need) >= rule.Alpha/float64(m) {
			need++
		}
		v.Reason = fmt.Sprintf("n=%d per configuration cannot show a significant difference among %d benchmarks at level %g; need -count %d or more", n, m, rule.Alpha, need)
	} else {
		v.Decided = true
	}

	// Geometric mean.
	v.GeomeanChange = geomean(ratios) - 1
	g1, g2 := roundGeomeans(r, v.Benches, rule.Unit, base, candidate)
	v.GeomeanRounds = len(g1)
	v.GeomeanP = pairedLogTTest(g1, g2)
	v.GeomeanRegression = v.GeomeanP < rule.Alpha && worse(v.GeomeanChange, rule.GeomeanThreshold)
	return v, nil
}

// pairedLogTTest returns the two-sided p-value of the paired t-test of the
// logarithms of x1 and x2 (all positive, len(x1) == len(x2)): whether the
// mean log ratio differs from 0. Without variance in the ratios it is 0
// if they differ and 1 if not; with fewer than two pairs it is 1.
func pairedLogTTest(x1, x2 []float64) float64 {
	if len(x1) < 2 {
		return 1
	}
	l1, l2 := make([]float64, len(x1)), make([]float64, len(x2))
	for i := range x1 {
		l1[i], l2[i] = math.Log(x1[i]), math.Log(x2[i])
	}
	res, err := stats.PairedTTest(l1, l2, 0, stats.LocationDiffers)
	switch {
	case errors.Is(err, stats.ErrZeroVariance):
		if l1[0] != l2[0] {
			return 0
		}
		return 1
	case err != nil:
		return 1
	}
	return res.P
}

// holm sets Level and Significant of bs by Holm's step-down method at
// family-wise level alpha: the i-th smallest p-value (from 0) is held to
// alpha/(m-i), and once one fails, all larger ones fail.
func holm(bs []BenchVerdict, alpha float64) {
	order := make([]int, len(bs))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(bs[a].P, bs[b].P) })
	m := len(bs)
	rejecting := true
	for i, idx := range order {
		bs[idx].Level = alpha / float64(m-i)
		rejecting = rejecting && bs[idx].P < bs[idx].Level
		bs[idx].Significant = rejecting
	}
}

// medianN returns the median over bs of the smaller sample size.
func medianN(bs []BenchVerdict) int {
	ns := make([]int, len(bs))
	for i, b := range bs {
		ns[i] = min(b.N1, b.N2)
	}
	slices.Sort(ns)
	return ns[len(ns)/2]
}

// roundGeomeans returns, for each round in which both configurations ran
// benchmarks of bs, the geometric mean over those benchmarks of each
// configuration's value in that round (the mean, if a round measured a
// benchmark more than once). Both configurations use the same benchmarks
// in a round, so the geomeans compare like with like.
func roundGeomeans(r *Results, bs []BenchVerdict, unit, base, candidate string) (g1, g2 []float64) {
	type roundValues map[int]float64
	perRound := func(b Bench, config string) roundValues {
		sum, n := map[int]float64{}, map[int]int{}
		for _, m := range r.Measurements(b, unit, config) {
			sum[m.Round] += m.Value
			n[m.Round]++
		}
		rv := roundValues{}
		for k := range sum {
			rv[k] = sum[k] / float64(n[k])
		}
		return rv
	}
	logs1, logs2 := map[int][]float64{}, map[int][]float64{}
	for _, b := range bs {
		v1, v2 := perRound(b.Bench, base), perRound(b.Bench, candidate)
		for round, x := range v1 {
			y, ok := v2[round]
			if !ok || x <= 0 || y <= 0 {
				continue
			}
			logs1[round] = append(logs1[round], math.Log(x))
			logs2[round] = append(logs2[round], math.Log(y))
		}
	}
	var rounds []int
	for round := range logs1 {
		rounds = append(rounds, round)
	}
	slices.Sort(rounds)
	mean := func(xs []float64) float64 {
		var s float64
		for _, x := range xs {
			s += x
		}
		return s / float64(len(xs))
	}
	for _, round := range rounds {
		g1 = append(g1, math.Exp(mean(logs1[round])))
		g2 = append(g2, math.Exp(mean(logs2[round])))
	}
	return g1, g2
}
