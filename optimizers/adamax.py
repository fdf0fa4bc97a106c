"""Adamax: Adam with an infinity-norm second moment."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._validate import Betas, Flag, LearningRate, NonNegative
from .base import Optimizer, ParamGroup, Params, lerp_


class Adamax(Optimizer):
    """Adamax, following ``torch.optim.Adamax``.

    With ``g`` the gradient (negated if ``maximize``, plus ``weight_decay * p``)
    and ``t`` the step count::

        m <- beta1 * m + (1 - beta1) * g
        u <- max(beta2 * u, |g| + eps)
        p <- p - lr / (1 - beta1^t) * m / u

    State: ``step``, ``exp_avg``, ``exp_inf``.

    Parameters
    ----------
    params : iterable of Tensor, Value or dict
        The parameters to update (``model.parameters()``), or parameter groups: dicts with a
        ``"params"`` list and their own hyperparameters.
    lr : float
        The learning rate (default 2e-3).
    betas : tuple of float
        The decay rates ``(beta1, beta2)`` of the first and second moment averages (default (0.9,
        0.999)).
    eps : float
        Term added to the denominator for numerical stability (default 1e-8).
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

    buffers = ("exp_avg", "exp_inf")

    def __init__(
        self,
        params: Params,
        lr: LearningRate = 2e-3,
        betas: Betas = (0.9, 0.999),
        eps: NonNegative = 1e-8,
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
        beta1, beta2 = group["betas"]
        exp_avg, exp_inf = state["exp_avg"], state["exp_inf"]
        tmp = self._tmp
        lerp_(exp_avg, grad, 1 - beta1, tmp)
        exp_inf *= beta2
        np.maximum(exp_inf, tmp("adamax", np.add, tmp("adamax", np.abs, grad), group["eps"]), out=exp_inf)
        clr = group["lr"] / (1 - beta1 ** state["step"])
        param += tmp("adamax", np.divide, tmp("adamax", np.multiply, exp_avg, -clr), exp_inf)
