package main

import (
	"fmt"
	"image/color"
	"math"
	"os"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// writePlot draws the median throughput and p99 latency of every peer, one
// bar per connection count, on log axes, into a PNG file.
func writePlot(r *report, file string) error {
	var names []string
	for _, p := range r.Peers {
		names = append(names, p.Short)
	}
	conns := r.Settings.Conns
	value := func(p peerResult, c int, pick func(series) float64) float64 {
		if s := p.at(c); s != nil {
			return pick(*s)
		}
		return math.NaN()
	}
	panel := func(title, unit string, format func(float64) string, pick func(series) float64) (*plot.Plot, error) {
		p := plot.New()
		p.Title.Text = title
		p.Y.Label.Text = unit
		p.Y.Scale = plot.LogScale{}
		p.Y.Tick.Marker = powerTicks{format: format}
		p.NominalX(names...)
		p.X.Min, p.X.Max = -0.5, float64(len(names))-0.5
		p.Legend.Top = true
		p.Add(plotter.NewGrid())
		const width = vg.Length(26)
		lo, hi := math.Inf(1), math.Inf(-1)
		for k, c := range conns {
			bars := &logBars{
				offset: (vg.Length(k) - vg.Length(len(conns)-1)/2) * (width + 2),
				width:  width,
				color:  palette[k%len(palette)],
			}
			var labels plotter.XYLabels
			for i, pr := range r.Peers {
				v := value(pr, c, pick)
				bars.values = append(bars.values, v)
				if v > 0 {
					lo, hi = min(lo, v), max(hi, v)
					labels.XYs = append(labels.XYs, plotter.XY{X: float64(i), Y: v})
					labels.Labels = append(labels.Labels, format(v))
				}
			}
			p.Add(bars)
			p.Legend.Add(fmt.Sprintf("%d connection%s", c, map[bool]string{true: "", false: "s"}[c == 1]), bars)
			if len(labels.XYs) > 0 {
				l, err := plotter.NewLabels(labels)
				if err != nil {
					return nil, err
				}
				for i := range l.TextStyle {
					l.TextStyle[i].Font.Size = vg.Points(7)
					l.TextStyle[i].XAlign = draw.XCenter
				}
				l.Offset = vg.Point{X: bars.offset, Y: vg.Points(2)}
				p.Add(l)
			}
		}
		if math.IsInf(lo, 0) {
			return nil, fmt.Errorf("%s: nothing to plot", title)
		}
		// From a whole decade, with room above the tallest bar for its
		// label and the legend.
		p.Y.Min = math.Pow(10, math.Floor(math.Log10(lo)))
		p.Y.Max = hi * 3
		return p, nil
	}
	rps, err := panel("Throughput (median req/s; higher is better)", "req/s", fmtSI,
		func(s series) float64 { return s.RPS.Median })
	if err != nil {
		return err
	}
	p99, err := panel("p99 latency (median of runs; lower is better)", "p99", fmtLatencyShort,
		func(s series) float64 { return s.P99.Median })
	if err != nil {
		return err
	}
	rps.Title.Text += fmt.Sprintf(" — server on CPU %d, wrk on CPU %d, %s", r.Settings.ServerCPU, r.Settings.WrkCPU, r.Date[:10])

	const w, h = 10 * vg.Inch, 8 * vg.Inch
	img := vgimg.New(w, h)
	dc := draw.New(img)
	tiles := draw.Tiles{Rows: 2, Cols: 1, PadX: vg.Millimeter, PadY: 4 * vg.Millimeter,
		PadTop: 2 * vg.Millimeter, PadBottom: 2 * vg.Millimeter, PadLeft: 2 * vg.Millimeter, PadRight: 2 * vg.Millimeter}
	plots := [][]*plot.Plot{{rps}, {p99}}
	canvases := plot.Align(plots, tiles, dc)
	for i := range plots {
		plots[i][0].Draw(canvases[i][0])
	}
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

var palette = []color.Color{
	color.RGBA{R: 0x9e, G: 0xc5, B: 0xe8, A: 0xff},
	color.RGBA{R: 0x1f, G: 0x5f, B: 0xa8, A: 0xff},
	color.RGBA{R: 0xf2, G: 0xa6, B: 0x5a, A: 0xff},
	color.RGBA{R: 0xa8, G: 0x3c, B: 0x1f, A: 0xff},
}

// logBars is a bar chart that works on a log scale: each bar rises from the
// bottom of the axis (gonum's BarChart rises from 0, which a log axis cannot
// show). values[i] sits at x = i, shifted by offset; NaN draws nothing.
type logBars struct {
	values []float64
	offset vg.Length
	width  vg.Length
	color  color.Color
}

// Plot implements plot.Plotter.
func (b *logBars) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	bottom := trY(p.Y.Min)
	for i, v := range b.values {
		if !(v > 0) {
			continue
		}
		x := trX(float64(i)) + b.offset
		pts := []vg.Point{
			{X: x - b.width/2, Y: bottom}, {X: x - b.width/2, Y: trY(v)},
			{X: x + b.width/2, Y: trY(v)}, {X: x + b.width/2, Y: bottom},
		}
		c.FillPolygon(b.color, c.ClipPolygonY(pts))
	}
}

// DataRange implements plot.DataRanger.
func (b *logBars) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, xmax = 0, float64(len(b.values)-1)
	ymin, ymax = math.Inf(1), math.Inf(-1)
	for _, v := range b.values {
		if v > 0 {
			ymin, ymax = min(ymin, v), max(ymax, v)
		}
	}
	if math.IsInf(ymin, 0) {
		ymin, ymax = 1, 1
	}
	return xmin, xmax, ymin, ymax
}

// Thumbnail implements plot.Thumbnailer, for the legend.
func (b *logBars) Thumbnail(c *draw.Canvas) {
	pts := []vg.Point{
		{X: c.Min.X, Y: c.Min.Y}, {X: c.Min.X, Y: c.Max.Y},
		{X: c.Max.X, Y: c.Max.Y}, {X: c.Max.X, Y: c.Min.Y},
	}
	c.FillPolygon(b.color, c.ClipPolygonY(pts))
}

// powerTicks puts major ticks at powers of ten, labelled by format, and
// minor ticks at 2..9 times them.
type powerTicks struct{ format func(float64) string }

// Ticks implements plot.Ticker.
func (t powerTicks) Ticks(lo, hi float64) []plot.Tick {
	var ticks []plot.Tick
	for e := math.Floor(math.Log10(lo)); math.Pow(10, e) <= hi; e++ {
		base := math.Pow(10, e)
		if base >= lo {
			ticks = append(ticks, plot.Tick{Value: base, Label: t.format(base)})
		}
		for m := 2.0; m < 10; m++ {
			if v := m * base; v >= lo && v <= hi {
				ticks = append(ticks, plot.Tick{Value: v})
			}
		}
	}
	return ticks
}

// fmtSI formats a count compactly: 950, 1.9k, 51k, 1.2M.
func fmtSI(v float64) string {
	switch {
	case v >= 1e6:
		return trimZero(fmt.Sprintf("%.1f", v/1e6)) + "M"
	case v >= 1e4:
		return fmt.Sprintf("%.0fk", v/1e3)
	case v >= 1e3:
		return trimZero(fmt.Sprintf("%.1f", v/1e3)) + "k"
	default:
		return fmt.Sprintf("%.0f", v)
	}
}

// fmtLatencyShort formats microseconds compactly: 85µs, 1.2ms, 48ms, 1.5s.
func fmtLatencyShort(us float64) string {
	switch {
	case us >= 1e6:
		return trimZero(fmt.Sprintf("%.1f", us/1e6)) + "s"
	case us >= 1e4:
		return fmt.Sprintf("%.0fms", us/1e3)
	case us >= 1e3:
		return trimZero(fmt.Sprintf("%.1f", us/1e3)) + "ms"
	default:
		return fmt.Sprintf("%.0fµs", us)
	}
}

func trimZero(s string) string {
	if len(s) > 2 && s[len(s)-2:] == ".0" {
		return s[:len(s)-2]
	}
	return s
}
