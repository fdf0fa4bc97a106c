"""Audit: torch's functions, Tensor methods and losses inside a compiled step called with NEW
inputs at every call (new data, new integer index and label Tensors, new masks, new weights) give
the eager engine's values and gradients bit for bit. Before this audit these replayed the trace's
numbers silently: argmax/argmin, max(dim).indices, isnan/isinf/isfinite, any/all, isclose, isin,
the logical_* functions, count_nonzero, searchsorted/bucketize, heaviside, histc, nanmean, the
class ``weight`` of cross_entropy/nll_loss (Tensor or not), binary cross-entropy's ``weight`` and
``pos_weight``, categorical_focal's ``alpha``, gaussian_nll_loss's ``eps`` clamp, clamp with Tensor
bounds (also no gradient to the bounds), the values of kthvalue, cummax/cummin, median() and
nanmedian, median(dim)/quantile with a nan in a slice, quantile with a Tensor ``q``, and slogdet's
sign, x.div(y, rounding_mode=...), the integer and bool casts of computed Tensors
(``(x > 0).float()``, ``.long()``, ``.to(dtype)``: an accuracy, a mask as numbers), indexing or
gathering by positions the function computed (an argmax, top-k indices), aminmax of integers,
vector_norm of order 0. Functions whose output's shape depends on the numbers (nonzero, masked_select, unique,
bincount, repeat_interleave by a Tensor) key their argument by value: a new one traces again."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import autograd as A
import autograd.nn.functional as F
import losses as L
from autograd import Tensor
from autograd.compiled import CompileError


def _array(spec: tuple, rng: np.random.Generator) -> np.ndarray:
    kind, shape = spec[0], spec[1]
    if kind == "f":
        return rng.normal(size=shape) * 2
    if kind in "pw":
        return rng.random(size=shape) + 0.1
    if kind == "u":
        return rng.random(size=shape) * 0.98 + 0.01
    if kind == "i":
        return rng.integers(0, spec[2], size=shape)
    if kind == "b":
        return rng.random(size=shape) > 0.5
    a = rng.normal(size=shape)  # "n": with nans
    a[rng.random(size=shape) < 0.3] = np.nan
    return a


def _node(spec: tuple, a: np.ndarray) -> Tensor:
    return Tensor(a.copy(), requires_grad=True) if spec[0] in "fpun" else A.tensor(a.copy())


def _flat(out: Any) -> list[Any]:
    return [y for x in out for y in _flat(x)] if isinstance(out, (tuple, list)) else [out]


def _bits(x: Any) -> Any:
    if x is None:
        return None
    a = np.asarray(x.data if isinstance(x, Tensor) else x)
    return a.dtype.str, a.shape, a.tobytes()


def same_on_new_inputs(fn: Any, specs: list[tuple], calls: int = 4, seed: int = 0) -> int:
    """``fn`` compiled and eager on ``calls`` new inputs: outputs and gradients, equal bits.
    Returns the number of traces."""
    rng = np.random.default_rng(seed)
    step = A.compile(fn)
    for call in range(calls):
        arrays = [_array(s, rng) for s in specs]
        eager = [_node(s, a) for s, a in zip(specs, arrays)]
        want = _flat(fn(*eager))
        want[0].backward()
        leaves = [_node(s, a) for s, a in zip(specs, arrays)]
        got = _flat(step(*leaves))
        expected = [_bits(x) for x in want] + [_bits(x.grad) for x in eager]
        found = [_bits(x) for x in got] + [_bits(x.grad) for x in leaves]
        differ = [i for i, (a, b) in enumerate(zip(expected, found)) if a != b]
        assert not differ, f"call {call}: outputs/gradients {differ} differ from eager"
    return step.trace_count


F34, F33, N34, U34, P34 = ("f", (3, 4)), ("f", (3, 3)), ("n", (3, 4)), ("u", (3, 4)), ("p", (3, 4))
I3, W4 = ("i", (3,), 4), ("p", (4,))
WC = ("w", (4,))  # a class weight that needs no grad: torch's fused kernels refuse one that does
R4, R3 = A.arange(4.0), A.arange(3.0)


def _spd(x: Tensor) -> Tensor:
    return x @ x.T + A.eye(3) * 0.5


# name: (function, input specs, traces at most: 1 where indices/labels are read at every call)
CASES: dict[str, tuple[Any, list[tuple], int]] = {
    "getitem[int Tensor]": (lambda x, i: (x[i] ** 2).sum(), [F34, ("i", (5,), 3)], 1),
    "getitem[two int Tensors]": (
        lambda x, i, j: (x[i, j] ** 2).sum(),
        [F34, ("i", (5,), 3), ("i", (5,), 4)],
        1,
    ),
    "getitem[bool rows]": (lambda x, m: (x[m] ** 2).sum(), [F34, ("b", (3,))], 4),  # (a new count traces)
    "getitem[bool mask]": (lambda x, m: (x[m] ** 2).sum(), [F34, ("b", (3, 4))], 4),
    "getitem[:, int Tensor]": (lambda x, i: (x[:, i] ** 2).sum(), [F34, ("i", (2,), 4)], 1),
    "gather": (
        lambda x, i: (A.gather(x, 1, i) ** 2).sum() + (x.gather(0, i[:2] % 3) ** 2).sum(),
        [F34, ("i", (3, 2), 4)],
        1,
    ),
    "index_select": (lambda x, i: (A.index_select(x, 1, i) ** 2).sum(), [F34, ("i", (5,), 4)], 1),
    "take_along_dim": (lambda x, i: (A.take_along_dim(x, i, 1) ** 2).sum(), [F34, ("i", (3, 2), 4)], 1),
    "getitem[argmax]": (
        lambda x: (x[A.arange(3), A.argmax(x, 1)] ** 2).sum() + (x[:, x[0].argmax()] ** 2).sum(),
        [F34],
        1,
    ),
    "gather/index_select/take_along_dim[computed positions]": (
        lambda x: (
            (A.gather(x, 1, A.argmax(x, 1, keepdim=True)) ** 2).sum()
            + (A.index_select(x, 1, A.argmin(x, 1)) ** 2).sum()
            + (A.take_along_dim(x, A.topk(x, 2, 1).indices, 1) * A.arange(2.0)).sum()
            + (A.take_along_dim(x, A.argmax(x, 1)) * R3).sum()
            + (x[0][A.argsort(x[1])] * R4).sum()
            + (A.gather(x, 1, A.kthvalue(x, 2, 1, True).indices) * R3.reshape(3, 1)).sum()
        ),
        [F34],
        1,
    ),  # fmt: skip
    "sort/argsort/topk indices": (
        lambda x: (
            (A.sort(x, 1).values * R4).sum(),
            A.sort(x, 1).indices,
            A.argsort(x, 0, descending=True),
            A.topk(x, 2).indices,
        ),
        [F34],
        1,
    ),  # fmt: skip
    "median/cummax/cummin/kthvalue indices": (
        lambda x: (
            A.median(x, 1).values.sum(),
            A.median(x, 1).indices,
            A.nanmedian(x, 0, True).indices,
            A.cummax(x, 1).indices,
            A.cummin(x, 0).indices,
            A.kthvalue(x, 2, 1).indices,
        ),
        [N34],
        1,
    ),  # fmt: skip
    "getitem[bool mask argument], mean": (lambda x, m: x[m].mean() + x[m].std(), [F34, ("b", (3, 4))], 4),
    "bincount[weights]": (
        lambda x, i: ((x**2).sum(), A.bincount(i, x.detach(), minlength=2)),
        [("f", (3,)), ("i", (3,), 4)],
        4,
    ),
    "masked_fill": (lambda x, m: (A.masked_fill(x, m, 0.5) ** 2).sum(), [F34, ("b", (3, 4))], 1),
    "where[bool Tensor]": (lambda x, m, y: (A.where(m, x, y) ** 2).sum(), [F34, ("b", (3, 4)), F34], 1),
    "where[x > y]": (lambda x, y: (A.where(x > y, x, y) ** 2).sum(), [F34, F34], 1),
    "clamp[Tensor bounds]": (lambda x, lo, hi: (A.clamp(x, lo, hi) ** 2).sum(), [F34, F34, F34], 1),
    "clamp_min/clamp_max/clip[Tensor]": (
        lambda x, lo: (A.clamp_min(x, lo) ** 2 + x.clamp_max(lo) ** 2 + A.clip(x, lo, None)).sum(),
        [F34, F34],
        1,
    ),  # fmt: skip
    "clamp[array bounds]": (lambda x: (A.clamp(x, np.zeros((3, 4)), np.ones(4)) ** 2).sum(), [F34], 1),
    "clamp[numbers]": (lambda x: (A.clamp(x, -0.5, 0.5) ** 2).sum(), [F34], 1),
    "maximum": (lambda x, y: (A.maximum(x, y) ** 2).sum(), [F34, F34], 1),
    "fmax[nan]": (lambda x, y: (A.fmax(x, y) ** 2).sum(), [N34, F34], 1),
    "fmin[nan]": (lambda x, y: (A.fmin(x, y) ** 2).sum(), [N34, F34], 1),
    "sort": (lambda x: (A.sort(x, 1).values * R4).sum(), [F34], 1),
    "argmax": (lambda x: ((x**2).sum(), A.argmax(x, 1)), [F34], 1),
    "argmin[all]": (lambda x: ((x**2).sum(), x.argmin()), [F34], 1),
    "max(dim)": (lambda x: ((A.max(x, 1).values * R3).sum(), A.max(x, 1).indices), [F34], 1),
    "min(dim)": (lambda x: ((A.min(x, 0).values * R4).sum(), A.min(x, 0).indices), [F34], 1),
    "max": (lambda x: A.max(x) * 2, [F34], 1),
    "amax": (lambda x: (A.amax(x, 1) * R3).sum(), [F34], 1),
    "aminmax": (lambda x: (A.aminmax(x, dim=1).min * R3).sum(), [F34], 1),
    "topk": (lambda x: (A.topk(x, 2, 1).values * A.arange(2.0)).sum(), [F34], 1),
    "topk[smallest]": (lambda x: (A.topk(x, 2, 1, largest=False).values * A.arange(2.0)).sum(), [F34], 1),
    "msort": (lambda x: (A.msort(x) * R4).sum(), [F34], 1),
    "cumsum": (lambda x: (A.cumsum(x, 1) ** 2).sum(), [F34], 1),
    "cumprod": (lambda x: (A.cumprod(x, 1) ** 2).sum(), [F34], 1),
    "logcumsumexp": (lambda x: (A.logcumsumexp(x, 1) ** 2).sum(), [F34], 1),
    "median(dim)": (lambda x: (A.median(x, 1).values * R3).sum(), [F34], 1),
    "median(dim)[nan]": (lambda x: (A.median(x, 1, keepdim=True).values * R3.reshape(3, 1)).sum(), [N34], 1),
    "median": (lambda x: A.median(x) * 3, [F34], 1),
    "median[nan]": (lambda x: A.median(x) * 3, [N34], 1),
    "median[ties]": (lambda x: A.median(A.where(x > 0, x, 0.0)) * 3, [F34], 1),
    "nanmedian": (lambda x: A.nanmedian(x) * 3 + A.nanmedian(A.where(x > 0, x, 0.0)), [N34], 1),
    "nanmedian(dim)": (lambda x: (A.nanmedian(x, 1).values * R3).sum(), [N34], 1),
    "kthvalue": (
        lambda x: (
            (A.kthvalue(x, 2, 1).values * R3).sum(),
            A.kthvalue(x, 2, 1).indices,
            A.kthvalue(x, 3, 0, True).indices,
        ),
        [F34],
        1,
    ),  # fmt: skip
    "kthvalue[nan]": (lambda x: (A.kthvalue(x, 3, 1).values * R3).sum(), [N34], 1),
    "cummax": (lambda x: (A.cummax(x, 1).values * R4).sum(), [F34], 1),
    "cummin[nan]": (lambda x: (A.cummin(x, 0).values * R4).sum(), [N34], 1),
    "quantile[nan]": (lambda x: (A.quantile(x, 0.3, dim=1) * R3).sum(), [N34], 1),
    "quantile[Tensor q]": (
        lambda x, q: (A.quantile(x, q, dim=1) * A.arange(6.0).reshape(2, 3)).sum(),
        [N34, ("u", (2,))],
        1,
    ),
    "quantile[0-d Tensor q, interpolations]": (
        lambda x, q: sum(
            A.quantile(x, q, interpolation=i) for i in ("linear", "lower", "higher", "nearest", "midpoint")
        ),
        [F34, ("u", ())],
        1,
    ),  # fmt: skip
    "quantile[list, keepdim]": (
        lambda x: (A.quantile(x, [0.2, 0.9], dim=0, keepdim=True) * R4).sum(),
        [N34],
        1,
    ),
    "slogdet": (lambda x: A.linalg.slogdet(x).logabsdet * A.linalg.slogdet(x).sign, [F33], 1),
    "quantile": (lambda x: (A.quantile(x, 0.3, dim=1) * R3).sum(), [F34], 1),
    "quantile[all]": (lambda x: A.quantile(x, 0.3) * 3, [F34], 1),
    "nansum": (lambda x: A.nansum(x**2), [N34], 1),
    "nanmean": (lambda x: A.nanmean(x**2), [N34], 1),
    "nanmean(dim)": (lambda x: (A.nanmean(x**2, 1) * R3).sum(), [N34], 1),
    "nan_to_num": (lambda x: A.nan_to_num(x * 1e308 * x, nan=0.5).sum(), [N34], 1),
    "isnan": (lambda x: ((A.where(A.isnan(x), 0.0, x) ** 2).sum(), A.isnan(x)), [N34], 1),
    "isfinite": (lambda x: (A.where(A.isfinite(x), x, 0.0) ** 2).sum(), [N34], 1),
    "isinf": (lambda x: ((x**2).sum(), A.isinf(x * 1e308 * x)), [F34], 1),
    "any/all": (lambda x: ((x**2).sum(), A.any(x > 0, 1), (x > -1).all()), [F34], 1),
    "isclose": (lambda x, y: ((x**2).sum(), A.isclose(x, y, atol=1.0)), [F34, F34], 1),
    "logical_and/or/xor/not": (
        lambda x, y: (
            (x**2).sum(),
            A.logical_and(x, y > 0),
            A.logical_or(x > 1, y),
            A.logical_xor(x, y),
            A.logical_not(x > 0),
        ),
        [F34, F34],
        1,
    ),  # fmt: skip
    "isin": (lambda x, i, j: ((x**2).sum(), A.isin(i, j)), [F34, ("i", (5,), 5), ("i", (3,), 5)], 1),
    "count_nonzero": (
        lambda x, m: ((x**2).sum(), A.count_nonzero(m), A.count_nonzero(x > 0, 1)),
        [F34, ("b", (3, 4))],
        1,
    ),
    "searchsorted": (lambda x, b: ((x**2).sum(), A.searchsorted(b.sort().values, x)), [F34, ("f", (3,))], 1),
    "bucketize": (
        lambda x, b: ((x**2).sum(), A.bucketize(x, b.sort().values, right=True)),
        [F34, ("f", (3,))],
        1,
    ),
    "heaviside": (lambda x, v: (x * A.heaviside(x, v)).sum(), [F34, F34], 1),
    "histc": (lambda x: (A.histc(x, 4, -2, 2) * R4).sum() + (x**2).sum(), [F34], 1),
    "histc[data's range]": (lambda x: ((x**2).sum(), A.histc(x, 4)), [F34], 1),
    "norm": (lambda x: A.norm(x) + A.norm(x, 1) + A.norm(x, float("inf")), [F34], 1),
    "norm(dim)": (lambda x: (A.norm(x, dim=1) * R3).sum(), [F34], 1),
    "vector_norm[0, ±inf, 3]": (
        lambda x: sum(
            (A.linalg.vector_norm(x, o, dim=1) * R3).sum() for o in (0, float("inf"), -float("inf"), 3)
        ),
        [F34],
        1,
    ),  # fmt: skip
    "matrix_norm[fro, nuc, 1, inf, ±2]": (
        lambda x: sum(A.linalg.matrix_norm(x, o) for o in ("fro", "nuc", 1, float("inf"), 2, -2)),
        [F34],
        1,
    ),  # fmt: skip
    "dist": (lambda x, y: A.dist(x, y, 3) + A.dist(x, y, float("inf")), [F34, F34], 1),
    "cdist": (
        lambda x, y: sum(A.cdist(x, y, p).sum() for p in (2, 1, float("inf"))),
        [F34, ("f", (2, 4))],
        1,
    ),
    "inv": (lambda x: (A.linalg.inv(x) ** 2).sum(), [F33], 1),
    "det": (lambda x: A.linalg.det(x) * 2, [F33], 1),
    "logdet": (lambda x: A.logdet(_spd(x)), [F33], 1),
    "slogdet.logabsdet": (lambda x: A.linalg.slogdet(x).logabsdet * 2, [F33], 1),
    "solve": (lambda x, b: (A.linalg.solve(x, b) ** 2).sum(), [F33, ("f", (3, 2))], 1),
    "cholesky": (lambda x: (A.linalg.cholesky(_spd(x)) ** 2).sum(), [F33], 1),
    "eigh": (
        lambda x: (
            (A.linalg.eigh(_spd(x)).eigenvalues * R3).sum() + (A.linalg.eigh(_spd(x)).eigenvectors ** 4).sum()
        ),
        [F33],
        1,
    ),
    "eigvalsh": (lambda x: (A.linalg.eigvalsh(_spd(x)) * R3).sum(), [F33], 1),
    "svd": (
        lambda x: (
            (A.linalg.svd(x, full_matrices=False).S * R3).sum()
            + (A.linalg.svd(x, full_matrices=False).U ** 4).sum()
        ),
        [F34],
        1,
    ),
    "svdvals": (lambda x: (A.linalg.svdvals(x) * R3).sum(), [F34], 1),
    "pinv": (lambda x: (A.linalg.pinv(x) ** 2).sum(), [F34], 1),
    "cross": (lambda x, y: (A.linalg.cross(x, y) ** 2).sum(), [("f", (4, 3)), ("f", (4, 3))], 1),
    "cov/corrcoef": (lambda x: (A.cov(x) ** 2).sum() + (A.corrcoef(x) ** 2).sum(), [F34], 1),
    "xlogy": (lambda x, y: A.xlogy(x * (x > 0), y).sum() + A.special.xlogy(x, y).sum(), [F34, P34], 1),
    "xlog1py": (lambda x, y: A.special.xlog1py(x, y).sum(), [F34, P34], 1),
    "entr": (lambda x: A.special.entr(x).sum(), [F34], 1),
    "lerp": (lambda x, y, w: A.lerp(x, y, w).sum() ** 2 + (A.lerp(x, y, 0.7) ** 2).sum(), [F34, F34, F34], 1),
    "logit": (lambda x: A.logit(x, eps=0.2).sum() + A.logit(x).sum(), [U34], 1),
    "sinc": (lambda x: A.sinc(x * (x > 0)).sum(), [F34], 1),
    "copysign/fmod/remainder/frac/trunc": (
        lambda x, y: (
            A.copysign(x, y) ** 2
            + A.fmod(x, y) ** 2
            + A.remainder(x, y) ** 2
            + A.frac(x) ** 2
            + A.trunc(x) * x
        ).sum(),
        [F34, F34],
        1,
    ),  # fmt: skip
    "abs/sign/hypot/logaddexp": (
        lambda x, y: (A.abs(x) + A.sign(x) * x + A.hypot(x, y) + A.logaddexp(x, y)).sum(),
        [F34, F34],
        1,
    ),
    "special functions": (
        lambda x, u: (
            A.polygamma(1, x + 1)
            + A.mvlgamma(x + 2, 2)
            + A.i0(x)
            + A.i1(x)
            + A.i0e(x)
            + A.i1e(x)
            + A.ndtri(u)
            + A.erfinv(u * 0.9)
            + A.log_ndtr(x)
        ).sum(),
        [P34, U34],
        1,
    ),  # fmt: skip
    "prod/cumprod with zeros": (
        lambda x: A.prod(x * (x > 0), 1).sum() + A.prod(x * (x > 0)) + (A.cumprod(x * (x > 0), 1) ** 2).sum(),
        [F34],
        1,
    ),
    "std/var/std_mean": (
        lambda x: A.std(x, 1).sum() + A.var(x, 1, correction=0).sum() + A.std_mean(x, 1)[0].sum(),
        [F34],
        1,
    ),
    "softmax/log_softmax/relu": (
        lambda x: ((A.softmax(x, 1) + A.log_softmax(x, 1) + A.relu(x)) * R4).sum(),
        [F34],
        1,
    ),
    "addcdiv/einsum/kron": (
        lambda x, y, z: (
            A.addcdiv(x, y, z, value=0.5).sum()
            + A.einsum("ij,kj->ik", x, y).sum()
            + (A.kron(x, y) ** 2).sum()
        ),
        [F34, F34, P34],
        1,
    ),  # fmt: skip
    "diff/roll/tril/narrow/diag_embed/block_diag/gradient": (
        lambda x: (
            (A.diff(x, dim=1) ** 2).sum()
            + (A.roll(x, 1, 1) * R4).sum()
            + (A.tril(x) ** 2).sum()
            + (A.narrow(x, 1, 1, 2) ** 2).sum()
            + (A.diag_embed(x) ** 2).sum()
            + (A.block_diag(x, x) ** 2).sum()
            + (A.gradient(x, dim=1)[0] ** 2).sum()
        ),
        [F34],
        1,
    ),  # fmt: skip
    "casts of computed masks": (
        lambda x, t: (
            F.cross_entropy(x, t)
            + (x * (x > 0).float()).sum()
            + (x * (x > 0).to(A.float64)).sum()
            + (x * (x > 0).double()).sum(),
            (x.argmax(1) == t).float().mean(),
            (x > 0).long().sum(),
            (x[:, (x[0] > 0).long()] ** 2).sum(),
        ),
        [F34, I3],
        1,
    ),  # fmt: skip
    "cov fweights": (
        lambda x, f, w: (
            (A.cov(x, fweights=f) ** 2).sum()
            + (A.cov(x, correction=0, fweights=(x[0] > 0).long() + 1, aweights=w) ** 2).sum()
            + (A.cov(x, correction=2, fweights=(x[0] > 0).long() + 1) ** 2).sum()
        ),
        [F34, ("i", (4,), 3), ("p", (4,))],
        4,
    ),  # fmt: skip
    "div rounding_mode": (
        lambda x, y: (
            (x * x.div(y, rounding_mode="floor")).sum() + (x * A.div(x, y, rounding_mode="trunc")).sum()
        ),
        [F34, F34],
        1,
    ),  # fmt: skip
    "integer aminmax/cov/remainder/vector_norm 0": (
        lambda x: (
            (x**2).sum(),
            A.aminmax((x > 0).long(), dim=1).max,
            A.cov(x.round().long()),
            x.round().long() % 3,
            A.linalg.vector_norm(x.round(), 0, dim=1),
        ),
        [F34],
        1,
    ),  # fmt: skip
    "one_hot": (lambda x, i: (x * F.one_hot(i, 4)).sum(), [F34, I3], 1),
    # shapes that depend on the numbers of an argument: keyed by its value (each new one traces again)
    "nonzero": (lambda x, m: ((x**2).sum(), A.nonzero(m)), [F34, ("b", (3, 4))], 4),
    "masked_select": (lambda x, m: (A.masked_select(x, m) ** 2).sum(), [F34, ("b", (3, 4))], 4),
    "where(condition)": (lambda x, m: (x[A.where(m)] ** 2).sum(), [F34, ("b", (3, 4))], 4),
    "argwhere/Tensor.nonzero": (
        lambda x, m: ((x[m.nonzero().unbind(1)] ** 3).sum(), A.argwhere(m), m.argwhere()),
        [F34, ("b", (3, 4))],
        4,
    ),
    "unique": (lambda x, i: ((x**2).sum(), A.unique(i)), [F34, ("i", (6,), 5)], 4),
    "bincount": (lambda x, i: ((x**2).sum(), A.bincount(i, minlength=5)), [F34, ("i", (6,), 5)], 4),
    "repeat_interleave[Tensor]": (
        lambda x, r: (A.repeat_interleave(x, r, dim=0) ** 2).sum(),
        [F34, ("i", (3,), 3)],
        4,
    ),
}

# shapes that depend on numbers the function computes: refused while tracing, by name
REFUSED: dict[str, tuple[Any, str]] = {
    "x[x > 0]": (lambda x: (x[x > 0] ** 2).sum(), "indexing by a bool mask"),
    "masked_select": (lambda x: A.masked_select(x, x > 0).sum(), "masked_select"),
    "nonzero": (lambda x: (x[A.nonzero(x > 0, as_tuple=True)] ** 2).sum(), "nonzero"),
    "Tensor.nonzero": (lambda x: (x[(x > 0).nonzero().unbind(1)] ** 2).sum(), "nonzero"),
    "where(condition)": (lambda x: (x[A.where(x > 0)] ** 2).sum(), "where"),
    "argwhere": (lambda x: (x**2).sum() + A.argwhere(x.detach() > 0).sum(), "argwhere"),
    "unique": (lambda x: (x**2).sum() + A.unique(x.detach().round()).sum(), "unique"),
    "bincount": (lambda x: ((x**2).sum(), A.bincount((x > 0).long().flatten())), "bincount"),
    "repeat_interleave": (
        lambda x: (A.repeat_interleave(x, (x[:, 0] > 0).long() + 1, dim=0) ** 2).sum(),
        "repeat_interleave",
    ),
}


@pytest.mark.parametrize("name", list(REFUSED))
def test_a_shape_from_computed_numbers_is_refused_by_name(name: str) -> None:
    fn, what = REFUSED[name]
    x = Tensor(np.random.default_rng(0).normal(size=(3, 4)), requires_grad=True)
    fn(x)  # (eager: fine)
    with pytest.raises(CompileError, match=f"{what}.*depends on numbers the function computes"):
        A.compile(fn)(x)


def _reduced(red: str) -> Any:
    return (
        (lambda out: out)
        if red != "none"
        else (lambda out: (out * A.arange(float(out.numel())).reshape(out.shape)).sum())
    )


def _losses(red: str) -> dict[str, tuple[Any, list[tuple], int]]:
    r, sg = _reduced(red), Tensor.sigmoid
    labels_traces = 4  # (labels with an ignored class are keyed by value: a new batch traces again)
    return {
        f"cross_entropy/{red}": (lambda x, t: r(F.cross_entropy(x, t, reduction=red)), [F34, I3], 1),
        f"cross_entropy weight/{red}": (
            lambda x, t, w: r(F.cross_entropy(x, t, weight=w, reduction=red)),
            [F34, I3, WC],
            1,
        ),
        f"cross_entropy weight array/{red}": (
            lambda x, t: r(F.cross_entropy(x, t, weight=np.array([1.0, 2.0, 0.5, 3.0]), reduction=red)),
            [F34, I3],
            1,
        ),  # fmt: skip
        f"cross_entropy ignore_index/{red}": (
            lambda x, t: r(F.cross_entropy(x, t, ignore_index=1, reduction=red)),
            [F34, I3],
            labels_traces,
        ),
        f"cross_entropy weight ignore_index/{red}": (
            lambda x, t, w: r(F.cross_entropy(x, t, weight=w, ignore_index=1, reduction=red)),
            [F34, I3, WC],
            labels_traces,
        ),  # fmt: skip
        f"cross_entropy label_smoothing/{red}": (
            lambda x, t: r(F.cross_entropy(x, t, label_smoothing=0.2, reduction=red)),
            [F34, I3],
            1,
        ),
        f"cross_entropy weight smoothing ignore/{red}": (
            lambda x, t, w: r(
                F.cross_entropy(x, t, weight=w, ignore_index=2, label_smoothing=0.2, reduction=red)
            ),
            [F34, I3, WC],
            labels_traces,
        ),  # fmt: skip
        f"cross_entropy probabilities/{red}": (
            lambda x, t: r(F.cross_entropy(x, t.softmax(1), reduction=red)),
            [F34, F34],
            1,
        ),
        f"cross_entropy probabilities weight smoothing/{red}": (
            lambda x, t, w: r(F.cross_entropy(x, t.softmax(1), weight=w, label_smoothing=0.1, reduction=red)),
            [F34, F34, W4],
            1,
        ),  # fmt: skip
        f"cross_entropy 3-d/{red}": (
            lambda x, t: r(F.cross_entropy(x, t, reduction=red)),
            [("f", (2, 4, 3)), ("i", (2, 3), 4)],
            1,
        ),
        f"nll_loss/{red}": (lambda x, t: r(F.nll_loss(x.log_softmax(1), t, reduction=red)), [F34, I3], 1),
        f"nll_loss weight ignore_index/{red}": (
            lambda x, t, w: r(F.nll_loss(x.log_softmax(1), t, weight=w, ignore_index=0, reduction=red)),
            [F34, I3, WC],
            labels_traces,
        ),  # fmt: skip
        f"binary_cross_entropy/{red}": (
            lambda x, t: r(F.binary_cross_entropy(sg(x), t, reduction=red)),
            [F34, U34],
            1,
        ),
        f"binary_cross_entropy weight/{red}": (
            lambda x, t, w: r(F.binary_cross_entropy(sg(x), t, weight=w, reduction=red)),
            [F34, U34, WC],
            1,
        ),
        f"binary_cross_entropy 0/1/{red}": (
            lambda x, t: r(F.binary_cross_entropy(sg(x * 20), t.float(), reduction=red)),
            [F34, ("b", (3, 4))],
            1,
        ),
        f"bce_with_logits weight pos_weight/{red}": (
            lambda x, t, w, pw: r(
                F.binary_cross_entropy_with_logits(x, t, weight=w, pos_weight=pw, reduction=red)
            ),
            [F34, U34, WC, WC],
            1,
        ),  # fmt: skip
        f"mse_loss/{red}": (lambda x, t: r(F.mse_loss(x, t, reduction=red)), [F34, F34], 1),
        f"l1_loss/{red}": (lambda x, t: r(F.l1_loss(x, t, reduction=red)), [F34, F34], 1),
        f"huber_loss/{red}": (lambda x, t: r(F.huber_loss(x, t, delta=0.6, reduction=red)), [F34, F34], 1),
        f"smooth_l1_loss/{red}": (
            lambda x, t: r(F.smooth_l1_loss(x, t, beta=0.6, reduction=red)),
            [F34, F34],
            1,
        ),
        f"smooth_l1_loss beta 0/{red}": (
            lambda x, t: r(F.smooth_l1_loss(x, t, beta=0.0, reduction=red)),
            [F34, F34],
            1,
        ),
        f"kl_div/{red}": (
            lambda x, t: r(F.kl_div(x.log_softmax(1), t.softmax(1) * (t > 0), reduction=red)),
            [F34, F34],
            1,
        ),
        f"kl_div log_target/{red}": (
            lambda x, t: r(F.kl_div(x.log_softmax(1), t.log_softmax(1), reduction=red, log_target=True)),
            [F34, F34],
            1,
        ),
        f"poisson_nll_loss/{red}": (lambda x, t: r(F.poisson_nll_loss(x, t, reduction=red)), [F34, P34], 1),
        f"poisson_nll_loss full eps/{red}": (
            lambda x, t: r(
                F.poisson_nll_loss(x.exp(), t * 3, log_input=False, full=True, eps=1e-3, reduction=red)
            ),
            [F34, P34],
            1,
        ),  # fmt: skip
        f"gaussian_nll_loss/{red}": (
            lambda x, t, v: r(F.gaussian_nll_loss(x, t, v * v, reduction=red)),
            [F34, F34, F34],
            1,
        ),
        f"gaussian_nll_loss full eps/{red}": (
            lambda x, t, v: r(F.gaussian_nll_loss(x, t, v * v, full=True, eps=0.3, reduction=red)),
            [F34, F34, F34],
            1,
        ),  # fmt: skip
        f"hinge_embedding_loss/{red}": (
            lambda x, t: r(F.hinge_embedding_loss(x, t.sign(), margin=0.5, reduction=red)),
            [F34, F34],
            1,
        ),
        f"soft_margin_loss/{red}": (
            lambda x, t: r(F.soft_margin_loss(x, t.sign(), reduction=red)),
            [F34, F34],
            1,
        ),
        f"multi_margin_loss/{red}": (lambda x, t: r(F.multi_margin_loss(x, t, reduction=red)), [N34, I3], 1),
        f"multi_margin_loss p=2 weight/{red}": (
            lambda x, t, w: r(F.multi_margin_loss(x, t, p=2, margin=0.5, weight=w, reduction=red)),
            [F34, I3, WC],
            1,
        ),
        f"multilabel_margin_loss/{red}": (  # (index lists padded with -1: t - 1 in [-1, 3])
            lambda x, t: r(F.multilabel_margin_loss(x, t - 1, reduction=red)),
            [N34, ("i", (3, 4), 5)],
            1,
        ),
        f"multilabel_soft_margin_loss weight/{red}": (
            lambda x, t, w: r(F.multilabel_soft_margin_loss(x, t, weight=w, reduction=red)),
            [F34, U34, W4],
            1,
        ),
        f"margin_ranking_loss/{red}": (
            lambda x, y, t: r(F.margin_ranking_loss(x, y, t.sign(), margin=0.3, reduction=red)),
            [("f", (5,))] * 3,
            1,
        ),  # fmt: skip
        f"cosine_embedding_loss/{red}": (
            lambda x, y, t: r(F.cosine_embedding_loss(x, y, t.sign(), margin=0.2, reduction=red)),
            [F34, F34, ("f", (3,))],
            1,
        ),  # fmt: skip
        f"triplet_margin_loss swap/{red}": (
            lambda a, p, n: r(F.triplet_margin_loss(a, p, n, margin=0.5, p=1.5, swap=True, reduction=red)),
            [F34] * 3,
            1,
        ),  # fmt: skip
        f"triplet_margin_loss/{red}": (
            lambda a, p, n: r(F.triplet_margin_loss(a, p, n, margin=2.0, reduction=red)),
            [F34] * 3,
            1,
        ),
    }


def _library_losses(red: str) -> dict[str, tuple[Any, list[tuple], int]]:
    """``losses/`` (truth first, Keras's order) with their options."""
    r, B34 = _reduced(red), ("b", (3, 4))
    return {
        f"losses.mse weight/{red}": (
            lambda x, t, w: r(L.mse(t, x, weight=w, reduction=red)),
            [F34, F34, P34],
            1,
        ),
        f"losses.mae weight/{red}": (
            lambda x, t, w: r(L.mae(t, x, weight=w, reduction=red)),
            [F34, F34, P34],
            1,
        ),
        f"losses.huber weight/{red}": (
            lambda x, t, w: r(L.huber(t, x, delta=0.5, weight=w, reduction=red)),
            [F34, F34, P34],
            1,
        ),
        f"losses.log_cosh/msle/mape/{red}": (
            lambda x, t, u: (
                r(L.log_cosh(t, x, reduction=red))
                + r(L.msle(u, x, reduction=red))
                + r(L.mape(t * (t > 0.3), x, reduction=red))
            ),
            [F34, F34, P34],
            1,
        ),  # fmt: skip
        f"losses.smooth_l1/quantile/{red}": (
            lambda x, t: (
                r(L.smooth_l1(t, x, beta=0.5, reduction=red)) + r(L.quantile(t, x, q=0.3, reduction=red))
            ),
            [F34, F34],
            1,
        ),  # fmt: skip
        f"losses.poisson full/{red}": (
            lambda x, t: (
                r(L.poisson(t, x.exp(), full=True, reduction=red))
                + r(L.poisson(t * 3, x, log_input=True, full=True, reduction=red))
            ),
            [F34, P34],
            1,
        ),  # fmt: skip
        f"losses.gaussian_nll/{red}": (
            lambda x, t, v: (
                r(L.gaussian_nll(t, x, v * v, full=True, eps=0.5, reduction=red))
                + r(L.gaussian_nll(t, x, 0.7, reduction=red))
            ),
            [F34, F34, F34],
            1,
        ),  # fmt: skip
        f"losses.binary_cross_entropy logits smoothing weights/{red}": (
            lambda x, t, w: r(
                L.binary_cross_entropy(
                    t, x, from_logits=True, label_smoothing=0.1, weight=w, pos_weight=w, reduction=red
                )
            ),
            [F34, U34, W4],
            1,
        ),  # fmt: skip
        f"losses.hinge/squared_hinge/soft_margin/{red}": (
            lambda x, t, m: (
                r(L.hinge(t.sign(), x, reduction=red))
                + r(L.hinge(m, x, reduction=red))
                + r(L.squared_hinge(t.sign(), x, reduction=red))
                + r(L.soft_margin(t.sign(), x, reduction=red))
            ),
            [F34, F34, B34],
            1,
        ),  # fmt: skip
        f"losses.binary_focal/{red}": (
            lambda x, t, m: (
                r(L.binary_focal(t, x, gamma=1.5, alpha=0.3, from_logits=True, reduction=red))
                + r(L.binary_focal(m, x.sigmoid(), reduction=red))
            ),
            [F34, U34, B34],
            1,
        ),  # fmt: skip
        f"losses.categorical_cross_entropy weight/{red}": (
            lambda x, t, w: (
                r(
                    L.categorical_cross_entropy(
                        t.softmax(1), x, from_logits=True, label_smoothing=0.1, weight=w, reduction=red
                    )
                )
                + r(L.categorical_cross_entropy(t.softmax(1) * (t > 0), x.softmax(1), reduction=red))
            ),
            [F34, F34, W4],
            1,
        ),  # fmt: skip
        f"losses.sparse_categorical_cross_entropy weight/{red}": (
            lambda x, t, w: r(
                L.sparse_categorical_cross_entropy(
                    t, x, from_logits=True, weight=w, label_smoothing=0.1, reduction=red
                )
            ),
            [F34, I3, W4],
            1,
        ),  # fmt: skip
        f"losses.sparse_categorical_cross_entropy ignore_index/{red}": (
            lambda x, t, w: r(
                L.sparse_categorical_cross_entropy(
                    t, x, from_logits=True, weight=w, ignore_index=3, reduction=red
                )
            ),
            [F34, I3, W4],
            4,
        ),  # fmt: skip
        f"losses.sparse_categorical_cross_entropy float labels/{red}": (
            lambda x, t: r(L.sparse_categorical_cross_entropy(t.float(), x, from_logits=True, reduction=red)),
            [F34, I3],
            4,
        ),  # fmt: skip
        f"losses.categorical_hinge/{red}": (
            lambda x, t: r(L.categorical_hinge(F.one_hot(t, 4).float(), x, reduction=red)),
            [F34, I3],
            4,
        ),
        f"losses.categorical_focal alpha/{red}": (
            lambda x, t, w, a: (
                r(L.categorical_focal(t.softmax(1), x, alpha=w, from_logits=True, reduction=red))
                + r(
                    L.categorical_focal(
                        t.softmax(1), x, alpha=a[0], gamma=1.0, from_logits=True, reduction=red
                    )
                )
            ),
            [F34, F34, W4, ("u", (1,))],
            1,
        ),  # fmt: skip
        f"losses.nll weight/{red}": (
            lambda x, t, w: r(L.nll(t, x.log_softmax(1), weight=w, reduction=red)),
            [F34, I3, W4],
            1,
        ),
        f"losses.kl_divergence/js_divergence/{red}": (
            lambda x, t: (
                r(L.kl_divergence(t.softmax(1) * (t > 0), x.softmax(1), reduction=red))
                + r(
                    L.kl_divergence(
                        t.log_softmax(1), x.log_softmax(1), log_target=True, log_input=True, reduction=red
                    )
                )
                + r(L.js_divergence(t.softmax(1) * (t > 0), x.softmax(1), reduction=red))
            ),
            [F34, F34],
            1,
        ),  # fmt: skip
        f"losses.dice/iou/tversky/{red}": (
            lambda x, m, t: (
                r(L.dice(m, x.sigmoid(), smooth=0.5, axis=1, reduction=red))
                + r(L.iou(m, x.sigmoid(), axis=1, reduction=red))
                + r(L.tversky(t, x.sigmoid(), alpha=0.3, beta=0.7, axis=1, reduction=red))
            ),
            [F34, B34, U34],
            1,
        ),  # fmt: skip
        f"losses.contrastive/{red}": (
            lambda x, m: r(L.contrastive(m, x.abs(), margin=1.5, reduction=red)),
            [F34, B34],
            1,
        ),
        f"losses.triplet swap eps/{red}": (
            lambda a, p, n: r(L.triplet(a, p, n, margin=0.5, p=1.0, eps=0.1, swap=True, reduction=red)),
            [F34] * 3,
            1,
        ),  # fmt: skip
        f"losses.cosine_embedding/margin_ranking/hinge_embedding/{red}": (
            lambda x, y, t: (
                r(L.cosine_embedding(t[:, 0].sign(), x, y, margin=0.1, reduction=red))
                + r(L.margin_ranking(t.sign(), x, y, margin=0.1, reduction=red))
                + r(L.hinge_embedding(t.sign(), x, margin=0.5, reduction=red))
            ),
            [F34, F34, F34],
            1,
        ),  # fmt: skip
    }


LOSSES = {
    k: v for red in ("mean", "sum", "none") for k, v in {**_losses(red), **_library_losses(red)}.items()
}


@pytest.mark.filterwarnings("ignore:reduction. 'mean' divides", "ignore::losses.ArgumentOrderWarning")
@pytest.mark.parametrize("name", [*CASES, *LOSSES])
def test_new_inputs_at_every_call_give_the_eager_numbers(name: str) -> None:
    fn, specs, traces = {**CASES, **LOSSES}[name]
    assert same_on_new_inputs(fn, specs) <= traces


def test_the_audit_catches_a_value_read_from_the_data() -> None:
    """The check itself: a function that reads its mask from ``.data`` (as the library's argmax,
    isfinite or a class weight did) fails it."""
    with pytest.raises(AssertionError, match="differ from eager"):
        same_on_new_inputs(lambda x: x.where(x.data > 0, 0.1 * x).sum(), [F34])
    with pytest.raises(AssertionError, match="differ from eager"):
        same_on_new_inputs(lambda x: ((x**2).sum(), Tensor(np.argmax(x.data, 1))), [F34])


def test_a_class_weight_reads_labels_at_every_call_without_tracing_again() -> None:
    """cross_entropy with a class weight: the per-sample weights are graph operations, so a new
    batch of labels (and new weights) runs the same program."""
    assert same_on_new_inputs(lambda x, t, w: F.cross_entropy(x, t, weight=w), [F34, I3, WC], calls=6) == 1


def test_a_mask_of_all_zero_weights_gives_nan_as_eager() -> None:
    step = A.compile(lambda x, t, w: F.cross_entropy(x, t, weight=w))
    x, t = Tensor(np.ones((2, 3)), requires_grad=True), A.tensor(np.array([0, 1]))
    w = Tensor(np.array([0.0, 0.0, 1.0]))
    assert np.isnan(step(x, t, w).item()) and np.isnan(F.cross_entropy(x, t, weight=w).item())
    np.testing.assert_array_equal(x.grad.data, np.zeros((2, 3)))


FLOAT32_WEIGHTED = {
    "cross_entropy": lambda x, t, w: F.cross_entropy(x, t, weight=w),
    "cross_entropy smoothing": lambda x, t, w: F.cross_entropy(x, t, weight=w, label_smoothing=0.1),
    "cross_entropy probabilities": lambda x, t, w: F.cross_entropy(
        x, x.detach().softmax(1), weight=w, label_smoothing=0.1
    ),
    "bce_with_logits": lambda x, t, w: F.binary_cross_entropy_with_logits(
        x, (x.detach() > 0).float(), weight=w, pos_weight=w
    ),
    "binary_cross_entropy": lambda x, t, w: F.binary_cross_entropy(
        x.sigmoid(), (x.detach() > 0).float(), weight=w
    ),
    "losses.binary_cross_entropy pos_weight": lambda x, t, w: L.binary_cross_entropy(
        (x.detach() > 0).float(), x.sigmoid(), pos_weight=w
    ),
    "losses.categorical_focal": lambda x, t, w: L.categorical_focal(
        x.detach().softmax(1), x, alpha=w, from_logits=True
    ),
}


@pytest.mark.parametrize("weights", [np.float32, np.float64], ids=["float32 weights", "float64 weights"])
@pytest.mark.parametrize("name", list(FLOAT32_WEIGHTED))
def test_weights_followed_in_float32_give_the_eager_bits(name: str, weights: Any) -> None:
    """A weight Tensor read at every call meets float32 logits as eager code's numpy weight did
    (cast to float32 where it is lifted): the same bits, float32 results."""
    fn, rng = FLOAT32_WEIGHTED[name], np.random.default_rng(3)
    step = A.compile(fn)
    for _ in range(3):
        x, t, w = (
            rng.normal(size=(3, 4)).astype(np.float32),
            rng.integers(0, 4, 3),
            rng.random(4).astype(weights) + 0.1,
        )
        got_x, want_x = Tensor(x, requires_grad=True), Tensor(x, requires_grad=True)
        got = step(got_x, A.tensor(t), A.tensor(w))
        want = fn(want_x, A.tensor(t), A.tensor(w))
        want.backward()
        assert _bits(got) == _bits(want) and want.data.dtype == np.float32
        assert _bits(got_x.grad) == _bits(want_x.grad)
