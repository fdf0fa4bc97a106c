"""Rprop: resilient backpropagation, a per-element step size driven by gradient signs."""

from __future__ import annotations

from typing import Annotated, Any

import numpy as np

from ._validate import Flag, LearningRate, check_nonneg, check_pair, check_range
from .base import Optimizer, ParamGroup, Params


def _check_etas(name: str, value: Any) -> tuple[Any, Any]:
    """``(eta_minus, eta_plus)`` with ``0 < eta_minus < 1 < eta_plus``."""
    eta_minus, eta_plus = check_pair(name, value)
    check_range(f"{name}[0]", eta_minus, low=0, high=1, low_open=True, high_open=True)
    check_range(f"{name}[1]", eta_plus, low=1, low_open=True)
    return eta_minus, eta_plus


def _check_step_sizes(name: str, value: Any) -> tuple[Any, Any]:
    """``(step_size_min, step_size_max)`` with ``0 <= min <= max`` (max may be inf)."""
    low, high = check_pair(name, value)
    check_nonneg(f"{name}[0]", low)
    check_range(f"{name}[1]", high, low=low, finite=False)
    return low, high


Etas = Annotated[tuple[float, float], _check_etas]
StepSizes = Annotated[tuple[float, float], _check_step_sizes]


def _sign(x: np.ndarray) -> np.ndarray:
    """``sign(x)`` with ``sign(nan) = 0``, as ``torch.sign`` (a nan gradient moves nothing)."""
    return np.where(np.isnan(x), 0.0, np.sign(x))


class Rprop(Optimizer):
    """Rprop, following ``torch.optim.Rprop`` (no weight decay, as in torch).

    Every element keeps its own step size ``s`` (starting at ``lr``); with ``g`` the
    gradient (negated if ``maximize``) and ``g_prev`` the one stored last step::

        f = eta_plus if g * g_prev > 0, eta_minus if g * g_prev < 0, else 1
        s <- clamp(s * f, step_size_min, step_size_max)
        g <- 0 where g * g_prev < 0          (a sign flip: skip this element once)
        p <- p - sign(g) * s;   g_prev <- g

    State: ``step``, ``prev``, ``step_size``.

    Parameters
    ----------
    params : iterable of Tensor, Value or dict
        The parameters to update (``model.parameters()``), or parameter groups: dicts with a
        ``"params"`` list and their own hyperparameters.
    lr : float
        The learning rate (default 1e-2: each element's first step size).
    etas : tuple of float
        ``(eta_minus, eta_plus)``: the step-size factors after a sign flip and after agreement
        (default (0.5, 1.2)).
    step_sizes : tuple of float
        The smallest and largest step size (default (1e-6, 50)).
    maximize : bool
        Maximize the objective: step along the gradient instead of against it.

    Raises
    ------
    TypeError
        If ``params`` is not an iterable of parameters or groups (a Module: pass
        ``model.parameters()``), or holds something without ``.data`` and ``.grad``.
    ValueError
        If a hyperparameter is out of its range (the message names it, the range and the value),
        ``params`` is empty, or lists a parameter twice.
    """

    buffers = ("prev",)
    nonneg_buffers = ("step_size",)

    def __init__(
        self,
        params: Params,
        lr: LearningRate = 1e-2,
        etas: Etas = (0.5, 1.2),
        step_sizes: StepSizes = (1e-6, 50),
        *,
        maximize: Flag = False,
    ) -> None:
        super().__init__(params, locals())

    def _init_state(self, state: dict[str, Any], param: np.ndarray, group: ParamGroup) -> None:
        super()._init_state(state, param, group)
        state["step_size"] = np.full_like(param, group["lr"])

    def _weight_decay(self, param: np.ndarray, grad: np.ndarray, group: ParamGroup) -> np.ndarray:
        return grad

    def _update(
        self,
        param: np.ndarray,
        grad: np.ndarray,
        state: dict[str, Any],
        group: ParamGroup,
    ) -> None:
        eta_minus, eta_plus = group["etas"]
        prev, step_size = state["prev"], state["step_size"]
        sign = _sign(grad * prev)
        factor = np.select([sign > 0, sign < 0], [eta_plus, eta_minus], 1.0)
        step_size *= factor.astype(step_size.dtype)
        np.clip(step_size, *group["step_sizes"], out=step_size)
        grad = np.where(sign < 0, 0, grad)
        param -= _sign(grad) * step_size
        prev[...] = grad
