// Copyright 2026 The schedx Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// Wakelat measures how long a goroutine sleeping 1ms takes to run again
// while two Low goroutines saturate the only P (GOMAXPROCS 1), and how
// much of each late wake-up the kernel accounts for: the time the
// process's threads waited on a CPU run queue meanwhile (the second field
// of /proc/self/task/TID/schedstat; Linux only, zero elsewhere).
//
// This is the timer path of the runtime's TestSchedPriorityPreemptsLow.
// In priority mode the sleeper is High, and a late wake-up is one where
// the kernel did not give a CPU to the threads on the wake-up's path
// (sysmon, which notices the timer, and the Low goroutine's thread, which
// takes the preemption signal); in the default mode it waits for the Low
// goroutines' 10ms slices. Run several copies at once, on a machine with
// few CPUs, to see the kernel's part:
//
//	go build -o wakelat . && for i in 1 2 3; do ./wakelat -n 1000 & done; wait
//	for i in 1 2 3; do ./wakelat -mode default -n 300 & done; wait
//
// Each run prints every wake-up over -bound with the kernel's part, then a
// summary line.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// kernelRunWait returns the total time the process's threads have waited
// on a CPU run queue, or 0 where /proc does not say.
func kernelRunWait() time.Duration {
	files, _ := filepath.Glob("/proc/self/task/*/schedstat")
	var sum int64
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			continue // the thread exited
		}
		if fields := strings.Fields(string(b)); len(fields) >= 2 {
			n, _ := strconv.ParseInt(fields[1], 10, 64)
			sum += n
		}
	}
	return time.Duration(sum)
}

//go:noinline
func spinWork() {
	for i := 0; i < 100; i++ {
	}
}

func main() {
	n := flag.Int("n", 200, "number of wake-ups")
	mode := flag.String("mode", "priority", "scheduler mode: priority (a High sleeper) or default")
	bound := flag.Duration("bound", 5*time.Millisecond, "a wake-up later than this is late")
	flag.Parse()
	if *n <= 0 || *bound <= 0 {
		fmt.Fprintln(os.Stderr, "wakelat: -n and -bound must be positive")
		os.Exit(2)
	}
	switch *mode {
	case "priority":
		debug.SetSchedulerMode(debug.SchedPriority)
		runtime.SetGoroutinePriority(runtime.PriorityHigh)
	case "default":
	default:
		fmt.Fprintf(os.Stderr, "wakelat: -mode %q: want priority or default\n", *mode)
		os.Exit(2)
	}
	runtime.GOMAXPROCS(1)

	var quit atomic.Bool
	var wg sync.WaitGroup
	prev := runtime.SetGoroutinePriority(runtime.PriorityLow)
	for range 2 {
		wg.Add(1)
		go func() { // Low, inherited
			defer wg.Done()
			for !quit.Load() {
				spinWork()
			}
		}()
	}
	runtime.SetGoroutinePriority(prev)
	time.Sleep(10 * time.Millisecond)

	late, lateKernel := 0, 0
	for range *n {
		w0 := kernelRunWait()
		start := time.Now()
		time.Sleep(time.Millisecond)
		lat := time.Since(start) - time.Millisecond
		kernel := kernelRunWait() - w0
		if lat >= *bound {
			late++
			if lat-kernel < *bound {
				lateKernel++
			}
			fmt.Printf("late %v: the kernel's run-queue wait %v, the rest %v\n", lat, kernel, lat-kernel)
		}
	}
	quit.Store(true)
	wg.Wait()
	fmt.Printf("%s: %d wake-ups, %d over %v, %d of them under %v with the kernel's run-queue wait taken out\n",
		*mode, *n, late, *bound, lateKernel, *bound)
}
