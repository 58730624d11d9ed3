package scenario

import (
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
	b.Run("chan", benchWakeupChan)
}

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
