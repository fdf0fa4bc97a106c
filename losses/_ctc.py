"""Connectionist temporal classification (``torch.nn.functional.ctc_loss``): the forward (alpha)
recursion in log space, one step per time frame, over all samples and label positions at once; the
engine differentiates it (no hand-written gradient)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._core import Node, TorchInputError, check_flag, check_index, check_order, check_real, prepare, reduce
from ._engine import filled_doc, nograd

_NEG_INF = -np.inf


def _logsumexp(*terms: Node) -> Node:
    """log Σ exp(terms), elementwise; -inf where every term is -inf, with gradient 0 there (never
    0 · inf). The shift and the mask are read from each call's numbers (``nograd``)."""
    shift = nograd(lambda *ds: _finite_max(np.stack(ds)), *terms)
    total = sum((t - shift).exp() for t in terms)
    some = nograd(lambda d: d > 0, total)
    return ((total.where(some, 1.0)).log() + shift).where(some, _NEG_INF)


def _finite_max(stacked: np.ndarray) -> np.ndarray:
    top = stacked.max(axis=0)
    return np.where(np.isfinite(top), top, 0.0)


def _integers(name: str, arg: str, x: Any) -> np.ndarray:
    """``x``'s numbers as ints: integer arrays, or whole floats (a Tensor made from ints)."""
    check_real(name, arg, x)
    data = np.asarray(x.data if hasattr(x, "data") else x)
    if data.dtype.kind == "f" and np.all(np.isfinite(data)) and np.all(data == np.round(data)):
        return data.astype(np.intp)
    if data.dtype.kind not in "iu":
        raise ValueError(f"{name}: {arg} must hold integers; got dtype {data.dtype}")
    return data.astype(np.intp)


def _lengths(name: str, arg: str, x: Any, n: int, high: int, what: str) -> np.ndarray:
    """Per-sample lengths as n non-negative ints at most ``high``."""
    data = _integers(name, arg, x)
    if data.size != n:
        raise ValueError(
            f"{name}: {arg} must be {n} integer length(s); got {data.dtype} of shape {data.shape}"
        )
    data = data.reshape(n).astype(np.intp)
    bad = (data < 0) | (data > high)
    if bad.any():
        i = int(np.argmax(bad))
        raise ValueError(f"{name}: {arg} must lie in [0, {high}] ({what}); got {int(data[i])} at index {i}")
    return data


def _padded(
    name: str, targets: Any, lengths: np.ndarray, batched: bool, n_classes: int, blank: int
) -> np.ndarray:
    """The targets as an (N, S) int array, from padded rows or one concatenated 1-d sequence."""
    data = _integers(name, "targets", targets)
    if batched and data.ndim == 1:  # concatenated
        if data.size != lengths.sum():
            raise ValueError(
                f"{name}: concatenated targets must hold sum(target_lengths) = {lengths.sum()} labels; "
                f"got {data.size}"
            )
        rows = np.zeros((lengths.size, max(int(lengths.max(initial=0)), 1)), dtype=np.intp)
        ends = np.cumsum(lengths)
        for i, (end, k) in enumerate(zip(ends, lengths)):
            rows[i, :k] = data[end - k : end]
        data = rows
    elif not batched:
        if data.ndim != 1:
            raise ValueError(f"{name}: unbatched targets must be 1-d (S,); got shape {data.shape}")
        data = data[None]
    elif data.ndim != 2 or data.shape[0] != lengths.size:
        raise ValueError(
            f"{name}: targets must have shape (N, S) = ({lengths.size}, S) or be 1-d; got {data.shape}"
        )
    if lengths.size and lengths.max() > data.shape[1]:
        raise ValueError(
            f"{name}: target_lengths must be at most targets' S = {data.shape[1]}; got {lengths.max()}"
        )
    used = np.arange(data.shape[1]) < lengths[:, None]
    bad = used & ((data < 0) | (data >= n_classes))
    if bad.any():
        raise ValueError(f"{name}: targets must be class indices in [0, {n_classes - 1}]; got {data[bad][0]}")
    if np.any(used & (data == blank)):
        raise ValueError(
            f"{name}: targets must not contain the blank class {blank} (torch leaves that undefined)"
        )
    return np.where(used, data, 0).astype(np.intp)


@filled_doc
def ctc(
    targets: Any,
    log_probs: Any,
    input_lengths: Any,
    target_lengths: Any,
    *,
    blank: int = 0,
    reduction: str = "mean",
    zero_infinity: bool = False,
) -> Any:
    r"""Connectionist temporal classification loss (``torch.nn.functional.ctc_loss``): the negative
    log-probability of each target sequence, summed over every alignment of it with the frames.

    With the target :math:`l` extended to :math:`l' = (\varnothing, l_1, \varnothing, \dots, l_S,
    \varnothing)` (:math:`\varnothing` the blank), :math:`\alpha_0(s) = y_0(l'_s)` for s < 2 and

    .. math::

        \alpha_t(s) = y_t(l'_s) + \operatorname{logsumexp}(\alpha_{t-1}(s), \alpha_{t-1}(s-1),
        \alpha_{t-1}(s-2))

    (the last term only where :math:`l'_s` is a label other than :math:`l'_{s-2}`); the loss is
    :math:`-\operatorname{logsumexp}(\alpha_{T-1}(2S), \alpha_{T-1}(2S-1))`. A target that no
    alignment fits (too long for its frames) has loss inf and, as torch's, a nan gradient on each
    of its frames (``zero_infinity``: 0).

    Parameters
    ----------
    {CTC_TARGETS}
    {CTC_LOG_PROBS}
    {CTC_LENGTHS}
    {CTC_OPTIONS}

    {CTC_RETURNS}

    Raises
    ------
    ValueError
        If a shape, a length, a label or ``blank`` is out of range, a target holds the blank, or
        ``reduction`` is unknown;
        also a RuntimeError (torch's class) if ``log_probs`` is empty.
    TypeError
        If ``blank`` is not an int or ``zero_infinity`` not a bool.
    """
    name = "ctc"
    check_order(name, targets, log_probs=log_probs)
    (lp,) = prepare(name, reduction, log_probs=log_probs)
    zero_infinity = check_flag(name, "zero_infinity", zero_infinity)
    if lp.ndim not in (2, 3):
        raise ValueError(f"{name}: log_probs must have shape (T, N, C) or (T, C); got {lp.shape}")
    if lp.data.size == 0:
        raise TorchInputError(f"{name}: log_probs must not be empty (as torch); got shape {lp.shape}")
    batched = lp.ndim == 3
    if not batched:
        lp = lp.reshape(lp.shape[0], 1, lp.shape[1])
    n_frames, n, n_classes = lp.shape
    blank = check_index(name, "blank", blank)
    if blank is None or not 0 <= blank < n_classes:
        raise ValueError(f"{name}: blank must be a class index in [0, {n_classes - 1}]; got {blank!r}")
    frames = _lengths(name, "input_lengths", input_lengths, n, n_frames, "at most T")
    tl = _lengths(name, "target_lengths", target_lengths, n, np.iinfo(np.intp).max, "non-negative")
    labels = _padded(name, targets, tl, batched, n_classes, blank)
    loss = _negative_log_likelihood(lp, labels, frames, tl, blank, zero_infinity)
    if zero_infinity:
        loss = loss.where(nograd(lambda d: ~np.isinf(d), loss), 0.0)
    if not batched:
        loss = loss.reshape(())
    if reduction == "mean":
        return reduce(loss / np.maximum(tl, 1).astype(loss.data.dtype), "mean")
    return reduce(loss, reduction)


def _negative_log_likelihood(
    lp: Node, labels: np.ndarray, frames: np.ndarray, tl: np.ndarray, blank: int, zero_infinity: bool
) -> Node:
    """-log p(target | frames) per sample, shape (N,); ``zero_infinity``: 0 (gradient 0) where no
    alignment fits."""
    n, width = lp.shape[1], 2 * labels.shape[1] + 1
    ext = np.full((n, width), blank, dtype=np.intp)
    ext[:, 1::2] = labels
    s = np.arange(width)
    valid = s[None] <= 2 * tl[:, None]  # the positions of each sample's own extended sequence
    skip = (s >= 2) & (ext != blank) & (ext != ext[:, np.maximum(s - 2, 0)])
    rows = np.arange(n)[:, None]
    alpha = lp[0][rows, ext].where(valid & (s < 2), _NEG_INF)
    for t in range(1, lp.shape[0]):
        prev1 = alpha[:, np.maximum(s - 1, 0)].where(np.broadcast_to(s >= 1, (n, width)), _NEG_INF)
        prev2 = alpha[:, np.maximum(s - 2, 0)].where(skip, _NEG_INF)
        step = (lp[t][rows, ext] + _logsumexp(alpha, prev1, prev2)).where(valid, _NEG_INF)
        alpha = step.where((t < frames)[:, None], alpha)
    last = alpha[np.arange(n), 2 * tl]
    before = alpha[np.arange(n), np.maximum(2 * tl - 1, 0)].where(tl > 0, _NEG_INF)
    ll = _logsumexp(last, before)
    none = nograd(np.isneginf, ll)
    if zero_infinity:  # (-0.0: the loss 0.0)
        return -ll.where(~none, -0.0).where(frames > 0, np.where(tl == 0, 0.0, _NEG_INF))
    # no alignment (too few frames, or a needed class of probability 0): the likelihood is the empty
    # sum, written 0 · Σ exp(lp) over the sample's frames, so its -log is inf and its gradient nan on
    # every class of every frame the sample has, as torch's exp(lp) - exp(-inf + inf)
    own = (np.arange(lp.shape[0])[:, None] < frames)[:, :, None]
    empty = (lp.exp().where(own, 0.0).sum(axis=(0, 2)) * 0.0).where(none, 1.0).log()  # (1: log's 0/0)
    return -ll.where(~none, empty).where(frames > 0, np.where(tl == 0, 0.0, _NEG_INF))
