package scenario

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"schedx.example/bench/internal/latency"
)

// Parameters of BenchmarkMutexInversion.
const (
	inversionPeriod   = 2 * time.Millisecond // the High goroutine's period
	inversionLockers  = 4                    // Low goroutines taking the Mutex
	inversionSpinners = 8                    // Low goroutines only spinning
	inversionHold     = 30                   // spin bursts (about 1µs each) inside the critical section
	inversionGap      = 10                   // spin bursts between a locker's critical sections
)

// BenchmarkMutexInversion measures priority inversion through a
// sync.Mutex: a goroutine wakes every inversionPeriod and takes a Mutex
// that inversionLockers goroutines take for critical sections of about
// 30µs, while inversionSpinners more goroutines spin, on Procs Ps. One
// operation is one wake-up; the latency metrics are how late the Lock
// returns after the wake-up's target time (timer delay and wait for the
// Mutex together), lock-p99-ns is the 99th percentile of the wait for the
// Mutex alone (from the wake-up to the Lock's return), and low-work/s is
// the work rate of the other goroutines, in spin bursts per second.
//
// On a toolchain with goroutine priorities the waker runs at High and the
// others at Low. Without priority inheritance a Low holder preempted in its
// critical section waits behind the spinners' time slices while the High
// goroutine waits for it; with inheritance (the fork's priority mode) the
// holder runs at High until it unlocks.
func BenchmarkMutexInversion(b *testing.B) {
	defer SetProcs()()
	prev := SetPriority(Low)
	defer SetPriority(prev)
	var (
		mu   sync.Mutex
		work atomic.Uint64
		stop atomic.Bool
		wg   sync.WaitGroup
	)
	for i := range inversionLockers {
		wg.Go(func() {
			x := uint64(i) + 1
			for !stop.Load() {
				mu.Lock()
				for range inversionHold {
					x = spin(x)
				}
				mu.Unlock()
				for range inversionGap {
					x = spin(x)
				}
				work.Add(inversionHold + inversionGap)
			}
			sink.Add(x)
		})
	}
	for i := range inversionSpinners {
		wg.Go(func() {
			x := uint64(i) + 1
			for !stop.Load() {
				for range 10 {
					x = spin(x)
				}
				work.Add(10)
			}
			sink.Add(x)
		})
	}
	SetPriority(High)
	lat := latency.NewRecorder(b.N)
	wait := latency.NewRecorder(b.N) // the Lock alone, from the wake-up
	start, work0 := time.Now(), work.Load()
	next := start
	b.ResetTimer()
	for range b.N {
		next = next.Add(inversionPeriod)
		time.Sleep(time.Until(next))
		woke := time.Now()
		mu.Lock()
		now := time.Now()
		lat.Record(now.Sub(next))
		wait.Record(now.Sub(woke))
		mu.Unlock()
		if now := time.Now(); now.After(next) {
			next = now // late: the next period starts now
		}
	}
	b.StopTimer()
	elapsed := time.Since(start)
	b.ReportMetric(float64(work.Load()-work0)/elapsed.Seconds(), "low-work/s")
	b.ReportMetric(float64(wait.Percentile(0.99).Nanoseconds()), "lock-p99-ns")
	stop.Store(true)
	wg.Wait()
	lat.Report(b)
}
