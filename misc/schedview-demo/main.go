// Copyright 2026 The schedx Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// Schedview-demo is a small service that serves the scheduler's live view
// (package schedx.example/sched/view) on its debug address, with work of
// every priority level to watch, in the priority+fair mode:
//
//   - High: a "request" goroutine woken by a timer every 2ms, in the
//     group web (weight 200), doing a little work;
//   - Normal: two workers in the group web that compute for 1ms, then
//     sleep for 2ms; two CPU-bound goroutines in the group batch (weight
//     50), limited to 25% of GOMAXPROCS' CPU time;
//   - Low: a background goroutine in the root group that computes for
//     1ms, then sleeps for 1ms.
//
// Together they keep about 1.7 of 2 CPUs busy. (A group's limit holds
// its Normal goroutines: in the priority mode its High and Low ones are
// queued by level, not by group, and run beyond it.)
//
// Usage:
//
//	go build -o /tmp/schedview-demo . && /tmp/schedview-demo -addr 127.0.0.1:6060
//	schedtop http://127.0.0.1:6060/debug/sched/     # or open it in a browser
//
// It prints the view's URL once it listens (with -addr 127.0.0.1:0, on a
// port of the system's choice), and runs until interrupted or for -d.
// ci/viewcheck.bash uses it to check the page and schedtop.
package main

import (
	"crypto/sha256"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"time"

	"schedx.example/sched"
	"schedx.example/sched/view"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:6060", "debug `address` to serve the view on")
	d := flag.Duration("d", 0, "stop after this long (0: run until interrupted)")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("schedview-demo: ")

	if _, err := sched.SetMode(sched.ModePriority | sched.ModeFair); err != nil {
		log.Fatal(err) // built by stock Go
	}
	web := sched.NewGroup("web", 200)
	batch := sched.NewGroup("batch", 50)
	batch.SetCPULimit(0.25)

	go request(web)
	for range 2 {
		go worker(web)
		go spin(batch)
	}
	go background()

	mux := http.NewServeMux()
	mux.Handle("/debug/sched/", http.StripPrefix("/debug/sched", view.Handler()))
	l, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("scheduler view: http://%s/debug/sched/\n", l.Addr())
	if *d > 0 {
		time.AfterFunc(*d, func() { os.Exit(0) })
	}
	log.Fatal(http.Serve(l, mux))
}

// work hashes a sum over and over for d and returns the last sum.
func work(sum [32]byte, d time.Duration) [32]byte {
	for start := time.Now(); time.Since(start) < d; {
		for range 10 {
			sum = sha256.Sum256(sum[:])
		}
	}
	return sum
}

// request is a latency-sensitive goroutine: woken every 2ms, it does a
// few microseconds of work.
func request(g *sched.Group) {
	sched.SetGroup(g)
	sched.SetPriority(sched.High)
	var sum [32]byte
	for {
		time.Sleep(2 * time.Millisecond)
		sum = work(sum, 20*time.Microsecond)
	}
}

// worker computes for 1ms and sleeps for 2ms, over and over.
func worker(g *sched.Group) {
	sched.SetGroup(g)
	var sum [32]byte
	for {
		sum = work(sum, time.Millisecond)
		time.Sleep(2 * time.Millisecond)
	}
}

// spin is batch work: CPU-bound, held to its group's limit.
func spin(g *sched.Group) {
	sched.SetGroup(g)
	var sum [32]byte
	for {
		sum = work(sum, time.Millisecond)
	}
}

// background is work that may wait: at the Low level, it computes for
// 1ms and sleeps for 1ms.
func background() {
	sched.SetPriority(sched.Low)
	var sum [32]byte
	for {
		sum = work(sum, time.Millisecond)
		time.Sleep(time.Millisecond)
	}
}
