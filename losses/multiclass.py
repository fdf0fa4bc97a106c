"""Multi-class losses over a class axis (``axis``, default -1 as Keras; PyTorch's class axis is 1,
so pass ``axis=1`` for its ``(N, C, d1, ...)`` layout) of C classes. ``y`` is a target
distribution (one-hot or soft), ``k`` an integer label, ``p`` the predicted probabilities, ``log p``
their logarithm (``log_softmax`` of logits with ``from_logits=True``, else the log clamped at
≥ -100). Each sample's loss sums over the class axis; "mean" averages over the samples."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ._core import (
    LabelError,
    Node,
    Tensor,
    TorchInputError,
    bad_classes,
    check_flag,
    check_index,
    check_number,
    check_order,
    check_range,
    class_axis,
    class_scores,
    class_weight,
    first_bad,
    focal_factor,
    followed,
    from_labels,
    lifted,
    log_clamped,
    prepare,
    real,
    reduce,
    trained,
)
from ._engine import guard, is_tracing, nograd


def _log_probs(name: str, p: Node, from_logits: bool, axis: int) -> Node:
    if check_flag(name, "from_logits", from_logits):
        return p.log_softmax(axis)
    check_range(name, "y_pred", p, 0.0, 1.0, "probabilities", "pass from_logits=True for logits")
    return log_clamped(p)


def _cross_entropy(target: Any, log_p: Node, weight: np.ndarray | None, axis: int) -> Node:
    """``-Σ_c w_c·t_c·log p_c`` over the class axis; a zero target on a masked (-inf) logit adds 0
    (``0·log 0 = 0``: selected away by ``where``, never ``0·(-inf)``)."""
    terms = target * log_p
    masked = nograd(lambda t, lp: (t == 0) & np.isneginf(lp), target, log_p)
    if is_tracing() or bool(masked.any()):  # (a compiled step masks at every call)
        terms = terms.where(~masked, 0.0)
    return -(terms if weight is None else lifted(weight, terms) * terms).sum(axis)


def categorical_cross_entropy(
    y_true: Any,
    y_pred: Any,
    *,
    from_logits: bool = False,
    label_smoothing: float = 0.0,
    weight: Any = None,
    axis: int = -1,
    reduction: str = "mean",
) -> Any:
    r"""Cross-entropy against target distributions (``torch.nn.functional.cross_entropy`` with
    probability targets).

    .. math::

        \ell = -\sum_c w_c\, y_c \log p_c

    "mean" averages over samples (not weights), as PyTorch does for probability targets.
    Probabilities are not renormalised (Keras divides p by its sum). A zero target on a -inf logit
    adds 0 (0·log 0 = 0), where PyTorch gives nan. On logits the gradient is
    :math:`\operatorname{softmax}(x) - y` for unit weights and a normalised y.

    Parameters
    ----------
    y_true : array_like, Tensor, Value or list of Values
        Target distributions :math:`y` over the class axis (one-hot for hard labels).
    y_pred : Tensor, Value, list of Values or array_like
        Predicted probabilities :math:`p`, or logits with ``from_logits``.
    from_logits : bool
        Whether ``y_pred`` holds logits :math:`x` (then :math:`\log p =
        \operatorname{log\_softmax}(x)`,
        exact for any logit) rather than probabilities.
    label_smoothing : float
        ε in [0, 1]: the target becomes :math:`y(1 - ε) + ε/C`.
    weight : array_like, optional
        One weight :math:`w_c` per class.
    axis : int
        The class axis (default -1, as Keras; pass 1 for PyTorch's ``(N, C, ...)`` layout).
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages over samples, "sum" adds, "none" returns the per-sample losses.

    Returns
    -------
    Tensor or Value
        A scalar, or the per-sample losses with ``reduction="none"``. A Value when the inputs hold
        Values (then the whole graph is drawable).

    Raises
    ------
    TypeError
        If an input is not made of real numbers, or an option has the wrong type.
    ValueError
        If the shapes do not fit, ``reduction`` is unknown, a probability or target is outside [0,
        1], or ``weight`` does not have one entry per class.

    Warns
    -----
    losses.ArgumentOrderWarning
        When ``y_true`` requires a gradient and ``y_pred`` does not: probably PyTorch's order.
    """
    name = "categorical_cross_entropy"
    ls = check_number(name, "label_smoothing", label_smoothing, 0.0, 1.0)
    y, p = prepare(name, reduction, y_true=y_true, y_pred=y_pred)
    axis = class_axis(name, axis, p.ndim)
    check_range(name, "y_true", y, 0.0, 1.0, "probabilities")
    n_classes = p.shape[axis]
    if ls:
        y = y * (1.0 - ls) + ls / n_classes
    w = None if weight is None else class_weight(name, "weight", weight, n_classes, p.ndim, axis)
    w = None if w is None else trained(weight, w, p)
    return reduce(_cross_entropy(y, _log_probs(name, p, from_logits, axis), w, axis), reduction)


def _labels(
    name: str, y_true: Any, shape: tuple[int, ...], axis: int, ignore_index: int | None, own: bool = True
) -> tuple[np.ndarray, np.ndarray]:
    """Integer labels (one per sample: ``shape`` without ``axis``) and the mask of kept samples;
    ``own``: the caller's int array itself may be returned (nothing else is computed from the
    labels' numbers, so a compiled step can read them at every call)."""
    n_classes = shape[axis]
    labels = real(name, "y_true", y_true)
    expected = shape[:axis] + shape[axis + 1 :]
    if labels.shape != expected:
        fits = [a for a in range(len(shape)) if shape[:a] + shape[a + 1 :] == labels.shape]
        hint = (
            f"; for classes on axis {fits[0]} pass axis={fits[0]} (PyTorch's class axis is 1, the "
            "default -1 is Keras's)"
            if fits
            else ""
        )
        raise TorchInputError(  # (torch: a RuntimeError)
            f"{name}: y_true must hold one class label per sample, shape {expected} (y_pred's shape "
            f"{shape} without the class axis {axis}); got shape {labels.shape}{hint}"
        )
    ignore_index = check_index(name, "ignore_index", ignore_index)
    kept = np.ones(labels.shape, dtype=bool) if ignore_index is None else labels != ignore_index
    bad = kept & ~((labels >= 0) & (labels < n_classes) & (labels == np.round(labels)))
    if bad.any():
        allowed = "" if ignore_index is None else f" or ignore_index {ignore_index}"
        found = labels[tuple(np.argwhere(bad)[0])]
        torch_says = f" (Target {int(found)} is out of bounds.)" if np.isfinite(found) else ""
        raise LabelError(
            f"{name}: y_true must be integer class labels in [0, {n_classes - 1}]{allowed}; "
            f"got {first_bad(labels, bad)}{torch_says}"
        )
    raw = y_true.data if isinstance(y_true, Tensor) else y_true
    if own and isinstance(raw, np.ndarray) and raw.dtype == np.intp and kept.all():
        # the caller's own array (so a compiled step reads it at every call), while it holds
        guard(_labels_hold(n_classes, ignore_index), raw, what=f"the labels are in [0, {n_classes - 1}]")
        return raw, kept
    if isinstance(raw, np.ndarray):  # (a copy: a compiled step keeps it while the labels are these)
        traced = raw.copy()
        same = lambda k: k.shape == traced.shape and bool(np.array_equal(k, traced))  # noqa: E731
        guard(same, raw, what="the labels as traced (some ignored, or not int64)")
    return np.where(kept, labels, 0).astype(np.intp), kept


def _labels_hold(n_classes: int, ignore_index: int | None) -> Any:
    """Whether integer labels are all classes, none ignored: what a compiled step checks before
    it indexes with a new batch's labels (else it traces again, and the trace says what is wrong)."""
    ignored = ignore_index is not None and 0 <= ignore_index < n_classes

    def holds(k: np.ndarray) -> bool:
        if not k.size:
            return True
        return bool(k.min() >= 0 and k.max() < n_classes and not (ignored and (k == ignore_index).any()))

    return holds


def _sparse(
    name: str,
    y_true: Any,
    log_p: Node,
    label_smoothing: float,
    weight: Any,
    ignore_index: int | None,
    axis: int,
    reduction: str,
) -> Any:
    """``torch.nn.functional.nll_loss`` on ``log_p`` with label smoothing as ``cross_entropy``:
    ``(1 - ε)·w_k·(-log p_k) + (ε/C)·Σ_c w_c·(-log p_c)``, ignored samples 0 and "mean" dividing by
    ``Σ w_k`` over the kept samples. ``log p_k`` is picked by integer indexing (its gradient a
    scatter-add), so a masked (-inf) logit elsewhere in the row stays out of the loss."""
    n_classes = log_p.shape[axis]
    graph = weight is not None and is_tracing() and isinstance(log_p, Tensor)
    k, kept = _labels(name, y_true, log_p.shape, axis, ignore_index, own=weight is None or graph)
    w = None if weight is None else class_weight(name, "weight", weight, n_classes, log_p.ndim, axis)
    if graph:  # (the per-sample weights as graph operations: a compiled step reads labels and weights)
        w = followed(weight, w, log_p)
    sample_w = kept if w is None else w.reshape(-1)[k] * kept
    counted = sample_w != 0
    index = list(np.indices(k.shape, sparse=True))
    index.insert(axis, k)
    picked = log_p[tuple(index)]
    loss = -(picked if not graph and counted.all() else picked.where(counted, 0.0))  # never 0·(-inf)
    if w is not None:
        loss = loss * lifted(sample_w, loss)
    if label_smoothing:
        smooth = -(log_p if w is None else lifted(w, log_p) * log_p).sum(axis)
        smooth = smooth if kept.all() else smooth.where(kept, 0.0)
        loss = (1.0 - label_smoothing) * loss + (label_smoothing / n_classes) * smooth
    return reduce(loss, reduction, lifted(sample_w.sum(), loss) if graph else float(sample_w.sum()))


def sparse_categorical_cross_entropy(
    y_true: Any,
    y_pred: Any,
    *,
    from_logits: bool = False,
    label_smoothing: float = 0.0,
    weight: Any = None,
    ignore_index: int | None = None,
    axis: int = -1,
    reduction: str = "mean",
) -> Any:
    r"""Cross-entropy of integer labels (``torch.nn.functional.cross_entropy`` with class indices).

    .. math::

        \ell = -w_k \log p_k, \qquad
        \ell_\varepsilon = (1 - \varepsilon)\,w_k\,(-\log p_k) + \frac{\varepsilon}{C} \sum_c
        w_c\,(-\log p_c)

    "mean" is :math:`\sum \ell / \sum w_k` over the kept samples, as PyTorch; a mean over
    nothing (every sample ignored or weighted 0) is nan with gradient 0. :math:`\log p_k` is
    picked by indexing, never multiplied by a zero, so a masked logit (-inf) on another class
    gives PyTorch's finite loss and gradient.

    Parameters
    ----------
    y_true : array_like of int
        Integer class labels :math:`k`, ``y_pred``'s shape without the class axis.
    y_pred : Tensor, Value, list of Values or array_like
        Predicted probabilities :math:`p`, or logits with ``from_logits``.
    from_logits : bool
        Whether ``y_pred`` holds logits :math:`x` (then :math:`\log p =
        \operatorname{log\_softmax}(x)`,
        exact for any logit) rather than probabilities.
    label_smoothing : float
        ε in [0, 1]: the target becomes :math:`y(1 - ε) + ε/C`.
    weight : array_like, optional
        One weight :math:`w_c` per class.
    ignore_index : int, optional
        A label whose samples add 0 and are left out of the mean.
    axis : int
        The class axis (default -1, as Keras; pass 1 for PyTorch's ``(N, C, ...)`` layout).
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages over samples, "sum" adds, "none" returns the per-sample losses.

    Returns
    -------
    Tensor or Value
        A scalar, or the per-sample losses with ``reduction="none"``. A Value when the inputs hold
        Values (then the whole graph is drawable).

    Raises
    ------
    TypeError
        If an input is not made of real numbers, or an option has the wrong type.
    ValueError
        If the shapes do not fit, ``reduction`` is unknown, a label is out of range, or ``weight``
        does not have one entry per class.

    Warns
    -----
    losses.ArgumentOrderWarning
        When ``y_true`` requires a gradient and ``y_pred`` does not: probably PyTorch's order.
    """
    name = "sparse_categorical_cross_entropy"
    ls = check_number(name, "label_smoothing", label_smoothing, 0.0, 1.0)
    check_order(name, y_true, y_pred=y_pred)
    (p,) = prepare(name, reduction, y_pred=y_pred)
    axis = class_axis(name, axis, p.ndim)
    log_p = _log_probs(name, p, from_logits, axis)
    return _sparse(name, y_true, log_p, ls, weight, ignore_index, axis, reduction)


def nll(
    y_true: Any,
    y_pred: Any,
    *,
    weight: Any = None,
    ignore_index: int | None = None,
    axis: int = -1,
    reduction: str = "mean",
) -> Any:
    r"""Negative log-likelihood of integer labels, given log-probabilities
    (``torch.nn.functional.nll_loss``).

    .. math::

        \ell = -w_k\, \hat y_k

    "mean" is :math:`\sum \ell / \sum w_k` over the samples not ignored.

    Parameters
    ----------
    y_true : array_like of int
        Integer class labels :math:`k`, ``y_pred``'s shape without the class axis.
    y_pred : Tensor, Value, list of Values or array_like
        Log-probabilities :math:`\hat y` (for example ``x.log_softmax(axis)``).
    weight : array_like, optional
        One weight :math:`w_c` per class.
    ignore_index : int, optional
        A label whose samples add 0 and are left out of the mean.
    axis : int
        The class axis (default -1, as Keras; pass 1 for PyTorch's ``(N, C, ...)`` layout).
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages over samples, "sum" adds, "none" returns the per-sample losses.

    Returns
    -------
    Tensor or Value
        A scalar, or the per-sample losses with ``reduction="none"``. A Value when the inputs hold
        Values (then the whole graph is drawable).

    Raises
    ------
    TypeError
        If an input is not made of real numbers, or an option has the wrong type.
    ValueError
        If the shapes do not fit, ``reduction`` is unknown, a label is out of range, or ``weight``
        does not have one entry per class.

    Warns
    -----
    losses.ArgumentOrderWarning
        When ``y_true`` requires a gradient and ``y_pred`` does not: probably PyTorch's order.
    """
    check_order("nll", y_true, y_pred=y_pred)
    (log_p,) = prepare("nll", reduction, y_pred=y_pred)
    axis = class_axis("nll", axis, log_p.ndim)
    return _sparse("nll", y_true, log_p, 0.0, weight, ignore_index, axis, reduction)


def categorical_hinge(y_true: Any, y_pred: Any, *, axis: int = -1, reduction: str = "mean") -> Any:
    r"""Categorical hinge loss for one-hot targets and scores (Keras ``categorical_hinge``).

    .. math::

        \ell = \max\Bigl(0,\ 1 + \max_c\,(1 - y_c)\,\hat y_c - \sum_c y_c\, \hat y_c\Bigr)

    Parameters
    ----------
    y_true : array_like, Tensor, Value or list of Values
        Target distributions :math:`y` over the class axis (one-hot for hard labels).
    y_pred : Tensor, Value, list of Values or array_like
        Raw scores :math:`\hat y`.
    axis : int
        The class axis (default -1, as Keras; pass 1 for PyTorch's ``(N, C, ...)`` layout).
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages over samples, "sum" adds, "none" returns the per-sample losses.

    Returns
    -------
    Tensor or Value
        A scalar, or the per-sample losses with ``reduction="none"``. A Value when the inputs hold
        Values (then the whole graph is drawable).

    Raises
    ------
    TypeError
        If an input is not made of real numbers, or an option has the wrong type.
    ValueError
        If the shapes do not fit, ``reduction`` is unknown.

    Warns
    -----
    losses.ArgumentOrderWarning
        When ``y_true`` requires a gradient and ``y_pred`` does not: probably PyTorch's order.
    """
    y, p = prepare("categorical_hinge", reduction, y_true=y_true, y_pred=y_pred)
    axis = class_axis("categorical_hinge", axis, p.ndim)
    check_range("categorical_hinge", "y_true", y, 0.0, 1.0, "one-hot targets")
    positive = (y * p).sum(axis)
    negative = ((1.0 - y) * p).max(axis)
    return reduce((1.0 + negative - positive).clip(min=0.0), reduction)


def categorical_focal(
    y_true: Any,
    y_pred: Any,
    *,
    gamma: float = 2.0,
    alpha: Any = None,
    from_logits: bool = False,
    axis: int = -1,
    reduction: str = "mean",
) -> Any:
    r"""Multi-class focal loss (Keras ``CategoricalFocalCrossentropy``).

    .. math::

        \ell = -\sum_c \alpha_c\,(1 - p_c)^\gamma\, y_c \log p_c

    With ``from_logits``, :math:`p = \operatorname{softmax}(x)` and
    :math:`\log p = \operatorname{log\_softmax}(x)`. Probabilities are not renormalised and their
    log is clamped at ≥ -100 (Keras renormalises and clips p to [1e-7, 1 - 1e-7]).

    Parameters
    ----------
    y_true : array_like, Tensor, Value or list of Values
        Target distributions :math:`y` over the class axis (one-hot for hard labels).
    y_pred : Tensor, Value, list of Values or array_like
        Predicted probabilities :math:`p`, or logits with ``from_logits``.
    gamma : float
        The focusing exponent :math:`\gamma \ge 0` (default 2).
    alpha : float or array_like, optional
        One number, or one per class; None (default) is 1.
    from_logits : bool
        Whether ``y_pred`` holds logits :math:`x` (then :math:`\log p =
        \operatorname{log\_softmax}(x)`,
        exact for any logit) rather than probabilities.
    axis : int
        The class axis (default -1, as Keras; pass 1 for PyTorch's ``(N, C, ...)`` layout).
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages over samples, "sum" adds, "none" returns the per-sample losses.

    Returns
    -------
    Tensor or Value
        A scalar, or the per-sample losses with ``reduction="none"``. A Value when the inputs hold
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
    name = "categorical_focal"
    gamma = check_number(name, "gamma", gamma, 0.0)
    y, p = prepare(name, reduction, y_true=y_true, y_pred=y_pred)
    axis = class_axis(name, axis, p.ndim)
    check_range(name, "y_true", y, 0.0, 1.0, "probabilities")
    log_p = _log_probs(name, p, from_logits, axis)
    prob = log_p.exp() if from_logits else p
    w = None
    if alpha is not None:
        n_classes = p.shape[axis]
        w = real(name, "alpha", alpha)
        w = np.full(n_classes, w) if w.ndim == 0 else w
        w = followed(alpha, class_weight(name, "alpha", w, n_classes, p.ndim, axis), p)
    return reduce(_cross_entropy(y * focal_factor(1.0 - prob, gamma), log_p, w, axis), reduction)


def multiclass_hinge(
    y_true: Any,
    y_pred: Any,
    *,
    p: int = 1,
    margin: float = 1.0,
    weight: Any = None,
    reduction: str = "mean",
) -> Any:
    r"""Multi-class hinge (SVM) loss of integer labels and class scores
    (``torch.nn.functional.multi_margin_loss``, ``torch.nn.MultiMarginLoss``; CS231n's SVM loss
    divided by C).

    .. math::

        \ell = \frac{1}{C} \sum_{j \ne k} w_k \max(0,\ \text{margin} - s_k + s_j)^p

    for a sample of scores :math:`s` (C classes) and label :math:`k`; a term adds only where
    :math:`\text{margin} - s_k + s_j > 0` (so a nan score adds 0 and its gradient is 0, as torch).

    Parameters
    ----------
    y_true : array_like of int
        Class labels :math:`k` in [0, C - 1]: shape ``(N,)`` for scores ``(N, C)``; ``()`` or
        ``(1,)`` for a single sample ``(C,)``.
    y_pred : Tensor, Value, list of Values or array_like
        Scores :math:`s`, shape ``(N, C)`` or ``(C,)`` (a number is one class).
    p : {1, 2}
        1 (default) for the hinge, 2 for its square.
    margin : float
        The margin (default 1).
    weight : array_like, optional
        One weight :math:`w_c` per class, shape ``(C,)``; a sample's terms take its label's weight.
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages over samples, "sum" adds, "none" returns the per-sample losses
        (``y_true``'s shape).

    Returns
    -------
    Tensor or Value
        A scalar, or the per-sample losses with ``reduction="none"``. A Value when the inputs hold
        Values (then the whole graph is drawable).

    Raises
    ------
    TypeError
        If an input is not made of real numbers.
    ValueError
        If ``reduction`` is unknown, ``p`` is not 1 or 2, ``margin`` is not a number, ``weight`` is
        not one-dimensional. A shape that does not fit, a label out of range or a weight of the wrong
        length raise an error that is also torch's RuntimeError, with its message.

    Warns
    -----
    losses.ArgumentOrderWarning
        When ``y_true`` requires a gradient and ``y_pred`` does not: probably PyTorch's order.
    """
    name = "multiclass_hinge"
    if isinstance(p, (str, bytes)) or p not in (1, 2):
        raise ValueError(f"{name}: p must be 1 or 2 (only p == 1 and p == 2 supported); got {p!r}")
    margin = check_number(name, "margin", margin, -math.inf)
    check_order(name, y_true, y_pred=y_pred)
    (x,) = prepare(name, reduction, y_pred=y_pred)
    s = class_scores(name, x)
    n, c = s.shape
    k = real(name, "y_true", y_true)
    if k.ndim > 1 or k.size != n:
        raise TorchInputError(
            f"{name}: y_true must hold one class label per sample, shape ({n},) for y_pred of shape "
            f"{x.shape} (multi_margin_loss: target tensor should be 1-D with size equal to the number of "
            f"input samples (batch size). Expected target size [{n}], but got {list(k.shape)}. Input has "
            f"shape {list(x.shape)}.); got shape {k.shape}"
        )
    bad = bad_classes(k, 0, c)
    if bad.any():
        raise TorchInputError(
            f"{name}: y_true must be class labels in [0, {c - 1}] (target out of range); "
            f"got {first_bad(k, bad)}"
        )
    holds = lambda t: t.size == n and not bad_classes(t, 0, c).any()  # noqa: E731
    picked = from_labels(lambda t: t.reshape(n, 1) == np.arange(c), y_true, k, s, holds, "labels in range")
    z = (margin - s.where(picked, 0.0).sum(1).reshape(n, 1)) + s  # margin - s_k + s_j
    active = nograd(lambda z, picked: (z > 0) & ~picked, z, picked)  # (nan is not > 0)
    terms = z.where(active, 0.0)
    if p == 2:
        terms = terms * terms
    if weight is not None:
        w = real(name, "weight", weight)
        if w.ndim != 1:
            raise ValueError(f"{name}: weight must be one-dimensional, shape ({c},); got shape {w.shape}")
        if w.shape != (c,):
            raise TorchInputError(
                f"{name}: weight must have one entry per class, shape ({c},) (inconsistent weight size, "
                f"expected {c} but got {list(w.shape)}); got shape {w.shape}"
            )
        pick = lambda w, picked: np.where(picked, w, 0.0).sum(1, keepdims=True)  # noqa: E731  (w_k, exact)
        w_k = nograd(pick, followed(weight, w, s), picked)
        terms = (terms * lifted(w_k, terms)).where(active, 0.0)  # (a nan or inf weight: only where active)
    return reduce((terms.sum(1) / c).reshape(k.shape), reduction)
