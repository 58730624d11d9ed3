package report

import (
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"

	"schedx.example/bench/internal/analysis"
)

// pointsWithXErrors are points with horizontal error bars.
type pointsWithXErrors struct {
	plotter.XYs
	plotter.XErrors
}

// pointsWithYErrors are points with vertical error bars.
type pointsWithYErrors struct {
	plotter.XYs
	plotter.YErrors
}

// throughputPlot writes to path a dot plot of the throughput of each
// configuration relative to the base (the base's median time per
// operation over the configuration's), one row per benchmark of t, with
// the 95% confidence interval of the configuration's median as whiskers.
// It reports false if t has no row with a base median.
func throughputPlot(t analysis.Table, path string) (bool, error) {
	var rows []analysis.Row
	for _, row := range t.Rows {
		if row.Cells[0].N > 0 && row.Cells[0].Summary.Center > 0 {
			rows = append(rows, row)
		}
	}
	if len(rows) == 0 {
		return false, nil
	}
	p := plot.New()
	p.Title.Text = t.Suite
	p.X.Label.Text = fmt.Sprintf("throughput relative to %s (higher is better)", t.Configs[0])
	p.Legend.Top = true

	n := len(rows)
	names := make([]string, n)
	lo, hi := 1.0, 1.0
	for i, row := range rows {
		// The first benchmark at the top.
		names[n-1-i] = row.Bench.Name
	}
	nc := len(t.Configs)
	for c := range t.Configs {
		var pts pointsWithXErrors
		for i, row := range rows {
			cell := row.Cells[c]
			if cell.N == 0 || cell.Summary.Center <= 0 {
				continue
			}
			base := row.Cells[0].Summary.Center
			x := base / cell.Summary.Center
			// Throughput is the inverse of time: the interval flips.
			xlo, xhi := x, x
			if cell.Summary.Hi > 0 && !math.IsInf(cell.Summary.Hi, 0) {
				xlo = base / cell.Summary.Hi
			}
			if cell.Summary.Lo > 0 && !math.IsInf(cell.Summary.Lo, 0) {
				xhi = base / cell.Summary.Lo
			}
			y := float64(n-1-i) + (float64(nc-1)/2-float64(c))*0.22
			pts.XYs = append(pts.XYs, plotter.XY{X: x, Y: y})
			pts.XErrors = append(pts.XErrors, struct{ Low, High float64 }{x - xlo, xhi - x})
			lo, hi = min(lo, xlo), max(hi, xhi)
		}
		if len(pts.XYs) == 0 {
			continue
		}
		sc, err := plotter.NewScatter(pts.XYs)
		if err != nil {
			return false, err
		}
		sc.GlyphStyle.Color = plotutil.Color(c)
		sc.GlyphStyle.Shape = plotutil.Shape(c)
		sc.GlyphStyle.Radius = vg.Points(3.5)
		eb, err := plotter.NewXErrorBars(pts)
		if err != nil {
			return false, err
		}
		eb.LineStyle.Color = plotutil.Color(c)
		eb.CapWidth = vg.Points(3)
		p.Add(eb, sc)
		p.Legend.Add(t.Configs[c], sc)
	}
	one, err := plotter.NewLine(plotter.XYs{{X: 1, Y: -0.5}, {X: 1, Y: float64(n) - 0.5}})
	if err != nil {
		return false, err
	}
	one.LineStyle.Dashes = []vg.Length{vg.Points(3), vg.Points(3)}
	one.LineStyle.Color = plotutil.Color(0)
	p.Add(one)
	p.Add(plotter.NewGrid())
	p.NominalY(names...)
	// Ratios on a logarithmic axis: half and double are equally far
	// from 1.
	p.X.Scale = plot.LogScale{}
	p.X.Tick.Marker = ratioTicks{}
	p.X.Min, p.X.Max = min(lo, 0.9)/1.05, max(hi, 1.1)*1.05
	// Room above the first row for the legend (a line per
	// configuration).
	rowHeight := 8 + 6*float64(nc)
	p.Y.Min, p.Y.Max = -0.6, float64(n)-0.5+float64(nc)*13/rowHeight+0.2
	height := vg.Inch*1.6 + vg.Points(rowHeight*float64(n)+float64(nc)*13)
	return true, savePlot(p, 8*vg.Inch, height, path)
}

// latencyPercentiles are the units of latency percentiles, in plot order,
// with their axis labels.
var latencyPercentiles = []struct{ unit, label string }{
	{"p50-sec", "p50"},
	{"p99-sec", "p99"},
	{"p999-sec", "p99.9"},
	{"max-sec", "max"},
}

// hasLatency reports whether benchmark b reports latency percentiles.
func hasLatency(r *analysis.Results, b analysis.Bench) bool {
	return slices.Contains(r.Units[b], "p50-sec")
}

// latencyPlot writes to path a plot of benchmark b's latency percentiles
// per configuration: the median over rounds of each percentile, with its
// 95% confidence interval, on a logarithmic axis.
func latencyPlot(r *analysis.Results, b analysis.Bench, configs []string, alpha float64, path string) error {
	p := plot.New()
	p.Title.Text = b.Name + " latency"
	p.Legend.Top, p.Legend.Left = true, true
	p.Legend.XOffs, p.Legend.YOffs = vg.Points(10), vg.Points(-6)

	// Choose ms or µs by the largest median.
	var largest float64
	for _, c := range configs {
		for _, lp := range latencyPercentiles {
			largest = max(largest, r.Cell(b, lp.unit, c, alpha).Summary.Center)
		}
	}
	scale, unit := 1e3, "ms"
	if largest < 1e-3 {
		scale, unit = 1e6, "µs"
	}
	p.Y.Label.Text = unit + " (log scale)"
	p.Y.Scale = plot.LogScale{}
	p.Y.Tick.Marker = logTicks125{}

	var labels []string
	for _, lp := range latencyPercentiles {
		labels = append(labels, lp.label)
	}
	nc := len(configs)
	ymin, ymax := math.Inf(1), math.Inf(-1)
	for ci, c := range configs {
		var pts pointsWithYErrors
		for i, lp := range latencyPercentiles {
			cell := r.Cell(b, lp.unit, c, alpha)
			if cell.N == 0 || cell.Summary.Center <= 0 {
				continue
			}
			y := cell.Summary.Center * scale
			ylo, yhi := y, y
			if l := cell.Summary.Lo * scale; l > 0 && !math.IsInf(l, 0) {
				ylo = l
			}
			if h := cell.Summary.Hi * scale; h > 0 && !math.IsInf(h, 0) {
				yhi = h
			}
			x := float64(i) + (float64(ci)-float64(nc-1)/2)*0.1
			pts.XYs = append(pts.XYs, plotter.XY{X: x, Y: y})
			pts.YErrors = append(pts.YErrors, struct{ Low, High float64 }{y - ylo, yhi - y})
			ymin, ymax = math.Min(ymin, ylo), math.Max(ymax, yhi)
		}
		if len(pts.XYs) == 0 {
			continue
		}
		line, sc, err := plotter.NewLinePoints(pts.XYs)
		if err != nil {
			return err
		}
		line.LineStyle.Color = plotutil.Color(ci)
		sc.GlyphStyle.Color = plotutil.Color(ci)
		sc.GlyphStyle.Shape = plotutil.Shape(ci)
		sc.GlyphStyle.Radius = vg.Points(3)
		eb, err := plotter.NewYErrorBars(pts)
		if err != nil {
			return err
		}
		eb.LineStyle.Color = plotutil.Color(ci)
		eb.CapWidth = vg.Points(4)
		p.Add(line, eb, sc)
		p.Legend.Add(c, line, sc)
	}
	if math.IsInf(ymin, 0) {
		return fmt.Errorf("%s: no latency values", b.Name)
	}
	p.Add(plotter.NewGrid())
	p.NominalX(labels...)
	p.X.Min, p.X.Max = -0.5, float64(len(labels))-0.5
	p.Y.Min, p.Y.Max = ymin/1.5, ymax*3
	return savePlot(p, 6*vg.Inch, 4*vg.Inch, path)
}

// savePlot writes p as an SVG of the given size to path.
func savePlot(p *plot.Plot, w, h vg.Length, path string) error {
	wt, err := p.WriterTo(w, h, "svg")
	if err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := wt.WriteTo(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// logTicks125 marks a logarithmic axis at 1, 2 and 5 times each power of
// ten, labelled, with unlabelled minor ticks at the other integers.
type logTicks125 struct{}

// Ticks returns the ticks between min and max (both positive).
func (logTicks125) Ticks(min, max float64) []plot.Tick {
	var ticks []plot.Tick
	for e := math.Floor(math.Log10(min)); math.Pow(10, e) <= max; e++ {
		decade := math.Pow(10, e)
		for m := 1; m <= 9; m++ {
			v := float64(m) * decade
			if v < min || v > max {
				continue
			}
			t := plot.Tick{Value: v}
			if m == 1 || m == 2 || m == 5 {
				t.Label = strconv.FormatFloat(v, 'g', -1, 64)
			}
			ticks = append(ticks, t)
		}
	}
	return ticks
}

// ratioTicks marks a logarithmic axis of ratios around 1: labelled ticks
// at 1 and at 1.25, 1.5, 2, 5, 10 and their inverses, as far as the axis
// goes, and at 0.9 and 1.1 on a narrow axis.
type ratioTicks struct{}

// Ticks returns the ticks between min and max (both positive).
func (ratioTicks) Ticks(min, max float64) []plot.Tick {
	ratios := []float64{0.1, 0.2, 0.5, 0.667, 0.8, 1, 1.25, 1.5, 2, 5, 10}
	if max/min < 1.6 {
		ratios = append(ratios, 0.9, 0.95, 1.05, 1.1)
	}
	var ticks []plot.Tick
	for _, r := range ratios {
		if r >= min && r <= max {
			ticks = append(ticks, plot.Tick{Value: r, Label: strconv.FormatFloat(r, 'g', 3, 64)})
		}
	}
	return ticks
}
