package scenario

import (
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"schedx.example/bench/internal/latency"
)

// wakeupPeriod is how often the measured goroutine is woken.
const wakeupPeriod = 2 * time.Millisecond

// wakeupSpinners is the number of CPU-bound goroutines competing for the
// Procs Ps.
const wakeupSpinners = 8

// BenchmarkWakeup measures wake-to-run delay under saturation: while
// wakeupSpinners CPU-bound goroutines run on Procs Ps, one goroutine is
// woken every wakeupPeriod and the delay until it runs is recorded. One
// operation is one wake-up.
//
//   - timer: the goroutine sleeps (time.Sleep) for wakeupPeriod; the delay
//     is from the timer's expiry to the goroutine running. Timers are per
//     P, and with every P busy the expired timer waits for its P to pass
//     through the scheduler.
//   - timer-alloc: timer, with the spinning goroutines allocating between
//     bursts (a 1KiB linked list each) over a live heap of
//     wakeupLiveHeap bytes, so that GC cycles run back to back: mark
//     workers, assists, sweeping and stop-the-world phases on the wake-up
//     path. Its allocation rate is reported as alloc-MB/s.
//   - chan: whichever spinning goroutine is running when the receiver has
//     waited wakeupPeriod sends the current time on a channel and keeps
//     spinning; the delay is from the send to the receiver running. The
//     receiver goes to the sender's runnext slot, which a busy sender does
//     not give up until it is preempted.
//
// On a toolchain with goroutine priorities (HavePriorities) the spinning
// goroutines run at Low and the woken goroutine at High; nothing in their
// loops changes. The priorities act only in the fork's priority mode
// (GODEBUG=schedmode=priority), so the same benchmark measures stock Go,
// the fork's default mode and its priority mode.
func BenchmarkWakeup(b *testing.B) {
	b.Run("timer", benchWakeupTimer)
	b.Run("timer-alloc", benchWakeupTimerAlloc)
	b.Run("chan", benchWakeupChan)
}

// wakeupLiveHeap is the heap timer-alloc keeps reachable, so that each GC
// cycle has marking to do.
const wakeupLiveHeap = 16 << 20

// A wakeupNode is a small pointerful object, as a program's heap holds
// many: 64 bytes with a pointer to scan.
type wakeupNode struct {
	next *wakeupNode
	pad  [48]byte
}

// wakeupList allocates a list of n wakeupNodes.
//
//go:noinline
func wakeupList(n int) *wakeupNode {
	var head *wakeupNode
	for range n {
		head = &wakeupNode{next: head}
	}
	return head
}

// wakeupGarbage receives each spinning goroutine's latest list, which the
// next one replaces.
var wakeupGarbage [wakeupSpinners]atomic.Pointer[wakeupNode]

// saturateLow is Saturate with the spinning goroutines at Low priority,
// and the caller at High until the returned function restores it.
func saturateLow(n int, onSpin func(int)) (*Saturation, func()) {
	prev := SetPriority(Low)
	sat := Saturate(n, onSpin)
	SetPriority(High)
	return sat, func() { SetPriority(prev) }
}

func benchWakeupTimer(b *testing.B) {
	defer SetProcs()()
	sat, restore := saturateLow(wakeupSpinners, nil)
	defer restore()
	defer sat.Stop()
	lat := latency.NewRecorder(b.N)
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		time.Sleep(wakeupPeriod)
		lat.Record(time.Since(start) - wakeupPeriod)
	}
	b.StopTimer()
	lat.Report(b)
}

func benchWakeupTimerAlloc(b *testing.B) {
	defer SetProcs()()
	live := make([]*wakeupNode, wakeupLiveHeap/(64<<10))
	for i := range live {
		live[i] = wakeupList(1 << 10)
	}
	var allocated atomic.Int64 // lists of 16 nodes
	sat, restore := saturateLow(wakeupSpinners, func(i int) {
		wakeupGarbage[i].Store(wakeupList(16))
		allocated.Add(1)
	})
	defer restore()
	defer sat.Stop()
	lat := latency.NewRecorder(b.N)
	b.ResetTimer()
	began, a0 := time.Now(), allocated.Load()
	for range b.N {
		start := time.Now()
		time.Sleep(wakeupPeriod)
		lat.Record(time.Since(start) - wakeupPeriod)
	}
	b.StopTimer()
	b.ReportMetric(float64(allocated.Load()-a0)*16*64/1e6/time.Since(began).Seconds(), "alloc-MB/s")
	lat.Report(b)
	runtime.KeepAlive(live)
}

func benchWakeupChan(b *testing.B) {
	defer SetProcs()()
	wake := make(chan time.Time, 1)
	// pending is set from a send until the receiver ran; nextSend is the
	// earliest time (UnixNano) of the next send.
	var pending atomic.Bool
	var nextSend atomic.Int64
	nextSend.Store(time.Now().Add(wakeupPeriod).UnixNano())
	sat, restore := saturateLow(wakeupSpinners, func(int) {
		if pending.Load() {
			return
		}
		now := time.Now()
		if now.UnixNano() < nextSend.Load() || !pending.CompareAndSwap(false, true) {
			return
		}
		wake <- now // never blocks: the buffer is empty while !pending
	})
	defer restore()
	defer sat.Stop()
	lat := latency.NewRecorder(b.N)
	b.ResetTimer()
	for range b.N {
		sent := <-wake
		now := time.Now()
		lat.Record(now.Sub(sent))
		nextSend.Store(now.Add(wakeupPeriod).UnixNano())
		pending.Store(false)
	}
	b.StopTimer()
	lat.Report(b)
}
