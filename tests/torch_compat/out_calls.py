"""One call of each torch function that takes ``out=``, written once for both libraries:
``OUT_CALLS[name](torch, out)`` calls ``torch.<name>(..., out=out)`` on fixed float64 (or int64,
bool) inputs; ``out=None`` gives the plain result. ``TUPLE_OUTS`` names those whose ``out`` is a
tuple of tensors (values and indices, ...)."""

from __future__ import annotations

from typing import Any

import numpy as np

RNG = np.random.default_rng(15)
A = RNG.uniform(0.1, 0.9, size=(3, 4))  # (logit, erfinv, ... inside their domains)
A2 = RNG.uniform(0.1, 0.9, size=(3, 4))
SQ = RNG.normal(size=(3, 3)) + 3 * np.eye(3)
SPD = SQ @ SQ.T
V3, W3 = RNG.normal(size=3), RNG.normal(size=3)
V4 = RNG.normal(size=4)
B3 = RNG.normal(size=(2, 3, 4))
B4 = RNG.normal(size=(2, 4, 2))
I = np.array([[3, 6, -4, 0], [12, 5, 7, -9], [1, 0, 2, 8]])
M = A > 0.5
IDX = np.array([[0, 2], [1, 3], [3, 0]])

Call = Any


def _unary(name: str) -> Call:
    return lambda t, out: getattr(t, name)(t.tensor(A), out=out)


def _binary(name: str) -> Call:
    return lambda t, out: getattr(t, name)(t.tensor(A), t.tensor(A2), out=out)


def _ints(name: str) -> Call:
    return lambda t, out: getattr(t, name)(t.tensor(I), t.tensor(I[::-1].copy()), out=out)


UNARY = (
    "abs absolute acos acosh angle arccos arccosh arcsin arcsinh arctan arctanh asin asinh atan atanh "
    "ceil cos cosh deg2rad digamma erf erfc erfinv exp exp2 expm1 fix floor frac i0 isneginf isposinf "
    "lgamma log log10 log1p log2 logical_not logit neg negative rad2deg reciprocal round rsqrt sgn "
    "sigmoid sign signbit sin sinc sinh sqrt square tan tanh trunc nan_to_num msort"
).split()
BINARY = (
    "add sub subtract mul multiply div divide true_divide floor_divide fmod remainder atan2 arctan2 "
    "copysign fmax fmin hypot logaddexp logaddexp2 maximum minimum nextafter pow float_power xlogy "
    "heaviside eq ne lt le gt ge greater greater_equal less less_equal not_equal logical_and "
    "logical_or logical_xor"
).split()
INTEGER = "bitwise_and bitwise_or bitwise_xor gcd lcm bitwise_left_shift bitwise_right_shift".split()

OUT_CALLS: dict[str, Call] = {
    **{n: _unary(n) for n in UNARY},
    **{n: _binary(n) for n in BINARY},
    **{n: _ints(n) for n in INTEGER},
    "bitwise_not": lambda t, out: t.bitwise_not(t.tensor(I), out=out),
    "ldexp": lambda t, out: t.ldexp(t.tensor(A), t.tensor(I), out=out),
    "polygamma": lambda t, out: t.polygamma(1, t.tensor(A), out=out),
    "mvlgamma": lambda t, out: t.mvlgamma(t.tensor(A) + 2, 2, out=out),
    "addcdiv": lambda t, out: t.addcdiv(t.tensor(A), t.tensor(A2), t.tensor(A), value=0.5, out=out),
    "addcmul": lambda t, out: t.addcmul(t.tensor(A), t.tensor(A2), t.tensor(A), value=2, out=out),
    "lerp": lambda t, out: t.lerp(t.tensor(A), t.tensor(A2), 0.25, out=out),
    "where": lambda t, out: t.where(t.tensor(M), t.tensor(A), t.tensor(A2), out=out),
    "clamp": lambda t, out: t.clamp(t.tensor(A), 0.3, 0.6, out=out),
    "clip": lambda t, out: t.clip(t.tensor(A), min=0.3, out=out),
    "clamp_min": lambda t, out: t.clamp_min(t.tensor(A), 0.4, out=out),
    "clamp_max": lambda t, out: t.clamp_max(t.tensor(A), 0.4, out=out),
    # products
    "mm": lambda t, out: t.mm(t.tensor(A), t.tensor(A2).t(), out=out),
    "matmul": lambda t, out: t.matmul(t.tensor(A), t.tensor(A2).t(), out=out),
    "bmm": lambda t, out: t.bmm(t.tensor(B3), t.tensor(B4), out=out),
    "mv": lambda t, out: t.mv(t.tensor(A), t.tensor(V4), out=out),
    "dot": lambda t, out: t.dot(t.tensor(V3), t.tensor(W3), out=out),
    "vdot": lambda t, out: t.vdot(t.tensor(V3), t.tensor(W3), out=out),
    "inner": lambda t, out: t.inner(t.tensor(A), t.tensor(A2), out=out),
    "outer": lambda t, out: t.outer(t.tensor(V3), t.tensor(V4), out=out),
    "ger": lambda t, out: t.ger(t.tensor(V3), t.tensor(V4), out=out),
    "kron": lambda t, out: t.kron(t.tensor(A), t.tensor(SQ[:2, :2]), out=out),
    "addmm": lambda t, out: t.addmm(t.tensor(SQ), t.tensor(A), t.tensor(A2).t(), beta=0.5, out=out),
    "addmv": lambda t, out: t.addmv(t.tensor(V3), t.tensor(A), t.tensor(V4), alpha=2, out=out),
    "addr": lambda t, out: t.addr(t.tensor(A), t.tensor(V3), t.tensor(V4), out=out),
    "addbmm": lambda t, out: t.addbmm(t.tensor(SQ[:, :2]), t.tensor(B3), t.tensor(B4), out=out),
    "baddbmm": lambda t, out: t.baddbmm(t.tensor(B3 @ B4), t.tensor(B3), t.tensor(B4), out=out),
    "matrix_power": lambda t, out: t.matrix_power(t.tensor(SQ), 3, out=out),
    "inverse": lambda t, out: t.inverse(t.tensor(SQ), out=out),
    "cholesky_inverse": lambda t, out: t.cholesky_inverse(t.tensor(np.linalg.cholesky(SPD)), out=out),
    "cholesky_solve": lambda t, out: t.cholesky_solve(
        t.tensor(A[:, :2]), t.tensor(np.linalg.cholesky(SPD)), out=out
    ),
    "cross": lambda t, out: t.cross(t.tensor(A[:, :3]), t.tensor(A2[:, :3]), dim=1, out=out),
    "tensordot": lambda t, out: t.tensordot(t.tensor(A), t.tensor(A2), dims=([1], [1]), out=out),
    "chain_matmul": lambda t, out: t.chain_matmul(t.tensor(A), t.tensor(A2).t(), t.tensor(SQ), out=out),
    # reductions
    "sum": lambda t, out: t.sum(t.tensor(A), 1, out=out),
    "mean": lambda t, out: t.mean(t.tensor(A), (0, 1), keepdim=True, out=out),
    "nansum": lambda t, out: t.nansum(t.tensor(A), 0, out=out),
    "nanmean": lambda t, out: t.nanmean(t.tensor(A), 1, out=out),
    "prod": lambda t, out: t.prod(t.tensor(A), 0, out=out),
    "amax": lambda t, out: t.amax(t.tensor(A), 1, out=out),
    "amin": lambda t, out: t.amin(t.tensor(A), 0, keepdim=True, out=out),
    "std": lambda t, out: t.std(t.tensor(A), 1, out=out),
    "var": lambda t, out: t.var(t.tensor(A), 0, correction=0, out=out),
    "logsumexp": lambda t, out: t.logsumexp(t.tensor(A), 1, out=out),
    "norm": lambda t, out: t.norm(t.tensor(A), 2, 1, out=out),
    "all": lambda t, out: t.all(t.tensor(M), 1, out=out),
    "any": lambda t, out: t.any(t.tensor(M), 0, out=out),
    "argmax": lambda t, out: t.argmax(t.tensor(A), 1, out=out),
    "argmin": lambda t, out: t.argmin(t.tensor(A), 0, out=out),
    "quantile": lambda t, out: t.quantile(t.tensor(A), 0.3, dim=1, out=out),
    "nanquantile": lambda t, out: t.nanquantile(t.tensor(A), t.tensor([0.2, 0.9]), dim=0, out=out),
    # scans and differences
    "cumsum": lambda t, out: t.cumsum(t.tensor(A), 1, out=out),
    "cumprod": lambda t, out: t.cumprod(t.tensor(A), 0, out=out),
    "logcumsumexp": lambda t, out: t.logcumsumexp(t.tensor(A), 1, out=out),
    "diff": lambda t, out: t.diff(t.tensor(A), dim=0, out=out),
    # joining
    "cat": lambda t, out: t.cat([t.tensor(A), t.tensor(A2)], 1, out=out),
    "concat": lambda t, out: t.concat([t.tensor(A), t.tensor(A2)], out=out),
    "concatenate": lambda t, out: t.concatenate((t.tensor(A), t.tensor(A2)), axis=1, out=out),
    "stack": lambda t, out: t.stack([t.tensor(A), t.tensor(A2)], -1, out=out),
    "hstack": lambda t, out: t.hstack([t.tensor(A), t.tensor(A2)], out=out),
    "vstack": lambda t, out: t.vstack([t.tensor(A), t.tensor(A2)], out=out),
    "row_stack": lambda t, out: t.row_stack([t.tensor(A), t.tensor(A2)], out=out),
    "dstack": lambda t, out: t.dstack([t.tensor(A), t.tensor(A2)], out=out),
    "column_stack": lambda t, out: t.column_stack([t.tensor(V3), t.tensor(A)], out=out),
    # indexing
    "gather": lambda t, out: t.gather(t.tensor(A), 1, t.tensor(IDX), out=out),
    "index_select": lambda t, out: t.index_select(t.tensor(A), 1, t.tensor([3, 0, 0]), out=out),
    "index_add": lambda t, out: t.index_add(
        t.tensor(A), 0, t.tensor([2, 0]), t.tensor(A2[:2]), alpha=2, out=out
    ),
    "index_copy": lambda t, out: t.index_copy(t.tensor(A), 1, t.tensor([1, 3]), t.tensor(A2[:, :2]), out=out),
    "index_reduce": lambda t, out: t.index_reduce(
        t.tensor(A), 0, t.tensor([2, 0]), t.tensor(A2[:2]), "prod", out=out
    ),
    "masked_select": lambda t, out: t.masked_select(t.tensor(A), t.tensor(M), out=out),
    "take": lambda t, out: t.take(t.tensor(A), t.tensor([[0, 11], [5, 5]]), out=out),
    "take_along_dim": lambda t, out: t.take_along_dim(t.tensor(A), t.tensor(IDX), 1, out=out),
    "scatter": lambda t, out: t.scatter(t.tensor(A), 1, t.tensor(IDX), t.tensor(A2), out=out),
    "scatter_add": lambda t, out: t.scatter_add(t.tensor(A), 1, t.tensor(IDX), t.tensor(A2), out=out),
    "scatter_reduce": lambda t, out: t.scatter_reduce(
        t.tensor(A), 1, t.tensor(IDX), t.tensor(A2), "amax", out=out
    ),
    "nonzero": lambda t, out: t.nonzero(t.tensor(M), out=out),
    "diag": lambda t, out: t.diag(t.tensor(A), 1, out=out),
    "tril": lambda t, out: t.tril(t.tensor(A), -1, out=out),
    "triu": lambda t, out: t.triu(t.tensor(A), 1, out=out),
    # sorting, searching, counting
    "argsort": lambda t, out: t.argsort(t.tensor(A), dim=1, stable=True, out=out),
    "searchsorted": lambda t, out: t.searchsorted(t.tensor([0.2, 0.5, 0.7]), t.tensor(A), out=out),
    "bucketize": lambda t, out: t.bucketize(t.tensor(A), t.tensor([0.2, 0.5, 0.7]), out=out),
    "histc": lambda t, out: t.histc(t.tensor(A), 4, 0, 1, out=out),
    "isin": lambda t, out: t.isin(t.tensor(I), t.tensor([0, 7, 3]), out=out),
    "softmax": lambda t, out: t.softmax(t.tensor(A), 1, out=out),
    "log_softmax": lambda t, out: t.log_softmax(t.tensor(A), 0, out=out),
    "renorm": lambda t, out: t.renorm(t.tensor(A), 2, 0, 0.8, out=out),
    "hardshrink": lambda t, out: t.hardshrink(t.tensor(A), 0.5, out=out),
    "threshold": lambda t, out: t.threshold(t.tensor(A), 0.5, -1.0, out=out),
    # factories: out's dtype is the result's
    "arange": lambda t, out: t.arange(1, 7, 2, out=out),
    "linspace": lambda t, out: t.linspace(0, 1, 5, out=out),
    "logspace": lambda t, out: t.logspace(0, 2, 3, out=out),
    "eye": lambda t, out: t.eye(3, 2, out=out),
    "zeros": lambda t, out: t.zeros(2, 3, out=out),
    "ones": lambda t, out: t.ones((3,), out=out),
    "full": lambda t, out: t.full((2, 2), 1.5, out=out),
}

#: the functions whose ``out`` is a tuple: their call with ``out=(values, indices)``
TUPLE_OUTS: dict[str, Call] = {
    "max": lambda t, out: t.max(t.tensor(A), 1, out=out),
    "min": lambda t, out: t.min(t.tensor(A), 0, keepdim=True, out=out),
    "sort": lambda t, out: t.sort(t.tensor(A), 1, descending=True, out=out),
    "topk": lambda t, out: t.topk(t.tensor(A), 2, out=out),
    "kthvalue": lambda t, out: t.kthvalue(t.tensor(A), 2, 0, out=out),
    "median": lambda t, out: t.median(t.tensor(A), 1, out=out),
    "nanmedian": lambda t, out: t.nanmedian(t.tensor(A), 0, out=out),
    "mode": lambda t, out: t.mode(t.tensor(np.round(A * 3)), 1, out=out),
    "cummax": lambda t, out: t.cummax(t.tensor(A), 1, out=out),
    "cummin": lambda t, out: t.cummin(t.tensor(A), 0, out=out),
    "aminmax": lambda t, out: t.aminmax(t.tensor(A), dim=1, out=out),
}
