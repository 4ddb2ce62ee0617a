"""gen_sk4_knnimputer writes sk4_knnimp_* cases: KNNImputer as skl2onnx
1.19.1 converts it (nearest_neighbours.py, #1165 / #1167: "refactors
KNNImputer converter with local function to match scikit-learn's
implementation"; the converter asserts target_opset >= 18).

The model calls model-local functions (ModelProto.functions, domain
'local_domain', imported at version 1; each function imports the default
domain at the main opset, and 'local_domain' 1 when it calls another one):
  * main graph: IsNaN(X) -> Compress(valid columns, axis 1) -> Cast(int32) ->
    ReduceMax(axes [1], keepdims 0) -> Cast(bool) -> Reshape(-1) -> NonZero ->
    Reshape(-1) = rows with a missing value; Not(_mask_fit_X);
    dict_idx_map(X, rows); Gather(X, rows) -> dist_nan_euclidean(., _fit_X);
    per column knn_imputer_column(i, x, ...) chained; Compress(valid
    columns, axis 1); Identity.
  * dict_idx_map: ScatterND(ConstantOfShape(Shape(x)[:1], 0), Unsqueeze(rows,
    -1), Range(0, n)) (row -> position among the missing rows).
  * dist_nan_euclidean: scikit-learn's nan_euclidean_distances with Gemm
    (transB 1), ReduceSum(axes input), Clip(min [0]), Where(no common feature,
    NaN, .), Max(1, present count), Div, Mul(n_features), Sqrt.
  * knn_imputer_column: If(ReduceMax(Cast(missing in column i among the
    missing rows, int32)) == 0, Identity, knn_imputer_column_nan_found).
  * knn_imputer_column_nan_found: potential donors NonZero(Gather(non missing
    training mask, i, axis 1)), receivers, the distance subset through
    Gather chains, all-NaN receivers (ReduceMin(Cast(IsNaN, int32), axes
    [1])) -> If(Size > 0, knn_imputer_column_all_nan, Identity x3);
    k = min(n_neighbors, donors) (at least 1); calc_impute; ScatterND into
    the column, ScatterElements(axis 1) back into x.
  * calc_impute -> calc_impute_donors (TopK(Where(IsNaN(d), FLT_MAX, d), k,
    largest 0) + GatherND / GatherElements), calc_impute_weights (Where(IsNaN,
    0, ones)), calc_impute_make_new_neights (Cast(1 - donor mask) x weights);
    ReduceSum, Equal(0) guard, Div, Squeeze.
Constants inside the functions are Constant nodes. The conversion code was
read on skl2onnx main; how make_local_function names and orders things was
not available, so names follow the converter's outputs=[...] arguments.
The sk4_knnimp_* request rows always share an observed feature with the
training rows. A row whose distances are all NaN (here: every feature
missing) takes knn_imputer_column_all_nan, which returns the distance subset
gathered with NonZero's [1, K] output (not reshaped), so calc_impute_donors'
GatherElements gets indices beyond its axis of size 1: onnxruntime refuses
the request (sk4_err_knnimp_all_nan_row).
"""
import numpy as np
from onnx import TensorProto, helper, numpy_helper
from sklearn.impute import KNNImputer

import skcommon
from skcommon import Builder, float_input, tinfo, run_case, write_error_case
import skparts

LD = "local_domain"
FLT = TensorProto.FLOAT


class Fn:
    """Fn collects the nodes of one local function; numpy inputs become
    Constant nodes."""

    def __init__(self, name, inputs, calls_local=False, opset=21):
        self.name, self.inputs, self.nodes, self.outputs = name, list(inputs), [], []
        self.opset = opset
        self.calls_local = calls_local
        self._n = 0

    def _cst(self, arr):
        self._n += 1
        out = f"cst{self._n}"
        self.nodes.append(helper.make_node("Constant", [], [out], value=numpy_helper.from_array(np.asarray(arr),
                                                                                             "value")))
        return out

    def const(self, out, arr):
        self.nodes.append(helper.make_node("Constant", [], [out], value=numpy_helper.from_array(np.asarray(arr),
                                                                                             "value")))
        return out

    def op(self, op_type, *inputs, outputs, domain="", **attrs):
        ins = [self._cst(i) if isinstance(i, np.ndarray) else i for i in inputs]
        outs = [outputs] if isinstance(outputs, str) else list(outputs)
        self.nodes.append(helper.make_node(op_type, ins, outs, domain=domain, **attrs))
        return outs[0] if len(outs) == 1 else outs

    def proto(self):
        imports = [helper.make_opsetid("", self.opset)]
        if self.calls_local:
            imports.append(helper.make_opsetid(LD, 1))
        return helper.make_function(LD, self.name, self.inputs, self.outputs, self.nodes, imports)


def i64(*v):
    return np.array(v, dtype=np.int64)


def fn_dict_idx_map():
    f = Fn("dict_idx_map", ["x", "row_missing_idx"])
    z = f.const("init7_s_0", np.array(0, dtype=np.int64))
    one = f.const("init7_s_1", np.array(1, dtype=np.int64))
    m1 = f.const("init7_s1__1", i64(-1))
    sx = f.op("Shape", "x", outputs="_shape_x0", start=0, end=1)
    sr = f.op("Shape", "row_missing_idx", outputs="_shape_row_missing_idx0", start=0, end=1)
    n = f.op("Squeeze", sr, outputs="sym_size_int_4")
    zeros = f.op("ConstantOfShape", sx, outputs="zeros", value=numpy_helper.from_array(i64(0), "value"))
    ar = f.op("Range", z, n, one, outputs="arange")
    un = f.op("Unsqueeze", "row_missing_idx", m1, outputs="_onx_unsqueeze_row_missing_idx0")
    f.op("ScatterND", zeros, un, ar, outputs="output_0")
    f.outputs = ["output_0"]
    return f


def fn_dist_nan_euclidean():
    f = Fn("dist_nan_euclidean", ["x", "y"])
    c0 = f.const("c_lifted_tensor_0", np.array(0.0, dtype=np.float32))
    c1 = f.const("c_lifted_tensor_1", np.array(0.0, dtype=np.float32))
    c2 = f.const("c_lifted_tensor_2", np.array(np.nan, dtype=np.float32))
    c3 = f.const("c_lifted_tensor_3", np.array([1.0], dtype=np.float32))
    m2 = f.const("init1_s_", np.array(-2.0, dtype=np.float32))
    one1 = f.const("init7_s1_1", i64(1))
    z1 = f.const("init1_s1_", np.array([0.0], dtype=np.float32))
    o = f.const("init1_s_2", np.array(1.0, dtype=np.float32))
    z = f.const("init1_s_3", np.array(0.0, dtype=np.float32))
    sh = f.const("init7_s2_1__1", i64(1, -1))
    isnan = f.op("IsNaN", "x", outputs="isnan")
    tc2 = f.op("Cast", isnan, outputs="_to_copy_2", to=FLT)
    isnan1 = f.op("IsNaN", "y", outputs="isnan_1")
    ip = f.op("Where", isnan, c0, "x", outputs="index_put")
    ip1 = f.op("Where", isnan1, c1, "y", outputs="index_put_1")
    m18 = f.op("Mul", ip, ip, outputs="mul_18")
    m21 = f.op("Mul", ip1, ip1, outputs="mul_21")
    mm2 = f.op("Gemm", tc2, m21, outputs="matmul_2", transA=0, transB=1)
    r0 = f.op("Reshape", m2, one1, outputs="_reshape_init1_s_0")
    ip2 = f.op("Mul", ip, r0, outputs="index_put__2")
    mm = f.op("Gemm", ip2, ip1, outputs="matmul", transA=0, transB=1)
    s1 = f.op("ReduceSum", m18, one1, outputs="sum_1", keepdims=1)
    a50 = f.op("Add", mm, s1, outputs="add_50")
    s2 = f.op("ReduceSum", m21, one1, outputs="sum_2", keepdims=1)
    p2 = f.op("Reshape", s2, sh, outputs="permute_2")
    a59 = f.op("Add", a50, p2, outputs="add_59")
    tc1 = f.op("Cast", isnan1, outputs="_to_copy_1", to=FLT)
    mm1 = f.op("Gemm", m18, tc1, outputs="matmul_1", transA=0, transB=1)
    s32 = f.op("Sub", a59, mm1, outputs="sub_32")
    s43 = f.op("Sub", s32, mm2, outputs="sub_43")
    clip = f.op("Clip", s43, z1, outputs="clip")
    r20 = f.op("Reshape", o, one1, outputs="_reshape_init1_s_20")
    rsub = f.op("Sub", r20, tc2, outputs="rsub")
    bn = f.op("Not", isnan1, outputs="bitwise_not")
    tc4 = f.op("Cast", bn, outputs="_to_copy_4", to=FLT)
    mm3 = f.op("Gemm", rsub, tc4, outputs="matmul_3", transA=0, transB=1)
    r30 = f.op("Reshape", z, one1, outputs="_reshape_init1_s_30")
    eq = f.op("Equal", mm3, r30, outputs="eq_61")
    ip3 = f.op("Where", eq, c2, clip, outputs="index_put_2")
    mx = f.op("Max", c3, mm3, outputs="maximum")
    dv = f.op("Div", ip3, mx, outputs="div")
    cs = f.op("Shape", "x", outputs="col_size", start=1, end=2)
    csc = f.op("Cast", cs, outputs="col_size_c", to=FLT)
    md = f.op("Mul", dv, csc, outputs="_onx_mul_div0")
    f.op("Sqrt", md, outputs="output_0")
    f.outputs = ["output_0"]
    return f


def fn_calc_impute_donors():
    f = Fn("calc_impute_donors", ["dist_pot_donors", "n_neighbors"])
    z = f.const("init7_s_0", np.array(0, dtype=np.int64))
    one1 = f.const("init7_s1_1", i64(1))
    one = f.const("init7_s_1", np.array(1, dtype=np.int64))
    sh = f.op("Shape", "dist_pot_donors", outputs="_shape_dist_pot_donors0", start=0, end=1)
    n = f.op("Squeeze", sh, outputs="sym_size_int_4")
    mx = f.const("init_max_value", np.array(np.finfo(np.float32).max, dtype=np.float32))
    isn = f.op("IsNaN", "dist_pot_donors", outputs="isnan_d")
    wh = f.op("Where", isn, mx, "dist_pot_donors", outputs="where_d")
    k = f.op("Reshape", "n_neighbors", i64(1), outputs="k_1")
    f.op("TopK", wh, k, outputs=["unused_topk_values", "output_0"], largest=0, sorted=1)
    ar = f.op("Range", z, n, one, outputs="arange")
    un = f.op("Unsqueeze", ar, one1, outputs="unsqueeze")
    g = f.op("GatherND", "dist_pot_donors", un, outputs="_onx_gathernd_dist_pot_donors0", batch_dims=0)
    f.op("GatherElements", g, "output_0", outputs="output_1", axis=1)
    f.outputs = ["output_0", "output_1"]
    return f


def fn_calc_impute_weights():
    f = Fn("calc_impute_weights", ["donors_dist"])
    c0 = f.const("c_lifted_tensor_0", np.array(0.0, dtype=np.float32))
    sh = f.op("Shape", "donors_dist", outputs="_shape_donors_dist0")
    ones = f.op("ConstantOfShape", sh, outputs="ones_like",
                value=numpy_helper.from_array(np.array([1.0], dtype=np.float32), "value"))
    isn = f.op("IsNaN", "donors_dist", outputs="isnan")
    f.op("Where", isn, c0, ones, outputs="output_0")
    f.outputs = ["output_0"]
    return f


def fn_calc_impute_make_new_neights():
    f = Fn("calc_impute_make_new_neights", ["donors_mask", "donors", "weight_matrix"])
    tc = f.op("Cast", "donors_mask", outputs="_to_copy", to=FLT)
    f.op("Mul", tc, "weight_matrix", outputs="output_0")
    f.outputs = ["output_0"]
    return f


def fn_calc_impute():
    f = Fn("calc_impute", ["dist_pot_donors", "n_neighbors", "fit_x_col", "mask_fit_x_col"], calls_local=True)
    c0 = f.const("c_lifted_tensor_0", i64(1))
    c1 = f.const("c_lifted_tensor_1", np.array([1.0], dtype=np.float32))
    m1 = f.const("init7_s1__1", i64(-1))
    z = f.const("init1_s_", np.array(0.0, dtype=np.float32))
    idx, dd = f.op("calc_impute_donors", "dist_pot_donors", "n_neighbors", domain=LD,
                   outputs=["calc_impute_in__donors_idx__0", "calc_impute_in__donors_idx__1"])
    w = f.op("calc_impute_weights", dd, domain=LD, outputs="calc_impute_in__weights")
    rf = f.op("Reshape", "fit_x_col", m1, outputs="_reshape_fit_x_col0")
    take = f.op("Gather", rf, idx, outputs="take")
    rm = f.op("Reshape", "mask_fit_x_col", m1, outputs="_reshape_mask_fit_x_col0")
    take1 = f.op("Gather", rm, idx, outputs="take_1")
    tc = f.op("Cast", take1, outputs="_to_copy", to=TensorProto.INT64)
    s12 = f.op("Sub", c0, tc, outputs="sub_12")
    nn = f.op("calc_impute_make_new_neights", s12, take, w, domain=LD, outputs="calc_impute_in__make_new_neights")
    s1 = f.op("ReduceSum", nn, c0, outputs="sum_1", keepdims=1)
    r0 = f.op("Reshape", z, c0, outputs="_reshape_init1_s_0")
    eq = f.op("Equal", s1, r0, outputs="eq_17")
    wh = f.op("Where", eq, c1, s1, outputs="where")
    m17 = f.op("Mul", take, nn, outputs="mul_17")
    s2 = f.op("ReduceSum", m17, c0, outputs="sum_2", keepdims=1)
    dv = f.op("Div", s2, wh, outputs="div")
    f.op("Squeeze", dv, c0, outputs="output_0")
    f.outputs = ["output_0"]
    return f


ALL_NAN_INPUTS = ["i_col", "x", "dist_subset", "mask_fit_x", "_fit_x", "receivers_idx", "all_nan_receivers_idx",
                  "all_nan_dist_mask", "dist_chunk", "dist_idx_map", "potential_donors_idx"]


def fn_knn_imputer_column_all_nan():
    f = Fn("knn_imputer_column_all_nan", ALL_NAN_INPUTS, calls_local=True)
    c0 = f.const("c_lifted_tensor_0", np.array([1.0], dtype=np.float32))
    o = f.const("init1_s_", np.array(1.0, dtype=np.float32))
    one1 = f.const("init7_s1_1", i64(1))
    z = f.const("init1_s_2", np.array(0.0, dtype=np.float32))
    z1 = f.const("init7_s1_0", i64(0))
    m1 = f.const("init7_s1__1", i64(-1))
    one = f.const("init7_s_1", np.array(1, dtype=np.int64))
    ic2 = f.op("Unsqueeze", "i_col", z1, outputs="init7_s1_2")
    sel = f.op("Gather", "mask_fit_x", "i_col", outputs="select", axis=1)
    bn = f.op("Not", sel, outputs="bitwise_not")
    tc = f.op("Cast", bn, outputs="_to_copy", to=FLT)
    s1 = f.op("ReduceSum", tc, outputs="sum_1", keepdims=0)
    r0 = f.op("Reshape", o, one1, outputs="_reshape_init1_s_0")
    eq6 = f.op("Equal", tc, r0, outputs="eq_6")
    sel1 = f.op("Gather", "_fit_x", "i_col", outputs="select_1", axis=1)
    idx = f.op("Compress", sel1, eq6, outputs="index", axis=0)
    s2 = f.op("ReduceSum", idx, outputs="sum_2", keepdims=0)
    gt = f.op("Greater", s1, z, outputs="gt")
    wh = f.op("Where", gt, s1, c0, outputs="where")
    r2 = f.op("Reshape", s2, one1, outputs="_reshape__to_copy_20")
    dv = f.op("Div", r2, wh, outputs="div")
    sel2 = f.op("Gather", "x", "i_col", outputs="select_2", axis=1)
    view = f.op("Squeeze", dv, z1, outputs="view")
    un = f.op("Unsqueeze", "all_nan_receivers_idx", m1, outputs="_onx_unsqueeze_all_nan_receivers_idx0")
    sh = f.op("Shape", "all_nan_receivers_idx", outputs="_shape_all_nan_receivers_idx0")
    ex = f.op("Expand", view, sh, outputs="_onx_expand_view0")
    ip = f.op("ScatterND", sel2, un, ex, outputs="index_put")
    un2 = f.op("Unsqueeze", ip, one, outputs="_onx_unsqueeze_index_put0")
    sh2 = f.op("Shape", un2, outputs="_shape_unsqueeze_index_put00")
    ex2 = f.op("Expand", ic2, sh2, outputs="_onx_expand_init7_s1_20")
    f.op("ScatterElements", "x", ex2, un2, outputs="output_0", axis=1, reduction="none")
    bn1 = f.op("Not", "all_nan_dist_mask", outputs="bitwise_not_1")
    o2 = f.op("Compress", "receivers_idx", bn1, outputs="output_2", axis=0)
    i2 = f.op("Gather", "dist_idx_map", o2, outputs="index_2", axis=0)
    i3 = f.op("Gather", "dist_chunk", i2, outputs="index_3", axis=0)
    f.op("Gather", i3, "potential_donors_idx", outputs="output_1", axis=1)
    f.outputs = ["output_0", "output_1", "output_2"]
    return f


def fn_knn_imputer_column_nan_found():
    f = Fn("knn_imputer_column_nan_found", ["i_col", "x", "col_mask", "dist_idx_map", "mask_fit_x",
                                            "non_missing_fix_x", "dist_chunk", "_fit_x", "row_missing_idx",
                                            "n_neighbors"], calls_local=True)
    m1 = f.const("init7_s1__1", i64(-1))
    z = f.const("init7_s_0", np.array(0, dtype=np.int64))
    one = f.const("init7_s_1", np.array(1, dtype=np.int64))
    c2 = f.const("c_lifted_tensor_2", i64(1))
    ic2 = f.op("Unsqueeze", "i_col", i64(0), outputs="init7_s1_2")
    sel1 = f.op("Gather", "non_missing_fix_x", "i_col", outputs="select_1", axis=1)
    pdi = f.op("NonZero", sel1, outputs="potential_donors_idx")
    nz0 = f.op("Reshape", pdi, m1, outputs="nonzero_numpy__0")
    sg = f.op("Shape", nz0, outputs="_shape_getitem_20", start=0, end=1)
    n23 = f.op("Squeeze", sg, outputs="sym_size_int_23")
    fi = f.op("NonZero", "col_mask", outputs="flat_index")
    nz1 = f.op("Reshape", fi, m1, outputs="nonzero_numpy_1__0")
    rec = f.op("Gather", "row_missing_idx", nz1, outputs="receivers_idx", axis=0)
    i2 = f.op("Gather", "dist_idx_map", rec, outputs="index_2", axis=0)
    i3 = f.op("Gather", "dist_chunk", i2, outputs="index_3", axis=0)
    ds = f.op("Gather", i3, nz0, outputs="dist_subset", axis=1)
    isn = f.op("IsNaN", ds, outputs="isnan")
    ci = f.op("Cast", isn, outputs="_onx_cast_isnan0", to=TensorProto.INT32)
    rmin = f.op("ReduceMin", ci, c2, outputs="_onx_reducemin_cast_isnan00", keepdims=0)
    andm = f.op("Cast", rmin, outputs="all_nan_dist_mask", to=TensorProto.BOOL)
    anr = f.op("Compress", rec, andm, outputs="all_nan_receivers_idx", axis=0)
    size = f.op("Size", anr, outputs="size_all_nan_receivers_idx")
    zi = f.const("zero_i", np.array(0, dtype=np.int64))
    gt = f.op("Greater", size, zi, outputs="size_index_5_greater")
    vi = helper.make_tensor_value_info
    then_g = helper.make_graph(
        [helper.make_node("knn_imputer_column_all_nan", ["i_col", "x", ds, "mask_fit_x", "_fit_x", rec, anr, andm,
                                                         "dist_chunk", "dist_idx_map", pdi], ["A", "B", "C"],
                          domain=LD)],
        "then_branch", [], [vi("A", FLT, None), vi("B", FLT, None), vi("C", TensorProto.INT64, None)])
    else_g = helper.make_graph(
        [helper.make_node("Identity", ["x"], ["A"]), helper.make_node("Identity", [ds], ["B"]),
         helper.make_node("Identity", [rec], ["C"])],
        "identity", [], [vi("A", FLT, None), vi("B", FLT, None), vi("C", TensorProto.INT64, None)])
    ss, ds2, rec2 = f.op("If", gt, outputs=["select_scatter", "dist_subset_updated", "receivers_idx_updated"],
                         then_branch=then_g, else_branch=else_g)
    lt = f.op("Less", "n_neighbors", n23, outputs="lt")
    w1 = f.op("Where", lt, "n_neighbors", n23, outputs="where_1")
    le = f.op("LessOrEqual", w1, z, outputs="le")
    w2 = f.op("Where", le, one, w1, outputs="where_2")
    s6 = f.op("Gather", "_fit_x", "i_col", outputs="select_6", axis=1)
    i11 = f.op("Gather", s6, nz0, outputs="index_11", axis=0)
    s7 = f.op("Gather", "mask_fit_x", "i_col", outputs="select_7", axis=1)
    i12 = f.op("Gather", s7, nz0, outputs="index_12", axis=0)
    ci_out = f.op("calc_impute", ds2, w2, i11, i12, domain=LD, outputs="calc_impute_output")
    s9 = f.op("Gather", ss, "i_col", outputs="select_9", axis=1)
    un = f.op("Unsqueeze", rec2, m1, outputs="_onx_unsqueeze_index_70")
    ip1 = f.op("ScatterND", s9, un, ci_out, outputs="index_put_1")
    un2 = f.op("Unsqueeze", ip1, one, outputs="_onx_unsqueeze_index_put_10")
    sh = f.op("Shape", un2, outputs="_shape_unsqueeze_index_put_100")
    ex = f.op("Expand", ic2, sh, outputs="_onx_expand_init7_s1_202")
    f.op("ScatterElements", ss, ex, un2, outputs="output_0", axis=1, reduction="none")
    f.outputs = ["output_0"]
    return f


def fn_knn_imputer_column():
    f = Fn("knn_imputer_column", ["i_col", "x", "dist_chunk", "non_missing_fix_x", "mask_fit_x", "dist_idx_map",
                                  "mask", "row_missing_idx", "_fit_x", "n_neighbors"], calls_local=True)
    z32 = f.const("zero", np.array(0, dtype=np.int32))
    m1 = f.const("init7_s1__1", i64(-1))
    sel = f.op("Gather", "mask", "i_col", outputs="select", axis=1)
    idx = f.op("Gather", sel, "row_missing_idx", outputs="index", axis=0)
    view = f.op("Reshape", idx, m1, outputs="view")
    cm = f.op("Cast", view, outputs="col_mask", to=TensorProto.INT32)
    cmm = f.op("ReduceMax", cm, outputs="col_mask_max")
    null = f.op("Equal", cmm, z32, outputs="col_mask_max_null")
    vi = helper.make_tensor_value_info
    then_g = helper.make_graph([helper.make_node("Identity", ["x"], ["X"])], "identity", [], [vi("X", FLT, None)])
    else_g = helper.make_graph(
        [helper.make_node("knn_imputer_column_nan_found", ["i_col", "x", cm, "dist_idx_map", "mask_fit_x",
                                                           "non_missing_fix_x", "dist_chunk", "_fit_x",
                                                           "row_missing_idx", "n_neighbors"], ["X"], domain=LD)],
        "then_branch", [], [vi("X", FLT, None)])
    f.op("If", null, outputs="output_0", then_branch=then_g, else_branch=else_g)
    f.outputs = ["output_0"]
    return f


def knn_imputer_model(name, imp):
    b = Builder(21)
    b.reserve("variable", "output_0")
    F = imp._fit_X.shape[1]
    mask_fit = b.init("cst", imp._mask_fit_X.astype(bool))
    valid = b.init("cst", imp._valid_mask.astype(bool))
    fit_x = b.init("cst", imp._fit_X.astype(np.float32))
    nn = b.init("cst", np.array(imp.n_neighbors, dtype=np.int64))
    isnan = b.node("IsNaN", "X", "isnan")
    comp = b.node("Compress", [isnan, valid], "_onx_compress_isnan0", axis=1)
    cast = b.node("Cast", comp, "_onx_cast_index0", to=TensorProto.INT32)
    ax = b.init("cst", np.array([1], dtype=np.int64))
    rmax = b.node("ReduceMax", [cast, ax], "_onx_reducemax_cast_index00", keepdims=0)
    any1 = b.node("Cast", rmax, "any_1", to=TensorProto.BOOL)
    m1 = b.init("cst", np.array([-1], dtype=np.int64))
    view = b.node("Reshape", [any1, m1], "view")
    nz = b.node("NonZero", view, "_onx_nonzero_view0")
    rows = b.node("Reshape", [nz, m1], "nonzero_numpy__0")
    lnot = b.node("Not", mask_fit, "logical_not")
    dmap = b.node("dict_idx_map", ["X", rows], "make_dict_idx_map", domain=LD, version=1)
    idx1 = b.node("Gather", ["X", rows], "index_1", axis=0)
    dist = b.node("dist_nan_euclidean", [idx1, fit_x], "c_torch_knnimputer_dist", domain=LD, version=1)
    x = "X"
    for i in range(F):
        ic = b.init("cst", np.array(i, dtype=np.int64))
        x = b.node("knn_imputer_column", [ic, x, dist, lnot, mask_fit, dmap, isnan, rows, fit_x, nn],
                   b.var("_un_knn_imputer_column"), domain=LD, version=1)
    out = b.node("Compress", [x, valid], "output_0", axis=1)
    b.node("Identity", out, "variable")
    n_out = int(imp._valid_mask.sum())
    outs = [tinfo("variable", FLT, [None, n_out])]
    skparts.finalize(b, outs)
    m = b.model([float_input(F)], outs, name)
    m.functions.extend([fn().proto() for fn in (fn_dict_idx_map, fn_dist_nan_euclidean, fn_calc_impute_donors,
                                                fn_calc_impute_weights, fn_calc_impute_make_new_neights,
                                                fn_calc_impute, fn_knn_imputer_column_all_nan,
                                                fn_knn_imputer_column_nan_found, fn_knn_imputer_column)])
    return m, n_out


def case(name, n_neighbors, seed, what):
    Xtr, Xte = training(seed)
    imp = KNNImputer(n_neighbors=n_neighbors).fit(Xtr)
    m, n_out = knn_imputer_model(name, imp)
    extra = np.array([[np.nan, 20.0, -1.0, 50.0], [0.5, np.nan, np.nan, np.nan], [1.0, 21.0, -1.2, 45.0],
                      [np.nan, np.nan, -0.5, 60.0]])
    Xreq = np.vstack([Xte, extra]).astype(np.float32)
    want = imp.transform(Xreq.astype(np.float64))
    return run_case(name, m, {"X": Xreq}, {"transform": want},
                    f"{what}. skl2onnx 1.19.1 form: model-local functions in domain 'local_domain' (9 functions, "
                    f"nested calls, If branches calling functions), main opset 21, ir_version 10. Data: 4 gaussian "
                    f"features with 15% NaN (seed {seed}), trained on 50 rows; the request holds 20 held-out rows, "
                    f"then a row with only feature 0 missing, a row with only feature 0 observed, a complete row, "
                    f"a row with features 0 and 1 missing", score_out="variable", score_key="transform")


def training(seed):
    rng = np.random.RandomState(seed)
    n, F = 70, 4
    X = (rng.normal(size=(n, F)) * [1.0, 4.0, 0.5, 10.0] + [0.0, 20.0, -1.0, 50.0]).astype(np.float32)
    X = X.astype(np.float64)
    Xm = X.copy()
    Xm[rng.rand(n, F) < 0.15] = np.nan
    Xm[np.isnan(Xm).all(axis=1), 0] = X[np.isnan(Xm).all(axis=1), 0]
    return Xm[:50], Xm[50:]


def all_nan_error(name, seed):
    Xtr, Xte = training(seed)
    imp = KNNImputer(n_neighbors=3).fit(Xtr)
    m, _ = knn_imputer_model(name, imp)
    Xreq = np.vstack([Xte[:5], np.full((1, 4), np.nan)]).astype(np.float32)
    write_error_case(name, m, {"X": Xreq},
                     "KNNImputer(n_neighbors=3) in skl2onnx 1.19.1's local-function form, request with a row whose "
                     "features are all missing: its nan_euclidean distances are all NaN, the If in "
                     "knn_imputer_column_nan_found takes knn_imputer_column_all_nan, whose distance subset is "
                     "gathered with NonZero's [1, K] output, and calc_impute_donors' GatherElements(axis 1) then "
                     "indexes an axis of size 1 (onnxruntime 1.30: out of range value in index tensor, at run time; "
                     "scikit-learn imputes the column means). With other data the same path kills onnxruntime-node "
                     f"with SIGFPE. Data: as sk4_knnimp_uniform_k3 (seed {seed}); request: 5 held-out rows and an "
                     "all-NaN row")


def main():
    skcommon.Builder.producer_version = "1.19.1"
    case("sk4_knnimp_uniform_k3", 3, 941, "KNNImputer(n_neighbors=3, weights='uniform', metric='nan_euclidean')")
    case("sk4_knnimp_uniform_k5", 5, 942, "KNNImputer(n_neighbors=5) (the default)")
    all_nan_error("sk4_err_knnimp_all_nan_row", 941)


if __name__ == "__main__":
    import warnings
    warnings.filterwarnings("ignore")
    main()
