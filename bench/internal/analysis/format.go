package analysis

import (
	"fmt"
	"io"
	"strings"
)

// Summary returns the verdict in one line, e.g.
// "fork vs stock: PASS (geomean +0.41% p=0.33; regressions 0, improvements 2 of 58 benchmarks)".
func (v Verdict) Summary() string {
	if !v.Decided {
		return fmt.Sprintf("%s vs %s: NO VERDICT (%s)", v.Candidate, v.Base, v.Reason)
	}
	return fmt.Sprintf("%s vs %s: %s (geomean %s p=%.3g; regressions %d, improvements %d of %d benchmarks)",
		v.Candidate, v.Base, v.Status(), pct(v.GeomeanChange), v.GeomeanP,
		len(v.Regressions()), len(v.Improvements()), len(v.Benches))
}

// RuleText describes the rule in a sentence.
func (v Verdict) RuleText() string {
	r := v.Rule
	return fmt.Sprintf("gate set: %d benchmarks of suites %s in %s. A benchmark regresses if the Mann-Whitney U test rejects at family-wise level %g (Holm) and its median is worse by more than %s; the gate set regresses if the per-round geometric means differ (paired t-test over rounds, level %g) and the geomean of the median ratios is worse by more than %s.",
		len(v.Benches), strings.Join(r.Suites, ", "), r.Unit, r.Alpha, percent(r.Threshold), r.Alpha, percent(r.GeomeanThreshold))
}

// WriteText writes the verdict with its rule, geomean and the regressed and
// improved benchmarks.
func (v Verdict) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "verdict %s\n", v.Summary())
	fmt.Fprintf(&b, "  %s\n", v.RuleText())
	if v.Decided {
		fmt.Fprintf(&b, "  geomean %s (p=%.3g over %d rounds)%s\n", pct(v.GeomeanChange), v.GeomeanP, v.GeomeanRounds, flag(v.GeomeanRegression))
	}
	for _, l := range v.benchLines() {
		fmt.Fprintf(&b, "  %s\n", l)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteMarkdown writes the verdict as a Markdown section body.
func (v Verdict) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "**%s vs %s: %s**", v.Candidate, v.Base, v.Status())
	if !v.Decided {
		fmt.Fprintf(&b, " (%s)", v.Reason)
	}
	b.WriteString("\n\n")
	if v.Decided {
		fmt.Fprintf(&b, "- geomean %s (p=%.3g over %d rounds)%s\n", pct(v.GeomeanChange), v.GeomeanP, v.GeomeanRounds, flag(v.GeomeanRegression))
	}
	for _, l := range v.benchLines() {
		fmt.Fprintf(&b, "- %s\n", mdEscape(l))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// benchLines lists the regressions, the improvements, the significant
// changes within the threshold, and missing benchmarks.
func (v Verdict) benchLines() []string {
	if !v.Decided {
		return nil
	}
	var lines []string
	list := func(title string, bs []BenchVerdict) {
		if len(bs) == 0 {
			lines = append(lines, title+": none")
			return
		}
		var items []string
		for _, b := range bs {
			items = append(items, fmt.Sprintf("%s %s (p=%.2g < %.2g)", b.Bench.Name, pct(b.Change), b.P, b.Level))
		}
		lines = append(lines, fmt.Sprintf("%s (%d): %s", title, len(bs), strings.Join(items, ", ")))
	}
	list("regressions", v.Regressions())
	list("improvements", v.Improvements())
	small := 0
	for _, b := range v.Benches {
		if b.Significant && !b.Regression && !b.Improvement {
			small++
		}
	}
	if small > 0 {
		lines = append(lines, fmt.Sprintf("significant but within %s: %d", percent(v.Rule.Threshold), small))
	}
	if len(v.Missing) > 0 {
		var names []string
		for _, b := range v.Missing {
			names = append(names, b.Name)
		}
		lines = append(lines, fmt.Sprintf("not compared (ran under one configuration only): %s", strings.Join(names, ", ")))
	}
	return lines
}

// percent formats a fraction as a percentage: 0.02 is "2%".
func percent(f float64) string {
	return fmt.Sprintf("%g%%", f*100)
}

// pct formats a change as a signed percentage: 0.0123 is "+1.23%".
func pct(f float64) string {
	return fmt.Sprintf("%+.2f%%", f*100)
}

func flag(regressed bool) string {
	if regressed {
		return ": REGRESSION"
	}
	return ""
}
