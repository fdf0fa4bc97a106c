"""``torch.nn.functional``'s power-average pools ``lp_pool1d``/``2d``/``3d``, composed as torch composes
them: ``(sign(s) · relu(|s|) · k) ** (1/p)`` of the average pool ``s`` of ``x ** p`` (``k`` the
window's size), the max pool of ``|x|`` for ``p = ±inf``."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from ..._operands import as_tensor
from ..._tensor import Tensor
from ._common import _real
from .pooling import avg_pool1d, avg_pool2d, max_pool1d, max_pool2d
from .volumes import avg_pool3d, max_pool3d


def _lp_pool(op: str, input: Any, norm_type: Any, kernel_size: Any, stride: Any, ceil_mode: bool,
             spatial: int, average: Callable[..., Tensor], maximum: Callable[..., Tensor],
             ) -> Tensor:  # fmt: skip
    x = as_tensor(input, f"{op}: input")
    p = _real(op, "norm_type", norm_type)
    if p == math.inf:
        return maximum(x.abs(), kernel_size, stride, 0, 1, ceil_mode)
    if p == -math.inf:
        return -maximum(-x.abs(), kernel_size, stride, 0, 1, ceil_mode)
    sizes = (kernel_size,) * spatial if isinstance(kernel_size, (int, np.integer)) else tuple(kernel_size)
    if len(sizes) != spatial or spatial == 1 and not isinstance(kernel_size, (int, np.integer)):
        if spatial == 1:  # (torch multiplies by kernel_size itself: an int)
            raise TypeError(
                f"{op}: kernel_size must be an int, got {type(kernel_size).__name__} {kernel_size!r}"
            )
        raise ValueError(f"{op}: kernel_size must be an int or {spatial} ints, got {kernel_size!r}")
    s = average(x**p, kernel_size, stride, 0, ceil_mode)
    return (s.sign() * s.abs().relu() * math.prod(int(n) for n in sizes)) ** (1.0 / p)


def lp_pool1d(
    input: Any, norm_type: float, kernel_size: int, stride: Any = None, ceil_mode: bool = False
) -> Tensor:
    r"""The power-average of each window along the last axis (``torch.nn.functional.lp_pool1d``):
    :math:`(\sum_{w} x^p)^{1/p}`, composed as torch's (see the module's note): its numbers, and the
    gradients of every order of that composition (nan where a window's sum is 0 and ``1/p < 1``,
    as torch's).

    Parameters
    ----------
    input : Tensor or array_like
        Shape ``(N, C, L)`` or ``(C, L)``.
    norm_type : float
        The power ``p``; ``inf`` is the max pool of ``|x|``.
    kernel_size : int
        The window's size.
    stride : int, optional
        The windows' spacing (default: ``kernel_size``).
    ceil_mode : bool
        Count a last, partial window (default False).

    Returns
    -------
    Tensor
        Shape ``(N, C, L_out)``.

    Raises
    ------
    TypeError
        If ``norm_type`` is not a real number or ``kernel_size`` not an int.
    """
    return _lp_pool("lp_pool1d", input, norm_type, kernel_size, stride, ceil_mode, 1, avg_pool1d, max_pool1d)


def lp_pool2d(
    input: Any, norm_type: float, kernel_size: Any, stride: Any = None, ceil_mode: bool = False
) -> Tensor:
    r"""The power-average of each window (``torch.nn.functional.lp_pool2d``): as :func:`lp_pool1d`
    over the last two axes.

    Parameters
    ----------
    input : Tensor or array_like
        Shape ``(N, C, H, W)`` or ``(C, H, W)``.
    norm_type : float
        The power ``p``; ``inf`` is the max pool of ``|x|``.
    kernel_size : int or tuple of int
        The window's size.
    stride : int or tuple of int, optional
        The windows' spacing (default: ``kernel_size``).
    ceil_mode : bool
        Count a last, partial window (default False).

    Returns
    -------
    Tensor
        Shape ``(N, C, H_out, W_out)``.
    """
    return _lp_pool("lp_pool2d", input, norm_type, kernel_size, stride, ceil_mode, 2, avg_pool2d, max_pool2d)


def lp_pool3d(
    input: Any, norm_type: float, kernel_size: Any, stride: Any = None, ceil_mode: bool = False
) -> Tensor:
    r"""The power-average of each window of a volume (``torch.nn.functional.lp_pool3d``): as
    :func:`lp_pool1d` over the last three axes.

    Parameters
    ----------
    input : Tensor or array_like
        Shape ``(N, C, D, H, W)`` or ``(C, D, H, W)``.
    norm_type : float
        The power ``p``; ``inf`` is the max pool of ``|x|``.
    kernel_size : int or tuple of int
        The window's size.
    stride : int or tuple of int, optional
        The windows' spacing (default: ``kernel_size``).
    ceil_mode : bool
        Count a last, partial window (default False).

    Returns
    -------
    Tensor
        Shape ``(N, C, D_out, H_out, W_out)``.
    """
    return _lp_pool("lp_pool3d", input, norm_type, kernel_size, stride, ceil_mode, 3, avg_pool3d, max_pool3d)
