// Copyright 2026 The schedx Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// Floorshare measures the anti-starvation floor of priority mode: the
// progress Low goroutines make while High goroutines saturate the Ps, as
// a share of the progress the same Low goroutines make alone. The
// documented floor is 1ms of every 21ms of each P on which Low waits,
// about 5% per P.
//
// Each case is GOMAXPROCS:HIGH:LOW; each round measures the Low spinners
// alone for -d, then beside the High spinners for -d, in the same
// process, and the share is the ratio of their rates:
//
//	go build -o floorshare . && ./floorshare -cases 1:2:1,2:2:1,2:4:2,4:4:2,4:8:4 -rounds 5
//
// It prints, per case, every round's share and their median.
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

var sink atomic.Uint64

// spin counts units of work (1000 multiply-adds, no calls) in n until
// stop is set, at priority p.
func spin(p runtime.Priority, n *atomic.Uint64, stop *atomic.Bool, wg *sync.WaitGroup) {
	defer wg.Done()
	runtime.SetGoroutinePriority(p)
	x := uint64(1)
	for !stop.Load() {
		for range 1000 {
			x = x*6364136223846793005 + 1442695040888963407
		}
		n.Add(1)
	}
	sink.Add(x)
}

// lowRate runs high High and low Low spinners for d and returns the Low
// spinners' units per second.
func lowRate(high, low int, d time.Duration) float64 {
	var stop atomic.Bool
	var wg sync.WaitGroup
	var hn, ln atomic.Uint64
	for range high {
		wg.Add(1)
		go spin(runtime.PriorityHigh, &hn, &stop, &wg)
	}
	for range low {
		wg.Add(1)
		go spin(runtime.PriorityLow, &ln, &stop, &wg)
	}
	time.Sleep(d)
	stop.Store(true)
	wg.Wait()
	return float64(ln.Load()) / d.Seconds()
}

type tcase struct{ procs, high, low int }

func parseCases(s string) ([]tcase, error) {
	var cs []tcase
	for f := range strings.SplitSeq(s, ",") {
		parts := strings.Split(f, ":")
		if len(parts) != 3 {
			return nil, fmt.Errorf("case %q: want GOMAXPROCS:HIGH:LOW", f)
		}
		var n [3]int
		for i, p := range parts {
			v, err := strconv.Atoi(p)
			if err != nil || v < 1 && i != 1 || v < 0 {
				return nil, fmt.Errorf("case %q: %q is not a count (GOMAXPROCS and LOW at least 1)", f, p)
			}
			n[i] = v
		}
		cs = append(cs, tcase{n[0], n[1], n[2]})
	}
	return cs, nil
}

func main() {
	cases := flag.String("cases", "1:2:1,2:2:1,2:4:2,4:4:2,4:8:4", "comma-separated `GOMAXPROCS:HIGH:LOW` cases")
	rounds := flag.Int("rounds", 5, "rounds per case")
	d := flag.Duration("d", time.Second, "duration of each measurement")
	flag.Parse()
	cs, err := parseCases(*cases)
	if err != nil || *rounds < 1 || *d <= 0 {
		if err == nil {
			err = fmt.Errorf("-rounds and -d must be positive")
		}
		fmt.Fprintln(os.Stderr, "floorshare:", err)
		os.Exit(2)
	}
	debug.SetSchedulerMode(debug.SchedPriority)
	// main must run to stop the spinners.
	runtime.SetGoroutinePriority(runtime.PriorityHigh)
	fmt.Printf("%s, %s, priority mode, %d rounds of %v\n", runtime.Version(), runtime.GOARCH, *rounds, *d)
	for _, c := range cs {
		runtime.GOMAXPROCS(c.procs)
		var shares []float64
		for range *rounds {
			alone := lowRate(0, c.low, *d)
			loaded := lowRate(c.high, c.low, *d)
			shares = append(shares, 100*loaded/alone)
		}
		var b strings.Builder
		for _, s := range shares {
			fmt.Fprintf(&b, " %.1f", s)
		}
		sorted := slices.Clone(shares)
		slices.Sort(sorted)
		fmt.Printf("GOMAXPROCS=%d %d High %d Low: Low share median %.1f%% (rounds:%s)\n", c.procs, c.high, c.low, sorted[len(sorted)/2], b.String())
	}
}
