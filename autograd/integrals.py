"""The trapezoidal rule, as torch's (``torch.trapezoid``, its old name ``trapz``, and
``torch.cumulative_trapezoid``): the integral of ``y`` along ``dim``, the samples ``dx`` apart or
at ``x``. Written with torch's formulas (so the sums round as torch's); the gradients come from the
operations (``y`` and ``x`` both differentiable).
"""

from __future__ import annotations

from typing import Any

from .composite import normalize_axis
from .functions import as_node

__all__ = ["trapezoid", "trapz", "cumulative_trapezoid"]


def _spacing(op: str, y: Any, x: Any, dx: Any, dim: int) -> tuple[Any, Any, int]:
    """``y`` as a Tensor, the spacing (a Tensor of ``x``'s differences or the number ``dx``) and the axis."""
    y = as_node(y, "sum")
    if x is not None and dx is not None:
        raise TypeError(f"{op}: give x or dx, not both")
    if y.ndim == 0:
        raise IndexError(f"{op}: expected a tensor of at least 1 dimension, got a 0-d one")
    axis = normalize_axis(dim, y.ndim, op)
    if x is None:
        return y, 1.0 if dx is None else dx, axis
    x = as_node(x, "sub")
    if x.ndim == 1:
        if x.shape[0] != y.shape[axis]:
            raise RuntimeError(
                f"{op}: There must be one `x` value for each sample point (x has {x.shape[0]}, y has "
                f"{y.shape[axis]} along dim {dim})"
            )
        x = x.reshape((-1,) + (1,) * (y.ndim - 1 - axis))
        return y, x[1:] - x[:-1], axis
    ax = normalize_axis(dim, x.ndim, op)
    n = x.shape[ax]
    lead = (slice(None),) * ax
    return y, x[lead + (slice(1, n),)] - x[lead + (slice(0, n - 1),)], axis


def _neighbours(y: Any, axis: int) -> tuple[Any, Any]:
    n = y.shape[axis]
    lead = (slice(None),) * axis
    return y[lead + (slice(1, n),)], y[lead + (slice(0, n - 1),)]


def trapezoid(y: Any, x: Any = None, *, dx: Any = None, dim: int = -1) -> Any:
    """The integral of ``y`` along ``dim`` by the trapezoidal rule (``torch.trapezoid``): the samples
    at ``x`` (1-d along ``dim``, or broadcast with ``y``), or ``dx`` apart (default 1).

    Parameters
    ----------
    y : Tensor or array_like
        The values.
    x : Tensor or array_like, optional
        Where they are sampled.
    dx : float, optional
        The spacing, without ``x``.
    dim : int
        The dimension to integrate along (default -1).
    """
    y, spacing, axis = _spacing("trapezoid", y, x, dx, dim)
    if y.shape[axis] == 0:  # (torch's zeros, a constant: no gradient reaches y)
        return y.sum(axis).detach() * 0.0
    right, left = _neighbours(y, axis)
    if x is None:  # torch's (y.sum(dim) - (y[0] + y[-1]) * 0.5) * dx
        lead = (slice(None),) * axis
        ends = y[lead + (0,)] + y[lead + (-1,)]
        return (y.sum(axis) - ends * 0.5) * spacing
    return (spacing * (right + left)).sum(axis) / 2.0


def trapz(y: Any, x: Any = None, *, dx: Any = None, dim: int = -1) -> Any:
    """:func:`trapezoid` by torch's older name (``torch.trapz``).

    Parameters
    ----------
    y : Tensor or array_like
        The values.
    x : Tensor or array_like, optional
        Where they are sampled.
    dx : float, optional
        The spacing, without ``x``.
    dim : int
        The dimension to integrate along (default -1).
    """
    return trapezoid(y, x, dx=dx, dim=dim)


def cumulative_trapezoid(y: Any, x: Any = None, *, dx: Any = None, dim: int = -1) -> Any:
    """The running integral of ``y`` along ``dim`` by the trapezoidal rule, one shorter than ``y``
    there (``torch.cumulative_trapezoid``).

    Parameters
    ----------
    y : Tensor or array_like
        The values.
    x : Tensor or array_like, optional
        Where they are sampled.
    dx : float, optional
        The spacing, without ``x``.
    dim : int
        The dimension to integrate along (default -1).
    """
    y, spacing, axis = _spacing("cumulative_trapezoid", y, x, dx, dim)
    right, left = _neighbours(y, axis)
    if x is None:  # torch's (dx / 2 * (left + right)).cumsum(dim)
        return ((spacing / 2.0) * (left + right)).cumsum(axis)
    return (spacing * (left + right)).cumsum(axis) / 2.0
