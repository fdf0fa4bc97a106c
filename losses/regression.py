"""Regression losses. ``y`` is the target, ``ŷ`` the prediction, ``e = ŷ - y``; each formula is
the per-element loss, reduced by ``reduction`` ("mean" over all elements, "sum", "none")."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ._core import (
    Node,
    check_flag,
    check_number,
    check_same_shape,
    first_bad,
    numbers,
    prepare,
    real,
    reduce,
)

_KERAS_EPSILON = 1e-7


def _prepare(name: str, reduction: str, y_true: Any, y_pred: Any, weight: Any) -> list[Any]:
    """``y, ŷ`` and ``w`` (None without ``weight``) as nodes; w must have ŷ's shape and be finite."""
    if weight is None:
        return [*prepare(name, reduction, y_true=y_true, y_pred=y_pred), None]
    y, p, w = prepare(name, reduction, same_shape=False, y_true=y_true, y_pred=y_pred, weight=weight)
    check_same_shape(name, y_true=y, y_pred=p)
    if w.shape != p.shape:
        raise ValueError(
            f"{name}: weight must have y_pred's shape {p.shape} (one weight per element, no "
            f"broadcasting, as PyTorch); got shape {w.shape}"
        )
    data = w.data
    if not np.isfinite(data).all():
        raise ValueError(f"{name}: weight must be finite; got {first_bad(data, ~np.isfinite(data))}")
    return [y, p, w]


def _weighted(loss: Node, w: Node | None, reduction: str, per_weight: bool = True) -> Any:
    """``w·loss`` reduced; "mean" is ``Σ w·loss / Σ w`` with ``per_weight`` (the gradient reaches w
    too, as in PyTorch), else the element mean."""
    if w is None:
        return reduce(loss, reduction)
    total = float(w.data.sum())
    return reduce(loss * w, reduction, (w.sum() if total else 0.0) if per_weight else None)


def mse(y_true: Any, y_pred: Any, *, weight: Any = None, reduction: str = "mean") -> Any:
    """Squared error ``e²`` (``torch.nn.functional.mse_loss``). ``weight`` w, y_pred's shape:
    ``w·e²``, "mean" ``Σ w·e² / Σ w`` (nan with gradient 0 when ``Σ w = 0``)."""
    y, p, w = _prepare("mse", reduction, y_true, y_pred, weight)
    return _weighted((p - y) ** 2, w, reduction)


def mae(y_true: Any, y_pred: Any, *, weight: Any = None, reduction: str = "mean") -> Any:
    """Absolute error ``|e|`` (``torch.nn.functional.l1_loss``; gradient 0 at e = 0). ``weight``
    w, y_pred's shape: ``w·|e|``, "mean" ``Σ w·|e| / Σ w`` (nan with gradient 0 when ``Σ w = 0``)."""
    y, p, w = _prepare("mae", reduction, y_true, y_pred, weight)
    return _weighted((p - y).abs(), w, reduction)


def log_cosh(y_true: Any, y_pred: Any, *, reduction: str = "mean") -> Any:
    """``log cosh e``, evaluated as ``e + softplus(-2e) - log 2`` (no overflow; Keras). No ``|e|``:
    its kink at 0 would make the second derivative 0 there instead of sech²(0) = 1."""
    y, p = prepare("log_cosh", reduction, y_true=y_true, y_pred=y_pred)
    e = p - y
    return reduce(e + (-2.0 * e).softplus() - math.log(2.0), reduction)


def msle(y_true: Any, y_pred: Any, *, reduction: str = "mean") -> Any:
    """``(log(1 + max(ŷ, ε)) - log(1 + max(y, ε)))²`` with ε = 1e-7
    (Keras ``mean_squared_logarithmic_error``)."""
    y, p = prepare("msle", reduction, y_true=y_true, y_pred=y_pred)
    d = p.clip(min=_KERAS_EPSILON).log1p() - y.clip(min=_KERAS_EPSILON).log1p()
    return reduce(d**2, reduction)


def mape(y_true: Any, y_pred: Any, *, reduction: str = "mean") -> Any:
    """``100 · |y - ŷ| / max(|y|, ε)`` with ε = 1e-7 (Keras ``mean_absolute_percentage_error``)."""
    y, p = prepare("mape", reduction, y_true=y_true, y_pred=y_pred)
    return reduce(100.0 * ((y - p) / y.abs().clip(min=_KERAS_EPSILON)).abs(), reduction)


def _huber(e: Node, delta: float) -> Node:
    a = e.abs()
    return (0.5 * e**2).where(a.data < delta, delta * (a - 0.5 * delta))


def huber(
    y_true: Any, y_pred: Any, *, delta: float = 1.0, weight: Any = None, reduction: str = "mean"
) -> Any:
    """``½e²`` if ``|e| < δ``, else ``δ(|e| - ½δ)``; δ > 0 (``torch.nn.functional.huber_loss``).
    ``weight`` w, y_pred's shape: ``w·huber``; "mean" is ``mean(w·huber)``, the element mean, as
    PyTorch 2.13's huber_loss (its mse_loss and l1_loss divide by ``Σ w`` instead)."""
    delta = check_number("huber", "delta", delta, 0.0, open_low=True)
    y, p, w = _prepare("huber", reduction, y_true, y_pred, weight)
    return _weighted(_huber(p - y, delta), w, reduction, per_weight=False)


def smooth_l1(y_true: Any, y_pred: Any, *, beta: float = 1.0, reduction: str = "mean") -> Any:
    """``huber(δ=β) / β``: ``½e²/β`` if ``|e| < β``, else ``|e| - ½β``; β = 0 gives ``|e|``
    (``torch.nn.functional.smooth_l1_loss``)."""
    beta = check_number("smooth_l1", "beta", beta, 0.0)
    y, p = prepare("smooth_l1", reduction, y_true=y_true, y_pred=y_pred)
    e = p - y
    return reduce(_huber(e, beta) / beta if beta else e.abs(), reduction)


def quantile(y_true: Any, y_pred: Any, *, q: float = 0.5, reduction: str = "mean") -> Any:
    """Pinball loss ``max(q·(y - ŷ), (q - 1)·(y - ŷ))``, 0 ≤ q ≤ 1 (q = ½ gives ½|e|)."""
    q = check_number("quantile", "q", q, 0.0, 1.0)
    y, p = prepare("quantile", reduction, y_true=y_true, y_pred=y_pred)
    d = y - p
    return reduce((q * d).maximum((q - 1.0) * d), reduction)


def poisson(
    y_true: Any,
    y_pred: Any,
    *,
    log_input: bool = False,
    full: bool = False,
    eps: float = 1e-8,
    reduction: str = "mean",
) -> Any:
    """Poisson negative log-likelihood (``torch.nn.functional.poisson_nll_loss``, but ``log_input``
    defaults to False: ŷ is the rate).

    ``ŷ - y·log(ŷ + eps)``, or ``exp(ŷ) - y·ŷ`` with ``log_input``; ``full`` adds the Stirling
    term ``y·log y - y + ½log(2πy)`` where ``y > 1``.
    """
    log_input = check_flag("poisson", "log_input", log_input)
    full = check_flag("poisson", "full", full)
    eps = check_number("poisson", "eps", eps, 0.0)
    y, p = prepare("poisson", reduction, y_true=y_true, y_pred=y_pred)
    loss = p.exp() - y * p if log_input else p - y * (p + eps).log()
    if full:
        big = y.clip(min=1.0)
        stirling = big * big.log() - big + 0.5 * (2.0 * math.pi * big).log()
        loss = loss + stirling.where(y.data > 1, 0.0)
    return reduce(loss, reduction)


def gaussian_nll(
    y_true: Any,
    y_pred: Any,
    var: Any,
    *,
    full: bool = False,
    eps: float = 1e-6,
    reduction: str = "mean",
) -> Any:
    """Gaussian negative log-likelihood ``½(log v + (ŷ - y)²/v)`` (+ ``½log 2π`` with ``full``)
    (``torch.nn.functional.gaussian_nll_loss``).

    ``v = max(var, eps)`` in value, while the gradient reaches ``var`` as if unclamped (PyTorch
    clamps under ``no_grad``). ``var`` has ŷ's shape, or one axis of size 1 (or the last axis
    left out) for a shared variance, or is a non-negative number.
    """
    full = check_flag("gaussian_nll", "full", full)
    eps = check_number("gaussian_nll", "eps", eps, 0.0)
    if np.isscalar(var):  # one number for every element (text, bools and complex are refused)
        var = real("gaussian_nll", "var", var) + 0.0 * numbers(y_pred)
    y, p, v = prepare("gaussian_nll", reduction, same_shape=False, y_true=y_true, y_pred=y_pred, var=var)
    check_same_shape("gaussian_nll", y_true=y, y_pred=p)
    if v.shape != p.shape:
        if v.shape == p.shape[:-1]:
            v = v.reshape(*v.shape, 1)
        elif v.ndim != p.ndim or sum(b for a, b in zip(p.shape, v.shape) if a != b) != 1:
            raise ValueError(
                f"gaussian_nll: var must have y_pred's shape {p.shape}, that shape with one axis of "
                f"size 1, or without its last axis; got shape {v.shape}"
            )
    if (v.data < 0).any():
        raise ValueError(f"gaussian_nll: var must be >= 0; got minimum {v.data.min()!r}")
    v = v + (v.data.clip(min=eps) - v.data)  # the clamp as a constant shift: no gradient through it
    loss = 0.5 * (v.log() + (p - y) ** 2 / v)
    if full:
        loss = loss + 0.5 * math.log(2.0 * math.pi)
    return reduce(loss, reduction)
