//go:build linux

// Numaguest prints the NUMA topology that Linux shows a Go program and
// checks it against the one asked for. It is the example program of
// ci/numa-qemu.bash, which boots it as /init of a qemu guest with -nodes
// NUMA nodes and -cpus CPUs:
//
//	ci/numa-qemu.bash -go /usr/local/go -nodes 2 -cpus 4 test/numaguest [-- -nodes 2 -cpus 4]
//
// It prints each node's cpulist and MemTotal from
// /sys/devices/system/node/node*/ (what the fork's NUMA detection reads),
// the sched_getaffinity mask, runtime.NumCPU and GOMAXPROCS, and exits 0 if
// there are -nodes nodes whose cpulists together hold -cpus CPUs, all of
// them in the affinity mask and counted by runtime.NumCPU; else 1. The
// flags default to $SCHEDX_NUMA_NODES and $SCHEDX_NUMA_CPUS, which the
// script passes on the kernel command line; a flag that is 0 is not checked.
// Built with the schedx fork, it also checks that the runtime detected the
// nodes that have CPUs (the /sched/numa/nodes:nodes metric), and that
// SchedNUMA keeps goroutines on their home node there: child processes
// run ping-pong pairs in the default mode and in SchedNUMA, and at least
// 0.6 of SchedNUMA's goroutine runs must be on the home node.
//
// On the host (not pid 1) it runs as an ordinary command.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"schedx.example/test/internal/guest"
)

func main() {
	if os.Getenv("NUMAGUEST_CHILD") != "" {
		os.Exit(child())
	}
	guest.Main(run)
}

func envInt(name string) int {
	n, _ := strconv.Atoi(os.Getenv(name))
	return n
}

func run() int {
	fs := flag.NewFlagSet("numaguest", flag.ContinueOnError)
	wantNodes := fs.Int("nodes", envInt("SCHEDX_NUMA_NODES"), "expected number of NUMA `nodes` (0: any)")
	wantCPUs := fs.Int("cpus", envInt("SCHEDX_NUMA_CPUS"), "expected number of `cpus` (0: any)")
	if err := fs.Parse(os.Args[1:]); err != nil {
		return 2
	}
	fmt.Printf("numaguest: args %q\n", os.Args[1:])
	if b, err := os.ReadFile("/proc/uptime"); err == nil {
		fmt.Printf("numaguest: uptime %s s at start\n", strings.Fields(string(b))[0])
	}

	ok := true
	fail := func(format string, args ...any) {
		fmt.Printf("numaguest: FAIL: "+format+"\n", args...)
		ok = false
	}

	dirs, _ := filepath.Glob("/sys/devices/system/node/node[0-9]*")
	slices.SortFunc(dirs, func(a, b string) int { return nodeNum(a) - nodeNum(b) })
	var all []int
	for _, dir := range dirs {
		b, err := os.ReadFile(filepath.Join(dir, "cpulist"))
		if err != nil {
			fail("%v", err)
			continue
		}
		list := strings.TrimSpace(string(b))
		cpus, err := parseCPUList(list)
		if err != nil {
			fail("%s/cpulist: %v", dir, err)
		}
		all = append(all, cpus...)
		fmt.Printf("numaguest: %s cpulist=%s (%d CPUs) %s\n",
			filepath.Base(dir), list, len(cpus), memTotal(dir))
	}
	if b, err := os.ReadFile("/sys/devices/system/node/node0/distance"); err == nil {
		fmt.Printf("numaguest: node0 distance=%s\n", strings.TrimSpace(string(b)))
	}
	aff, err := guest.Affinity()
	if err != nil {
		fail("sched_getaffinity: %v", err)
	}
	fmt.Printf("numaguest: sched_getaffinity=%s runtime.NumCPU()=%d GOMAXPROCS=%d\n",
		formatCPUList(aff), runtime.NumCPU(), runtime.GOMAXPROCS(0))

	slices.Sort(all)
	if len(dirs) == 0 {
		fail("no /sys/devices/system/node/node* (kernel without CONFIG_NUMA, or /sys not mounted)")
	}
	if *wantNodes > 0 && len(dirs) != *wantNodes {
		fail("%d nodes, want %d", len(dirs), *wantNodes)
	}
	if *wantCPUs > 0 && len(all) != *wantCPUs {
		fail("the nodes' cpulists hold %d CPUs, want %d", len(all), *wantCPUs)
	}
	if len(slices.Compact(slices.Clone(all))) != len(all) {
		fail("a CPU is in more than one node's cpulist")
	}
	if !slices.Equal(all, aff) {
		fail("the nodes' CPUs %s differ from the affinity mask %s", formatCPUList(all), formatCPUList(aff))
	}
	if runtime.NumCPU() != len(aff) {
		fail("runtime.NumCPU() = %d, affinity mask has %d CPUs", runtime.NumCPU(), len(aff))
	}
	// The fork's runtime reports the nodes it detected (schedext_numa.go):
	// the nodes with CPUs the process may use.
	withCPUs := 0
	for _, dir := range dirs {
		b, _ := os.ReadFile(filepath.Join(dir, "cpulist"))
		if cpus, _ := parseCPUList(strings.TrimSpace(string(b))); len(cpus) > 0 {
			withCPUs++
		}
	}
	const numaMetric = "/sched/numa/nodes:nodes"
	if hasMetric(numaMetric) {
		s := []metrics.Sample{{Name: numaMetric}}
		metrics.Read(s)
		got := s[0].Value.Uint64()
		fmt.Printf("numaguest: runtime: %s = %d\n", numaMetric, got)
		if got != uint64(withCPUs) {
			fail("the runtime detected %d nodes, sysfs has %d with CPUs", got, withCPUs)
		}
	} else {
		fmt.Printf("numaguest: runtime: no %s (not the schedx fork); detection not checked\n", numaMetric)
	}

	// Node-local scheduling on the detected nodes: the fork's SchedNUMA
	// against its default mode, in child processes (GODEBUG is read at
	// start-up), each running ping-pong pairs homed on one node.
	if withCPUs > 1 && hasMetric(numaMetric) {
		var frac [2]float64
		for i, godebug := range []string{"numastats=1", "schedmode=numa"} {
			cmd := exec.Command("/proc/self/exe")
			cmd.Env = append(os.Environ(), "NUMAGUEST_CHILD=1", "GODEBUG="+godebug)
			out, err := cmd.CombinedOutput()
			if _, serr := fmt.Sscanf(string(out), "home-frac=%g", &frac[i]); err != nil || serr != nil {
				fail("GODEBUG=%s child: %v %v: %q", godebug, err, serr, out)
			}
		}
		fmt.Printf("numaguest: goroutine runs on their home node: default mode %.2f, SchedNUMA %.2f\n", frac[0], frac[1])
		if frac[1] < 0.6 {
			fail("SchedNUMA ran only %.2f of the goroutine runs on their home node", frac[1])
		}
	}

	if !ok {
		return 1
	}
	fmt.Printf("numaguest: ok: %d nodes, %d CPUs\n", len(dirs), len(all))
	return 0
}

// nodeNum returns N of a path ending in nodeN.
func nodeNum(dir string) int {
	n, _ := strconv.Atoi(strings.TrimPrefix(filepath.Base(dir), "node"))
	return n
}

// memTotal returns "MemTotal=N kB" from a node's meminfo, or "".
func memTotal(dir string) string {
	b, err := os.ReadFile(filepath.Join(dir, "meminfo"))
	if err != nil {
		return ""
	}
	for line := range strings.Lines(string(b)) {
		// "Node 0 MemTotal:       253456 kB"
		f := strings.Fields(line)
		if len(f) >= 4 && f[2] == "MemTotal:" {
			return "MemTotal=" + f[3] + " kB"
		}
	}
	return ""
}

// parseCPUList parses a kernel CPU list such as "0-3,8,10-11" (an empty
// list, as a memory-only node has, is empty).
func parseCPUList(s string) ([]int, error) {
	var cpus []int
	if s == "" {
		return nil, nil
	}
	for r := range strings.SplitSeq(s, ",") {
		lo, hi, isRange := strings.Cut(r, "-")
		a, err := strconv.Atoi(lo)
		if err != nil {
			return nil, fmt.Errorf("bad CPU list %q", s)
		}
		b := a
		if isRange {
			if b, err = strconv.Atoi(hi); err != nil || b < a {
				return nil, fmt.Errorf("bad CPU list %q", s)
			}
		}
		for c := a; c <= b; c++ {
			cpus = append(cpus, c)
		}
	}
	return cpus, nil
}

// formatCPUList formats sorted CPUs as the kernel does: "0-3,8".
func formatCPUList(cpus []int) string {
	var parts []string
	for i := 0; i < len(cpus); {
		j := i
		for j+1 < len(cpus) && cpus[j+1] == cpus[j]+1 {
			j++
		}
		if j == i {
			parts = append(parts, strconv.Itoa(cpus[i]))
		} else {
			parts = append(parts, fmt.Sprintf("%d-%d", cpus[i], cpus[j]))
		}
		i = j + 1
	}
	if parts == nil {
		return "(none)"
	}
	return strings.Join(parts, ",")
}

// hasMetric reports whether runtime/metrics has name (the fork's NUMA
// metrics are not in stock Go).
func hasMetric(name string) bool {
	return slices.ContainsFunc(metrics.All(), func(d metrics.Description) bool { return d.Name == name })
}

// child runs two ping-pong pairs, created here and so homed on this
// goroutine's node, for 300ms and prints the fraction of goroutine runs
// on their home node (the fork's /sched/numa/runs metrics, which count
// in SchedNUMA and with GODEBUG=numastats=1).
func child() int {
	s := []metrics.Sample{{Name: "/sched/numa/runs/home:goroutines"}, {Name: "/sched/numa/runs/away:goroutines"}}
	read := func() (home, away uint64) {
		metrics.Read(s)
		return s[0].Value.Uint64(), s[1].Value.Uint64()
	}
	home0, away0 := read()
	deadline := time.Now().Add(300 * time.Millisecond)
	var wg sync.WaitGroup
	for range 2 {
		ping, pong := make(chan int), make(chan int)
		wg.Add(2)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) {
				ping <- 1
				<-pong
			}
			close(ping)
		}()
		go func() {
			defer wg.Done()
			for v := range ping {
				pong <- v
			}
		}()
	}
	wg.Wait()
	home1, away1 := read()
	home, away := home1-home0, away1-away0
	fmt.Printf("home-frac=%.3f runs=%d\n", float64(home)/float64(max(home+away, 1)), home+away)
	return 0
}
