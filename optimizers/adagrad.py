"""Adagrad: per-coordinate learning rates from the sum of squared gradients."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._validate import Flag, LearningRate, NonNegative
from .base import Optimizer, ParamGroup, Params


class Adagrad(Optimizer):
    r"""Adagrad, following ``torch.optim.Adagrad``.

    With ``g`` the gradient (negated if ``maximize``, plus ``weight_decay * p``)
    and ``t`` the step count::

        clr <- lr / (1 + (t - 1) * lr_decay)
        s   <- s + g * g                      (s starts at initial_accumulator_value)
        p   <- p - clr * g / (sqrt(s) + eps)

    State: ``step``, ``sum``.
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
        state["sum"] += grad * grad
        std = np.sqrt(state["sum"]) + group["eps"]
        param += -clr * grad / std
