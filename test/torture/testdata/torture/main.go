// Copyright 2026 The schedx Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

//go:build unix

// Torture turns every schedx feature on at once for a bounded time and
// checks invariants while it runs. It builds only with the fork.
//
// Workers at every priority level, in goroutine groups of extreme weights
// (one of them CPU-limited) and the root group, do channel and select operations,
// timers, mutexes, network I/O on loopback, system calls, cgo calls (when
// cgo is available), allocation, LockOSThread, panics and recovers, and
// start further workers. They hold Mutexes that workers of other levels
// wait for, alone, nested and in chains of waiters whose last holder
// exits with runtime.Goexit or unwinds a panic (priority inheritance);
// they create goroutine groups of their own, limited or not, run a
// goroutine in them and drop them (group churn); and they run code under
// pprof labels. Meanwhile chaos goroutines switch the scheduler
// mode (every combination of the policies, and schedule exploration
// with a new seed each time), change GOMAXPROCS, install and remove scheduler hooks, flood the
// process with SIGURG (the runtime's preemption signal), force garbage
// collections, change the GC percentage, change the groups' weights
// and CPU limits, start and stop runtime/trace and the CPU profiler, and
// read the scheduler's state (debug.ReadSchedState). The hooks' OnThreadStart
// blocks (it takes a mutex only the OnThreadStart calls take and sleeps
// holding it), which the runtime must survive without starting threads
// until the program dies; -blockhook=false makes it return at once.
//
// Invariants:
//   - every worker started finishes, exactly once (a bit per worker, set
//     atomically);
//   - a worker runs at the priority it was started with, starts in its
//     creator's group (go statements inherit it), and its hook value is nil
//     or one the create hook returned;
//   - a worker's GoroutineCPUTime and each group's CPUTime never decrease;
//   - the hooks' exit calls never outnumber their create calls;
//   - the per-level scheduling latency histograms in runtime/metrics only
//     grow, and never count more than /sched/latencies:seconds;
//   - the NUMA counters (runs at and away from home, local and remote
//     steals) only grow, and the node count never changes;
//   - a goroutine's priority after it released every lock it held is
//     the one it set, in inheritance chains broken by Goexit and panics;
//   - a goroutine started in a new group is in it; a bad weight or CPU
//     limit panics; groups dropped are dropped: ReadSchedState lists
//     no more groups at the end than the program still holds;
//   - ReadSchedState's snapshots are consistent: one processor per
//     GOMAXPROCS, a node per NUMA node, no negative queue, weights in
//     range, and its counters and each group's CPU time only grow;
//   - each trace and CPU profile the program records is not empty
//     (with -tracefile, the last trace is written out: the torture
//     test has go tool trace parse it);
//   - no throw, no deadlock report, and the workers drain within a
//     minute of the end.
//
// At most -live workers exist at a time. Without that bound the spawners
// outrun the workers (the network operations share four connections), and
// the backlog grows with the duration: 200,000 workers after 20s in every
// mode, taking up to a minute to drain at the connections' pace, so the
// drain check measured the run's length rather than the scheduler.
//
// It prints "OK" and a summary and exits 0, or prints each violation
// and exits 1.
//
// Usage: torture [-d duration] [-max workers] [-live workers] [-tracefile file]
package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"runtime/pprof"
	"runtime/trace"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

var (
	flagDuration = flag.Duration("d", 2*time.Second, "how long to keep starting workers")
	flagMax      = flag.Int("max", 0, "start at most this many workers (0: 32768 per second of -d, at least 1<<20)")
	flagLive     = flag.Int64("live", 4096, "have at most this many workers at a time")
	flagBlock    = flag.Bool("blockhook", true, "block in OnThreadStart: a shared mutex held across a 20µs sleep")
	flagTrace    = flag.String("tracefile", "", "write the last complete execution trace to this file")
)

// Counters and per-worker state.
var (
	started    atomic.Int64
	finished   atomic.Int64
	maxWorkers int64           // -max, or its default for -d
	done       []atomic.Uint32 // bit id%32 of done[id/32] is set when worker id finishes
	maxed      atomic.Int64    // when the -max limit stopped the spawners, in ns since start (0: never)
	start      time.Time
	stop       atomic.Bool    // stop starting workers
	wg         sync.WaitGroup // every worker

	failures atomic.Int64
	failMu   sync.Mutex
	ops      [opCount]atomic.Int64
	chaos    [chaosCount]atomic.Int64
)

func fail(format string, args ...any) {
	failures.Add(1)
	failMu.Lock()
	defer failMu.Unlock()
	fmt.Printf("FAIL: "+format+"\n", args...)
}

// The hooks: one set, installed and removed over and over.
type hookValue struct{ id int64 }

var (
	hookCreates  atomic.Int64
	hookExits    atomic.Int64
	threadStarts atomic.Int64
	threadMu     sync.Mutex // taken only by OnThreadStart
	hooks        = &runtime.SchedulerHooks{
		OnGoroutineCreate: func(parent any, pc uintptr) any {
			return &hookValue{hookCreates.Add(1)}
		},
		OnGoroutineExit: func(v any) {
			if _, ok := v.(*hookValue); v != nil && !ok {
				fail("OnGoroutineExit got value %T %v", v, v)
			}
			hookExits.Add(1)
		},
		OnThreadStart: func() {
			threadStarts.Add(1)
			if *flagBlock {
				threadMu.Lock()
				time.Sleep(20 * time.Microsecond)
				threadMu.Unlock()
			}
		},
	}
)

// The shared resources workers use.
var (
	mu      sync.Mutex
	shared  []byte
	pingc   = make(chan int)
	conns   chan net.Conn
	garbage atomic.Pointer[[]byte]
	imu     [4]sync.Mutex // opInherit's, locked in index order
)

const (
	opChan = iota
	opSelect
	opSleep
	opMutex
	opNet
	opSyscall
	opCgo
	opAlloc
	opLock
	opPanic
	opSpawn
	opGosched
	opInherit
	opGroup
	opLabels
	opCount
)

var opNames = [opCount]string{"chan", "select", "sleep", "mutex", "net", "syscall", "cgo", "alloc", "lockosthread", "panic", "spawn", "gosched", "inherit", "group", "labels"}

const (
	chaosMode = iota
	chaosProcs
	chaosHooks
	chaosSIGURG
	chaosGC
	chaosGCPercent
	chaosGroups
	chaosTrace
	chaosProfile
	chaosState
	chaosCount
)

var chaosNames = [chaosCount]string{"mode switches", "GOMAXPROCS changes", "hook installs", "SIGURGs", "forced GCs", "SetGCPercent calls", "group weight and limit changes", "traces", "CPU profiles", "ReadSchedState calls"}

// The goroutine groups a worker joins (by its id; nil is the root group),
// of extreme weights; the last is CPU-limited while chaos runs.
var groups = []*runtime.SchedGroup{
	nil,
	runtime.NewSchedGroup("light", 1),
	runtime.NewSchedGroup("heavy", 10000),
	runtime.NewSchedGroup("limited", 100),
}

// spawn starts a worker at the caller's priority, unless stop is set or
// a worker limit is reached.
func spawn(seed uint64) {
	if stop.Load() || started.Load()-finished.Load() >= *flagLive {
		return
	}
	id := started.Add(1) - 1
	if id >= maxWorkers {
		started.Add(-1)
		maxed.CompareAndSwap(0, int64(time.Since(start)))
		return
	}
	wg.Add(1)
	prio, grp := runtime.GoroutinePriority(), runtime.GoroutineGroup()
	go worker(id, prio, grp, seed)
}

func worker(id int64, prio runtime.Priority, grp *runtime.SchedGroup, seed uint64) {
	defer func() {
		if bit := uint32(1) << (id % 32); done[id/32].Or(bit)&bit != 0 {
			fail("worker %d finished more than once", id)
		}
		finished.Add(1)
		wg.Done()
	}()
	if p := runtime.GoroutinePriority(); p != prio {
		fail("worker %d started at priority %d, runs at %d", id, prio, p)
	}
	if g := runtime.GoroutineGroup(); g != grp {
		fail("worker %d started in group %s, its creator's is %s", id, groupName(g), groupName(grp))
	}
	runtime.SetGoroutineGroup(groups[id%int64(len(groups))])
	cpu0 := runtime.GoroutineCPUTime()
	defer func() {
		if cpu := runtime.GoroutineCPUTime(); cpu < cpu0 {
			fail("worker %d: GoroutineCPUTime went down from %d to %d", id, cpu0, cpu)
		}
	}()
	if v := runtime.GoroutineHookValue(); v != nil {
		if _, ok := v.(*hookValue); !ok {
			fail("worker %d has hook value %T %v", id, v, v)
		}
	}
	x := seed*0x9e3779b97f4a7c15 + uint64(id)
	for range 8 {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		op := int(x % opCount)
		ops[op].Add(1)
		switch op {
		case opChan:
			select {
			case pingc <- int(id):
			case v := <-pingc:
				_ = v
			case <-time.After(100 * time.Microsecond):
			}
		case opSelect:
			c := make(chan int, 1)
			t := time.NewTimer(time.Duration(x%50) * time.Microsecond)
			go func() { c <- 1 }() // not a worker: a plain goroutine
			for range 2 {
				select {
				case <-c:
				case <-t.C:
				}
			}
			t.Stop()
		case opSleep:
			time.Sleep(time.Duration(x%200) * time.Microsecond)
		case opMutex:
			mu.Lock()
			shared = append(shared[:0], byte(id))
			mu.Unlock()
		case opNet:
			c := <-conns
			var b [8]byte
			binary.LittleEndian.PutUint64(b[:], uint64(id))
			if _, err := c.Write(b[:]); err != nil {
				fail("net write: %v", err)
			} else if _, err := io.ReadFull(c, b[:]); err != nil {
				fail("net read: %v", err)
			} else if got := binary.LittleEndian.Uint64(b[:]); got != uint64(id) {
				fail("net echo: got %d, want %d", got, id)
			}
			conns <- c
		case opSyscall:
			ts := syscall.NsecToTimespec(int64(x % 100000))
			syscall.Nanosleep(&ts, nil)
		case opCgo:
			cgoCall(int(x % 100000))
		case opAlloc:
			b := make([]byte, 1<<(x%16))
			garbage.Store(&b)
		case opLock:
			runtime.LockOSThread()
			time.Sleep(time.Duration(x%50) * time.Microsecond)
			runtime.UnlockOSThread()
		case opPanic:
			func() {
				defer func() {
					if r := recover(); r != "torture" {
						fail("recovered %v, want torture", r)
					}
				}()
				panic("torture")
			}()
		case opSpawn:
			spawn(x)
		case opGosched:
			runtime.Gosched()
		case opInherit:
			inherit(x)
			if p := runtime.GoroutinePriority(); p != prio {
				fail("worker %d runs at priority %d after holding locks, want %d", id, p, prio)
			}
		case opGroup:
			groupChurn(x)
		case opLabels:
			pprof.Do(context.Background(), pprof.Labels("torture", opNames[op]), func(context.Context) {
				burn(x)
				runtime.Gosched()
			})
		}
	}
}

// inherit holds Mutexes that workers of every level wait for, so that in
// priority mode holders are lent levels and lose them: one across a short
// sleep, two nested (in index order, so never a deadlock), one locked by a
// plain goroutine that then exits (Goexit) and unlocked here, one
// released by a deferred Unlock while a panic unwinds, and a chain
// (see chain).
func inherit(x uint64) {
	i, j := x%uint64(len(imu)), (x>>4)%uint64(len(imu))
	nap := time.Duration(x>>8%50) * time.Microsecond
	switch x >> 16 % 6 {
	case 0:
		imu[i].Lock()
		time.Sleep(nap)
		imu[i].Unlock()
	case 1:
		i, j = min(i, j), max(i, j)
		imu[i].Lock()
		if j != i {
			imu[j].Lock()
		}
		time.Sleep(nap)
		if j != i {
			imu[j].Unlock()
		}
		imu[i].Unlock()
	case 2:
		locked := make(chan struct{})
		go func() {
			imu[i].Lock()
			close(locked)
			runtime.Goexit()
		}()
		<-locked
		time.Sleep(nap)
		imu[i].Unlock() // Go allows it
	case 3:
		func() {
			defer func() {
				if r := recover(); r != "torture" {
					fail("recovered %v, want torture", r)
				}
			}()
			imu[i].Lock()
			defer imu[i].Unlock()
			time.Sleep(nap)
			panic("torture")
		}()
	case 4, 5:
		i, j = min(i, j), max(i, j)
		if i == j {
			j = (i + 1) % uint64(len(imu))
			i, j = min(i, j), max(i, j)
		}
		chain(i, j, nap, x>>16%6 == 4)
	}
}

// chain builds an inheritance chain: a Low goroutine holds imu[j], a
// Normal one holds imu[i] and waits for imu[j], and the caller waits for
// imu[i], so in priority mode the Low holder runs at the caller's level
// through the Normal one. The Low holder then breaks the chain: it exits
// with runtime.Goexit still holding imu[j] (a third goroutine unlocks it
// once it has exited, which Go allows), or, if goexit is false, panics
// and releases imu[j] with a deferred Unlock as the panic unwinds. Each
// goroutine checks its level once it holds no lock. Locks are taken in
// index order (i < j), as everywhere in this program.
func chain(i, j uint64, nap time.Duration, goexit bool) {
	lowHolds, normalHolds := make(chan struct{}), make(chan struct{})
	lowExited, normalDone := make(chan struct{}), make(chan struct{})
	go func() { // the Low holder
		defer close(lowExited)
		runtime.SetGoroutinePriority(runtime.PriorityLow)
		if goexit {
			imu[j].Lock()
			close(lowHolds)
			time.Sleep(nap)
			runtime.Goexit() // holding imu[j]
		}
		func() {
			defer func() {
				if r := recover(); r != "torture" {
					fail("chain: recovered %v, want torture", r)
				}
			}()
			imu[j].Lock()
			defer imu[j].Unlock()
			close(lowHolds)
			time.Sleep(nap)
			panic("torture")
		}()
		if p := runtime.GoroutinePriority(); p != runtime.PriorityLow {
			fail("chain: the Low holder runs at %d after its panic released its lock, want %d", p, runtime.PriorityLow)
		}
	}()
	if goexit {
		// Unlock what the exited Low holder left locked as soon as it
		// has exited, whatever the others hold: waiting for the Normal
		// holder to take imu[i] first would make imu[j]'s release wait
		// for imu[i], against the index order.
		go func() {
			<-lowExited
			imu[j].Unlock()
		}()
	}
	<-lowHolds
	go func() { // the Normal holder, waiting for the Low one
		defer close(normalDone)
		runtime.SetGoroutinePriority(runtime.PriorityNormal)
		imu[i].Lock()
		close(normalHolds)
		imu[j].Lock()
		imu[j].Unlock()
		imu[i].Unlock()
		if p := runtime.GoroutinePriority(); p != runtime.PriorityNormal {
			fail("chain: the Normal holder runs at %d after releasing its locks, want %d", p, runtime.PriorityNormal)
		}
	}()
	<-normalHolds
	imu[i].Lock() // the chain's head
	imu[i].Unlock()
	<-normalDone
	<-lowExited
}

// groupChurn creates a group of its own, with a random weight and, one
// time in two, a CPU limit, joins it and runs a goroutine there, which
// must find itself in the new group, and goes back to its own group.
// Nothing keeps the new group, which the GC then drops (with its limit
// set, half the time). One time in eight it also checks that a weight
// or limit out of range panics.
func groupChurn(x uint64) {
	w := 1 + int(x>>8%10000)
	g := runtime.NewSchedGroup("churn", w)
	if x>>24%2 == 0 {
		g.SetCPULimit(float64(1+x>>32%100) / 100)
	}
	if x>>40%8 == 0 {
		mustPanic("NewSchedGroup weight 0", "out of range", func() { runtime.NewSchedGroup("bad", 0) })
		mustPanic("SetWeight 10001", "out of range", func() { g.SetWeight(10001) })
		mustPanic("SetCPULimit 1.5", "out of range", func() { g.SetCPULimit(1.5) })
	}
	old := runtime.SetGoroutineGroup(g)
	in := make(chan *runtime.SchedGroup)
	go func() {
		burn(x)
		in <- runtime.GoroutineGroup()
	}()
	if got := <-in; got != g {
		fail("a goroutine started in group churn runs in group %s", groupName(got))
	}
	if got := runtime.SetGoroutineGroup(old); got != g {
		fail("SetGoroutineGroup returned group %s, want churn", groupName(got))
	}
	if got := g.Weight(); got != w {
		fail("group churn: weight %d, want %d", got, w)
	}
}

// mustPanic calls f and checks that it panics with a message that
// contains want.
func mustPanic(what, want string, f func()) {
	defer func() {
		r := recover()
		if r == nil {
			fail("%s did not panic", what)
		} else if msg := fmt.Sprint(r); !strings.Contains(msg, want) {
			fail("%s panicked with %q, want a message with %q", what, msg, want)
		}
	}()
	f()
}

// burn spends a few microseconds of CPU.
func burn(x uint64) {
	for range 200 + x%800 {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
	}
	sink.Add(x)
}

var sink atomic.Uint64

// spawner starts workers at level prio until stop is set.
func spawner(prio runtime.Priority, stopped *sync.WaitGroup) {
	defer stopped.Done()
	runtime.SetGoroutinePriority(prio)
	for i := uint64(0); !stop.Load(); i++ {
		for range 16 {
			spawn(i*16 + uint64(prio+2))
		}
		time.Sleep(200 * time.Microsecond)
	}
}

// echo serves the loopback connections.
func echo(ln net.Listener) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		go io.Copy(c, c)
	}
}

// chaosLoop runs f every interval until stop is set.
// It runs at PriorityHigh, so that High workers do not hold it back.
func chaosLoop(kind int, interval time.Duration, stopped *sync.WaitGroup, f func(i int)) {
	defer stopped.Done()
	runtime.SetGoroutinePriority(runtime.PriorityHigh)
	for i := 0; !stop.Load(); i++ {
		f(i)
		chaos[kind].Add(1)
		time.Sleep(interval)
	}
}

// groupName names a group in messages.
func groupName(g *runtime.SchedGroup) string {
	if g == nil {
		return "root"
	}
	return g.Name()
}

// A traceBuffer is the trace being written; the last complete one is kept
// for -tracefile.
var (
	traceBuf  bytes.Buffer
	lastTrace []byte
)

// toggle starts a recorder (runtime/trace, the CPU profiler) writing to
// buf on even calls and stops it on odd ones; what it wrote must not be
// empty (both write a header).
func toggle(i int, what string, buf *bytes.Buffer, start func(io.Writer) error, stop func()) {
	if i%2 == 0 {
		buf.Reset()
		if err := start(buf); err != nil {
			fail("%s: start: %v", what, err)
		}
		return
	}
	stop()
	if buf.Len() == 0 {
		fail("%s: stop: nothing written", what)
	}
}

// toggleTrace toggles runtime/trace, keeping the last trace it stopped.
func toggleTrace(i int) {
	toggle(i, "runtime/trace", &traceBuf, trace.Start, trace.Stop)
	if i%2 == 1 {
		lastTrace = append(lastTrace[:0], traceBuf.Bytes()...)
	}
}

var profBuf bytes.Buffer

// toggleProfile toggles the CPU profiler.
func toggleProfile(i int) {
	toggle(i, "CPU profile", &profBuf, pprof.StartCPUProfile, pprof.StopCPUProfile)
}

// The last ReadSchedState snapshot's counters and group CPU times (by
// group ID), which only grow.
var (
	state     debug.SchedState
	stateMu   sync.Mutex
	prevState struct {
		steals, wakeups, preemptions, switches uint64
		cpu                                    map[uint64]time.Duration
	}
)

// checkState reads the scheduler's state and checks it.
func checkState(int) {
	stateMu.Lock()
	defer stateMu.Unlock()
	s := &state
	debug.ReadSchedState(s)
	if len(s.Ps) != s.GOMAXPROCS || s.GOMAXPROCS < 1 {
		fail("ReadSchedState: %d Ps, GOMAXPROCS %d", len(s.Ps), s.GOMAXPROCS)
	}
	if len(s.Nodes) != s.NUMANodes || s.NUMANodes < 1 {
		fail("ReadSchedState: %d node entries, %d NUMA nodes, mode %v", len(s.Nodes), s.NUMANodes, s.Mode)
	}
	neg := func(q debug.SchedQueues) bool { return q.Low < 0 || q.Normal < 0 || q.High < 0 }
	if neg(s.Global) {
		fail("ReadSchedState: global queues %+v", s.Global)
	}
	for i, p := range s.Ps {
		if p.ID != i || neg(p.Queued) || p.Status > debug.SchedPGCStop {
			fail("ReadSchedState: P %d: %+v", i, p)
		}
	}
	for _, q := range s.Nodes {
		if neg(q) {
			fail("ReadSchedState: node queues %+v", s.Nodes)
		}
	}
	pv := &prevState
	if s.PolicySteals < pv.steals || s.PolicyWakeups < pv.wakeups || s.PolicyPreemptions < pv.preemptions || s.ModeSwitches < pv.switches {
		fail("ReadSchedState: counters went down: steals %d->%d wakeups %d->%d preemptions %d->%d switches %d->%d",
			pv.steals, s.PolicySteals, pv.wakeups, s.PolicyWakeups, pv.preemptions, s.PolicyPreemptions, pv.switches, s.ModeSwitches)
	}
	pv.steals, pv.wakeups, pv.preemptions, pv.switches = s.PolicySteals, s.PolicyWakeups, s.PolicyPreemptions, s.ModeSwitches
	cpu := make(map[uint64]time.Duration, len(s.Groups))
	for _, g := range s.Groups {
		if g.ID < 2 || g.Weight < 1 || g.Weight > 10000 || !(g.CPULimit >= 0 && g.CPULimit <= 1) || g.Queued < 0 || g.CPUTime < 0 {
			fail("ReadSchedState: group %+v", g)
		}
		if prev, ok := pv.cpu[g.ID]; ok && g.CPUTime < prev {
			fail("ReadSchedState: group %d (%s): CPU time went down from %v to %v", g.ID, g.Name, prev, g.CPUTime)
		}
		cpu[g.ID] = g.CPUTime
	}
	pv.cpu = cpu
}

// checkGroups checks that the groups' CPU times never decrease.
func checkGroups(prev []int64) []int64 {
	cur := make([]int64, len(groups))
	for i, g := range groups {
		if g == nil {
			continue
		}
		cur[i] = g.CPUTime()
		if prev != nil && cur[i] < prev[i] {
			fail("group %s: CPUTime went down from %d to %d", g.Name(), prev[i], cur[i])
		}
	}
	return cur
}

// The metrics checked: the per-level histograms and the overall one.
var metricNames = []string{
	"/sched/latencies/priority/low:seconds",
	"/sched/latencies/priority/normal:seconds",
	"/sched/latencies/priority/high:seconds",
	"/sched/latencies:seconds",
}

// checkMetrics reads the histograms (per-level first, so that each event
// they count is already in the overall one) and checks them against the
// previous reading.
func checkMetrics(prev [][]uint64) [][]uint64 {
	samples := make([]metrics.Sample, len(metricNames))
	for i, n := range metricNames {
		samples[i].Name = n
	}
	for i := range samples {
		metrics.Read(samples[i : i+1])
	}
	cur := make([][]uint64, len(samples))
	var sums [4]uint64
	for i, s := range samples {
		if s.Value.Kind() != metrics.KindFloat64Histogram {
			fail("metric %s: kind %v, want a histogram", s.Name, s.Value.Kind())
			return prev
		}
		h := s.Value.Float64Histogram()
		cur[i] = append([]uint64(nil), h.Counts...)
		for j, c := range h.Counts {
			sums[i] += c
			if prev != nil && j < len(prev[i]) && c < prev[i][j] {
				fail("metric %s: bucket %d went down from %d to %d", s.Name, j, prev[i][j], c)
			}
		}
	}
	if levels := sums[0] + sums[1] + sums[2]; levels > sums[3] {
		fail("per-level latencies count %d events, more than /sched/latencies:seconds (%d)", levels, sums[3])
	}
	return cur
}

// The NUMA metrics checked: the node count, then counters that only grow.
var numaMetricNames = []string{
	"/sched/numa/nodes:nodes",
	"/sched/numa/runs/home:goroutines",
	"/sched/numa/runs/away:goroutines",
	"/sched/numa/steals/local:goroutines",
	"/sched/numa/steals/remote:goroutines",
	"/sched/numa/timers/remote:runs",
}

// checkNUMAMetrics reads the NUMA metrics and checks them against the
// previous reading: the node count is fixed at start-up (or when the
// topology is first needed, on the first switch to the numa mode), and
// the counters only grow.
func checkNUMAMetrics(prev []uint64) []uint64 {
	samples := make([]metrics.Sample, len(numaMetricNames))
	for i, n := range numaMetricNames {
		samples[i].Name = n
	}
	metrics.Read(samples)
	cur := make([]uint64, len(samples))
	for i, s := range samples {
		if s.Value.Kind() != metrics.KindUint64 {
			fail("metric %s: kind %v, want uint64", s.Name, s.Value.Kind())
			return prev
		}
		cur[i] = s.Value.Uint64()
		switch {
		case prev == nil:
		case i == 0 && cur[0] != prev[0]:
			fail("metric %s changed from %d to %d", s.Name, prev[0], cur[0])
		case i > 0 && cur[i] < prev[i]:
			fail("metric %s went down from %d to %d", s.Name, prev[i], cur[i])
		}
	}
	return cur
}

func main() {
	flag.Parse()
	// The default limit is far above the rate of a 2-CPU machine (about
	// 6,500 workers a second), so that a long run keeps its workers to
	// the end; the summary says if the limit stopped them early.
	maxWorkers = int64(*flagMax)
	if maxWorkers <= 0 {
		maxWorkers = max(int64(min(*flagDuration, 24*time.Hour).Seconds()*32768), 1<<20)
	}
	done = make([]atomic.Uint32, (maxWorkers+31)/32)
	start = time.Now()
	debug.SetTraceback("all")

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Println("no loopback network:", err)
		os.Exit(1)
	}
	go echo(ln)
	conns = make(chan net.Conn, 4)
	for range cap(conns) {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			fmt.Println("dial:", err)
			os.Exit(1)
		}
		conns <- c
	}

	var stopped sync.WaitGroup
	for _, p := range []runtime.Priority{runtime.PriorityLow, runtime.PriorityNormal, runtime.PriorityHigh} {
		stopped.Add(1)
		go spawner(p, &stopped)
	}
	maxprocs := runtime.GOMAXPROCS(0)
	startMode := debug.CurrentSchedulerMode()
	stopped.Add(7)
	stopped.Add(3)
	go chaosLoop(chaosMode, 3*time.Millisecond, &stopped, func(i int) {
		// Every combination of the policies, the default included,
		// then schedule exploration (alone) with a new seed, the
		// uniform and the PCT variants in turn.
		if i%9 == 8 {
			debug.SetSchedChaos(uint64(i), i/9%4)
			debug.SetSchedulerMode(debug.SchedChaos)
			return
		}
		var m debug.SchedulerMode
		for b, p := range []debug.SchedulerMode{debug.SchedPriority, debug.SchedNUMA, debug.SchedFair} {
			if i&(1<<b) != 0 {
				m |= p
			}
		}
		debug.SetSchedulerMode(m)
	})
	go chaosLoop(chaosTrace, 25*time.Millisecond, &stopped, toggleTrace)
	go chaosLoop(chaosProfile, 30*time.Millisecond, &stopped, toggleProfile)
	go chaosLoop(chaosState, 2*time.Millisecond, &stopped, checkState)
	go chaosLoop(chaosProcs, 7*time.Millisecond, &stopped, func(i int) {
		runtime.GOMAXPROCS(1 + i%4)
	})
	go chaosLoop(chaosHooks, 5*time.Millisecond, &stopped, func(i int) {
		if i%2 == 0 {
			runtime.SetSchedulerHooks(hooks)
		} else {
			runtime.SetSchedulerHooks(nil)
		}
	})
	go chaosLoop(chaosSIGURG, 100*time.Microsecond, &stopped, func(int) {
		syscall.Kill(os.Getpid(), syscall.SIGURG)
	})
	go chaosLoop(chaosGC, 20*time.Millisecond, &stopped, func(int) {
		runtime.GC()
	})
	go chaosLoop(chaosGCPercent, 11*time.Millisecond, &stopped, func(i int) {
		debug.SetGCPercent([]int{100, 10, 400, 50}[i%4])
	})
	go chaosLoop(chaosGroups, 13*time.Millisecond, &stopped, func(i int) {
		groups[1+i%3].SetWeight([]int{1, 10000, 100, 7}[i%4])
		groups[3].SetCPULimit([]float64{0.05, 0.5, 0, 0.2}[i%4])
	})

	var prev [][]uint64
	var prevNUMA []uint64
	var prevGroups []int64
	runtime.SetGoroutinePriority(runtime.PriorityHigh)
	end := time.Now().Add(*flagDuration)
	for time.Now().Before(end) && failures.Load() == 0 {
		prev = checkMetrics(prev)
		prevNUMA = checkNUMAMetrics(prevNUMA)
		prevGroups = checkGroups(prevGroups)
		time.Sleep(10 * time.Millisecond)
	}
	stop.Store(true)
	stopped.Wait()
	if chaos[chaosTrace].Load()%2 == 1 { // a trace is on
		toggleTrace(1)
	}
	if chaos[chaosProfile].Load()%2 == 1 {
		toggleProfile(1)
	}
	// The limited group's workers must drain at full speed.
	groups[3].SetCPULimit(0)

	// Drain: every worker started must finish.
	drainStart, left := time.Now(), started.Load()-finished.Load()
	var drainTime time.Duration
	drained := make(chan bool)
	go func() { wg.Wait(); close(drained) }()
	select {
	case <-drained:
		drainTime = time.Since(drainStart)
	case <-time.After(time.Minute):
		fail("%d of %d workers have not finished a minute after the end", started.Load()-finished.Load(), started.Load())
		buf := make([]byte, 1<<20)
		os.Stdout.Write(buf[:runtime.Stack(buf, true)])
		os.Exit(1)
	}
	checkMetrics(prev)
	prevNUMA = checkNUMAMetrics(prevNUMA)
	checkGroups(prevGroups)
	checkState(0)
	// The groups churn created are unreachable: after a collection the
	// snapshot (which finds groups through weak pointers) lists only the
	// program's own groups.
	runtime.GC()
	runtime.GC()
	stateMu.Lock()
	debug.ReadSchedState(&state)
	if n := len(state.Groups); n > len(groups)-1 {
		var names []string
		for _, g := range state.Groups {
			names = append(names, g.Name)
		}
		fail("ReadSchedState lists %d groups after the churn, want %d: %v", n, len(groups)-1, names)
	}
	stateMu.Unlock()
	if *flagTrace != "" {
		if len(lastTrace) == 0 {
			fail("-tracefile: no trace was completed")
		} else if err := os.WriteFile(*flagTrace, lastTrace, 0o666); err != nil {
			fail("-tracefile: %v", err)
		}
	}
	runtime.SetSchedulerHooks(nil)
	debug.SetSchedulerMode(startMode)
	runtime.GOMAXPROCS(maxprocs)

	n := started.Load()
	if f := finished.Load(); f != n {
		fail("%d workers started, %d finished", n, f)
	}
	for id := range n {
		if done[id/32].Load()&(1<<(id%32)) == 0 {
			fail("worker %d never finished", id)
		}
	}
	if c, e := hookCreates.Load(), hookExits.Load(); e > c {
		fail("OnGoroutineExit ran %d times, OnGoroutineCreate %d", e, c)
	}
	if failures.Load() != 0 {
		os.Exit(1)
	}
	fmt.Printf("OK: %d workers (cgo %v), %d drained in %v\n", n, haveCgo, left, drainTime.Round(time.Millisecond))
	if t := maxed.Load(); t != 0 {
		fmt.Printf("  the -max limit stopped the spawners after %v of %v\n", time.Duration(t).Round(time.Millisecond), *flagDuration)
	}
	for i, name := range opNames {
		fmt.Printf("  %s: %d\n", name, ops[i].Load())
	}
	for i, name := range chaosNames {
		fmt.Printf("  %s: %d\n", name, chaos[i].Load())
	}
	fmt.Printf("  hooks: %d creates, %d exits, %d thread starts\n", hookCreates.Load(), hookExits.Load(), threadStarts.Load())
}
