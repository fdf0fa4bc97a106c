"""Random expression graphs, built the same way in the engine and in PyTorch, agree.

A small interpreter runs a list of operations over a growing list of nodes:
each operation reads one or two earlier nodes (so nodes get reused, e.g.
``b = a + a; c = b * b``) and sometimes a constant, and appends its result.
hypothesis draws the leaves (random shapes that broadcast together), the
operations and the constants; the output is the sum of every computed
node. The same program runs on ``Tensor`` (or
``Value``) and on float64 torch tensors, and the output and every leaf's
gradient must agree.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import torch
from engine_helpers import close, torch_softplus
from hypothesis import assume, example, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd as ag
from autograd import Tensor, Value

RTOL = ATOL = 1e-10


class Ours:
    """The engine's spelling of the operations that torch spells differently."""

    softplus = staticmethod(lambda x: x.softplus())
    const = staticmethod(lambda a: a)
    where = staticmethod(lambda x, y: ag.where(x > 0, x, y))
    sum = staticmethod(lambda x, ax: x.sum(ax, keepdims=True))
    mean = staticmethod(lambda x, ax: x.mean(ax, keepdims=True))
    max = staticmethod(lambda x, ax: x.max(ax, keepdims=True))
    min = staticmethod(lambda x, ax: x.min(ax, keepdims=True))
    logsumexp = staticmethod(lambda x, ax: x.logsumexp(ax, keepdims=True))
    softmax = staticmethod(lambda x, ax: x.softmax(ax))
    log_softmax = staticmethod(lambda x, ax: x.log_softmax(ax))
    gather = staticmethod(lambda x, idx: x[np.array(idx)])


class Torch:
    softplus = staticmethod(torch_softplus)
    const = staticmethod(lambda a: torch.tensor(a, dtype=torch.float64))
    where = staticmethod(lambda x, y: torch.where(x > 0, x, y))
    sum = staticmethod(lambda x, ax: x.sum(ax, keepdim=True))
    mean = staticmethod(lambda x, ax: x.mean(ax, keepdim=True))
    max = staticmethod(lambda x, ax: x.amax(ax, keepdim=True))
    min = staticmethod(lambda x, ax: x.amin(ax, keepdim=True))
    logsumexp = staticmethod(lambda x, ax: x.logsumexp(ax, keepdim=True))
    softmax = staticmethod(lambda x, ax: x.softmax(ax))
    log_softmax = staticmethod(lambda x, ax: x.log_softmax(ax))
    gather = staticmethod(lambda x, idx: x[torch.tensor(idx)])


# Elementwise operations, written once for Value, Tensor and torch (same method names).
# Domains are kept valid by construction (log of x² + 0.5, division by y² + 0.5, ...).
UNARY = {
    "neg": lambda x, c, B: -x,
    "exp": lambda x, c, B: x.exp(),
    "log": lambda x, c, B: (x * x + 0.5).log(),
    "log1p": lambda x, c, B: (x * x).log1p(),
    "sqrt": lambda x, c, B: (x * x + 0.25).sqrt(),
    "tanh": lambda x, c, B: x.tanh(),
    "sigmoid": lambda x, c, B: x.sigmoid(),
    "relu": lambda x, c, B: x.relu(),
    "abs": lambda x, c, B: x.abs(),
    "softplus": lambda x, c, B: B.softplus(x),
    "clip": lambda x, c, B: x.clip(-abs(c), abs(c)),
    "clip_min": lambda x, c, B: x.clip(min=c),
    "square": lambda x, c, B: x**2,
    "cube": lambda x, c, B: x**3,
    "pow_const": lambda x, c, B: (x * x + 0.5) ** c,
    "rpow_const": lambda x, c, B: (abs(c) + 0.5) ** x.tanh(),
    "add_const": lambda x, c, B: x + c,
    "radd_const": lambda x, c, B: c + x,
    "rsub_const": lambda x, c, B: c - x,
    "mul_const": lambda x, c, B: x * c,
    "rmul_const": lambda x, c, B: c * x,
    "rdiv_const": lambda x, c, B: c / (x * x + 0.5),
    "max_const": lambda x, c, B: x.maximum(B.const(c)),
}
BINARY = {
    "add": lambda x, y, B: x + y,
    "sub": lambda x, y, B: x - y,
    "mul": lambda x, y, B: x * y,
    "div": lambda x, y, B: x / (y * y + 0.5),
    "pow": lambda x, y, B: (x * x + 0.5) ** y.tanh(),
    "maximum": lambda x, y, B: x.maximum(y),
    "minimum": lambda x, y, B: x.minimum(y),
}
TENSOR_BINARY = {**BINARY, "where": lambda x, y, B: B.where(x, y)}
CONST_ARRAY_OPS = {
    "add": lambda x, c: x + c,
    "sub": lambda x, c: x - c,
    "mul": lambda x, c: x * c,
    "rsub": lambda x, c: c - x,
    "maximum": lambda x, c: x.maximum(c),
    "minimum": lambda x, c: x.minimum(c),
}
REDUCTIONS = ["sum", "mean", "max", "min", "logsumexp", "softmax", "log_softmax"]

finite = st.floats(-2.0, 2.0, allow_nan=False, allow_infinity=False, width=64)
# a few "round" values make ties (maximum, max, clip bounds) and exact zeros (relu, abs) common
round_values = st.sampled_from([0.0, 1.0, -1.0, 0.5, 2.0])
numbers = st.one_of(round_values, finite)
constants = numbers


def _node(nodes: list[Any], k: int) -> Any:
    """A recent node for small k (shrinks towards the newest), any node for larger k."""
    return nodes[-1 - (k % len(nodes))]


def _total(nodes: list[Any], n_leaves: int) -> Any:
    """The sum of every computed node, so that every operation reaches the output."""
    results = nodes[n_leaves:] or nodes[:1]
    out = results[0]
    for r in results[1:]:
        out = out + r
    return out


def _finite(x: torch.Tensor | None) -> bool:
    return x is None or bool(torch.isfinite(x).all())


# ---------------------------------------------------------------- Tensor graphs


@st.composite
def tensor_programs(draw: st.DrawFn) -> dict[str, Any]:
    base = draw(st.lists(st.integers(1, 3), min_size=1, max_size=3))
    n_leaves = draw(st.integers(1, 3))
    leaves = []
    for _ in range(n_leaves):
        drop = draw(st.integers(0, len(base)))
        shape = tuple(n if draw(st.booleans()) else 1 for n in base[drop:])
        leaves.append(draw(hnp.arrays(np.float64, shape, elements=numbers)))
    d = base[-1] if base else 1
    weight = draw(hnp.arrays(np.float64, (d, d), elements=numbers))
    kinds = ["unary"] * 4 + ["binary"] * 4 + ["const_array"] * 2 + ["reduce"] * 2 + ["matmul", "gather"]
    ops = []
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(st.sampled_from(kinds))
        i, j = draw(st.integers(0, 9)), draw(st.integers(0, 9))
        if kind == "unary":
            ops.append((kind, draw(st.sampled_from(sorted(UNARY))), i, draw(constants)))
        elif kind == "binary":
            ops.append((kind, draw(st.sampled_from(sorted(TENSOR_BINARY))), i, j))
        elif kind == "const_array":
            drop = draw(st.integers(0, len(base)))
            shape = tuple(n if draw(st.booleans()) else 1 for n in base[drop:])
            arr = draw(hnp.arrays(np.float64, shape, elements=numbers))
            ops.append((kind, draw(st.sampled_from(sorted(CONST_ARRAY_OPS))), i, arr))
        elif kind == "reduce":
            ops.append((kind, draw(st.sampled_from(REDUCTIONS)), i, draw(st.integers(-3, 2))))
        elif kind == "matmul":
            ops.append((kind, "@", i, None))
        else:
            idx = draw(st.lists(st.integers(0, 5), min_size=3, max_size=3))
            ops.append((kind, "gather", i, idx))
    return {"leaves": leaves, "weight": weight, "ops": ops}


def run_tensor_program(prog: dict[str, Any], leaves: list[Any], weight: Any, B: Any) -> Any:
    nodes = list(leaves)
    for kind, name, i, arg in prog["ops"]:
        x = _node(nodes, i)
        if kind == "unary":
            out = UNARY[name](x, arg, B)
        elif kind == "binary":
            out = TENSOR_BINARY[name](x, _node(nodes, arg), B)
        elif kind == "const_array":
            out = CONST_ARRAY_OPS[name](x, B.const(arg))
        elif kind == "reduce":
            if x.ndim == 0:
                continue
            out = getattr(B, name)(x, arg % x.ndim - x.ndim * (arg < 0))
        elif kind == "matmul":
            if x.ndim == 0 or x.shape[-1] != weight.shape[0]:
                continue
            out = x @ weight
        else:  # gather along axis 0 with (often repeated) indices, keeping the shape
            if x.ndim == 0:
                continue
            n = x.shape[0]
            out = B.gather(x, [k % n for k in (arg * n)[:n]])
        nodes.append(out)
    return _total(nodes, len(leaves))


_A = np.array([[1.0, 1.0, -1.0], [0.0, 2.0, 2.0]])
_W = np.array([[1.0, 0.0, -1.0], [0.5, 0.5, 0.0], [2.0, 1.0, 1.0]])


def _tensor_example(ops: list[tuple[Any, ...]]) -> dict[str, Any]:
    return {"leaves": [_A, np.array([1.0, 2.0, -1.0]), np.array(2.0)], "weight": _W, "ops": ops}


# fixed examples hypothesis always runs: ties between different nodes and against constants,
# ties inside reductions, repeated gather indices, a matmul, zeros at relu/abs kinks, reuse
@example(
    _tensor_example(
        [("binary", "maximum", 2, 1), ("binary", "minimum", 1, 2), ("unary", "max_const", 0, 2.0)]
    )
)
@example(_tensor_example([("reduce", "max", 2, -1), ("reduce", "min", 2, 0), ("reduce", "max", 2, 2)]))
@example(_tensor_example([("gather", "gather", 2, [0, 0, 1]), ("gather", "gather", 0, [1, 1, 1])]))
@example(_tensor_example([("matmul", "@", 2, None), ("unary", "relu", 2, 0.0), ("unary", "abs", 3, 0.0)]))
@example(_tensor_example([("binary", "add", 2, 2), ("binary", "mul", 0, 0), ("unary", "clip", 0, 1.0)]))
@given(tensor_programs())
def test_random_tensor_graphs_match_torch(prog: dict[str, Any]) -> None:
    tleaves = [torch.tensor(a, requires_grad=True) for a in prog["leaves"]]
    tweight = torch.tensor(prog["weight"], requires_grad=True)
    ref = run_tensor_program(prog, tleaves, tweight, Torch)
    upstream = np.cos(np.arange(ref.numel())).reshape(tuple(ref.shape)) + 0.25
    ref.backward(torch.tensor(upstream))
    assume(_finite(ref.detach()) and all(_finite(t.grad) for t in [*tleaves, tweight]))

    leaves = [Tensor(a, requires_grad=True) for a in prog["leaves"]]
    weight = Tensor(prog["weight"], requires_grad=True)
    out = run_tensor_program(prog, leaves, weight, Ours)
    if not out.requires_grad:  # the program was only the leaf itself: nothing to differentiate
        return
    assert out.shape == tuple(ref.shape)
    close(out.data, ref, RTOL, ATOL, "value")
    out.backward(upstream)
    for k, (x, t) in enumerate(zip([*leaves, weight], [*tleaves, tweight])):
        if t.grad is None:
            assert x.grad is None, f"leaf {k} is not used but got a gradient"
        else:
            assert x.grad is not None and x.grad.shape == x.shape
            close(x.grad, t.grad, RTOL, ATOL, f"grad of leaf {k}")


# ---------------------------------------------------------------- Value graphs


@st.composite
def value_programs(draw: st.DrawFn) -> dict[str, Any]:
    leaves = draw(st.lists(numbers, min_size=1, max_size=3))
    ops = []
    for _ in range(draw(st.integers(1, 10))):
        if draw(st.booleans()):
            ops.append(
                ("unary", draw(st.sampled_from(sorted(UNARY))), draw(st.integers(0, 9)), draw(constants))
            )
        else:
            ops.append(
                (
                    "binary",
                    draw(st.sampled_from(sorted(BINARY))),
                    draw(st.integers(0, 9)),
                    draw(st.integers(0, 9)),
                )
            )
    return {"leaves": leaves, "ops": ops}


def run_value_program(prog: dict[str, Any], leaves: list[Any], B: Any) -> Any:
    nodes = list(leaves)
    for kind, name, i, arg in prog["ops"]:
        x = _node(nodes, i)
        out = UNARY[name](x, arg, B) if kind == "unary" else BINARY[name](x, _node(nodes, arg), B)
        nodes.append(out)
    return _total(nodes, len(leaves))


class OursScalar(Ours):
    const = staticmethod(lambda a: a)


class TorchScalar(Torch):
    const = staticmethod(lambda a: torch.tensor(a, dtype=torch.float64))


@example({"leaves": [1.0, 1.0, 0.0], "ops": [("binary", "maximum", 2, 1), ("binary", "minimum", 3, 2)]})
@example({"leaves": [0.0, -1.0], "ops": [("unary", "relu", 1, 0.0), ("unary", "abs", 2, 0.0)]})
@example({"leaves": [0.0, 2.0], "ops": [("unary", "cube", 1, 0.0), ("unary", "clip", 2, 2.0)]})
@example(
    {
        "leaves": [1.5],
        "ops": [("binary", "add", 0, 0), ("binary", "mul", 0, 0), ("unary", "max_const", 0, 2.0)],
    }
)
@given(value_programs())
def test_random_value_graphs_match_torch(prog: dict[str, Any]) -> None:
    tleaves = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in prog["leaves"]]
    ref = run_value_program(prog, tleaves, TorchScalar)
    ref.backward()
    assume(_finite(ref.detach()) and all(_finite(t.grad) for t in tleaves))

    leaves = [Value(x) for x in prog["leaves"]]
    out = run_value_program(prog, leaves, OursScalar)
    assert isinstance(out, Value)
    close(out.data, ref.item(), RTOL, ATOL, "value")
    out.backward()
    for k, (v, t) in enumerate(zip(leaves, tleaves)):
        expected = 0.0 if t.grad is None else t.grad.item()
        assert math.isfinite(v.grad)
        close(v.grad, expected, RTOL, ATOL, f"grad of leaf {k}")


# the program the brief spells out, as a fixed regression case for both engines
def test_reused_nodes_example() -> None:
    for make, B in ((lambda x: Value(x), OursScalar), (lambda x: Tensor(x, requires_grad=True), Ours)):
        a = make(1.5)
        b = a + a
        c = b * b
        d = c * a - b.tanh() / (c + 1) + B.softplus(b) * b
        d.backward()
        t = torch.tensor(1.5, dtype=torch.float64, requires_grad=True)
        tb = t + t
        tc = tb * tb
        td = tc * t - tb.tanh() / (tc + 1) + torch_softplus(tb) * tb
        td.backward()
        close(float(d.data), td.item())
        close(float(a.grad), t.grad.item())
