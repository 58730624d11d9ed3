// Copyright 2026 The schedx Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// Gcassist measures what GC mark assists cost a High goroutine that
// allocates, next to Low goroutines that allocate too, and what keeping
// the assists off it costs the heap. A High goroutine handles a "request"
// every -period: it builds -req bytes of small pointerful objects and
// drops them; -low Low goroutines allocate garbage as fast as they can;
// the heap keeps -live bytes reachable, so that each cycle has marking to
// do. It reports the requests' duration percentiles, the time High
// goroutines spent in assists (/sched/priority/high/gc-assist:seconds),
// the scan work they deferred, the GC cycles run, and how far the heap
// overran its goal (sampled every 100µs: the largest excess of
// /memory/classes/heap/objects:bytes over /gc/heap/goal:bytes, as a share
// of the goal). On a toolchain without the assist metrics they print as
// n/a:
//
//	go build -o gcassist . && ./gcassist -mode default && ./gcassist -mode priority
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

var (
	flagMode   = flag.String("mode", "priority", "scheduler mode")
	flagLow    = flag.Int("low", 4, "allocating Low goroutines")
	flagReq    = flag.Int("req", 256<<10, "bytes a High request allocates")
	flagPeriod = flag.Duration("period", 2*time.Millisecond, "High request period")
	flagN      = flag.Int("n", 2000, "High requests")
	flagLive   = flag.Int("live", 64<<20, "bytes kept reachable")
)

type node struct {
	next *node
	pad  [48]byte
}

var sink atomic.Pointer[node]

// build allocates about n bytes of linked nodes.
func build(n int) *node {
	var head *node
	for range n / 64 {
		head = &node{next: head}
	}
	return head
}

func main() {
	flag.Parse()
	mode, err := debug.ParseSchedulerMode(*flagMode)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	debug.SetSchedulerMode(mode)
	live := make([]*node, 0, *flagLive/(64<<10))
	for range cap(live) {
		live = append(live, build(64<<10))
	}
	var stop atomic.Bool
	var wg sync.WaitGroup
	runtime.SetGoroutinePriority(runtime.PriorityLow)
	for range *flagLow {
		wg.Go(func() {
			for !stop.Load() {
				sink.Store(build(4 << 10))
			}
		})
	}
	// Heap overrun sampler.
	var maxOver atomic.Int64
	wg.Go(func() {
		s := []metrics.Sample{{Name: "/gc/heap/goal:bytes"}, {Name: "/memory/classes/heap/objects:bytes"}}
		for !stop.Load() {
			metrics.Read(s)
			goal, heap := int64(s[0].Value.Uint64()), int64(s[1].Value.Uint64())
			if over := (heap - goal) * 10000 / goal; over > maxOver.Load() {
				maxOver.Store(over)
			}
			time.Sleep(100 * time.Microsecond)
		}
	})
	runtime.SetGoroutinePriority(runtime.PriorityHigh)
	ms := []metrics.Sample{{Name: "/sched/priority/high/gc-assist:seconds"}, {Name: "/sched/priority/high/gc-assist-deferred:bytes"}, {Name: "/gc/cycles/total:gc-cycles"}}
	metrics.Read(ms)
	var a0 float64
	var d0 uint64
	if ms[0].Value.Kind() == metrics.KindFloat64 {
		a0 = ms[0].Value.Float64()
	}
	if ms[1].Value.Kind() == metrics.KindUint64 {
		d0 = ms[1].Value.Uint64()
	}
	c0 := ms[2].Value.Uint64()
	durs := make([]time.Duration, 0, *flagN)
	next := time.Now()
	for range *flagN {
		next = next.Add(*flagPeriod)
		time.Sleep(time.Until(next))
		t0 := time.Now()
		sink.Store(build(*flagReq))
		durs = append(durs, time.Since(t0))
		if now := time.Now(); now.After(next) {
			next = now
		}
	}
	metrics.Read(ms)
	stop.Store(true)
	wg.Wait()
	runtime.KeepAlive(live)
	slices.Sort(durs)
	q := func(f float64) time.Duration { return durs[int(f*float64(len(durs)-1))] }
	assist, deferred := "n/a", "n/a" // a toolchain without the metrics
	if ms[0].Value.Kind() == metrics.KindFloat64 {
		assist = fmt.Sprintf("%.3fs", ms[0].Value.Float64()-a0)
	}
	if ms[1].Value.Kind() == metrics.KindUint64 {
		deferred = fmt.Sprintf("%d MiB", (ms[1].Value.Uint64()-d0)>>20)
	}
	fmt.Printf("mode=%s low=%d req=%dKiB: request p50 %v p99 %v max %v; High assist %s, deferred %s, %d GC cycles, heap overrun max %.2f%% of goal\n",
		*flagMode, *flagLow, *flagReq>>10, q(0.5), q(0.99), durs[len(durs)-1],
		assist, deferred, ms[2].Value.Uint64()-c0, float64(maxOver.Load())/100)
}
