"""Products of tensors: einsum (a primitive, whose gradient is again an einsum) and those
composed from it and from matmul and elementwise products: tensordot, dot, inner, vdot,
outer, kron, cross and trace.

Each function takes its tensors first, with NumPy's and PyTorch's argument names; ``dot``,
``vdot``, ``inner``, ``outer``, ``kron``, ``cross`` and ``trace`` are also Tensor methods (as in
torch), and the NumPy functions of these names record the graph through them.

Why one einsum primitive rather than a composition: its VJP with respect to each operand is an
einsum of g with the other operands (plus a constant identity where an index repeats within the
operand, and ones where only that operand has it), so one rule covers matmul-like contractions,
traces, diagonals, transposes and sums, at every order; composing einsum from transposes,
broadcasts and sums would build large broadcast intermediates instead.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np

from . import ops
from ._errors import ArgumentError
from ._operands import as_tensor, as_tensors, tensor_methods
from ._tensor import Tensor
from .composite import normalize_axis
from .dtypes import accumulate
from .numpy_dispatch import _refuse, implements
from .ops.products import LETTERS


# ---------------------------------------------------------------------------- einsum
def _sublist_letters(sublist: Any, k: str) -> str:
    """NumPy's sublist format: integers 0..51 name indices (A..Z, a..z), ``...`` the ellipsis."""
    text = ""
    for s in sublist:
        if s is Ellipsis:
            text += "..."
        elif isinstance(s, (int, np.integer)) and not isinstance(s, bool) and 0 <= s < len(LETTERS):
            text += LETTERS[s]
        else:
            raise ValueError(f"einsum: the subscripts of {k} must be ints in [0, 52) or ..., got {s!r}")
    return text


def _arguments(args: Sequence[Any]) -> tuple[str, list[Any]]:
    """(subscripts, operands) from ``einsum(subscripts, *operands)`` (or torch's list of operands)
    or NumPy's ``einsum(op0, sublist0, op1, sublist1, ..., [sublistout])``."""
    if not args:
        raise TypeError("einsum: expected subscripts and operands, got nothing")
    if isinstance(args[0], str):
        operands = list(args[1:])
        if len(operands) == 1 and isinstance(operands[0], (list, tuple)):  # torch.einsum(eq, [a, b])
            operands = list(operands[0])
        return args[0], operands
    pairs, output = (args, None) if len(args) % 2 == 0 else (args[:-1], args[-1])
    operands = list(pairs[0::2])
    terms = [_sublist_letters(s, f"operand {k}") for k, s in enumerate(pairs[1::2])]
    text = ",".join(terms)
    return (text if output is None else text + "->" + _sublist_letters(output, "the output")), operands


@functools.lru_cache(maxsize=256)
def canonical_subscripts(subscripts: str, shapes: tuple[tuple[int, ...], ...]) -> str:
    """``subscripts`` for operands of ``shapes`` written explicitly with letters only: the
    ellipsis becomes spare letters (broadcast from the right), the implicit output NumPy's
    (the ellipsis, then the indices named once, in alphabetical order). Raises ValueError
    naming the mismatch (a count, a letter, a length)."""
    text = subscripts.replace(" ", "")
    bad = sorted(set(text) - set(LETTERS) - set(".,->"))
    if bad or text.count("->") > 1:
        raise ValueError(
            f"einsum: subscripts hold letters, ',', one '->' and '...', got {subscripts!r}"
            + (f" (with {''.join(bad)!r})" if bad else "")
        )
    inputs, arrow, output = text.partition("->")
    terms = inputs.split(",")
    if len(terms) != len(shapes):
        raise ValueError(
            f"einsum: the subscripts {subscripts!r} name {len(terms)} operand(s), got {len(shapes)}"
        )
    parts, dots = [], []
    for k, (term, shape) in enumerate(zip(terms, shapes)):
        pre, ellipsis, post = term.partition("...")
        if "." in pre + post or ("-" in pre + post) or (">" in pre + post):
            raise ArgumentError(f"einsum: operand {k}'s subscripts {term!r} hold a stray '.', '-' or '>'")
        named = len(pre) + len(post)
        if named > len(shape) or (not ellipsis and named != len(shape)):
            raise ValueError(
                f"einsum: operand {k} has {len(shape)} dimension(s) (shape {shape}) but its subscripts "
                f"{term!r} name {named}" + ("" if ellipsis else "; use '...' for the others")
            )
        parts.append((pre, post))
        dots.append(len(shape) - named)
    spare = [c for c in LETTERS if c not in text]
    width = max(dots, default=0)
    if width > len(spare):
        raise ValueError(f"einsum: too many dimensions under '...' ({width}) for the letters left")
    broad = "".join(spare[:width])
    full = [pre + broad[width - d :] + post for (pre, post), d in zip(parts, dots)]
    sizes: dict[str, int] = {}
    for k, (term, shape) in enumerate(zip(full, shapes)):
        own: dict[str, int] = {}
        for c, n in zip(term, shape):
            if own.setdefault(c, n) != n:
                raise ValueError(
                    f"einsum: operand {k} repeats index {c!r} over axes of lengths {own[c]} and {n}"
                )
            if n != 1 and sizes.get(c, 1) not in (1, n):
                raise ArgumentError(
                    f"einsum: index {c!r} has length {sizes[c]} in one operand and {n} in operand {k}"
                )
            sizes[c] = n if n != 1 else sizes.get(c, 1)
    if arrow:
        pre, ellipsis, post = output.partition("...")
        out = pre + (broad if ellipsis else "") + post
        for c in out:
            if c not in sizes or c in "." or out.count(c) > 1:
                why = "repeats" if out.count(c) > 1 else "names an index no operand has:"
                raise ValueError(f"einsum: the output {output!r} {why} {c!r}")
    else:
        counts = Counter(c for pre, post in parts for c in pre + post)
        out = broad + "".join(sorted(c for c, n in counts.items() if n == 1))
    return ",".join(full) + "->" + out


def einsum(*args: Any) -> Tensor:
    r"""Einstein summation (``np.einsum``, ``torch.einsum``): ``einsum("ij,jk->ik", a, b)`` is the
    matrix product, :math:`\sum_j a_{ij} b_{jk}`.

    Explicit (``->``) or implicit output (the indices that occur once, in order), ``...`` for
    broadcast axes, repeated indices within an operand for diagonals and traces. Also NumPy's
    sublist form ``einsum(a, [0, 1], b, [1, 2], [0, 2])`` and torch's ``einsum(eq, [a, b])``. An
    explicit output without ``...`` sums the broadcast axes (see the numerics guide). One
    primitive: the gradient of each operand is again an einsum of g with the others.

    Parameters
    ----------
    *args : str, Tensor, array_like or list of int
        The subscripts and the operands, in one of the three forms above.

    Returns
    -------
    Tensor
        The contraction.

    Raises
    ------
    ValueError
        If the subscripts do not fit the operands (their count, dimensions or lengths), or there
        is no operand.
    """
    subscripts, operands = _arguments(args)
    if not operands:
        raise ValueError(f"einsum: the subscripts {subscripts!r} need at least one operand, got none")
    xs = as_tensors(*operands)
    canonical = canonical_subscripts(subscripts, tuple(x.shape for x in xs))
    return Tensor._apply(ops.EINSUM, *xs, subscripts=canonical)


def _contract(x: Tensor, y: Tensor, pairs: Sequence[tuple[int, int]]) -> Tensor:
    """Σ over the paired axes (x's i with y's j); x's free axes, then y's, as tensordot."""
    a = LETTERS[: x.ndim]
    b = list(LETTERS[x.ndim : x.ndim + y.ndim])
    for i, j in pairs:
        b[j] = a[i]
    summed = {i for i, _ in pairs}
    out = "".join(c for i, c in enumerate(a) if i not in summed) + "".join(
        c for j, c in enumerate(b) if j not in {j for _, j in pairs}
    )
    return Tensor._apply(ops.EINSUM, x, y, subscripts=f"{a},{''.join(b)}->{out}")


def _axes_list(axes: Any, ndim: int, which: str) -> list[int]:
    seq = [axes] if isinstance(axes, (int, np.integer)) else list(axes)
    return [normalize_axis(int(k), ndim, f"tensordot ({which}'s axes)") for k in seq]  # type: ignore[misc]


def tensordot(a: Any, b: Any, axes: Any = 2, *, dims: Any = None) -> Tensor:
    """Sums of products over pairs of axes (``np.tensordot``, ``torch.tensordot``).

    ``axes=n`` pairs a's last n axes with b's first n; ``(a_axes, b_axes)`` pairs them one by one.
    The result has a's other axes, then b's.

    Parameters
    ----------
    a, b : Tensor or array_like
        The operands.
    axes : int or tuple
        The axes to sum over (default 2): a count, or a pair (a's axes, b's axes).
    dims : int or tuple, optional
        torch's name for ``axes``.

    Returns
    -------
    Tensor
        The contraction.

    Raises
    ------
    TypeError
        If ``axes`` is neither an int nor a pair of axis lists.
    ValueError
        If paired axes differ in length, or ``axes`` is out of range.
    """
    if dims is not None:
        axes = dims
    x, y = as_tensors(a, b)
    if isinstance(axes, (int, np.integer)) and not isinstance(axes, bool):
        if not 0 <= axes <= min(x.ndim, y.ndim):
            raise ValueError(
                f"tensordot: axes={axes} must be in [0, {min(x.ndim, y.ndim)}] for shapes {x.shape} and "
                f"{y.shape}"
            )
        pairs = [(x.ndim - axes + k, k) for k in range(int(axes))]
    else:
        try:
            first, second = axes
        except (TypeError, ValueError):
            raise TypeError(f"tensordot: axes must be an int or a pair of axis lists, got {axes!r}") from None
        fa, fb = _axes_list(first, x.ndim, "a"), _axes_list(second, y.ndim, "b")
        if len(fa) != len(fb):
            raise ValueError(f"tensordot: {len(fa)} axes of a paired with {len(fb)} of b")
        pairs = list(zip(fa, fb))
    for i, j in pairs:
        if x.shape[i] != y.shape[j]:
            raise ValueError(
                f"tensordot: a's axis {i} has length {x.shape[i]} but b's axis {j}, summed with it, has "
                f"{y.shape[j]} (shapes {x.shape} and {y.shape})"
            )
    return _contract(x, y, pairs)


def dot(input: Any, tensor: Any) -> Tensor:
    r"""NumPy's dot (also ``Tensor.dot``): a product for a 0-d operand, ``a @ b`` for 1-d and 2-d
    ones, else :math:`\sum_k a_{\dots k} b_{\dots k j}` over a's last axis and b's
    second-to-last (its only one if 1-d).

    Parameters
    ----------
    input, tensor : Tensor or array_like
        The operands a and b (numbers and arrays are constants; torch's names).

    Returns
    -------
    Tensor
        The product.

    Raises
    ------
    ValueError
        If the summed axes differ in length.
    """
    x, y = as_tensors(input, tensor)
    if x.ndim == 0 or y.ndim == 0:
        return x * y
    j = max(y.ndim - 2, 0)
    if x.shape[-1] != y.shape[j]:
        raise ValueError(
            f"dot: shapes {x.shape} and {y.shape} are not aligned: a's last axis has length "
            f"{x.shape[-1]}, b's axis {j} has {y.shape[j]}"
        )
    if x.ndim <= 2 and y.ndim <= 2:
        return x @ y
    return _contract(x, y, [(x.ndim - 1, j)])


def inner(input: Any, other: Any) -> Tensor:
    r""":math:`\sum_k a_{\dots k} b_{\dots k}` over the last axes of a and b (``np.inner``,
    ``torch.inner``); a product for a 0-d operand. The result has a's other axes, then b's.

    Parameters
    ----------
    input, other : Tensor or array_like
        The operands a and b (numbers and arrays are constants; torch's names).

    Returns
    -------
    Tensor
        The sums.

    Raises
    ------
    ValueError
        If the last axes differ in length.
    """
    x, y = as_tensors(input, other)
    if x.ndim == 0 or y.ndim == 0:
        return x * y
    if x.shape[-1] != y.shape[-1]:
        raise ValueError(f"inner: the last axes differ in length: shapes {x.shape} and {y.shape}")
    return _contract(x, y, [(x.ndim - 1, y.ndim - 1)])


def vdot(a: Any, b: Any) -> Tensor:
    r""":math:`\sum_i a_i b_i` over all elements of the flattened a and b (``np.vdot``,
    ``torch.vdot``; real numbers: no conjugate).

    Parameters
    ----------
    a, b : Tensor or array_like
        The operands (numbers and arrays are constants).

    Returns
    -------
    Tensor
        A 0-d tensor.

    Raises
    ------
    ValueError
        If a and b have different numbers of elements.
    """
    x, y = as_tensors(a, b)
    if x.data.size != y.data.size:
        raise ValueError(
            f"vdot: a and b must have the same number of elements, got shapes {x.shape} and {y.shape}"
        )
    return x.reshape(-1) @ y.reshape(-1)


def outer(input: Any, vec2: Any) -> Tensor:
    """The outer product :math:`a_i b_j` of the flattened a and b (``np.outer``, ``torch.outer``).

    Parameters
    ----------
    input, vec2 : Tensor or array_like
        The operands a and b (numbers and arrays are constants; torch's names).

    Returns
    -------
    Tensor
        Shape ``(a.size, b.size)``.
    """
    x, y = as_tensors(input, vec2)
    return x.reshape(-1, 1) * y.reshape(1, -1)


def kron(input: Any, other: Any) -> Tensor:
    """The Kronecker product (``np.kron``, ``torch.kron``): block (i, j, ...) is a[i, j, ...] · b,
    the shapes aligned from the right.

    Parameters
    ----------
    input, other : Tensor or array_like
        The operands a and b (numbers and arrays are constants; torch's names).

    Returns
    -------
    Tensor
        The product, each axis the product of the two lengths.
    """
    x, y = as_tensors(input, other)
    nd = max(x.ndim, y.ndim)
    xs, ys = (1,) * (nd - x.ndim) + x.shape, (1,) * (nd - y.ndim) + y.shape
    spread = x.reshape([v for n in xs for v in (n, 1)]) * y.reshape([v for n in ys for v in (1, n)])
    return spread.reshape(tuple(p * q for p, q in zip(xs, ys)))


def _move(x: Tensor, source: int, destination: int) -> Tensor:
    order = [i for i in range(x.ndim) if i != source]
    order.insert(destination, source)
    return x.transpose(order)


def _cross(a: Any, b: Any, axisa: int, axisb: int, axisc: int) -> Tensor:
    """The cross products of a's 3-vectors along ``axisa`` and b's along ``axisb`` (the other
    axes broadcast), along ``axisc`` of the result."""
    x, y = as_tensors(a, b)
    moved = []
    for t, ax, name in ((x, axisa, "a"), (y, axisb, "b")):
        if t.ndim == 0:
            raise ValueError(f"cross: {name} must hold vectors (at least 1 dimension), got a 0-d tensor")
        k: int = normalize_axis(ax, t.ndim, "cross")  # type: ignore[assignment]
        if t.shape[k] != 3:
            raise ValueError(
                f"cross: {name}'s vectors (axis {ax}) must have length 3, got {t.shape[k]} (shape "
                f"{t.shape}); 2-vectors are deprecated in NumPy 2 and absent from torch"
            )
        moved.append(_move(t, k, t.ndim - 1))
    x, y = moved
    i, j = np.array([1, 2, 0]), np.array([2, 0, 1])
    c = x[..., i] * y[..., j] - x[..., j] * y[..., i]
    return _move(c, c.ndim - 1, normalize_axis(axisc, c.ndim, "cross"))  # type: ignore[arg-type]


def cross(input: Any, other: Any, dim: int | None = None, *, axis: int | None = None) -> Tensor:
    """The cross product a × b of 3-vectors along ``dim`` (or ``axis``; the last by default), the
    other axes broadcast: ``torch.linalg.cross``, ``torch.cross`` with a dim, ``np.cross`` with
    one axis (``np.cross`` on Tensors takes its ``axisa``, ``axisb``, ``axisc`` too).

    Parameters
    ----------
    input, other : Tensor or array_like
        a and b.
    dim : int, optional
        The axis of the vectors (torch's name).
    axis : int, optional
        NumPy's name for ``dim``.

    Returns
    -------
    Tensor
        a × b.

    Raises
    ------
    TypeError
        If both ``dim`` and ``axis`` are given.
    ValueError
        If the vectors do not have length 3, or an operand is 0-d.
    """
    if dim is not None and axis is not None:
        raise TypeError(
            f"cross: got both dim={dim!r} and axis={axis!r}; pass one of them (they mean the same)"
        )
    k = -1 if dim is None and axis is None else dim if dim is not None else axis
    return _cross(input, other, k, k, k)  # type: ignore[arg-type]


def trace(input: Any, offset: int = 0, axis1: int = 0, axis2: int = 1) -> Tensor:
    """The sum of diagonal ``offset`` of the matrices on axes ``axis1``, ``axis2`` (``np.trace``;
    ``torch.trace`` for 2-d; ``Tensor.trace``); the result has the other axes.

    Parameters
    ----------
    input : Tensor or array_like
        At least 2-d.
    offset : int
        The diagonal: 0 (default) the main one, > 0 above it, < 0 below.
    axis1, axis2 : int
        The axes of the matrices (default 0 and 1).

    Returns
    -------
    Tensor
        The traces (int64 for an integer input, as torch's).

    Raises
    ------
    NotImplementedError
        If the input is bool, as torch.
    ValueError
        If the input has fewer than 2 dimensions or the two axes are the same.
    """
    x = as_tensor(input)
    if x.data.dtype.kind == "b":
        raise NotImplementedError("\"trace\" not implemented for 'Bool' (cast the tensor to int64 first)")
    return accumulate(x, None, "trace", lambda x: _trace(x, offset, axis1, axis2))


def _trace(x: Tensor, offset: int, axis1: int, axis2: int) -> Tensor:
    if x.ndim < 2:
        raise ValueError(f"trace: expected at least 2 dimensions, got shape {x.shape}")
    p, q = normalize_axis(axis1, x.ndim, "trace"), normalize_axis(axis2, x.ndim, "trace")
    if p == q:
        raise ValueError(f"trace: axis1 and axis2 must differ, got {axis1} and {axis2}")
    x = x.transpose([i for i in range(x.ndim) if i not in (p, q)] + [p, q])
    n, m = x.shape[-2:]
    r, c = max(-offset, 0), max(offset, 0)
    k = max(0, min(n - r, m - c))
    lead = LETTERS[: x.ndim - 2]
    return Tensor._apply(ops.EINSUM, x[..., r : r + k, c : c + k], subscripts=f"{lead}zz->{lead}")


# ---------------------------------------------------------------------------- NumPy's functions
@implements(np.einsum)
def _np_einsum(*operands: Any, out: Any = None, optimize: Any = False, **kwargs: Any) -> Tensor:
    _refuse("einsum", out=out, **kwargs)
    return einsum(*operands)


@implements(np.tensordot, np.linalg.tensordot)
def _np_tensordot(a: Any, b: Any, axes: Any = 2) -> Tensor:
    return tensordot(a, b, axes)


@implements(np.dot)
def _np_dot(a: Any, b: Any, out: Any = None) -> Tensor:
    _refuse("dot", out=out)
    return dot(a, b)


@implements(np.outer, np.linalg.outer)
def _np_outer(a: Any, b: Any, out: Any = None) -> Tensor:
    _refuse("outer", out=out)
    return outer(a, b)


@implements(np.trace)
def _np_trace(
    a: Any, offset: int = 0, axis1: int = 0, axis2: int = 1, dtype: Any = None, out: Any = None
) -> Tensor:
    _refuse("trace", dtype=dtype, out=out)
    x = as_tensor(a)  # (numpy's trace of bools counts them)
    return trace(x.to(np.int64) if x.data.dtype.kind == "b" else x, offset, axis1, axis2)


@implements(np.linalg.trace)
def _np_linalg_trace(x: Any, /, *, offset: int = 0, dtype: Any = None) -> Tensor:
    _refuse("linalg.trace", dtype=dtype)
    return trace(x, offset, -2, -1)


@implements(np.cross)
def _np_cross(
    a: Any, b: Any, axisa: int = -1, axisb: int = -1, axisc: int = -1, axis: int | None = None
) -> Tensor:
    return _cross(a, b, axisa, axisb, axisc) if axis is None else _cross(a, b, axis, axis, axis)


@implements(np.linalg.cross)
def _np_linalg_cross(x1: Any, x2: Any, /, *, axis: int = -1) -> Tensor:
    return cross(x1, x2, axis=axis)


implements(np.inner)(inner)
implements(np.vdot)(vdot)
implements(np.kron)(kron)
tensor_methods(dot=dot, vdot=vdot, inner=inner, outer=outer, kron=kron, cross=cross, trace=trace)
