package onnx

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/tabserve/tabserve/internal/onnx/onnxpb"
)

// tn describes one node of a test ensemble.
type tn struct {
	tree, id, feat int64
	mode           string
	thr            float32
	t, f           int64
	track          int64
}

// tw describes one leaf weight.
type tw struct {
	tree, node, target int64
	w                  float32
}

func treeAttrs(prefix string, nodes []tn, weights []tw) []*onnxpb.AttributeProto {
	var treeIDs, ids, feats, ts, fs, tracks, wt, wn, wi []int64
	var modes []string
	var thr, hit, ww []float32
	for _, n := range nodes {
		treeIDs, ids, feats = append(treeIDs, n.tree), append(ids, n.id), append(feats, n.feat)
		ts, fs, tracks = append(ts, n.t), append(fs, n.f), append(tracks, n.track)
		modes, thr, hit = append(modes, n.mode), append(thr, n.thr), append(hit, 1)
	}
	for _, w := range weights {
		wt, wn, wi, ww = append(wt, w.tree), append(wn, w.node), append(wi, w.target), append(ww, w.w)
	}
	return []*onnxpb.AttributeProto{
		attrInts("nodes_treeids", treeIDs...), attrInts("nodes_nodeids", ids...), attrInts("nodes_featureids", feats...),
		attrInts("nodes_truenodeids", ts...), attrInts("nodes_falsenodeids", fs...),
		attrInts("nodes_missing_value_tracks_true", tracks...), attrStrings("nodes_modes", modes...),
		attrFloats("nodes_values", thr...), attrFloats("nodes_hitrates", hit...),
		attrInts(prefix+"_treeids", wt...), attrInts(prefix+"_nodeids", wn...), attrInts(prefix+"_ids", wi...),
		attrFloats(prefix+"_weights", ww...),
	}
}

func regressorModel(nodes []tn, weights []tw, extra ...*onnxpb.AttributeProto) graphSpec {
	attrs := append(treeAttrs("target", nodes, weights), extra...)
	return graphSpec{
		nodes:   []*onnxpb.NodeProto{mkNode("TreeEnsembleRegressor", "ai.onnx.ml", []string{"X"}, []string{"Y"}, attrs...)},
		inputs:  []*onnxpb.ValueInfoProto{tensorInfo("X", Float32, -1, 2)},
		outputs: []*onnxpb.ValueInfoProto{tensorInfo("Y", Float32, -1, -1)},
	}
}

func classifierModel(nodes []tn, weights []tw, labels *onnxpb.AttributeProto, extra ...*onnxpb.AttributeProto) graphSpec {
	attrs := append(treeAttrs("class", nodes, weights), labels)
	attrs = append(attrs, extra...)
	lt := Int64
	if labels.GetName() == "classlabels_strings" {
		lt = String
	}
	return graphSpec{
		nodes:   []*onnxpb.NodeProto{mkNode("TreeEnsembleClassifier", "ai.onnx.ml", []string{"X"}, []string{"label", "scores"}, attrs...)},
		inputs:  []*onnxpb.ValueInfoProto{tensorInfo("X", Float32, -1, 2)},
		outputs: []*onnxpb.ValueInfoProto{tensorInfo("label", lt, -1), tensorInfo("scores", Float32, -1, -1)},
	}
}

// stump is one tree: node 0 tests feature 0 against 0.5 with mode; the
// true branch leads to leaf 1 (weight 10), the false one to leaf 2
// (weight 20).
func stump(mode string, track int64) ([]tn, []tw) {
	return []tn{
			{0, 0, 0, mode, 0.5, 1, 2, track},
			{0, 1, 0, "LEAF", 0, 0, 0, 0},
			{0, 2, 0, "LEAF", 0, 0, 0, 0},
		}, []tw{
			{0, 1, 0, 10},
			{0, 2, 0, 20},
		}
}

func run1(t *testing.T, m *Model, rows [][]float32) []Value {
	t.Helper()
	var data []float32
	for _, r := range rows {
		data = append(data, r...)
	}
	out, err := m.Run(context.Background(), []*Tensor{NewFloat32(data, len(rows), 2)})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return out
}

func TestTreeModes(t *testing.T) {
	nan := float32(math.NaN())
	xs := []float32{0.25, 0.5, 0.75, nan}
	tests := []struct {
		mode  string
		track int64
		want  []float32 // per x: 10 when the true branch is taken, else 20
	}{
		{"BRANCH_LEQ", 0, []float32{10, 10, 20, 20}},
		{"BRANCH_LEQ", 1, []float32{10, 10, 20, 10}},
		{"BRANCH_LT", 0, []float32{10, 20, 20, 20}},
		{"BRANCH_LT", 1, []float32{10, 20, 20, 10}},
		{"BRANCH_GTE", 0, []float32{20, 10, 10, 20}},
		{"BRANCH_GT", 0, []float32{20, 20, 10, 20}},
		{"BRANCH_GT", 1, []float32{20, 20, 10, 10}},
		{"BRANCH_EQ", 0, []float32{20, 10, 20, 20}},
		{"BRANCH_NEQ", 0, []float32{10, 20, 10, 10}}, // NaN != t is true
		{"BRANCH_LEQ", 2, []float32{10, 10, 20, 20}}, // only 1 turns tracking on
	}
	for _, tt := range tests {
		t.Run(tt.mode, func(t *testing.T) {
			nodes, weights := stump(tt.mode, tt.track)
			m := regressorModel(nodes, weights).load(t)
			var rows [][]float32
			for _, x := range xs {
				rows = append(rows, []float32{x, 0})
			}
			got := run1(t, m, rows)[0].Tensor
			for i, w := range tt.want {
				if got.Float32[i] != w {
					t.Errorf("x=%v: %v; want %v", xs[i], got.Float32[i], w)
				}
			}
		})
	}
}

// twoTrees is two stumps on features 0 and 1; tree 1's leaves weigh 1 and 3.
func twoTrees() ([]tn, []tw) {
	return []tn{
			{0, 0, 0, "BRANCH_LEQ", 0.5, 1, 2, 0},
			{0, 1, 0, "LEAF", 0, 0, 0, 0},
			{0, 2, 0, "LEAF", 0, 0, 0, 0},
			{1, 0, 1, "BRANCH_LEQ", 0.5, 1, 2, 0},
			{1, 1, 0, "LEAF", 0, 0, 0, 0},
			{1, 2, 0, "LEAF", 0, 0, 0, 0},
		}, []tw{
			{0, 1, 0, 10}, {0, 2, 0, 20},
			{1, 1, 0, 1}, {1, 2, 0, 3},
		}
}

func TestTreeRegressorAggregates(t *testing.T) {
	rows := [][]float32{{0, 0}, {1, 1}, {0, 1}}
	tests := []struct {
		name  string
		extra []*onnxpb.AttributeProto
		want  []float32
	}{
		{"sum", nil, []float32{11, 23, 13}},
		{"sum with base", []*onnxpb.AttributeProto{attrFloats("base_values", 100)}, []float32{111, 123, 113}},
		{"average", []*onnxpb.AttributeProto{attrString("aggregate_function", "AVERAGE")}, []float32{5.5, 11.5, 6.5}},
		{"average then base", []*onnxpb.AttributeProto{attrString("aggregate_function", "AVERAGE"), attrFloats("base_values", 1)}, []float32{6.5, 12.5, 7.5}},
		{"min", []*onnxpb.AttributeProto{attrString("aggregate_function", "MIN")}, []float32{1, 3, 3}},
		{"max", []*onnxpb.AttributeProto{attrString("aggregate_function", "MAX")}, []float32{10, 20, 10}},
		{"logistic ignored for one target", []*onnxpb.AttributeProto{attrString("post_transform", "LOGISTIC")}, []float32{11, 23, 13}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			nodes, weights := twoTrees()
			got := run1(t, regressorModel(nodes, weights, tt.extra...).load(t), rows)[0].Tensor
			if len(got.Shape) != 2 || got.Shape[0] != 3 || got.Shape[1] != 1 {
				t.Fatalf("shape %v; want [3 1]", got.Shape)
			}
			for i, w := range tt.want {
				if got.Float32[i] != w {
					t.Errorf("row %d: %v; want %v", i, got.Float32[i], w)
				}
			}
		})
	}
}

func TestTreeRegressorProbitAndTargets(t *testing.T) {
	nodes := []tn{{0, 0, 0, "BRANCH_LEQ", 0.5, 1, 2, 0}, {0, 1, 0, "LEAF", 0, 0, 0, 0}, {0, 2, 0, "LEAF", 0, 0, 0, 0}}
	t.Run("probit", func(t *testing.T) {
		weights := []tw{{0, 1, 0, 0.5}, {0, 2, 0, 0.975}}
		got := run1(t, regressorModel(nodes, weights, attrString("post_transform", "PROBIT")).load(t), [][]float32{{0, 0}, {1, 0}})[0].Tensor
		if got.Float32[0] != probit(0.5) || got.Float32[1] != probit(0.975) {
			t.Errorf("probit outputs %v; want [%v %v]", got.Float32, probit(0.5), probit(0.975))
		}
		if math.Abs(float64(got.Float32[1])-1.959964) > 5e-3 {
			t.Errorf("probit(0.975) = %v; want about 1.96", got.Float32[1])
		}
	})
	t.Run("two targets with a base only for scored ones", func(t *testing.T) {
		weights := []tw{{0, 1, 0, 1}, {0, 1, 1, 2}, {0, 2, 0, 3}}
		m := regressorModel(nodes, weights, attrInt("n_targets", 2), attrFloats("base_values", 10, 20)).load(t)
		got := run1(t, m, [][]float32{{0, 0}, {1, 0}})[0].Tensor
		// Row 1 reaches a leaf with no weight for target 1: onnxruntime
		// writes 0 there, base value or not.
		want := []float32{11, 22, 13, 0}
		for i := range want {
			if got.Float32[i] != want[i] {
				t.Fatalf("outputs %v; want %v", got.Float32, want)
			}
		}
	})
}

func TestTreeClassifierBinary(t *testing.T) {
	rows := [][]float32{{0, 0}, {1, 1}, {0, 1}}
	nodes, _ := twoTrees()
	tests := []struct {
		name       string
		weights    []tw
		extra      []*onnxpb.AttributeProto
		wantLabels []int64
		wantScores []float32
	}{
		{
			// Random-forest layout: one column of class-1 probabilities,
			// all weights positive: [1-s, s] without a sigmoid, label s > 0.5.
			name:       "all positive",
			weights:    []tw{{0, 1, 0, 0.1}, {0, 2, 0, 0.4}, {1, 1, 0, 0.05}, {1, 2, 0, 0.35}},
			wantLabels: []int64{7, 9, 7},
			wantScores: []float32{1 - 0.15, 0.15, 1 - float32(0.4+0.35), 0.4 + 0.35, 1 - float32(0.1+0.35), 0.1 + 0.35},
		},
		{
			// onnxruntime 1.30 applies the sigmoid to the scores but keeps
			// the 0.5 label threshold of the all-positive layout.
			name:       "all positive with logistic",
			weights:    []tw{{0, 1, 0, 0.1}, {0, 2, 0, 0.4}, {1, 1, 0, 0.05}, {1, 2, 0, 0.35}},
			extra:      []*onnxpb.AttributeProto{attrString("post_transform", "LOGISTIC")},
			wantLabels: []int64{7, 9, 7},
			wantScores: []float32{logistic(-0.15), logistic(0.15), logistic(-0.75), logistic(0.75), logistic(-0.45), logistic(0.45)},
		},
		{
			// Gradient-boosting layout: margins, base value, LOGISTIC.
			name:       "mixed with logistic",
			weights:    []tw{{0, 1, 0, -1}, {0, 2, 0, 1}, {1, 1, 0, -0.5}, {1, 2, 0, 0.5}},
			extra:      []*onnxpb.AttributeProto{attrString("post_transform", "LOGISTIC"), attrFloats("base_values", 0.25)},
			wantLabels: []int64{7, 9, 7},
			wantScores: []float32{logistic(1.25), logistic(-1.25), logistic(-1.75), logistic(1.75), logistic(0.25), logistic(-0.25)},
		},
		{
			name:       "mixed without transform",
			weights:    []tw{{0, 1, 0, -1}, {0, 2, 0, 1}, {1, 1, 0, -0.5}, {1, 2, 0, 0.5}},
			wantLabels: []int64{7, 9, 7},
			wantScores: []float32{1.5, -1.5, -1.5, 1.5, 0.5, -0.5},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := classifierModel(nodes, tt.weights, attrInts("classlabels_int64s", 7, 9), tt.extra...).load(t)
			out := run1(t, m, rows)
			labels, scores := out[0].Tensor, out[1].Tensor
			for i, w := range tt.wantLabels {
				if labels.Int64[i] != w {
					t.Errorf("label[%d] = %d; want %d", i, labels.Int64[i], w)
				}
			}
			for i, w := range tt.wantScores {
				if math.Abs(float64(scores.Float32[i]-w)) > 1e-6 {
					t.Errorf("scores = %v; want %v", scores.Float32, tt.wantScores)
					break
				}
			}
		})
	}
}

func TestTreeClassifierMulticlass(t *testing.T) {
	nodes := []tn{{0, 0, 0, "BRANCH_LEQ", 0.5, 1, 2, 0}, {0, 1, 0, "LEAF", 0, 0, 0, 0}, {0, 2, 0, "LEAF", 0, 0, 0, 0}}
	// Leaf 1 ties classes 1 and 2 (the first wins); leaf 2 scores only
	// class 0 and 2, so class 1 counts as 0 in the transform and is left
	// out of the argmax.
	weights := []tw{{0, 1, 1, 0.4}, {0, 1, 2, 0.4}, {0, 1, 0, 0.2}, {0, 2, 0, -1}, {0, 2, 2, -2}}
	t.Run("ties and unscored classes", func(t *testing.T) {
		m := classifierModel(nodes, weights, attrStrings("classlabels_strings", "a", "b", "c")).load(t)
		out := run1(t, m, [][]float32{{0, 0}, {1, 0}})
		if got := out[0].Tensor.String; got[0] != "b" || got[1] != "a" {
			t.Errorf("labels %q; want [b a]", got)
		}
		want := []float32{0.2, 0.4, 0.4, -1, 0, -2}
		for i := range want {
			if out[1].Tensor.Float32[i] != want[i] {
				t.Fatalf("scores %v; want %v", out[1].Tensor.Float32, want)
			}
		}
	})
	t.Run("softmax with base values", func(t *testing.T) {
		m := classifierModel(nodes, weights, attrInts("classlabels_int64s", 0, 1, 2),
			attrString("post_transform", "SOFTMAX"), attrFloats("base_values", 1, 0, 0)).load(t)
		out := run1(t, m, [][]float32{{1, 0}})
		want := []float32{0, 0, -2}
		softmax32(want)
		for i := range want {
			if math.Abs(float64(out[1].Tensor.Float32[i]-want[i])) > 1e-7 {
				t.Fatalf("scores %v; want %v", out[1].Tensor.Float32, want)
			}
		}
		// With the base, class 1 now has a score (0) and ties class 0.
		if got := out[0].Tensor.Int64[0]; got != 0 {
			t.Errorf("label %d; want 0", got)
		}
	})
}

func TestTreeBatchSizes(t *testing.T) {
	nodes, weights := twoTrees()
	m := regressorModel(nodes, weights).load(t)
	for _, n := range []int{0, 1, 2, 1000} {
		x := make([]float32, 2*n)
		for i := range x {
			x[i] = float32(i%3) / 2
		}
		out, err := m.Run(context.Background(), []*Tensor{NewFloat32(x, n, 2)})
		if err != nil {
			t.Fatalf("n=%d: %v", n, err)
		}
		y := out[0].Tensor
		if y.Shape[0] != n || y.Shape[1] != 1 || len(y.Float32) != n {
			t.Fatalf("n=%d: output %v", n, y.Describe())
		}
		for i := range n {
			want := float32(20)
			if x[2*i] <= 0.5 {
				want = 10
			}
			if x[2*i+1] <= 0.5 {
				want++
			} else {
				want += 3
			}
			if y.Float32[i] != want {
				t.Fatalf("n=%d row %d: %v; want %v", n, i, y.Float32[i], want)
			}
		}
	}
}

func TestTreeInputTypes(t *testing.T) {
	nodes, weights := stump("BRANCH_LEQ", 0)
	for _, typ := range []DataType{Float64, Int64, Int32} {
		t.Run(typ.String(), func(t *testing.T) {
			g := regressorModel(nodes, weights)
			g.inputs = []*onnxpb.ValueInfoProto{tensorInfo("X", typ, -1, 2)}
			m := g.load(t)
			x := &Tensor{Type: typ, Shape: []int{2, 2}}
			switch typ {
			case Float64:
				x.Float64 = []float64{0.5000000001, 0, 0.5, 0}
			case Int64:
				x.Int64 = []int64{0, 0, 1, 0}
			case Int32:
				x.Int32 = []int32{0, 0, 1, 0}
			}
			out, err := m.Run(context.Background(), []*Tensor{x})
			if err != nil {
				t.Fatal(err)
			}
			want := []float32{10, 20}
			if typ == Float64 {
				// float64 inputs compare in float64: 0.5000000001 > 0.5.
				want = []float32{20, 10}
			}
			if got := out[0].Tensor.Float32; got[0] != want[0] || got[1] != want[1] {
				t.Errorf("outputs %v; want %v", got, want)
			}
		})
	}
}

func TestTreeRootIsFirstListed(t *testing.T) {
	// Tree 0 lists its leaves first: its root is node 2, the first interior
	// node listed is not node 0 — onnxruntime starts at the first listed.
	nodes := []tn{
		{0, 5, 0, "BRANCH_LEQ", 0.5, 1, 2, 0},
		{0, 1, 0, "LEAF", 0, 0, 0, 0},
		{0, 2, 0, "LEAF", 0, 0, 0, 0},
	}
	weights := []tw{{0, 1, 0, 10}, {0, 2, 0, 20}}
	got := run1(t, regressorModel(nodes, weights).load(t), [][]float32{{0, 0}, {1, 0}})[0].Tensor
	if got.Float32[0] != 10 || got.Float32[1] != 20 {
		t.Errorf("outputs %v; want [10 20]", got.Float32)
	}
}

func TestTreeLoadErrors(t *testing.T) {
	base, weights := stump("BRANCH_LEQ", 0)
	mod := func(f func(n []tn, w []tw) ([]tn, []tw)) ([]tn, []tw) {
		n := append([]tn(nil), base...)
		w := append([]tw(nil), weights...)
		return f(n, w)
	}
	tests := []struct {
		name    string
		nodes   []tn
		weights []tw
		extra   []*onnxpb.AttributeProto
		want    string
	}{
		{"self loop", nil, nil, nil, "points to itself"},
		{"cycle", nil, nil, nil, "cycle"},
		{"child out of range", nil, nil, nil, "out of range"},
		{"child in another tree", nil, nil, nil, "does not exist in that tree"},
		{"weight on missing node", nil, nil, nil, "does not exist"},
		{"target out of range", nil, nil, nil, "target or class 3"},
		{"duplicate node", nil, nil, nil, "defined twice"},
		{"unknown mode", nil, nil, nil, "unknown mode"},
		{"bad aggregate", base, weights, []*onnxpb.AttributeProto{attrString("aggregate_function", "MEDIAN")}, "MEDIAN"},
		{"bad transform", base, weights, []*onnxpb.AttributeProto{attrString("post_transform", "EXP")}, "EXP"},
		{"wrong attribute type", base, weights, []*onnxpb.AttributeProto{attrInt("post_transform", 1)}, "has type INT"},
	}
	tests[0].nodes, tests[0].weights = mod(func(n []tn, w []tw) ([]tn, []tw) { n[0].t = 0; return n, w })
	tests[1].nodes, tests[1].weights = mod(func(n []tn, w []tw) ([]tn, []tw) {
		n[1] = tn{0, 1, 0, "BRANCH_LEQ", 0, 0, 2, 0}
		return n, w[1:]
	})
	tests[2].nodes, tests[2].weights = mod(func(n []tn, w []tw) ([]tn, []tw) { n[0].f = 7; return n, w })
	tests[3].nodes, tests[3].weights = mod(func(n []tn, w []tw) ([]tn, []tw) {
		n[2].tree = 1
		w[1].tree = 1
		return n, w
	})
	tests[4].nodes, tests[4].weights = mod(func(n []tn, w []tw) ([]tn, []tw) { w[0].node = 9; return n, w })
	tests[5].nodes, tests[5].weights = mod(func(n []tn, w []tw) ([]tn, []tw) { w[0].target = 3; return n, w })
	tests[6].nodes, tests[6].weights = mod(func(n []tn, w []tw) ([]tn, []tw) { n[2].id = 1; return n, w })
	tests[7].nodes, tests[7].weights = mod(func(n []tn, w []tw) ([]tn, []tw) { n[0].mode = "BRANCH_SOMETIMES"; return n, w })
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(regressorModel(tt.nodes, tt.weights, tt.extra...).bytes(t))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Load error %v; want one containing %q", err, tt.want)
			}
			if !strings.Contains(err.Error(), "TreeEnsembleRegressor") {
				t.Errorf("error %q does not name the operator", err)
			}
		})
	}
}

func TestTreeLeafWithoutWeight(t *testing.T) {
	// onnxruntime accepts a leaf without a weight. With one target it adds
	// the leaf's nodes_values entry; with more, the leaf adds nothing.
	nodes, weights := stump("BRANCH_LEQ", 0)
	nodes[2].thr = 7
	got := run1(t, regressorModel(nodes, weights[:1]).load(t), [][]float32{{0, 0}, {1, 0}})[0].Tensor
	if got.Float32[0] != 10 || got.Float32[1] != 7 {
		t.Errorf("one target: %v; want [10 7]", got.Float32)
	}
	weights = []tw{{0, 1, 0, 10}, {0, 1, 1, 1}}
	got = run1(t, regressorModel(nodes, weights, attrInt("n_targets", 2)).load(t), [][]float32{{0, 0}, {1, 0}})[0].Tensor
	if want := []float32{10, 1, 0, 0}; got.Float32[0] != want[0] || got.Float32[1] != want[1] || got.Float32[2] != 0 || got.Float32[3] != 0 {
		t.Errorf("two targets: %v; want %v", got.Float32, want)
	}
}

func TestTreeRunErrors(t *testing.T) {
	nodes, weights := twoTrees()
	g := regressorModel(nodes, weights)
	g.inputs = []*onnxpb.ValueInfoProto{tensorInfo("X", Float32, -1, -1)}
	m := g.load(t)
	_, err := m.Run(context.Background(), []*Tensor{NewFloat32([]float32{1, 2}, 2, 1)})
	if err == nil || !strings.Contains(err.Error(), "reads feature 1") {
		t.Errorf("Run with too few features: %v; want an error about feature 1", err)
	}
}
