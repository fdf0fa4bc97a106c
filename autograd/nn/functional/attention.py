"""``torch.nn.functional``'s attention: ``scaled_dot_product_attention``, composed from the engine's
``matmul``, ``softmax`` and ``where`` (so its derivatives of every order follow, and it compiles).

The helpers ``_attention`` and ``_mask_bias`` are shared with :class:`~autograd.nn.MultiheadAttention`.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..._operands import as_tensor
from ..._tensor import Tensor, nograd
from ...graph import is_tracing
from ._common import _real
from .dropout import _probability, dropout


def scaled_dot_product_attention(
    query: Any,
    key: Any,
    value: Any,
    attn_mask: Any = None,
    dropout_p: float = 0.0,
    is_causal: bool = False,
    scale: float | None = None,
    enable_gqa: bool = False,
) -> Tensor:
    r"""Attention of ``query`` over ``key`` and ``value``
    (``torch.nn.functional.scaled_dot_product_attention``):

    .. math::

        \operatorname{softmax}\!\left(s\, Q K^\top + B\right) V, \qquad s = 1/\sqrt{E}

    as torch's math backend computes it: :math:`Q\sqrt s` times :math:`(K\sqrt s)^\top`, plus the
    bias :math:`B` of the mask, then a softmax along the last axis; a row whose scores are all
    :math:`-\infty` (every key masked out) gives zeros, as torch's ``_safe_softmax``, not nan.

    Parameters
    ----------
    query : Tensor or array_like
        Shape ``(..., L, E)``: at least 2-d.
    key : Tensor or array_like
        Shape ``(..., S, E)``.
    value : Tensor or array_like
        Shape ``(..., S, Ev)``.
    attn_mask : Tensor or array_like, optional
        Broadcastable to ``(..., L, S)``: a bool mask (True: the key takes part; False: its score
        is :math:`-\infty`) or a float mask added to the scores (its gradient follows).
    dropout_p : float
        The probability of dropping an attention weight (default 0: always applied when above 0,
        as torch; the mask comes from the library's generator).
    is_causal : bool
        Mask out the keys after each query: the lower-triangular ``(L, S)`` mask (default False;
        not with ``attn_mask``).
    scale : float, optional
        The factor :math:`s` of the scores (default :math:`1/\sqrt E`).
    enable_gqa : bool
        Grouped-query attention: ``key`` and ``value`` with fewer heads (axis -3) than ``query``,
        each repeated for ``query``'s heads / their heads (default False).

    Returns
    -------
    Tensor
        Shape ``(..., L, Ev)``.

    Raises
    ------
    RuntimeError
        If an input is less than 2-d, the dtypes differ, the last axes do not fit, ``attn_mask``
        is not bool or float or does not broadcast, ``is_causal`` comes with an ``attn_mask``, the
        heads do not divide for ``enable_gqa``, or the batch axes do not broadcast (torch's
        errors; the message names the argument and the shapes).
    ValueError
        If ``dropout_p`` is not in [0, 1].
    TypeError
        If ``scale`` or ``dropout_p`` is not a real number, or an input is a Value or ValueArray.
    """
    op = "scaled_dot_product_attention"
    q, k, v = (as_tensor(t, f"{op}: {n}") for t, n in ((query, "query"), (key, "key"), (value, "value")))
    if min(q.ndim, k.ndim, v.ndim) < 2:
        raise RuntimeError(
            f"{op}: expected query, key and value to be at least 2-d, (..., L, E), (..., S, E) and "
            f"(..., S, Ev); got query of shape {list(q.shape)}, key {list(k.shape)}, value {list(v.shape)}"
        )
    if not (q.dtype == k.dtype == v.dtype) or q.data.dtype.kind != "f":
        raise RuntimeError(
            f"{op}: expected query, key and value of one floating dtype, got query {q.dtype}, key "
            f"{k.dtype} and value {v.dtype}"
        )
    if k.shape[-1] != q.shape[-1]:
        raise RuntimeError(
            f"{op}: key's last dimension must be query's E={q.shape[-1]}, got key of shape "
            f"{list(k.shape)} for query of shape {list(q.shape)}"
        )
    if v.shape[-2] != k.shape[-2]:
        raise RuntimeError(
            f"{op}: value must have key's S={k.shape[-2]} rows (axis -2), got value of shape "
            f"{list(v.shape)} for key of shape {list(k.shape)}"
        )
    p = _probability(op, dropout_p)
    if scale is not None:
        scale = _real(op, "scale", scale)
    if enable_gqa:
        k, v = _grouped(op, q, k), _grouped(op, q, v)
    batch = _batch_shape(op, q, k, v)
    L, S = q.shape[-2], k.shape[-2]
    if is_causal:
        if attn_mask is not None:
            raise RuntimeError(f"{op}: an explicit attn_mask must not be given with is_causal=True")
        attn_mask = np.tril(np.ones((L, S), dtype=bool))
    bias = _mask_bias(op, "attn_mask", attn_mask, q, batch + (L, S))
    e = q.shape[-1]
    s = (1.0 / math.sqrt(e) if e else math.inf) if scale is None else scale  # (torch: 1/√0 is inf)
    factor = math.sqrt(abs(s))
    scores = (q * (-factor if s < 0 else factor)) @ (k.swapaxes(-2, -1) * factor)
    out, _ = _attention(scores, v, bias, p, safe=True)
    return out


def _attention(scores: Tensor, v: Tensor, bias: Any, p: float, safe: bool) -> tuple[Tensor, Tensor]:
    """``(softmax(scores + bias) @ v, the weights)``, ``p`` the dropout of the weights; ``safe``: a
    row of scores all -inf gives zero weights (torch's ``_safe_softmax``, used by its
    scaled_dot_product_attention), else nan (its ``softmax``, used by MultiheadAttention when it
    returns the weights)."""
    if bias is not None:
        scores = scores + bias
    rows = None
    if safe and scores.shape[-1]:
        rows = nograd(lambda d: np.all(d == -np.inf, axis=-1, keepdims=True), scores)
    if rows is not None and (is_tracing() or rows.any()):  # (a compiled step masks at every call)
        # A masked row's weights are y = exp(s) = 0, and its gradient torch's softmax rule
        # y·(g - Σ g·y) at y = 0: 0 where the incoming gradient g is finite, nan where it is not
        # (as torch's). The other rows are the softmax of their scores.
        y = scores.where(rows, -np.inf).exp()
        weights = (y - y * y.sum(-1, keepdims=True)).where(rows, scores.where(~rows, 0.0).softmax(-1))
    else:
        weights = scores.softmax(-1)
    if p > 0.0:
        weights = dropout(weights, p)
    return weights @ v, weights


def _mask_bias(op: str, name: str, mask: Any, q: Tensor, shape: tuple[int, ...]) -> Any:
    """A mask as what is added to the scores: a bool mask (True: takes part) as a constant array of
    0 and -inf, a float one as a Tensor of ``q``'s dtype (its gradient follows); it must broadcast
    to ``shape``."""
    if mask is None:
        return None
    data = np.asarray(mask.data if isinstance(mask, Tensor) else mask)
    if data.dtype.kind not in "bf":
        raise RuntimeError(f"{op}: expected {name} to be bool or float, got dtype {data.dtype}")
    try:
        fits = np.broadcast_shapes(data.shape, shape) == shape
    except ValueError:
        fits = False
    if not fits:
        raise RuntimeError(
            f"{op}: {name} of shape {list(data.shape)} does not broadcast to the scores' shape "
            f"{list(shape)} (..., L, S)"
        )
    if data.dtype.kind == "b":  # (from a Tensor: computed at every call of a compiled step)
        dtype, source = q.data.dtype, mask if isinstance(mask, Tensor) else data
        return nograd(lambda m: np.where(m, 0.0, -np.inf).astype(dtype), source)
    if isinstance(mask, Tensor):
        return mask if mask.dtype == q.dtype else mask.to(q.dtype)
    return data.astype(q.data.dtype)


def _grouped(op: str, q: Tensor, t: Tensor) -> Tensor:
    """``key`` or ``value`` with its heads (axis -3) each repeated to ``query``'s number of heads."""
    if q.ndim < 3 or t.ndim < 3:
        raise RuntimeError(
            f"{op}: enable_gqa=True needs query, key and value of at least 3 dimensions (..., heads, "
            f"L, E); got query of shape {list(q.shape)} and {list(t.shape)}"
        )
    hq, hk = q.shape[-3], t.shape[-3]
    if hk == 0 or hq % hk:
        raise RuntimeError(
            f"{op}: with enable_gqa=True the number of heads in key and value ({hk}) must divide "
            f"query's ({hq})"
        )
    return t if hq == hk else t.repeat_interleave(hq // hk, dim=t.ndim - 3)


def _batch_shape(op: str, q: Tensor, k: Tensor, v: Tensor) -> tuple[int, ...]:
    """The broadcast batch shape of the three (all axes but the last two), or a RuntimeError."""
    try:
        return tuple(np.broadcast_shapes(q.shape[:-2], k.shape[:-2], v.shape[:-2]))
    except ValueError:
        raise RuntimeError(
            f"{op}: the batch dimensions of query {list(q.shape)}, key {list(k.shape)} and value "
            f"{list(v.shape)} (all but the last two) do not broadcast together"
        ) from None
