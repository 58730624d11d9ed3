package scenario

import (
	"context"
	"fmt"
	"hash/fnv"
	"io"
	"net"
	"net/http"
	"runtime"
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"schedx.example/bench/internal/pipeline"
)

// numaProcs is the GOMAXPROCS of BenchmarkNUMA: with GODEBUG=numanodes=2
// on a 2-CPU machine, two fake nodes of two Ps each.
const numaProcs = 4

// numaLoadTimeout bounds one run of the HTTP load in time; b.N bounds it
// in requests.
const numaLoadTimeout = 2 * time.Minute

// The schedx fork's NUMA counters (runtime/metrics). Stock Go has none of
// them; the fork counts in the NUMA mode, and with GODEBUG=numastats=1 in
// every mode.
var numaMetrics = []string{
	"/sched/numa/runs/home:goroutines",
	"/sched/numa/runs/away:goroutines",
	"/sched/numa/steals/local:goroutines",
	"/sched/numa/steals/remote:goroutines",
	"/sched/numa/nodes:nodes",
}

// readNUMA returns the NUMA counters, or ok false if the toolchain has
// none.
func readNUMA() (v [4]uint64, nodes uint64, ok bool) {
	s := make([]metrics.Sample, len(numaMetrics))
	for i, name := range numaMetrics {
		s[i].Name = name
	}
	metrics.Read(s)
	for i := range v {
		if s[i].Value.Kind() != metrics.KindUint64 {
			return v, 0, false
		}
		v[i] = s[i].Value.Uint64()
	}
	return v, s[4].Value.Uint64(), true
}

// BenchmarkNUMA measures goroutine locality on two NUMA nodes (fake ones
// on a one-node machine: GODEBUG=numanodes=2) for two workloads on 4 Ps:
// the fan-out/fan-in pipeline of bench/workload, and an HTTP server with
// its clients on loopback. Besides time per operation it reports, where
// the toolchain counts them (the fork in SchedNUMA, or with
// GODEBUG=numastats=1), the fraction of goroutine runs on the goroutine's
// home node (home-frac), runs away from home and goroutines stolen across
// nodes per operation (away-runs/op, remote-steals/op), and with
// GODEBUG=numabind=1 the sched_setaffinity calls per operation (binds/op).
func BenchmarkNUMA(b *testing.B) {
	b.Run("pipeline", func(b *testing.B) { numaBench(b, numaPipeline) })
	b.Run("http", func(b *testing.B) { numaBench(b, numaHTTP) })
}

// readBinds returns the sched_setaffinity calls of GODEBUG=numabind, or
// ok false if the toolchain does not count them.
func readBinds() (n uint64, ok bool) {
	s := []metrics.Sample{{Name: "/sched/numa/binds:calls"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0, false
	}
	return s[0].Value.Uint64(), true
}

func numaBench(b *testing.B, run func(b *testing.B)) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(numaProcs))
	before, nodes, ok := readNUMA()
	binds0, bindsOK := readBinds()
	run(b)
	after, _, _ := readNUMA()
	if binds1, _ := readBinds(); bindsOK && binds1 > binds0 {
		// Only with GODEBUG=numabind=1 in the NUMA mode.
		b.ReportMetric(float64(binds1-binds0)/float64(b.N), "binds/op")
	}
	if !ok {
		return
	}
	home, away := after[0]-before[0], after[1]-before[1]
	if home+away > 0 {
		b.ReportMetric(float64(home)/float64(home+away), "home-frac")
		b.ReportMetric(float64(away)/float64(b.N), "away-runs/op")
		b.ReportMetric(float64(after[3]-before[3])/float64(b.N), "remote-steals/op")
	}
	b.ReportMetric(float64(nodes), "nodes")
}

// numaPipeline sends b.N items through 8 workers, each hashing its item,
// to one collector (bench/workload's BenchmarkPipeline, unbuffered).
func numaPipeline(b *testing.B) { pipeline.Run(b, 8, 0) }

// numaHTTP serves b.N requests from 8 keep-alive clients on loopback; the
// handler hashes a little, like a real endpoint.
func numaHTTP(b *testing.B) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Skipf("no loopback: %v", err)
	}
	var body [1024]byte
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := fnv.New64a()
		for range 16 {
			h.Write(body[:256])
		}
		w.Header().Set("X-Sum", fmt.Sprintf("%016x", h.Sum64()))
		w.Write(body[:])
	})}
	go srv.Serve(ln)
	defer srv.Close()
	tr := &http.Transport{MaxIdleConnsPerHost: 8, DisableCompression: true}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr}
	url := "http://" + ln.Addr().String() + "/"
	ctx, cancel := context.WithTimeout(context.Background(), numaLoadTimeout)
	defer cancel()
	var next atomic.Int64
	var failed atomic.Value
	var wg sync.WaitGroup
	b.ResetTimer()
	for range 8 {
		wg.Go(func() {
			for next.Add(1) <= int64(b.N) && ctx.Err() == nil {
				req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
				resp, err := client.Do(req)
				if err != nil {
					failed.Store(err)
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		})
	}
	wg.Wait()
	b.StopTimer()
	if err, _ := failed.Load().(error); err != nil {
		b.Fatal(err)
	}
}
