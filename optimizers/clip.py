"""Gradient clipping with ``torch.nn.utils.clip_grad_norm_`` / ``clip_grad_value_`` semantics.

Both modify ``.grad`` of Values and Tensors (Tensor grads in place); parameters
whose grad is None are ignored.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np

from ._params import grad_array, set_grad
from ._validate import check_bool, check_real


def _with_grads(params: Any | Iterable[Any]) -> list[tuple[Any, np.ndarray]]:
    params = [params] if hasattr(params, "grad") else list(params)
    pairs = [(p, grad_array(p)) for p in params]
    return [(p, g) for p, g in pairs if g is not None]


def _norm_order(norm_type: Any) -> float:
    """``norm_type`` as a float: a real number, or a string of one such as ``'inf'`` (as torch)."""
    if isinstance(norm_type, str):
        try:
            return float(norm_type)
        except ValueError:
            hint = " ('fro', the Frobenius norm, is norm_type=2.0)" if norm_type == "fro" else ""
            raise ValueError(
                "Invalid norm_type: expected a real number p (e.g. 2.0, 1.0, math.inf) or a string "
                f"of one such as 'inf', got {norm_type!r}{hint}"
            ) from None
    return float(check_real("norm_type", norm_type))


def _vector_norm(x: np.ndarray, norm_type: float) -> float:
    """``||x||_p`` of the flattened array (``inf``: max |x|, ``0``: count of non-zeros)."""
    a = np.abs(x)
    if norm_type == math.inf:
        return float(a.max())
    if norm_type == -math.inf:
        return float(a.min())
    if norm_type == 0:
        return float(np.count_nonzero(a))
    return float(np.sum(a**norm_type) ** (1.0 / norm_type))


def clip_grad_norm(
    params: Any | Iterable[Any],
    max_norm: float,
    norm_type: float = 2.0,
    error_if_nonfinite: bool = False,
) -> float:
    r"""Scale all gradients together so that their total norm is at most ``max_norm``
    (``torch.nn.utils.clip_grad_norm_``).

    .. math::

        \text{total} = \bigl\lVert (\lVert g_1 \rVert_p, \dots, \lVert g_n \rVert_p) \bigr\rVert_p,
        \qquad
        g_i \leftarrow g_i \cdot \min\Bigl(\frac{\text{max_norm}}{\text{total} + 10^{-6}},\ 1\Bigr)

    Parameters
    ----------
    params : Tensor, Value or iterable of Tensor or Value
        The parameters whose ``.grad`` is clipped in place (``model.parameters()``); those whose
        grad is None are skipped.
    max_norm : float
        The largest total norm allowed.
    norm_type : float or str
        The order p of the norms (default 2; ``float("inf")`` or ``"inf"`` for the largest
        element).
    error_if_nonfinite : bool
        Raise when the total norm is nan or inf (default False: the gradients become nan).

    Returns
    -------
    float
        The total norm before clipping.

    Raises
    ------
    TypeError
        If ``max_norm`` or ``norm_type`` is not a real number, or ``error_if_nonfinite`` not a bool.
    ValueError
        If ``norm_type`` is a string that is not a number (``"fro"`` is ``norm_type=2.0``).
    RuntimeError
        If the total norm is not finite and ``error_if_nonfinite`` is set.
    """
    max_norm, norm_type = float(check_real("max_norm", max_norm)), _norm_order(norm_type)
    check_bool("error_if_nonfinite", error_if_nonfinite)
    pairs = _with_grads(params)
    if not pairs:
        return 0.0
    norms = np.array([_vector_norm(g, norm_type) for _, g in pairs])
    total = _vector_norm(norms, norm_type)
    if error_if_nonfinite and not math.isfinite(total):
        raise RuntimeError(
            f"The total norm of order {norm_type} for gradients from `params` is "
            f"non-finite ({total}), so it cannot be clipped. To disable this error and "
            "scale the gradients by the non-finite norm anyway, set `error_if_nonfinite=False`"
        )
    coef = min(max_norm / (total + 1e-6), 1.0)
    for p, g in pairs:
        with np.errstate(invalid="ignore"):  # inf * 0 -> nan, as in torch
            g *= coef
        set_grad(p, g)
    return total


def clip_grad_value(params: Any | Iterable[Any], clip_value: float) -> None:
    """Clamp every gradient element into ``[-clip_value, clip_value]``
    (``torch.nn.utils.clip_grad_value_``).

    Parameters
    ----------
    params : Tensor, Value or iterable of Tensor or Value
        The parameters whose ``.grad`` is clipped in place (``model.parameters()``); those whose
        grad is None are skipped.
    clip_value : float
        The largest magnitude allowed.

    Raises
    ------
    TypeError
        If ``clip_value`` is not a real number.
    """
    clip_value = float(check_real("clip_value", clip_value))
    for p, g in _with_grads(params):
        np.clip(g, -clip_value, clip_value, out=g)
        set_grad(p, g)
