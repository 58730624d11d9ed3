package runner

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode"

	"schedx.example/bench/internal/latency"
	"schedx.example/bench/internal/runconfig"
)

// A Header describes a run; WriteHeader writes it at the top of the results
// as file-wide configuration keys.
type Header struct {
	// Command is the command line that produced the results.
	Command string
	// Dir, if not empty, is the directory Command ran in (the run-dir
	// key); empty means bench/.
	Dir string
	// Start is when the run started.
	Start time.Time
	// Count is the number of rounds.
	Count int
	// Short is set for -short runs.
	Short bool
	Host  Host
}

// unitMetadata are the "Unit" lines of the results: which direction is
// better for the units the benchmarks report beyond the testing package's
// own.
var unitMetadata = func() []string {
	var lines []string
	for _, u := range latency.Units {
		lines = append(lines, "Unit "+u+" better=lower")
	}
	return append(lines,
		"Unit req/s better=higher",
		"Unit heavy-req/s better=higher",
		"Unit user-ns/op better=lower",
		"Unit sys-ns/op better=lower",
	)
}()

// WriteHeader writes the head of a results file: a comment, unit metadata
// and the run-* and host-* keys.
func WriteHeader(w io.Writer, h Header) error {
	var b strings.Builder
	b.WriteString("# schedbench results in the Go benchmark format (go doc golang.org/x/perf/benchfmt).\n")
	b.WriteString("# Tables and verdict: go run ./cmd/schedbench compare FILE (in bench/).\n")
	b.WriteString("# Plain benchstat: go tool benchstat -table suite -col config -ignore round FILE\n")
	for _, l := range unitMetadata {
		b.WriteString(l + "\n")
	}
	short := "false"
	if h.Short {
		short = "true"
	}
	keys := []runconfig.Key{{Name: "run-command", Value: h.Command}}
	if h.Dir != "" {
		keys = append(keys, runconfig.Key{Name: "run-dir", Value: h.Dir})
	}
	for _, k := range append(keys, []runconfig.Key{
		{Name: "run-start", Value: h.Start.UTC().Format(time.RFC3339)},
		{Name: "run-count", Value: fmt.Sprint(h.Count)},
		{Name: "run-short", Value: short},
		{Name: "host-cpu", Value: h.Host.CPU},
		{Name: "host-cores", Value: fmt.Sprint(h.Host.Cores)},
		{Name: "host-memory", Value: h.Host.Memory},
		{Name: "host-os", Value: h.Host.OS},
	}...) {
		writeKey(&b, k)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteRun writes the results of one run: a blank line, the keys, and the
// benchmark result and configuration lines of output (the standard output
// of a test binary or equivalent). Other lines of output (PASS, logs) are
// left out.
func WriteRun(w io.Writer, keys []runconfig.Key, output []byte) error {
	var b bytes.Buffer
	b.WriteString("\n")
	for _, k := range keys {
		writeKey(&b, k)
	}
	sc := bufio.NewScanner(bytes.NewReader(output))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Bytes()
		if bytes.HasPrefix(line, []byte("Benchmark")) || isKeyLine(line) {
			b.Write(line)
			b.WriteByte('\n')
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	_, err := w.Write(b.Bytes())
	return err
}

// writeKey writes one "key: value" line, with line breaks in the value
// replaced by spaces. An empty value is written as "none": in the
// benchmark format an empty value deletes the key.
func writeKey(w io.Writer, k runconfig.Key) {
	v := strings.Join(strings.Fields(k.Value), " ")
	if v == "" {
		v = "none"
	}
	fmt.Fprintf(w, "%s: %s\n", k.Name, v)
}

// isKeyLine reports whether line is a configuration line of the benchmark
// format: a key that starts with a lower-case letter and holds no spaces
// or upper-case letters, a colon, and a space or the end of the line.
func isKeyLine(line []byte) bool {
	key, _, ok := bytes.Cut(line, []byte(":"))
	if !ok || len(key) == 0 {
		return false
	}
	for i, r := range string(key) {
		if i == 0 && !unicode.IsLower(r) || unicode.IsSpace(r) || unicode.IsUpper(r) {
			return false
		}
	}
	rest := line[len(key)+1:]
	return len(rest) == 0 || rest[0] == ' ' || rest[0] == '\t'
}
