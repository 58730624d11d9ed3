package main

import (
	"bytes"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"schedx.example/sched/view"
)

// snap is a snapshot of a program in the priority+fair mode.
func snap() *view.Snapshot {
	lat := func(p50, p99, p999 float64, n uint64) *view.Percentiles {
		return &view.Percentiles{Count: n, P50: p50, P99: p99, P999: p999}
	}
	cur := view.Sample{
		Time: time.Unix(1000, 0),
		Latency: view.Latencies{
			All:    lat(20e-6, 3e-3, 9e-3, 900),
			High:   lat(12e-6, 140e-6, 0.9e-3, 120),
			Normal: lat(30e-6, 2.5e-3, 8e-3, 700),
		},
		GCPerSec:          0.5,
		PreemptionsPerSec: 123,
	}
	hist := []view.Sample{cur, cur}
	hist[0].Latency.High = lat(12e-6, 10e-6, 1e-3, 3)
	return &view.Snapshot{
		Time:       time.Unix(1000, 0),
		Schedx:     true,
		GoVersion:  "go1.26.11",
		Mode:       "priority+fair",
		GOMAXPROCS: 2,
		NUMANodes:  1,
		Goroutines: view.Goroutines{Total: 57, Running: 2, Runnable: 5, Waiting: 50},
		Ps: []view.P{
			{ID: 0, Status: "running", Goroutine: 17, Level: "high", Queued: view.Queues{Normal: 1}, Viewer: true},
			{ID: 1, Status: "running", Goroutine: 23, Level: "normal", Inherited: false, Group: "batch-with-a-long-name", Queued: view.Queues{Low: 4}},
		},
		Global:  view.Queues{Normal: 3, Low: 1},
		Nodes:   []view.Queues{{}},
		Groups:  []view.Group{{ID: 1, Name: "batch-with-a-long-name", Weight: 50, CPULimit: 0.25, CPUSeconds: 12.34, Share: 0.248, Queued: 3, Throttled: true}},
		Current: &cur,
		History: hist,
	}
}

func TestRender(t *testing.T) {
	var b bytes.Buffer
	render(&b, snap(), "http://127.0.0.1:6060/debug/sched/snapshot.json")
	out := b.String()
	for _, want := range []string{
		"mode priority+fair   GOMAXPROCS 2   NUMA nodes 1   goroutines 57: 2 running, 5 runnable, 50 waiting",
		"policy preemptions 123/s",
		"  high        12µs    140µs    900µs      120  ",
		"  low                             no samples\n",
		"P   STATUS   NODE     GOROUTINE  LEVEL              GROUP             HIGH  NORMAL   LOW\n",
		"0   running     0     (view) 17  high               root                 0       1     0\n",
		"1   running     0            23  normal             batch-with-a-lo…     0       0     4\n",
		"global        0       3     1      4",
		"node 0        0       0     0      0",
		"batch-with-a-lo…      50    25%   24.8%     12.3s       3  yes",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("frame lacks %q:\n%s", want, out)
		}
	}
	for i, line := range strings.Split(out, "\n") {
		if n := len([]rune(line)); n > 120 {
			t.Errorf("line %d is %d columns wide: %q", i, n, line)
		}
	}
	if strings.Contains(out, "\x1b") {
		t.Errorf("frame has control codes")
	}
	if strings.Contains(out, " \n") {
		t.Errorf("frame has blanks at the end of lines:\n%s", out)
	}
}

func TestRenderStock(t *testing.T) {
	s := &view.Snapshot{Mode: "default", GOMAXPROCS: 4, GoVersion: "go1.26.8"}
	var b bytes.Buffer
	render(&b, s, "x")
	out := b.String()
	for _, want := range []string{"mode default", "NUMA nodes ?", "stock Go", "  all", "no samples"} {
		if !strings.Contains(out, want) {
			t.Errorf("frame lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "GROUP") || strings.Contains(out, "STATUS") {
		t.Errorf("stock frame shows Ps or groups:\n%s", out)
	}
}

func TestSnapshotURL(t *testing.T) {
	for in, want := range map[string]string{
		"http://h:1/debug/sched/":             "http://h:1/debug/sched/snapshot.json",
		"http://h:1/debug/sched":              "http://h:1/debug/sched/snapshot.json",
		"h:1/debug/sched/snapshot.json":       "http://h:1/debug/sched/snapshot.json",
		"https://h/x/snapshot.json?history=0": "https://h/x/snapshot.json?history=0",
		"127.0.0.1:6060":                      "http://127.0.0.1:6060/snapshot.json",
	} {
		got, err := snapshotURL(in)
		if got != want || err != nil {
			t.Errorf("snapshotURL(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}

// runTop runs schedtop with args and returns its exit status and output.
func runTop(args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	code := run(args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func TestErrors(t *testing.T) {
	// A port nobody listens on.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := "http://" + l.Addr().String() + "/debug/sched/"
	l.Close()

	html := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<html>not a view</html>"))
	}))
	defer html.Close()
	notFound := httptest.NewServer(http.NotFoundHandler())
	defer notFound.Close()

	for _, tt := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"-once", "ftp://h/x"}, 2, `schedtop: bad URL "ftp://h/x": want http://HOST:PORT/PATH of a scheduler view` + "\n"},
		{[]string{"-once", "http://"}, 2, `schedtop: bad URL "http://"`},
		{[]string{"-once", refused}, 1, "schedtop: cannot reach " + refused + "snapshot.json: connection refused\n"},
		{[]string{"-once", html.URL}, 1, "schedtop: " + html.URL + "/snapshot.json: not a scheduler view snapshot (text/html, invalid character '<' looking for beginning of value)\n"},
		{[]string{"-once", notFound.URL + "/debug/sched/"}, 1, "schedtop: " + notFound.URL + "/debug/sched/snapshot.json: HTTP 404 Not Found (is the scheduler view mounted there?)\n"},
		{[]string{}, 2, "usage: schedtop"},
		{[]string{"-interval", "0", "x"}, 2, "usage: schedtop"},
	} {
		code, stdout, stderr := runTop(tt.args...)
		if code != tt.code || !strings.HasPrefix(stderr, tt.msg) || stdout != "" {
			t.Errorf("schedtop %q: status %d, stdout %q, stderr %q; want status %d, stderr %q", tt.args, code, stdout, stderr, tt.code, tt.msg)
		}
		if tt.code == 1 && strings.Count(stderr, "\n") != 1 {
			t.Errorf("schedtop %q: error of more than one line: %q", tt.args, stderr)
		}
	}

	// Interactive, it says so and tries again.
	code, stdout, stderr := runTop("-n", "2", "-interval", "10ms", refused)
	if code != 1 || stderr != "" || strings.Count(stdout, "connection refused (retrying every 10ms)\n") != 2 {
		t.Errorf("schedtop -n 2 of a refused port: status %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}

// TestView runs schedtop against a live view of this process.
func TestView(t *testing.T) {
	mux := http.NewServeMux()
	mux.Handle("/debug/sched/", http.StripPrefix("/debug/sched", view.Handler()))
	srv := httptest.NewServer(mux)
	defer srv.Close()
	code, stdout, stderr := runTop("-n", "2", "-interval", "1100ms", srv.URL+"/debug/sched/")
	if code != 0 || stderr != "" {
		t.Fatalf("status %d, stderr %q", code, stderr)
	}
	for _, want := range []string{"schedtop  " + srv.URL + "/debug/sched/snapshot.json", "mode ", "GOMAXPROCS ", "LATENCY", "  all "} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
	// The fork's view shows processors, stock Go's says it has none.
	if strings.Contains(stdout, "stock Go") == strings.Contains(stdout, "STATUS") {
		t.Errorf("output:\n%s", stdout)
	}
}
