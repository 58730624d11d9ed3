// Schedtop shows a live view of a Go program's scheduler in a terminal,
// like top: the mode, what each processor runs, the run queues, the
// goroutine groups, and the scheduling latency of each priority level.
// It reads the JSON snapshot of the view that package
// schedx.example/sched/view serves on the program's debug server.
//
// Usage:
//
//	schedtop [-interval 1s] [-n N] [-once] URL
//
// URL is where the view is mounted (http://127.0.0.1:6060/debug/sched/)
// or its snapshot (.../snapshot.json); "http://" may be left out.
// schedtop redraws the screen every interval until interrupted; with -n
// it stops after N frames, and with -once it prints one frame without
// terminal control codes, for scripts. When it cannot reach or read its
// target it says so in one line and, unless -once, tries again each
// interval. It exits with status 1 if the last attempt failed, and 2 for
// bad arguments.
//
// The latency columns are the percentiles of the last interval of the
// program's sampler (one second), and the last column plots p99 over the
// last minute, one character a second, on a logarithmic scale shared by
// the levels.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"mime"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"syscall"
	"time"

	"schedx.example/sched/view"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run runs schedtop with args and returns its exit status.
func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("schedtop", flag.ContinueOnError)
	fs.SetOutput(stderr)
	interval := fs.Duration("interval", time.Second, "time between frames")
	n := fs.Int("n", 0, "stop after `N` frames (0: run until interrupted)")
	once := fs.Bool("once", false, "print one frame, without terminal control codes, and exit")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: schedtop [-interval 1s] [-n N] [-once] URL\n\n"+
			"URL is the scheduler view of a program (package schedx.example/sched/view),\n"+
			"e.g. http://127.0.0.1:6060/debug/sched/, or its snapshot.json.\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 1 || *interval <= 0 || *n < 0 {
		fs.Usage()
		return 2
	}
	target, err := snapshotURL(fs.Arg(0))
	if err != nil {
		fmt.Fprintf(stderr, "schedtop: %v\n", err)
		return 2
	}
	client := &http.Client{Timeout: max(2*time.Second, *interval)}
	if *once {
		snap, err := fetch(client, target)
		if err != nil {
			fmt.Fprintf(stderr, "schedtop: %v\n", err)
			return 1
		}
		render(stdout, snap, target)
		return 0
	}
	ansi := isTerminal(stdout)
	status := 0
	for i := 0; *n == 0 || i < *n; i++ {
		if i > 0 {
			time.Sleep(*interval)
		}
		var buf bytes.Buffer
		if ansi {
			buf.WriteString("\x1b[H\x1b[2J") // home, clear
		}
		snap, err := fetch(client, target)
		if err != nil {
			fmt.Fprintf(&buf, "schedtop: %v (retrying every %v)\n", err, *interval)
			status = 1
		} else {
			render(&buf, snap, target)
			status = 0
		}
		if !ansi && i > 0 {
			stdout.Write([]byte("\n"))
		}
		stdout.Write(buf.Bytes())
	}
	return status
}

// snapshotURL returns the URL of the snapshot that raw, the URL of a view
// or of its snapshot, names.
func snapshotURL(raw string) (string, error) {
	s := raw
	if !strings.Contains(s, "://") {
		s = "http://" + s
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("bad URL %q: want http://HOST:PORT/PATH of a scheduler view", raw)
	}
	switch {
	case strings.HasSuffix(u.Path, ".json"):
	case strings.HasSuffix(u.Path, "/"):
		u.Path += "snapshot.json"
	default:
		u.Path += "/snapshot.json"
	}
	return u.String(), nil
}

// fetch reads the snapshot at target. Its errors are one line that says
// what went wrong with target.
func fetch(client *http.Client, target string) (*view.Snapshot, error) {
	resp, err := client.Get(target)
	if err != nil {
		return nil, fmt.Errorf("cannot reach %s: %s", target, reason(err))
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %s", target, reason(err))
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s: HTTP %s (is the scheduler view mounted there?)", target, resp.Status)
	}
	var snap view.Snapshot
	if err := json.Unmarshal(body, &snap); err != nil || snap.GOMAXPROCS == 0 {
		ct, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
		if err == nil {
			err = errors.New("no gomaxprocs")
		}
		return nil, fmt.Errorf("%s: not a scheduler view snapshot (%s, %s)", target, orNone(ct), err)
	}
	return &snap, nil
}

// reason shortens a network error to its cause.
func reason(err error) string {
	var op *net.OpError
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused"
	case errors.As(err, &op):
		return op.Err.Error()
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		if ue.Timeout() {
			return "timed out"
		}
		return ue.Err.Error()
	}
	return err.Error()
}

func orNone(s string) string {
	if s == "" {
		return "no Content-Type"
	}
	return s
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// render writes a frame: at most 120 columns.
func render(w io.Writer, s *view.Snapshot, target string) {
	p := func(format string, args ...any) { fmt.Fprintf(w, format, args...) }
	c := s.Current
	if c == nil {
		c = &view.Sample{} // the sampler's first second
	}
	p("schedtop  %s  %s  %s\n", target, s.Time.Local().Format("15:04:05"), s.GoVersion)
	nodes := "?"
	if s.NUMANodes > 0 {
		nodes = fmt.Sprint(s.NUMANodes)
	}
	g := s.Goroutines
	p("mode %s   GOMAXPROCS %d   NUMA nodes %s   goroutines %d: %d running, %d runnable, %d waiting, %d not in Go\n",
		s.Mode, s.GOMAXPROCS, nodes, g.Total, g.Running, g.Runnable, g.Waiting, g.NotInGo)
	if s.Schedx {
		p("GC %s/s   policy preemptions %s/s, steals %s/s, wake-ups %s/s   group throttles %s/s\n",
			rate(c.GCPerSec), rate(c.PreemptionsPerSec), rate(c.StealsPerSec), rate(c.WakeupsPerSec), rate(c.ThrottlesPerSec))
	} else {
		p("GC %s/s   (stock Go: no processors, levels or groups)\n", rate(c.GCPerSec))
	}

	p("\nLATENCY        p50      p99    p99.9  samples  p99, last minute\n")
	levels := []struct {
		name string
		get  func(*view.Latencies) *view.Percentiles
	}{
		{"high", func(l *view.Latencies) *view.Percentiles { return l.High }},
		{"normal", func(l *view.Latencies) *view.Percentiles { return l.Normal }},
		{"low", func(l *view.Latencies) *view.Percentiles { return l.Low }},
		{"all", func(l *view.Latencies) *view.Percentiles { return l.All }},
	}
	hist := s.History
	if len(hist) > 60 {
		hist = hist[len(hist)-60:]
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, h := range hist {
		for _, lv := range levels {
			if q := lv.get(&h.Latency); q != nil && q.P99 > 0 {
				lo, hi = min(lo, q.P99), max(hi, q.P99)
			}
		}
	}
	for _, lv := range levels {
		var line string
		if q := lv.get(&c.Latency); q == nil {
			line = fmt.Sprintf("  %-7s %34s", lv.name, "no samples")
		} else {
			line = fmt.Sprintf("  %-7s %8s %8s %8s %8d", lv.name, dur(q.P50), dur(q.P99), dur(q.P999), q.Count)
		}
		p("%s\n", strings.TrimRight(line+"  "+spark(hist, lv.get, lo, hi), " "))
	}

	if len(s.Ps) > 0 {
		const row = "%-3v %-8v %4v  %12v  %-17v  %-16v %5v %7v %5v\n"
		p("\n"+row, "P", "STATUS", "NODE", "GOROUTINE", "LEVEL", "GROUP", "HIGH", "NORMAL", "LOW")
		for _, pp := range s.Ps {
			gid, level, group := "-", "-", "-"
			if pp.Goroutine != 0 {
				gid, level, group = fmt.Sprint(pp.Goroutine), pp.Level, orRoot(pp.Group)
				if pp.Viewer {
					gid = "(view) " + gid
				}
				if pp.Inherited {
					level += " (inherited)"
				}
			}
			p(row, pp.ID, pp.Status, pp.Node, gid, level, trunc(group, 16),
				pp.Queued.High, pp.Queued.Normal, pp.Queued.Low)
		}
	}
	if s.Schedx {
		p("\nQUEUE      HIGH  NORMAL   LOW  TOTAL\n")
		p("%-8s %6d %7d %5d %6d\n", "global", s.Global.High, s.Global.Normal, s.Global.Low, s.Global.Total())
		for i, q := range s.Nodes {
			p("%-8s %6d %7d %5d %6d\n", fmt.Sprintf("node %d", i), q.High, q.Normal, q.Low, q.Total())
		}
		p("\nGROUP             WEIGHT  LIMIT   SHARE  CPU TIME  QUEUED  THROTTLED\n")
		if len(s.Groups) == 0 {
			p("(none)\n")
		}
		for _, gr := range s.Groups {
			limit := "-"
			if gr.CPULimit > 0 {
				limit = fmt.Sprintf("%.0f%%", gr.CPULimit*100)
			}
			throttled := "no"
			if gr.Throttled {
				throttled = "yes"
			}
			p("%-16s %7d %6s %6.1f%% %8.1fs %7d  %s\n", trunc(gr.Name, 16), gr.Weight, limit, gr.Share*100, gr.CPUSeconds, gr.Queued, throttled)
		}
	}
}

// spark draws one character per sample of hist: the p99 of level on a
// logarithmic scale from lo to hi, a blank where there is none.
func spark(hist []view.Sample, level func(*view.Latencies) *view.Percentiles, lo, hi float64) string {
	const bars = "▁▂▃▄▅▆▇█"
	steps := []rune(bars)
	var b strings.Builder
	for i := range hist {
		q := level(&hist[i].Latency)
		if q == nil || q.P99 <= 0 {
			b.WriteByte(' ')
			continue
		}
		k := 0
		if hi > lo {
			k = int(math.Round(float64(len(steps)-1) * math.Log(q.P99/lo) / math.Log(hi/lo)))
		}
		b.WriteRune(steps[min(max(k, 0), len(steps)-1)])
	}
	return strings.TrimRight(b.String(), " ")
}

// dur formats seconds as a duration: 850ns, 12.3µs, 1.25ms, 2.1s.
func dur(s float64) string {
	// The bounds keep three digits from rounding up to 1000.
	switch {
	case s < 0.9995e-6:
		return fmt.Sprintf("%.0fns", s*1e9)
	case s < 0.9995e-3:
		return trimZeros(fmt.Sprintf("%.3g", s*1e6)) + "µs"
	case s < 0.9995:
		return trimZeros(fmt.Sprintf("%.3g", s*1e3)) + "ms"
	}
	return trimZeros(fmt.Sprintf("%.3g", s)) + "s"
}

func trimZeros(s string) string {
	if strings.Contains(s, ".") && !strings.Contains(s, "e") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

func rate(x float64) string {
	switch {
	case x >= 100:
		return fmt.Sprintf("%.0f", x)
	case x >= 10:
		return fmt.Sprintf("%.1f", x)
	}
	return fmt.Sprintf("%.2f", x)
}

func orRoot(group string) string {
	if group == "" {
		return "root"
	}
	return group
}

func trunc(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
