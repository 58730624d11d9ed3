// Threadstartlock installs an OnThreadStart hook that starts a goroutine
// and takes a lock shared with the other OnThreadStart calls, both of
// which SchedulerHooks' documentation allows, and makes the runtime start
// threads (goroutines that exit locked to their threads), over and over
// for -d. It prints "OK: ..." if the program survives, with the largest
// thread count it saw.
//
// Before patch 0005 limited the threads inside OnThreadStart to
// GOMAXPROCS, it died with "fatal error: thread exhaustion" within
// seconds at GOMAXPROCS 4 on 2 CPUs and within a minute at GOMAXPROCS 2:
// a hook that blocks hands its P to a new thread, which ran its own hook
// first (see docs/reliability.md, session 12). It copies the sequence of
// runtime's TestSchedulerHooksThreadStart, where ci/stress found the bug.
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

var (
	sink     atomic.Pointer[[]byte]
	startGo  = flag.Bool("go", true, "start a goroutine in OnThreadStart")
	takeLock = flag.Bool("lock", true, "take the shared mutex in OnThreadStart")
)

// recorder counts OnThreadStart calls per thread under a mutex that
// only the hooks take (with -lock).
type recorder struct {
	mu      sync.Mutex
	started map[int]int
}

func (r *recorder) onThreadStart() {
	tid := syscall.Gettid()
	b := make([]byte, 1<<10)
	sink.Store(&b)
	if *startGo {
		go func() { sink.Store(nil) }()
	}
	if *takeLock {
		r.mu.Lock()
		r.started[tid]++
		r.mu.Unlock()
	}
}

// threads returns the IDs of the process's threads.
func threads() map[int]bool {
	ents, err := os.ReadDir("/proc/self/task")
	if err != nil {
		fmt.Fprintln(os.Stderr, "threadstartlock:", err)
		os.Exit(2)
	}
	ids := make(map[int]bool)
	for _, e := range ents {
		if id, err := strconv.Atoi(e.Name()); err == nil {
			ids[id] = true
		}
	}
	return ids
}

// round installs a hook set, starts threads until 16 new ones have run
// a goroutine (or 200 rounds), installs a second set (every thread runs
// its hook again) and then a set without OnThreadStart.
func round() {
	r := &recorder{started: make(map[int]int)}
	prev := runtime.SetSchedulerHooks(&runtime.SchedulerHooks{OnThreadStart: r.onThreadStart})
	defer runtime.SetSchedulerHooks(prev)
	existing := threads()
	runtime.Gosched()
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 10; j++ {
				runtime.Gosched()
			}
		}()
	}
	wg.Wait()
	var newThreads atomic.Int64
	for i := 0; i < 200 && newThreads.Load() < 16; i++ {
		var wg sync.WaitGroup
		release := make(chan struct{})
		for j := 0; j < 8; j++ {
			wg.Add(1)
			go func() {
				runtime.LockOSThread() // exits locked: its thread exits too
				if !existing[syscall.Gettid()] {
					newThreads.Add(1)
				}
				wg.Done()
				<-release
			}()
		}
		wg.Wait()
		close(release)
	}
	r2 := &recorder{started: make(map[int]int)}
	runtime.SetSchedulerHooks(&runtime.SchedulerHooks{OnThreadStart: r2.onThreadStart})
	runtime.Gosched()
	runtime.SetSchedulerHooks(&runtime.SchedulerHooks{})
}

func main() {
	d := flag.Duration("d", 10*time.Second, "how long to run")
	flag.Parse()
	most, rounds := 0, 0
	for start := time.Now(); time.Since(start) < *d; rounds++ {
		done := make(chan bool)
		go func() { // a new goroutine each round, as testing's t.Run
			round()
			done <- true
		}()
		<-done
		most = max(most, len(threads()))
	}
	fmt.Printf("OK: %d rounds, at most %d threads\n", rounds, most)
}
