package oip

import (
	"context"
	"errors"

	"github.com/tabserve/tabserve/internal/onnx"
)

// Infer runs a decoded request through a model: it matches the request's
// inputs to the model's by name, converts them to the types the model
// declares, evaluates the model, and returns the outputs the request
// selects (all of them, in the model's order, when it selects none). A
// request that does not fit the model gets a *RequestError; evaluation
// failures are returned as they are.
func Infer(ctx context.Context, m *onnx.Model, req *Request) ([]Output, error) {
	byName := make(map[string]*Input, len(req.Inputs))
	for i := range req.Inputs {
		byName[req.Inputs[i].Name] = &req.Inputs[i]
	}
	inputs := make([]*onnx.Tensor, len(m.Inputs()))
	for i, vi := range m.Inputs() {
		in, ok := byName[vi.Name]
		if !ok {
			return nil, reqErr("missing input %q", vi.Name)
		}
		delete(byName, vi.Name)
		t, err := in.Tensor(vi.Type.Elem)
		if err != nil {
			return nil, err
		}
		inputs[i] = t
	}
	for _, in := range req.Inputs {
		if _, extra := byName[in.Name]; extra {
			return nil, reqErr("the model has no input %q", in.Name)
		}
	}
	outs := m.Outputs()
	var selected []int
	for _, ro := range req.Outputs {
		found := false
		for i, o := range outs {
			if o.Name == ro.Name {
				selected, found = append(selected, i), true
				break
			}
		}
		if !found {
			return nil, reqErr("the model has no output %q", ro.Name)
		}
	}
	if len(req.Outputs) == 0 {
		for i := range outs {
			selected = append(selected, i)
		}
	}
	values, err := m.Run(ctx, inputs)
	if err != nil {
		var ie *onnx.InputError
		if errors.As(err, &ie) {
			return nil, reqErr("%v", ie)
		}
		var ee *onnx.EvalError
		if errors.As(err, &ee) && ctx.Err() == nil {
			return nil, reqErr("the model cannot evaluate these inputs: %v", ee)
		}
		return nil, err
	}
	res := make([]Output, 0, len(selected))
	for _, i := range selected {
		res = append(res, NewOutputs(outs[i].Name, values[i])...)
	}
	return res, nil
}
