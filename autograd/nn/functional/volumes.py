"""``torch.nn.functional``'s 3-d convolution and pools: ``conv3d``, ``max_pool3d``, ``avg_pool3d``,
``adaptive_avg_pool3d`` and ``adaptive_max_pool3d``, composed from the 2-d windows.

A volume's windows are the 2-d windows (the table's ``UNFOLD``) of every depth plane at once, then,
for each of the kernel's depths, the planes its windows start on (a strided slice), stacked:
:func:`unfold3d`. Its transpose, :func:`fold3d`, is ``FOLD`` of every plane's columns, each
plane's result zero-padded into its depth and summed. Both are compositions of existing
differentiable operations (reshape, transpose, slicing, stack, pad, ``UNFOLD``/``FOLD``), so every
order of derivative and ``autograd.compile`` work without a rule of their own.
"""

from __future__ import annotations

import math
from functools import partial
from typing import Any

import numpy as np

from ... import ops
from ..._operands import as_tensor
from ..._tensor import Tensor, nograd, stack
from ...ops.shape import last_nan_argmax
from .conv import batched
from .layers import pad
from .pooling import _counts, _size, never_padding

Triple = tuple[int, int, int]

__all__ = ["adaptive_avg_pool3d", "adaptive_max_pool3d", "avg_pool3d", "conv3d", "max_pool3d"]


class ShapeError(ValueError, RuntimeError):
    """A shape, size or option that does not fit: a ValueError, and a RuntimeError as torch raises."""


def triple(op: str, name: str, value: Any, least: int) -> Triple:
    """An int or 3 ints (torch's ``_triple``), each at least ``least``, named in the error."""
    items = (value,) * 3 if isinstance(value, (int, np.integer)) and not isinstance(value, bool) else value
    try:
        items = tuple(items)
    except TypeError:
        raise TypeError(f"{op}: {name} must be an int or a tuple of 3 ints, got {value!r}") from None
    if len(items) != 3:
        raise ValueError(f"{op}: {name} must be an int or a tuple of 3 ints, got {value!r}")
    for v in items:
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < least:
            raise ValueError(f"{op}: {name} must be ints of at least {least}, got {value!r}")
    return int(items[0]), int(items[1]), int(items[2])


def windows3(op: str, size: Any, kernel: Triple, dilation: Triple, padding: Triple, stride: Triple) -> Triple:
    """The number of windows along the three axes; an error naming the sizes where there are none."""
    out = tuple(
        (n + 2 * p - d * (k - 1) - 1) // s + 1
        for n, k, d, p, s in zip(size, kernel, dilation, padding, stride)
    )
    if min(out) < 1:
        span = tuple(d * (k - 1) + 1 for d, k in zip(dilation, kernel))
        padded = tuple(n + 2 * p for n, p in zip(size, padding))
        raise ShapeError(
            f"{op}: the kernel (spanning {' x '.join(map(str, span))} with its dilation) is larger than the "
            f"padded input ({' x '.join(map(str, padded))}): no window fits"
        )
    return out  # type: ignore[return-value]


def unfold3d(x: Tensor, kernel: Triple, dilation: Triple, padding: Triple, stride: Triple) -> Tensor:
    """Every window of ``(N, C, D, H, W)`` as a column, ``(N, C·kd·kh·kw, od·oh·ow)`` (zero padding),
    rows ordered as torch's 3-d weight ``(C, kd, kh, kw)``, windows depth first."""
    n, c, d = x.shape[:3]
    od, oh, ow = windows3("unfold3d", x.shape[2:], kernel, dilation, padding, stride)
    if padding[0]:
        x = pad(x, (0, 0, 0, 0, padding[0], padding[0]))
        d += 2 * padding[0]
    planes = x.transpose((0, 2, 1, 3, 4)).reshape((n * d, c, *x.shape[3:]))
    cols = Tensor._apply(
        ops.UNFOLD, planes, kernel=kernel[1:], dilation=dilation[1:], padding=padding[1:], stride=stride[1:]
    )
    cols = cols.reshape((n, d, c, kernel[1] * kernel[2], oh * ow))
    last = stride[0] * (od - 1) + 1
    depths = [cols[:, j * dilation[0] : j * dilation[0] + last : stride[0]] for j in range(kernel[0])]
    out = stack(depths, 3)  # (N, od, C, kd, kh·kw, L)
    out = out.transpose((0, 2, 3, 4, 1, 5))
    return out.reshape((n, c * kernel[0] * kernel[1] * kernel[2], od * oh * ow))


def fold3d(
    cols: Tensor, size: Triple, kernel: Triple, dilation: Triple, padding: Triple, stride: Triple
) -> Tensor:
    """The transpose of :func:`unfold3d`: columns ``(N, C·kd·kh·kw, od·oh·ow)`` added back into
    ``(N, C, *size)`` (overlapping windows sum)."""
    od, oh, ow = windows3("fold3d", size, kernel, dilation, padding, stride)
    n = cols.shape[0]
    kd, k2 = kernel[0], kernel[1] * kernel[2]
    c = cols.shape[1] // (kd * k2)
    r = cols.reshape((n, c, kd, k2, od, oh * ow)).transpose((0, 2, 4, 1, 3, 5))
    r = r.reshape((n * kd * od, c * k2, oh * ow))
    planes = Tensor._apply(
        ops.FOLD,
        r,
        output_size=size[1:],
        kernel=kernel[1:],
        dilation=dilation[1:],
        padding=padding[1:],
        stride=stride[1:],
    )
    m = c * size[1] * size[2]
    planes = planes.reshape((n, kd, od, 1, m))
    if stride[0] > 1:  # (od planes stride apart: each followed by stride - 1 planes of zeros)
        planes = pad(planes, (0, 0, 0, stride[0] - 1))
    planes = planes.reshape((n, kd, od * stride[0], m))
    full = size[0] + 2 * padding[0]
    out = None
    for j in range(kd):
        left = j * dilation[0]
        part = pad(planes[:, j], (0, 0, left, full - left - od * stride[0]))
        out = part if out is None else out + part
    assert out is not None
    out = out[:, padding[0] : padding[0] + size[0]] if padding[0] else out
    return out.reshape((n, size[0], c, *size[1:])).transpose((0, 2, 1, 3, 4))


def conv3d(input: Any, weight: Any, bias: Any = None, stride: Any = 1, padding: Any = 0, dilation: Any = 1,
           groups: int = 1) -> Tensor:  # fmt: skip
    """3-d convolution (a cross-correlation), ``torch.nn.functional.conv3d``: as
    :func:`~autograd.nn.functional.conv2d` over depth, height and width, computed as
    ``w.reshape(C_out, -1) @ unfold3d(input)`` (per group).

    Parameters
    ----------
    input : Tensor or array_like
        Shape ``(N, C_in, D, H, W)`` or ``(C_in, D, H, W)``.
    weight : Tensor or array_like
        Shape ``(C_out, C_in / groups, kd, kh, kw)``.
    bias : Tensor or array_like, optional
        Shape ``(C_out,)``.
    stride, dilation : int or tuple of int
        The spacing of the windows, and of a window's elements (default 1).
    padding : int, tuple of int, "valid" or "same"
        Zeros added on each side; "same" keeps the size (stride 1 only; an odd total goes on the
        far side, as torch).
    groups : int
        Channels split into this many groups, each convolved with its own kernels (default 1).

    Returns
    -------
    Tensor
        Shape ``(N, C_out, D_out, H_out, W_out)`` (no N unbatched).

    Raises
    ------
    ValueError
        If the shapes, the groups or the padding do not fit (the message names which).
    """
    op = "conv3d"
    x, added = batched(op, input, 3)
    w = as_tensor(weight, what=f"{op}: weight")
    if w.ndim != 5:
        raise ShapeError(
            f"{op}: expected a 5-d weight (C_out, C_in / groups, kd, kh, kw), got shape {tuple(w.shape)}"
        )
    stride, dilation = triple(op, "stride", stride, 1), triple(op, "dilation", dilation, 1)
    if isinstance(groups, bool) or not isinstance(groups, int) or groups < 1:
        raise ValueError(f"{op}: groups must be a positive int, got {groups!r}")
    n, c_in = x.shape[:2]
    c_out, c_group = w.shape[:2]
    kernel: Triple = tuple(w.shape[2:])  # type: ignore[assignment]
    if c_in != c_group * groups:
        raise ShapeError(
            f"{op}: the input has {c_in} channels, but the weight {tuple(w.shape[:2])} with groups={groups} "
            f"expects {c_group * groups}"
        )
    if c_out % groups:
        raise ShapeError(f"{op}: the weight's {c_out} output channels are not divisible by groups={groups}")
    x, pads = _padded(op, x, padding, kernel, dilation, stride)
    od, oh, ow = windows3(op, x.shape[2:], kernel, dilation, pads, stride)
    cols = unfold3d(x, kernel, dilation, pads, stride)
    per = c_group * math.prod(kernel)
    if groups == 1:
        out = w.reshape((c_out, per)) @ cols
    else:
        out = w.reshape((groups, c_out // groups, per)) @ cols.reshape((n, groups, per, od * oh * ow))
    out = out.reshape((n, c_out, od, oh, ow))
    if bias is not None:
        b = as_tensor(bias, what=f"{op}: bias")
        if b.shape != (c_out,):
            raise ShapeError(f"{op}: expected a bias of shape ({c_out},), got {tuple(b.shape)}")
        out = out + b.reshape((c_out, 1, 1, 1))
    return out.reshape(out.shape[1:]) if added else out


def _padded(
    op: str, x: Tensor, padding: Any, kernel: Triple, dilation: Triple, stride: Triple
) -> tuple[Tensor, Triple]:
    """The input and the symmetric padding to unfold it with ("same"'s odd totals padded here first,
    on the far side, as torch)."""
    if not isinstance(padding, str):
        return x, triple(op, "padding", padding, 0)
    if padding == "valid":
        return x, (0, 0, 0)
    if padding != "same":
        raise ValueError(
            f"{op}: padding must be an int, a tuple of 3 ints, 'valid' or 'same', got {padding!r}"
        )
    if stride != (1, 1, 1):
        raise ValueError(f"{op}: padding='same' is not supported for strided convolutions (stride {stride})")
    total = [d * (k - 1) for d, k in zip(dilation, kernel)]
    left: Triple = (total[0] // 2, total[1] // 2, total[2] // 2)
    extra = [t - 2 * h for t, h in zip(total, left)]
    if any(extra):
        x = pad(x, (0, extra[2], 0, extra[1], 0, extra[0]))
    return x, left


def _pool_options(op: str, kernel_size: Any, stride: Any, padding: Any, dilation: Any) -> tuple[Triple, ...]:
    kernel = triple(op, "kernel_size", kernel_size, 1)
    none = stride is None or (isinstance(stride, (tuple, list)) and not stride)
    stride = kernel if none else triple(op, "stride", stride, 1)
    padding, dilation = triple(op, "padding", padding, 0), triple(op, "dilation", dilation, 1)
    if any(p > k // 2 for p, k in zip(padding, kernel)):
        raise ValueError(
            f"{op}: pad should be at most half of effective kernel size, got padding={padding} for "
            f"kernel_size={kernel}"
        )
    return kernel, stride, padding, dilation


def max_pool3d(input: Any, kernel_size: Any, stride: Any = None, padding: Any = 0, dilation: Any = 1,
               ceil_mode: bool = False, return_indices: bool = False) -> Any:  # fmt: skip
    """The maximum of each window of a volume (``torch.nn.functional.max_pool3d``): as
    :func:`~autograd.nn.functional.max_pool2d` over depth, height and width, the gradient to each
    window's first maximum (its last nan, where it holds one, as torch's).

    Parameters
    ----------
    input : Tensor or array_like
        Shape ``(N, C, D, H, W)`` or ``(C, D, H, W)``.
    kernel_size : int or tuple of int
        The window's size.
    stride : int or tuple of int, optional
        The windows' spacing (default: ``kernel_size``).
    padding : int or tuple of int
        Added on each side, at most half the kernel; never the maximum (default 0).
    dilation : int or tuple of int
        The spacing of a window's elements (default 1).
    ceil_mode : bool
        Count a last, partial window that starts inside the input (default False).
    return_indices : bool
        Also return each maximum's position in its channel, ``(d · H + h) · W + w`` (default False).

    Returns
    -------
    Tensor or tuple of Tensor
        Shape ``(N, C, D_out, H_out, W_out)``; with ``return_indices``, the int64 positions too.
    """
    op = "max_pool3d"
    x, added = batched(op, input, 3)
    kernel, stride, padding, dilation = _pool_options(op, kernel_size, stride, padding, dilation)
    n, c = x.shape[:2]
    size = x.shape[2:]
    out = tuple(_size(op, *a, ceil_mode) for a in zip(size, kernel, padding, stride, dilation))
    xp, inf_padded = x, False
    for axis in (2, 1, 0):  # (the width first: the edges then repeat its padding, as in 2-d)
        extra = max(
            (out[axis] - 1) * stride[axis]
            + dilation[axis] * (kernel[axis] - 1)
            + 1
            - (size[axis] + 2 * padding[axis]),
            0,
        )
        left, right = padding[axis], padding[axis] + extra
        if left or right:
            where = [0] * 6
            where[2 * (2 - axis)], where[2 * (2 - axis) + 1] = left, right
            # an undilated window holds the edge it repeats; a dilated one may not, so there -inf
            xp = (
                pad(xp, tuple(where), mode="replicate")
                if dilation[axis] == 1
                else pad(xp, tuple(where), value=-math.inf)
            )
            inf_padded |= dilation[axis] > 1
    cols = unfold3d(xp, kernel, dilation, (0, 0, 0), stride).reshape(
        (n, c, math.prod(kernel), math.prod(out))
    )
    values = Tensor._apply(ops.POOL_MAX, cols, axis=2)
    if inf_padded:
        values = never_padding(values, cols, size, out, kernel, stride, padding, dilation)
    values = values.reshape((n, c, *out))
    if added:
        values = values.reshape(values.shape[1:])
    if not return_indices:
        return values
    shape = values.shape  # (nograd: each call's positions, not the trace's)
    return values, nograd(
        lambda d: _positions(last_nan_argmax(d, 2), size, out, kernel, stride, padding, dilation).reshape(
            shape
        ),
        cols,
    )


def _positions(k: np.ndarray, size: Any, out: Any, kernel: Triple, stride: Triple, padding: Triple,
               dilation: Triple) -> np.ndarray:  # fmt: skip
    """``(d · H + h) · W + w`` in the input of each window's chosen element (its place ``k`` in the
    window): a repeated edge is the edge itself; a padding -inf the window's first element."""
    grids = np.meshgrid(*(np.arange(o) for o in out), indexing="ij")
    places = np.unravel_index(k, kernel)
    coords, firsts, outside = [], [], np.zeros(k.shape, bool)
    for axis in range(3):
        corner = grids[axis].reshape(-1) * stride[axis] - padding[axis]
        at = corner + places[axis] * dilation[axis]
        firsts.append(corner + np.maximum(0, -(corner // dilation[axis])) * dilation[axis])
        if dilation[axis] > 1:
            outside |= (at < 0) | (at >= size[axis])
        coords.append(at)
    flat = np.zeros(k.shape, np.int64)
    for axis in range(3):
        at = np.where(outside, firsts[axis], coords[axis]).clip(0, size[axis] - 1)
        flat = flat * size[axis] + at
    return flat


def avg_pool3d(input: Any, kernel_size: Any, stride: Any = None, padding: Any = 0, ceil_mode: bool = False,
               count_include_pad: bool = True, divisor_override: int | None = None) -> Tensor:  # fmt: skip
    """The mean of each window of a volume (``torch.nn.functional.avg_pool3d``): as
    :func:`~autograd.nn.functional.avg_pool2d` over depth, height and width.

    Parameters
    ----------
    input : Tensor or array_like
        Shape ``(N, C, D, H, W)`` or ``(C, D, H, W)``.
    kernel_size : int or tuple of int
        The window's size.
    stride : int or tuple of int, optional
        The windows' spacing (default: ``kernel_size``).
    padding : int or tuple of int
        Zeros added on each side, at most half the kernel (default 0).
    ceil_mode : bool
        Count a last, partial window that starts inside the input (default False).
    count_include_pad : bool
        Count the padding in the divisor (default True).
    divisor_override : int, optional
        Divide every sum by this instead.

    Returns
    -------
    Tensor
        Shape ``(N, C, D_out, H_out, W_out)``.
    """
    op = "avg_pool3d"
    x, added = batched(op, input, 3)
    kernel, stride, padding, _ = _pool_options(op, kernel_size, stride, padding, 1)
    if divisor_override is not None and (
        isinstance(divisor_override, bool) or not isinstance(divisor_override, int) or divisor_override == 0
    ):
        raise ValueError(f"{op}: divisor_override must be a nonzero int, got {divisor_override!r}")
    n, c = x.shape[:2]
    size = x.shape[2:]
    if any(s < k for s, k in zip(size, kernel)):  # (torch's avg_pool3d checks the unpadded input)
        raise ShapeError(
            f"{op}: input image (T: {size[0]} H: {size[1]} W: {size[2]}) smaller than kernel size "
            f"(kT: {kernel[0]} kH: {kernel[1]} kW: {kernel[2]})"
        )
    out = tuple(_size(op, s, k, p, st, 1, ceil_mode) for s, k, p, st in zip(size, kernel, padding, stride))
    extra = [
        max((o - 1) * s + k - (n_ + 2 * p), 0) for o, s, k, n_, p in zip(out, stride, kernel, size, padding)
    ]
    pads = (
        padding[2],
        padding[2] + extra[2],
        padding[1],
        padding[1] + extra[1],
        padding[0],
        padding[0] + extra[0],
    )
    xp = pad(x, pads) if any(pads) else x
    cols = unfold3d(xp, kernel, (1, 1, 1), (0, 0, 0), stride)
    sums = cols.reshape((n, c, math.prod(kernel), math.prod(out))).sum(2)
    if divisor_override is not None:
        divisor = np.full(math.prod(out), float(divisor_override))
    else:
        counts = [_counts(*a, count_include_pad) for a in zip(size, out, kernel, stride, padding)]
        divisor = np.multiply.outer(np.multiply.outer(counts[0], counts[1]), counts[2]).reshape(-1)
    result = (sums / divisor.astype(sums.dtype)).reshape((n, c, *out))
    return result.reshape(result.shape[1:]) if added else result


def _adaptive3(op: str, input: Any, output_size: Any) -> tuple[Tensor, bool, Triple, list[list[slice]]]:
    x, added = batched(op, input, 3)
    items = tuple(output_size) if isinstance(output_size, (tuple, list)) else (output_size,) * 3
    if len(items) != 3:
        raise ValueError(f"{op}: output_size must be an int or 3 ints (or None), got {output_size!r}")
    size = tuple(x.shape[2 + i] if s is None else s for i, s in enumerate(items))
    for s in size:
        if isinstance(s, bool) or not isinstance(s, (int, np.integer)) or s < 1:
            raise ValueError(f"{op}: output_size must be positive ints (or None), got {output_size!r}")
    spans = [
        [slice((i * m) // o, math.ceil((i + 1) * m / o)) for i in range(o)] for m, o in zip(x.shape[2:], size)
    ]
    return x, added, size, spans  # type: ignore[return-value]


def adaptive_avg_pool3d(input: Any, output_size: Any) -> Tensor:
    """The mean over each of ``output_size`` windows that tile a volume
    (``torch.nn.functional.adaptive_avg_pool3d``): window i of an axis of n runs from
    ``floor(i·n/out)`` to ``ceil((i+1)·n/out)``.

    Parameters
    ----------
    input : Tensor or array_like
        Shape ``(N, C, D, H, W)`` or ``(C, D, H, W)``.
    output_size : int or tuple of int
        ``(D_out, H_out, W_out)``; None in place of one keeps the input's size.

    Returns
    -------
    Tensor
        Shape ``(N, C, D_out, H_out, W_out)``.
    """
    return _adaptive_pool3d("adaptive_avg_pool3d", input, output_size, False, False)


def adaptive_max_pool3d(input: Any, output_size: Any, return_indices: bool = False) -> Any:
    """The maximum over each of ``output_size`` windows that tile a volume
    (``torch.nn.functional.adaptive_max_pool3d``), windows as :func:`adaptive_avg_pool3d`'s, the
    gradient to each window's first maximum (its last nan, where it holds one, as torch's).

    Parameters
    ----------
    input : Tensor or array_like
        Shape ``(N, C, D, H, W)`` or ``(C, D, H, W)``.
    output_size : int or tuple of int
        ``(D_out, H_out, W_out)``; None in place of one keeps the input's size.
    return_indices : bool
        Also return each maximum's ``(d · H + h) · W + w`` (default False).

    Returns
    -------
    Tensor or tuple of Tensor
        Shape ``(N, C, D_out, H_out, W_out)``; with ``return_indices``, the int64 positions too.
    """
    return _adaptive_pool3d("adaptive_max_pool3d", input, output_size, True, return_indices)


def _adaptive_pool3d(op: str, input: Any, output_size: Any, maximum: bool, return_indices: bool) -> Any:
    x, added, size, (depths, rows, cols) = _adaptive3(op, input, output_size)
    n, c, _, h, w = x.shape
    values, indices = [], []
    for d in depths:
        for r in rows:
            for q in cols:
                window = x[:, :, d, r, q]
                if maximum:
                    flat = window.reshape((n, c, -1))
                    v = Tensor._apply(ops.POOL_MAX, flat, axis=2).squeeze(2)
                    if return_indices:  # (each call's positions, not the trace's)
                        indices.append(nograd(partial(_place3, d=d, r=r, q=q, h=h, w=w), flat))
                else:
                    v = window.mean((2, 3, 4))
                values.append(v)
    out = stack(values, -1).reshape((n, c, *size))
    if added:
        out = out.reshape(out.shape[1:])
    if not return_indices:
        return out
    shape = out.shape
    return out, nograd(lambda *ks: np.stack(ks, -1).reshape(shape).astype(np.int64), *indices)


def _place3(flat: np.ndarray, d: slice, r: slice, q: slice, h: int, w: int) -> np.ndarray:
    """``(d · H + h) · W + w`` in the input of each window's chosen element (``flat``: the windows
    ``[d, r, q]`` as rows)."""
    dd, rr, qq = np.unravel_index(
        last_nan_argmax(flat, 2), (d.stop - d.start, r.stop - r.start, q.stop - q.start)
    )
    return ((d.start + dd) * h + r.start + rr) * w + q.start + qq
