"""``torch.nn.utils`` under torch's names: the gradient clipping ``clip_grad_norm_`` and
``clip_grad_value_``, and the packed sequences of recurrent layers, :mod:`autograd.nn.utils.rnn`.

The clipping itself is written once, in the ``optimizers`` package (``optimizers.clip_grad_norm``,
``optimizers.clip_grad_value``), which is loaded from beside this package when first used.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from ..._siblings import sibling
from ..._tensor import Tensor
from . import rnn


def clip_grad_norm_(
    parameters: Any | Iterable[Any],
    max_norm: float,
    norm_type: float = 2.0,
    error_if_nonfinite: bool = False,
    foreach: bool | None = None,
) -> Tensor:
    r"""Scale all gradients together, in place, so that their total norm is at most ``max_norm``
    (``torch.nn.utils.clip_grad_norm_``):

    .. math::
        g_i \leftarrow g_i \cdot \min\Bigl(\frac{\text{max_norm}}{\lVert (\lVert g_1 \rVert_p,
        \dots, \lVert g_n \rVert_p) \rVert_p + 10^{-6}},\ 1\Bigr)

    Parameters
    ----------
    parameters : Tensor or iterable of Tensor
        The parameters whose ``.grad`` is clipped (``model.parameters()``); those whose grad is
        None are skipped.
    max_norm : float
        The largest total norm allowed.
    norm_type : float or str
        The order p of the norms (default 2; ``float("inf")`` or ``"inf"`` for the largest element).
    error_if_nonfinite : bool
        Raise when the total norm is nan or inf (default False: the gradients become nan).
    foreach : bool, optional
        torch's choice of kernel; accepted and ignored (one implementation here).

    Returns
    -------
    Tensor
        The total norm before clipping, a 0-d Tensor (as torch returns it).

    Raises
    ------
    TypeError
        If ``max_norm`` or ``norm_type`` is not a real number, or ``error_if_nonfinite`` or
        ``foreach`` is not a bool (``foreach`` may be None).
    RuntimeError
        If the total norm is not finite and ``error_if_nonfinite`` is set.
    """
    _check_foreach(foreach)
    total = sibling("optimizers").clip_grad_norm(parameters, max_norm, norm_type, error_if_nonfinite)
    return Tensor(np.float64(total))


def clip_grad_value_(parameters: Any | Iterable[Any], clip_value: float, foreach: bool | None = None) -> None:
    """Clamp every gradient element, in place, into ``[-clip_value, clip_value]``
    (``torch.nn.utils.clip_grad_value_``).

    Parameters
    ----------
    parameters : Tensor or iterable of Tensor
        The parameters whose ``.grad`` is clamped; those whose grad is None are skipped.
    clip_value : float
        The largest absolute value a gradient element keeps.
    foreach : bool, optional
        torch's choice of kernel; accepted and ignored (one implementation here).

    Raises
    ------
    TypeError
        If ``clip_value`` is not a real number, or ``foreach`` is not a bool or None.
    """
    _check_foreach(foreach)
    sibling("optimizers").clip_grad_value(parameters, clip_value)


def _check_foreach(foreach: Any) -> None:
    if foreach is not None and not isinstance(foreach, bool):
        raise TypeError(f"foreach must be a bool or None, got {type(foreach).__name__} {foreach!r}")


__all__ = ["clip_grad_norm_", "clip_grad_value_", "rnn"]


def __getattr__(name: str) -> object:
    """A torch.nn.utils name this module lacks: an AttributeError that says what to write."""
    from ...torch_hints import missing

    raise missing("autograd.nn.utils", name, globals())
