// Package scenario holds benchmarks of latency under CPU saturation: a
// process whose Ps are all busy with CPU-bound goroutines, in which one
// latency-sensitive goroutine (or endpoint) is woken and the delay from the
// waking event to the goroutine running is measured. They report latency
// percentiles with b.ReportMetric (p50-ns, p99-ns, p999-ns, max-ns; see
// schedx.example/bench/internal/latency).
//
// This file is the harness; each scenario is one _test.go file holding one
// Benchmark function that uses it (see wakeup_test.go). A scenario that
// needs API only the fork has is guarded by the build tag schedbench sets
// for toolchains that have it, for example
//
//	//go:build schedx_priority
//
// for runtime.SetGoroutinePriority (the tags are listed in
// schedx.example/bench/internal/runner/features.go).
package scenario

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// Procs is the number of Ps every scenario runs on, whatever the machine,
// so that "8 CPU-bound goroutines on 2 Ps" means the same everywhere.
const Procs = 2

// SetProcs sets GOMAXPROCS to Procs and returns a function restoring the
// previous value.
func SetProcs() (restore func()) {
	prev := runtime.GOMAXPROCS(Procs)
	return func() { runtime.GOMAXPROCS(prev) }
}

// A Saturation is a set of CPU-bound goroutines keeping the Ps busy.
type Saturation struct {
	stop atomic.Bool
	wg   sync.WaitGroup
}

// Saturate starts n goroutines that spin until Stop is called. Each calls
// onSpin (if not nil) with its index between short bursts of work, so a
// scenario can make one of them do something (send on a channel, say)
// without giving up its P.
func Saturate(n int, onSpin func(worker int)) *Saturation {
	s := &Saturation{}
	for i := range n {
		s.wg.Go(func() {
			x := uint64(i) + 1
			for !s.stop.Load() {
				x = spin(x)
				if onSpin != nil {
					onSpin(i)
				}
			}
			sink.Add(x)
		})
	}
	return s
}

// Stop stops the spinning goroutines and waits for them to exit.
func (s *Saturation) Stop() {
	s.stop.Store(true)
	s.wg.Wait()
}

// sink keeps the spinning loops' results alive.
var sink atomic.Uint64

// spin does about a microsecond of arithmetic without calls, allocation or
// blocking: a CPU-bound burst that only asynchronous preemption
// interrupts.
//
//go:noinline
func spin(x uint64) uint64 {
	for range 1000 {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
	}
	return x
}
