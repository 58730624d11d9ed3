package workload

import (
	"context"
	"fmt"
	"hash/fnv"
	"io"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"schedx.example/bench/internal/latency"
)

// httpClients is the number of concurrent client connections of
// BenchmarkHTTP; with GOMAXPROCS=2 they keep both Ps and the network poller
// busy.
const httpClients = 16

// httpLoadTimeout bounds one run of the load generator in time; b.N bounds
// it in requests.
const httpLoadTimeout = 2 * time.Minute

// httpBody is the 1 KiB response body.
var httpBody = func() []byte {
	b := make([]byte, 1024)
	for i := range b {
		b[i] = 'a' + byte(i%26)
	}
	return b
}()

// httpHandler answers every request with a small hash-derived header and
// the 1 KiB body: a little CPU work per request, like a real endpoint.
func httpHandler(w http.ResponseWriter, r *http.Request) {
	h := fnv.New64a()
	for range 16 {
		io.WriteString(h, r.URL.Path)
		h.Write(httpBody[:256])
	}
	w.Header().Set("X-Sum", fmt.Sprintf("%016x", h.Sum64()))
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Write(httpBody)
}

// BenchmarkHTTP measures an HTTP/1.1 server and its clients in one process
// on loopback: httpClients keep-alive connections send b.N GET requests in
// total. It reports throughput (req/s) and the client-side latency
// percentiles of the requests (p50-ns, p99-ns, p999-ns, max-ns). Traffic
// goes only to 127.0.0.1, and the load stops after b.N requests or
// httpLoadTimeout, whichever comes first.
func BenchmarkHTTP(b *testing.B) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(httpHandler)}
	go srv.Serve(ln)
	defer srv.Close()

	tr := &http.Transport{MaxIdleConnsPerHost: httpClients, DisableCompression: true}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr}
	url := "http://" + ln.Addr().String() + "/item"

	ctx, cancel := context.WithTimeout(context.Background(), httpLoadTimeout)
	defer cancel()
	lat := latency.NewRecorder(b.N)
	var next atomic.Int64
	var failed atomic.Pointer[error]
	var wg sync.WaitGroup
	b.ReportAllocs()
	b.ResetTimer()
	for range httpClients {
		wg.Go(func() {
			for next.Add(1) <= int64(b.N) && ctx.Err() == nil {
				start := time.Now()
				if err := httpGet(ctx, client, url); err != nil {
					failed.CompareAndSwap(nil, &err)
					cancel()
					return
				}
				lat.Record(time.Since(start))
			}
		})
	}
	wg.Wait()
	b.StopTimer()
	if err := failed.Load(); err != nil {
		b.Fatalf("request failed: %v", *err)
	}
	if n := lat.Len(); n < b.N {
		b.Fatalf("load generator stopped after %v with %d of %d requests done", httpLoadTimeout, n, b.N)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
	lat.Report(b)
}

// httpGet fetches url and reads the whole body.
func httpGet(ctx context.Context, client *http.Client, url string) error {
	req, err := http.NewRequestWithContext(ctx, "GET", url, nil)
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	n, err := io.Copy(io.Discard, resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK || n != int64(len(httpBody)) {
		return fmt.Errorf("status %s, %d bytes", resp.Status, n)
	}
	return nil
}
