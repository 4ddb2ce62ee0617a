package onnx

import (
	"context"
	"fmt"
	"math"
	"testing"

	"github.com/tabserve/tabserve/internal/onnx/onnxpb"
)

func TestReduce(t *testing.T) {
	x := NewFloat32([]float32{1, 2, 3, 4, 5, 6}, 2, 3)
	red := func(op string, opset int, ins []*Tensor, attrs ...*onnxpb.AttributeProto) nodeSpec {
		return nodeSpec{op: op, opset: opset, in: ins, attrs: attrs}
	}
	keep0 := attrInt("keepdims", 0)
	inf := float32(math.Inf(1))
	tests := []opTest{
		{name: "Sum-1 axes attribute", spec: red("ReduceSum", 1, []*Tensor{x}, attrInts("axes", 1)), want: []*Tensor{mat(2, 1, 6, 15)}},
		{name: "Sum-11 negative axis", spec: red("ReduceSum", 11, []*Tensor{x}, attrInts("axes", -2), keep0), want: []*Tensor{vecF(5, 7, 9)}},
		{name: "Sum-11 all", spec: red("ReduceSum", 11, []*Tensor{x}), want: []*Tensor{mat(1, 1, 21)}},
		{name: "Sum-13 axes input", spec: red("ReduceSum", 13, []*Tensor{x, vecI(1)}, keep0), want: []*Tensor{vecF(6, 15)}},
		{name: "Sum-13 no axes", spec: red("ReduceSum", 13, []*Tensor{x}, keep0), want: []*Tensor{scalarF(21)}},
		{name: "Sum-13 empty axes", spec: red("ReduceSum", 13, []*Tensor{x, NewInt64(nil, 0)}, keep0), want: []*Tensor{scalarF(21)}},
		{name: "Sum-13 noop", spec: red("ReduceSum", 13, []*Tensor{x, NewInt64(nil, 0)}, attrInt("noop_with_empty_axes", 1)), want: []*Tensor{x}},
		{name: "Sum-13 axes attribute", spec: red("ReduceSum", 13, []*Tensor{x}, attrInts("axes", 1)), wantErr: "load: "},
		{name: "Sum-11 noop attribute", spec: red("ReduceSum", 11, []*Tensor{x}, attrInt("noop_with_empty_axes", 1)), wantErr: "load: "},
		{name: "Sum-13 float axes", spec: red("ReduceSum", 13, []*Tensor{x, vecF(1)}), wantErr: "int64"},
		{name: "Sum axis out of range", spec: red("ReduceSum", 13, []*Tensor{x, vecI(2)}), wantErr: "out of range"},
		{name: "Sum 0-row batch", spec: red("ReduceSum", 13, []*Tensor{NewFloat32(nil, 0, 3), vecI(1)}), want: []*Tensor{NewFloat32(nil, 0, 1)}},
		{name: "Sum over empty axis", spec: red("ReduceSum", 13, []*Tensor{NewFloat32(nil, 0, 3), vecI(0)}, keep0), want: []*Tensor{vecF(0, 0, 0)}},
		{name: "Sum rank 3 middle", spec: red("ReduceSum", 13, []*Tensor{NewFloat32([]float32{1, 2, 3, 4, 5, 6, 7, 8}, 2, 2, 2), vecI(1)}, keep0), want: []*Tensor{mat(2, 2, 4, 6, 12, 14)}},
		{name: "Sum rank 3 outer axes", spec: red("ReduceSum", 13, []*Tensor{NewFloat32([]float32{1, 2, 3, 4, 5, 6, 7, 8}, 2, 2, 2), vecI(0, 2)}, keep0), want: []*Tensor{vecF(14, 22)}},
		{name: "Sum int32 saturates", spec: red("ReduceSum", 13, []*Tensor{vecI32(math.MaxInt32, 1)}, keep0), want: []*Tensor{NewInt32([]int32{math.MaxInt32})}},
		{name: "Sum int64 saturates", spec: red("ReduceSum", 13, []*Tensor{vecI(1<<62, 1<<62, 1<<62, -5)}, keep0), want: []*Tensor{NewInt64([]int64{math.MaxInt64})}},
		{name: "Sum int64 exact then through float64", spec: red("ReduceSum", 13, []*Tensor{NewInt64([]int64{1 << 53, 1, 1, 1 << 53, 1, 0}, 2, 3), vecI(1)}, keep0), want: []*Tensor{vecI(1<<53+2, 1<<53)}},
		{name: "Sum int64 wraps back", spec: red("ReduceSum", 13, []*Tensor{vecI(1<<62, 1<<62, -(1 << 62), -(1 << 62), 3)}, keep0), want: []*Tensor{NewInt64([]int64{3})}},
		{name: "Sum over a unit axis", spec: red("ReduceSum", 13, []*Tensor{mat(1, 3, 1, 2, 3), vecI(0)}, keep0), want: []*Tensor{vecF(1, 2, 3)}},
		{name: "Max over unit axes keepdims", spec: red("ReduceMax", 13, []*Tensor{NewInt64([]int64{4, 5}, 1, 2, 1)}, attrInts("axes", 0, 2)), want: []*Tensor{NewInt64([]int64{4, 5}, 1, 2, 1)}},
		{name: "L1 over a unit axis", spec: red("ReduceL1", 13, []*Tensor{mat(1, 2, -1, 2)}, attrInts("axes", 0), keep0), want: []*Tensor{vecF(1, 2)}},
		{name: "Mean", spec: red("ReduceMean", 18, []*Tensor{x, vecI(-1)}, keep0), want: []*Tensor{vecF(2, 5)}},
		{name: "Mean-13 attribute", spec: red("ReduceMean", 13, []*Tensor{x}, attrInts("axes", 0)), want: []*Tensor{mat(1, 3, 2.5, 3.5, 4.5)}},
		{name: "Mean-18 attribute", spec: red("ReduceMean", 18, []*Tensor{x}, attrInts("axes", 0)), wantErr: "load: "},
		{name: "Mean int truncates", spec: red("ReduceMean", 18, []*Tensor{NewInt32([]int32{7, 8, -7, -8}, 2, 2), vecI(1)}, keep0), want: []*Tensor{vecI32(7, -7)}},
		{name: "Mean empty", spec: red("ReduceMean", 18, []*Tensor{NewFloat32(nil, 0, 2), vecI(0)}, keep0), want: []*Tensor{vecF(0, 0)}},
		{name: "Max NaN first", spec: red("ReduceMax", 18, []*Tensor{mat(2, 2, nan32, 1, 2, nan32), vecI(1)}, keep0), want: []*Tensor{vecF(nan32, 2)}},
		{name: "Min NaN later", spec: red("ReduceMin", 13, []*Tensor{mat(2, 2, 3, 1, nan32, 2)}, attrInts("axes", 0), keep0), want: []*Tensor{vecF(3, 1)}},
		{name: "Max empty", spec: red("ReduceMax", 18, []*Tensor{NewFloat32(nil, 0, 2), vecI(0)}, keep0), want: []*Tensor{vecF(-inf, -inf)}},
		{name: "Min empty int", spec: red("ReduceMin", 18, []*Tensor{NewInt32(nil, 0, 2), vecI(0)}, keep0), want: []*Tensor{vecI32(math.MaxInt32, math.MaxInt32)}},
		{name: "Max bool", spec: red("ReduceMax", 20, []*Tensor{NewBool([]bool{false, true, false, false}, 2, 2), vecI(1)}, keep0), want: []*Tensor{vecB(true, false)}},
		{name: "Min bool", spec: red("ReduceMin", 20, []*Tensor{NewBool([]bool{true, true, false, true}, 2, 2), vecI(1)}, keep0), want: []*Tensor{vecB(true, false)}},
		{name: "Max-18 bool", spec: red("ReduceMax", 18, []*Tensor{vecB(true)}), wantErr: "load: "},
		{name: "Prod", spec: red("ReduceProd", 18, []*Tensor{x, vecI(1)}, keep0), want: []*Tensor{vecF(6, 120)}},
		{name: "Prod int32 saturates", spec: red("ReduceProd", 18, []*Tensor{vecI32(65536, -65536)}, keep0), want: []*Tensor{NewInt32([]int32{math.MinInt32})}},
		{name: "SumSquare", spec: red("ReduceSumSquare", 13, []*Tensor{x}, attrInts("axes", 1), keep0), want: []*Tensor{vecF(14, 77)}},
		{name: "SumSquare noop squares", spec: red("ReduceSumSquare", 18, []*Tensor{vecF(-2, 3)}, attrInt("noop_with_empty_axes", 1)), want: []*Tensor{vecF(4, 9)}},
		{name: "L1", spec: red("ReduceL1", 18, []*Tensor{vecF(-2, 3)}, keep0), want: []*Tensor{scalarF(5)}},
		{name: "L1 noop", spec: red("ReduceL1", 18, []*Tensor{vecF(-2, 3)}, attrInt("noop_with_empty_axes", 1)), want: []*Tensor{vecF(2, 3)}},
		{name: "L2", spec: red("ReduceL2", 13, []*Tensor{vecF(3, -4)}, keep0), want: []*Tensor{scalarF(5)}},
		{name: "L2 int", spec: red("ReduceL2", 13, []*Tensor{vecI32(1<<20, 1<<20)}, keep0), want: []*Tensor{NewInt32([]int32{1482910})}},
		{name: "LogSum", spec: red("ReduceLogSum", 13, []*Tensor{vecF(1, 2)}, keep0), want: []*Tensor{scalarF(float32(math.Log(3)))}},
		{name: "LogSumExp", spec: red("ReduceLogSumExp", 13, []*Tensor{vecF(1000, 1000)}, keep0), want: []*Tensor{scalarF(1000 + float32(math.Ln2))}},
		{name: "LogSumExp empty", spec: red("ReduceLogSumExp", 18, []*Tensor{NewFloat32(nil, 0, 1), vecI(0)}, keep0), want: []*Tensor{vecF(-inf)}},
		{name: "LogSumExp int", spec: red("ReduceLogSumExp", 13, []*Tensor{vecI32(1, 2)}, keep0), want: []*Tensor{NewInt32([]int32{2})}},
		{name: "string", spec: red("ReduceSum", 13, []*Tensor{vecS("a")}), wantErr: "load: "},
	}
	runOpTests(t, tests)
}

func TestArgCumSumTopK(t *testing.T) {
	x := mat(2, 3, 1, 3, 3, nan32, 2, -1)
	arg := func(op string, opset int, x *Tensor, attrs ...*onnxpb.AttributeProto) nodeSpec {
		return nodeSpec{op: op, opset: opset, in: []*Tensor{x}, attrs: attrs}
	}
	topk := func(opset int, ins []*Tensor, attrs ...*onnxpb.AttributeProto) nodeSpec {
		return nodeSpec{op: "TopK", opset: opset, in: ins, outs: 2, attrs: attrs}
	}
	cum := func(x, axis *Tensor, attrs ...*onnxpb.AttributeProto) nodeSpec {
		return nodeSpec{op: "CumSum", opset: 14, in: []*Tensor{x, axis}, attrs: attrs}
	}
	tests := []opTest{
		{name: "ArgMax first tie", spec: arg("ArgMax", 13, x, attrInt("axis", 1)), want: []*Tensor{NewInt64([]int64{1, 0}, 2, 1)}},
		{name: "ArgMax last tie", spec: arg("ArgMax", 12, x, attrInt("axis", 1), attrInt("select_last_index", 1), attrInt("keepdims", 0)), want: []*Tensor{vecI(2, 0)}},
		{name: "ArgMin axis 0", spec: arg("ArgMin", 11, x, attrInt("keepdims", 0)), want: []*Tensor{vecI(0, 1, 1)}},
		{name: "ArgMin negative axis", spec: arg("ArgMin", 13, x, attrInt("axis", -1), attrInt("keepdims", 0)), want: []*Tensor{vecI(0, 0)}},
		{name: "ArgMax int32", spec: arg("ArgMax", 13, vecI32(1, 5, 5)), want: []*Tensor{NewInt64([]int64{1}, 1)}},
		{name: "ArgMax 0-row batch", spec: arg("ArgMax", 13, NewFloat32(nil, 0, 3), attrInt("axis", 1)), want: []*Tensor{NewInt64(nil, 0, 1)}},
		{name: "ArgMax empty axis", spec: arg("ArgMax", 13, NewFloat32(nil, 2, 0), attrInt("axis", 1)), wantErr: "empty axis"},
		{name: "ArgMax axis out of range", spec: arg("ArgMax", 13, x, attrInt("axis", 2)), wantErr: "out of range"},
		{name: "ArgMax-11 select_last_index", spec: arg("ArgMax", 11, x, attrInt("select_last_index", 1)), wantErr: "load: "},
		{name: "CumSum", spec: cum(x, NewInt64([]int64{1})), want: []*Tensor{mat(2, 3, 1, 4, 7, nan32, nan32, nan32)}},
		{name: "CumSum exclusive reverse", spec: cum(vecI(1, 2, 3), NewInt32([]int32{0}), attrInt("exclusive", 1), attrInt("reverse", 1)), want: []*Tensor{vecI(5, 3, 0)}},
		{name: "CumSum axis 0", spec: cum(mat(2, 2, 1, 2, 3, 4), NewInt64([]int64{-2})), want: []*Tensor{mat(2, 2, 1, 2, 4, 6)}},
		{name: "CumSum vector axis", spec: cum(vecF(1), vecI(0, 0)), wantErr: "scalar"},
		{name: "CumSum float axis", spec: cum(vecF(1), vecF(0)), wantErr: "load: "},
		{name: "CumSum axis out of range", spec: cum(vecF(1), NewInt64([]int64{1})), wantErr: "out of range"},
		{name: "TopK-1", spec: topk(1, []*Tensor{vecF(3, 1, 4, 1, 5)}, attrInt("k", 2)), want: []*Tensor{vecF(5, 4), vecI(4, 2)}},
		{name: "TopK-1 without k", spec: topk(1, []*Tensor{vecF(3)}), wantErr: "load: "},
		{name: "TopK-10", spec: topk(10, []*Tensor{mat(2, 3, 1, 3, 2, 6, 5, 4), vecI(1)}, attrInt("axis", 0)), want: []*Tensor{mat(1, 3, 6, 5, 4), NewInt64([]int64{1, 1, 1}, 1, 3)}},
		{name: "TopK smallest ties by index", spec: topk(11, []*Tensor{vecF(2, 1, 2, 1), vecI(3)}, attrInt("largest", 0)), want: []*Tensor{vecF(1, 1, 2), vecI(1, 3, 0)}},
		{name: "TopK largest ties by index", spec: topk(11, []*Tensor{vecI(2, 1, 2, 1), vecI(2)}), want: []*Tensor{vecI(2, 2), vecI(0, 2)}},
		{name: "TopK k 0", spec: topk(11, []*Tensor{vecF(1, 2), vecI(0)}), want: []*Tensor{NewFloat32(nil, 0), NewInt64(nil, 0)}},
		{name: "TopK 0-row batch", spec: topk(11, []*Tensor{NewFloat32(nil, 0, 4), vecI(2)}), want: []*Tensor{NewFloat32(nil, 0, 2), NewInt64(nil, 0, 2)}},
		{name: "TopK k too large", spec: topk(11, []*Tensor{vecF(1, 2), vecI(3)}), wantErr: "larger than"},
		{name: "TopK negative k", spec: topk(11, []*Tensor{vecF(1, 2), vecI(-1)}), wantErr: "negative"},
		{name: "TopK scalar k", spec: topk(11, []*Tensor{vecF(1, 2), NewInt64([]int64{1})}), wantErr: "1-D"},
		{name: "TopK-10 int", spec: topk(10, []*Tensor{vecI(1, 2), vecI(1)}), wantErr: "load: "},
		{name: "TopK-10 largest attribute", spec: topk(10, []*Tensor{vecF(1, 2), vecI(1)}, attrInt("largest", 0)), wantErr: "load: "},
	}
	runOpTests(t, tests)
}

// TestTopKConcurrent runs one TopK model from several goroutines: the
// kernel's scratch buffers must not be shared between runs.
func TestTopKConcurrent(t *testing.T) {
	spec := nodeSpec{op: "TopK", opset: 11, in: []*Tensor{mat(1, 8, 0, 0, 0, 0, 0, 0, 0, 0), vecI(3)}, consts: []int{1}, outs: 2}
	m, err := spec.load()
	if err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 8)
	for g := 0; g < 8; g++ {
		go func() {
			for i := 0; i < 50; i++ {
				v := float32(1000 + g*100 + i)
				x := mat(2, 8, 1, v, 3, v+1, 0, 2, v-1, 4, 9, 8, 7, 6, 5, 4, 3, 2)
				out, err := m.Run(context.Background(), []*Tensor{x})
				if err != nil {
					errs <- err
					return
				}
				want := []*Tensor{mat(2, 3, v+1, v, v-1, 9, 8, 7), NewInt64([]int64{3, 1, 6, 0, 1, 2}, 2, 3)}
				for j, w := range want {
					if !sameTensor(out[j].Tensor, w, 0) {
						errs <- fmt.Errorf("TopK(%s) output %d = %s; want %s", show(x), j, show(out[j].Tensor), show(w))
						return
					}
				}
			}
			errs <- nil
		}()
	}
	for g := 0; g < 8; g++ {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
