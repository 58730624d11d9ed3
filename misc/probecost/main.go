// Copyright 2026 The schedx Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// Probecost measures the cost of -d=probes probes: the time of a call to an
// empty non-inlined function in a loop, built with and without probes, with
// recording stopped and started. With entry+exit each call records two
// events in the callee; with calls, two around the call; with merges, the
// loop's back-edge counts once per call.
//
//	go build -o plain . && go build -gcflags=-d=probes=entry+exit -o probed .
//	go build -gcflags=-d=probes=calls -o calls . && go build -gcflags=-d=probes=merges -o merges .
//	./plain; ./probed; ./calls; ./merges
package main

import (
	"fmt"
	"runtime/debug"
	"testing"
)

var sink int

//go:noinline
func leaf(x int) int { return x + 1 }

const chunk = 10000 // calls between drains: 2*chunk records fit a P's buffer

func bench(b *testing.B) {
	buf := make([]debug.ProbeRecord, 4*chunk)
	s := 0
	for i := 0; i < b.N; i += chunk {
		for j := min(chunk, b.N-i); j > 0; j-- {
			s = leaf(s)
		}
		b.StopTimer()
		// Until a partial read: with -d=probes=calls, this loop's own
		// call of ReadProbes records a call and its return each time.
		for debug.ReadProbes(buf) == len(buf) {
		}
		b.StartTimer()
	}
	sink = s
}

func main() {
	debug.StopProbes()
	off := testing.Benchmark(bench)
	debug.StartProbes(4 * chunk)
	on := testing.Benchmark(bench)
	debug.StopProbes()
	st := debug.ReadProbeStats()
	fmt.Printf("recording off: %.2f ns/call\n", float64(off.T.Nanoseconds())/float64(off.N))
	fmt.Printf("recording on:  %.2f ns/call (recorded %d, lost %d)\n", float64(on.T.Nanoseconds())/float64(on.N), st.Recorded, st.Lost)
}
