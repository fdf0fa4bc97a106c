"""``torch.nn.functional``'s pooling: ``max_pool1d``/``2d``, ``avg_pool1d``/``2d`` and their adaptive
forms, each a reduction over the columns of :func:`~autograd.nn.functional.unfold`.

A max pool's gradient goes to each window's first maximum, or its last nan where it holds one, as
torch's pooling kernels choose (``val > max || isnan(val)``; ``torch.max(dim)`` takes the first
nan): the selection is the table's ``pool_max`` primitive, made at every call. Where a window's
elements are adjacent, its padding repeats the edge (F.pad "replicate") rather than adding -inf: the
maximum is the same, and a window whose elements are all -inf still sends its gradient to its
first element, as torch's does. A dilated window is padded with -inf; where its first maximum is a
padding -inf (a window of -infs), it takes its first element inside the input instead
(:func:`never_padding`), torch's index and gradient.
"""

from __future__ import annotations

import math
from functools import partial
from typing import Any

import numpy as np

from ... import ops
from ..._tensor import Tensor, nograd, where
from ...ops.shape import last_nan_argmax
from .conv import Pair, batched, height_one, pair
from .layers import pad

__all__ = [
    "adaptive_avg_pool1d",
    "adaptive_avg_pool2d",
    "adaptive_max_pool1d",
    "adaptive_max_pool2d",
    "avg_pool1d",
    "avg_pool2d",
    "max_pool1d",
    "max_pool2d",
]


def _size(op: str, size: int, kernel: int, padding: int, stride: int, dilation: int, ceil_mode: bool) -> int:
    """torch's pooling output size: the windows starting inside the input or its left padding."""
    span = dilation * (kernel - 1) + 1
    out = (size + 2 * padding - span + (stride - 1 if ceil_mode else 0)) // stride + 1
    if ceil_mode and (out - 1) * stride >= size + padding:
        out -= 1
    if out < 1:
        raise ValueError(
            f"{op}: the input's size {size} with padding {padding} is smaller than the kernel's span "
            f"{span}: the output would be empty"
        )
    return out


def _options(
    op: str, kernel_size: Any, stride: Any, padding: Any, dilation: Any
) -> tuple[Pair, Pair, Pair, Pair]:
    kernel = pair(op, "kernel_size", kernel_size, 1)
    stride = (
        kernel
        if stride is None or (isinstance(stride, (tuple, list)) and not stride)
        else pair(op, "stride", stride, 1)
    )
    padding, dilation = pair(op, "padding", padding, 0), pair(op, "dilation", dilation, 1)
    if padding[0] > kernel[0] // 2 or padding[1] > kernel[1] // 2:
        raise ValueError(
            f"{op}: padding must be at most half the kernel size, got padding={padding} for "
            f"kernel_size={kernel}"
        )
    return kernel, stride, padding, dilation


def max_pool2d(input: Any, kernel_size: Any, stride: Any = None, padding: Any = 0, dilation: Any = 1,
               ceil_mode: bool = False, return_indices: bool = False) -> Any:  # fmt: skip
    """The maximum of each window (``torch.nn.functional.max_pool2d``).

    Parameters
    ----------
    input : Tensor or array_like
        Shape ``(N, C, H, W)`` or ``(C, H, W)``.
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
        Also return each maximum's position in its channel, ``row · W + column`` (default False).

    Returns
    -------
    Tensor or tuple of Tensor
        Shape ``(N, C, H_out, W_out)``; with ``return_indices``, the int64 positions too.
    """
    return _max_pool(
        "max_pool2d", input, kernel_size, stride, padding, dilation, ceil_mode, return_indices, 2
    )


def max_pool1d(input: Any, kernel_size: Any, stride: Any = None, padding: Any = 0, dilation: Any = 1,
               ceil_mode: bool = False, return_indices: bool = False) -> Any:  # fmt: skip
    """The maximum of each window along the last axis (``torch.nn.functional.max_pool1d``): as
    :func:`max_pool2d`, on ``(N, C, L)`` or ``(C, L)``, the options ints.

    Parameters
    ----------
    input : Tensor or array_like
        Shape ``(N, C, L)`` or ``(C, L)``.
    kernel_size, stride, padding, dilation : int
        As :func:`max_pool2d`'s, along one axis (``stride`` defaults to ``kernel_size``).
    ceil_mode, return_indices : bool
        As :func:`max_pool2d`'s.

    Returns
    -------
    Tensor or tuple of Tensor
        Shape ``(N, C, L_out)``; with ``return_indices``, the int64 positions too.
    """
    return _max_pool(
        "max_pool1d", input, kernel_size, stride, padding, dilation, ceil_mode, return_indices, 1
    )


def _max_pool(op: str, input: Any, kernel_size: Any, stride: Any, padding: Any, dilation: Any,
              ceil_mode: bool, return_indices: bool, spatial: int) -> Any:  # fmt: skip
    x, added = batched(op, input, spatial)
    if spatial == 1:
        x = x.reshape((x.shape[0], x.shape[1], 1, x.shape[2]))
        kernel_size, stride = (
            height_one(op, "kernel_size", kernel_size, 1, 1),
            height_one(op, "stride", stride, 1, 1),
        )
        padding, dilation = (
            height_one(op, "padding", padding, 0, 0),
            height_one(op, "dilation", dilation, 1, 1),
        )
    kernel, stride, padding, dilation = _options(op, kernel_size, stride, padding, dilation)
    n, c, h, w = x.shape
    oh = _size(op, h, kernel[0], padding[0], stride[0], dilation[0], ceil_mode)
    ow = _size(op, w, kernel[1], padding[1], stride[1], dilation[1], ceil_mode)
    extra = [
        max((o - 1) * s + d * (k - 1) + 1 - (size + 2 * p), 0)
        for o, s, d, k, size, p in zip((oh, ow), stride, dilation, kernel, (h, w), padding)
    ]
    xp = x
    for axis in (1, 0):  # (the width, then the height: its edge rows then hold the width's padding)
        left, right = padding[axis], padding[axis] + extra[axis]
        if left or right:
            where = (left, right, 0, 0) if axis else (0, 0, left, right)
            # an undilated window holds the edge it repeats; a dilated one may not, so there -inf
            xp = pad(xp, where, mode="replicate") if dilation[axis] == 1 else pad(xp, where, value=-math.inf)
    cols = Tensor._apply(ops.UNFOLD, xp, kernel=kernel, dilation=dilation, padding=(0, 0), stride=stride)
    cols = cols.reshape((n, c, kernel[0] * kernel[1], oh * ow))
    values = Tensor._apply(ops.POOL_MAX, cols, axis=2)  # (the first maximum, or the last nan)
    if any(d > 1 and (p or e) for d, p, e in zip(dilation, padding, extra)):
        values = never_padding(values, cols, (h, w), (oh, ow), kernel, stride, padding, dilation)
    values = values.reshape((n, c, oh, ow) if spatial == 2 else (n, c, ow))
    if added:
        values = values.reshape(values.shape[1:])
    if not return_indices:
        return values
    # (nograd: a compiled step finds the positions in each call's windows, not the trace's)
    shape = values.shape
    return values, nograd(
        lambda d: _positions(
            last_nan_argmax(d, 2), (h, w), (oh, ow), kernel, stride, padding, dilation
        ).reshape(shape),
        cols,
    )


def never_padding(values: Tensor, cols: Tensor, size: Any, out: Any, kernel: Any, stride: Any, padding: Any,
                  dilation: Any) -> Tensor:  # fmt: skip
    """A max pool's ``values`` (each window's first maximum of ``cols``, shape ``(N, C, window,
    windows)``) where a dilated window is padded with -inf: torch never takes a padding element, so
    a window of -infs whose first maximum here is padding takes its first element inside the input
    instead (the same -inf; its gradient goes there, to the element its index names, as torch's)."""
    grids = [g.reshape(-1) for g in np.meshgrid(*(np.arange(o) for o in out), indexing="ij")]
    corners = [g * s - p for g, s, p in zip(grids, stride, padding)]
    shape = values.shape
    first = np.zeros(corners[0].shape, np.int64)  # (each window's place of its first element inside)
    for corner, k, d in zip(corners, kernel, dilation):
        first = first * k + np.minimum(np.maximum(0, -(corner // d)), k - 1)

    def padding_chosen(data: np.ndarray) -> np.ndarray:
        places = np.unravel_index(last_nan_argmax(data, 2), tuple(kernel))
        out_ = np.zeros(data.shape[:2] + data.shape[3:], bool)
        for place, corner, d, n in zip(places, corners, dilation, size):
            at = corner + place * d
            out_ |= (d > 1) & ((at < 0) | (at >= n))
        return out_.reshape(shape)

    index = np.broadcast_to(first, (*cols.shape[:2], 1, first.size)).copy()
    inside = cols.gather(2, Tensor._node(index)).reshape(shape)
    return where(nograd(padding_chosen, cols), inside, values)


def _positions(k: np.ndarray, size: Pair, out: Pair, kernel: Pair, stride: Pair, padding: Pair,
               dilation: Pair) -> np.ndarray:  # fmt: skip
    """``row · W + column`` in the input of each window's chosen element (its place ``k`` in the
    window): a repeated edge is the edge itself; a padding -inf (only a window of -infs chooses
    one) is the window's first element, as torch's index."""
    corner_r = np.arange(out[0]).repeat(out[1]) * stride[0] - padding[0]
    corner_c = np.tile(np.arange(out[1]), out[0]) * stride[1] - padding[1]
    rows = corner_r + (k // kernel[1]) * dilation[0]
    cols = corner_c + (k % kernel[1]) * dilation[1]
    first_r = corner_r + np.maximum(0, -(corner_r // dilation[0])) * dilation[0]
    first_c = corner_c + np.maximum(0, -(corner_c // dilation[1])) * dilation[1]
    outside = ((dilation[0] > 1) & ((rows < 0) | (rows >= size[0]))) | (
        (dilation[1] > 1) & ((cols < 0) | (cols >= size[1]))
    )
    rows = np.where(outside, first_r, rows).clip(0, size[0] - 1)
    cols = np.where(outside, first_c, cols).clip(0, size[1] - 1)
    return (rows * size[1] + cols).astype(np.int64)


def avg_pool2d(input: Any, kernel_size: Any, stride: Any = None, padding: Any = 0, ceil_mode: bool = False,
               count_include_pad: bool = True, divisor_override: int | None = None) -> Tensor:  # fmt: skip
    """The mean of each window (``torch.nn.functional.avg_pool2d``): its sum over the window's elements
    divided by the window's size, or, without ``count_include_pad``, by how many elements of the input
    it holds (padding is zero).

    Parameters
    ----------
    input : Tensor or array_like
        Shape ``(N, C, H, W)`` or ``(C, H, W)``.
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
        Shape ``(N, C, H_out, W_out)``.
    """
    return _avg_pool("avg_pool2d", input, kernel_size, stride, padding, ceil_mode, count_include_pad,
                     divisor_override, 2)  # fmt: skip


def avg_pool1d(input: Any, kernel_size: Any, stride: Any = None, padding: Any = 0, ceil_mode: bool = False,
               count_include_pad: bool = True) -> Tensor:  # fmt: skip
    """The mean of each window along the last axis (``torch.nn.functional.avg_pool1d``): as
    :func:`~autograd.nn.functional.avg_pool2d` on ``(N, C, L)`` or ``(C, L)``, the options ints.

    Parameters
    ----------
    input : Tensor or array_like
        Shape ``(N, C, L)`` or ``(C, L)``.
    kernel_size, stride, padding : int
        As :func:`~autograd.nn.functional.avg_pool2d`'s, along one axis (``stride`` defaults to
        ``kernel_size``).
    ceil_mode, count_include_pad : bool
        As :func:`~autograd.nn.functional.avg_pool2d`'s.

    Returns
    -------
    Tensor
        Shape ``(N, C, L_out)``.
    """
    return _avg_pool("avg_pool1d", input, kernel_size, stride, padding, ceil_mode, count_include_pad, None, 1)


def _avg_pool(op: str, input: Any, kernel_size: Any, stride: Any, padding: Any, ceil_mode: bool,
              count_include_pad: bool, divisor_override: int | None, spatial: int) -> Tensor:  # fmt: skip
    x, added = batched(op, input, spatial)
    if spatial == 1:
        x = x.reshape((x.shape[0], x.shape[1], 1, x.shape[2]))
        kernel_size, stride, padding = (
            height_one(op, "kernel_size", kernel_size, 1, 1),
            height_one(op, "stride", stride, 1, 1),
            height_one(op, "padding", padding, 0, 0),
        )
    kernel, stride, padding, _ = _options(op, kernel_size, stride, padding, 1)
    if divisor_override is not None and (
        isinstance(divisor_override, bool) or not isinstance(divisor_override, int) or divisor_override == 0
    ):
        raise ValueError(f"{op}: divisor_override must be a nonzero int, got {divisor_override!r}")
    n, c, h, w = x.shape
    oh = _size(op, h, kernel[0], padding[0], stride[0], 1, ceil_mode)
    ow = _size(op, w, kernel[1], padding[1], stride[1], 1, ceil_mode)
    extra = [
        max((o - 1) * s + k - (size + 2 * p), 0)
        for o, s, k, size, p in zip((oh, ow), stride, kernel, (h, w), padding)
    ]
    pads = (padding[1], padding[1] + extra[1], padding[0], padding[0] + extra[0])
    xp = pad(x, pads) if any(pads) else x
    cols = Tensor._apply(ops.UNFOLD, xp, kernel=kernel, dilation=(1, 1), padding=(0, 0), stride=stride)
    sums = cols.reshape((n, c, kernel[0] * kernel[1], oh * ow)).sum(2)
    if divisor_override is not None:
        divisor = np.full(oh * ow, float(divisor_override))
    else:
        divisor = np.outer(
            _counts(h, oh, kernel[0], stride[0], padding[0], count_include_pad),
            _counts(w, ow, kernel[1], stride[1], padding[1], count_include_pad),
        ).reshape(-1)
    out = sums / divisor.astype(sums.dtype)
    out = out.reshape((n, c, oh, ow) if spatial == 2 else (n, c, ow))
    return out.reshape(out.shape[1:]) if added else out


def _counts(size: int, out: int, kernel: int, stride: int, padding: int, include_pad: bool) -> np.ndarray:
    """Each window's extent along one axis, as torch's divisor counts it."""
    start = np.arange(out) * stride - padding
    end = np.minimum(start + kernel, size + padding)
    if include_pad:
        return (end - start).astype(np.float64)
    return (np.minimum(end, size) - np.maximum(start, 0)).astype(np.float64)


def _adaptive(
    op: str, input: Any, output_size: Any, spatial: int
) -> tuple[Tensor, bool, Pair, list[list[slice]]]:
    """The input with a batch axis and height, the output size and each output axis's windows
    (torch's: ``floor(i·n/out)`` to ``ceil((i+1)·n/out)``)."""
    x, added = batched(op, input, spatial)
    if spatial == 1:
        x = x.reshape((x.shape[0], x.shape[1], 1, x.shape[2]))
        output_size = height_one(op, "output_size", output_size, 1, 1)
    if not isinstance(output_size, (tuple, list)):
        output_size = (output_size, output_size)
    if len(output_size) != 2:
        raise ValueError(f"{op}: expected an output size of {spatial} ints, got {output_size!r}")
    size = tuple(x.shape[2 + i] if s is None else s for i, s in enumerate(output_size))
    for s in size:
        if isinstance(s, bool) or not isinstance(s, int) or s < 1:
            raise ValueError(f"{op}: output_size must be positive ints (or None), got {output_size!r}")
    spans = [
        [slice((i * n) // o, math.ceil((i + 1) * n / o)) for i in range(o)] for n, o in zip(x.shape[2:], size)
    ]
    return x, added, size, spans


def adaptive_avg_pool2d(input: Any, output_size: Any) -> Tensor:
    """The mean over each of ``output_size`` windows that tile the input
    (``torch.nn.functional.adaptive_avg_pool2d``): window i of an axis of n runs from
    ``floor(i·n/out)`` to ``ceil((i+1)·n/out)``.

    Parameters
    ----------
    input : Tensor or array_like
        Shape ``(N, C, H, W)`` or ``(C, H, W)``.
    output_size : int or tuple of int
        ``(H_out, W_out)``; None in place of one keeps the input's size.

    Returns
    -------
    Tensor
        Shape ``(N, C, H_out, W_out)``.
    """
    return _adaptive_pool("adaptive_avg_pool2d", input, output_size, 2, False)


def adaptive_avg_pool1d(input: Any, output_size: Any) -> Tensor:
    """:func:`~autograd.nn.functional.adaptive_avg_pool2d` along the last axis of ``(N, C, L)`` or ``(C, L)``
    (``torch.nn.functional.adaptive_avg_pool1d``).

    Parameters
    ----------
    input : Tensor or array_like
        Shape ``(N, C, L)`` or ``(C, L)``.
    output_size : int
        The output's length.
    """
    return _adaptive_pool("adaptive_avg_pool1d", input, output_size, 1, False)


def adaptive_max_pool2d(input: Any, output_size: Any, return_indices: bool = False) -> Any:
    """The maximum over each of ``output_size`` windows that tile the input
    (``torch.nn.functional.adaptive_max_pool2d``), windows as
    :func:`~autograd.nn.functional.adaptive_avg_pool2d`'s, the gradient to each window's first maximum
    (its last nan, where it holds one, as torch's).

    Parameters
    ----------
    input : Tensor or array_like
        Shape ``(N, C, H, W)`` or ``(C, H, W)``.
    output_size : int or tuple of int
        ``(H_out, W_out)``; None in place of one keeps the input's size.
    return_indices : bool
        Also return each maximum's ``row · W + column`` (default False).

    Returns
    -------
    Tensor or tuple of Tensor
        Shape ``(N, C, H_out, W_out)``; with ``return_indices``, each maximum's ``row · W + column``.
    """
    return _adaptive_pool("adaptive_max_pool2d", input, output_size, 2, True, return_indices)


def adaptive_max_pool1d(input: Any, output_size: Any, return_indices: bool = False) -> Any:
    """:func:`adaptive_max_pool2d` along the last axis of ``(N, C, L)`` or ``(C, L)``
    (``torch.nn.functional.adaptive_max_pool1d``).

    Parameters
    ----------
    input : Tensor or array_like
        Shape ``(N, C, L)`` or ``(C, L)``.
    output_size : int
        The output's length.
    return_indices : bool
        Also return each maximum's position (default False).
    """
    return _adaptive_pool("adaptive_max_pool1d", input, output_size, 1, True, return_indices)


def _adaptive_pool(op: str, input: Any, output_size: Any, spatial: int, maximum: bool,
                   return_indices: bool = False) -> Any:  # fmt: skip
    from ..._tensor import stack

    x, added, size, (rows, cols) = _adaptive(op, input, output_size, spatial)
    n, c, h, w = x.shape
    values, indices = [], []
    for r in rows:
        for q in cols:
            window = x[:, :, r, q]
            if maximum:
                flat = window.reshape((n, c, -1))
                v = Tensor._apply(ops.POOL_MAX, flat, axis=2).squeeze(2)
                if return_indices:  # (each call's positions, not the trace's)
                    indices.append(nograd(partial(_place2, r=r, q=q, w=w), flat))
            else:
                v = window.mean((2, 3))
            values.append(v)
    out = stack(values, -1).reshape((n, c, *size) if spatial == 2 else (n, c, size[1]))
    if added:
        out = out.reshape(out.shape[1:])
    if not return_indices:
        return out
    shape = out.shape
    return out, nograd(lambda *ks: np.stack(ks, -1).reshape(shape).astype(np.int64), *indices)


def _place2(flat: np.ndarray, r: slice, q: slice, w: int) -> np.ndarray:
    """``row · W + column`` in the input of each window's chosen element (``flat``: the windows
    ``[r, q]`` as rows, ``(N, C, len(r) · len(q))``)."""
    k = last_nan_argmax(flat, 2)
    width = q.stop - q.start
    return (r.start + k // width) * w + q.start + k % width
