"""Adadelta: step sizes from running averages of squared gradients and updates."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._fma import axpy_
from ._validate import Flag, LearningRate, NonNegative, UnitInterval
from .base import Optimizer, ParamGroup, Params, ema_sq_


class Adadelta(Optimizer):
    """Adadelta, following ``torch.optim.Adadelta``.

    With ``g`` the gradient (negated if ``maximize``, plus ``weight_decay * p``)::

        v  <- rho * v + (1 - rho) * g * g
        dx = sqrt(u + eps) / sqrt(v + eps) * g
        u  <- rho * u + (1 - rho) * dx * dx
        p  <- p - lr * dx

    State: ``step``, ``square_avg`` (v), ``acc_delta`` (u).

    Parameters
    ----------
    params : iterable of Tensor, Value or dict
        The parameters to update (``model.parameters()``), or parameter groups: dicts with a
        ``"params"`` list and their own hyperparameters.
    lr : float
        The learning rate (default 1.0).
    rho : float
        The decay rate of the squared averages (default 0.9).
    eps : float
        Term added to the denominator for numerical stability (default 1e-6).
    weight_decay : float
        L2 penalty added to the gradient, ``g + weight_decay * p`` (default 0).
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

    buffers = ("square_avg", "acc_delta")

    def __init__(
        self,
        params: Params,
        lr: LearningRate = 1.0,
        rho: UnitInterval = 0.9,
        eps: NonNegative = 1e-6,
        weight_decay: NonNegative = 0,
        *,
        maximize: Flag = False,
    ) -> None:
        super().__init__(params, locals())

    def _update(
        self,
        param: np.ndarray,
        grad: np.ndarray,
        state: dict[str, Any],
        group: ParamGroup,
    ) -> None:
        rho, eps = group["rho"], group["eps"]
        tmp = self._tmp
        ema_sq_(state["square_avg"], grad, rho, tmp)
        std = tmp("std", np.sqrt, tmp("std", np.add, state["square_avg"], eps))
        delta = tmp("delta", np.sqrt, tmp("delta", np.add, state["acc_delta"], eps))
        delta = tmp("delta", np.multiply, tmp("delta", np.divide, delta, std), grad)
        ema_sq_(state["acc_delta"], delta, rho, tmp)
        axpy_(param, -group["lr"], delta)
