package analysis

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"text/tabwriter"

	"golang.org/x/perf/benchunit"
)

// A Table compares configurations in one unit over the benchmarks of one
// suite, like one benchstat table: a row per benchmark, a column per
// configuration, and for each configuration after the first its change
// against the first.
type Table struct {
	Suite, Unit string
	// Configs are the columns; Configs[0] is the base.
	Configs []string
	Rows    []Row
	// Geomean is the row of geometric means over the benchmarks every
	// configuration ran (nil with fewer than two such benchmarks).
	Geomean *Row
}

// A Row is one benchmark of a Table.
type Row struct {
	Bench Bench
	// Cells are the summaries per configuration (N is 0 where there are
	// no values).
	Cells []Cell
	// Deltas compare each configuration with Configs[0]; Deltas[0] and
	// the deltas of missing cells are nil.
	Deltas []*Delta
}

// Tables returns a table per suite and unit for configs (configs[0] is the
// base), in results order. The tests use significance level alpha.
func (r *Results) Tables(configs []string, alpha float64) []Table {
	var tables []Table
	for _, suite := range r.Suites() {
		var units []string
		for _, b := range r.Benches {
			if b.Suite != suite {
				continue
			}
			for _, u := range r.Units[b] {
				if !slices.Contains(units, u) {
					units = append(units, u)
				}
			}
		}
		for _, unit := range units {
			t := Table{Suite: suite, Unit: unit, Configs: configs}
			for _, b := range r.Benches {
				if b.Suite != suite || !slices.Contains(r.Units[b], unit) {
					continue
				}
				row := Row{Bench: b}
				for i, c := range configs {
					row.Cells = append(row.Cells, r.Cell(b, unit, c, alpha))
					var d *Delta
					if i > 0 {
						if dd, ok := Compare(row.Cells[0], row.Cells[i]); ok {
							d = &dd
						}
					}
					row.Deltas = append(row.Deltas, d)
				}
				t.Rows = append(t.Rows, row)
			}
			t.Geomean = geomeanRow(t.Rows, len(configs))
			tables = append(tables, t)
		}
	}
	return tables
}

// geomeanRow returns the row of geometric means of the medians of the rows
// in which every configuration has a positive median, with deltas whose
// Ratio is the geometric mean of the rows' ratios (which benchstat shows
// without a test), or nil if fewer than two rows qualify.
func geomeanRow(rows []Row, nconfig int) *Row {
	var use []Row
	for _, row := range rows {
		if !slices.ContainsFunc(row.Cells, func(c Cell) bool { return c.N == 0 || c.Summary.Center <= 0 }) {
			use = append(use, row)
		}
	}
	if len(use) < 2 {
		return nil
	}
	g := &Row{Bench: Bench{Name: "geomean"}}
	for i := range nconfig {
		var centers []float64
		for _, row := range use {
			centers = append(centers, row.Cells[i].Summary.Center)
		}
		c := Cell{N: len(use)}
		c.Summary.Center = geomean(centers)
		c.Summary.Lo, c.Summary.Hi = math.NaN(), math.NaN()
		g.Cells = append(g.Cells, c)
		var d *Delta
		if i > 0 {
			d = &Delta{Ratio: c.Summary.Center / g.Cells[0].Summary.Center}
		}
		g.Deltas = append(g.Deltas, d)
	}
	return g
}

// Title returns "suite: unit".
func (t Table) Title() string {
	return t.Suite + ": " + t.Unit
}

// cellStrings returns the text of row's cells: for each configuration its
// median and confidence interval, and after the base its change ("~" when
// not significant) with the test's p-value and sample sizes.
func (t Table) cellStrings(row Row) []string {
	scale := t.scaler(row)
	var out []string
	for i, c := range row.Cells {
		s := ""
		switch {
		case c.N == 0:
			s = "-"
		case row.Bench.Name == "geomean":
			s = scale.Format(c.Summary.Center)
		default:
			s = scale.Format(c.Summary.Center) + " ± " + c.Summary.PctRangeString()
		}
		out = append(out, s)
		if i == 0 {
			continue
		}
		d := row.Deltas[i]
		switch {
		case d == nil:
			out = append(out, "")
		case row.Bench.Name == "geomean":
			out = append(out, fmt.Sprintf("%+.2f%%", (d.Ratio-1)*100))
		default:
			out = append(out, d.Comparison.FormatDelta(row.Cells[0].Summary.Center, c.Summary.Center)+" ("+d.Comparison.String()+")")
		}
	}
	return out
}

// scaler returns the common scale of the medians of row, so that a row
// reads 1.25µ 1.31µ whatever the magnitudes of the other rows.
func (t Table) scaler(row Row) benchunit.Scaler {
	var vals []float64
	for _, c := range row.Cells {
		if c.N > 0 {
			vals = append(vals, c.Summary.Center)
		}
	}
	return benchunit.CommonScale(vals, benchunit.ClassOf(t.Unit))
}

// header returns the column headings after the benchmark name.
func (t Table) header() []string {
	var h []string
	for i, c := range t.Configs {
		h = append(h, c)
		if i > 0 {
			h = append(h, "vs "+t.Configs[0])
		}
	}
	return h
}

func (t Table) allRows() []Row {
	rows := t.Rows
	if t.Geomean != nil {
		rows = append(slices.Clone(rows), *t.Geomean)
	}
	return rows
}

// WriteText writes t as aligned plain text.
func (t Table) WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "%s\t%s\n", t.Title(), strings.Join(t.header(), "\t"))
	for _, row := range t.allRows() {
		fmt.Fprintf(tw, "%s\t%s\n", row.Bench.Name, strings.Join(t.cellStrings(row), "\t"))
	}
	return tw.Flush()
}

// WriteMarkdown writes t as a Markdown table.
func (t Table) WriteMarkdown(w io.Writer) error {
	h := t.header()
	var b strings.Builder
	fmt.Fprintf(&b, "| %s | %s |\n", mdEscape(t.Title()), strings.Join(h, " | "))
	b.WriteString("| --- |")
	for i := range h {
		if i == 0 || i%2 == 1 { // medians right-aligned, changes left
			b.WriteString(" ---: |")
		} else {
			b.WriteString(" --- |")
		}
	}
	b.WriteString("\n")
	for _, row := range t.allRows() {
		cells := t.cellStrings(row)
		for i := range cells {
			cells[i] = mdEscape(cells[i])
		}
		name := mdEscape(row.Bench.Name)
		if row.Bench.Name == "geomean" {
			name = "**geomean**"
		}
		fmt.Fprintf(&b, "| %s | %s |\n", name, strings.Join(cells, " | "))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// mdEscape escapes the characters that would break a Markdown table cell
// or start emphasis.
func mdEscape(s string) string {
	return strings.NewReplacer("|", `\|`, "*", `\*`, "_", `\_`).Replace(s)
}
