package view

import (
	"encoding/json"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"runtime/metrics"
	"strings"
	"testing"
	"time"
)

// serve mounts a handler under /debug/sched/ as the package comment
// shows, and returns its server.
func serve(t *testing.T) *httptest.Server {
	mux := http.NewServeMux()
	mux.Handle("/debug/sched/", http.StripPrefix("/debug/sched", Handler()))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func get(t *testing.T, url string) (*http.Response, string) {
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

func TestSnapshotJSON(t *testing.T) {
	srv := serve(t)
	resp, body := get(t, srv.URL+"/debug/sched/snapshot.json")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("status %d, Content-Type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	// The field names, as the page and schedtop read them.
	var raw map[string]any
	if err := json.Unmarshal([]byte(body), &raw); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, body)
	}
	for _, k := range []string{"time", "schedx", "goVersion", "mode", "gomaxprocs", "numaNodes", "goroutines", "ps", "global", "nodes", "groups", "policy", "interval", "current"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("snapshot has no %q: %s", k, body)
		}
	}
	var s Snapshot
	if err := json.Unmarshal([]byte(body), &s); err != nil {
		t.Fatal(err)
	}
	if s.Schedx != schedx || s.GOMAXPROCS < 1 || s.Goroutines.Total == 0 || s.Interval != 1 {
		t.Errorf("snapshot %+v", s)
	}
	if s.Current != nil {
		t.Errorf("first snapshot has an interval already: %+v", s.Current)
	}
	if schedx {
		if s.Mode == "" || len(s.Ps) != s.GOMAXPROCS || s.NUMANodes < 1 || len(s.Nodes) != s.NUMANodes {
			t.Errorf("snapshot %+v: want the mode, a P per processor, and the nodes", s)
		}
	} else if s.Mode != "default" || s.Ps != nil || s.Groups != nil {
		t.Errorf("stock Go snapshot %+v: want the default mode, no Ps or groups", s)
	}
}

func TestMethods(t *testing.T) {
	srv := serve(t)
	for _, path := range []string{"/debug/sched/", "/debug/sched/snapshot.json"} {
		for _, method := range []string{"POST", "PUT", "DELETE", "PATCH"} {
			req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader("{}"))
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != "GET, HEAD" {
				t.Errorf("%s %s: %d, Allow %q; want 405, GET, HEAD", method, path, resp.StatusCode, resp.Header.Get("Allow"))
			}
		}
		resp, err := http.Head(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("HEAD %s: %d", path, resp.StatusCode)
		}
	}
}

func TestPage(t *testing.T) {
	srv := serve(t)
	resp, body := get(t, srv.URL+"/debug/sched/")
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("status %d, Content-Type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if !strings.Contains(resp.Header.Get("Content-Security-Policy"), "default-src 'none'") {
		t.Errorf("no Content-Security-Policy keeping the page to itself")
	}
	// Self-contained: no script, style or image from elsewhere; the
	// snapshot is fetched by a relative URL.
	for _, bad := range []string{"src=", "href=", "http://", "https://", "//cdn", "@import"} {
		if strings.Contains(body, bad) {
			t.Errorf("page contains %q", bad)
		}
	}
	if !strings.Contains(body, `fetch("snapshot.json"`) {
		t.Errorf("page does not fetch snapshot.json relatively")
	}
	for _, path := range []string{"/debug/sched/nothing", "/debug/sched/snapshot.json/x"} {
		if resp, _ := get(t, srv.URL+path); resp.StatusCode != 404 {
			t.Errorf("GET %s: %d, want 404", path, resp.StatusCode)
		}
	}
	// Without the trailing slash, the mux redirects to the page.
	if resp, body := get(t, srv.URL+"/debug/sched"); resp.StatusCode != 200 || !strings.Contains(body, "<svg") && !strings.Contains(body, "plot(") {
		t.Errorf("GET /debug/sched: %d", resp.StatusCode)
	}
}

// TestUnstripped checks a handler mounted without http.StripPrefix.
func TestUnstripped(t *testing.T) {
	mux := http.NewServeMux()
	mux.Handle("/x/sched/", Handler())
	srv := httptest.NewServer(mux)
	defer srv.Close()
	for _, path := range []string{"/x/sched/", "/x/sched/snapshot.json"} {
		if resp, _ := get(t, srv.URL+path); resp.StatusCode != 200 {
			t.Errorf("GET %s: %d", path, resp.StatusCode)
		}
	}
}

// TestSampler runs the sampler on a short interval and checks the
// history and the current interval.
func TestSampler(t *testing.T) {
	s := newSampler()
	s.interval = 20 * time.Millisecond
	s.idle = 200 * time.Millisecond
	snap := s.snapshot(true)
	if snap.Current != nil || len(snap.History) != 0 {
		t.Fatalf("first snapshot: current %+v, history %d", snap.Current, len(snap.History))
	}
	// Make goroutines wait for the CPU, so that latency is recorded.
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); {
		done := make(chan bool)
		for range 100 {
			go func() { done <- true }()
		}
		for range 100 {
			<-done
		}
		time.Sleep(10 * time.Millisecond)
		snap = s.snapshot(true)
		if len(snap.History) >= 3 && snap.Current != nil && snap.Current.Latency.All != nil {
			break
		}
	}
	if len(snap.History) < 3 || snap.Current == nil {
		t.Fatalf("history of %d samples, current %+v", len(snap.History), snap.Current)
	}
	for i := 1; i < len(snap.History); i++ {
		if !snap.History[i].Time.After(snap.History[i-1].Time) {
			t.Fatalf("history not in time order at %d", i)
		}
	}
	if last := snap.History[len(snap.History)-1]; last.Time != snap.Current.Time {
		t.Errorf("current %v is not the last of the history %v", snap.Current.Time, last.Time)
	}
	if snap.Current.Latency.All == nil {
		t.Errorf("no overall latency in any interval of 5s: %+v", snap.History)
	}
	if p := snap.Current.Latency.All; p != nil && !(p.P50 <= p.P99 && p.P99 <= p.P999) {
		t.Errorf("percentiles out of order: %+v", p)
	}
	if schedx && snap.Current.Latency.High != nil && snap.Mode == "default" {
		t.Logf("per-level latency recorded in the default mode (GODEBUG=schedlatency=1?)")
	}
	// Idle: the sampler stops, and starts afresh with the next request.
	time.Sleep(400 * time.Millisecond)
	s.mu.Lock()
	running := s.running
	s.mu.Unlock()
	if running {
		t.Errorf("sampler still running after its idle time")
	}
	if snap := s.snapshot(true); len(snap.History) != 0 {
		t.Errorf("restarted sampler has %d old samples", len(snap.History))
	}
}

func TestQuantile(t *testing.T) {
	buckets := []float64{math.Inf(-1), 0, 1, 2, 4, math.Inf(1)}
	counts := []uint64{0, 50, 40, 9, 1}
	for _, tt := range []struct {
		q, want float64
	}{
		{0.5, 1},            // the end of [0, 1)
		{0.25, 0.5},         // half way in [0, 1)
		{0.95, 2 + 2*5.0/9}, // the 5th of 9 in [2, 4), after 90
		{0.99, 4},           // the last of them
		{0.999, 4},          // the last, unbounded bucket: its lower bound
	} {
		if got := quantile(buckets, counts, 100, tt.q); math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("quantile %v = %v, want %v", tt.q, got, tt.want)
		}
	}
	a := &metrics.Float64Histogram{Buckets: buckets, Counts: []uint64{0, 10, 0, 0, 0}}
	b := &metrics.Float64Histogram{Buckets: buckets, Counts: []uint64{0, 10, 0, 0, 0}}
	if p := percentiles(a, b); p != nil {
		t.Errorf("percentiles of no new samples: %+v, want nil", p)
	}
	b.Counts = []uint64{0, 10, 4, 0, 0}
	if p := percentiles(a, b); p == nil || p.Count != 4 || p.P50 != 1.5 {
		t.Errorf("percentiles of 4 samples in [1, 2): %+v, want count 4, p50 1.5", p)
	}
	if p := percentiles(nil, b); p != nil {
		t.Errorf("percentiles of a missing metric: %+v", p)
	}
}

func TestShares(t *testing.T) {
	t0 := time.Unix(100, 0)
	a := &reading{t: t0, groupCPU: map[uint64]float64{1: 10, 2: 5}, procs: 2}
	b := &reading{t: t0.Add(2 * time.Second), groupCPU: map[uint64]float64{1: 12, 2: 5.5, 3: 1}, procs: 2}
	a.counters[mGC], b.counters[mGC] = 4, 10
	s, shares := interval(a, b)
	if shares[1] != 0.5 || shares[2] != 0.125 {
		t.Errorf("shares %v; want 1: 0.5 (2s of 4s), 2: 0.125", shares)
	}
	if _, ok := shares[3]; ok {
		t.Errorf("a group new in the interval has a share")
	}
	if s.GCPerSec != 3 {
		t.Errorf("GC rate %v, want 3/s", s.GCPerSec)
	}
}
