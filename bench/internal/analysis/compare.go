package analysis

import (
	"math"

	"golang.org/x/perf/benchmath"
)

// confidence is the level of the confidence intervals in tables, as in
// benchstat.
const confidence = 0.95

// A Cell summarizes the values of one benchmark, unit and configuration:
// the median and its 95% confidence interval, as benchstat computes them.
type Cell struct {
	N       int
	Summary benchmath.Summary
	sample  *benchmath.Sample
}

// Cell returns the summary of benchmark b in unit under config; N is 0 if
// there are no values.
func (r *Results) Cell(b Bench, unit, config string, alpha float64) Cell {
	vs := r.Values(b, unit, config)
	if len(vs) == 0 {
		return Cell{}
	}
	s := benchmath.NewSample(vs, &benchmath.Thresholds{CompareAlpha: alpha})
	return Cell{N: len(vs), Summary: benchmath.AssumeNothing.Summary(s, confidence), sample: s}
}

// A Delta compares one configuration's values of a benchmark with the
// base configuration's.
type Delta struct {
	// Ratio is the other configuration's median over the base's.
	Ratio float64
	// Comparison is the Mann-Whitney U test of the two samples.
	Comparison benchmath.Comparison
}

// Significant reports whether the test rejects, at its alpha, that the two
// samples come from the same distribution.
func (d Delta) Significant() bool {
	return d.Comparison.P < d.Comparison.Alpha
}

// Compare compares other with base. ok is false if either cell has no
// values or the base median is 0.
func Compare(base, other Cell) (d Delta, ok bool) {
	if base.N == 0 || other.N == 0 || base.Summary.Center == 0 {
		return Delta{}, false
	}
	return Delta{
		Ratio:      other.Summary.Center / base.Summary.Center,
		Comparison: benchmath.AssumeNothing.Compare(base.sample, other.sample),
	}, true
}

// geomean returns the geometric mean of xs, all of which must be positive,
// or NaN.
func geomean(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	var sum float64
	for _, x := range xs {
		if x <= 0 {
			return math.NaN()
		}
		sum += math.Log(x)
	}
	return math.Exp(sum / float64(len(xs)))
}

// minPValue returns the smallest p-value the two-sided Mann-Whitney U test
// can give for samples of sizes n1 and n2 (complete separation, no ties):
// 2 / C(n1+n2, n1).
func minPValue(n1, n2 int) float64 {
	if n1 == 0 || n2 == 0 {
		return 1
	}
	// C(n1+n2, n1) computed in floating point.
	c := 1.0
	for i := 1; i <= n1; i++ {
		c = c * float64(n2+i) / float64(i)
	}
	return math.Min(1, 2/c)
}
