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
from ._engine import nograd

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
    r"""Mean squared error (``torch.nn.functional.mse_loss``).

    .. math::

        \ell = (\hat y - y)^2, \qquad \frac{\partial \ell}{\partial \hat y} = 2(\hat y - y)

    With ``weight``, "mean" is :math:`\sum w \ell / \sum w` (nan with gradient 0 when
    :math:`\sum w = 0`), as PyTorch.

    Parameters
    ----------
    y_true : array_like, Tensor, Value or list of Values
        The targets :math:`y`.
    y_pred : Tensor, Value, list of Values or array_like
        The predictions :math:`\hat y`, of ``y_true``'s shape (no broadcasting).
    weight : array_like, optional
        Per-element weights :math:`w` of ``y_pred``'s shape, finite.
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages over all elements, "sum" adds them, "none" returns them.

    Returns
    -------
    Tensor or Value
        A scalar, or the per-element losses with ``reduction="none"``. A Value when the inputs
        hold Values (then the whole graph is drawable).

    Raises
    ------
    TypeError
        If an input is not made of real numbers, or an option has the wrong type.
    ValueError
        If the shapes differ, ``reduction`` is unknown, or ``weight`` has another shape or is not
        finite.

    Warns
    -----
    losses.ArgumentOrderWarning
        When ``y_true`` requires a gradient and ``y_pred`` does not: probably PyTorch's order.
    """
    y, p, w = _prepare("mse", reduction, y_true, y_pred, weight)
    return _weighted((p - y) ** 2, w, reduction)


def mae(y_true: Any, y_pred: Any, *, weight: Any = None, reduction: str = "mean") -> Any:
    r"""Mean absolute error (``torch.nn.functional.l1_loss``).

    .. math::

        \ell = |\hat y - y|, \qquad \frac{\partial \ell}{\partial \hat y} = \operatorname{sign}(\hat
        y - y)

    The gradient at :math:`\hat y = y` is 0, as PyTorch. With ``weight``, "mean" is
    :math:`\sum w \ell / \sum w`.

    Parameters
    ----------
    y_true : array_like, Tensor, Value or list of Values
        The targets :math:`y`.
    y_pred : Tensor, Value, list of Values or array_like
        The predictions :math:`\hat y`, of ``y_true``'s shape (no broadcasting).
    weight : array_like, optional
        Per-element weights :math:`w` of ``y_pred``'s shape, finite.
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages over all elements, "sum" adds them, "none" returns them.

    Returns
    -------
    Tensor or Value
        A scalar, or the per-element losses with ``reduction="none"``. A Value when the inputs
        hold Values (then the whole graph is drawable).

    Raises
    ------
    TypeError
        If an input is not made of real numbers, or an option has the wrong type.
    ValueError
        If the shapes differ, ``reduction`` is unknown, or ``weight`` has another shape or is not
        finite.

    Warns
    -----
    losses.ArgumentOrderWarning
        When ``y_true`` requires a gradient and ``y_pred`` does not: probably PyTorch's order.
    """
    y, p, w = _prepare("mae", reduction, y_true, y_pred, weight)
    return _weighted((p - y).abs(), w, reduction)


def log_cosh(y_true: Any, y_pred: Any, *, reduction: str = "mean") -> Any:
    r"""Log-cosh loss (Keras ``log_cosh``): like MSE near 0, like MAE far out.

    .. math::

        \ell = \log\cosh(\hat y - y), \qquad \frac{\partial \ell}{\partial \hat y} = \tanh(\hat y -
        y)

    Evaluated as :math:`e + \operatorname{softplus}(-2e) - \log 2` with :math:`e = \hat y - y`,
    which does not overflow. No absolute value: its kink would make the second derivative 0 at
    :math:`e = 0` instead of :math:`\operatorname{sech}^2 0 = 1`.

    Parameters
    ----------
    y_true : array_like, Tensor, Value or list of Values
        The targets :math:`y`.
    y_pred : Tensor, Value, list of Values or array_like
        The predictions :math:`\hat y`, of ``y_true``'s shape (no broadcasting).
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages over all elements, "sum" adds them, "none" returns them.

    Returns
    -------
    Tensor or Value
        A scalar, or the per-element losses with ``reduction="none"``. A Value when the inputs
        hold Values (then the whole graph is drawable).

    Raises
    ------
    TypeError
        If an input is not made of real numbers, or an option has the wrong type.
    ValueError
        If the shapes differ, ``reduction`` is unknown.

    Warns
    -----
    losses.ArgumentOrderWarning
        When ``y_true`` requires a gradient and ``y_pred`` does not: probably PyTorch's order.
    """
    y, p = prepare("log_cosh", reduction, y_true=y_true, y_pred=y_pred)
    e = p - y
    return reduce(e + (-2.0 * e).softplus() - math.log(2.0), reduction)


def msle(y_true: Any, y_pred: Any, *, reduction: str = "mean") -> Any:
    r"""Mean squared logarithmic error (Keras ``mean_squared_logarithmic_error``).

    .. math::

        \ell = \bigl(\log(1 + \max(\hat y, \varepsilon)) - \log(1 + \max(y, \varepsilon))\bigr)^2,
        \quad \varepsilon = 10^{-7}

    Parameters
    ----------
    y_true : array_like, Tensor, Value or list of Values
        The targets :math:`y`.
    y_pred : Tensor, Value, list of Values or array_like
        The predictions :math:`\hat y`, of ``y_true``'s shape (no broadcasting).
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages over all elements, "sum" adds them, "none" returns them.

    Returns
    -------
    Tensor or Value
        A scalar, or the per-element losses with ``reduction="none"``. A Value when the inputs
        hold Values (then the whole graph is drawable).

    Raises
    ------
    TypeError
        If an input is not made of real numbers, or an option has the wrong type.
    ValueError
        If the shapes differ, ``reduction`` is unknown.

    Warns
    -----
    losses.ArgumentOrderWarning
        When ``y_true`` requires a gradient and ``y_pred`` does not: probably PyTorch's order.
    """
    y, p = prepare("msle", reduction, y_true=y_true, y_pred=y_pred)
    d = p.clip(min=_KERAS_EPSILON).log1p() - y.clip(min=_KERAS_EPSILON).log1p()
    return reduce(d**2, reduction)


def mape(y_true: Any, y_pred: Any, *, reduction: str = "mean") -> Any:
    r"""Mean absolute percentage error (Keras ``mean_absolute_percentage_error``).

    .. math::

        \ell = 100\,\frac{|y - \hat y|}{\max(|y|, \varepsilon)}, \quad \varepsilon = 10^{-7}

    Parameters
    ----------
    y_true : array_like, Tensor, Value or list of Values
        The targets :math:`y`.
    y_pred : Tensor, Value, list of Values or array_like
        The predictions :math:`\hat y`, of ``y_true``'s shape (no broadcasting).
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages over all elements, "sum" adds them, "none" returns them.

    Returns
    -------
    Tensor or Value
        A scalar, or the per-element losses with ``reduction="none"``. A Value when the inputs
        hold Values (then the whole graph is drawable).

    Raises
    ------
    TypeError
        If an input is not made of real numbers, or an option has the wrong type.
    ValueError
        If the shapes differ, ``reduction`` is unknown.

    Warns
    -----
    losses.ArgumentOrderWarning
        When ``y_true`` requires a gradient and ``y_pred`` does not: probably PyTorch's order.
    """
    y, p = prepare("mape", reduction, y_true=y_true, y_pred=y_pred)
    return reduce(100.0 * ((y - p) / y.abs().clip(min=_KERAS_EPSILON)).abs(), reduction)


def _huber(e: Node, delta: float) -> Node:
    a = e.abs()
    inside = nograd(lambda d: ~(d >= delta), a)  # (nan inside: its gradient is nan, as torch's)
    # the square of e inside only: outside, e = ±inf would make its gradient 0 * inf = nan
    return (0.5 * e.where(inside, 0.0) ** 2).where(inside, delta * (a - 0.5 * delta))


def huber(
    y_true: Any, y_pred: Any, *, delta: float = 1.0, weight: Any = None, reduction: str = "mean"
) -> Any:
    r"""Huber loss (``torch.nn.functional.huber_loss``): quadratic inside ``delta``, linear outside.

    .. math::

        \ell = \begin{cases} \tfrac12 e^2 & |e| < \delta \\ \delta\,(|e| - \tfrac12 \delta) &
        \text{otherwise} \end{cases}, \qquad e = \hat y - y

    Its derivative is :math:`e` clipped to :math:`[-\delta, \delta]`. With ``weight``, "mean" is
    the element mean of :math:`w \ell`, as PyTorch 2.13's ``huber_loss`` (its ``mse_loss`` and
    ``l1_loss`` divide by :math:`\sum w` instead).

    Parameters
    ----------
    y_true : array_like, Tensor, Value or list of Values
        The targets :math:`y`.
    y_pred : Tensor, Value, list of Values or array_like
        The predictions :math:`\hat y`, of ``y_true``'s shape (no broadcasting).
    delta : float
        The threshold :math:`\delta > 0` (default 1).
    weight : array_like, optional
        Per-element weights :math:`w` of ``y_pred``'s shape, finite.
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages over all elements, "sum" adds them, "none" returns them.

    Returns
    -------
    Tensor or Value
        A scalar, or the per-element losses with ``reduction="none"``. A Value when the inputs
        hold Values (then the whole graph is drawable).

    Raises
    ------
    TypeError
        If an input is not made of real numbers, or an option has the wrong type.
    ValueError
        If the shapes differ, ``reduction`` is unknown, ``delta`` is not positive, or ``weight`` has
        another shape or is not finite.

    Warns
    -----
    losses.ArgumentOrderWarning
        When ``y_true`` requires a gradient and ``y_pred`` does not: probably PyTorch's order.
    """
    delta = check_number(
        "huber",
        "delta",
        delta,
        0.0,
        open_low=True,
        torch_says="huber_loss does not support non-positive values for delta.",
    )
    y, p, w = _prepare("huber", reduction, y_true, y_pred, weight)
    return _weighted(_huber(p - y, delta), w, reduction, per_weight=False)


def smooth_l1(y_true: Any, y_pred: Any, *, beta: float = 1.0, reduction: str = "mean") -> Any:
    r"""Smooth L1 loss (``torch.nn.functional.smooth_l1_loss``): ``huber(delta=beta) / beta``.

    .. math::

        \ell = \begin{cases} \tfrac12 e^2 / \beta & |e| < \beta \\ |e| - \tfrac12 \beta &
        \text{otherwise} \end{cases}, \qquad e = \hat y - y

    Parameters
    ----------
    y_true : array_like, Tensor, Value or list of Values
        The targets :math:`y`.
    y_pred : Tensor, Value, list of Values or array_like
        The predictions :math:`\hat y`, of ``y_true``'s shape (no broadcasting).
    beta : float
        The threshold :math:`\beta \ge 0` (default 1); 0 gives :math:`|e|`.
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages over all elements, "sum" adds them, "none" returns them.

    Returns
    -------
    Tensor or Value
        A scalar, or the per-element losses with ``reduction="none"``. A Value when the inputs
        hold Values (then the whole graph is drawable).

    Raises
    ------
    TypeError
        If an input is not made of real numbers, or an option has the wrong type.
    ValueError
        If the shapes differ, ``reduction`` is unknown, or ``beta`` is negative.

    Warns
    -----
    losses.ArgumentOrderWarning
        When ``y_true`` requires a gradient and ``y_pred`` does not: probably PyTorch's order.
    """
    beta = check_number(
        "smooth_l1", "beta", beta, 0.0, torch_says="smooth_l1_loss does not support negative values for beta."
    )
    y, p = prepare("smooth_l1", reduction, y_true=y_true, y_pred=y_pred)
    e = p - y
    return reduce(_huber(e, beta) / beta if beta else e.abs(), reduction)


def quantile(y_true: Any, y_pred: Any, *, q: float = 0.5, reduction: str = "mean") -> Any:
    r"""Quantile (pinball) loss: its minimiser is the ``q``-quantile of the target.

    .. math::

        \ell = \max\bigl(q\,(y - \hat y),\ (q - 1)(y - \hat y)\bigr)

    Parameters
    ----------
    y_true : array_like, Tensor, Value or list of Values
        The targets :math:`y`.
    y_pred : Tensor, Value, list of Values or array_like
        The predictions :math:`\hat y`, of ``y_true``'s shape (no broadcasting).
    q : float
        The quantile, :math:`0 \le q \le 1` (default 0.5, which gives :math:`\tfrac12 |e|`).
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages over all elements, "sum" adds them, "none" returns them.

    Returns
    -------
    Tensor or Value
        A scalar, or the per-element losses with ``reduction="none"``. A Value when the inputs
        hold Values (then the whole graph is drawable).

    Raises
    ------
    TypeError
        If an input is not made of real numbers, or an option has the wrong type.
    ValueError
        If the shapes differ, ``reduction`` is unknown, or ``q`` is outside [0, 1].

    Warns
    -----
    losses.ArgumentOrderWarning
        When ``y_true`` requires a gradient and ``y_pred`` does not: probably PyTorch's order.
    """
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
    r"""Poisson negative log-likelihood (``torch.nn.functional.poisson_nll_loss``).

    .. math::

        \ell = \hat y - y \log(\hat y + \epsilon), \quad\text{or with log\_input:}\quad \ell =
        e^{\hat y} - y\,\hat y

    Parameters
    ----------
    y_true : array_like, Tensor, Value or list of Values
        The targets :math:`y`.
    y_pred : Tensor, Value, list of Values or array_like
        The predictions :math:`\hat y`, of ``y_true``'s shape (no broadcasting).
    log_input : bool
        Whether ``y_pred`` is the log of the rate. Default False (ŷ is the rate), unlike
        PyTorch's default.
    full : bool
        Add the Stirling term :math:`y \log y - y + \tfrac12 \log(2\pi y)` where :math:`y > 1`.
    eps : float
        Added to the rate inside the log (default 1e-8).
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages over all elements, "sum" adds them, "none" returns them.

    Returns
    -------
    Tensor or Value
        A scalar, or the per-element losses with ``reduction="none"``. A Value when the inputs
        hold Values (then the whole graph is drawable).

    Raises
    ------
    TypeError
        If an input is not made of real numbers, or an option has the wrong type.
    ValueError
        If the shapes differ, ``reduction`` is unknown.

    Warns
    -----
    losses.ArgumentOrderWarning
        When ``y_true`` requires a gradient and ``y_pred`` does not: probably PyTorch's order.
    """
    log_input = check_flag("poisson", "log_input", log_input)
    full = check_flag("poisson", "full", full)
    eps = check_number("poisson", "eps", eps, 0.0)
    y, p = prepare("poisson", reduction, y_true=y_true, y_pred=y_pred)
    loss = p.exp() - y * p if log_input else p - y * (p + eps).log()
    if full:
        # torch's term, masked where y <= 1: its gradient there is 0 times the term's own, nan at y = 0
        stirling = y * y.log() - y + 0.5 * (2.0 * math.pi * y).log()
        loss = loss + stirling.where(nograd(lambda d: d > 1, y), 0.0)
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
    r"""Gaussian negative log-likelihood (``torch.nn.functional.gaussian_nll_loss``).

    .. math::

        \ell = \tfrac12 \Bigl(\log v + \frac{(\hat y - y)^2}{v}\Bigr) \;\bigl(+ \tfrac12 \log 2\pi
        \text{ with full}\bigr), \qquad v = \max(\text{var}, \epsilon)

    Parameters
    ----------
    y_true : array_like, Tensor, Value or list of Values
        The targets :math:`y`.
    y_pred : Tensor, Value, list of Values or array_like
        The predictions :math:`\hat y`, of ``y_true``'s shape (no broadcasting).
    var : array_like, Tensor or float
        The variance: ŷ's shape, that shape with one axis of size 1 (or the last axis left out)
        for a shared variance, or a non-negative number.
    full : bool
        Add the constant :math:`\tfrac12 \log 2\pi`.
    eps : float
        The floor of the variance (default 1e-6). The clamp changes the value only: the
        gradient reaches ``var`` as if unclamped (PyTorch clamps under ``no_grad``).
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages over all elements, "sum" adds them, "none" returns them.

    Returns
    -------
    Tensor or Value
        A scalar, or the per-element losses with ``reduction="none"``. A Value when the inputs
        hold Values (then the whole graph is drawable).

    Raises
    ------
    TypeError
        If an input is not made of real numbers, or an option has the wrong type.
    ValueError
        If the shapes differ, ``reduction`` is unknown, ``var`` has a shape that does not fit, or is
        negative.

    Warns
    -----
    losses.ArgumentOrderWarning
        When ``y_true`` requires a gradient and ``y_pred`` does not: probably PyTorch's order.
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
    v = v + nograd(lambda d: d.clip(min=eps) - d, v)  # the clamp as a shift no gradient passes through
    loss = 0.5 * (v.log() + (p - y) ** 2 / v)
    if full:
        loss = loss + 0.5 * math.log(2.0 * math.pi)
    return reduce(loss, reduction)
