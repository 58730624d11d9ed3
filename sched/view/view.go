// Package view serves a live view of the goroutine scheduler over HTTP,
// for a service's debug server, as net/http/pprof serves profiles.
//
// Handler returns an http.Handler that serves, under whatever prefix it
// is mounted at:
//
//	PREFIX/               a self-contained HTML page that refreshes each
//	                      second: the mode, each P's goroutine, the queues,
//	                      the groups, and plots of the scheduling latency
//	                      of each priority level over the last minutes
//	PREFIX/snapshot.json  the same data as a Snapshot in JSON (with
//	                      ?history=0, without the history)
//
// Mount it with its prefix stripped and a trailing slash, so that the
// page's relative link to snapshot.json resolves under the prefix:
//
//	mux.Handle("/debug/sched/", http.StripPrefix("/debug/sched", view.Handler()))
//
// It answers GET and HEAD only (other methods get 405) and changes
// nothing in the program. Nothing runs until the first request: then a
// goroutine samples the runtime once a second (SampleInterval) while
// someone reads, and stops after a minute without requests. cmd/schedtop
// shows the same data in a terminal.
//
// Latency. The runtime/metrics histograms /sched/latencies:seconds and
// /sched/latencies/priority/{low,normal,high}:seconds are cumulative from
// the start of the program. The view reports the current latency: the
// percentiles (p50, p99, p99.9) of the samples each histogram gained in
// the last interval, computed by the server from the difference of two
// readings, and keeps the last HistoryLength intervals in a ring for the
// plots. The per-level histograms record in the priority mode, or in
// every mode with GODEBUG=schedlatency=1; an interval without samples has
// no percentiles (null in JSON). The runtime samples one goroutine switch
// in eight, so the percentiles of a quiet level rest on few samples: each
// comes with its count.
//
// Rates. Group CPU shares are each group's CPU time gained in the last
// interval, divided by the interval times GOMAXPROCS. GC cycles
// (/gc/cycles/total:gc-cycles), policy preemptions, steals and wake-ups
// (/sched/policy/...) and group throttles (/sched/groups/throttles) are
// per second over the last interval.
//
// Built by stock Go (without the schedx build tag) the view reports what
// stock Go knows: GOMAXPROCS, the goroutine counts, the overall
// scheduling latency and the GC rate; Snapshot.Schedx is false and there
// are no Ps, levels, nodes or groups.
package view

import (
	_ "embed"
	"encoding/json"
	"math"
	"net/http"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
	"time"
)

// SampleInterval is the time between two samples of the sampler, and
// HistoryLength the number of samples the history keeps: five minutes.
const (
	SampleInterval = time.Second
	HistoryLength  = 300
)

// idleTimeout is how long the sampler runs after the last request.
const idleTimeout = time.Minute

// A Snapshot is the document served at snapshot.json.
type Snapshot struct {
	Time      time.Time `json:"time"`
	Schedx    bool      `json:"schedx"` // built by a schedx toolchain
	GoVersion string    `json:"goVersion"`

	Mode       string     `json:"mode"` // as GODEBUG=schedmode spells it
	GOMAXPROCS int        `json:"gomaxprocs"`
	NUMANodes  int        `json:"numaNodes"` // 0 if unknown (stock Go)
	Goroutines Goroutines `json:"goroutines"`

	Ps     []P      `json:"ps"`     // each P, by ID
	Global Queues   `json:"global"` // the global run queues by level
	Nodes  []Queues `json:"nodes"`  // each NUMA node's global queues
	Groups []Group  `json:"groups"` // live goroutine groups, by creation

	// Policy counts the decisions the scheduling policies changed
	// since the program started.
	Policy Policy `json:"policy"`

	// Interval is SampleInterval in seconds. Current is the last
	// interval's sample (nil until the sampler has two readings) and
	// History the last intervals, oldest first.
	Interval float64  `json:"interval"`
	Current  *Sample  `json:"current"`
	History  []Sample `json:"history,omitempty"`
}

// Goroutines counts goroutines by state (runtime/metrics
// /sched/goroutines/*).
type Goroutines struct {
	Total    uint64 `json:"total"`
	Running  uint64 `json:"running"`
	Runnable uint64 `json:"runnable"`
	Waiting  uint64 `json:"waiting"`
	NotInGo  uint64 `json:"notInGo"` // in system calls or C
}

// A P is a processor's state.
type P struct {
	ID        int    `json:"id"`
	Status    string `json:"status"` // idle, running, syscall, gcstop
	Node      int    `json:"node"`
	Goroutine uint64 `json:"goroutine"` // 0: none
	Level     string `json:"level"`     // the goroutine's level: low, normal, high
	Inherited bool   `json:"inherited"` // lent by a waiter
	Group     string `json:"group"`     // "" for the root group
	Queued    Queues `json:"queued"`    // the P's local queues

	// Viewer reports that the goroutine is the one that took the
	// snapshot: the view itself, serving the request.
	Viewer bool `json:"viewer,omitempty"`
}

// Queues counts queued goroutines by level.
type Queues struct {
	Low    int `json:"low"`
	Normal int `json:"normal"`
	High   int `json:"high"`
}

// Total returns the goroutines of all levels.
func (q Queues) Total() int { return q.Low + q.Normal + q.High }

// A Group is a goroutine group's state.
type Group struct {
	ID         uint64  `json:"id"`
	Name       string  `json:"name"`
	Weight     int     `json:"weight"`
	CPULimit   float64 `json:"cpuLimit"`   // fraction of GOMAXPROCS; 0: none
	CPUSeconds float64 `json:"cpuSeconds"` // since the group was created
	Share      float64 `json:"share"`      // of GOMAXPROCS' CPU time in the last interval
	Queued     int     `json:"queued"`
	Throttled  bool    `json:"throttled"`
}

// Policy holds the policies' decision counters.
type Policy struct {
	Steals       uint64 `json:"steals"`
	Wakeups      uint64 `json:"wakeups"`
	Preemptions  uint64 `json:"preemptions"`
	ModeSwitches uint64 `json:"modeSwitches"`
}

// A Sample is what happened in one interval.
type Sample struct {
	Time time.Time `json:"time"` // the interval's end

	// Latency holds the scheduling latency percentiles of the
	// interval, for all goroutines and by level.
	Latency Latencies `json:"latency"`

	// Per second over the interval.
	GCPerSec          float64 `json:"gcPerSec"`
	PreemptionsPerSec float64 `json:"preemptionsPerSec"`
	StealsPerSec      float64 `json:"stealsPerSec"`
	WakeupsPerSec     float64 `json:"wakeupsPerSec"`
	ThrottlesPerSec   float64 `json:"throttlesPerSec"`
}

// Latencies holds latency percentiles by level; nil where the interval
// had no samples.
type Latencies struct {
	All    *Percentiles `json:"all"`
	Low    *Percentiles `json:"low"`
	Normal *Percentiles `json:"normal"`
	High   *Percentiles `json:"high"`
}

// Percentiles of a latency distribution, in seconds, and the number of
// samples they rest on.
type Percentiles struct {
	Count uint64  `json:"count"`
	P50   float64 `json:"p50"`
	P99   float64 `json:"p99"`
	P999  float64 `json:"p999"`
}

//go:embed page.html
var page []byte

// Handler returns the live view's handler: the page at the root of the
// path it is mounted at and the Snapshot at snapshot.json (see the
// package comment). Each call returns a handler with a sampler of its
// own.
func Handler() http.Handler {
	return &handler{s: newSampler()}
}

type handler struct {
	s *sampler
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed: the scheduler view is read-only", http.StatusMethodNotAllowed)
		return
	}
	// Whether mounted with its prefix stripped or not, the last
	// element of the path says what is asked for.
	p := r.URL.Path
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	switch {
	case p == "" || strings.HasSuffix(p, "/"):
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		// The page loads nothing from elsewhere.
		w.Header().Set("Content-Security-Policy", "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src data:")
		w.Write(page)
	case p == "snapshot.json" || strings.HasSuffix(p, "/snapshot.json"):
		snap := h.s.snapshot(r.URL.Query().Get("history") != "0")
		w.Header().Set("Content-Type", "application/json")
		enc := json.NewEncoder(w)
		enc.Encode(snap)
	default:
		http.NotFound(w, r)
	}
}

// metricNames are the runtime/metrics the sampler reads; those stock Go
// lacks read as metrics.KindBad and are left out.
var metricNames = [...]string{
	mLatAll:      "/sched/latencies:seconds",
	mLatLow:      "/sched/latencies/priority/low:seconds",
	mLatNormal:   "/sched/latencies/priority/normal:seconds",
	mLatHigh:     "/sched/latencies/priority/high:seconds",
	mGC:          "/gc/cycles/total:gc-cycles",
	mPreemptions: "/sched/policy/preemptions:preemptions",
	mSteals:      "/sched/policy/steals:goroutines",
	mWakeups:     "/sched/policy/wakeups:wakeups",
	mSwitches:    "/sched/mode/switches:switches",
	mThrottles:   "/sched/groups/throttles:throttles",
	mGoroutines:  "/sched/goroutines:goroutines",
	mRunning:     "/sched/goroutines/running:goroutines",
	mRunnable:    "/sched/goroutines/runnable:goroutines",
	mWaiting:     "/sched/goroutines/waiting:goroutines",
	mNotInGo:     "/sched/goroutines/not-in-go:goroutines",
}

const (
	mLatAll = iota
	mLatLow
	mLatNormal
	mLatHigh
	mGC
	mPreemptions
	mSteals
	mWakeups
	mSwitches
	mThrottles
	mGoroutines
	mRunning
	mRunnable
	mWaiting
	mNotInGo
	numMetrics
)

// A reading is the cumulative values of one sample.
type reading struct {
	t        time.Time
	hists    [4]*metrics.Float64Histogram // all, low, normal, high; nil if absent
	counters [numMetrics]uint64
	groupCPU map[uint64]float64 // seconds, by group ID
	procs    int
}

// A sampler reads the runtime once per SampleInterval while requests
// come, and keeps the history.
type sampler struct {
	mu       sync.Mutex
	running  bool
	lastUsed time.Time
	prev     *reading
	history  []Sample // a ring of HistoryLength, oldest at next once full
	next     int
	shares   map[uint64]float64 // group ID -> share in the last interval
	state    stateReader        // guarded by mu

	samples  []metrics.Sample // guarded by mu
	interval time.Duration
	idle     time.Duration
}

func newSampler() *sampler {
	s := &sampler{interval: SampleInterval, idle: idleTimeout}
	s.samples = make([]metrics.Sample, numMetrics)
	for i := range s.samples {
		s.samples[i].Name = metricNames[i]
	}
	return s
}

// touch records a request and starts the sampler if it is not running,
// taking its first reading. s.mu must be held.
func (s *sampler) touch(now time.Time) {
	s.lastUsed = now
	if s.running {
		return
	}
	s.running = true
	s.history, s.next, s.shares = s.history[:0], 0, nil
	s.prev = s.read(now)
	go s.loop()
}

// loop samples every interval until no request came for s.idle.
func (s *sampler) loop() {
	t := time.NewTicker(s.interval)
	defer t.Stop()
	for now := range t.C {
		s.mu.Lock()
		if now.Sub(s.lastUsed) > s.idle {
			s.running = false
			s.mu.Unlock()
			return
		}
		s.tick(now)
		s.mu.Unlock()
	}
}

// tick takes a reading and adds the interval since the previous one to
// the history. s.mu must be held.
func (s *sampler) tick(now time.Time) {
	r := s.read(now)
	sample, shares := interval(s.prev, r)
	s.prev, s.shares = r, shares
	if len(s.history) < HistoryLength {
		s.history = append(s.history, sample)
	} else {
		s.history[s.next] = sample
		s.next = (s.next + 1) % HistoryLength
	}
}

// read takes a reading of the cumulative values. s.mu must be held.
func (s *sampler) read(now time.Time) *reading {
	metrics.Read(s.samples)
	r := &reading{t: now, procs: runtime.GOMAXPROCS(0)}
	for i, m := range s.samples {
		switch m.Value.Kind() {
		case metrics.KindUint64:
			r.counters[i] = m.Value.Uint64()
		case metrics.KindFloat64Histogram:
			if i <= mLatHigh {
				h := m.Value.Float64Histogram()
				// The runtime may reuse the buckets; copy the counts.
				r.hists[i] = &metrics.Float64Histogram{Buckets: h.Buckets, Counts: append([]uint64(nil), h.Counts...)}
			}
		}
	}
	r.groupCPU = s.state.groupCPU()
	return r
}

// interval computes the sample of the interval from a to b and the
// groups' CPU shares in it.
func interval(a, b *reading) (Sample, map[uint64]float64) {
	secs := b.t.Sub(a.t).Seconds()
	s := Sample{Time: b.t}
	if secs <= 0 {
		return s, nil
	}
	lat := [4]**Percentiles{&s.Latency.All, &s.Latency.Low, &s.Latency.Normal, &s.Latency.High}
	for i, p := range lat {
		*p = percentiles(a.hists[i], b.hists[i])
	}
	rate := func(m int) float64 {
		if b.counters[m] < a.counters[m] {
			return 0
		}
		return float64(b.counters[m]-a.counters[m]) / secs
	}
	s.GCPerSec = rate(mGC)
	s.PreemptionsPerSec = rate(mPreemptions)
	s.StealsPerSec = rate(mSteals)
	s.WakeupsPerSec = rate(mWakeups)
	s.ThrottlesPerSec = rate(mThrottles)
	shares := make(map[uint64]float64, len(b.groupCPU))
	for id, cpu := range b.groupCPU {
		if prev, ok := a.groupCPU[id]; ok && cpu >= prev {
			shares[id] = (cpu - prev) / (secs * float64(b.procs))
		}
	}
	return s, shares
}

// percentiles returns the percentiles of the samples histogram b gained
// since a, or nil if it gained none. Within a bucket, values are taken
// as spread evenly between its bounds.
func percentiles(a, b *metrics.Float64Histogram) *Percentiles {
	if a == nil || b == nil || len(a.Counts) != len(b.Counts) {
		return nil
	}
	delta := make([]uint64, len(b.Counts))
	var n uint64
	for i := range delta {
		if b.Counts[i] > a.Counts[i] {
			delta[i] = b.Counts[i] - a.Counts[i]
			n += delta[i]
		}
	}
	if n == 0 {
		return nil
	}
	return &Percentiles{
		Count: n,
		P50:   quantile(b.Buckets, delta, n, 0.50),
		P99:   quantile(b.Buckets, delta, n, 0.99),
		P999:  quantile(b.Buckets, delta, n, 0.999),
	}
}

// quantile returns the q-quantile of n values counted in counts, whose
// bucket i holds values in [buckets[i], buckets[i+1]).
func quantile(buckets []float64, counts []uint64, n uint64, q float64) float64 {
	rank := q * float64(n) // the value below which a fraction q lies
	var seen float64
	for i, c := range counts {
		if c == 0 {
			continue
		}
		if seen+float64(c) >= rank || i == len(counts)-1 {
			lo, hi := buckets[i], buckets[i+1]
			switch {
			case math.IsInf(lo, -1):
				return max(hi, 0)
			case math.IsInf(hi, 1):
				return lo
			}
			frac := (rank - seen) / float64(c)
			return lo + (hi-lo)*min(max(frac, 0), 1)
		}
		seen += float64(c)
	}
	return 0
}

// snapshot returns the current snapshot, with the history if asked.
func (s *sampler) snapshot(history bool) *Snapshot {
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.touch(now)
	snap := &Snapshot{
		Time:       now,
		Schedx:     schedx,
		GoVersion:  runtime.Version(),
		Mode:       "default",
		GOMAXPROCS: runtime.GOMAXPROCS(0),
		Interval:   s.interval.Seconds(),
	}
	c := &s.prev.counters
	snap.Goroutines = Goroutines{
		Total:    c[mGoroutines],
		Running:  c[mRunning],
		Runnable: c[mRunnable],
		Waiting:  c[mWaiting],
		NotInGo:  c[mNotInGo],
	}
	s.state.fill(snap, s.shares)
	if n := len(s.history); n > 0 {
		last := s.history[(s.next+n-1)%n]
		snap.Current = &last
		if history {
			snap.History = make([]Sample, 0, n)
			snap.History = append(snap.History, s.history[s.next:]...)
			snap.History = append(snap.History, s.history[:s.next]...)
		}
	}
	return snap
}
