package runner

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
)

// A Host describes the machine the benchmarks run on.
type Host struct {
	// CPU is the processor's model name.
	CPU string
	// Cores is the number of logical CPUs.
	Cores int
	// Memory is the total memory, e.g. "23 GiB".
	Memory string
	// OS is the kernel name, release and machine (uname -srm).
	OS string
}

// ThisHost describes the machine running it, as far as it can find out.
func ThisHost() Host {
	h := Host{CPU: "unknown", Cores: runtime.NumCPU(), Memory: "unknown", OS: runtime.GOOS + "/" + runtime.GOARCH}
	if v := procField("/proc/cpuinfo", "model name"); v != "" {
		h.CPU = v
	}
	if v := procField("/proc/meminfo", "MemTotal"); v != "" {
		// "24596312 kB"
		if kb, err := strconv.ParseFloat(strings.Fields(v)[0], 64); err == nil {
			h.Memory = fmt.Sprintf("%.0f GiB", kb/(1<<20))
		}
	}
	if out, err := exec.Command("uname", "-srm").Output(); err == nil {
		h.OS = strings.TrimSpace(string(out))
	}
	return h
}

// LoadAverage returns the 1-minute load average (the first field of
// /proc/loadavg), or "unknown".
func LoadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) > 0 {
		return f[0]
	}
	return "unknown"
}

// procField returns the value of the first "name : value" line of a /proc
// file, or "".
func procField(file, name string) string {
	b, err := os.ReadFile(file)
	if err != nil {
		return ""
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(k) == name {
			return strings.TrimSpace(v)
		}
	}
	return ""
}
