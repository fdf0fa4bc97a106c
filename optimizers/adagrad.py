"""Adagrad: per-coordinate learning rates from the sum of squared gradients."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._fma import addcmul_
from ._validate import Flag, LearningRate, NonNegative
from .base import Optimizer, ParamGroup, Params


class Adagrad(Optimizer):
    """Adagrad, following ``torch.optim.Adagrad``.

    With ``g`` the gradient (negated if ``maximize``, plus ``weight_decay * p``)
    and ``t`` the step count::

        clr <- lr / (1 + (t - 1) * lr_decay)
        s   <- s + g * g                      (s starts at initial_accumulator_value)
        p   <- p - clr * g / (sqrt(s) + eps)

    State: ``step``, ``sum``.

    Parameters
    ----------
    params : iterable of Tensor, Value or dict
        The parameters to update (``model.parameters()``), or parameter groups: dicts with a
        ``"params"`` list and their own hyperparameters.
    lr : float
        The learning rate (default 1e-2).
    lr_decay : float
        The learning-rate decay per step (default 0).
    weight_decay : float
        L2 penalty added to the gradient, ``g + weight_decay * p`` (default 0).
    initial_accumulator_value : float
        The starting value of the sum of squared gradients (default 0).
    eps : float
        Term added to the denominator for numerical stability (default 1e-10).
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

    def __init__(
        self,
        params: Params,
        lr: LearningRate = 1e-2,
        lr_decay: NonNegative = 0,
        weight_decay: NonNegative = 0,
        initial_accumulator_value: NonNegative = 0,
        eps: NonNegative = 1e-10,
        *,
        maximize: Flag = False,
    ) -> None:
        super().__init__(params, locals())

    def _init_state(self, state: dict[str, Any], param: np.ndarray, group: ParamGroup) -> None:
        state["sum"] = np.full_like(param, group["initial_accumulator_value"])

    def _update(
        self,
        param: np.ndarray,
        grad: np.ndarray,
        state: dict[str, Any],
        group: ParamGroup,
    ) -> None:
        clr = group["lr"] / (1 + (state["step"] - 1) * group["lr_decay"])
        tmp = self._tmp
        addcmul_(state["sum"], grad, grad)
        std = tmp("std", np.add, tmp("std", np.sqrt, state["sum"]), group["eps"])
        param += tmp("adagrad", np.divide, tmp("adagrad", np.multiply, grad, -clr), std)
