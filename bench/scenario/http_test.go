package scenario

import (
	"bufio"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"schedx.example/bench/internal/latency"
)

// The HTTP scenario runs two processes besides the benchmark's own: a
// loopback server and a load generator (the client), each with GOMAXPROCS=1
// and pinned to its own CPU with taskset, so that the kernel's scheduler
// does not blur what Go's scheduler does in the server. Both are this test
// binary, re-executed with httpRoleEnv naming the role.
const (
	httpRoleEnv = "SCHEDX_HTTP_ROLE"   // "server" or "client"
	httpAddrEnv = "SCHEDX_HTTP_ADDR"   // the client's server address
	httpNEnv    = "SCHEDX_HTTP_N"      // the client's number of light requests
	httpLoadEnv = "SCHEDX_HTTP_HEAVY"  // the client's number of heavy clients
	httpCPUsEnv = "SCHEDX_HTTP_CPUS"   // "SERVER,CLIENT" CPUs; default "0,1"; "none" does not pin
	httpTaskset = "taskset"            // the pinning command (util-linux)
	httpLight   = "/light"             // the light endpoint
	httpHeavy   = "/heavy"             // the heavy endpoint
	httpResult  = "schedx-http-result" // prefix of the client's result line
)

const (
	// httpInterval is the light requests' fixed send interval (500 per
	// second): an open loop, each request sent at its intended time
	// whether or not earlier ones were answered, and its latency measured
	// from that time, so that a stalled server is charged for every
	// request it delays (no coordinated omission).
	httpInterval = 2 * time.Millisecond

	// httpHeavyClients is the number of closed-loop clients of the heavy
	// endpoint in the loaded variant: enough to keep the server's one P
	// busy with heavy handlers queued behind each other.
	httpHeavyClients = 4

	// httpHeavyBlocks is the heavy handler's work: SHA-256 over this many
	// 4 KiB blocks, about 20 ms on the reference machine (a 2-core VM
	// with SHA extensions, 1.3 GB/s). The work is fixed rather than
	// calibrated so that heavy throughput is comparable across
	// toolchains and runs.
	httpHeavyBlocks = 6400
)

// TestMain runs the HTTP scenario's server or client when the benchmark
// re-executes the test binary as one.
func TestMain(m *testing.M) {
	switch role := os.Getenv(httpRoleEnv); role {
	case "":
		os.Exit(m.Run())
	case "server":
		httpServe()
	case "client":
		if err := httpClient(); err != nil {
			fmt.Fprintln(os.Stderr, "http client:", err)
			os.Exit(1)
		}
	default:
		fmt.Fprintf(os.Stderr, "%s=%q: want server or client\n", httpRoleEnv, role)
		os.Exit(2)
	}
	os.Exit(0)
}

// BenchmarkHTTP measures the latency of a light HTTP endpoint while a
// heavy one saturates the server. One operation is one light request; its
// latency is from its intended send time to the response's arrival.
//
//   - unloaded: light requests only; the server's own latency floor.
//   - loaded: httpHeavyClients clients also call the heavy endpoint (about
//     20 ms of hashing) back to back, keeping the server's P busy; the
//     benchmark also reports their throughput (heavy-req/s).
//
// The server runs at High and the heavy handler lowers itself to Low with
// one call; the priorities act only in the fork's priority mode
// (GODEBUG=schedmode=priority, passed on to the server), so the same
// benchmark measures stock Go, the fork's default mode and its priority
// mode. The client runs without GODEBUG, the same in every configuration.
func BenchmarkHTTP(b *testing.B) {
	b.Run("unloaded", func(b *testing.B) { benchHTTP(b, 0) })
	b.Run("loaded", func(b *testing.B) { benchHTTP(b, httpHeavyClients) })
}

// httpResultData is what the client reports on its result line.
type httpResultData struct {
	Light   []time.Duration // latency of each light request
	Heavy   int             // heavy responses received while measuring
	Seconds float64         // length of the measurement
}

func benchHTTP(b *testing.B, heavy int) {
	serverCPU, clientCPU, err := httpCPUs()
	if err != nil {
		b.Fatal(err)
	}
	exe, err := os.Executable()
	if err != nil {
		b.Fatal(err)
	}

	server := httpCommand(exe, serverCPU, "server")
	server.Stderr = os.Stderr
	out, err := server.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := server.Start(); err != nil {
		b.Fatalf("starting server: %v", err)
	}
	defer func() {
		server.Process.Kill()
		server.Wait()
	}()
	addr, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		b.Fatalf("reading server address: %v", err)
	}

	client := httpCommand(exe, clientCPU, "client")
	client.Env = append(withoutGODEBUG(client.Env),
		httpAddrEnv+"="+strings.TrimSpace(addr),
		httpNEnv+"="+strconv.Itoa(b.N),
		httpLoadEnv+"="+strconv.Itoa(heavy))
	client.Stderr = os.Stderr
	b.ResetTimer()
	res, err := client.Output()
	b.StopTimer()
	if err != nil {
		b.Fatalf("client: %v", err)
	}
	var data httpResultData
	for line := range strings.Lines(string(res)) {
		if rest, ok := strings.CutPrefix(line, httpResult+" "); ok {
			if err := json.Unmarshal([]byte(rest), &data); err != nil {
				b.Fatalf("client result: %v", err)
			}
		}
	}
	if len(data.Light) != b.N {
		b.Fatalf("client reported %d light requests, want %d", len(data.Light), b.N)
	}
	lat := latency.NewRecorder(b.N)
	for _, d := range data.Light {
		lat.Record(d)
	}
	lat.Report(b)
	if heavy > 0 && data.Seconds > 0 {
		b.ReportMetric(float64(data.Heavy)/data.Seconds, "heavy-req/s")
	}
}

// httpCPUs returns the CPUs the server and the client are pinned to, or
// -1, -1 if they are not pinned.
func httpCPUs() (server, client int, err error) {
	spec := os.Getenv(httpCPUsEnv)
	switch spec {
	case "none":
		return -1, -1, nil
	case "":
		if runtime.NumCPU() < 2 {
			return -1, -1, fmt.Errorf("the HTTP scenario pins server and client to different CPUs and this machine has %d; set %s=none to run it unpinned", runtime.NumCPU(), httpCPUsEnv)
		}
		spec = "0,1"
	}
	s, c, ok := strings.Cut(spec, ",")
	server, err1 := strconv.Atoi(s)
	client, err2 := strconv.Atoi(c)
	if !ok || err1 != nil || err2 != nil || server < 0 || client < 0 || server == client {
		return 0, 0, fmt.Errorf("%s=%q: want two different CPU numbers SERVER,CLIENT, or none", httpCPUsEnv, spec)
	}
	if _, err := exec.LookPath(httpTaskset); err != nil {
		return 0, 0, fmt.Errorf("the HTTP scenario pins its processes with %s (util-linux): %v; set %s=none to run it unpinned", httpTaskset, err, httpCPUsEnv)
	}
	return server, client, nil
}

// httpCommand returns the command running this test binary as role, with
// GOMAXPROCS=1 and, if cpu >= 0, pinned to cpu.
func httpCommand(exe string, cpu int, role string) *exec.Cmd {
	var cmd *exec.Cmd
	if cpu >= 0 {
		cmd = exec.Command(httpTaskset, "-c", strconv.Itoa(cpu), exe)
	} else {
		cmd = exec.Command(exe)
	}
	cmd.Env = append(os.Environ(), "GOMAXPROCS=1", httpRoleEnv+"="+role)
	return cmd
}

func withoutGODEBUG(env []string) []string {
	var out []string
	for _, kv := range env {
		if !strings.HasPrefix(kv, "GODEBUG=") {
			out = append(out, kv)
		}
	}
	return out
}

// httpServe is the server process: it listens on a loopback port, prints
// the address, and serves until killed. It runs at High priority, which
// every connection's goroutine inherits; the heavy handler lowers itself to
// Low for the hashing and restores the priority when it returns (the
// connection's goroutine serves the connection's next request too).
func httpServe() {
	SetPriority(High)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, "http server:", err)
		os.Exit(1)
	}
	mux := http.NewServeMux()
	mux.HandleFunc(httpLight, func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "ok\n")
	})
	mux.HandleFunc(httpHeavy, func(w http.ResponseWriter, r *http.Request) {
		defer SetPriority(SetPriority(Low))
		sum := heavyWork(httpHeavyBlocks)
		fmt.Fprintf(w, "%x\n", sum[:4])
	})
	fmt.Println(ln.Addr())
	err = http.Serve(ln, mux)
	fmt.Fprintln(os.Stderr, "http server:", err)
	os.Exit(1)
}

// heavyWork hashes n 4 KiB blocks, one Write per block: CPU-bound work
// whose assembly inner loop (not asynchronously preemptible) returns to Go
// code every few microseconds.
func heavyWork(n int) [sha256.Size]byte {
	var block [4096]byte
	h := sha256.New()
	for i := range n {
		block[0] = byte(i)
		h.Write(block[:])
	}
	var sum [sha256.Size]byte
	h.Sum(sum[:0])
	return sum
}

// httpClient is the load generator: it sends the light requests at their
// fixed times while the heavy clients run, and prints the result line.
func httpClient() error {
	addr := os.Getenv(httpAddrEnv)
	n, err1 := strconv.Atoi(os.Getenv(httpNEnv))
	heavy, err2 := strconv.Atoi(os.Getenv(httpLoadEnv))
	if addr == "" || err1 != nil || err2 != nil || n < 1 || heavy < 0 {
		return fmt.Errorf("bad %s, %s or %s", httpAddrEnv, httpNEnv, httpLoadEnv)
	}
	lightURL := "http://" + addr + httpLight
	heavyURL := "http://" + addr + httpHeavy
	// Separate transports: light requests never wait for a connection
	// that a heavy request holds.
	light := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256}}
	heavyClient := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: heavy + 1}}

	// Open light connections before measuring: 32 concurrent requests,
	// twice, leave that many idle connections for the open loop.
	for range 2 {
		var wg sync.WaitGroup
		errs := make(chan error, 32)
		for range 32 {
			wg.Go(func() { errs <- get(light, lightURL) })
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				return err
			}
		}
	}

	var measuring atomic.Bool
	var heavyDone atomic.Int64
	heavyErr := make(chan error, heavy)
	for range heavy {
		go func() {
			for {
				if err := get(heavyClient, heavyURL); err != nil {
					heavyErr <- err
					return
				}
				if measuring.Load() {
					heavyDone.Add(1)
				}
			}
		}()
	}
	if heavy > 0 {
		// Let the heavy load saturate the server first.
		time.Sleep(20 * httpInterval * time.Duration(heavy))
	}

	lat := make([]time.Duration, n)
	errs := make(chan error, n)
	var wg sync.WaitGroup
	measuring.Store(true)
	start := time.Now()
	for i := range n {
		intended := start.Add(time.Duration(i) * httpInterval)
		sleepUntil(intended)
		wg.Go(func() {
			if err := get(light, lightURL); err != nil {
				errs <- err
				return
			}
			lat[i] = time.Since(intended)
		})
		select {
		case err := <-heavyErr:
			return fmt.Errorf("heavy request: %v", err)
		default:
		}
	}
	wg.Wait()
	secs := time.Since(start).Seconds()
	measuring.Store(false)
	close(errs)
	if err := <-errs; err != nil {
		return fmt.Errorf("light request: %v", err)
	}
	res, err := json.Marshal(httpResultData{Light: lat, Heavy: int(heavyDone.Load()), Seconds: secs})
	if err != nil {
		return err
	}
	fmt.Printf("%s %s\n", httpResult, res)
	return nil
}

// sleepUntil sleeps until t with a nanosleep system call rather than a
// runtime timer: on Linux an idle P waits for timers in epoll_wait, whose
// timeout is in milliseconds, so time.Sleep would send light requests up
// to 1 ms after their intended time, and charge that to the server.
func sleepUntil(t time.Time) {
	d := time.Until(t)
	if d <= 0 {
		return
	}
	ts := syscall.NsecToTimespec(d.Nanoseconds())
	for syscall.Nanosleep(&ts, &ts) == syscall.EINTR {
	}
}

// get sends one GET and reads the whole response.
func get(c *http.Client, url string) error {
	resp, err := c.Get(url)
	if err != nil {
		return err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if err == nil && resp.StatusCode != http.StatusOK {
		err = errors.New(resp.Status)
	}
	return err
}
