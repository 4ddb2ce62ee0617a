"""gen_gemm writes cases that pin down the order in which onnxruntime's
MatMul and Gemm sum their products (MLAS's SGEMM and DGEMM on x86-64), so
that a kernel summing in another order fails them: long inner dimensions
that cross MLAS's K blocks (256 for a prepacked B, 128 to 1024 otherwise),
values of mixed magnitude and sign (sums that cancel), one row (MLAS's M = 1
kernels), one column (the same kernels with the operands swapped), column
counts that exercise each block size of those kernels, transA and transB,
alpha and beta other than 1, every shape of C, B as an initializer (which
onnxruntime prepacks), as a graph input, as a Constant node and as a value
computed from initializers (neither prepacked), and double precision.

Each case is one model holding several independent products (outputs Y0,
Y1, ...). Names start with gemm_.
"""
import sys

import numpy as np
from onnx import helper, numpy_helper, TensorProto
from casegen import make_model, write_case

F, D = TensorProto.FLOAT, TensorProto.DOUBLE
NP = {F: np.float32, D: np.float64}

ONLY = sys.argv[1:]  # optional name prefixes to regenerate

rng = np.random.default_rng(20240611)


def mixed(*shape, dtype=np.float32, zeros=0.1):
    """mixed draws values of mixed magnitude (2^-6 to 2^6) and sign, about
    a tenth of them zero."""
    n = int(np.prod(shape)) if shape else 1
    v = rng.choice([-1.0, 1.0], n) * 2.0 ** rng.uniform(-6, 6, n)
    v[rng.random(n) < zeros] = 0
    return v.reshape(shape).astype(dtype)


class Case:
    """Case collects independent products into one model."""

    def __init__(self, name, typ=F, opset=13):
        self.name, self.typ, self.opset = name, typ, opset
        self.nodes, self.inputs, self.inits, self.outputs, self.feeds = [], [], [], [], {}

    def _value(self, name, arr, how):
        """_value makes arr available under name: "input" (a graph input),
        "init" (an initializer), "constant" (a Constant node) or "folded"
        (twice an initializer's half, computed by a Mul node)."""
        arr = np.asarray(arr, NP[self.typ])
        if how == "input":
            self.inputs.append(helper.make_tensor_value_info(name, self.typ, list(arr.shape)))
            self.feeds[name] = arr
        elif how == "init":
            self.inits.append(numpy_helper.from_array(arr, name))
        elif how == "constant":
            self.nodes.append(helper.make_node("Constant", [], [name], value=numpy_helper.from_array(arr, name + "_value")))
        elif how == "folded":
            self.inits.append(numpy_helper.from_array((arr / 2).astype(arr.dtype), name + "_half"))
            self.inits.append(numpy_helper.from_array(np.asarray(2, arr.dtype), name + "_two"))
            self.nodes.append(helper.make_node("Mul", [name + "_half", name + "_two"], [name]))
        else:
            raise ValueError(how)
        return name

    def add(self, op, a, b, c=None, b_how="input", c_how="input", **attrs):
        i = len(self.outputs)
        ins = [self._value("A%d" % i, a, "input"), self._value("B%d" % i, b, b_how)]
        if c is not None:
            ins.append(self._value("C%d" % i, c, c_how))
        out = "Y%d" % i
        self.nodes.append(helper.make_node(op, ins, [out], **attrs))
        self.outputs.append(helper.make_tensor_value_info(out, self.typ, None))

    def write(self, description):
        if ONLY and not any(self.name.startswith(p) for p in ONLY):
            return
        m = make_model(self.nodes, self.inputs, self.outputs, self.inits, opsets={"": self.opset}, name=self.name)
        write_case(self.name, m, self.feeds, description=description, check=False)


# MatMul with B an initializer: prepacked, one chain of fused multiply-adds
# per output in K blocks of 256, also for one row or one column.
c = Case("gemm_matmul_packed_k300")
c.add("MatMul", mixed(3, 300), mixed(300, 5), b_how="init")
c.write("MatMul, B an initializer [300, 5]: two K blocks of the prepacked SGEMM")

c = Case("gemm_matmul_packed_shapes")
c.add("MatMul", mixed(17, 12), mixed(12, 20), b_how="init")
c.add("MatMul", mixed(1, 30), mixed(30, 33), b_how="init")
c.add("MatMul", mixed(2, 3, 8), mixed(8, 6), b_how="init")
c.add("MatMul", mixed(9), mixed(9, 4), b_how="init")
c.add("MatMul", mixed(2, 260), mixed(260, 1), b_how="init")
c.add("MatMul", mixed(1, 40), mixed(40, 3), b_how="constant")
c.write("MatMul, B an initializer or a Constant node: 17 rows, one row, a stack of rows, a vector, one column")

# MatMul with B a graph input: MLAS's M = 1 kernel (B not transposed), which
# adds four products at a time, for every remainder of K by 4.
c = Case("gemm_matmul_row")
for k, n in [(1, 3), (2, 1), (3, 9), (4, 2), (5, 4), (6, 7), (7, 1), (9, 5), (30, 9), (130, 3)]:
    c.add("MatMul", mixed(1, k), mixed(k, n))
c.write("MatMul of one row by a B given at run time: the M = 1 kernel, K = 1 to 130")

# One column: the M = 1 kernel for a transposed B, with A's rows as B's, in
# blocks of 4, 2 and 1 rows.
c = Case("gemm_matmul_col")
for m, k in [(2, 7), (3, 9), (5, 30), (17, 16), (6, 3)]:
    c.add("MatMul", mixed(m, k), mixed(k, 1))
c.write("MatMul by one column given at run time: the M = 1 kernel with the operands swapped")

c = Case("gemm_matmul_vec")
c.add("MatMul", mixed(4, 13), mixed(13))
c.add("MatMul", mixed(3, 2, 9), mixed(9), b_how="init")
c.add("MatMul", mixed(11), mixed(11))
c.add("MatMul", mixed(10), mixed(10, 3))
c.write("MatMul with 1-D operands (each row its own product), B at run time or a 1-D initializer (not prepacked)")

# B neither an initializer nor a Constant node: not prepacked, so the K
# block follows N and K (1024 for N = 3, 512 for N = 17).
c = Case("gemm_matmul_unpacked_kblocks")
c.add("MatMul", mixed(2, 140), mixed(140, 3))
c.add("MatMul", mixed(2, 520), mixed(520, 17), b_how="folded")
c.add("MatMul", mixed(1, 40), mixed(40, 6), b_how="folded")
c.write("MatMul, B computed from initializers or given at run time (not prepacked): MLAS's K blocks for small N; one row")

# Gemm with B an initializer (prepacked): C copied into Y, multiplied by
# beta, then each K block folded in as fma(sum, alpha, y).
c = Case("gemm_gemm_packed")
c.add("Gemm", mixed(1, 300), mixed(300, 4), mixed(4), b_how="init", c_how="init", alpha=0.5, beta=2.0)
c.add("Gemm", mixed(2, 300), mixed(4, 300), b_how="init", transB=1, alpha=-2.0)
c.add("Gemm", mixed(5, 10), mixed(10, 3), mixed(5, 1), b_how="init")
c.add("Gemm", mixed(1, 10), mixed(3, 10), np.float32(0.75), b_how="init", c_how="init", transB=1, beta=-1.5)
c.add("Gemm", mixed(10, 4), mixed(10, 6), mixed(1, 6), b_how="init", transA=1, alpha=1.5, beta=0.25)
c.add("Gemm", mixed(3, 7), mixed(7, 5), mixed(3, 5), b_how="init", alpha=1.0, beta=1.0)
c.write("Gemm, B an initializer: alpha and beta, C of shapes [N], [M, 1], scalar, [1, N], [M, N]; transA, transB")

c = Case("gemm_gemm_runtime")
c.add("Gemm", mixed(1, 13), mixed(13, 6), mixed(6))
c.add("Gemm", mixed(1, 13), mixed(6, 13), mixed(1, 6), transB=1)
c.add("Gemm", mixed(1, 13), mixed(7, 13), transB=1)
c.add("Gemm", mixed(1, 13), mixed(13, 5), mixed(5), alpha=2.0)
c.add("Gemm", mixed(1, 13), mixed(5, 13), mixed(5), transB=1, beta=0.5)
c.add("Gemm", mixed(13, 1), mixed(13, 4), mixed(4), transA=1)
c.add("Gemm", mixed(5, 9), mixed(9, 1), mixed(5, 1))
c.add("Gemm", mixed(9, 3), mixed(9, 1), transA=1)
c.add("Gemm", mixed(4, 1), mixed(1, 1), np.float32(-0.5), transB=1)
c.add("Gemm", mixed(3, 5), mixed(1, 5), mixed(1), transB=1)
c.add("Gemm", mixed(140, 2), mixed(3, 140), mixed(2, 3), transA=1, transB=1, alpha=0.75)
c.write("Gemm, B at run time: the M = 1 kernels (alpha 1, beta 0 or 1, A not transposed), one column, "
        "K blocks of 128 with transA")

c = Case("gemm_gemm_k0")
c.add("Gemm", np.zeros((2, 0), np.float32), np.zeros((0, 3), np.float32), mixed(3, zeros=0), beta=2.0)
c.add("Gemm", np.zeros((2, 0), np.float32), np.zeros((0, 3), np.float32), mixed(3, zeros=0), beta=0.0)
c.write("Gemm with K = 0: onnxruntime returns C unscaled (zeros when beta is 0)")

c = Case("gemm_f64", typ=D)
c.add("Gemm", mixed(140, 2, dtype=np.float64), mixed(140, 3, dtype=np.float64), mixed(3, dtype=np.float64),
      transA=1, alpha=0.5, beta=2.0)
c.add("MatMul", mixed(3, 20, dtype=np.float64), mixed(20, 5, dtype=np.float64))
c.add("MatMul", mixed(2, 50, dtype=np.float64), mixed(50, 4, dtype=np.float64), b_how="init")
c.add("Gemm", mixed(4, 10, dtype=np.float64), mixed(3, 10, dtype=np.float64), transB=1, alpha=-2.0)
c.add("MatMul", mixed(1, 9, dtype=np.float64), mixed(9, 1, dtype=np.float64))
c.write("double precision (MLAS's DGEMM): K blocks of 128 with transA, alpha and beta, one row and column")
