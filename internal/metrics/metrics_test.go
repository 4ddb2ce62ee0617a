package metrics

import (
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/tabserve/tabserve/internal/catalog"
	"github.com/tabserve/tabserve/models"
)

func loadLoan(t *testing.T) *catalog.Model {
	t.Helper()
	m, err := catalog.Load(catalog.Source{Path: models.Default, FS: models.FS})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// series returns the values of a metric family's series whose labels
// include label=value, from what reg gathers.
func series(t *testing.T, reg *prometheus.Registry, name, label, value string) []float64 {
	t.Helper()
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var vals []float64
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == label && l.GetValue() == value {
					vals = append(vals, m.GetCounter().GetValue()+m.GetGauge().GetValue())
				}
			}
		}
	}
	return vals
}

// TestPredictedFollowsReloads checks that predictions are counted by the
// label they name for the version served, and not for a version a reload
// replaced.
func TestPredictedFollowsReloads(t *testing.T) {
	v1, v2 := loadLoan(t), loadLoan(t)
	labels := v1.Manifest.Labels
	reg := prometheus.NewRegistry()
	met := New(reg)
	count := func(label int) float64 {
		var n float64
		for _, v := range series(t, reg, "tabserve_predictions_total", "label", labels[label].Label) {
			n += v
		}
		return n
	}
	steps := []struct {
		name         string
		do           func()
		want0, want1 float64 // the counts of labels 0 and 1 afterwards
		info         int     // series of tabserve_model_info
	}{
		{"nothing loaded", func() { met.Predicted(v1, 0, 1) }, 0, 0, 0},
		{"first load", func() { met.ModelLoaded(v1, nil) }, 0, 0, 1},
		{"predictions", func() { met.Predicted(v1, 0, 3); met.Predicted(v1, 1, 1) }, 3, 1, 1},
		{"labels out of range", func() { met.Predicted(v1, -1, 1); met.Predicted(v1, len(labels), 1) }, 3, 1, 1},
		{"reload", func() { met.ModelLoaded(v2, v1) }, 3, 1, 1},
		{"the replaced version", func() { met.Predicted(v1, 0, 5) }, 3, 1, 1},
		{"the new version", func() { met.Predicted(v2, 1, 2) }, 3, 3, 1},
	}
	for _, s := range steps {
		s.do()
		if got0, got1 := count(0), count(1); got0 != s.want0 || got1 != s.want1 {
			t.Errorf("after %s: predictions = %v, %v; want %v, %v", s.name, got0, got1, s.want0, s.want1)
		}
		if got := len(series(t, reg, "tabserve_model_info", "model", v1.Name())); got != s.info {
			t.Errorf("after %s: %d tabserve_model_info series; want %d", s.name, got, s.info)
		}
	}
}
