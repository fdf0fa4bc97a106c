"""``torch.nn.functional``'s resampling: ``interpolate`` (modes "nearest", "nearest-exact", "linear",
"bilinear", "bicubic", "trilinear" and "area"), ``pixel_shuffle`` and ``pixel_unshuffle``, composed
from indexing, weighted sums, adaptive average pooling and reshapes, so their gradients follow (the
sums of the gradients of the places each input is read from)."""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..._operands import as_tensor
from ..._tensor import Tensor

#: the modes and the number of spatial dimensions each takes (None: any of 1, 2, 3)
_MODES = {
    "nearest": None,
    "nearest-exact": None,
    "linear": 1,
    "bilinear": 2,
    "bicubic": 2,
    "trilinear": 3,
    "area": None,
}
#: torch's bicubic convolution constant
_A = -0.75


def interpolate(
    input: Any,
    size: int | Sequence[int] | None = None,
    scale_factor: float | Sequence[float] | None = None,
    mode: str = "nearest",
    align_corners: bool | None = None,
    recompute_scale_factor: bool | None = None,
    antialias: bool = False,
) -> Tensor:
    r"""Resample the spatial dimensions (all after the first two) to ``size`` or by ``scale_factor``
    (``torch.nn.functional.interpolate``), with torch's source positions:

    - "nearest": output index :math:`i` reads :math:`\lfloor i \cdot s \rfloor` (computed in float32,
      as torch's kernel), "nearest-exact": :math:`\lfloor (i + 1/2) s \rfloor`;
    - "linear" (3-d input), "bilinear" (4-d) and "trilinear" (5-d), one axis after the other (the
      last first, as torch): the position :math:`x = s\,(i + 1/2) - 1/2` (clamped at 0), or
      :math:`x = s\,i` with ``align_corners``, read as
      :math:`(1 - \lambda)\,v_{\lfloor x \rfloor} + \lambda\, v_{\lfloor x \rfloor + 1}`;
    - "bicubic" (4-d): the same positions, not clamped, read from the four neighbours
      :math:`v_{\lfloor x \rfloor - 1}, \dots, v_{\lfloor x \rfloor + 2}` (indices clamped to the
      edge, as torch) with Keys' cubic convolution weights, :math:`a = -0.75`;
    - "area": the mean of each window of :func:`~autograd.nn.functional.adaptive_avg_pool2d` (1-d,
      3-d) to the output's size;

    where :math:`s` is ``1 / scale_factor`` when it is given (and not recomputed), else
    ``in / out`` (``(in - 1) / (out - 1)`` with ``align_corners``).

    Parameters
    ----------
    input : Tensor or array_like
        ``(N, C, L)``, ``(N, C, H, W)`` or ``(N, C, D, H, W)``, as the mode takes.
    size : int or sequence of int, optional
        The output's spatial size (one int for every spatial dimension, or one each).
    scale_factor : float or sequence of float, optional
        The multiplier of the spatial size (the output's is ``floor(in · scale_factor)``).
    mode : {"nearest", "nearest-exact", "linear", "bilinear", "bicubic", "trilinear", "area"}
        The resampling (default "nearest").
    align_corners : bool, optional
        For the interpolating modes (linear, bilinear, bicubic, trilinear): the corner pixels'
        centres of input and output coincide (default False); must be None for the others.
    recompute_scale_factor : bool, optional
        With ``scale_factor``: compute the scale from the sizes (``in / out``) instead of
        using ``1 / scale_factor`` (default None: not recomputed).
    antialias : bool
        Must be False: torch's anti-aliased bilinear and bicubic downsampling is not here
        (True raises NotImplementedError; with another mode, torch's ValueError).

    Returns
    -------
    Tensor
        ``(N, C, *size)``.

    Raises
    ------
    ValueError
        If both or neither of ``size`` and ``scale_factor`` are given, their lengths do not fit the
        input, ``mode`` is unknown, ``align_corners`` comes with a mode that does not interpolate,
        ``antialias`` with a mode other than bilinear and bicubic, or ``recompute_scale_factor``
        without ``scale_factor``.
    NotImplementedError
        If the mode does not take the input's dimensions, or ``antialias=True``.
    TypeError
        If ``size`` or ``scale_factor`` is not numbers.
    """
    op = "interpolate"
    x = as_tensor(input, f"{op}: input")
    if mode not in _MODES:
        raise ValueError(f"{op}: mode must be one of {', '.join(map(repr, _MODES))}, got {mode!r}")
    dims = x.ndim - 2
    if dims < 1 or (_MODES[mode] is not None and dims != _MODES[mode]) or dims > 3:
        need = f"a {_MODES[mode] + 2}-d input" if _MODES[mode] else "a 3-d, 4-d or 5-d input"
        raise NotImplementedError(
            f"{op}: mode {mode!r} needs {need} (N, C, spatial...), got a {x.ndim}-d input of shape "
            f"{list(x.shape)}"
        )
    if align_corners is not None and mode in ("nearest", "nearest-exact", "area"):
        raise ValueError(
            f"{op}: align_corners option can only be set with the interpolating modes: linear | bilinear | "
            f"bicubic | trilinear, got align_corners={align_corners!r} with mode={mode!r}"
        )
    if antialias:
        if mode not in ("bilinear", "bicubic"):
            raise ValueError(
                f"{op}: Anti-alias option is restricted to bilinear and bicubic modes and requires a 4-D "
                f"tensor as input, got antialias=True with mode={mode!r}"
            )
        raise NotImplementedError(
            f"{op}: antialias=True (torch's anti-aliased {mode} downsampling) is not supported here; "
            f"use antialias=False, or mode='area' to average when shrinking"
        )
    corners = bool(align_corners)
    if (size is None) == (scale_factor is None):
        raise ValueError(
            f"{op}: exactly one of size or scale_factor should be defined, got size={size!r} and "
            f"scale_factor={scale_factor!r}"
        )
    if recompute_scale_factor and scale_factor is None:
        raise ValueError(
            f"{op}: recompute_scale_factor is meaningless without scale_factor (size={size!r} was given)"
        )
    spatial = x.shape[2:]
    if size is not None:
        out = _per_dim(op, "size", size, dims, int)
        scales: list[float | None] = [None] * dims
    else:
        factors = _per_dim(op, "scale_factor", scale_factor, dims, float)
        out = [int(math.floor(n * f)) for n, f in zip(spatial, factors)]
        scales = [None] * dims if recompute_scale_factor else list(factors)
    if any(n <= 0 for n in out):
        raise ValueError(
            f"{op}: the output's spatial size must be positive, got {out} for an input of shape "
            f"{list(x.shape)}"
        )
    if mode == "area":  # (torch's: adaptive average pooling to the output's size)
        from .pooling import adaptive_avg_pool1d, adaptive_avg_pool2d
        from .volumes import adaptive_avg_pool3d

        pool = (adaptive_avg_pool1d, adaptive_avg_pool2d, adaptive_avg_pool3d)[dims - 1]
        return pool(x, out[0] if dims == 1 else tuple(out))
    # the last axis first, as torch's kernel nests its sums (each value read along the width, then
    # those along the height, ...): the same additions in the same order
    for axis in reversed(range(dims)):
        x = _resample(x, axis + 2, spatial[axis], out[axis], scales[axis], mode, corners)
    # in C order (a flat copy, viewed in the output's shape): numpy lays out an indexed axis
    # outermost, and a later sum over such an array adds in another order than over a C-ordered one
    # (as a compiled step's in-place buffers are)
    return x.reshape((-1,)).reshape(x.shape)


def _per_dim(op: str, name: str, value: Any, dims: int, kind: type) -> list[Any]:
    """``size`` or ``scale_factor`` as one number per spatial dimension."""
    items = list(value) if isinstance(value, (list, tuple)) else [value] * dims
    if len(items) != dims:
        raise ValueError(
            f"{op}: {name} must be a number or a sequence of {dims} (one per spatial dimension of the "
            f"input), got {value!r}"
        )
    for v in items:
        ok = (
            isinstance(v, (int, np.integer))
            if kind is int
            else isinstance(v, (int, float, np.integer, np.floating))
        )
        if isinstance(v, bool) or not ok:
            raise TypeError(f"{op}: {name} must hold {'ints' if kind is int else 'numbers'}, got {value!r}")
    return [kind(v) for v in items]


def _resample(
    x: Tensor, axis: int, n_in: int, n_out: int, factor: float | None, mode: str, corners: bool
) -> Tensor:
    """``x`` resampled along ``axis`` from ``n_in`` to ``n_out`` points."""
    i = np.arange(n_out)
    if mode.startswith("nearest"):
        if n_out == n_in and mode == "nearest":
            return x
        scale = np.float32(1.0 / factor if factor is not None and factor > 0 else n_in / n_out)
        shift = np.float32(0.5) if mode == "nearest-exact" else np.float32(0.0)
        src = np.minimum(np.floor((i.astype(np.float32) + shift) * scale).astype(np.intp), n_in - 1)
        return x.index_select(axis, src)
    cubic = mode == "bicubic"
    if n_out == n_in and not cubic:  # (torch's weights 1 and 0 of the same element: inf gives nan)
        return x * 1.0 + x * 0.0
    if corners:
        scale = (n_in - 1) / (n_out - 1) if n_out > 1 else 0.0
        real = scale * i
    else:
        scale = 1.0 / factor if factor is not None and factor > 0 else n_in / n_out
        real = scale * (i + 0.5) - 0.5
        if not cubic:
            real = np.maximum(real, 0.0)
    # (torch's guard_index_and_lambda: the floor of the position rounded to float32)
    i0 = np.minimum(np.floor(real.astype(np.float32)).astype(np.intp), n_in - 1)
    lam = np.clip(real - i0, 0.0, 1.0)
    shape = [1] * x.ndim
    shape[axis] = n_out
    if not cubic:
        i1 = i0 + (i0 < n_in - 1)
        w1 = lam.astype(x.data.dtype).reshape(shape)
        w0 = (1.0 - lam).astype(x.data.dtype).reshape(shape)
        return x.index_select(axis, i0) * w0 + x.index_select(axis, i1) * w1
    weights = _cubic_weights(lam)
    out = None
    for j, w in enumerate(weights):  # (the four neighbours, indices clamped to the edge as torch's)
        src = np.clip(i0 - 1 + j, 0, n_in - 1)
        term = x.index_select(axis, src) * w.astype(x.data.dtype).reshape(shape)
        out = term if out is None else out + term
    assert out is not None
    return out


def _cubic_weights(t: np.ndarray) -> list[np.ndarray]:
    """torch's cubic convolution weights (a = -0.75) of the four neighbours of a position ``t``
    past the second one, computed with torch's expressions."""

    def near(s: np.ndarray) -> np.ndarray:  # |s| <= 1
        return ((_A + 2) * s - (_A + 3)) * s * s + 1

    def far(s: np.ndarray) -> np.ndarray:  # 1 < |s| < 2
        return ((_A * s - 5 * _A) * s + 8 * _A) * s - 4 * _A

    return [far(t + 1.0), near(t), near(1.0 - t), far((1.0 - t) + 1.0)]


def pixel_shuffle(input: Any, upscale_factor: int) -> Tensor:
    """``(*, C·r², H, W)`` rearranged to ``(*, C, H·r, W·r)`` (``torch.nn.functional.pixel_shuffle``).

    Parameters
    ----------
    input : Tensor or array_like
        At least 3-d, its channels (axis -3) a multiple of r² (r = ``upscale_factor``).
    upscale_factor : int
        r, the factor of the height and the width.

    Returns
    -------
    Tensor
        ``(*, C, H·r, W·r)``.

    Raises
    ------
    RuntimeError
        If the input is less than 3-d or its channels are not divisible by r².
    TypeError
        If ``upscale_factor`` is not a positive int.
    """
    x = as_tensor(input, "pixel_shuffle: input")
    r = _factor("pixel_shuffle", "upscale_factor", upscale_factor)
    if x.ndim < 3 or x.shape[-3] % (r * r):
        raise RuntimeError(
            f"pixel_shuffle: expected an input of at least 3 dimensions (*, C·r², H, W) whose channels are "
            f"divisible by upscale_factor²={r * r}, got shape {list(x.shape)}"
        )
    *batch, c, h, w = x.shape
    nb = len(batch)
    y = x.reshape(*batch, c // (r * r), r, r, h, w)
    y = y.transpose((*range(nb), nb, nb + 3, nb + 1, nb + 4, nb + 2))
    return _copy(y.reshape(*batch, c // (r * r), h * r, w * r), x)


def pixel_unshuffle(input: Any, downscale_factor: int) -> Tensor:
    """``(*, C, H·r, W·r)`` rearranged to ``(*, C·r², H, W)``, the inverse of :func:`pixel_shuffle`
    (``torch.nn.functional.pixel_unshuffle``).

    Parameters
    ----------
    input : Tensor or array_like
        At least 3-d, its height and width multiples of ``downscale_factor``.
    downscale_factor : int
        r, the divisor of the height and the width.

    Returns
    -------
    Tensor
        ``(*, C·r², H, W)``.

    Raises
    ------
    RuntimeError
        If the input is less than 3-d or its height or width is not divisible by r.
    TypeError
        If ``downscale_factor`` is not a positive int.
    """
    x = as_tensor(input, "pixel_unshuffle: input")
    r = _factor("pixel_unshuffle", "downscale_factor", downscale_factor)
    if x.ndim < 3 or x.shape[-2] % r or x.shape[-1] % r:
        raise RuntimeError(
            f"pixel_unshuffle: expected an input of at least 3 dimensions (*, C, H·r, W·r) whose height "
            f"and width are divisible by downscale_factor={r}, got shape {list(x.shape)}"
        )
    *batch, c, h, w = x.shape
    nb = len(batch)
    y = x.reshape(*batch, c, h // r, r, w // r, r)
    y = y.transpose((*range(nb), nb, nb + 2, nb + 4, nb + 1, nb + 3))
    return _copy(y.reshape(*batch, c * r * r, h // r, w // r), x)


def _copy(y: Tensor, x: Tensor) -> Tensor:
    """``y``, or a copy where it is a view of ``x`` (r = 1, a 1-pixel side): torch's pixel shuffles
    always copy, so a write into the result never reaches the input."""
    return y.clone() if y.data.size and np.may_share_memory(y.data, x.data) else y


def _factor(op: str, name: str, r: Any) -> int:
    if isinstance(r, bool) or not isinstance(r, (int, np.integer)) or r <= 0:
        raise TypeError(f"{op}: {name} must be a positive int, got {type(r).__name__} {r!r}")
    return int(r)


def channel_shuffle(input: Any, groups: int) -> Tensor:
    """Interleave the channels (axis 1) of ``groups`` groups: ``(N, g·k, *)`` viewed as ``(N, g, k,
    *)``, its axes 1 and 2 swapped (``torch.nn.functional.channel_shuffle``).

    Parameters
    ----------
    input : Tensor or array_like
        At least 3-d, its channels a multiple of ``groups``.
    groups : int
        The number of groups, positive.

    Returns
    -------
    Tensor
        Of the input's shape.

    Raises
    ------
    RuntimeError
        If the input is less than 3-d, ``groups`` is not positive or does not divide the channels.
    TypeError
        If ``groups`` is not an int.
    """
    x = as_tensor(input, "channel_shuffle: input")
    if isinstance(groups, bool) or not isinstance(groups, (int, np.integer)):
        raise TypeError(f"channel_shuffle: groups must be an int, got {type(groups).__name__} {groups!r}")
    if x.ndim <= 2:
        raise RuntimeError(f"channel_shuffle: expected an input with more than 2 dims, got shape {x.shape}")
    if groups <= 0:
        raise RuntimeError(f"channel_shuffle: groups must be positive, got {groups}")
    n, c, rest = x.shape[0], x.shape[1], tuple(x.shape[2:])
    if c % groups:
        raise RuntimeError(f"channel_shuffle: {c} channels are not divisible by groups={groups}")
    return x.reshape((n, int(groups), c // groups) + rest).transpose(1, 2).reshape((n, c) + rest)


def _deprecated_upsample(name: str) -> None:
    warnings.warn(
        f"`nn.functional.{name}` is deprecated. Use `nn.functional.interpolate` instead.",
        UserWarning,
        stacklevel=3,
    )


def upsample(
    input: Any,
    size: int | Sequence[int] | None = None,
    scale_factor: float | Sequence[float] | None = None,
    mode: str = "nearest",
    align_corners: bool | None = None,
) -> Tensor:
    """:func:`interpolate`, under its deprecated name (``torch.nn.functional.upsample``, with its
    warning); ``input``, ``size``, ``scale_factor``, ``mode`` and ``align_corners`` are
    :func:`interpolate`'s."""
    _deprecated_upsample("upsample")
    return interpolate(input, size, scale_factor, mode, align_corners)


def upsample_nearest(
    input: Any, size: int | Sequence[int] | None = None, scale_factor: float | Sequence[float] | None = None
) -> Tensor:
    """:func:`interpolate` with mode "nearest", deprecated (``torch.nn.functional.upsample_nearest``,
    with its warning); ``input``, ``size`` and ``scale_factor`` are :func:`interpolate`'s."""
    _deprecated_upsample("upsample_nearest")
    return interpolate(input, size, scale_factor, mode="nearest")


def upsample_bilinear(
    input: Any, size: int | Sequence[int] | None = None, scale_factor: float | Sequence[float] | None = None
) -> Tensor:
    """:func:`interpolate` with mode "bilinear" and ``align_corners=True``, deprecated
    (``torch.nn.functional.upsample_bilinear``, with its warning); ``input``, ``size`` and
    ``scale_factor`` are :func:`interpolate`'s."""
    _deprecated_upsample("upsample_bilinear")
    return interpolate(input, size, scale_factor, mode="bilinear", align_corners=True)
