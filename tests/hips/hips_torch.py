"""NumPy's functions with NumPy's semantics, computed by torch in float64: the reference side of
the HIPS port.

A case's function is written once, against a namespace ``xp``: the engine runs it with
``xp = numpy`` on Tensors and Values (NumPy dispatch), the reference with ``xp = TORCH_NUMPY``
below on torch tensors, so both sides run the same user code. Each name here reproduces what
NumPy computes (axis conventions, defaults, ``axis=None`` flattening) out of torch primitives,
so torch's own derivative rules give the reference gradients. A name NumPy has and torch has
no counterpart for (``partition``) is absent: such cases are checked by finite differences.
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F

F64 = torch.float64


def arr(x: Any) -> torch.Tensor:
    """``x`` as a torch tensor: tensors as they are, sequences stacked (as ``np.array``),
    numbers and arrays as float64 constants (booleans stay boolean, integers integral)."""
    if isinstance(x, torch.Tensor):
        return x
    if isinstance(x, (list, tuple)) and any(isinstance(e, (torch.Tensor, list, tuple)) for e in x):
        return torch.stack([arr(e) for e in x])
    a = np.asarray(x)
    if a.dtype.kind in "bi":
        return torch.as_tensor(a)
    return torch.as_tensor(a.astype(np.float64))


def _dims(x: torch.Tensor, axis: Any) -> tuple[int, ...]:
    """NumPy's ``axis`` (None, int or tuple) as torch dims, None meaning every axis."""
    if axis is None:
        return tuple(range(x.ndim))
    return (axis,) if isinstance(axis, int) else tuple(axis)


def _unary(fn: Any) -> Any:
    return lambda x: fn(arr(x))


def _binary(fn: Any) -> Any:
    return lambda a, b: fn(arr(a), arr(b))


def _scalar_binary(fn: Any) -> Any:
    """A torch function that takes a Python number for either operand, as a user writes it
    (``torch.pow(x, 0.0)``: torch's rules for a number differ from those for a 0-d tensor)."""

    def call(a: Any, b: Any) -> Any:
        a, b = (x if isinstance(x, (int, float)) else arr(x) for x in (a, b))
        return fn(a, b)

    return call


def _reduction(fn: Any) -> Any:
    def reduce(x: Any, axis: Any = None, keepdims: bool = False, **kw: Any) -> torch.Tensor:
        x = arr(x)
        return fn(x, dim=_dims(x, axis), keepdim=keepdims, **kw)

    return reduce


def _prod(x: Any, axis: Any = None, keepdims: bool = False) -> torch.Tensor:
    x = arr(x)
    if axis is None:
        out = torch.prod(x)
        return out.reshape((1,) * x.ndim) if keepdims else out
    return torch.prod(x, dim=axis, keepdim=keepdims)


def _spread(fn: Any) -> Any:
    def spread(x: Any, axis: Any = None, ddof: int = 0, keepdims: bool = False) -> torch.Tensor:
        x = arr(x)
        return fn(x, dim=_dims(x, axis), correction=ddof, keepdim=keepdims)

    return spread


def _cumsum(x: Any, axis: int | None = None) -> torch.Tensor:
    x = arr(x)
    return torch.cumsum(x.reshape(-1), 0) if axis is None else torch.cumsum(x, axis)


def _transpose(x: Any, axes: Sequence[int] | None = None) -> torch.Tensor:
    x = arr(x)
    return x.permute(*(reversed(range(x.ndim)) if axes is None else axes))


def _rollaxis(x: torch.Tensor, axis: int, start: int = 0) -> torch.Tensor:
    n = x.ndim
    axis, start = axis % n, start + n if start < 0 else start
    if axis < start:
        start -= 1
    order = [a for a in range(n) if a != axis]
    order.insert(start, axis)
    return x.permute(order)


def _repeat(x: torch.Tensor, repeats: int, axis: int | None = None) -> torch.Tensor:
    if axis is None:
        x, axis = x.reshape(-1), 0
    return torch.repeat_interleave(x, repeats, dim=axis)


def _gradient(x: torch.Tensor, axis: Any = None) -> Any:
    dims = _dims(x, axis)
    parts = torch.gradient(x, dim=list(dims))
    return parts[0] if len(dims) == 1 else list(parts)


def _dot(a: Any, b: Any) -> torch.Tensor:
    a, b = arr(a), arr(b)
    if a.ndim == 0 or b.ndim == 0:
        return a * b
    return torch.tensordot(a, b, dims=([a.ndim - 1], [max(b.ndim - 2, 0)]))


def _tensordot(a: Any, b: Any, axes: Any = 2) -> torch.Tensor:
    a, b = arr(a), arr(b)
    if isinstance(axes, int):
        return torch.tensordot(a, b, dims=axes)
    ax_a, ax_b = axes
    ax_a = [ax_a] if isinstance(ax_a, int) else list(ax_a)
    ax_b = [ax_b] if isinstance(ax_b, int) else list(ax_b)
    return torch.tensordot(a, b, dims=([k % a.ndim for k in ax_a], [k % b.ndim for k in ax_b]))


def _einsum(*operands: Any) -> torch.Tensor:
    return torch.einsum(*(arr(o) if isinstance(o, (torch.Tensor, np.ndarray)) else o for o in operands))


def _trace(x: torch.Tensor, offset: int = 0) -> torch.Tensor:
    return torch.diagonal(x, offset, 0, 1).sum(-1)


def _cross(
    a: torch.Tensor, b: torch.Tensor, axisa: int = -1, axisb: int = -1, axisc: int = -1, axis: Any = None
) -> Any:
    if axis is not None:
        axisa = axisb = axisc = axis
    c = torch.linalg.cross(torch.movedim(a, axisa, -1), torch.movedim(b, axisb, -1), dim=-1)
    return torch.movedim(c, -1, axisc)


def _same_dim(x: torch.Tensor, sections: Any, axis: int) -> list[torch.Tensor]:
    """``np.split``/``np.array_split``: equal parts (as many as possible) or parts between indices."""
    return list(torch.tensor_split(x, sections if isinstance(sections, int) else list(sections), dim=axis))


def _rows(tup: Any) -> list[torch.Tensor]:
    """A joining function's operands; one array counts as the sequence of its rows (as NumPy)."""
    return list(arr(tup).unbind(0)) if isinstance(tup, (torch.Tensor, np.ndarray)) else [arr(t) for t in tup]


def _joined(fn: Any) -> Any:
    return lambda tup: fn(_rows(tup))


def _concatenate(arrays: Any, axis: int | None = 0) -> torch.Tensor:
    parts = [arr(a) for a in arrays]
    return torch.cat([p.reshape(-1) for p in parts]) if axis is None else torch.cat(parts, dim=axis)


def _stack(arrays: Any, axis: int = 0) -> torch.Tensor:
    return torch.stack([arr(a) for a in arrays], dim=axis)


def _append(a: Any, b: Any, axis: int | None = None) -> torch.Tensor:
    return _concatenate([arr(a), arr(b)], axis)


def _select(condlist: Sequence[Any], choicelist: Sequence[Any], default: float = 0.0) -> torch.Tensor:
    out = arr(default)
    for cond, choice in reversed(list(zip(condlist, choicelist))):
        out = torch.where(arr(cond), arr(choice), out)
    return out


def _pad(x: torch.Tensor, pad_width: Any, mode: str = "constant") -> torch.Tensor:
    widths = np.broadcast_to(np.asarray(pad_width, dtype=int), (x.ndim, 2))
    flat = [int(w) for pair in reversed(widths.tolist()) for w in pair]
    return F.pad(x, flat, mode=mode)


def _linspace(start: Any, stop: Any, num: int = 50) -> torch.Tensor:
    start, stop = arr(start), arr(stop)
    if num == 1:
        return start.reshape(1)
    steps = torch.arange(num, dtype=F64) / max(num - 1, 1)
    return start + (stop - start) * steps


def _where(cond: Any, x: Any, y: Any) -> torch.Tensor:
    return torch.where(arr(cond), arr(x), arr(y))


def _clip(x: Any, a_min: Any = None, a_max: Any = None) -> torch.Tensor:
    return torch.clamp(arr(x), a_min, a_max)


def _roll(x: torch.Tensor, shift: int, axis: int | None = None) -> torch.Tensor:
    return torch.roll(x, shift) if axis is None else torch.roll(x, shift, axis)


def _squeeze(x: torch.Tensor, axis: Any = None) -> torch.Tensor:
    return torch.squeeze(x) if axis is None else torch.squeeze(x, axis)


class _Concatenator:
    """``np.r_`` (``axis=0``) and ``np.c_`` (``axis=-1``, 1-d parts as columns), on tensors."""

    def __init__(self, axis: int) -> None:
        self.axis = axis

    def __getitem__(self, items: Any) -> torch.Tensor:
        parts = []
        for item in items if isinstance(items, tuple) else (items,):
            if isinstance(item, slice):
                part = torch.arange(item.start or 0, item.stop, item.step or 1, dtype=F64)
            else:
                part = torch.atleast_1d(arr(item))
            if self.axis == -1 and part.ndim == 1:
                part = part.reshape(-1, 1)
            parts.append(part)
        return torch.cat(parts, dim=self.axis)


def _sign_fixed(vectors: torch.Tensor, numpy_vectors: np.ndarray, axis: int) -> torch.Tensor:
    """``vectors`` with each eigen/singular vector's sign flipped to agree with NumPy's (the sign
    is arbitrary; a constant ±1 per vector keeps the derivative rules intact)."""
    agree = np.sum(vectors.detach().numpy() * numpy_vectors, axis=axis, keepdims=True)
    return vectors * torch.as_tensor(np.where(agree < 0, -1.0, 1.0))


def _eigh(a: torch.Tensor, UPLO: str = "L") -> tuple[torch.Tensor, torch.Tensor]:
    """LAPACK reads one triangle: the symmetric matrix it sees, then torch's eigh of that."""
    part = torch.tril(a) if UPLO == "L" else torch.triu(a)
    sym = part + part.mT - torch.diag_embed(torch.diagonal(a, 0, -2, -1))
    w, v = torch.linalg.eigh(sym)
    return w, _sign_fixed(v, np.linalg.eigh(a.detach().numpy(), UPLO)[1], axis=-2)


def _svd(a: torch.Tensor, full_matrices: bool = True, compute_uv: bool = True) -> Any:
    if not compute_uv:
        return torch.linalg.svdvals(a)
    u, s, vh = torch.linalg.svd(a, full_matrices=full_matrices)
    nu = np.linalg.svd(a.detach().numpy(), full_matrices=full_matrices)[0]
    fixed = _sign_fixed(u, nu, axis=-2)
    flips = (fixed.detach() * u.detach()).sum(-2, keepdim=True).sign()  # the ±1 applied to each column
    return fixed, s, vh * flips.mT


def _norm(x: Any, ord: Any = None, axis: Any = None) -> torch.Tensor:
    x = arr(x)
    if ord is None and (axis is None or isinstance(axis, int)):
        return torch.linalg.vector_norm(x, dim=axis)
    return torch.linalg.norm(x, ord=ord, dim=axis)


def _solve(a: torch.Tensor, b: Any) -> torch.Tensor:
    return torch.linalg.solve(a, arr(b))


_LINALG = SimpleNamespace(
    inv=torch.linalg.inv,
    pinv=torch.linalg.pinv,
    det=torch.linalg.det,
    slogdet=torch.linalg.slogdet,
    solve=_solve,
    cholesky=torch.linalg.cholesky,
    norm=_norm,
    eigh=_eigh,
    svd=_svd,
)

#: the NumPy names the cases call, on torch tensors (see the module docstring)
TORCH_NUMPY = SimpleNamespace(
    linalg=_LINALG,
    r_=_Concatenator(0),
    c_=_Concatenator(-1),
    array=arr,
    ones=lambda shape: torch.ones(shape, dtype=F64),
    int64=lambda x: arr(x).detach().to(torch.int64),
    # elementwise
    sin=_unary(torch.sin),
    cos=_unary(torch.cos),
    tan=_unary(torch.tan),
    arcsin=_unary(torch.asin),
    arccos=_unary(torch.acos),
    arctan=_unary(torch.atan),
    sinh=_unary(torch.sinh),
    cosh=_unary(torch.cosh),
    tanh=_unary(torch.tanh),
    arcsinh=_unary(torch.asinh),
    arccosh=_unary(torch.acosh),
    arctanh=_unary(torch.atanh),
    exp=_unary(torch.exp),
    exp2=_unary(torch.exp2),
    expm1=_unary(torch.expm1),
    log=_unary(torch.log),
    log2=_unary(torch.log2),
    log10=_unary(torch.log10),
    log1p=_unary(torch.log1p),
    sqrt=_unary(torch.sqrt),
    square=_unary(torch.square),
    reciprocal=_unary(torch.reciprocal),
    negative=_unary(torch.negative),
    sign=_unary(torch.sign),
    sinc=_unary(torch.sinc),
    abs=_unary(torch.abs),
    absolute=_unary(torch.abs),
    fabs=_unary(torch.abs),
    ceil=_unary(torch.ceil),
    floor=_unary(torch.floor),
    rad2deg=_unary(torch.rad2deg),
    degrees=_unary(torch.rad2deg),
    deg2rad=_unary(torch.deg2rad),
    radians=_unary(torch.deg2rad),
    nan_to_num=_unary(torch.nan_to_num),
    # the complex-number API on real tensors (torch refuses imag of one: numpy's zeros)
    real=_unary(torch.real),
    real_if_close=_unary(lambda x: x),
    imag=_unary(torch.zeros_like),
    conj=_unary(torch.conj),
    conjugate=_unary(torch.conj),
    angle=_unary(torch.angle),
    add=_scalar_binary(operator.add),
    subtract=_scalar_binary(operator.sub),
    multiply=_scalar_binary(operator.mul),
    divide=_scalar_binary(operator.truediv),
    true_divide=_scalar_binary(operator.truediv),
    power=_scalar_binary(torch.pow),
    # (a number lifted to a 0-d tensor: torch's remainder of a number by a tensor has no derivative)
    mod=_binary(torch.remainder),
    remainder=_binary(torch.remainder),
    logaddexp=_binary(torch.logaddexp),
    logaddexp2=_binary(torch.logaddexp2),
    maximum=_binary(torch.maximum),
    minimum=_binary(torch.minimum),
    fmax=_binary(torch.fmax),
    fmin=_binary(torch.fmin),
    where=_where,
    clip=_clip,
    # reductions and scans
    sum=_reduction(torch.sum),
    mean=_reduction(torch.mean),
    max=_reduction(torch.amax),
    min=_reduction(torch.amin),
    prod=_prod,
    var=_spread(torch.var),
    std=_spread(torch.std),
    cumsum=_cumsum,
    diff=lambda x, n=1, axis=-1: torch.diff(x, n=n, dim=axis),
    gradient=_gradient,
    # products
    dot=_dot,
    tensordot=_tensordot,
    einsum=_einsum,
    inner=_binary(torch.inner),
    matmul=_binary(torch.matmul),
    kron=_binary(torch.kron),
    outer=_binary(lambda a, b: torch.outer(a.reshape(-1), b.reshape(-1))),
    cross=_cross,
    trace=_trace,
    # shape and selection
    reshape=lambda x, shape: arr(x).reshape(shape),
    ravel=lambda x: arr(x).reshape(-1),
    transpose=_transpose,
    moveaxis=torch.movedim,
    swapaxes=lambda x, axis1, axis2: torch.swapaxes(x, axis1, axis2),
    rollaxis=_rollaxis,
    squeeze=_squeeze,
    expand_dims=torch.unsqueeze,
    atleast_1d=_unary(torch.atleast_1d),
    atleast_2d=_unary(torch.atleast_2d),
    atleast_3d=_unary(torch.atleast_3d),
    repeat=_repeat,
    tile=lambda x, reps: torch.tile(x, (reps,) if isinstance(reps, int) else reps),
    flipud=_unary(torch.flipud),
    fliplr=_unary(torch.fliplr),
    rot90=lambda x: torch.rot90(x, 1, (0, 1)),
    roll=_roll,
    diag=lambda x, k=0: torch.diag(x, k),
    diagonal=lambda x, offset=0, axis1=0, axis2=1: torch.diagonal(x, offset, axis1, axis2),
    tril=lambda x, k=0: torch.tril(x, k),
    triu=lambda x, k=0: torch.triu(x, k),
    sort=lambda x: torch.sort(x, dim=-1).values,
    split=lambda x, sections, axis=0: _same_dim(x, sections, axis),
    array_split=lambda x, sections, axis=0: _same_dim(x, sections, axis),
    vsplit=lambda x, sections: _same_dim(x, sections, 0),
    hsplit=lambda x, sections: _same_dim(x, sections, 1 if x.ndim > 1 else 0),
    dsplit=lambda x, sections: _same_dim(x, sections, 2),
    concatenate=_concatenate,
    stack=_stack,
    append=_append,
    vstack=_joined(torch.vstack),
    row_stack=_joined(torch.vstack),
    hstack=_joined(torch.hstack),
    column_stack=_joined(torch.column_stack),
    select=_select,
    pad=_pad,
    linspace=_linspace,
)
