"""RMSprop: divide the gradient by a running RMS of recent gradients."""

from __future__ import annotations

from typing import Any

import numpy as np

from . import _fma
from ._fma import addcmul_, axpy_
from ._validate import Flag, LearningRate, NonNegative
from .base import Optimizer, ParamGroup, Params, ema_sq_, lerp_


class RMSprop(Optimizer):
    """RMSprop, following ``torch.optim.RMSprop``.

    With ``g`` the gradient (negated if ``maximize``, plus ``weight_decay * p``)::

        v <- alpha * v + (1 - alpha) * g * g
        if centered:  m <- alpha * m + (1 - alpha) * g;  d <- sqrt(v - m * m) + eps
        else:         d <- sqrt(v) + eps
        if momentum > 0:  b <- momentum * b + g / d;  p <- p - lr * b
        else:             p <- p - lr * g / d

    State: ``step``, ``square_avg``, ``momentum_buffer`` (momentum > 0),
    ``grad_avg`` (centered).

    Parameters
    ----------
    params : iterable of Tensor, Value or dict
        The parameters to update (``model.parameters()``), or parameter groups: dicts with a
        ``"params"`` list and their own hyperparameters.
    lr : float
        The learning rate (default 1e-2).
    alpha : float
        The smoothing constant of the squared-gradient average (default 0.99).
    eps : float
        Term added to the denominator for numerical stability (default 1e-8).
    weight_decay : float
        L2 penalty added to the gradient, ``g + weight_decay * p`` (default 0).
    momentum : float
        The momentum factor (default 0).
    centered : bool
        Normalise by the estimated variance of the gradient rather than its second moment.
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

    buffers = ("square_avg",)

    def __init__(
        self,
        params: Params,
        lr: LearningRate = 1e-2,
        alpha: NonNegative = 0.99,
        eps: NonNegative = 1e-8,
        weight_decay: NonNegative = 0,
        momentum: NonNegative = 0,
        centered: Flag = False,
        maximize: Flag = False,
    ) -> None:
        super().__init__(params, locals())

    def _init_state(self, state: dict[str, Any], param: np.ndarray, group: ParamGroup) -> None:
        super()._init_state(state, param, group)
        if group["momentum"] > 0:
            state["momentum_buffer"] = np.zeros_like(param)
        if group["centered"]:
            state["grad_avg"] = np.zeros_like(param)

    def _update(
        self,
        param: np.ndarray,
        grad: np.ndarray,
        state: dict[str, Any],
        group: ParamGroup,
    ) -> None:
        alpha = group["alpha"]
        square_avg = state["square_avg"]
        tmp = self._tmp
        ema_sq_(square_avg, grad, alpha, tmp)
        if group["centered"]:
            grad_avg = state["grad_avg"]
            lerp_(grad_avg, grad, 1 - alpha, tmp, exact=_fma.EXACT_PRODUCTS)
            # torch's square_avg.addcmul(grad_avg, grad_avg, value=-1)
            avg = self._copy("avg", square_avg)
            addcmul_(avg, tmp("avg_neg", np.negative, grad_avg), grad_avg)
            avg = tmp("avg", np.sqrt, avg)
        else:
            avg = tmp("avg", np.sqrt, square_avg)
        avg += group["eps"]  # in place: in avg's dtype
        if group["momentum"] > 0:
            buf = state["momentum_buffer"]
            buf *= group["momentum"]
            buf += tmp("rmsprop", np.divide, grad, avg)
            axpy_(param, -group["lr"], buf)
        else:
            param += tmp("rmsprop", np.divide, tmp("rmsprop", np.multiply, grad, -group["lr"]), avg)
