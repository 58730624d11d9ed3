package latency

import (
	"testing"
	"time"
)

type metrics map[string]float64

func (m metrics) ReportMetric(n float64, unit string) { m[unit] = n }

func TestPercentileNearestRank(t *testing.T) {
	r := NewRecorder(1000)
	// 1..1000 µs, recorded in reverse order.
	for i := 1000; i >= 1; i-- {
		r.Record(time.Duration(i) * time.Microsecond)
	}
	for _, tc := range []struct {
		q    float64
		want time.Duration
	}{
		{0, 1 * time.Microsecond},
		{0.5, 500 * time.Microsecond},
		{0.99, 990 * time.Microsecond},
		{0.999, 999 * time.Microsecond},
		{1, 1000 * time.Microsecond},
	} {
		if got := r.Percentile(tc.q); got != tc.want {
			t.Errorf("Percentile(%v) = %v, want %v", tc.q, got, tc.want)
		}
	}
}

func TestReportFewSamples(t *testing.T) {
	r := NewRecorder(3)
	for _, d := range []time.Duration{30, 10, 20} {
		r.Record(d)
	}
	m := metrics{}
	r.Report(m)
	// Three samples resolve no tail percentile: only p50 and max.
	want := metrics{"p50-ns": 20, "max-ns": 30}
	checkMetrics(t, m, want)
}

func TestReportLeavesOutUnresolvedPercentiles(t *testing.T) {
	for _, tc := range []struct {
		n    int
		want []string
	}{
		{1, []string{"p50-ns", "max-ns"}},
		{99, []string{"p50-ns", "max-ns"}},
		{100, []string{"p50-ns", "p99-ns", "max-ns"}},
		{999, []string{"p50-ns", "p99-ns", "max-ns"}},
		{1000, []string{"p50-ns", "p99-ns", "p999-ns", "max-ns"}},
	} {
		r := NewRecorder(tc.n)
		for i := range tc.n {
			r.Record(time.Duration(i))
		}
		m := metrics{}
		r.Report(m)
		if len(m) != len(tc.want) {
			t.Errorf("%d samples: reported %v, want units %v", tc.n, m, tc.want)
			continue
		}
		for _, u := range tc.want {
			if _, ok := m[u]; !ok {
				t.Errorf("%d samples: reported %v, want units %v", tc.n, m, tc.want)
			}
		}
	}
}

func TestReportPercentilesOfThousand(t *testing.T) {
	r := NewRecorder(1000)
	for i := 1; i <= 1000; i++ {
		r.Record(time.Duration(i))
	}
	m := metrics{}
	r.Report(m)
	checkMetrics(t, m, metrics{"p50-ns": 500, "p99-ns": 990, "p999-ns": 999, "max-ns": 1000})
}

func checkMetrics(t *testing.T, got, want metrics) {
	t.Helper()
	for u, v := range want {
		if g, ok := got[u]; !ok || g != v {
			t.Errorf("%s = %v (reported: %v), want %v", u, g, ok, v)
		}
	}
	if len(got) != len(want) {
		t.Errorf("reported %v, want exactly %v", got, want)
	}
}

func TestReportNoSamples(t *testing.T) {
	m := metrics{}
	NewRecorder(0).Report(m)
	if len(m) != 0 {
		t.Errorf("reported %v for no samples, want nothing", m)
	}
}

func TestUnitsMatchReported(t *testing.T) {
	if len(Units) != len(reported) {
		t.Fatalf("Units has %d entries, reported %d", len(Units), len(reported))
	}
	for i, p := range reported {
		if Units[i] != p.unit {
			t.Errorf("Units[%d] = %q, reported[%d].unit = %q", i, Units[i], i, p.unit)
		}
	}
}
