"""``torch.nn.functional.fractional_max_pool2d`` and ``fractional_max_pool3d`` (Graham's fractional
max-pooling): windows of ``kernel_size`` whose starts are spread pseudo-randomly over the input so
that exactly ``output_size`` of them fit.

Each plane (sample, channel) has its own numbers ``u`` in [0, 1), one per spatial axis
(``_random_samples``, shape ``(N, C, 2)`` or ``(N, C, 3)``; drawn with :func:`autograd.rand` when not
given). Along an axis of size ``n`` with ``m`` windows of size ``k``, window ``i < m - 1`` starts at
``⌊(i + u)·α⌋ − ⌊u·α⌋`` with ``α = (n − k)/(m − 1)``, computed in the input's dtype as torch's, and
the last one at ``n − k``. The samples are ordered as torch's: width then height for 2-d, and
depth, height, width for 3-d.

The windows are gathered (``gather``) and each one's maximum taken by the max pools' primitive (the
first maximum, or the last nan, as torch), so the gradient is the engine's: each output's gradient
goes to its window's maximum, summed where windows overlap. The indices are ``h·W + w`` (and
``(d·H + h)·W + w``) within each plane, int64, as torch's.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from ... import ops
from ..._tensor import Tensor, nograd
from ...ops.shape import last_nan_argmax
from .conv import batched
from .unpool import _ints

__all__ = ["fractional_max_pool2d", "fractional_max_pool3d"]


_DOC = """Fractional max-pooling over ``(N, C, {axes})`` or ``(C, {axes})``
    (``torch.nn.functional.fractional_max_pool{n}d``).

    Parameters
    ----------
    input : Tensor
        The input, a float Tensor.
    kernel_size : int or tuple of int
        The window's size, ``k`` or ``({k_axes})``.
    output_size : int or tuple of int, optional
        The output's ``({o_axes})``; give this or ``output_ratio``.
    output_ratio : float or tuple of float, optional
        The output's size as a fraction of the input's, each in (0, 1): ``o{a} = int({a} · ratio)``.
    return_indices : bool
        Also return each maximum's index ``{index}`` in its plane (for ``max_unpool{n}d``).
    _random_samples : Tensor, optional
        ``(N, C, {n})`` numbers in [0, 1) of the input's dtype, for {order}
        (default: drawn with :func:`autograd.rand`).

    Returns
    -------
    Tensor or tuple of Tensor
        The pooled ``(N, C, {o_axes})`` (or ``(C, {o_axes})``), and with ``return_indices`` the int64
        indices of that shape.

    Raises
    ------
    ValueError
        Neither or both of ``output_size`` and ``output_ratio``; a ratio outside (0, 1); an input
        that is not {batched}-d or {unbatched}-d.
    RuntimeError
        A window larger than the input allows (torch's message), or ``_random_samples`` of the wrong
        shape or dtype.

    Examples
    --------
    >>> import autograd as torch
    >>> x = torch.arange({numel}.0).reshape(1, 1, {fours})
    >>> u = torch.full((1, 1, {n}), 0.5)
    >>> torch.nn.functional.fractional_max_pool{n}d(x, 2, output_size=2, _random_samples=u)
    {example}
    """

#: per dimensions: each maximum's index in its plane, the samples' order, the example's output
_FOR = {
    2: (
        "h · W + w",
        "the widths then the heights",
        """Tensor([[[[ 5.,  7.],
              [13., 15.]]]], dtype=float64)""",
    ),
    3: (
        "(d · H + h) · W + w",
        "depth, height and width",
        """Tensor([[[[[21., 23.],
               [29., 31.]],
    <BLANKLINE>
              [[53., 55.],
               [61., 63.]]]]], dtype=float64)""",
    ),
}


def _fractional_max_pool(n: int) -> Callable[..., Any]:
    """``fractional_max_pool{n}d``, with its docstring."""
    op = f"fractional_max_pool{n}d"

    def pool(
        input: Any,
        kernel_size: Any,
        output_size: Any = None,
        output_ratio: Any = None,
        return_indices: bool = False,
        _random_samples: Any = None,
    ) -> Any:
        return _fractional(
            op, input, kernel_size, output_size, output_ratio, return_indices, _random_samples, n
        )

    axes = "DHW"[3 - n :]
    index, order, example = _FOR[n]
    pool.__name__ = pool.__qualname__ = op
    pool.__doc__ = _DOC.format(
        n=n, axes=", ".join(axes), k_axes=", ".join("k" + a for a in axes), a=axes[0], index=index,
        o_axes=", ".join("o" + a for a in axes), order=order, batched=n + 1, unbatched=n + 2, numel=4**n,
        fours=", ".join("4" * n), example=example,
    )  # fmt: skip
    return pool


fractional_max_pool2d, fractional_max_pool3d = _fractional_max_pool(2), _fractional_max_pool(3)


def output_shape(op: str, size: tuple[int, ...], output_size: Any, output_ratio: Any) -> tuple[int, ...]:
    """The output's spatial size from ``output_size`` or ``output_ratio`` (torch's rules and errors)."""
    n = len(size)
    if output_size is None and output_ratio is None:
        raise ValueError(f"{op} requires specifying either an output_size or an output_ratio")
    if output_size is not None and output_ratio is not None:
        raise ValueError(f"{op}: only one of output_size and output_ratio may be specified")
    if output_size is not None:
        return _ints(op, "output_size", output_size, n, 1)
    given = _ratios(output_ratio, n)
    if not _valid_ratios(given, n):
        raise ValueError(
            f"{op}: output_ratio must be between 0 and 1 (got {output_ratio}), one or {n} of them"
        )
    return tuple(int(s * r) for s, r in zip(size, given))


def _ratios(output_ratio: Any, n: int) -> tuple[Any, ...]:
    """``output_ratio`` as a tuple: itself if a tuple or list, else one ratio for each of ``n`` axes."""
    return tuple(output_ratio) if isinstance(output_ratio, (tuple, list)) else (output_ratio,) * n


def _valid_ratios(given: tuple[Any, ...], n: int) -> bool:
    """Whether ``given`` holds ``n`` ratios, each a number in (0, 1)."""
    return len(given) == n and all(isinstance(r, (int, float)) and 0 < r < 1 for r in given)


def starts(sample: np.ndarray, size: int, out: int, kernel: int) -> np.ndarray:
    """Each window's start along one axis, per plane: ``(*sample.shape, out)`` ints (torch's
    ``generate_intervals``, in ``sample``'s dtype)."""
    found = np.empty((*sample.shape, out), np.int64)
    if out > 1:
        real = sample.dtype.type
        alpha = real(size - kernel) / real(out - 1)
        i = np.arange(out - 1).astype(sample.dtype)
        found[..., :-1] = ((i + sample[..., None]) * alpha).astype(np.int64) - (sample * alpha).astype(
            np.int64
        )[..., None]
    if out > 0:
        found[..., -1] = size - kernel
    return found


def _samples(op: str, given: Any, x: Tensor, spatial: int) -> np.ndarray:
    """``_random_samples`` as an array ``(N, C, spatial)``, checked as torch checks it (or drawn)."""
    n, c = x.shape[0], x.shape[1]
    if given is None:
        from ...factories import rand

        return rand(n, c, spatial, dtype=x.data.dtype).data
    s = given.data if isinstance(given, Tensor) else np.asarray(given)
    if s.dtype != x.data.dtype:
        raise RuntimeError(
            f"{op}: Expect _random_samples to have the same dtype as input (got {s.dtype}, input "
            f"{x.data.dtype})"
        )
    if s.ndim != 3:
        raise RuntimeError(
            f"{op}: Expect _random_samples to be a 3-d tensor (N, C, {spatial}), got shape {s.shape}"
        )
    if s.shape[2] != spatial:
        raise RuntimeError(f"Expect _random_samples.size(2) equals to {spatial}; got {s.shape[2]}.")
    if s.shape[0] < n or s.shape[1] != c:
        raise RuntimeError(
            f"{op}: Expect _random_samples of shape (at least {n}, {c}, {spatial}) for the input's batch and "
            f"channels, got {s.shape}"
        )
    return s


def _fractional(op: str, input: Any, kernel_size: Any, output_size: Any, output_ratio: Any,
                return_indices: bool, random_samples: Any, spatial: int) -> Any:  # fmt: skip
    x, added = batched(op, input, spatial)
    size = tuple(x.shape[2:])
    kernel = _ints(op, "kernel_size", kernel_size, spatial, 1)
    out = output_shape(op, size, output_size, output_ratio)
    names = ("time", "height", "width")[3 - spatial :]
    for name, n, k, o in zip(names, size, kernel, out):
        if o + k - 1 > n:
            raise RuntimeError(f"{op}(): pool {name} {k} too large relative to input {name} {n}")
    samples = _samples(op, random_samples, x, spatial)[: x.shape[0]]
    # (2-d: sample 0 is the width's, 1 the height's; 3-d: depth, height, width, as torch)
    order = (1, 0) if spatial == 2 else (0, 1, 2)
    first = [starts(samples[..., j], n, o, k) for j, n, o, k in zip(order, size, out, kernel)]
    position = np.zeros(x.shape[:2] + out + kernel, np.int64)  # each window element's flat index
    for axis in range(spatial):
        stride = math.prod(size[axis + 1 :])
        at = [1] * spatial
        at[axis] = out[axis]
        along = first[axis].reshape(x.shape[:2] + tuple(at) + (1,) * spatial)
        offset = np.arange(kernel[axis]).reshape(
            (1,) * (axis + 2 + spatial) + (kernel[axis],) + (1,) * (spatial - axis - 1)
        )
        position = position + (along + offset) * stride
    flat = position.reshape(*x.shape[:2], -1)
    windows = x.reshape((*x.shape[:2], -1)).gather(2, flat)
    windows = windows.reshape((*x.shape[:2], *out, math.prod(kernel)))
    values = Tensor._apply(
        ops.POOL_MAX, windows, axis=windows.ndim - 1
    )  # (the first maximum, or the last nan)
    values = values.reshape((*x.shape[:2], *out))
    if added:
        values = values.reshape(values.shape[1:])
    if not return_indices:
        return values
    within = position.reshape(*x.shape[:2], *out, -1)
    shape = values.shape
    return values, nograd(
        lambda d: np.take_along_axis(within, last_nan_argmax(d, d.ndim - 1)[..., None], -1).reshape(shape),
        windows,
    )
