//go:build schedx_probes

package workload

import (
	"os"
	"runtime/debug"
	"time"
)

// With the schedx_probes tag (bench/probeworkload.bash builds with it and
// with -d=probes) and SCHEDX_PROBES_RECORD=1, the test binary records its
// probes for its whole run, as a profiler would: it starts the recorder and
// drains the buffers every millisecond from a goroutine, discarding the
// records. Without the variable, compiled-in probes only check that
// recording is off.
func init() {
	if os.Getenv("SCHEDX_PROBES_RECORD") != "1" {
		return
	}
	debug.StartProbes(1 << 16)
	go func() {
		buf := make([]debug.ProbeRecord, 4096)
		for range time.Tick(time.Millisecond) {
			for debug.ReadProbes(buf) == len(buf) {
			}
		}
	}()
}
