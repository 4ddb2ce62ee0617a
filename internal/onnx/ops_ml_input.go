package onnx

import (
	"fmt"
	"strings"
)

// checkInType reports an error when input i's element type is known at
// load time and is not one of allowed.
func checkInType(n *node, i int, allowed ...DataType) error {
	t := n.inType(i)
	if t == Undefined {
		return nil
	}
	for _, a := range allowed {
		if t == a {
			return nil
		}
	}
	return fmt.Errorf("input %d has type %v, want %s", i, t, typeList(allowed))
}

// typeList formats types as "a, b or c".
func typeList(types []DataType) string {
	names := make([]string, len(types))
	for i, t := range types {
		names[i] = t.String()
	}
	if len(names) == 1 {
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}
