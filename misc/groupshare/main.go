// Copyright 2026 The schedx Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// Groupshare measures goroutine groups (runtime.SchedGroup) against the
// bars of docs/proposals/goroutine-groups.md, on GOMAXPROCS=2 by default:
//
//   - shares: groups of weights 3 and 1, 8 CPU-bound goroutines each, in
//     the SchedFair mode: each group's share of the CPU over -d, by
//     CPUTime and by work done, and in every -window.
//   - limit: a group limited to 0.25 with 4 CPU-bound goroutines on an
//     otherwise idle machine: the fraction of GOMAXPROCS' CPU time it used
//     over -d, and in every -window.
//   - cputime: GoroutineCPUTime of a goroutine spinning alone, as a
//     fraction of the wall time, and of two spinners on GOMAXPROCS=1;
//     and whether it ever decreased.
//   - highwake: a High goroutine in a group of weight 1, woken every 2ms
//     beside 8 Normal spinners in a group of weight 1000, in the
//     priority+fair mode: its wake-up lateness percentiles.
//
// Usage:
//
//	go build -o groupshare . && ./groupshare -d 4s -svg /tmp/groups
//
// With -svg PREFIX it writes PREFIX-shares.svg and PREFIX-limit.svg, the
// windows over time. It exits with status 1 if a bar is missed.
package main

import (
	"flag"
	"fmt"
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

var sink atomic.Uint64

// spin runs in grp, counting units of work (1000 multiply-adds, no
// calls) in n until stop is set.
func spin(grp *runtime.SchedGroup, n *atomic.Uint64, stop *atomic.Bool, wg *sync.WaitGroup) {
	defer wg.Done()
	runtime.SetGoroutineGroup(grp)
	x := uint64(1)
	for !stop.Load() {
		for range 1000 {
			x = x*6364136223846793005 + 1442695040888963407
		}
		n.Add(1)
	}
	sink.Add(x)
}

var failed bool

// bar prints a bar's result and records a miss.
func bar(ok bool, format string, args ...any) {
	verdict := "ok  "
	if !ok {
		verdict, failed = "MISS", true
	}
	fmt.Printf("%s "+format+"\n", append([]any{verdict}, args...)...)
}

func main() {
	d := flag.Duration("d", 4*time.Second, "duration of each measurement")
	window := flag.Duration("window", 100*time.Millisecond, "window of the time series")
	procs := flag.Int("procs", 2, "GOMAXPROCS")
	svg := flag.String("svg", "", "write the time series as `PREFIX`-shares.svg and PREFIX-limit.svg")
	flag.Parse()
	if *d <= 0 || *window <= 0 || *window > *d || *procs < 1 {
		fmt.Fprintln(os.Stderr, "groupshare: want -d > 0, 0 < -window <= -d, -procs >= 1")
		os.Exit(2)
	}
	runtime.GOMAXPROCS(*procs)
	fmt.Printf("%s, %s, GOMAXPROCS=%d, %v runs, %v windows\n", runtime.Version(), runtime.GOARCH, *procs, *d, *window)

	shareSeries := shares(*d, *window, *procs)
	limitSeries := limit(*d, *window, *procs)
	cputime(*d)
	highwake(*d)

	if *svg != "" {
		writeSVG(*svg+"-shares.svg", "Weights 3:1, 8 spinners each: the weight-3 group's share of the CPU per window", *window,
			[]series{{"by CPUTime", "#1f77b4", shareSeries}}, 75, 3)
		writeSVG(*svg+"-limit.svg", fmt.Sprintf("Limit 0.25, 4 spinners, idle machine: CPU used, %% of %d Ps per window", *procs), *window,
			[]series{{"used", "#d62728", limitSeries}}, 25, 5)
	}
	if failed {
		os.Exit(1)
	}
}

// shares runs two groups of weights 3 and 1 with 8 spinners each, and
// returns the weight-3 group's share (%) of the CPU time in each window.
func shares(d, window time.Duration, procs int) []float64 {
	prev := debug.SetSchedulerMode(debug.SchedFair)
	defer debug.SetSchedulerMode(prev)
	heavy := runtime.NewSchedGroup("heavy", 3)
	light := runtime.NewSchedGroup("light", 1)
	var stop atomic.Bool
	var wg sync.WaitGroup
	var hn, ln atomic.Uint64
	for range 8 {
		wg.Add(2)
		go spin(heavy, &hn, &stop, &wg)
		go spin(light, &ln, &stop, &wg)
	}
	time.Sleep(window) // let the spinners join their groups
	h0, l0, hw0, lw0, t0 := heavy.CPUTime(), light.CPUTime(), hn.Load(), ln.Load(), time.Now()
	var series []float64
	hp, lp := h0, l0
	for end := time.Now().Add(d); time.Now().Before(end); {
		time.Sleep(window)
		h, l := heavy.CPUTime(), light.CPUTime()
		series = append(series, 100*float64(h-hp)/float64(h-hp+l-lp))
		hp, lp = h, l
	}
	h, l, hw, lw, elapsed := heavy.CPUTime()-h0, light.CPUTime()-l0, hn.Load()-hw0, ln.Load()-lw0, time.Since(t0)
	stop.Store(true)
	wg.Wait()
	byCPU := 100 * float64(h) / float64(h+l)
	byWork := 100 * float64(hw) / float64(hw+lw)
	total := 100 * float64(h+l) / (float64(procs) * float64(elapsed))
	bar(math.Abs(byCPU-75) <= 3, "shares: weights 3:1, 8 spinners each: %.1f%% / %.1f%% by CPUTime (bar 75/25 within 3)", byCPU, 100-byCPU)
	bar(math.Abs(byWork-75) <= 3, "shares: by work done: %.1f%% / %.1f%% (bar 75/25 within 3)", byWork, 100-byWork)
	fmt.Printf("     shares: the groups used %.1f%% of %d Ps; windows: %s\n", total, procs, summary(series, 75))
	return series
}

// limit runs 4 spinners in a group limited to 0.25 and returns the
// fraction (%) of procs Ps' time it used in each window.
func limit(d, window time.Duration, procs int) []float64 {
	prev := debug.SetSchedulerMode(debug.SchedFair)
	defer debug.SetSchedulerMode(prev)
	grp := runtime.NewSchedGroup("limited", 100)
	grp.SetCPULimit(0.25)
	var stop atomic.Bool
	var wg sync.WaitGroup
	var n atomic.Uint64
	for range 4 {
		wg.Add(1)
		go spin(grp, &n, &stop, &wg)
	}
	time.Sleep(window)
	var series []float64
	start, t0 := grp.CPUTime(), time.Now()
	prevCPU, prevT := start, t0
	for end := t0.Add(d); time.Now().Before(end); {
		time.Sleep(window)
		c, t := grp.CPUTime(), time.Now()
		series = append(series, 100*float64(c-prevCPU)/(float64(procs)*float64(t.Sub(prevT))))
		prevCPU, prevT = c, t
	}
	used := 100 * float64(prevCPU-start) / (float64(procs) * float64(prevT.Sub(t0)))
	stop.Store(true)
	wg.Wait()
	within := 0
	for _, v := range series {
		if math.Abs(v-25) <= 5 {
			within++
		}
	}
	frac := 100 * float64(within) / float64(len(series))
	bar(math.Abs(used-25) <= 3, "limit: 0.25, 4 spinners: used %.1f%% of %d Ps (bar 25 within 3)", used, procs)
	bar(frac >= 90, "limit: %.0f%% of %d windows within 5 points of 25%% (bar 90%%); windows: %s", frac, len(series), summary(series, 25))
	return series
}

// cputime checks GoroutineCPUTime: alone, two spinners sharing one P, and
// that it never decreases.
func cputime(d time.Duration) {
	procs := runtime.GOMAXPROCS(0)
	defer runtime.GOMAXPROCS(procs)

	// Alone: the goroutine reads its clock as it spins.
	c0, t0 := runtime.GoroutineCPUTime(), time.Now()
	last, decreased := c0, false
	for time.Since(t0) < d/2 {
		c := runtime.GoroutineCPUTime()
		if c < last {
			decreased = true
		}
		last = c
	}
	alone := 100 * float64(last-c0) / float64(time.Since(t0))
	bar(alone >= 95, "cputime: a spinner alone reports %.1f%% of the wall time (bar >= 95)", alone)

	// Two spinners on one P: each reads its own clock at the end.
	runtime.GOMAXPROCS(1)
	var stop atomic.Bool
	var wg sync.WaitGroup
	res := make([]int64, 2)
	var dec atomic.Bool
	for i := range res {
		wg.Go(func() {
			c0, l := runtime.GoroutineCPUTime(), int64(0)
			x := uint64(1)
			for !stop.Load() {
				for range 1000 {
					x = x*6364136223846793005 + 1442695040888963407
				}
				c := runtime.GoroutineCPUTime()
				if c < l {
					dec.Store(true)
				}
				l = c
			}
			sink.Add(x)
			res[i] = l - c0
		})
	}
	t1 := time.Now()
	time.Sleep(d / 2)
	stop.Store(true)
	wg.Wait()
	wall := float64(time.Since(t1))
	a, b := 100*float64(res[0])/wall, 100*float64(res[1])/wall
	bar(math.Abs(a-50) <= 5 && math.Abs(b-50) <= 5, "cputime: two spinners on GOMAXPROCS=1: %.1f%% and %.1f%% of the wall time (bar 50 within 5)", a, b)
	bar(!decreased && !dec.Load(), "cputime: never decreased: %v", !decreased && !dec.Load())
}

// highwake measures the wake-up lateness of a High goroutine in a group
// of weight 1 beside 8 Normal spinners in a group of weight 1000, in the
// priority+fair mode.
func highwake(d time.Duration) {
	prev := debug.SetSchedulerMode(debug.SchedPriority | debug.SchedFair)
	defer debug.SetSchedulerMode(prev)
	heavy := runtime.NewSchedGroup("heavy", 1000)
	light := runtime.NewSchedGroup("light", 1)
	var stop atomic.Bool
	var wg sync.WaitGroup
	var n atomic.Uint64
	for range 8 {
		wg.Add(1)
		go spin(heavy, &n, &stop, &wg) // Normal, as main is here
	}
	// main must run to stop the spinners; the waker inherits High.
	defer runtime.SetGoroutinePriority(runtime.SetGoroutinePriority(runtime.PriorityHigh))
	var late []time.Duration
	wg.Go(func() {
		runtime.SetGoroutineGroup(light)
		for end := time.Now().Add(d / 2); time.Now().Before(end); {
			t := time.Now()
			time.Sleep(2 * time.Millisecond)
			late = append(late, time.Since(t)-2*time.Millisecond)
		}
	})
	time.Sleep(d/2 + 10*time.Millisecond)
	stop.Store(true)
	wg.Wait()
	if len(late) == 0 {
		bar(false, "highwake: the High goroutine never woke")
		return
	}
	slices.Sort(late)
	p := func(q float64) time.Duration { return late[int(q*float64(len(late)-1))] }
	bar(p(0.99) < 5*time.Millisecond, "highwake: High in a weight-1 group beside 8 spinners of weight 1000: lateness p50 %v p99 %v max %v over %d wake-ups (bar p99 < 5ms)",
		p(0.5).Round(time.Microsecond), p(0.99).Round(time.Microsecond), late[len(late)-1].Round(time.Microsecond), len(late))
}

// summary describes a series of window values against a target.
func summary(s []float64, target float64) string {
	if len(s) == 0 {
		return "none"
	}
	c := slices.Clone(s)
	slices.Sort(c)
	worst := 0.0
	for _, v := range s {
		worst = max(worst, math.Abs(v-target))
	}
	return fmt.Sprintf("%d, median %.1f, min %.1f, max %.1f (worst %.1f points from %.0f)", len(s), c[len(c)/2], c[0], c[len(c)-1], worst, target)
}

type series struct {
	name, color string
	v           []float64
}

// writeSVG plots series over time (one point per window, 0..100%) with
// the target and its band.
func writeSVG(file, title string, window time.Duration, ss []series, target, band float64) {
	const w, h, left, right, top, bottom = 720.0, 300.0, 50.0, 20.0, 40.0, 40.0
	n := 0
	for _, s := range ss {
		n = max(n, len(s.v))
	}
	if n < 2 {
		return
	}
	x := func(i int) float64 { return left + float64(i)*(w-left-right)/float64(n-1) }
	y := func(v float64) float64 { return top + (100-v)*(h-top-bottom)/100 }
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" font-family="sans-serif" font-size="12">`+"\n", w, h)
	fmt.Fprintf(&b, `<rect width="100%%" height="100%%" fill="white"/>`+"\n")
	fmt.Fprintf(&b, `<text x="%.0f" y="20" font-size="13">%s</text>`+"\n", left, title)
	fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="#2ca02c" opacity="0.15"/>`+"\n", left, y(target+band), w-left-right, y(target-band)-y(target+band))
	for v := 0.0; v <= 100; v += 25 {
		fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="#ddd"/><text x="%.1f" y="%.1f" text-anchor="end">%.0f%%</text>`+"\n", left, w-right, y(v), y(v), left-5, y(v)+4, v)
	}
	fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="#2ca02c" stroke-dasharray="4 3"/>`+"\n", left, w-right, y(target), y(target))
	secs := float64(n) * window.Seconds()
	for i := 0; i <= 4; i++ {
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle">%.1fs</text>`+"\n", x(0)+float64(i)*(w-left-right)/4, h-bottom+18, secs*float64(i)/4)
	}
	for k, s := range ss {
		var pts strings.Builder
		for i, v := range s.v {
			fmt.Fprintf(&pts, "%.1f,%.1f ", x(i), y(v))
		}
		fmt.Fprintf(&b, `<polyline fill="none" stroke="%s" stroke-width="1.5" points="%s"/>`+"\n", s.color, pts.String())
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" fill="%s">%s</text>`+"\n", w-right-150, top+15+15*float64(k), s.color, s.name)
	}
	fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" fill="#2ca02c">target %.0f%% ± %.0f</text>`+"\n", w-right-150, top+15+15*float64(len(ss)), target, band)
	b.WriteString("</svg>\n")
	if err := os.WriteFile(file, []byte(b.String()), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "groupshare:", err)
		os.Exit(2)
	}
}
