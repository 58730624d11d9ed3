// Copyright 2026 The schedx Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// Soak runs a loopback HTTP service built with the fork for a long time
// under a bounded load, switching the scheduler mode every few seconds,
// and checks that it stays correct and healthy throughout.
//
// The server (this program with -role server, started by the driver,
// GOMAXPROCS=1, pinned to one CPU with taskset when it is installed) has
// three handlers, each run at a priority level in a goroutine group:
//
//   - /high: PriorityHigh, group "interactive" (weight 1000): takes the
//     shared cache's sync.Mutex, copies an entry (1 KiB) and hashes it;
//   - /normal: PriorityNormal, group "api" (weight 300): hashes 64 KiB
//     it allocates, and replaces a cache entry under the Mutex;
//   - /low: PriorityLow, group "batch" (weight 100, CPU limit 0.6): about
//     20ms of SHA-256, a tenth of it holding the cache's Mutex in short
//     sections, so that High handlers wait for Low holders and priority
//     inheritance lends them the High level, over and over.
//
// A background goroutine keeps the garbage collector busy: 64 KiB
// allocated every millisecond into a 16 MiB ring (a constant live heap).
//
// The driver (this program without -role, pinned to another CPU) sends
// /high requests 200 times a second and /normal 100 times a second in
// open loops (each request's latency counts from the time it was due to
// be sent, so a stalled server is charged for every request it delays;
// at most 256 requests of a kind in flight: one more counts as an
// error), and keeps 3 /low requests in flight. Every -phase (5s) it
// switches the server's mode, in turn: priority, priority+fair, default,
// fair, priority+numa, priority+numa+fair, numa, chaos (the NUMA policy
// on the one node of the server's one CPU: a fake two-node topology needs
// two usable CPUs). Every second it
// reads the server's goroutine count, live heap and resident memory.
//
// Bars, checked at the end (exit status 1 if one is missed):
//
//   - no error: every request answered 200 with the right body within 5s;
//   - in every phase whose mode includes priority, the /high requests'
//     p99 latency is at most -bar (2ms: the priority issue's bar for a
//     High goroutine that takes a Mutex Low goroutines hold);
//   - no growth: over the run's last fifth, the goroutine count's
//     maximum is at most 20 over its maximum in the second fifth, and
//     the live heap's and resident memory's medians at most 25% over
//     theirs (the first fifth is warm-up).
//
// Usage:
//
//	go build -o /tmp/soak . && /tmp/soak -d 1h -o /tmp/soak
//
// It writes PREFIX-phases.csv (a line per phase), PREFIX-seconds.csv (a
// line per second), PREFIX-latency.svg and PREFIX-memory.svg (the series
// over time) and prints a summary.
package main

import (
	"bufio"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

var (
	flagRole     = flag.String("role", "", "server: run the HTTP server (the driver starts it)")
	flagDuration = flag.Duration("d", time.Hour, "how long to run")
	flagPhase    = flag.Duration("phase", 5*time.Second, "how long each scheduler mode lasts")
	flagOut      = flag.String("o", "soak", "write PREFIX-phases.csv, PREFIX-seconds.csv, PREFIX-latency.svg and PREFIX-memory.svg")
	flagBar      = flag.Duration("bar", 0, "the /high p99 bar in the modes with priority (0: twice the unloaded server's p99)")
	flagUnloaded = flag.Duration("unloaded", 10*time.Second, "how long to measure /high alone first, on the unloaded server")
	flagCPUs     = flag.String("cpus", "0,1", "SERVER,DRIVER CPUs to pin to with taskset, or none")
	flagModes    = flag.String("modes", "priority,priority+fair,default,fair,priority+numa,priority+numa+fair,numa,chaos", "the scheduler modes to switch through, in turn")
	flagLimit    = flag.Float64("limit", 0.6, "the batch group's CPU limit (0: none)")
)

const (
	highInterval   = 5 * time.Millisecond  // /high: 200 a second
	normalInterval = 10 * time.Millisecond // /normal: 100 a second
	lowClients     = 3                     // /low requests in flight
	maxInFlight    = 256                   // per open loop
	requestTimeout = 5 * time.Second
	pinnedEnv      = "SCHEDX_SOAK_PINNED" // set when the driver re-ran itself under taskset
)

func main() {
	flag.Parse()
	if *flagRole == "server" {
		server()
		return
	}
	if *flagRole != "" {
		fatalf("-role %q: want server or nothing", *flagRole)
	}
	if *flagPhase <= 0 || *flagDuration < 5**flagPhase {
		fatalf("-d %v, -phase %v: want a positive phase and at least 5 phases", *flagDuration, *flagPhase)
	}
	cpus := strings.Split(*flagCPUs, ",")
	if *flagCPUs != "none" && len(cpus) != 2 {
		fatalf("-cpus %q: want SERVER,DRIVER or none", *flagCPUs)
	}
	pin := *flagCPUs != "none"
	if pin {
		if _, err := exec.LookPath("taskset"); err != nil {
			fmt.Println("soak: no taskset; the processes are not pinned")
			pin = false
		}
	}
	if pin && os.Getenv(pinnedEnv) == "" {
		// Run again pinned to the driver's CPU.
		self, err := os.Executable()
		if err != nil {
			fatalf("%v", err)
		}
		cmd := exec.Command("taskset", append([]string{"-c", cpus[1], self}, os.Args[1:]...)...)
		cmd.Env = append(os.Environ(), pinnedEnv+"=1")
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		if err := cmd.Run(); err != nil {
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				os.Exit(ee.ExitCode())
			}
			fatalf("%v", err)
		}
		return
	}
	runtime.GOMAXPROCS(1)
	modes = strings.Split(*flagModes, ",")
	drive(pin, cpus)
}

func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "soak: "+format+"\n", args...)
	os.Exit(2)
}

// The modes the driver switches through (-modes).
var modes []string

// The server.

var (
	cacheMu sync.Mutex
	cache   [1024][]byte // 1 KiB entries
	garbage [256][]byte  // the background allocator's ring
)

func server() {
	interactive := runtime.NewSchedGroup("interactive", 1000)
	api := runtime.NewSchedGroup("api", 300)
	batch := runtime.NewSchedGroup("batch", 100)
	batch.SetCPULimit(*flagLimit)
	for i := range cache {
		cache[i] = entry(uint64(i))
	}
	go func() { // GC pressure
		for i := 0; ; i++ {
			garbage[i%len(garbage)] = make([]byte, 64<<10)
			time.Sleep(time.Millisecond)
		}
	}()

	as := func(prio runtime.Priority, grp *runtime.SchedGroup, h func(w http.ResponseWriter, r *http.Request)) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			defer runtime.SetGoroutinePriority(runtime.SetGoroutinePriority(prio))
			defer runtime.SetGoroutineGroup(runtime.SetGoroutineGroup(grp))
			h(w, r)
		}
	}
	mux := http.NewServeMux()
	mux.Handle("/high", as(runtime.PriorityHigh, interactive, func(w http.ResponseWriter, r *http.Request) {
		k, _ := strconv.Atoi(r.URL.Query().Get("k"))
		k &= len(cache) - 1
		cacheMu.Lock()
		b := slices.Clone(cache[k])
		cacheMu.Unlock()
		sum := sha256.Sum256(b)
		fmt.Fprintf(w, "%d %x", k, sum[:4])
	}))
	mux.Handle("/normal", as(runtime.PriorityNormal, api, func(w http.ResponseWriter, r *http.Request) {
		k, _ := strconv.Atoi(r.URL.Query().Get("k"))
		k &= len(cache) - 1
		b := make([]byte, 64<<10)
		for i := range b {
			b[i] = byte(i ^ k)
		}
		sum := sha256.Sum256(b)
		e := entry(uint64(k))
		cacheMu.Lock()
		cache[k] = e
		cacheMu.Unlock()
		fmt.Fprintf(w, "%d %x", k, sum[:4])
	}))
	mux.Handle("/low", as(runtime.PriorityLow, batch, func(w http.ResponseWriter, r *http.Request) {
		block := make([]byte, 128<<10)
		h := sha256.New()
		for i := range 20 {
			// About 1ms of hashing, a tenth of it holding the Mutex.
			cacheMu.Lock()
			h.Write(block)
			cacheMu.Unlock()
			for range 9 {
				block[i]++
				h.Write(block)
			}
		}
		fmt.Fprintf(w, "low %x", h.Sum(nil)[:4])
	}))
	mux.HandleFunc("/mode", func(w http.ResponseWriter, r *http.Request) {
		m, err := debug.ParseSchedulerMode(r.URL.Query().Get("m"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		debug.SetSchedulerMode(m)
		fmt.Fprint(w, debug.CurrentSchedulerMode())
	})
	mux.HandleFunc("/stats", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(readStats())
	})

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fatalf("%v", err)
	}
	fmt.Println("listening", ln.Addr())
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	fatalf("serve: %v", srv.Serve(ln))
}

// entry returns cache entry k's contents.
func entry(k uint64) []byte {
	b := make([]byte, 1024)
	for i := range b {
		b[i] = byte(k + uint64(i))
	}
	return b
}

// stats is the server's health, read every second.
type stats struct {
	Goroutines int
	HeapLive   uint64 // bytes, /gc/heap/live:bytes
	RSS        uint64 // bytes, VmRSS
	GCs        uint64
	Mode       string
}

func readStats() stats {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}, {Name: "/gc/cycles/total:gc-cycles"}}
	metrics.Read(s)
	st := stats{
		Goroutines: runtime.NumGoroutine(),
		HeapLive:   s[0].Value.Uint64(),
		GCs:        s[1].Value.Uint64(),
		Mode:       debug.CurrentSchedulerMode().String(),
	}
	if b, err := os.ReadFile("/proc/self/status"); err == nil {
		for line := range strings.Lines(string(b)) {
			if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
				kb, _ := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
				st.RSS = kb << 10
			}
		}
	}
	return st
}

// The driver.

// A phase is one mode's turn and what its requests saw.
type phase struct {
	start   time.Duration // since the run's start
	mode    string
	high    []time.Duration
	normal  []time.Duration
	low     int
	errors  int
	lastErr string
}

type driver struct {
	base   string
	client *http.Client
	start  time.Time

	mu     sync.Mutex
	phases []*phase
	errs   int
}

// cur returns the current phase. d.mu must be held.
func (d *driver) cur() *phase { return d.phases[len(d.phases)-1] }

func (d *driver) fail(err string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	p := d.cur()
	p.errors++
	p.lastErr = err
	d.errs++
}

// get fetches path and checks the answer's status and body prefix.
func (d *driver) get(path, want string) error {
	resp, err := d.client.Get(d.base + path)
	if err != nil {
		return err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(string(body), want) {
		return fmt.Errorf("GET %s: %s %q", path, resp.Status, body)
	}
	return nil
}

// openLoop sends path?k=N every interval until end, recording latencies
// from the time each request was due, in the phase it was due in.
func (d *driver) openLoop(path string, interval time.Duration, end time.Time, record func(p *phase, lat time.Duration), wg *sync.WaitGroup) {
	defer wg.Done()
	var inflight atomic.Int64
	var reqs sync.WaitGroup
	for i, due := 0, time.Now(); due.Before(end); i, due = i+1, due.Add(interval) {
		time.Sleep(time.Until(due))
		if inflight.Load() >= maxInFlight {
			d.fail(fmt.Sprintf("%s: %d requests in flight", path, maxInFlight))
			continue
		}
		inflight.Add(1)
		reqs.Add(1)
		d.mu.Lock()
		p := d.cur() // a request counts in the phase it was due in
		d.mu.Unlock()
		go func() {
			defer reqs.Done()
			defer inflight.Add(-1)
			k := i % 1024
			if err := d.get(fmt.Sprintf("%s?k=%d", path, k), strconv.Itoa(k)+" "); err != nil {
				d.fail(err.Error())
				return
			}
			lat := time.Since(due)
			d.mu.Lock()
			record(p, lat)
			d.mu.Unlock()
		}()
	}
	reqs.Wait()
}

func drive(pin bool, cpus []string) {
	self, err := os.Executable()
	if err != nil {
		fatalf("%v", err)
	}
	args := []string{self, "-role", "server", "-limit", fmt.Sprint(*flagLimit)}
	if pin {
		args = append([]string{"taskset", "-c", cpus[0]}, args...)
	}
	srv := exec.Command(args[0], args[1:]...)
	srv.Env = append(os.Environ(), "GOMAXPROCS=1", "GOTRACEBACK=crash")
	srv.Stderr = os.Stderr
	out, err := srv.StdoutPipe()
	if err != nil {
		fatalf("%v", err)
	}
	if err := srv.Start(); err != nil {
		fatalf("start the server: %v", err)
	}
	sc := bufio.NewScanner(out)
	if !sc.Scan() {
		fatalf("the server printed no address")
	}
	addr, ok := strings.CutPrefix(sc.Text(), "listening ")
	if !ok {
		fatalf("the server printed %q", sc.Text())
	}
	go io.Copy(os.Stdout, out)
	exited := make(chan error, 1)
	go func() { exited <- srv.Wait() }()

	d := &driver{
		base: "http://" + addr,
		client: &http.Client{
			Timeout:   requestTimeout,
			Transport: &http.Transport{MaxIdleConnsPerHost: 2 * maxInFlight, MaxConnsPerHost: 0},
		},
		start: time.Now(),
	}
	fmt.Printf("soak: %v, a mode every %v, server %s (GOMAXPROCS=1%s), go %s\n",
		*flagDuration, *flagPhase, addr, map[bool]string{true: ", CPU " + cpus[0]}[pin], runtime.Version())

	// The unloaded server: /high alone, in the default mode.
	d.phases = []*phase{{mode: "unloaded (default)"}}
	var wg sync.WaitGroup
	wg.Add(1)
	d.openLoop("/high", highInterval, time.Now().Add(*flagUnloaded), func(p *phase, lat time.Duration) { p.high = append(p.high, lat) }, &wg)
	unloaded := slices.Sorted(slices.Values(d.phases[0].high))
	if *flagBar == 0 {
		*flagBar = 2 * percentile(unloaded, 0.99)
	}
	fmt.Printf("unloaded /high p99 %.3fms; bar %.3fms\n", ms(percentile(unloaded, 0.99)), ms(*flagBar))

	d.mu.Lock()
	d.phases = append(d.phases, &phase{start: time.Since(d.start), mode: "warm-up (default)"})
	d.mu.Unlock()
	end := time.Now().Add(*flagDuration)

	wg.Add(2 + lowClients)
	go d.openLoop("/high", highInterval, end, func(p *phase, lat time.Duration) { p.high = append(p.high, lat) }, &wg)
	go d.openLoop("/normal", normalInterval, end, func(p *phase, lat time.Duration) { p.normal = append(p.normal, lat) }, &wg)
	for range lowClients {
		go func() {
			defer wg.Done()
			for time.Now().Before(end) {
				if err := d.get("/low", "low "); err != nil {
					d.fail(err.Error())
					time.Sleep(10 * time.Millisecond)
					continue
				}
				d.mu.Lock()
				d.cur().low++
				d.mu.Unlock()
			}
		}()
	}

	// Every second: the server's health. Every phase: the next mode.
	var secs []stats
	var secsAt []time.Duration
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	nextPhase := time.Now().Add(*flagPhase) // the first phase is warm-up, in the default mode
	for i := 0; ; {
		now := time.Now()
		if !now.Before(end) {
			break
		}
		if !now.Before(nextPhase) {
			m := modes[i%len(modes)]
			i++
			var got string
			if resp, err := d.client.Get(d.base + "/mode?m=" + url.QueryEscape(m)); err != nil {
				d.fail("switch to " + m + ": " + err.Error())
			} else {
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				got = string(b)
				if resp.StatusCode != http.StatusOK || got != m {
					d.fail(fmt.Sprintf("switch to %s: %s %q", m, resp.Status, got))
				}
			}
			d.mu.Lock()
			d.phases = append(d.phases, &phase{start: time.Since(d.start), mode: m})
			d.mu.Unlock()
			nextPhase = nextPhase.Add(*flagPhase)
		}
		select {
		case err := <-exited:
			fatalf("the server exited: %v", err)
		case <-tick.C:
		case <-time.After(time.Until(nextPhase)):
			continue
		}
		resp, err := d.client.Get(d.base + "/stats")
		if err != nil {
			d.fail("stats: " + err.Error())
			continue
		}
		var st stats
		err = json.NewDecoder(resp.Body).Decode(&st)
		resp.Body.Close()
		if err != nil {
			d.fail("stats: " + err.Error())
			continue
		}
		secs = append(secs, st)
		secsAt = append(secsAt, time.Since(d.start))
	}
	wg.Wait()
	srv.Process.Kill()
	<-exited
	os.Exit(report(d, secs, secsAt))
}

// percentile returns the p-th percentile (0 < p <= 1) of sorted v: the
// smallest value at least a fraction p of v is at most.
func percentile(v []time.Duration, p float64) time.Duration {
	if len(v) == 0 {
		return 0
	}
	return v[max(0, int(math.Ceil(p*float64(len(v))))-1)]
}

func ms(d time.Duration) float64 { return float64(d) / 1e6 }

// report writes the files, prints the summary and returns the exit
// status.
func report(d *driver, secs []stats, secsAt []time.Duration) int {
	failed := false
	var csv strings.Builder
	csv.WriteString("start_s,mode,high_n,high_p50_ms,high_p99_ms,high_p999_ms,high_max_ms,normal_n,normal_p99_ms,low_n,errors\n")
	var worst struct {
		p99  time.Duration
		mode string
		at   time.Duration
	}
	var prioPhases, missed int
	var p99s []time.Duration
	for _, p := range d.phases {
		slices.Sort(p.high)
		slices.Sort(p.normal)
		p99 := percentile(p.high, 0.99)
		fmt.Fprintf(&csv, "%.1f,%s,%d,%.3f,%.3f,%.3f,%.3f,%d,%.3f,%d,%d\n", p.start.Seconds(), p.mode, len(p.high),
			ms(percentile(p.high, 0.5)), ms(p99), ms(percentile(p.high, 0.999)), ms(percentile(p.high, 1)),
			len(p.normal), ms(percentile(p.normal, 0.99)), p.low, p.errors)
		if p.errors > 0 {
			fmt.Printf("FAIL: %d errors in phase %s at %v; the last: %s\n", p.errors, p.mode, p.start.Round(time.Second), p.lastErr)
			failed = true
		}
		if !strings.Contains(p.mode, "priority") {
			continue
		}
		prioPhases++
		p99s = append(p99s, p99)
		if p99 > worst.p99 {
			worst.p99, worst.mode, worst.at = p99, p.mode, p.start
		}
		if p99 > *flagBar {
			missed++
			fmt.Printf("FAIL: /high p99 %.3fms > %v in phase %s at %v (%d requests)\n", ms(p99), *flagBar, p.mode, p.start.Round(time.Second), len(p.high))
			failed = true
		}
	}
	writeFile(*flagOut+"-phases.csv", csv.String())

	csv.Reset()
	csv.WriteString("t_s,mode,goroutines,heap_live_mib,rss_mib,gc_cycles\n")
	for i, s := range secs {
		fmt.Fprintf(&csv, "%.1f,%s,%d,%.2f,%.2f,%d\n", secsAt[i].Seconds(), s.Mode, s.Goroutines, float64(s.HeapLive)/(1<<20), float64(s.RSS)/(1<<20), s.GCs)
	}
	writeFile(*flagOut+"-seconds.csv", csv.String())

	// Growth: the second fifth against the last.
	n := len(secs)
	a, b := secs[n/5:2*n/5], secs[4*n/5:]
	maxG := func(s []stats) int {
		m := 0
		for _, x := range s {
			m = max(m, x.Goroutines)
		}
		return m
	}
	med := func(s []stats, f func(stats) uint64) uint64 {
		v := make([]uint64, len(s))
		for i, x := range s {
			v[i] = f(x)
		}
		slices.Sort(v)
		return v[len(v)/2]
	}
	heap := func(s stats) uint64 { return s.HeapLive }
	rss := func(s stats) uint64 { return s.RSS }
	if ga, gb := maxG(a), maxG(b); gb > ga+20 {
		fmt.Printf("FAIL: goroutines grew: at most %d in the second fifth, %d in the last\n", ga, gb)
		failed = true
	}
	for _, c := range []struct {
		name string
		f    func(stats) uint64
	}{{"live heap", heap}, {"resident memory", rss}} {
		if ma, mb := med(a, c.f), med(b, c.f); float64(mb) > 1.25*float64(ma) {
			fmt.Printf("FAIL: %s grew: median %.1f MiB in the second fifth, %.1f MiB in the last\n", c.name, float64(ma)/(1<<20), float64(mb)/(1<<20))
			failed = true
		}
	}

	var highN, normalN, lowN int
	for _, p := range d.phases {
		highN += len(p.high)
		normalN += len(p.normal)
		lowN += p.low
	}
	slices.Sort(p99s)
	fmt.Printf("requests: %d /high, %d /normal, %d /low; errors: %d; GC cycles: %d\n", highN, normalN, lowN, d.errs, secs[n-1].GCs-secs[0].GCs)
	fmt.Printf("/high p99 per phase with priority (%d phases, bar %v): median %.3fms, worst %.3fms (%s at %v); %d over the bar\n",
		prioPhases, *flagBar, ms(percentile(p99s, 0.5)), ms(worst.p99), worst.mode, worst.at.Round(time.Second), missed)
	fmt.Printf("goroutines: max %d (second fifth) / %d (last fifth); live heap median %.1f / %.1f MiB; RSS median %.1f / %.1f MiB\n",
		maxG(a), maxG(b), float64(med(a, heap))/(1<<20), float64(med(b, heap))/(1<<20), float64(med(a, rss))/(1<<20), float64(med(b, rss))/(1<<20))

	plotLatency(d.phases)
	plotMemory(secs, secsAt)
	if failed {
		return 1
	}
	fmt.Println("OK")
	return 0
}

func writeFile(name, s string) {
	if err := os.WriteFile(name, []byte(s), 0o644); err != nil {
		fatalf("%v", err)
	}
}

// An svg is a chart with a time axis.
type svg struct {
	b                              strings.Builder
	w, h, left, right, top, bottom float64
	tmax, ymax                     float64
}

func newSVG(title, ylabel string, tmax, ymax float64) *svg {
	s := &svg{w: 900, h: 320, left: 60, right: 20, top: 40, bottom: 40, tmax: tmax, ymax: ymax}
	fmt.Fprintf(&s.b, `<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" font-family="sans-serif" font-size="12">`+"\n", s.w, s.h)
	fmt.Fprintf(&s.b, `<rect width="100%%" height="100%%" fill="white"/>`+"\n")
	fmt.Fprintf(&s.b, `<text x="%.0f" y="20" font-size="13">%s</text>`+"\n", s.left, title)
	for i := 0; i <= 4; i++ {
		v := ymax * float64(i) / 4
		fmt.Fprintf(&s.b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="#ddd"/><text x="%.1f" y="%.1f" text-anchor="end">%.3g</text>`+"\n",
			s.left, s.w-s.right, s.y(v), s.y(v), s.left-5, s.y(v)+4, v)
	}
	fmt.Fprintf(&s.b, `<text x="12" y="%.1f" transform="rotate(-90 12 %.1f)" text-anchor="middle">%s</text>`+"\n", s.h/2, s.h/2, ylabel)
	for i := 0; i <= 6; i++ {
		t := tmax * float64(i) / 6
		fmt.Fprintf(&s.b, `<text x="%.1f" y="%.1f" text-anchor="middle">%.0f min</text>`+"\n", s.x(t), s.h-s.bottom+18, t/60)
	}
	return s
}

func (s *svg) x(t float64) float64 { return s.left + t*(s.w-s.left-s.right)/s.tmax }
func (s *svg) y(v float64) float64 {
	return s.top + (s.ymax-min(v, s.ymax))*(s.h-s.top-s.bottom)/s.ymax
}

func (s *svg) line(t, v []float64, color, name string, k int) {
	var pts strings.Builder
	for i := range t {
		fmt.Fprintf(&pts, "%.1f,%.1f ", s.x(t[i]), s.y(v[i]))
	}
	fmt.Fprintf(&s.b, `<polyline fill="none" stroke="%s" stroke-width="1" points="%s"/>`+"\n", color, pts.String())
	s.legend(color, name, k)
}

func (s *svg) dots(t, v []float64, color, name string, k int) {
	for i := range t {
		fmt.Fprintf(&s.b, `<circle cx="%.1f" cy="%.1f" r="1.6" fill="%s"/>`+"\n", s.x(t[i]), s.y(v[i]), color)
	}
	s.legend(color, name, k)
}

func (s *svg) legend(color, name string, k int) {
	fmt.Fprintf(&s.b, `<text x="%.1f" y="%.1f" fill="%s" text-anchor="end">%s</text>`+"\n", s.w-s.right-5, s.top+15+15*float64(k), color, name)
}

func (s *svg) write(name string) {
	s.b.WriteString("</svg>\n")
	writeFile(name, s.b.String())
}

func plotLatency(phases []*phase) {
	var tp, vp, to, vo []float64
	ymax := 2 * ms(*flagBar)
	for _, p := range phases[1:] {
		t, v := p.start.Seconds(), ms(percentile(p.high, 0.99))
		if strings.Contains(p.mode, "priority") {
			tp, vp = append(tp, t), append(vp, v)
		} else {
			to, vo = append(to, t), append(vo, v)
		}
	}
	tmax := (*flagDuration + *flagUnloaded).Seconds()
	s := newSVG(fmt.Sprintf("/high p99 per %v phase (clipped at %.1f ms): modes with priority (bar %.2f ms, dashed), and the others", *flagPhase, ymax, ms(*flagBar)), "ms", tmax, ymax)
	fmt.Fprintf(&s.b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="#d62728" stroke-dasharray="4 3"/>`+"\n", s.left, s.w-s.right, s.y(ms(*flagBar)), s.y(ms(*flagBar)))
	s.dots(to, vo, "#999999", "default, fair, numa, chaos", 0)
	s.dots(tp, vp, "#1f77b4", "priority modes", 1)
	s.write(*flagOut + "-latency.svg")
}

func plotMemory(secs []stats, at []time.Duration) {
	t := make([]float64, len(secs))
	heap, rss, gs := make([]float64, len(secs)), make([]float64, len(secs)), make([]float64, len(secs))
	ymax := 0.0
	for i, s := range secs {
		t[i] = at[i].Seconds()
		heap[i], rss[i], gs[i] = float64(s.HeapLive)/(1<<20), float64(s.RSS)/(1<<20), float64(s.Goroutines)
		ymax = max(ymax, rss[i], heap[i], gs[i])
	}
	ymax = math.Ceil(ymax/10) * 10
	s := newSVG("The server's resident memory and live heap (MiB) and goroutines, every second", "MiB / goroutines", (*flagDuration + *flagUnloaded).Seconds(), ymax)
	s.line(t, rss, "#ff7f0e", "resident memory (MiB)", 0)
	s.line(t, heap, "#1f77b4", "live heap (MiB)", 1)
	s.line(t, gs, "#2ca02c", "goroutines", 2)
	s.write(*flagOut + "-memory.svg")
}
