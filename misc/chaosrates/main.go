// Chaosrates runs one of four planted logic races, none of which a data
// race detector reports, and prints BUG if its interleaving went wrong and
// OK if not (exit status 0 either way), so that ci/chaos-rates.bash can
// count how often each shows over runs: with stock Go at GOMAXPROCS 1 and
// 2, and with the fork under GODEBUG=schedchaos=SEED, with and without the
// compiler's probes. The programs are the ones runtime's
// TestSchedChaosFindsPlanted runs.
//
//	go run ./chaosrates CheckThenAct|LostWakeup|SendClose|WaitGroupReuse
package main

import (
	"fmt"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	progs := map[string]func(){
		"CheckThenAct":   schedChaosCheckThenAct,
		"LostWakeup":     schedChaosLostWakeup,
		"SendClose":      schedChaosSendClose,
		"WaitGroupReuse": schedChaosWaitGroupReuse,
	}
	if len(os.Args) != 2 || progs[os.Args[1]] == nil {
		fmt.Fprintln(os.Stderr, "usage: chaosrates CheckThenAct|LostWakeup|SendClose|WaitGroupReuse")
		os.Exit(2)
	}
	progs[os.Args[1]]()
}

func report(bug bool) {
	if bug {
		fmt.Println("BUG")
	} else {
		fmt.Println("OK")
	}
}

// audit stands for the work a program does between a check and its act:
// a call the compiler does not inline.
//
//go:noinline
func audit(n int64) int64 { return n }

// schedChaosCheckThenAct: two withdrawals of 80 from a balance of 100 each
// check the balance, then take from it, with atomics: both may pass the
// check.
func schedChaosCheckThenAct() {
	var balance atomic.Int64
	balance.Store(100)
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if b := balance.Load(); b >= 80 {
				audit(b)
				balance.Add(-80)
			}
		}()
	}
	wg.Wait()
	report(balance.Load() < 0)
}

// schedChaosLostWakeup: the signaller sets the flag and broadcasts without
// holding the lock, so a Broadcast between the waiter's check and its
// Wait is lost and the waiter waits forever.
func schedChaosLostWakeup() {
	var mu sync.Mutex
	cond := sync.NewCond(&mu)
	var ready atomic.Bool
	woke := make(chan bool)
	go func() {
		mu.Lock()
		if !ready.Load() {
			cond.Wait()
		}
		mu.Unlock()
		woke <- true
	}()
	go func() {
		ready.Store(true)
		cond.Broadcast()
	}()
	select {
	case <-woke:
		report(false)
	case <-time.After(200 * time.Millisecond):
		report(true)
	}
}

// schedChaosSendClose: a producer sends its last result while the
// consumer, having counted what it expected, closes the channel: the send
// may come after the close and panic.
func schedChaosSendClose() {
	results := make(chan int, 4)
	done := make(chan bool)
	var sent atomic.Int32
	for i := range 2 {
		go func() {
			defer func() {
				if recover() != nil {
					done <- true
					return
				}
				done <- false
			}()
			sent.Add(1)
			audit(int64(i))
			results <- i
		}()
	}
	go func() {
		for sent.Load() < 2 {
			runtime.Gosched()
		}
		close(results)
	}()
	bug := false
	for range 2 {
		if <-done {
			bug = true
		}
	}
	report(bug)
}

// schedChaosWaitGroupReuse: a WaitGroup is reused for a second batch as
// soon as one waiter of the first returns, while another waiter of the
// first batch may not have returned from Wait yet; that waiter then finds
// the group in use and panics ("WaitGroup is reused before previous Wait
// has returned").
func schedChaosWaitGroupReuse() {
	var wg sync.WaitGroup
	bug := make(chan bool, 2)
	wait := func() {
		defer func() {
			if recover() != nil {
				bug <- true
			}
		}()
		wg.Wait()
	}
	wg.Add(1)
	done := make(chan bool)
	go func() { // a second waiter of the first batch
		wait()
		done <- true
	}()
	go func() { // the first batch
		audit(1)
		wg.Done()
	}()
	func() {
		defer func() {
			if recover() != nil {
				bug <- true
			}
		}()
		wg.Wait()
		wg.Add(1) // the second batch
		go func() {
			audit(2)
			wg.Done()
		}()
		wg.Wait()
	}()
	<-done
	select {
	case <-bug:
		report(true)
	default:
		report(false)
	}
}
