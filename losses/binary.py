"""Binary classification losses. ``y`` is the target, ``p`` a probability, ``x`` a logit
(``from_logits=True``) or a raw score (hinge losses); "mean" averages over all elements."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._core import (
    Node,
    check_flag,
    check_number,
    check_range,
    check_values,
    constant,
    focal_factor,
    followed,
    lifted,
    log1m_clamped,
    log_clamped,
    prepare,
    reduce,
)


def _bce(y: Node, p: Node, from_logits: bool, pos_weight: np.ndarray | None = None) -> Node:
    """Elementwise binary cross-entropy, ``pos_weight`` scaling the positive term."""
    if from_logits:
        # -[w·y·log σ(x) + (1-y)·log(1-σ(x))] = (1-y)·x + (1 + (w-1)·y)·softplus(-x)
        log_weight = 1.0 if pos_weight is None else 1.0 + lifted(pos_weight - 1.0, y) * y
        return (1.0 - y) * p + log_weight * (-p).softplus()
    positive = y * log_clamped(p)
    if pos_weight is not None:
        positive = lifted(pos_weight, positive) * positive
    return -(positive + (1.0 - y) * log1m_clamped(p))


def _probabilities(name: str, y: Node, p: Node, from_logits: bool) -> None:
    check_range(name, "y_true", y, 0.0, 1.0, "probabilities")
    if not from_logits:
        check_range(name, "y_pred", p, 0.0, 1.0, "probabilities", "pass from_logits=True for logits")


def binary_cross_entropy(
    y_true: Any,
    y_pred: Any,
    *,
    from_logits: bool = False,
    label_smoothing: float = 0.0,
    weight: Any = None,
    pos_weight: Any = None,
    reduction: str = "mean",
) -> Any:
    r"""Binary cross-entropy (``torch.nn.functional.binary_cross_entropy``, ``..._with_logits``).

    .. math::

        \ell = -w\,\bigl[p_w\, y \log p + (1 - y) \log(1 - p)\bigr]

        \ell_{\text{logits}} = w\,\bigl[(1 - y)\,x + (1 + (p_w -
        1)\,y)\operatorname{softplus}(-x)\bigr]

    On probabilities each log is clamped at ≥ -100, as PyTorch, so a prediction of exactly 0 or 1
    gives a finite loss, and the clamped term's gradient is 0 there (PyTorch's own backward gives
    ±1e12). The gradient on logits is :math:`w\,(\sigma(x) - y)` for :math:`p_w = 1`. "mean" is
    the mean of the weighted losses, as PyTorch.

    Parameters
    ----------
    y_true : array_like, Tensor, Value or list of Values
        The targets :math:`y \in [0, 1]`.
    y_pred : Tensor, Value, list of Values or array_like
        The predicted probabilities :math:`p`, or logits :math:`x` with ``from_logits``;
        ``y_true``'s shape.
    from_logits : bool
        Whether ``y_pred`` holds logits :math:`x` (then :math:`p = \sigma(x)`, computed exactly
        for any logit) rather than probabilities.
    label_smoothing : float
        ε in [0, 1]: the target becomes :math:`y(1 - ε) + ε/2` (Keras).
    weight : array_like, optional
        Weights :math:`w`, broadcast to the loss.
    pos_weight : array_like, optional
        The weight :math:`p_w` of the positive term, broadcast to the loss.
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages over all elements, "sum" adds, "none" returns the per-element
        losses.

    Returns
    -------
    Tensor or Value
        A scalar, or the per-element losses with ``reduction="none"``. A Value when the inputs hold
        Values (then the whole graph is drawable).

    Raises
    ------
    TypeError
        If an input is not made of real numbers, or an option has the wrong type.
    ValueError
        If the shapes do not fit, ``reduction`` is unknown, a probability or target is outside [0,
        1], or a weight does not broadcast.

    Warns
    -----
    losses.ArgumentOrderWarning
        When ``y_true`` requires a gradient and ``y_pred`` does not: probably PyTorch's order.
    """
    name = "binary_cross_entropy"
    ls = check_number(name, "label_smoothing", label_smoothing, 0.0, 1.0)
    from_logits = check_flag(name, "from_logits", from_logits)
    y, p = prepare(name, reduction, y_true=y_true, y_pred=y_pred)
    _probabilities(name, y, p, from_logits)
    if ls:
        y = y * (1.0 - ls) + 0.5 * ls
    pw = None if pos_weight is None else constant(name, "pos_weight", pos_weight, p.shape)
    loss = _bce(y, p, from_logits, None if pw is None else followed(pos_weight, pw, p))
    if weight is not None:
        loss = loss * lifted(followed(weight, constant(name, "weight", weight, p.shape), p), loss)
    return reduce(loss, reduction)


def _hinge_labels(name: str, y: Node) -> Node:
    """Labels -1/1; labels that are all 0/1 become -1/1 (``2y - 1``) as Keras does."""
    check_values(name, "y_true", y, (-1.0, 0.0, 1.0), "labels in {-1, 1} (or {0, 1})")
    data = y.data
    if (data == 0).any() and (data == -1).any():
        raise ValueError(f"{name}: y_true must be labels in {{-1, 1}} or in {{0, 1}}; got both -1 and 0")
    return 2.0 * y - 1.0 if np.isin(data, (0.0, 1.0)).all() else y


def hinge(y_true: Any, y_pred: Any, *, reduction: str = "mean") -> Any:
    r"""Hinge loss (Keras ``hinge``), the SVM's: zero once the margin :math:`y\,x` reaches 1.

    .. math::

        \ell = \max(0,\ 1 - y\,x)

    Parameters
    ----------
    y_true : array_like, Tensor, Value or list of Values
        The labels :math:`y \in \{-1, 1\}` (0/1 labels are converted to -1/1).
    y_pred : Tensor, Value, list of Values or array_like
        The raw scores :math:`x`, of ``y_true``'s shape.
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages over all elements, "sum" adds, "none" returns the per-element
        losses.

    Returns
    -------
    Tensor or Value
        A scalar, or the per-element losses with ``reduction="none"``. A Value when the inputs hold
        Values (then the whole graph is drawable).

    Raises
    ------
    TypeError
        If an input is not made of real numbers, or an option has the wrong type.
    ValueError
        If the shapes do not fit, ``reduction`` is unknown, or a label is not in {-1, 1} or {0, 1}.

    Warns
    -----
    losses.ArgumentOrderWarning
        When ``y_true`` requires a gradient and ``y_pred`` does not: probably PyTorch's order.
    """
    y, p = prepare("hinge", reduction, y_true=y_true, y_pred=y_pred)
    return reduce((1.0 - _hinge_labels("hinge", y) * p).clip(min=0.0), reduction)


def squared_hinge(y_true: Any, y_pred: Any, *, reduction: str = "mean") -> Any:
    r"""Squared hinge loss (Keras ``squared_hinge``): smooth at the margin.

    .. math::

        \ell = \max(0,\ 1 - y\,x)^2

    Parameters
    ----------
    y_true : array_like, Tensor, Value or list of Values
        The labels :math:`y \in \{-1, 1\}` (0/1 labels are converted to -1/1).
    y_pred : Tensor, Value, list of Values or array_like
        The raw scores :math:`x`, of ``y_true``'s shape.
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages over all elements, "sum" adds, "none" returns the per-element
        losses.

    Returns
    -------
    Tensor or Value
        A scalar, or the per-element losses with ``reduction="none"``. A Value when the inputs hold
        Values (then the whole graph is drawable).

    Raises
    ------
    TypeError
        If an input is not made of real numbers, or an option has the wrong type.
    ValueError
        If the shapes do not fit, ``reduction`` is unknown, or a label is not in {-1, 1} or {0, 1}.

    Warns
    -----
    losses.ArgumentOrderWarning
        When ``y_true`` requires a gradient and ``y_pred`` does not: probably PyTorch's order.
    """
    y, p = prepare("squared_hinge", reduction, y_true=y_true, y_pred=y_pred)
    return reduce((1.0 - _hinge_labels("squared_hinge", y) * p).clip(min=0.0) ** 2, reduction)


def soft_margin(y_true: Any, y_pred: Any, *, reduction: str = "mean") -> Any:
    r"""Soft margin (logistic) loss for labels :math:`y \in \{-1, 1\}` and scores :math:`x`
    (``torch.nn.functional.soft_margin_loss``).

    .. math::

        \ell = \log\bigl(1 + e^{-y x}\bigr) = \operatorname{softplus}(-y x)

    Evaluated as ``softplus(-y·x)``: finite where torch's ``log1p(exp(-y·x))`` overflows (for
    :math:`-yx > 709`).

    Parameters
    ----------
    y_true : array_like
        Labels :math:`y \in \{-1, 1\}`.
    y_pred : Tensor, Value, list of Values or array_like
        The scores :math:`x`, ``y_true``'s shape.
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages over all elements, "sum" adds, "none" returns the per-element
        losses.

    Returns
    -------
    Tensor or Value
        A scalar, or the per-element losses with ``reduction="none"``. A Value when the inputs hold
        Values (then the whole graph is drawable).

    Raises
    ------
    TypeError
        If an input is not made of real numbers.
    ValueError
        If the shapes differ, ``reduction`` is unknown, or a label is not in {-1, 1}.

    Warns
    -----
    losses.ArgumentOrderWarning
        When ``y_true`` requires a gradient and ``y_pred`` does not: probably PyTorch's order.
    """
    y, x = prepare("soft_margin", reduction, y_true=y_true, y_pred=y_pred)
    check_values("soft_margin", "y_true", y, (-1.0, 1.0), "labels in {-1, 1}")
    return reduce((-y * x).softplus(), reduction)


def binary_focal(
    y_true: Any,
    y_pred: Any,
    *,
    gamma: float = 2.0,
    alpha: float | None = None,
    from_logits: bool = False,
    reduction: str = "mean",
) -> Any:
    r"""Focal loss: binary cross-entropy down-weighted on the easy, confidently right examples.

    .. math::

        \ell = \alpha_t\,(1 - p_t)^\gamma\,\operatorname{bce}(y, p)

        p_t = p\,y + (1 - p)(1 - y), \quad \alpha_t = \alpha\,y + (1 - \alpha)(1 - y)

    With ``from_logits`` this is torchvision's ``sigmoid_focal_loss`` (its ``alpha=-1`` is
    ``None`` here) and Keras' ``BinaryFocalCrossentropy``. On probabilities, bce is
    :func:`binary_cross_entropy` (logs clamped at -100).

    Parameters
    ----------
    y_true : array_like, Tensor, Value or list of Values
        The targets :math:`y \in [0, 1]`.
    y_pred : Tensor, Value, list of Values or array_like
        The predicted probabilities :math:`p`, or logits :math:`x` with ``from_logits``;
        ``y_true``'s shape.
    gamma : float
        The focusing exponent :math:`\gamma \ge 0` (default 2; 0 gives cross-entropy).
    alpha : float, optional
        The weight α of the positives; None (default) weighs both classes 1.
    from_logits : bool
        Whether ``y_pred`` holds logits :math:`x` (then :math:`p = \sigma(x)`, computed exactly
        for any logit) rather than probabilities.
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages over all elements, "sum" adds, "none" returns the per-element
        losses.

    Returns
    -------
    Tensor or Value
        A scalar, or the per-element losses with ``reduction="none"``. A Value when the inputs hold
        Values (then the whole graph is drawable).

    Raises
    ------
    TypeError
        If an input is not made of real numbers, or an option has the wrong type.
    ValueError
        If the shapes do not fit, ``reduction`` is unknown, a probability or target is outside [0,
        1], or ``gamma`` is negative.

    Warns
    -----
    losses.ArgumentOrderWarning
        When ``y_true`` requires a gradient and ``y_pred`` does not: probably PyTorch's order.
    """
    name = "binary_focal"
    gamma = check_number(name, "gamma", gamma, 0.0)
    from_logits = check_flag(name, "from_logits", from_logits)
    y, p = prepare(name, reduction, y_true=y_true, y_pred=y_pred)
    _probabilities(name, y, p, from_logits)
    prob = p.sigmoid() if from_logits else p
    p_t = prob * y + (1.0 - prob) * (1.0 - y)
    loss = _bce(y, p, from_logits) * focal_factor(1.0 - p_t, gamma)
    if alpha is not None:
        alpha = check_number(name, "alpha", alpha, 0.0, 1.0)
        loss = (alpha * y + (1.0 - alpha) * (1.0 - y)) * loss
    return reduce(loss, reduction)
