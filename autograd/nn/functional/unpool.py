"""``torch.nn.functional``'s ``max_unpool1d``/``2d``/``3d``: a max pool's partial inverse. Each
input element is written at its position (``indices``, as ``max_pool*(return_indices=True)`` give
them: the flat position in its channel of the input the pool saw) of an output of zeros.

The table's ``MAX_UNPOOL``: each output element is the input element written there (or a zero),
found from ``indices`` at every call (a compiled step's own). Where two elements share a position
(overlapping windows with one maximum), the later one in the channel is written, as torch's CPU
kernel does (torch's documentation calls repeated indices nondeterministic). The gradient is
torch's: each input element gets the output's gradient at its position, so two sharing a position
both get it; its own derivative (create_graph) is that gather's.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ... import ops
from ..._tensor import Tensor, nograd
from .conv import batched, pair
from .volumes import triple

__all__ = ["max_unpool1d", "max_unpool2d", "max_unpool3d"]


def max_unpool1d(input: Any, indices: Any, kernel_size: Any, stride: Any = None, padding: Any = 0,
                 output_size: Any = None) -> Tensor:  # fmt: skip
    """Each element of ``input`` written at its position ``indices`` of an output of zeros
    (``torch.nn.functional.max_unpool1d``): the inverse of :func:`max_pool1d` where it can be.

    Parameters
    ----------
    input : Tensor
        Shape ``(N, C, L)`` or ``(C, L)``.
    indices : Tensor
        int64, of ``input``'s shape: each element's position in its channel of the output, as
        ``max_pool1d(..., return_indices=True)`` gives them.
    kernel_size, stride, padding : int or tuple of int
        The pool's (``stride`` defaults to ``kernel_size``); they give the output's default length
        ``(L - 1)·stride - 2·padding + kernel_size``.
    output_size : sequence of int, optional
        The output's length (with or without ``N, C``), within ``stride`` of the default.

    Returns
    -------
    Tensor
        Shape ``(N, C, L_out)`` (or ``(C, L_out)``).

    Raises
    ------
    TypeError, ValueError
        For bad options or ``output_size`` (named).
    RuntimeError
        For an input of the wrong number of dimensions or with an empty one (but the batch),
        ``indices`` not int64 or not of the input's shape, or a position outside the output
        (torch's errors).
    """
    return _max_unpool("max_unpool1d", input, indices, kernel_size, stride, padding, output_size, 1)


def max_unpool2d(input: Any, indices: Any, kernel_size: Any, stride: Any = None, padding: Any = 0,
                 output_size: Any = None) -> Tensor:  # fmt: skip
    """:func:`max_unpool1d` over height and width (``torch.nn.functional.max_unpool2d``), the
    inverse of :func:`max_pool2d`: positions ``row · W_out + column``.

    Parameters
    ----------
    input : Tensor
        Shape ``(N, C, H, W)`` or ``(C, H, W)``.
    indices : Tensor
        int64, of ``input``'s shape.
    kernel_size, stride, padding : int or tuple of int
        As :func:`max_unpool1d`'s, per axis.
    output_size : sequence of int, optional
        ``(H_out, W_out)`` (or with ``N, C``).

    Returns
    -------
    Tensor
        Shape ``(N, C, H_out, W_out)`` (or without ``N``).

    Raises
    ------
    TypeError, ValueError, RuntimeError
        As :func:`max_unpool1d`.
    """
    return _max_unpool("max_unpool2d", input, indices, kernel_size, stride, padding, output_size, 2)


def max_unpool3d(input: Any, indices: Any, kernel_size: Any, stride: Any = None, padding: Any = 0,
                 output_size: Any = None) -> Tensor:  # fmt: skip
    """:func:`max_unpool1d` over depth, height and width (``torch.nn.functional.max_unpool3d``), the
    inverse of :func:`max_pool3d`.

    Parameters
    ----------
    input : Tensor
        Shape ``(N, C, D, H, W)`` or ``(C, D, H, W)``.
    indices : Tensor
        int64, of ``input``'s shape.
    kernel_size, stride, padding : int or tuple of int
        As :func:`max_unpool1d`'s, per axis.
    output_size : sequence of int, optional
        ``(D_out, H_out, W_out)`` (or with ``N, C``).

    Returns
    -------
    Tensor
        Shape ``(N, C, D_out, H_out, W_out)`` (or without ``N``).

    Raises
    ------
    TypeError, ValueError, RuntimeError
        As :func:`max_unpool1d`.
    """
    return _max_unpool("max_unpool3d", input, indices, kernel_size, stride, padding, output_size, 3)


def _ints(op: str, name: str, value: Any, spatial: int, least: int) -> tuple[int, ...]:
    """torch's ``_single``/``_pair``/``_triple``, each at least ``least``, named in the error."""
    if spatial == 3:
        return triple(op, name, value, least)
    if spatial == 1 and isinstance(value, (tuple, list)) and len(value) == 1:
        value = value[0]
    both = pair(op, name, value, least)
    return both if spatial == 2 else both[:1]


def _output_size(op: str, size: tuple[int, ...], kernel: tuple[int, ...], stride: tuple[int, ...],
                 padding: tuple[int, ...], output_size: Any) -> tuple[int, ...]:  # fmt: skip
    """torch's ``_unpool_output_size``: the default, or ``output_size`` checked against it."""
    default = tuple((n - 1) * s + k - 2 * p for n, s, k, p in zip(size, stride, kernel, padding))
    if output_size is None:
        return default
    given = list(output_size)
    if len(given) == len(kernel) + 2:
        given = given[2:]
    if len(given) != len(kernel):
        raise ValueError(
            f"{op}: output_size should be a sequence containing {len(kernel)} or {len(kernel) + 2} elements, "
            f"but it has a length of '{len(given)}'"
        )
    for d, (n, want, s) in enumerate(zip(given, default, stride)):
        if not (isinstance(n, (int, np.integer)) and want - s < n < want + s):
            raise ValueError(
                f'{op}: invalid output_size "{output_size}" (dim {d} must be between {want - s} and '
                f"{want + s})"
            )
    return tuple(int(n) for n in given)


def _max_unpool(op: str, input: Any, indices: Any, kernel_size: Any, stride: Any, padding: Any,
                output_size: Any, spatial: int) -> Tensor:  # fmt: skip
    if not isinstance(indices, Tensor):
        raise TypeError(f"{op}(): argument 'indices' must be Tensor, not {type(indices).__name__}")
    name = f"max_unpooling{max(spatial, 2)}d"
    x = input if isinstance(input, Tensor) else None
    if x is None or x.ndim not in (spatial + 1, spatial + 2):
        got = f"a tensor with {x.ndim} dimensions" if x is not None else type(input).__name__
        raise RuntimeError(
            f"{op}: Input to {name} should be a {spatial + 1}d or {spatial + 2}d Tensor, but got {got}."
        )
    if indices.data.dtype != np.int64:
        raise RuntimeError(f"{op}: elements in indices should be type int64 but got: {indices.data.dtype}")
    if indices.shape != x.shape:
        raise RuntimeError(
            f"{op}: Expected shape of indices to be same as that of the input tensor ({list(x.shape)}) but "
            f"got indices tensor with shape: {list(indices.shape)}"
        )
    kernel = _ints(op, "kernel_size", kernel_size, spatial, 1)
    steps = kernel if stride is None else _ints(op, "stride", stride, spatial, 1)
    pads = _ints(op, "padding", padding, spatial, 0)
    out = _output_size(op, x.shape[-spatial:], kernel, steps, pads, output_size)
    for d, n in enumerate(x.shape[-spatial - 1 :]):
        if n == 0:
            raise RuntimeError(
                f"{op}: Expected input to have non-zero size for non-batch dimensions, but got shape "
                f"{list(x.shape)} with dimension {x.ndim - spatial - 1 + d} being empty."
            )
    x, added = batched(op, x, spatial)
    positions = indices.reshape(x.shape) if added else indices
    b, c, count = x.shape[0], x.shape[1], math.prod(x.shape[2:])
    size = math.prod(out)
    flat = positions.reshape(b, c, count)
    sources = nograd(lambda i: _sources(op, i, size, out), flat)
    result = Tensor._apply(ops.MAX_UNPOOL, x.reshape(b, c, count), sources, flat).reshape(b, c, *out)
    return result.reshape(result.shape[1:]) if added else result


def _sources(op: str, positions: np.ndarray, size: int, out: tuple[int, ...]) -> np.ndarray:
    """For each output element, which input element (its place in the channel) is written there:
    the last one whose position it is, or ``count`` (the zero after the channel) where none is."""
    b, c, count = positions.shape
    bad = positions[(positions < 0) | (positions >= size)]
    if bad.size:
        raise RuntimeError(
            f"{op}: Found an invalid max index: {bad[0]} (output volumes are of size "
            f"{'x'.join(map(str, out if len(out) > 1 else out + (1,)))})"
        )
    written = np.full((b, c, size), -1, np.int64)
    rows = np.arange(b * c).reshape(b, c, 1) * size
    order = np.broadcast_to(np.arange(count), (b, c, count))  # (the later element in the channel wins)
    np.maximum.at(written.reshape(-1), (rows + positions).reshape(-1), order.reshape(-1))
    return np.where(written < 0, count, written)
