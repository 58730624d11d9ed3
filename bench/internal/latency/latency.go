// Package latency records latency samples in benchmarks and reports their
// percentiles as benchmark metrics (p50-ns, p99-ns, p999-ns, max-ns).
package latency

import (
	"math"
	"slices"
	"sync"
	"time"
)

// Units are the metric units Report emits, in order. schedbench writes
// "better=lower" unit metadata for each of them.
var Units = []string{"p50-ns", "p99-ns", "p999-ns", "max-ns"}

// A Recorder collects latency samples. Record may be called from several
// goroutines at once.
type Recorder struct {
	mu      sync.Mutex
	samples []time.Duration
}

// NewRecorder returns a Recorder with room for n samples, so that recording
// the first n does not allocate.
func NewRecorder(n int) *Recorder {
	return &Recorder{samples: make([]time.Duration, 0, n)}
}

// Record adds one sample.
func (r *Recorder) Record(d time.Duration) {
	r.mu.Lock()
	r.samples = append(r.samples, d)
	r.mu.Unlock()
}

// Len returns the number of samples recorded.
func (r *Recorder) Len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.samples)
}

// Percentile returns the q-quantile (0 <= q <= 1) of the samples by the
// nearest-rank method: the smallest sample that at least a fraction q of
// the samples do not exceed. It returns 0 if there are no samples.
func (r *Recorder) Percentile(q float64) time.Duration {
	r.mu.Lock()
	defer r.mu.Unlock()
	slices.Sort(r.samples)
	return percentileOfSorted(r.samples, q)
}

func percentileOfSorted(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(q * float64(len(sorted))))
	rank = max(rank, 1)
	rank = min(rank, len(sorted))
	return sorted[rank-1]
}

// A MetricReporter is the part of *testing.B that Report uses.
type MetricReporter interface {
	ReportMetric(n float64, unit string)
}

// Report reports the median, the 99th and 99.9th percentiles and the
// maximum of the samples as metrics p50-ns, p99-ns, p999-ns and max-ns. A
// percentile that the samples cannot resolve is left out: p99-ns needs 100
// samples, p999-ns 1000.
func (r *Recorder) Report(b MetricReporter) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.samples) == 0 {
		return
	}
	slices.Sort(r.samples)
	for _, p := range reported {
		if len(r.samples) >= p.minSamples {
			b.ReportMetric(float64(percentileOfSorted(r.samples, p.q).Nanoseconds()), p.unit)
		}
	}
}

// reported lists the percentiles Report emits, in the order of Units, and
// the number of samples each needs.
var reported = []struct {
	q          float64
	unit       string
	minSamples int
}{
	{0.50, "p50-ns", 1},
	{0.99, "p99-ns", 100},
	{0.999, "p999-ns", 1000},
	{1, "max-ns", 1},
}
