"""Random programs for the differential fuzzer (``test_fuzz_vs_torch.py``), run on the engine and on torch.

A program is a list of operations over a growing list of nodes: each reads one or two earlier
nodes (so nodes are reused) and appends its result; the output adds up every computed node.
Inputs mix ordinary numbers with the edges: nan, ±inf, ±0, huge and subnormal numbers, and
no domain is guarded (log and sqrt of negatives, division by zero, 0 ** negative).

Programs are drawn from a seeded numpy Generator, so a failure names the seed that reproduces it.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F

import autograd as ag
from autograd import Tensor, Value, ValueArray

NAN, INF = math.nan, math.inf
EDGES = [NAN, INF, -INF, 0.0, -0.0, 1.0, -1.0, 0.5, 2.0, 1e308, -1e308, 1e-310, 710.0, -746.0, 40.0, -3.0]
CONSTANTS = [0.0, 1.0, -1.0, 0.5, 2.0, 3.0, -2.0, 1.5, INF, -INF, NAN, 1e-310, 1e300]


def numbers(rng: np.random.Generator, shape: Any, p_edge: float = 0.25) -> np.ndarray:
    """float64 samples: mostly N(0, 1.5²) and round values (ties, zeros), a share of edge values."""
    x = rng.normal(0.0, 1.5, shape)
    roll = rng.random(shape)
    x = np.where(roll < 0.15, rng.choice([0.0, 1.0, -1.0, 2.0]), x)
    return np.where(roll > 1 - p_edge, rng.choice(EDGES, size=shape), x)


def constant(pr: random.Random) -> float:
    return pr.choice(CONSTANTS) if pr.random() < 0.4 else round(pr.gauss(0, 2), 2)


def _structure(rng: np.random.Generator) -> random.Random:
    """Python's generator for the program's structure (many small draws: 10x faster than numpy's)."""
    return random.Random(int(rng.integers(1 << 62)))


class Lib:
    """The engine's and torch's spellings of each operation, written once for both."""

    def __init__(self, is_torch: bool, tensors: bool = False) -> None:
        self.torch = is_torch
        self.tensors = tensors  # (programs of Tensors: their ``c / x`` is torch's, not a quotient)

    def softplus(self, x: Any) -> Any:
        # torch's softplus switches to x above `threshold`; 40 is exact in float64 (e^-40 < ulp)
        return F.softplus(x, threshold=40.0) if self.torch else x.softplus()

    def maximum(self, x: Any, y: Any) -> Any:
        return torch.maximum(x, y) if self.torch else x.maximum(y)

    def special(self, name: str, x: Any) -> Any:
        """torch.special's function ``name`` (the engine's method of that name)."""
        return getattr(torch.special, name)(x) if self.torch else getattr(x, name)()

    def polygamma(self, n: int, x: Any) -> Any:
        return torch.polygamma(n, x) if self.torch else x.polygamma(n)

    def minimum(self, x: Any, y: Any) -> Any:
        return torch.minimum(x, y) if self.torch else x.minimum(y)

    def atan2(self, y: Any, x: Any) -> Any:
        return torch.atan2(y, x) if self.torch else y.arctan2(x)

    def rmod(self, c: float, x: Any) -> Any:
        """c % x (torch's remainder of a number by a tensor has no derivative: c as a 0-d tensor)."""
        return torch.remainder(torch.tensor(c, dtype=torch.float64), x) if self.torch else c % x

    def floor_divide(self, x: Any, c: float) -> Any:
        """x // c (torch's floor_divide has no derivative; its rounding division's is 0)."""
        return torch.div(x, c, rounding_mode="floor") if self.torch else x // c

    def rdiv(self, c: float, x: Any) -> Any:
        """c / x. In Tensor programs torch's own ``c / x``, which is ``x.reciprocal() * c`` (1/x
        rounded, then the product: 0 / 1e-310 is nan), as the engine's Tensor computes it; a Value's
        ``c / x`` is a correctly rounded quotient, torch's ``div`` of a 0-d tensor by x."""
        if not self.torch:
            return c / x
        return c / x if self.tensors else torch.div(torch.tensor(c, dtype=torch.float64), x)

    def const(self, c: float, like: Any) -> Any:
        """A constant operand (a 0-d torch tensor where torch needs one)."""
        return torch.tensor(c, dtype=torch.float64) if self.torch else c


UNARY: dict[str, Callable[[Any, float, Lib], Any]] = {
    "neg": lambda x, c, L: -x,
    "exp": lambda x, c, L: x.exp(),
    "log": lambda x, c, L: x.log(),
    "log1p": lambda x, c, L: x.log1p(),
    "sqrt": lambda x, c, L: x.sqrt(),
    "tanh": lambda x, c, L: x.tanh(),
    "sigmoid": lambda x, c, L: x.sigmoid(),
    "relu": lambda x, c, L: x.relu(),
    "abs": lambda x, c, L: abs(x),
    "softplus": lambda x, c, L: L.softplus(x),
    "clip": lambda x, c, L: x.clip(-abs(c), abs(c)),
    "clip_min": lambda x, c, L: x.clip(min=c),
    "clip_max": lambda x, c, L: x.clip(max=c),
    "pow_const": lambda x, c, L: x**c,
    "square": lambda x, c, L: x.square(),
    "positive": lambda x, c, L: +x,
    "pow0": lambda x, c, L: x**0,
    "rpow_const": lambda x, c, L: abs(c) ** x,
    "add_const": lambda x, c, L: x + c,
    "rsub_const": lambda x, c, L: c - x,
    "mul_const": lambda x, c, L: x * c,
    "div_const": lambda x, c, L: x / c,
    "rdiv_const": lambda x, c, L: L.rdiv(c, x),
    "max_const": lambda x, c, L: L.maximum(x, L.const(c, x)),
    "min_const": lambda x, c, L: L.minimum(x, L.const(c, x)),
    "sin": lambda x, c, L: x.sin(),
    "cos": lambda x, c, L: x.cos(),
    "expm1": lambda x, c, L: x.expm1(),
    "erf": lambda x, c, L: x.erf(),
    "erfc": lambda x, c, L: x.erfc(),
    "tan": lambda x, c, L: x.tan(),
    "arcsin": lambda x, c, L: x.arcsin(),
    "arccos": lambda x, c, L: x.arccos(),
    "arctan": lambda x, c, L: x.arctan(),
    "sinh": lambda x, c, L: x.sinh(),
    "cosh": lambda x, c, L: x.cosh(),
    "arcsinh": lambda x, c, L: x.arcsinh(),
    "arccosh": lambda x, c, L: x.arccosh(),
    "arctanh": lambda x, c, L: x.arctanh(),
    "log2": lambda x, c, L: x.log2(),
    "log10": lambda x, c, L: x.log10(),
    "exp2": lambda x, c, L: x.exp2(),
    "reciprocal": lambda x, c, L: x.reciprocal(),
    "deg2rad": lambda x, c, L: x.deg2rad(),
    "rad2deg": lambda x, c, L: x.rad2deg(),
    "sinc": lambda x, c, L: x.sinc(),
    # the special functions (polygamma of order 0 and 1 here: order ≥ 2 sums Hurwitz's zeta for
    # |x| steps below 0, as torch's, which a fuzzer's -1e12 would wait hours for)
    "lgamma": lambda x, c, L: x.lgamma(),
    "digamma": lambda x, c, L: x.digamma(),
    "polygamma": lambda x, c, L: L.polygamma(1 if c > 0 else 0, x),
    "erfinv": lambda x, c, L: x.erfinv(),
    "i0": lambda x, c, L: x.i0(),
    "i0e": lambda x, c, L: L.special("i0e", x),
    "i1": lambda x, c, L: L.special("i1", x),
    "i1e": lambda x, c, L: L.special("i1e", x),
    "ndtri": lambda x, c, L: L.special("ndtri", x),
    "log_ndtr": lambda x, c, L: L.special("log_ndtr", x),
    "entr": lambda x, c, L: L.special("entr", x),
    "nan_to_num": lambda x, c, L: x.nan_to_num(nan=c, posinf=1e300),
    "mod_const": lambda x, c, L: x % c,
    "rmod_const": lambda x, c, L: L.rmod(c, x),
    "fmod_const": lambda x, c, L: x.fmod(c),
    # the ops with plain results (derivative 0), inside a product that carries a gradient
    "times_sign": lambda x, c, L: x * x.sign(),
    "times_floor": lambda x, c, L: x * x.floor(),
    "times_ceil": lambda x, c, L: x * x.ceil(),
    "times_round": lambda x, c, L: x * (x * c).round(),
    "times_trunc": lambda x, c, L: x * x.trunc(),
    "times_floor_divide": lambda x, c, L: x * L.floor_divide(x, c),
    "times_angle": lambda x, c, L: x * x.angle(),
}
BINARY: dict[str, Callable[[Any, Any, Lib], Any]] = {
    "add": lambda x, y, L: x + y,
    "sub": lambda x, y, L: x - y,
    "mul": lambda x, y, L: x * y,
    "div": lambda x, y, L: x / y,
    "pow": lambda x, y, L: x**y,
    "maximum": lambda x, y, L: L.maximum(x, y),
    "minimum": lambda x, y, L: L.minimum(x, y),
    "atan2": lambda x, y, L: L.atan2(x, y),
    "hypot": lambda x, y, L: x.hypot(y),
    "logaddexp": lambda x, y, L: x.logaddexp(y),
    "logaddexp2": lambda x, y, L: x.logaddexp2(y),
    "remainder": lambda x, y, L: x % y,
    "fmod": lambda x, y, L: x.fmod(y),
    "fmax": lambda x, y, L: x.fmax(y),
    "fmin": lambda x, y, L: x.fmin(y),
    "copysign": lambda x, y, L: x.copysign(y),
}


def scalar_program(rng: np.random.Generator) -> dict[str, Any]:
    """A program on scalars: leaves, then (kind, op, i, j-or-constant) steps."""
    pr = _structure(rng)
    ops = []
    for _ in range(pr.randint(1, 8)):
        i = pr.randint(0, 9)
        if pr.random() < 0.55:
            ops.append(("unary", pr.choice(UNARY_NAMES), i, constant(pr)))
        else:
            ops.append(("binary", pr.choice(BINARY_NAMES), i, pr.randint(0, 9)))
    return {"n_leaves": pr.randint(1, 3), "ops": ops}


def pick(nodes: list[Any], k: int) -> Any:
    """A recent node for small k, any node for larger k."""
    return nodes[-1 - (k % len(nodes))]


def run_scalar_program(prog: dict[str, Any], leaves: list[Any], L: Lib) -> Any:
    nodes = list(leaves)
    for kind, name, i, arg in prog["ops"]:
        x = pick(nodes, i)
        nodes.append(UNARY[name](x, arg, L) if kind == "unary" else BINARY[name](x, pick(nodes, arg), L))
    results = nodes[len(leaves) :]
    out = results[0]
    for r in results[1:]:
        out = out + r
    return out


# ---------------------------------------------------------------------------- Tensor programs
UNARY_NAMES, BINARY_NAMES = sorted(UNARY), sorted(BINARY)
KINDS = ["unary"] * 5 + ["binary"] * 4 + ["where"] + ["reduce"] * 3 + ["shape"] * 2 + ["matmul", "numpy"]
KINDS += ["layout"] * 2  # (the shape and selection ops: see their block below)
KINDS += ["nd"] * 3  # reductions, scans, products and linear algebra (their block below)
REDUCTIONS = ["sum", "mean", "max", "min", "logsumexp", "softmax", "log_softmax", "var", "std", "max_dim"]
SHAPE_OPS = ["reshape", "transpose", "flatten", "unsqueeze", "squeeze", "getitem", "stack", "concatenate"]
NUMPY_UNARY = {
    "np_exp": np.exp, "np_log": np.log, "np_tanh": np.tanh, "np_abs": np.abs, "np_sqrt": np.sqrt,
    "np_square": np.square, "np_reciprocal": np.reciprocal, "np_exp2": np.exp2, "np_positive": np.positive,
    "np_sinc": np.sinc, "np_nan_to_num": np.nan_to_num, "np_arcsinh": np.arcsinh,
}  # fmt: skip


def tensor_program(rng: np.random.Generator, empty: bool = False, only: Sequence[str] = ()) -> dict[str, Any]:
    """A program on arrays of shapes 0-d to 3-d that broadcast together (a size-0 axis if ``empty``);
    with ``only``, its operations are drawn from those layout ops alone (a focused run of new ops)."""
    pr = _structure(rng)
    base = [pr.randint(1, 3) for _ in range(pr.randint(0, 3))]
    if empty and base:
        base[pr.randrange(len(base))] = 0
    leaves = []
    for _ in range(pr.randint(1, 3)):
        shape = tuple(n if pr.random() < 0.7 else 1 for n in base[pr.randint(0, len(base)) :])
        leaves.append(numbers(rng, shape, p_edge=pr.choice([0.0, 0.1, 0.3])))
    d = base[-1] if base else 1
    weight = numbers(rng, (d, 2), p_edge=0.05)
    ops = []
    for _ in range(pr.randint(1, 7)):
        kind = "layout" if only else pr.choice(KINDS)
        i, j = pr.randint(0, 9), pr.randint(0, 9)
        if kind == "unary":
            ops.append((kind, pr.choice(UNARY_NAMES), i, constant(pr)))
        elif kind in ("binary", "where"):
            ops.append((kind, pr.choice(BINARY_NAMES), i, j))
        elif kind == "reduce":
            ops.append((kind, pr.choice(REDUCTIONS), i, (pr.randint(-3, 2), pr.random() < 0.5)))
        elif kind == "shape":
            ops.append((kind, pr.choice(SHAPE_OPS), i, (j, pr.randrange(1 << 30))))
        elif kind == "numpy":
            ops.append((kind, pr.choice(sorted(NUMPY_UNARY)), i, None))
        elif kind == "layout":
            ops.append((kind, pr.choice(only or LAYOUT_OPS), i, pr.randrange(1 << 30)))
        elif kind == "nd":
            ops.append((kind, pr.choice(ND_NAMES), i, (j, pr.randrange(1 << 30))))
        else:  # (arg: the weight read as a transposed C matrix, W.T's layout: j drawn anyway)
            ops.append((kind, "@", i, j % 2 == 1))
    return {"leaves": leaves, "weight": weight, "ops": ops}


def _axis(x: Any, k: int) -> int | None:
    nd = x.ndim
    return None if k == -3 else (k % nd if nd else 0)


def _whole(total: Any, x: Any, keep: bool) -> Any:
    """torch's max() or min() of every element (0-d), with the reduced axes kept if ``keep``."""
    return total.reshape((1,) * x.ndim) if keep else total


def _reduce(x: Any, name: str, k: int, keep: bool, T: bool) -> Any:
    """One reduction along an axis picked by k (every axis for k = -3)."""
    axis = _axis(x, k)
    if T:
        dims = tuple(range(x.ndim)) if axis is None else axis
        return {
            "sum": lambda: x.sum(dims, keepdim=keep),
            "mean": lambda: x.mean(dims, keepdim=keep),
            # (over every axis the engine's max() is torch's max(), whose gradient at a nan result goes
            # to the nans, split evenly; torch's amax over every dim gives nan there)
            "max": lambda: x.amax(dims, keepdim=keep) if axis is not None else _whole(x.max(), x, keep),
            "min": lambda: x.amin(dims, keepdim=keep) if axis is not None else _whole(x.min(), x, keep),
            "logsumexp": lambda: x.logsumexp(dims, keepdim=keep),
            "softmax": lambda: (
                x.softmax(axis if axis is not None else -1) if x.ndim <= 1 or axis is not None else None
            ),
            "log_softmax": lambda: (
                x.log_softmax(axis if axis is not None else -1) if x.ndim <= 1 or axis is not None else None
            ),
            "var": lambda: x.var(dims, keepdim=keep),
            "std": lambda: x.std(dims, correction=0, keepdim=keep),
            "max_dim": lambda: x.max(dim=axis, keepdim=keep).values if axis is not None else None,
        }[name]()
    return {
        "sum": lambda: x.sum(dim=axis, keepdim=keep),
        "mean": lambda: x.mean(axis, keepdims=keep),
        "max": lambda: x.max(axis, keep),
        "min": lambda: x.min(axis, keep),
        "logsumexp": lambda: (
            x.logsumexp(dim=axis, keepdim=keep) if axis is not None else x.logsumexp(None, keep)
        ),
        "softmax": lambda: (
            x.softmax(dim=axis if axis is not None else -1) if x.ndim <= 1 or axis is not None else None
        ),
        "log_softmax": lambda: (
            x.log_softmax(axis if axis is not None else -1) if x.ndim <= 1 or axis is not None else None
        ),
        "var": lambda: x.var(axis, keepdim=keep),
        "std": lambda: x.std(dim=axis, correction=0, keepdims=keep),
        "max_dim": lambda: x.max(dim=axis, keepdim=keep).values if axis is not None else None,
    }[name]()


def _shape_op(x: Any, y: Any, name: str, seed: int, T: bool) -> Any:
    r = random.Random(seed)
    nd = x.ndim
    if name == "reshape":
        return x.reshape(tuple(reversed(x.shape)) if x.ndim else (1, 1))
    if name == "transpose":
        perm = tuple(r.sample(range(nd), nd))
        return x.permute(perm) if T else x.transpose(perm)
    if name == "flatten":
        return x.flatten(r.randrange(nd) if nd else 0)
    if name == "unsqueeze":
        return x.unsqueeze(r.randint(-nd - 1, nd))
    if name == "squeeze":
        return x.squeeze()
    if name == "getitem":
        if nd == 0 or x.shape[0] == 0:
            return None
        idx = np.array([r.randrange(x.shape[0]) for _ in range(r.randint(1, 3))])  # repeats accumulate
        return x[torch.tensor(idx)] if T else x[idx]
    if x.shape != y.shape:
        y = x * 2.0
    parts = [x, y, x]
    if name == "stack":
        axis = r.randint(-nd - 1, nd)
        return torch.stack(parts, axis) if T else ag.stack(parts, dim=axis)
    if nd == 0:
        return None
    axis = r.randint(-nd, nd - 1)
    return torch.cat(parts, axis) if T else ag.cat(parts, dim=axis)


# ---------------------------------------------------------------------------- shape and selection ops
# (issue 16: autograd/shape_ops.py, autograd/numpy_shapes.py). Methods with torch's names run as the
# same code on both sides; numpy's spellings against torch's equivalents. Parameters come from the
# step's seed; None where an op does not take the array's shape.
LAYOUT_OPS = [
    "flip", "roll", "rot90", "tril", "triu", "diagonal", "diag", "repeat", "repeat_interleave", "tile",
    "split", "tensor_split", "movedim", "swapaxes", "expand", "sort", "sort_descending", "take",
    "take_along_dim", "np.pad", "np.repeat", "np.flip", "np.roll", "gather", "index_select", "narrow",
    "chunk", "median_dim", "nanmedian_dim", "masked_select", "cummax", "cummin", "quantile",
    "quantile_nearest", "nansum", "nanmean", "std_mean", "frac", "rsqrt", "logit", "amax", "msort", "lerp",
    "xlogy", "addcmul", "addcdiv", "dist", "cdist", "logcumsumexp", "diag_embed", "bmm", "mv", "addmm",
    "block_diag", "F.logsigmoid", "F.hardtanh", "F.relu6", "F.hardsigmoid", "F.hardswish", "F.softsign",
    "F.tanhshrink", "F.mish", "F.threshold", "F.selu", "F.celu", "F.elu", "F.softmin", "F.normalize",
    "F.cosine_similarity", "F.pairwise_distance", "aminmax", "aminmax_dim", "kthvalue", "cov", "cov_weighted",
    "corrcoef", "F.layer_norm", "F.glu", "F.embedding", "F.conv2d", "F.conv1d", "F.max_pool2d",
    "F.avg_pool2d", "F.unfold", "F.adaptive_avg_pool2d", "F.scaled_dot_product_attention",
    "F.adaptive_max_pool2d", "F.fold", "F.batch_norm", "pack_padded_sequence", "pad_sequence",
    "F.conv_transpose2d", "F.conv_transpose1d", "F.conv_transpose3d", "F.conv3d", "F.max_pool3d",
    "F.avg_pool3d", "F.adaptive_avg_pool3d", "F.adaptive_max_pool3d", "F.interpolate_bicubic",
    "F.interpolate_trilinear", "F.interpolate_area", "masked_fill_cmp", "where_logic", "where_not",
    "times_detach", "take_argmax", "unfold",
]  # fmt: skip
#: session 9's layers, losses and members (also run on their own: ``tensor_program(only=NEW_OPS)``)
NEW_OPS = [
    "F.group_norm", "F.instance_norm", "F.rms_norm", "F.local_response_norm", "F.lp_pool2d", "F.rrelu_eval",
    "max_keepdim", "amin_method", "trace", "F.multi_margin_loss", "F.multilabel_margin_loss",
    "F.multilabel_soft_margin_loss", "custom_function",
]  # fmt: skip
LAYOUT_OPS += NEW_OPS
#: session 10's: mode, nanquantile, max_unpool of a max pool's indices, topk (torch's ties), and the
#: positions sort and mode return used as positions (int64 Tensors); also run on their own
#: (``only=SESSION10_OPS``)
SESSION10_OPS = [
    "mode", "mode_gather", "nanquantile", "sort_gather", "F.max_unpool2d", "F.max_unpool1d", "topk",
]  # fmt: skip
LAYOUT_OPS += SESSION10_OPS
#: session 11's scatter family (autograd/scatter_ops.py): src, source and values made from x, indices
#: drawn with repeats (torch's CPU order; ties and zeros among the edge inputs); also run on their own
#: (``only=SCATTER_OPS``)
SCATTER_OPS = [
    "scatter", "scatter_value", "scatter_add", "scatter_sum", "scatter_prod", "scatter_mean",
    "scatter_amax", "scatter_amin", "scatter_argmax", "index_add", "index_copy", "index_fill",
    "index_fill_tensor", "index_put", "index_put_accumulate", "masked_scatter", "put", "index_prod",
    "index_mean", "index_amax", "index_amin",
]  # fmt: skip
LAYOUT_OPS += SCATTER_OPS
#: session 11's members, nn functions and linalg functions composed of the engine's ops (also run on
#: their own: ``only=SESSION11_OPS``)
SESSION11_OPS = [
    "float_power", "hardshrink", "F.softshrink", "F.prelu", "renorm", "matrix_power", "matrix_exp",
    "F.pdist", "trapezoid", "baddbmm",
]  # fmt: skip
#: refused by compiled steps (matrix_exp picks its squarings from each call's numbers): only in the
#: eager fuzzers' own runs of SESSION11_OPS, not in the mixed programs the compiled fuzzers draw
EAGER_ONLY_OPS = ["matrix_exp"]
LAYOUT_OPS += [op for op in SESSION11_OPS if op not in EAGER_ONLY_OPS]
#: session 12's changed and new functions: ldexp with a float exponent, clamp by Tensor bounds (a nan
#: bound), triangular solves of a matrix whose diagonal may hold 0 (inf/nan as torch), a fractional
#: max pool (its samples given); also run on their own (``only=SESSION12_OPS``)
SESSION12_OPS = [
    "ldexp", "clamp_tensors", "solve_triangular_any", "cholesky_solve", "F.fractional_max_pool2d",
]  # fmt: skip
LAYOUT_OPS += SESSION12_OPS
#: session 16's differential findings: norms of order < 1 at zeros, quantile with keepdim (0-d too),
#: huber and smooth L1 at infinite errors, cdist of order inf (tied differences); also run on their
#: own (``only=EDGE16_OPS``)
EDGE16_OPS = ["norm_below_one", "quantile_keepdim", "huber_nonfinite", "cdist_inf"]
LAYOUT_OPS += EDGE16_OPS + ["getitem_every_axis"]
#: session 17's loss findings against torch: a cross-entropy of class probabilities and
#: multilabel_soft_margin_loss with a weight computed from x (torch's gradient reaches it), and
#: poisson_nll_loss(full=True) of a target computed from x (nan at y = 0, as torch's); also run on
#: their own (``only=LOSS17_OPS``). Eager only: on nan inputs (poisson: at y = 0) a compiled step
#: can give a nan of the other sign bit than the eager step (multilabel_soft_margin_loss of a nan
#: score: eager -nan, compiled +nan), which the bit-for-bit comparison counts; compiled steps of
#: these losses are checked on finite numbers in tests/nn/test_functional_losses_vs_torch.py
LOSS17_OPS = ["F.cross_entropy_probs_weight", "F.multilabel_soft_margin_weight", "F.poisson_full_target"]
EAGER_ONLY_OPS += LOSS17_OPS
#: session 17's reductions against torch: nanmean with slices of nans only (the gradient nan there),
#: amax/amin/aminmax of a 0-d tensor (nan: the gradient nan), vector_norm with dtype=, a float32 sum
#: over the leading axis (pairwise when longer than 7: tests/engine/test_reduction_sweep.py checks its
#: accuracy; no float32 mean, whose rounding differs from torch's), nansum of a float32 cast with
#: dtype=float64; also run on their own (``only=REDUCE17_OPS``)
REDUCE17_OPS = [
    "nanmean_nan_slices", "amax_amin_0d", "vector_norm_dtype", "sum_float32_leading", "nansum_dtype",
]  # fmt: skip
LAYOUT_OPS += REDUCE17_OPS
#: session 18's reductions against torch: var with corrections up to past n (torch's rule: ±inf
#: where a slice holds ±inf, inf for a 0-d nan, a negative factor past n along a dim),
#: var_mean/std_mean (the mean of torch's Welford kernel), cummax/cummin of an empty slice along any
#: dim; also run on their own (``only=REDUCE18_OPS``)
REDUCE18_OPS = ["var_correction", "var_mean_welford", "cummax_empty"]
LAYOUT_OPS += REDUCE18_OPS
#: session 17's triplet_margin_with_distance_loss (the pairwise distance, a user's squared one, swap;
#: per-triplet losses); also run on their own (``only=TRIPLET17_OPS``)
TRIPLET17_OPS = ["F.triplet_with_distance"]
LAYOUT_OPS += TRIPLET17_OPS
#: session 13's: torch's fused multiply-adds rounded once (ops.FMA, ops.LERP): add and sub with alpha
#: (an operand broadcast), addcmul of value 1 and others (broadcast), lerp by a Tensor weight and by
#: numbers either side of 0.5, addcdiv (not fused; torch's gradients), and their in-place forms
#: written into a node of the graph (refused by compiled steps: eager only); also run on their own
#: (``only=SESSION13_OPS``)
SESSION13_OPS = [
    "add_alpha", "sub_alpha", "addcmul_fused", "lerp_tensor", "lerp_number", "addcdiv_rule", "fused_in_place",
    "relu_wide_float32",
]  # fmt: skip
EAGER_ONLY_OPS += ["fused_in_place"]
LAYOUT_OPS += [op for op in SESSION13_OPS if op not in EAGER_ONLY_OPS]
#: session 13's round(decimals=) (a plain result, times x), and the in-place writes recorded in the
#: graph since then: the scatter family, masked_scatter_/masked_fill_ by a tensor and the random fills
#: (with constant numbers) into a node of the graph (refused by compiled steps: eager only); also run
#: on their own (``only=INPLACE13_OPS``)
INPLACE13_OPS = ["round_decimals", "scatter_in_place", "random_fill_in_place"]
#: session 14's dtype promotion (torch's, autograd/ops/promotion.py): a float32 tensor with a float64
#: 0-d one is float32, computed in float32; int64 and bool tensors with float ones; where of float32
#: and a float64 0-d tensor. Only correctly rounded float32 steps (+ - * /, where) and no float32
#: sums (the 0-d operands detached: torch's float32 sums add in another order than numpy's), so both
#: libraries give the same bits; also run on their own (``only=DTYPE14_OPS``)
DTYPE14_OPS = ["mixed_float32_0d", "mixed_int_bool", "where_mixed"]
EAGER_ONLY_OPS += ["scatter_in_place", "random_fill_in_place"]
LAYOUT_OPS += ["round_decimals"]
LAYOUT_OPS += DTYPE14_OPS
#: session 15's dtype edges: clamp by a bool and an int64 tensor bound (and by one of them, 0-d too),
#: numpy scalars on either side of the operators (torch's Python numbers: np.float64(3.3) / x is
#: reciprocal(x) * 3.3), and float32 + float64 leaves whose casts grad_fn hides; also run on their own
#: (``only=DTYPE15_OPS``)
DTYPE15_OPS = ["clamp_bool_int_bounds", "numpy_scalars", "mixed_float_leaves"]
LAYOUT_OPS += DTYPE15_OPS
#: session 16's powers: a 0-d tensor exponent (a constant one and one in the graph: torch's kernel of
#: two tensors, the C pow, where a number 3, -2, ±0.5 is a product or a root) and integer tensors to
#: negative integer tensor powers (0, ±1); also run on their own (``only=POW16_OPS``)
POW16_OPS = ["pow_tensor_exponent", "pow_integer_tensors"]
LAYOUT_OPS += POW16_OPS
#: the torch module functions composed of the engine's ops (autograd/torch_functions.py): called as
#: ``torch.<name>`` and ``autograd.<name>``, a second operand made from x where one is needed
_COMPOSED = {
    # comparisons, & | ~, detach and positions computed in the graph (no gradient passes through them)
    "masked_fill_cmp": lambda lib, x, axis, r: x.masked_fill(x > 0.5, 0.0),
    "where_logic": lambda lib, x, axis, r: lib.where(((x > -1.0) & (x < 1.0)) | (x == 0.0), x, x * 0.5),
    "where_not": lambda lib, x, axis, r: lib.where(~(x <= 0.0), x, -x),
    "times_detach": lambda lib, x, axis, r: x * x.detach(),
    "take_argmax": lambda lib, x, axis, r: (
        lib.take_along_dim(x, x.argmax(dim=axis, keepdim=True), axis)
        if axis is not None and x.ndim and x.shape[axis]
        else None
    ),
    "cummax": lambda lib, x, axis, r: lib.cummax(x, axis).values if axis is not None else None,
    "cummin": lambda lib, x, axis, r: lib.cummin(x, axis).values if axis is not None else None,
    "quantile": lambda lib, x, axis, r: (
        lib.quantile(x, r.choice([0.0, 0.3, 0.5, 1.0]), axis)
        if (x.numel() if hasattr(x, "numel") else np.size(x))
        else None
    ),
    "quantile_nearest": lambda lib, x, axis, r: (
        lib.quantile(x, 0.6, axis, interpolation="nearest")
        if (x.numel() if hasattr(x, "numel") else np.size(x))
        else None
    ),
    "nansum": lambda lib, x, axis, r: lib.nansum(x, axis),
    "nanmean": lambda lib, x, axis, r: lib.nanmean(x, axis),
    "std_mean": lambda lib, x, axis, r: sum(lib.std_mean(x, axis, correction=0)),
    "frac": lambda lib, x, axis, r: lib.frac(x),
    "rsqrt": lambda lib, x, axis, r: lib.rsqrt(x),
    "logit": lambda lib, x, axis, r: lib.logit(lib.sigmoid(x)) + lib.logit(x * 0.25 + 0.5, eps=0.2),
    "amax": lambda lib, x, axis, r: lib.amax(x, () if axis is None else axis),
    "msort": lambda lib, x, axis, r: lib.msort(x) if x.ndim else None,
    "lerp": lambda lib, x, axis, r: lib.lerp(x, x * 0.5 + 1.0, r.choice([0.3, 0.5, 0.7])),
    "xlogy": lambda lib, x, axis, r: lib.xlogy(x, x * x + 0.5),
    "addcmul": lambda lib, x, axis, r: lib.addcmul(x, x, x * 0.5, value=0.5),
    "addcdiv": lambda lib, x, axis, r: lib.addcdiv(x, x, x * x + 0.5, value=-2.0),
    # (p 1 and 2: another p rounds a one-element norm, where torch gives |x| exactly)
    "dist": lambda lib, x, axis, r: lib.dist(x, x * 0.5, r.choice([1.0, 2.0])),
    "cdist": lambda lib, x, axis, r: lib.cdist(x, x * 0.5 + 1.0) if x.ndim == 2 else None,
    # (of finite numbers: torch's inf-norm kernel skips a nan difference, std::max's way)
    "cdist_inf": lambda lib, x, axis, r: (
        (lambda y: lib.cdist(y, y.flip(-1) * 0.5 + y.detach().round(), p=float("inf")))(
            x.nan_to_num(0.0, 8.0, -8.0)
        )
        if x.ndim == 2
        else None
    ),
    # (integer lists on every axis: a compiled step gathers them from x.reshape(-1), symbolic._gather)
    "getitem_every_axis": lambda lib, x, axis, r: (
        x[tuple([r.randrange(-n, n) for _ in range(3)] for n in x.shape)]
        if x.ndim >= 2 and x.numel()
        else None
    ),
    "nanmean_nan_slices": lambda lib, x, axis, r: lib.nanmean(
        x.masked_fill(x > r.choice([-0.5, 0.0, 0.5]), float("nan")), axis, keepdim=r.random() < 0.5
    ),
    "amax_amin_0d": lambda lib, x, axis, r: (
        (lambda s: lib.amax(s) * 2.0 + lib.amin(s * s, r.choice([(), 0, -1])) + lib.aminmax(s).max)(
            x.sum() if r.random() < 0.5 else x.mean()
        )
    ),
    "vector_norm_dtype": lambda lib, x, axis, r: lib.linalg.vector_norm(
        x, r.choice([2, 1, float("inf"), 3]), dim=axis, dtype=lib.float64
    ),
    "sum_float32_leading": lambda lib, x, axis, r: (
        x.to(lib.float32).reshape(x.shape[0], -1).sum(0, keepdim=r.random() < 0.5).to(lib.float64)
        if x.ndim >= 2 and x.numel()
        else None
    ),
    "nansum_dtype": lambda lib, x, axis, r: lib.nansum(x.to(lib.float32), axis, dtype=lib.float64),
    "var_correction": lambda lib, x, axis, r: lib.var(
        x, axis, correction=r.choice([0, 1, 2, 5]), keepdim=r.random() < 0.5
    ),
    # (some elements made ±inf: a slice's mean is then inf only where the inf is last and alone; the
    # spread, nan there, made 0 so the mean shows)
    "var_mean_welford": lambda lib, x, axis, r: (lambda s, m: s.nan_to_num(0.0, 0.0, 0.0) * 0.5 + m)(
        *getattr(lib, r.choice(["var_mean", "std_mean"]))(
            x.masked_fill(x > r.choice([0.5, 1.0, 9.0]), r.choice([float("inf"), -float("inf")])),
            axis,
            correction=r.choice([0, 1]),
            keepdim=r.random() < 0.5,
        )
    ),
    "cummax_empty": lambda lib, x, axis, r: (
        getattr(lib, r.choice(["cummax", "cummin"]))(
            x[:0] if x.ndim else x.reshape(1)[:0], r.choice([0, -1, 4, -6])
        ).values
    ),
    "norm_below_one": lambda lib, x, axis, r: lib.linalg.vector_norm(
        x * (x > 0), r.choice([0.5, 0.3, -1.0, -0.5]), dim=axis, keepdim=r.random() < 0.5
    ),
    "quantile_keepdim": lambda lib, x, axis, r: (
        lib.quantile(x, r.choice([0.0, 0.3, 1.0]), dim=-1 if axis is None else axis, keepdim=True)
        if x.numel() and x.dtype == lib.float64
        else None
    ),
    "F.cross_entropy_probs_weight": lambda lib, x, axis, r: (
        lib.nn.functional.cross_entropy(
            x,
            (x.nan_to_num(0.0, 3.0, -3.0) * 0.5).softmax(1 if x.ndim > 1 else 0),  # (nan: refused)
            (x.mean(tuple(d for d in range(x.ndim) if d != 1)) if x.ndim > 1 else x).sigmoid() + 0.5,
            reduction=r.choice(["mean", "sum", "none"]),
            label_smoothing=r.choice([0.0, 0.2]),
        )
        if x.ndim and x.shape[1 if x.ndim > 1 else 0]
        else None
    ),
    "F.multilabel_soft_margin_weight": lambda lib, x, axis, r: (
        lib.nn.functional.multilabel_soft_margin_loss(
            x, (x > 0).to(x.dtype), x.tanh() + 1.0, reduction=r.choice(["mean", "sum", "none"])
        )
        if x.ndim and x.shape[-1]
        else None
    ),
    "F.triplet_with_distance": lambda lib, x, axis, r: (
        lib.nn.functional.triplet_margin_with_distance_loss(
            x,
            x * 0.5 + 1.0,
            x.flip(-1),
            distance_function=r.choice([None, lambda a, b: ((a - b) ** 2).sum(-1)]),
            margin=r.choice([0.5, 1.0]),
            swap=r.choice([True, False]),
            reduction="none",
        )
        if x.ndim
        else None
    ),
    "F.poisson_full_target": lambda lib, x, axis, r: lib.nn.functional.poisson_nll_loss(
        x, x.abs() * 2.0, log_input=r.choice([True, False]), full=True, reduction="none"
    ),
    "huber_nonfinite": lambda lib, x, axis, r: lib.nn.functional.huber_loss(
        x, x * 0.5 + 1.0, reduction="none", delta=r.choice([0.5, 1.0, 2.0])
    )
    + lib.nn.functional.smooth_l1_loss(x * 2.0, x, reduction="none", beta=r.choice([0.5, 1.0])),
    "logcumsumexp": lambda lib, x, axis, r: lib.logcumsumexp(x, axis) if axis is not None else None,
    "diag_embed": lambda lib, x, axis, r: (
        lib.diag_embed(x, r.randint(-1, 1), *r.sample(range(x.ndim + 1), 2)) if x.ndim else None
    ),
    "bmm": lambda lib, x, axis, r: lib.bmm(x, x.transpose(1, 2) * 0.5) if x.ndim == 3 else None,
    "mv": lambda lib, x, axis, r: lib.mv(x, x[0] * 0.5 + 1.0) if x.ndim == 2 and x.shape[0] else None,
    "addmm": lambda lib, x, axis, r: (
        lib.addmm(x.sum() * 0.5, x, x.T, beta=0.5, alpha=2.0) if x.ndim == 2 else None
    ),
    "block_diag": lambda lib, x, axis, r: lib.block_diag(x, x * 0.5) if x.ndim <= 2 else None,
    # nn.functional's activations and distances (torch.nn.functional and autograd.nn.functional)
    "F.logsigmoid": lambda lib, x, axis, r: lib.nn.functional.logsigmoid(x),
    "ldexp": lambda lib, x, axis, r: lib.ldexp(x, x * 0.5),
    # relu of float32 rows of 64 or more (its contiguous loop against a row of zeros), signed zeros too
    "relu_wide_float32": lambda lib, x, axis, r: (
        (x[..., None] * lib.tensor(np.linspace(-1.0, 1.0, 70) * r.choice([1.0, 0.0, -1.0])))
        .to(lib.float32)
        .relu()
        .to(x.dtype)
        .sum(-1)
    ),
    "add_alpha": lambda lib, x, axis, r: lib.add(
        x, x * 0.5 + 1.0 if r.random() < 0.5 else _last_one(x), alpha=r.choice([0.3, -2.5, 1.7])
    ),
    "sub_alpha": lambda lib, x, axis, r: x.sub(x * x, alpha=r.choice([0.1, -0.7, 3.0])),
    "addcmul_fused": lambda lib, x, axis, r: lib.addcmul(
        x * 0.5, x, _last_one(x) if r.random() < 0.5 else x + 1.0, value=r.choice([1.0, 0.3, -1.3])
    ),
    "lerp_tensor": lambda lib, x, axis, r: lib.lerp(x, x * 0.5 + 1.0, (x * 0.7).sigmoid() * 2.0 - 0.5),
    "lerp_number": lambda lib, x, axis, r: lib.lerp(x * 0.5, x, r.choice([0.3, -0.6, 0.7, 1 / 3, 1.3, 0.5])),
    "addcdiv_rule": lambda lib, x, axis, r: lib.addcdiv(
        x, x * 0.5, _last_one(x) if r.random() < 0.5 else x * x + 0.5, value=r.choice([1.0, -2.0, 0.3])
    ),
    "mixed_float32_0d": lambda lib, x, axis, r: (
        (x.to(lib.float32) * (x.sum() * 0.5).detach() - x.to(lib.float32) / (x.abs().sum() + 1.0).detach())
        .to(x.dtype)
    ),
    "mixed_int_bool": lambda lib, x, axis, r: (
        x * (x > 0) + x * (x < r.choice([0.0, 1.0])).to(lib.int64) - (x.to(lib.float32) + (x < 0)).to(x.dtype)
    ),
    "where_mixed": lambda lib, x, axis, r: (
        lib.where(x > 0, x.to(lib.float32), (x.sum() * 0.25).detach()).to(x.dtype)
    ),
    "clamp_bool_int_bounds": lambda lib, x, axis, r: (
        x.clamp(x > 0.5, (x > -0.5).to(lib.int64) + 1)
        + x.clamp_min((x < r.choice([0.0, 1.0]))[(0,) * x.ndim] if x.numel() else x > 0)
        - lib.clamp(x, max=(x.abs() > 1.0).to(lib.int64) - 1)
    ),
    "numpy_scalars": lambda lib, x, axis, r: (
        np.float64(r.choice([3.3, -0.7, 2.0])) / (x * x + 1.0) + np.float32(0.5) * x - x * np.int64(2)
        + (np.float64(1.5) - x) * (np.float64(0.25) < x) + np.bool_(True) * x
    ),
    "mixed_float_leaves": lambda lib, x, axis, r: (
        (x.to(lib.float32) * 0.5 + x).to(x.dtype) - (x.detach().to(lib.float32) + x * x).to(x.dtype)
    ),
    "pow_tensor_exponent": lambda lib, x, axis, r: (
        x ** lib.full((), r.choice([3.0, -2.0, 0.5, -0.5, 2.0, -1.0]), dtype=x.dtype)
        + (x * x + 0.5) ** (x.mean() * 0.25 + r.choice([0.5, 3.0, -2.0]))
    ),
    "pow_integer_tensors": lambda lib, x, axis, r: (
        x * (x * 2.0).to(lib.int64) ** (x * 3.0 - 1.0).to(lib.int64)
        + (x > 0) ** lib.full((), r.choice([-1, 0, 2]), dtype=lib.int64) * x
    ),
    "round_decimals": lambda lib, x, axis, r: (
        x.round(decimals=r.choice([-2, -1, 0, 1, 3])) * x if x.is_floating_point() else None
    ),
    "scatter_in_place": lambda lib, x, axis, r: (
        (x * 1.0)
        .masked_scatter_(x > 0, x * 2)
        .put_(lib.arange(x.numel()).flip(0), x * 3, accumulate=True)
        .scatter_add_(0, lib.zeros(x.shape, dtype=lib.int64), x * x)
        .index_copy_(0, lib.arange(x.shape[0] if x.ndim else 1).flip(0), x.exp())
        .masked_fill_(x < -1.0, x.sum())
        .scatter_reduce_(0, lib.zeros(x.shape, dtype=lib.int64), x * 0.5, "mean", include_self=False)
    ),  # (scatter_reduce_ last: torch's node saves its result, which a later write would change)
    "random_fill_in_place": lambda lib, x, axis, r: (
        (x * 1.0).normal_(0.25, 0.0).mul_(x).bernoulli_(1.0).add_(x * x).uniform_(-1.0, -1.0).sub_(x.exp())
    ),
    "fused_in_place": lambda lib, x, axis, r: (
        (x * 1.0)
        .addcmul_(x, x, value=0.3)
        .lerp_(x * 0.5, r.choice([0.2, 0.7]))
        .add_(x, alpha=-1.5)
        .sub_(x, alpha=0.25)
        .addcdiv_(x, x * x + 1.0, value=-0.5)
    ),
    "clamp_tensors": lambda lib, x, axis, r: lib.clamp(x, x * 0.5 - 1.0, x * 0.25 + 1.0),
    "solve_triangular_any": lambda lib, x, axis, r: (
        lib.linalg.solve_triangular(x, x * 0.5 + 1.0, upper=r.random() < 0.5)
        if x.ndim == 2 and x.shape[0] == x.shape[1]
        else None
    ),
    "cholesky_solve": lambda lib, x, axis, r: (
        lib.cholesky_solve(x * 0.5 + 1.0, x, upper=r.random() < 0.5)
        if x.ndim == 2 and x.shape[0] == x.shape[1]
        else None
    ),
    "F.fractional_max_pool2d": lambda lib, x, axis, r: (
        lib.nn.functional.fractional_max_pool2d(
            x,
            2,
            output_size=(x.shape[2] - 1, x.shape[3] - 1),
            _random_samples=lib.full((x.shape[0], x.shape[1], 2), r.choice([0.0, 0.37, 0.99]), dtype=x.dtype),
        )
        if x.ndim == 4 and x.shape[0] * x.shape[1] and x.shape[2] >= 2 and x.shape[3] >= 2
        else None
    ),
    "F.hardtanh": lambda lib, x, axis, r: lib.nn.functional.hardtanh(x, -0.5, 1.5),
    "F.relu6": lambda lib, x, axis, r: lib.nn.functional.relu6(x * 4.0),
    "F.hardsigmoid": lambda lib, x, axis, r: lib.nn.functional.hardsigmoid(x * 4.0),
    "F.hardswish": lambda lib, x, axis, r: lib.nn.functional.hardswish(x * 4.0),
    "F.softsign": lambda lib, x, axis, r: lib.nn.functional.softsign(x),
    "F.tanhshrink": lambda lib, x, axis, r: lib.nn.functional.tanhshrink(x),
    "F.mish": lambda lib, x, axis, r: lib.nn.functional.mish(x),
    "F.threshold": lambda lib, x, axis, r: lib.nn.functional.threshold(x, 0.3, -1.0),
    "F.selu": lambda lib, x, axis, r: lib.nn.functional.selu(x),
    "F.celu": lambda lib, x, axis, r: lib.nn.functional.celu(x, 0.5),
    "F.elu": lambda lib, x, axis, r: lib.nn.functional.elu(x, 1.7),
    "F.softmin": lambda lib, x, axis, r: lib.nn.functional.softmin(x, axis) if axis is not None else None,
    "F.normalize": lambda lib, x, axis, r: (
        lib.nn.functional.normalize(x, r.choice([1.0, 2.0]), axis) if axis is not None else None
    ),
    "F.cosine_similarity": lambda lib, x, axis, r: (
        lib.nn.functional.cosine_similarity(x, x * 0.5 + 1.0, axis) if axis is not None else None
    ),
    "F.pairwise_distance": lambda lib, x, axis, r: (
        lib.nn.functional.pairwise_distance(x, x * 0.5 + 1.0) if x.ndim else None
    ),
    # statistics (autograd/statistics.py): min and max weighted apart, so a gradient sent to the wrong
    # one shows; kthvalue's k drawn along its dim, ties picked as torch's selection picks them
    "aminmax": lambda lib, x, axis, r: _aminmax(lib, x, None, r),
    "aminmax_dim": lambda lib, x, axis, r: _aminmax(lib, x, axis, r) if axis is not None else None,
    "kthvalue": lambda lib, x, axis, r: (
        lib.kthvalue(x, r.randint(1, x.shape[axis]), axis, r.random() < 0.5).values
        if axis is not None and x.shape[axis]
        else (lib.kthvalue(x, 1).values if x.ndim == 0 else None)
    ),
    "cov": lambda lib, x, axis, r: lib.cov(x, correction=r.choice([0, 1, 1, 2])) if x.ndim <= 2 else None,
    "cov_weighted": lambda lib, x, axis, r: _cov_weighted(lib, x, r),
    "corrcoef": lambda lib, x, axis, r: lib.corrcoef(x) if x.ndim <= 2 else None,
    # nn.functional's layers: layer_norm over the last k dims (its weight and bias made from x),
    # glu along an axis of even length, embedding of a 2-d x by constant indices
    "F.layer_norm": lambda lib, x, axis, r: _layer_norm(lib, x, r) if x.ndim else None,
    "F.glu": lambda lib, x, axis, r: _glu(lib, x, r),
    "F.embedding": lambda lib, x, axis, r: _embedding(lib, x, r) if x.ndim == 2 and x.shape[0] else None,
    # attention of x (..., L, E) over keys and values made from x, with no mask, the causal one, a
    # constant bool mask or a float mask made from x (its gradient flows too), default scale or 0.5
    "F.scaled_dot_product_attention": lambda lib, x, axis, r: _attention(lib, x, r) if x.ndim >= 2 else None,
    # convolutions and pooling (autograd/nn/functional/conv.py, pooling.py): x as images
    # (1, channels, H, W), a kernel cut from x, windows reaching into the padding
    "F.conv2d": lambda lib, x, axis, r: (
        lib.nn.functional.conv2d(_images(x), _images(x)[:, :, :2, :2] * 0.5, padding=1) if x.numel() else None
    ),
    "F.conv1d": lambda lib, x, axis, r: (
        lib.nn.functional.conv1d(_images(x)[0], _images(x)[0][:1, :, :2] * 0.5, padding="same")
        if x.numel()
        else None
    ),
    "F.max_pool2d": lambda lib, x, axis, r: (
        lib.nn.functional.max_pool2d(_images(x), 2, stride=1, padding=1, ceil_mode=True)
        if x.numel()
        else None
    ),
    "F.avg_pool2d": lambda lib, x, axis, r: (
        lib.nn.functional.avg_pool2d(_images(x), 2, padding=1, count_include_pad=False) if x.numel() else None
    ),
    "F.unfold": lambda lib, x, axis, r: (
        lib.nn.functional.unfold(_images(x), 2, padding=1) if x.numel() else None
    ),
    "F.adaptive_avg_pool2d": lambda lib, x, axis, r: (
        lib.nn.functional.adaptive_avg_pool2d(_images(x), 2) if x.numel() else None
    ),
    "F.adaptive_max_pool2d": lambda lib, x, axis, r: (
        lib.nn.functional.adaptive_max_pool2d(_images(x), 2) if x.numel() else None
    ),
    "F.fold": lambda lib, x, axis, r: (  # (fold's rule is unfold's forward and the other way round)
        lib.nn.functional.fold(
            lib.nn.functional.unfold(_images(x), 2, padding=1), _images(x).shape[-2:], 2, padding=1
        )
        if x.numel()
        else None  # fmt: skip
    ),
    "F.batch_norm": lambda lib, x, axis, r: _batch_norm(lib, x, r) if x.numel() else None,
    # transposed and 3-d convolutions, 3-d pools (conv_transpose.py, volumes.py): x as images or as a
    # volume (1, channels, D, H, W), kernels cut from x; interpolate's bicubic, trilinear and area
    "F.conv_transpose2d": lambda lib, x, axis, r: _conv_transpose(lib, x, r, 2) if x.numel() else None,
    "F.conv_transpose1d": lambda lib, x, axis, r: _conv_transpose(lib, x, r, 1) if x.numel() else None,
    "F.conv_transpose3d": lambda lib, x, axis, r: _conv_transpose(lib, x, r, 3) if x.numel() else None,
    "F.conv3d": lambda lib, x, axis, r: (
        lib.nn.functional.conv3d(
            _volume(x), _volume(x)[:, :, :2, :2, :2] * 0.5, padding=1, stride=r.choice([1, 2])
        )
        if x.numel()
        else None
    ),
    "F.max_pool3d": lambda lib, x, axis, r: (
        lib.nn.functional.max_pool3d(_volume(x), 2, stride=1, padding=1, ceil_mode=True)
        if x.numel()
        else None
    ),
    "F.avg_pool3d": lambda lib, x, axis, r: (
        lib.nn.functional.avg_pool3d(_volume(x), 2, padding=1, count_include_pad=False) if x.numel() else None
    ),
    "F.adaptive_avg_pool3d": lambda lib, x, axis, r: (
        lib.nn.functional.adaptive_avg_pool3d(_volume(x), (2, 1, 2)) if x.numel() else None
    ),
    "F.adaptive_max_pool3d": lambda lib, x, axis, r: (
        lib.nn.functional.adaptive_max_pool3d(_volume(x), 2) if x.numel() else None
    ),
    "F.interpolate_bicubic": lambda lib, x, axis, r: (
        lib.nn.functional.interpolate(
            _images(x), scale_factor=r.choice([0.5, 1.5, 2.0]), mode="bicubic", align_corners=r.random() < 0.5
        )
        if x.numel() and min(_images(x).shape[-2:]) >= 2
        else None
    ),
    "F.interpolate_trilinear": lambda lib, x, axis, r: (
        lib.nn.functional.interpolate(
            _volume(x), size=(2, 3, 2), mode="trilinear", align_corners=r.random() < 0.5
        )
        if x.numel()
        else None
    ),
    "F.interpolate_area": lambda lib, x, axis, r: (
        lib.nn.functional.interpolate(_images(x), size=(1, 2), mode="area") if x.numel() else None
    ),
    # nn.utils.rnn: x as a padded batch (T, B, *) (a column below 2-d) packed by drawn lengths (sorted
    # or not) and padded again (either layout, a drawn padding value, total_length); x's leading rows
    # padded as sequences
    "pack_padded_sequence": lambda lib, x, axis, r: (
        _pack_pad(lib, x if x.ndim >= 2 else x.reshape(-1, 1), r) if x.numel() else None
    ),
    "pad_sequence": lambda lib, x, axis, r: _pad_sequence(lib, x, r) if x.ndim else None,
    # session 9's layers, losses and members: norms of x as images (channels split into groups;
    # instance statistics need more than one value per channel), rms_norm over the last k dims, the LP
    # pool of x² (p = 2, windows of one row), rrelu's mean slope (eval), torch's keepdim form of
    # max, amin as a member, trace of a matrix, the margin losses of x as scores (labels drawn), and
    # a hand-written autograd.Function (its backward differentiated again at second order)
    "F.group_norm": lambda lib, x, axis, r: _group_norm(lib, x, r) if x.numel() else None,
    "F.instance_norm": lambda lib, x, axis, r: (
        lib.nn.functional.instance_norm(_images(x), eps=r.choice([1e-5, 0.1]))
        if x.numel() and np.prod(_images(x).shape[2:]) > 1
        else None
    ),
    "F.rms_norm": lambda lib, x, axis, r: (
        lib.nn.functional.rms_norm(x, tuple(x.shape[x.ndim - 1 :]), x.reshape(-1)[: x.shape[-1]] * 0.5 + 1.0,
                                   r.choice([None, 1e-3]))  # fmt: skip
        if x.ndim and x.numel()
        else None
    ),
    "F.local_response_norm": lambda lib, x, axis, r: (
        lib.nn.functional.local_response_norm(_images(x), r.choice([1, 2, 3]), k=r.choice([1.0, 2.0]))
        if x.numel()
        else None
    ),
    "F.lp_pool2d": lambda lib, x, axis, r: (
        lib.nn.functional.lp_pool2d(
            _images(x) * _images(x), 2, (1, min(2, _images(x).shape[-1])), stride=1, ceil_mode=True
        )
        if x.numel()
        else None
    ),
    "F.rrelu_eval": lambda lib, x, axis, r: lib.nn.functional.rrelu(x, 0.1, 0.4, training=False),
    "max_keepdim": lambda lib, x, axis, r: (
        x.max(axis, keepdim=True)[0] if axis is not None and x.shape[axis] else None
    ),
    "amin_method": lambda lib, x, axis, r: x.amin(() if axis is None else axis, keepdim=r.random() < 0.5),
    "trace": lambda lib, x, axis, r: lib.trace(x) if x.ndim == 2 and x.numel() > 1 else None,
    "F.multi_margin_loss": lambda lib, x, axis, r: (
        _margin(lib, x, r, "multi") if x.ndim == 2 and x.numel() else None
    ),
    "F.multilabel_margin_loss": lambda lib, x, axis, r: (
        _margin(lib, x, r, "multilabel") if x.ndim == 2 and x.numel() else None
    ),
    "F.multilabel_soft_margin_loss": lambda lib, x, axis, r: (
        _margin(lib, x, r, "soft") if x.ndim == 2 and x.numel() else None
    ),
    "custom_function": lambda lib, x, axis, r: _custom(lib).apply(x),
    # session 10's (mode's ties as torch's kernel picks them; nanquantile's ranks of each slice's numbers)
    "mode": lambda lib, x, axis, r: (
        lib.mode(x, axis, r.random() < 0.5).values
        if axis is not None and x.shape[axis]
        else (lib.mode(x).values if x.ndim == 0 else None)
    ),
    "mode_gather": lambda lib, x, axis, r: (
        x.gather(axis, lib.mode(x, axis, True).indices) if axis is not None and x.shape[axis] else None
    ),
    "nanquantile": lambda lib, x, axis, r: (
        lib.nanquantile(
            x,
            r.choice([0.0, 0.3, 0.5, 1.0]),
            axis,
            r.random() < 0.5,
            interpolation=r.choice(["linear", "lower", "higher", "nearest", "midpoint"]),
        )
        if (x.numel() if hasattr(x, "numel") else np.size(x))
        else None
    ),
    "sort_gather": lambda lib, x, axis, r: (
        x.take_along_dim(
            x.sort(dim=axis, stable=True).indices if lib is torch else x.sort(axis).indices, axis
        )
        * x.argsort(dim=axis, descending=True, stable=True).flip(axis).to(x.dtype)
        if axis is not None
        else None
    ),
    "topk": lambda lib, x, axis, r: _topk(lib, x, r),
    "F.max_unpool2d": lambda lib, x, axis, r: _unpool(lib, _images(x), 2) if x.numel() else None,
    "F.max_unpool1d": lambda lib, x, axis, r: _unpool(lib, _images(x)[0], 1) if x.numel() else None,
    # session 11's
    "float_power": lambda lib, x, axis, r: lib.float_power(x, r.choice([2, 3, 0.5])),
    "hardshrink": lambda lib, x, axis, r: x.hardshrink(0.5),
    "F.softshrink": lambda lib, x, axis, r: lib.nn.functional.softshrink(x, 0.5),
    "F.prelu": lambda lib, x, axis, r: (
        lib.nn.functional.prelu(x, lib.tensor([0.25], dtype=x.dtype)) if x.ndim else None
    ),
    "renorm": lambda lib, x, axis, r: x.renorm(2, 0, 1.0) if x.ndim >= 2 else None,
    "matrix_power": lambda lib, x, axis, r: lib.linalg.matrix_power(_square(x), 3) if x.ndim >= 2 else None,
    # (finite inputs: torch's backward is the exponential of a block matrix, nan at an inf input)
    "matrix_exp": lambda lib, x, axis, r: (
        lib.linalg.matrix_exp(_square(x) * 0.1) if x.ndim >= 2 and bool(x.isfinite().all()) else None
    ),
    "F.pdist": lambda lib, x, axis, r: lib.nn.functional.pdist(x) if x.ndim == 2 else None,
    "trapezoid": lambda lib, x, axis, r: lib.trapezoid(x, dim=axis) if axis is not None else None,
    "baddbmm": lambda lib, x, axis, r: (
        lib.baddbmm(x[:, :1, :1], x, x.transpose(1, 2), beta=0.5, alpha=2.0) if x.ndim == 3 else None
    ),
}


def _square(x: Any) -> Any:
    """The leading square block of x's last two axes."""
    k = min(x.shape[-2:])
    return x[..., :k, :k]


def _topk(lib: Any, x: Any, r: random.Random) -> Any:
    """topk of x's elements repeated (ties, in rows long enough for torch's selection to reorder
    them), some of the largest or smallest, sorted or in the order torch's selection leaves them."""
    n = 6 * (x.numel() if hasattr(x, "numel") else int(np.size(x)))
    row = x.reshape(-1).repeat(6)
    return lib.topk(row, r.randint(0, n), 0, r.random() < 0.5, r.random() < 0.7).values if n else None


def _unpool(lib: Any, x: Any, spatial: int) -> Any:
    """x pooled (overlapping windows reaching into the padding: positions shared; of several nans
    in a window, the last) and written back."""
    f = lib.nn.functional
    pool, unpool = getattr(f, f"max_pool{spatial}d"), getattr(f, f"max_unpool{spatial}d")
    values, indices = pool(x, 2, stride=1, padding=1, return_indices=True)
    return unpool(values * 1.5, indices, 2, stride=1, padding=1, output_size=x.shape[-spatial:])


def _group_norm(lib: Any, x: Any, r: random.Random) -> Any:
    images = _images(x)
    c = images.shape[1]
    groups = r.choice([g for g in range(1, c + 1) if c % g == 0])
    row = images.reshape((-1,))[:1] if r.random() < 0.5 else None
    weight = None if row is None else row * 0.5 + lib.ones(c, dtype=images.dtype)
    bias = None if row is None else row * row - 0.5
    return lib.nn.functional.group_norm(images, groups, weight, bias, r.choice([1e-5, 0.1]))


def _margin(lib: Any, x: Any, r: random.Random, kind: str) -> Any:
    """A margin loss of x as scores (N, C), its labels drawn from the step's seed."""
    n, c = x.shape
    F_ = lib.nn.functional
    if kind == "multi":
        k = lib.tensor(np.array([r.randrange(c) for _ in range(n)], dtype=np.int64))
        return F_.multi_margin_loss(x, k, p=r.choice([1, 2]), margin=r.choice([0.5, 1.0]))
    if kind == "multilabel":
        lists = [[r.randrange(c) for _ in range(r.randint(0, c))] + [-1] * c for _ in range(n)]
        return F_.multilabel_margin_loss(x, lib.tensor(np.array([row[:c] for row in lists], dtype=np.int64)))
    y = lib.tensor(np.array([[float(r.random() < 0.5) for _ in range(c)] for _ in range(n)])).to(x.dtype)
    return F_.multilabel_soft_margin_loss(x, y)


_CUSTOM: dict[str, Any] = {}


def _custom(lib: Any) -> Any:
    """A hand-written ``autograd.Function`` (x³ with its derivative 3x², saved input), one per library."""
    found = _CUSTOM.get(lib.__name__)
    if found is None:

        class Cube(lib.autograd.Function):
            @staticmethod
            def forward(ctx: Any, x: Any) -> Any:
                ctx.save_for_backward(x)
                return x * x * x

            @staticmethod
            def backward(ctx: Any, g: Any) -> Any:
                (x,) = ctx.saved_tensors
                return g * (3.0 * x * x)

        found = _CUSTOM[lib.__name__] = Cube
    return found


def _pack_pad(lib: Any, x: Any, r: random.Random) -> Any:
    steps, batch = x.shape[:2]
    lengths = [r.randint(1, steps) for _ in range(batch)]
    enforce_sorted = r.random() < 0.3
    if enforce_sorted:
        lengths.sort(reverse=True)
    utils = lib.nn.utils.rnn
    packed = utils.pack_padded_sequence(x, lengths, enforce_sorted=enforce_sorted)
    total = r.choice([None, steps, steps + 1])
    padded, _ = utils.pad_packed_sequence(
        packed, batch_first=r.random() < 0.5, padding_value=r.choice(CONSTANTS), total_length=total
    )
    return padded


def _pad_sequence(lib: Any, x: Any, r: random.Random) -> Any:
    sequences = [x[r.randint(0, x.shape[0]) :] * (k + 1.0) for k in range(r.randint(1, 3))]
    return lib.nn.utils.rnn.pad_sequence(
        sequences,
        batch_first=r.random() < 0.5,
        padding_value=r.choice(CONSTANTS),
        padding_side=r.choice(["left", "right"]),
    )


def _batch_norm(lib: Any, x: Any, r: random.Random) -> Any:
    """x as images, normalised by the batch (training; one value per channel: both refuse) or by
    constant running statistics (evaluation), with a weight and bias made from x or none."""
    images = _images(x)
    c = images.shape[1]
    row = images.reshape((-1,))[:1] if r.random() < 0.5 else None
    weight = None if row is None else row * 0.5 + lib.ones(c, dtype=images.dtype)
    bias = None if row is None else row * row - 0.5
    if r.random() < 0.5:
        return lib.nn.functional.batch_norm(images, None, None, weight, bias, training=True)
    mean, var = lib.zeros(c, dtype=images.dtype) + 0.25, lib.ones(c, dtype=images.dtype) * 2.0
    return lib.nn.functional.batch_norm(
        images, mean, var, weight, bias, training=False, eps=r.choice([1e-5, 0.1])
    )


def _layer_norm(lib: Any, x: Any, r: random.Random) -> Any:
    k = r.randint(1, x.ndim)
    shape, batch = tuple(x.shape[x.ndim - k :]), tuple(x.shape[: x.ndim - k])
    affine = r.randrange(3) if all(batch) else 0  # (0: none, 1: weight, 2: weight and bias)
    row = x[(0,) * len(batch)] if affine else None
    weight = row * 0.5 + 1.0 if affine else None
    bias = row * row - 0.5 if affine == 2 else None
    return lib.nn.functional.layer_norm(x, shape, weight, bias, r.choice([1e-5, 0.1]))


def _glu(lib: Any, x: Any, r: random.Random) -> Any:
    even = [d for d in range(x.ndim) if x.shape[d] % 2 == 0]
    return lib.nn.functional.glu(x, r.choice(even) - r.choice([0, x.ndim])) if even else None


def _embedding(lib: Any, x: Any, r: random.Random) -> Any:
    n = x.shape[0]
    index = lib.tensor(np.array([r.randrange(n) for _ in range(r.randint(0, 5))], dtype=np.int64))
    padding_idx = r.choice([None, r.randrange(n), -1])
    return lib.nn.functional.embedding(index, x, padding_idx, scale_grad_by_freq=r.random() < 0.5)


def _conv_transpose(lib: Any, x: Any, r: random.Random, spatial: int) -> Any:
    """x as images (1-d: the rows of one image as a batch; 3-d: a volume), the kernel cut from x
    with x's channels in and one out, stride 2 with an output padding, or a dilation."""
    if spatial == 3:
        x = _volume(x)
        w = x[0, :, :2, :2, :2].unsqueeze(1) * 0.5
    elif spatial == 2:
        x = _images(x)
        w = x[0, :, :2, :2].unsqueeze(1) * 0.5
    else:
        x = _images(x)[0]
        w = x[:1, :, :2].transpose(0, 1) * 0.5
    options = r.choice(
        [dict(stride=2, output_padding=1), dict(dilation=2, padding=1), dict(stride=3, padding=1)]
    )
    s, p, d = options.get("stride", 1), options.get("padding", 0), options.get("dilation", 1)
    if any((n - 1) * s - 2 * p + d * (k - 1) + options.get("output_padding", 0) < 0
           for n, k in zip(x.shape[2:], w.shape[2:])):  # fmt: skip
        return None  # (an empty output: torch refuses it, so does this library)
    return getattr(lib.nn.functional, f"conv_transpose{spatial}d")(x, w, **options)


def _volume(x: Any) -> Any:
    """x as a batch of one volume, ``(1, channels, D, H, W)``: its leading axes the channels."""
    if x.ndim >= 3:
        return x.reshape((1, -1, *x.shape[-3:]))
    return _images(x).unsqueeze(2)


def _images(x: Any) -> Any:
    """x as a batch of one image, ``(1, channels, H, W)``: its leading axes the channels."""
    return x.reshape((1, -1, *x.shape[-2:]) if x.ndim >= 2 else (1, 1, 1, x.shape[0] if x.ndim else 1))


def _attention(lib: Any, x: Any, r: random.Random) -> Any:
    n = x.shape[-2]
    kind, scale = r.randrange(4), r.choice([None, 0.5])
    mask = None
    if kind == 2:
        mask = lib.tensor(np.array([[r.random() < 0.7 for _ in range(n)] for _ in range(n)], dtype=bool))
    elif kind == 3:
        mask = (x @ x.transpose(-2, -1)) * 0.1
    return lib.nn.functional.scaled_dot_product_attention(
        x, x * 0.5 + 1.0, x * x - 0.5, mask, is_causal=kind == 1, scale=scale
    )


def _aminmax(lib: Any, x: Any, axis: int | None, r: random.Random) -> Any:
    if not (x.shape[axis] if axis is not None else (x.numel() if hasattr(x, "numel") else np.size(x))):
        return None
    low, high = lib.aminmax(x, dim=axis, keepdim=r.random() < 0.5)
    return low * 1.5 + high


def _cov_weighted(lib: Any, x: Any, r: random.Random) -> Any:
    """cov with frequency weights, observation weights (x-dependent: their gradient is checked too) or
    both; where there is more than one observation (torch zeroes its input in place for one)."""
    if x.ndim > 2 or (x.shape[-1] if x.ndim else 1) < 2:
        return None
    n = x.shape[-1]
    f = lib.tensor([r.randint(0, 3) for _ in range(n)])
    row = x.reshape(-1, n)[0]
    a = row * row * 0.5 + 0.25  # (positive, unless a nan or inf makes it so)
    choice, correction = r.randrange(3), r.choice([0, 1, 2])
    if choice == 0:
        return lib.cov(x, correction=correction, fweights=f) if int(f.sum()) else None
    if choice == 1:
        return lib.cov(x, correction=correction, aweights=a) if (a.detach() > 0).all() else None
    if not int(f.sum()) or not (a.detach() > 0).all() or not float((f * a.detach()).sum()) > 0:
        return None
    return lib.cov(x, correction=correction, fweights=f, aweights=a)


def _scatter(lib: Any, x: Any, name: str, r: random.Random) -> Any:
    """One of SCATTER_OPS on x along a drawn dim (negative or not; a 0-d x along its one place):
    values from x·0.5 - 1 and x², the index drawn with repeats from that dim's positions."""
    shape = tuple(x.shape)
    axis = r.randrange(len(shape)) if shape else 0
    dim = axis - max(len(shape), 1) if r.random() < 0.3 else axis
    n = shape[axis] if shape else 1
    other = x * 0.5 - 1.0
    both = lib.cat([other, x * x], axis) if shape else other

    def index(sizes: list[int]) -> Any:
        drawn = [r.randrange(n) for _ in range(int(np.prod(sizes)))]
        return lib.tensor(np.array(drawn, np.int64).reshape(sizes))

    if name == "scatter_argmax":  # (positions the function computes: a compiled step finds each call's)
        peak = other.max(dim, keepdim=True).values if n else None
        return x.scatter(dim, other.argmax(dim, keepdim=True), peak) if n else None
    if name.startswith("scatter"):
        if shape:
            sizes = [r.randint(0, k) for k in shape]
            sizes[axis] = r.randint(0, min(3, 2 * n))
            at, src = index(sizes), both[tuple(slice(0, k) for k in sizes)]
        else:
            at, src = lib.tensor(np.int64(0)), other
        if name == "scatter":
            return x.scatter(dim, at, src)
        if name == "scatter_value":
            return x.scatter(dim, at, r.choice(CONSTANTS))
        if name == "scatter_add":
            return x.scatter_add(dim, at, src)
        return x.scatter_reduce(dim, at, src, name[8:], include_self=r.random() < 0.6)
    count = x.numel()
    if name == "put":
        k = r.randint(0, 4) if count else 0
        at = lib.tensor(np.array([r.randrange(-count, count) for _ in range(k)], np.int64))
        return x.put(at, (both.reshape(-1).repeat(4) if count else both.reshape(-1))[:k], r.random() < 0.5)
    if name == "masked_scatter":
        mask = lib.tensor(np.array([r.random() < 0.5 for _ in range(count)], bool).reshape(shape))
        return x.masked_scatter(mask, both.reshape(-1))
    if not shape:
        return None
    if name.startswith("index_put"):
        drawn = [r.randrange(-shape[0], shape[0]) for _ in range(r.randint(0, 4) if shape[0] else 0)]
        rows = lib.tensor(np.array(drawn, np.int64))
        values = other[0] if shape[0] and r.random() < 0.5 else other.sum()
        return x.index_put((rows,), values, accumulate=name.endswith("accumulate"))
    # index_*: whole slices along dim named by a 1-d index, source slices cut from both
    k = r.randint(0, 4) if n else 0
    at = index([k])
    source = both.narrow(axis, 0, 0)
    if k:
        source = lib.cat([both.narrow(axis, j % both.shape[axis], 1) for j in range(k)], axis)
    if name == "index_add":
        return x.index_add(dim, at, source, alpha=r.choice([1.0, -2.0, 0.5]))
    if name == "index_copy":
        return x.index_copy(dim, at, source)
    if name == "index_fill":
        return x.index_fill(dim, at, r.choice(CONSTANTS))
    if name == "index_fill_tensor":
        return x.index_fill(dim, at, other.sum() * 0.25)
    return x.index_reduce(dim, at, source, name[6:], include_self=r.random() < 0.6)


def _last_one(x: Any) -> Any:
    """``x`` cut to length 1 along its last axis (an operand broadcast against ``x``)."""
    return x[..., :1] if x.ndim else x


def _layout_op(x: Any, name: str, seed: int, T: bool) -> Any:
    """The op, its result weighted by position (the output sums every node, which a permutation
    would not change: the weights make a misplaced element show)."""
    out = _layout(x, name, random.Random(seed), T)
    if out is None:
        return None
    weights = 1.0 + np.arange(np.prod(out.shape), dtype=np.float64).reshape(tuple(out.shape)) / 8
    return out * (torch.tensor(weights) if T else weights)


def _layout(x: Any, name: str, r: random.Random, T: bool) -> Any:
    nd, shape = x.ndim, tuple(x.shape)
    axis = r.randrange(nd) if nd else None
    if name == "flip":
        return x.flip(tuple(r.sample(range(nd), r.randint(0, nd))))
    if name == "roll":
        return x.roll(r.randint(-4, 4), axis)
    if name in ("rot90", "tril", "triu", "diagonal") and nd < 2:
        return None
    if name == "rot90":
        return x.rot90(r.randint(-2, 3), r.sample(range(nd), 2))
    if name in ("tril", "triu"):
        return getattr(x, name)(r.randint(-2, 2))
    if name == "diagonal":
        return x.diagonal(r.randint(-2, 2), *r.sample(range(nd), 2))
    if name == "diag":
        return x.diag(r.randint(-2, 2)) if nd in (1, 2) else None
    if name == "repeat":
        return x.repeat(*(r.randint(0, 2) for _ in range(max(nd + r.randint(0, 1), 1))))
    if name == "repeat_interleave":
        return x.repeat_interleave(r.randint(0, 2), axis)
    if name == "tile":
        return x.tile(tuple(r.randint(0, 2) for _ in range(r.randint(1, nd + 1))))
    if name in ("split", "tensor_split") and nd:
        pieces = getattr(x, name)(r.randint(1, 3), axis)
        return pieces[r.randrange(len(pieces))]
    if name == "movedim" and nd:
        return x.movedim(axis, r.randrange(nd))
    if name == "swapaxes" and nd:
        return x.swapaxes(axis, r.randrange(nd))
    if name == "expand":
        return x.expand(2, *shape)
    if name.startswith("sort"):
        descending = name == "sort_descending"
        dim = -1 if axis is None else axis
        return (
            x.sort(dim=dim, descending=descending, stable=True).values
            if T
            else x.sort(dim, descending).values
        )
    if name == "take" and (x.numel() if T else np.size(x)):
        index = np.array([r.randrange(int(np.prod(shape))) for _ in range(r.randint(0, 3))], dtype=np.int64)
        return x.take(torch.tensor(index)) if T else x.take(index)
    if name == "take_along_dim" and nd and shape[axis]:
        index = np.array(
            [r.randrange(shape[axis]) for _ in range(int(np.prod(shape[:axis] + shape[axis + 1 :])) * 2)],
            dtype=np.int64,  # (also where it is empty: torch refuses a float index array)
        )
        index = np.moveaxis(index.reshape(shape[:axis] + shape[axis + 1 :] + (2,)), -1, axis)
        return x.take_along_dim(torch.tensor(index), axis) if T else x.take_along_dim(index, axis)
    if name == "gather" and nd and shape[axis]:
        sizes = [r.randint(0, n) for n in shape]
        sizes[axis] = r.randint(0, 3)
        index = np.array([r.randrange(shape[axis]) for _ in range(int(np.prod(sizes)))], dtype=np.int64)
        index = index.reshape(sizes)
        return x.gather(axis, torch.tensor(index)) if T else x.gather(axis, index)
    if name == "index_select" and nd and shape[axis]:
        index = np.array([r.randrange(shape[axis]) for _ in range(r.randint(0, 3))], dtype=np.int64)
        return x.index_select(axis, torch.tensor(index)) if T else x.index_select(axis, index)
    if name == "unfold" and nd:  # (Tensor.unfold: overlapping windows, found by tinygrad's op tests)
        return x.unfold(axis, r.randint(0, shape[axis]), r.randint(1, 3))
    if name == "narrow" and nd:
        start = r.randint(0, shape[axis])
        return x.narrow(axis, start, r.randint(0, shape[axis] - start))
    if name == "chunk" and nd:
        pieces = x.chunk(r.randint(1, 3), axis)
        return pieces[r.randrange(len(pieces))] if pieces else None
    if name in ("median_dim", "nanmedian_dim") and nd and shape[axis]:
        return getattr(x, name[:-4])(axis, r.random() < 0.5).values
    if name == "masked_select":
        mask = np.array([r.random() < 0.5 for _ in range(int(np.prod(shape)))], dtype=bool).reshape(shape)
        return x.masked_select(torch.tensor(mask)) if T else x.masked_select(mask)
    if name in _COMPOSED:
        return _COMPOSED[name](torch if T else ag, x, axis, r)
    if name in SCATTER_OPS:
        return _scatter(torch if T else ag, x, name, r)
    if name == "np.pad" and nd:
        widths, value = [(r.randint(0, 2), r.randint(0, 2)) for _ in range(nd)], r.choice(CONSTANTS)
        flat = [w for pair in reversed(widths) for w in pair]
        return F.pad(x, flat, value=value) if T else np.pad(x, widths, constant_values=value)
    if name == "np.repeat":
        n = r.randint(0, 2)
        return x.repeat_interleave(n, axis) if T else np.repeat(x, n, axis)
    if name == "np.flip":
        return x.flip(tuple(range(nd))) if T else np.flip(x)
    if name == "np.roll":
        shift = r.randint(-5, 5)
        return x.roll(shift) if T else np.roll(x, shift)
    return None


def run_tensor_program(
    prog: dict[str, Any], leaves: list[Any], weight: Any, T: bool, log: list | None = None
) -> Any:
    """The program's output; ``log`` (if given) receives (op, input shape) before each step."""
    L = Lib(T, tensors=True)
    nodes = list(leaves)
    for kind, name, i, arg in prog["ops"]:
        x = pick(nodes, i)
        if log is not None:
            log.append((name, x.shape))
        if kind == "unary":
            out = UNARY[name](x, arg, L)
        elif kind == "binary":
            out = BINARY[name](x, pick(nodes, arg), L)
        elif kind == "where":
            y = pick(nodes, arg)
            out = torch.where(x > y, x, y * 0.5) if T else ag.where(x > y, x, y * 0.5)
        elif kind == "reduce":
            out = _reduce(x, name, *arg, T)
        elif kind == "shape":
            out = _shape_op(x, pick(nodes, arg[0]), name, arg[1], T)
        elif kind == "numpy":
            out = getattr(torch, name[3:])(x) if T else NUMPY_UNARY[name](x)
        elif kind == "layout":
            out = _layout_op(x, name, arg, T)
        elif kind == "nd":
            out = nd_op(x, pick(nodes, arg[0]), name, arg[1], T)
        else:  # (arg: through a transposed C copy, as nn.Linear's x @ W.T reads W: its own rule)
            w = weight.mT.contiguous().mT if arg and hasattr(weight, "contiguous") else weight
            out = x @ w if x.ndim and x.shape[-1] == weight.shape[0] else None
        if out is not None:
            nodes.append(out)
    results = nodes[len(leaves) :] or nodes[:1]
    total = results[0].sum()
    for r in results[1:]:
        total = total + r.sum()
    return total


# ---------------------------------------------------------------------------- reductions, scans, products
# and linear algebra (the "nd" kind of Tensor programs): each op reads x (and y, or x·0.5 where
# their shapes differ), draws its axis and variant from a seed, and gives None where it does not
# apply. Linear algebra runs on well-conditioned matrices built from x (A Aᵀ + I), only where x
# is finite and moderate (LAPACK's nan/inf handling and rounding at huge values differ by library).
def _nd_other(x: Any, y: Any) -> Any:
    return y if tuple(y.shape) == tuple(x.shape) else x * 0.5


def _nd_dim(x: Any, r: random.Random, allow_none: bool = True) -> int | None:
    if x.ndim == 0 or (allow_none and r.random() < 0.25):
        return None
    return r.randrange(x.ndim) - (x.ndim if r.random() < 0.5 else 0)


def _nd_reduce(x: Any, y: Any, name: str, r: random.Random, T: bool) -> Any:
    dim, keep = _nd_dim(x, r), r.random() < 0.5
    if name == "prod":
        if dim is None:
            return x.prod()
        if T or r.random() < 0.5:
            return x.prod(dim, keepdim=keep)
        return np.prod(x, dim, keepdims=keep)
    if name in ("cumsum", "cumprod"):
        if dim is None:  # (a 0-d x: torch's scan of its one element)
            return getattr(x, name)(0)
        return getattr(x, name)(dim) if T else getattr(np, name)(x, axis=dim)
    if name == "diff":
        if x.ndim == 0:
            return None
        n, dim = r.randint(1, 2), r.randrange(x.ndim)
        return torch.diff(x, n, dim) if T else np.diff(x, n, dim)
    if name == "partition":  # the k-th smallest along dim: NumPy's partition vs torch's sort
        dim = 0 if dim is None else dim
        data = x.detach().numpy() if T else x.data
        if x.ndim == 0 or data.shape[dim] == 0:
            return None
        ordered = np.sort(data, axis=dim)
        if np.isnan(data).any() or (np.diff(ordered, axis=dim) == 0).any():
            return None  # (tied values: which one receives the gradient is the library's choice)
        k = r.randrange(data.shape[dim])
        if T:
            return torch.sort(x, dim).values.select(dim, k)
        return np.take(np.partition(x, k, axis=dim), k, axis=dim)
    if name == "ptp":
        return x.amax(dim, keepdim=keep) - x.amin(dim, keepdim=keep) if T else np.ptp(x, dim, keepdims=keep)
    if name == "average":
        if x.shape and 0 in x.shape:  # (NumPy: weights summing to 0 raise ZeroDivisionError)
            return None
        w = _nd_other(x, y)
        w = w * w + 1.0
        dims = tuple(range(x.ndim)) if dim is None else dim
        return (x * w).sum(dims) / w.sum(dims) if T else np.average(x, dim, w)
    p = r.choice([1, 2, 3, math.inf, -math.inf])  # vector_norm, where no |x|^p under- or overflows:
    data = np.abs(x.detach().numpy() if T else x.data)  # (torch takes |x| for one element, NumPy squares)
    if (np.isfinite(data) & (data != 0) & ((data < 1e-100) | (data > 1e100))).any():
        return None
    if T:
        return torch.linalg.vector_norm(x, p, dim, keepdim=keep)
    return np.linalg.norm(x, p, dim, keep) if dim is not None else ag.linalg.vector_norm(x, p, keepdim=keep)


def _nd_product(x: Any, y: Any, name: str, r: random.Random, T: bool) -> Any:
    z = _nd_other(x, y)
    if name == "einsum":
        if x.ndim == 0:
            return torch.einsum("...,...", x, z) if T else np.einsum("...,...", x, z)
        spec = r.choice(["...i,...i->...", "...i,...j->...ij", "i...->...i"])
        if x.ndim >= 2 and x.shape[-1] == x.shape[-2] and r.random() < 0.5:
            spec = "...ii->...i"
            return torch.einsum(spec, x) if T else np.einsum(spec, x)
        if spec == "...i,...i->..." and x.ndim and x.shape[-1] == 2:  # z's i broadcast: length 1
            z = z[..., :1]
        args = (x,) if spec.startswith("i...") else (x, z)
        return torch.einsum(spec, *args) if T else np.einsum(spec, *args)
    if name == "tensordot":
        k = r.randint(0, x.ndim)  # x's last k axes with z's (of the same lengths)
        axes = list(range(x.ndim - k, x.ndim))
        return torch.tensordot(x, z, dims=(axes, axes)) if T else np.tensordot(x, z, (axes, axes))
    if name == "kron":
        return torch.kron(x.contiguous(), y.contiguous()) if T else np.kron(x, y)  # (torch's needs that)
    if name == "outer":
        return torch.outer(x.reshape(-1), y.reshape(-1)) if T else np.outer(x, y)
    if name == "inner":
        if x.ndim == 0:
            return x * z
        return torch.inner(x, z) if T else np.inner(x, z)
    if name == "dot":  # NumPy's dot of x with z (its last two axes swapped), in torch by tensordot
        w = z if z.ndim < 2 else (z.transpose(-1, -2) if T else np.swapaxes(z, -1, -2))
        if x.ndim == 0 or w.ndim == 0:
            return x * w
        if T:
            return torch.tensordot(x, w, dims=([x.ndim - 1], [max(w.ndim - 2, 0)]))
        return np.dot(x, w)
    # cross of 3-vectors stacked from x and z along a new last axis, whose components add terms of
    # one sign (torch fuses a·b − c·d into one rounding: a cancellation or an overflowing product
    # would differ there, so finite numbers beyond 1e150 are left out)
    data = x.detach().numpy() if T else x.data
    if (np.isfinite(data) & (np.abs(data) > 1e150)).any():
        return None
    stack = torch.stack if T else ag.stack
    a, b = stack([x, z, x * 2.0], -1), stack([z * 3.0, -x, z * 0.5], -1)
    return torch.linalg.cross(a, b) if T else (np.cross(a, b) if r.random() < 0.5 else ag.linalg.cross(a, b))


def _nd_linalg(x: Any, y: Any, name: str, r: random.Random, T: bool) -> Any:
    data = x.detach().numpy() if T else x.data
    if not (np.abs(data) <= 4).all():
        return None
    L = torch.linalg if T else ag.linalg

    # D = diag(1, ..., n) keeps the eigenvalues apart (LAPACK libraries split a repeated one differently)
    def diagonal(n: int) -> Any:
        d = np.diag(np.arange(1.0, n + 1))
        return torch.tensor(d) if T else d

    if not (x.ndim >= 2 and x.shape[-1] == x.shape[-2]):  # a matrix from x: v vᵀ + D
        v = x.reshape(-1)
        x = (torch.outer(v, v) if T else np.outer(v, v)) + diagonal(v.shape[0])
        data = x.detach().numpy() if T else x.data
    n = x.shape[-1]
    spd = x @ x.transpose(-1, -2) + diagonal(n) if T else x @ np.swapaxes(x, -1, -2) + diagonal(n)
    if name == "inv":
        return L.inv(spd)
    if name == "det":
        if (np.linalg.det(data) == 0).any():  # (torch's first-order rule gives 0 there: a listed difference)
            return None
        return L.det(x)
    if name == "slogdet":
        return L.slogdet(spd)[1]
    if name == "solve":
        ok = tuple(y.shape[-1:]) == (n,) and (np.abs(y.detach().numpy() if T else y.data) <= 4).all()
        b = y if ok else spd[..., 0] * 0.5 + 1.0
        return L.solve(spd, b)
    if name == "cholesky":
        return L.cholesky(spd)
    if name == "eigvalsh":
        return L.eigvalsh(spd)
    if name == "qr":  # (LAPACK's Householder signs on both sides)
        return L.qr(spd)[r.randrange(2)]
    if name == "solve_triangular":
        upper, left, unit = r.random() < 0.5, r.random() < 0.5, r.random() < 0.5
        return L.solve_triangular(spd, x, upper=upper, left=left, unitriangular=unit)
    if name == "multi_dot":
        return L.multi_dot([x[0], spd @ x, spd]) if x.ndim == 2 else None  # (a vector, not symmetric)
    return L.matrix_norm(x, r.choice(["fro", "nuc", 1, -1, math.inf, -math.inf]))  # matrix_norm


ND = {
    **dict.fromkeys(
        ["prod", "cumsum", "cumprod", "diff", "ptp", "average", "vector_norm", "partition"], _nd_reduce
    ),
    **dict.fromkeys(["einsum", "tensordot", "kron", "outer", "inner", "dot", "cross"], _nd_product),
    **dict.fromkeys(
        ["inv", "det", "slogdet", "solve", "cholesky", "eigvalsh", "matrix_norm", "qr", "solve_triangular",
         "multi_dot"],
        _nd_linalg,
    ),
}
ND_NAMES = sorted(ND)


def nd_op(x: Any, y: Any, name: str, seed: int, T: bool) -> Any:
    """One op of the "nd" kind (its variant drawn from ``seed``), or None where it does not apply."""
    return ND[name](x, y, name, random.Random(seed), T)


# ---------------------------------------------------------------------------- ValueArray programs
VA_REDUCTIONS = ["sum", "mean", "max", "min", "logsumexp", "softmax", "log_softmax", "var"]


def value_array_program(rng: np.random.Generator) -> dict[str, Any]:
    prog = tensor_program(rng, empty=rng.random() < 0.1)
    keep = ("unary", "binary", "reduce")
    prog["ops"] = [
        op for op in prog["ops"] if op[0] in keep and not (op[0] == "reduce" and op[1] not in VA_REDUCTIONS)
    ]
    return prog


def as_nodes(kind: str, arrays: list[np.ndarray]) -> list[Any]:
    if kind == "tensor":
        return [Tensor(a, requires_grad=True) for a in arrays]
    if kind == "value_array":
        return [ValueArray(a) for a in arrays]
    return [Value(float(a)) for a in arrays]
