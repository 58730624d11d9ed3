// Tracepreempt writes a 10ms execution trace of the priority policy at
// work, for go tool trace: a Low goroutine on each P, one of which wakes a
// High request handler every 3ms; the policy asks the waker to yield for
// it, and the trace records each such preemption (the SchedPolicy trace
// experiment).
//
//	go run ./tracepreempt /tmp/trace.out
//	go tool trace -d=sched /tmp/trace.out    # preempt G22 on P1 for G21 (urgent)
//	go tool trace /tmp/trace.out             # the timelines, and the Scheduler policy page
//
// docs/img/trace-preempt.png is its proc view, with P1's events selected
// (ci/trace-screenshot.js).
package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/trace"
	"sync"
	"sync/atomic"
	"time"
)

var sink atomic.Uint64

func handler(wake chan bool, wg *sync.WaitGroup) {
	defer wg.Done()
	runtime.SetGoroutinePriority(runtime.PriorityHigh)
	for range wake {
		s := 0
		for j := 0; j < 300000; j++ {
			s += j
		}
		sink.Add(uint64(s))
	}
}

func lowWorker(i int, stop *atomic.Bool, wake chan bool, wg *sync.WaitGroup) {
	defer wg.Done()
	runtime.SetGoroutinePriority(runtime.PriorityLow)
	last := time.Now()
	for !stop.Load() {
		for k := 0; k < 1000; k++ {
			sink.Add(1)
		}
		if i == 0 && time.Since(last) > 3*time.Millisecond {
			last = time.Now()
			select {
			case wake <- true:
			default:
			}
		}
	}
}

func main() {
	debug.SetSchedulerMode(debug.SchedPriority)
	var stop atomic.Bool
	var wg sync.WaitGroup
	wake := make(chan bool, 1)
	wg.Add(1)
	go handler(wake, &wg)
	for i := 0; i < runtime.GOMAXPROCS(0); i++ {
		wg.Add(1)
		go lowWorker(i, &stop, wake, &wg)
	}
	time.Sleep(20 * time.Millisecond)
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: tracepreempt FILE")
		os.Exit(2)
	}
	f, err := os.Create(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "tracepreempt:", err)
		os.Exit(1)
	}
	if err := trace.Start(f); err != nil {
		fmt.Fprintln(os.Stderr, "tracepreempt:", err)
		os.Exit(1)
	}
	time.Sleep(10 * time.Millisecond)
	trace.Stop()
	if err := f.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "tracepreempt:", err)
		os.Exit(1)
	}
	stop.Store(true)
	close(wake)
	wg.Wait()
}
