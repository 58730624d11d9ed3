// Suitediff compares two runs of the upstream test suite recorded with
// `go tool dist test -json` (test2json events), typically the fork's and the
// base's, and reports which tests fail on one and not the other.
//
// Usage:
//
//	suitediff [-md] fork.json base.json
//
// Each (package, test) is reduced to its last action: pass, fail or skip. A
// package whose run failed without naming a test (a build failure, a crash
// before the first test, a timeout) counts as a failure of the package itself.
// The exit status is 1 when a test fails on the fork but not on the base.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
)

type event struct {
	Action  string
	Package string
	Test    string
}

// result maps "package" or "package Test" to pass, fail or skip.
type result map[string]string

func load(name string) (result, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return parse(f)
}

func parse(r io.Reader) (result, error) {
	res := make(result)
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		line := sc.Bytes()
		if len(line) == 0 || line[0] != '{' {
			continue // dist's own text between the JSON events
		}
		var e event
		if err := json.Unmarshal(line, &e); err != nil {
			continue
		}
		switch e.Action {
		case "pass", "fail", "skip":
		default:
			continue
		}
		key := e.Package
		if e.Test != "" {
			key += " " + e.Test
		}
		res[key] = e.Action
	}
	return res, sc.Err()
}

// count returns how many keys have each action.
func (r result) count() (pass, fail, skip int) {
	return r.countIf(func(string) bool { return true })
}

// countTests is count for tests only, leaving out the packages' own results.
func (r result) countTests() (pass, fail, skip int) {
	return r.countIf(func(k string) bool { return strings.Contains(k, " ") })
}

func (r result) countIf(keep func(key string) bool) (pass, fail, skip int) {
	for k, a := range r {
		if !keep(k) {
			continue
		}
		switch a {
		case "pass":
			pass++
		case "fail":
			fail++
		case "skip":
			skip++
		}
	}
	return
}

func (r result) failed() []string {
	var out []string
	for k, a := range r {
		if a == "fail" {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// differ returns the keys both runs have whose results differ, other
// than failures (which the fail lists report): a pass on one run and a
// skip on the other.
func differ(fork, base result) []string {
	var out []string
	for k, a := range fork {
		if b, ok := base[k]; ok && a != b && a != "fail" && b != "fail" {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// onlyIn returns, for each package, how many results (the package's own
// and its tests') r has that other has not, as "package N" lines.
func onlyIn(r, other result) []string {
	n := make(map[string]int)
	for k := range r {
		if _, ok := other[k]; !ok {
			pkg, _, _ := strings.Cut(k, " ")
			n[pkg]++
		}
	}
	var out []string
	for pkg, c := range n {
		out = append(out, fmt.Sprintf("%s %d", pkg, c))
	}
	slices.Sort(out)
	return out
}

func main() {
	md := flag.Bool("md", false, "write Markdown")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: suitediff [-md] fork.json base.json")
		os.Exit(2)
	}
	flag.Parse()
	if flag.NArg() != 2 {
		flag.Usage()
	}
	fork, err := load(flag.Arg(0))
	if err != nil {
		fmt.Fprintln(os.Stderr, "suitediff:", err)
		os.Exit(2)
	}
	base, err := load(flag.Arg(1))
	if err != nil {
		fmt.Fprintln(os.Stderr, "suitediff:", err)
		os.Exit(2)
	}
	var forkOnly, both, baseOnly, missing []string
	for _, k := range fork.failed() {
		if base[k] == "fail" {
			both = append(both, k)
		} else {
			forkOnly = append(forkOnly, k)
		}
	}
	for _, k := range base.failed() {
		if fork[k] != "fail" {
			baseOnly = append(baseOnly, k)
		}
	}
	for k := range base {
		if _, ok := fork[k]; !ok && !strings.Contains(k, " ") {
			missing = append(missing, k)
		}
	}
	slices.Sort(missing)

	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	fp, ff, fs := fork.count()
	bp, bf, bs := base.count()
	if *md {
		fmt.Fprintf(w, "| run | pass | fail | skip |\n|---|---:|---:|---:|\n")
		fmt.Fprintf(w, "| fork | %d | %d | %d |\n| base | %d | %d | %d |\n\n", fp, ff, fs, bp, bf, bs)
	} else {
		fmt.Fprintf(w, "fork: %d pass, %d fail, %d skip (packages and tests)\n", fp, ff, fs)
		fmt.Fprintf(w, "base: %d pass, %d fail, %d skip (packages and tests)\n", bp, bf, bs)
	}
	tp, tf, ts := fork.countTests()
	fmt.Fprintf(w, "fork tests alone: %d pass, %d fail, %d skip\n", tp, tf, ts)
	tp, tf, ts = base.countTests()
	fmt.Fprintf(w, "base tests alone: %d pass, %d fail, %d skip\n", tp, tf, ts)
	if *md {
		fmt.Fprintln(w)
	}
	list := func(title string, keys []string) {
		if *md {
			fmt.Fprintf(w, "### %s (%d)\n\n", title, len(keys))
			for _, k := range keys {
				fmt.Fprintf(w, "- `%s`\n", k)
			}
			fmt.Fprintln(w)
			return
		}
		fmt.Fprintf(w, "%s: %d\n", title, len(keys))
		for _, k := range keys {
			fmt.Fprintf(w, "\t%s\n", k)
		}
	}
	list("Fail on the fork only", forkOnly)
	list("Fail on both (the sandbox, not the fork)", both)
	list("Fail on the base only", baseOnly)
	list("Packages run on the base but not on the fork", missing)
	list("Passed on one and skipped on the other", differ(fork, base))
	list("Results on the fork only, by package", onlyIn(fork, base))
	list("Results on the base only, by package", onlyIn(base, fork))
	w.Flush()
	if len(forkOnly) > 0 {
		os.Exit(1)
	}
}
