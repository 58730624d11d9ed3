// Package report writes a schedbench comparison as a Markdown report with
// SVG plots: the verdict and its A/A control, the command and machine, and
// per suite the benchstat-style tables, a throughput plot and latency
// percentile plots.
package report

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"schedx.example/bench/internal/analysis"
	"schedx.example/bench/internal/runner"
)

// Options configure Write.
type Options struct {
	Results *analysis.Results
	// ResultsPath is the raw results file the report is made from.
	ResultsPath string
	// Configs are the table columns; Configs[0] is the base.
	Configs []string
	// Verdicts judge the candidates against the base.
	Verdicts []analysis.Verdict
	// Control, if not nil, judges the A/A control against the base.
	Control *analysis.Verdict
	// Alpha is the significance level of the tables.
	Alpha float64
	// Path is the Markdown file to write; the SVGs go next to it, named
	// after it.
	Path string
	// ReportCommand is the command that wrote the report from the
	// results.
	ReportCommand string
}

// Write writes the report and its plots and returns the paths written.
func Write(o Options) ([]string, error) {
	dir := filepath.Dir(o.Path)
	stem := strings.TrimSuffix(filepath.Base(o.Path), filepath.Ext(o.Path))
	written := []string{}
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return nil, err
	}
	r := o.Results
	tables := r.Tables(o.Configs, o.Alpha)

	var b bytes.Buffer
	base := o.Configs[0]
	fmt.Fprintf(&b, "# schedx benchmarks: %s\n\n", strings.Join(o.Configs, ", "))
	fmt.Fprintf(&b, "Run %s on %s (%s logical CPUs, %s; %s), rounds: %s. Raw results: [%s](%s).\n\n",
		r.Run["run-start"], orUnknown(r.Run["host-cpu"]), orUnknown(r.Run["host-cores"]), orUnknown(r.Run["host-memory"]),
		orUnknown(r.Run["host-os"]), orUnknown(r.Run["run-count"]), filepath.Base(o.ResultsPath), relPath(dir, o.ResultsPath))
	if r.Run["run-short"] == "true" {
		b.WriteString("**This is a -short run (smoke test): too few benchmarks and rounds for conclusions.**\n\n")
	}

	b.WriteString("## Verdict\n\n")
	for _, v := range o.Verdicts {
		v.WriteMarkdown(&b)
		b.WriteString("\n")
	}
	if o.Control != nil {
		b.WriteString("A/A control (the same toolchain and settings under another name, measured in the same rounds: what the rule makes of pure noise):\n\n")
		o.Control.WriteMarkdown(&b)
		b.WriteString("\n")
	}
	if len(o.Verdicts) > 0 {
		fmt.Fprintf(&b, "Rule: %s See bench/README.md.\n\n", o.Verdicts[0].RuleText())
	} else {
		b.WriteString("No configuration in the default scheduler mode besides the base and its control: no verdict.\n\n")
	}

	b.WriteString("## Summary\n\n")
	writeSummary(&b, tables, o.Configs)

	b.WriteString("## How this was made\n\n")
	dirText := "`bench/`"
	if d := r.Run["run-dir"]; d != "" {
		dirText = "`" + d + "`"
	}
	fmt.Fprintf(&b, "Measured with (in %s):\n\n```\n%s\n```\n\n", dirText, orUnknown(r.Run["run-command"]))
	if o.ReportCommand != "" {
		fmt.Fprintf(&b, "This report was written from the raw results with:\n\n```\n%s\n```\n\n", o.ReportCommand)
	}
	b.WriteString("| machine | |\n| --- | --- |\n")
	for _, kv := range [][2]string{
		{"CPU", r.Run["host-cpu"]}, {"CPU (as the benchmarks report it)", r.Run["cpu"]},
		{"logical CPUs", r.Run["host-cores"]}, {"memory", r.Run["host-memory"]},
		{"OS", r.Run["host-os"]}, {"GOOS/GOARCH", r.Run["goos"] + "/" + r.Run["goarch"]},
	} {
		fmt.Fprintf(&b, "| %s | %s |\n", kv[0], mdCell(orUnknown(strings.TrimSpace(kv[1]))))
	}
	if loads := slices.Sorted(slices.Values(r.LoadAverages)); len(loads) > 0 {
		fmt.Fprintf(&b, "| load average (1 min) at the start of each run | median %.2f, max %.2f |\n", loads[len(loads)/2], loads[len(loads)-1])
	}
	b.WriteString("\n| configuration | toolchain | goversion | commit | mode | env |\n| --- | --- | --- | --- | --- | --- |\n")
	for _, name := range o.Configs {
		c, _ := r.Config(name)
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n", c.Name, mdCell(c.Toolchain), c.GoVersion, mdCell(c.Commit), c.Mode, mdCell(c.Env))
	}
	b.WriteString("\n")

	for _, suite := range r.Suites() {
		fmt.Fprintf(&b, "## %s\n\n", suite)
		if doc := suiteDoc(suite); doc != "" {
			fmt.Fprintf(&b, "%s.\n\n", upperFirst(doc))
		}
		var rest []analysis.Table
		for _, t := range tables {
			if t.Suite != suite {
				continue
			}
			if t.Unit != "sec/op" {
				rest = append(rest, t)
				continue
			}
			if len(o.Configs) > 1 && throughputSuite(suite) {
				svg := fmt.Sprintf("%s-throughput-%s.svg", stem, fileName(suite))
				ok, err := throughputPlot(t, filepath.Join(dir, svg))
				if err != nil {
					return written, fmt.Errorf("plotting %s: %v", suite, err)
				}
				if ok {
					written = append(written, filepath.Join(dir, svg))
					fmt.Fprintf(&b, "![%s throughput relative to %s](%s)\n\n"+
						"Throughput relative to %s: %s's median time per operation over each configuration's; whiskers are 95%% confidence intervals.\n\n",
						suite, base, svg, base, base)
				}
			}
			t.WriteMarkdown(&b)
			b.WriteString("\n")
		}
		// Latency percentiles: a plot per benchmark, then their tables.
		for _, bench := range r.Benches {
			if bench.Suite != suite || !hasLatency(r, bench) {
				continue
			}
			svg := fmt.Sprintf("%s-latency-%s.svg", stem, fileName(bench.Name))
			if err := latencyPlot(r, bench, o.Configs, o.Alpha, filepath.Join(dir, svg)); err != nil {
				return written, fmt.Errorf("plotting %s: %v", bench.Name, err)
			}
			written = append(written, filepath.Join(dir, svg))
			fmt.Fprintf(&b, "![%s latency percentiles](%s)\n\n"+
				"%s: each point is the median over rounds of a run's latency percentile; whiskers are 95%% confidence intervals.\n\n",
				bench.Name, svg, bench.Name)
		}
		var latency, other []analysis.Table
		for _, t := range rest {
			if latencyIndex(t.Unit) >= 0 {
				latency = append(latency, t)
			} else {
				other = append(other, t)
			}
		}
		slices.SortStableFunc(latency, func(a, b analysis.Table) int {
			return latencyIndex(a.Unit) - latencyIndex(b.Unit)
		})
		for _, t := range latency {
			t.WriteMarkdown(&b)
			b.WriteString("\n")
		}
		if len(other) > 0 {
			units := []string{}
			for _, t := range other {
				units = append(units, t.Unit)
			}
			fmt.Fprintf(&b, "<details><summary>%s: %s</summary>\n\n", suite, strings.Join(units, ", "))
			for _, t := range other {
				t.WriteMarkdown(&b)
				b.WriteString("\n")
			}
			b.WriteString("</details>\n\n")
		}
	}

	b.WriteString("## Reading this report\n\n")
	fmt.Fprintf(&b, "Each cell is the median over rounds and its 95%% confidence interval; \"vs %s\" is the change of the median, "+
		"or \"~\" when the Mann-Whitney U test (p-value and sample sizes shown) does not find the samples different at level %g, "+
		"as in benchstat. Times are per operation (lower is better); the plots show throughput, the inverse, relative to %s (higher is better). "+
		"The verdict is stricter than a table's \"+x%%\": with some fifty benchmarks a few differ at level %g by chance in every run, "+
		"so it holds the tests to a family-wise level (Holm) and compares geomeans round by round. "+
		"Compare the A/A control's column with the candidate's: differences the control shows too are the machine's noise.\n",
		base, o.Alpha, base, o.Alpha)

	if err := os.WriteFile(o.Path, b.Bytes(), 0o666); err != nil {
		return written, err
	}
	return append([]string{o.Path}, written...), nil
}

// writeSummary writes a table of the geomean change of each configuration
// against the base, per throughput suite, in time per operation.
func writeSummary(b *bytes.Buffer, tables []analysis.Table, configs []string) {
	if len(configs) < 2 {
		return
	}
	fmt.Fprintf(b, "Geomean of the median time per operation against %s (lower is better):\n\n", configs[0])
	fmt.Fprintf(b, "| suite | benchmarks | %s |\n| --- | ---: |%s\n", strings.Join(configs[1:], " | "), strings.Repeat(" ---: |", len(configs)-1))
	for _, t := range tables {
		if t.Unit != "sec/op" || !throughputSuite(t.Suite) {
			continue
		}
		cells := []string{}
		for i := 1; i < len(configs); i++ {
			switch {
			case t.Geomean != nil && t.Geomean.Deltas[i] != nil:
				cells = append(cells, fmt.Sprintf("%+.2f%%", (t.Geomean.Deltas[i].Ratio-1)*100))
			case len(t.Rows) == 1 && t.Rows[0].Deltas[i] != nil:
				cells = append(cells, fmt.Sprintf("%+.2f%%", (t.Rows[0].Deltas[i].Ratio-1)*100))
			default:
				cells = append(cells, "-")
			}
		}
		fmt.Fprintf(b, "| %s | %d | %s |\n", t.Suite, len(t.Rows), strings.Join(cells, " | "))
	}
	b.WriteString("\n")
}

// latencyIndex returns the position of unit in latencyPercentiles, or -1.
func latencyIndex(unit string) int {
	for i, lp := range latencyPercentiles {
		if lp.unit == unit {
			return i
		}
	}
	return -1
}

// throughputSuite reports whether the named suite's time per operation is
// a throughput (the gate suites), rather than, as in latency scenarios,
// the length of a wake-up cycle.
func throughputSuite(name string) bool {
	for _, s := range runner.Suites {
		if s.Name == name {
			return s.Gate
		}
	}
	return true
}

// suiteDoc returns the one-line description of the named suite.
func suiteDoc(name string) string {
	for _, s := range runner.Suites {
		if s.Name == name {
			doc := s.Doc
			if s.Kind == runner.GoBuild {
				doc += ": " + strings.Join(s.BuildPackages, " ")
			}
			return doc
		}
	}
	return ""
}

var unsafeFileChars = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// fileName turns a benchmark or suite name into a file name part.
func fileName(s string) string {
	return unsafeFileChars.ReplaceAllString(s, "_")
}

func relPath(dir, path string) string {
	if rel, err := filepath.Rel(dir, path); err == nil {
		return filepath.ToSlash(rel)
	}
	return path
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// mdCell escapes a value for a Markdown table cell.
func mdCell(s string) string {
	return strings.ReplaceAll(s, "|", `\|`)
}
