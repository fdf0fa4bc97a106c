"""NAdam: Adam with Nesterov momentum and a momentum-decay schedule."""

from __future__ import annotations

from typing import Any

import numpy as np

from . import _fma
from ._validate import Betas, Flag, LearningRate, NonNegative
from .base import Optimizer, ParamGroup, Params, ema_sq_, lerp_


class NAdam(Optimizer):
    """NAdam, following ``torch.optim.NAdam``.

    With ``g`` the gradient (negated if ``maximize``; plus ``weight_decay * p``,
    or ``p <- p * (1 - lr * weight_decay)`` first if ``decoupled_weight_decay``)
    and ``t`` the step count::

        mu_t  = beta1 * (1 - 0.5 * 0.96^(t * momentum_decay))
        mu_t1 = beta1 * (1 - 0.5 * 0.96^((t + 1) * momentum_decay))
        P     <- P * mu_t                       (mu_product, starts at 1)
        m     <- beta1 * m + (1 - beta1) * g
        v     <- beta2 * v + (1 - beta2) * g * g
        d     = sqrt(v / (1 - beta2^t)) + eps
        p     <- p - lr * (1 - mu_t) / (1 - P) * g / d
                   - lr * mu_t1 / (1 - P * mu_t1) * m / d

    State: ``step``, ``mu_product``, ``exp_avg``, ``exp_avg_sq``.

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
    momentum_decay : float
        The momentum decay ψ (default 4e-3).
    decoupled_weight_decay : bool
        Decay the weights directly, ``p <- p * (1 - lr * weight_decay)``, as AdamW (default False).
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

    buffers = ("exp_avg", "exp_avg_sq")

    def __init__(
        self,
        params: Params,
        lr: LearningRate = 2e-3,
        betas: Betas = (0.9, 0.999),
        eps: NonNegative = 1e-8,
        weight_decay: NonNegative = 0,
        momentum_decay: NonNegative = 4e-3,
        decoupled_weight_decay: Flag = False,
        *,
        maximize: Flag = False,
    ) -> None:
        super().__init__(params, locals())

    def _init_state(self, state: dict[str, Any], param: np.ndarray, group: ParamGroup) -> None:
        super()._init_state(state, param, group)
        state["mu_product"] = 1.0

    def _update(
        self,
        param: np.ndarray,
        grad: np.ndarray,
        state: dict[str, Any],
        group: ParamGroup,
    ) -> None:
        beta1, beta2 = group["betas"]
        lr, step, momentum_decay = group["lr"], state["step"], group["momentum_decay"]
        exp_avg, exp_avg_sq = state["exp_avg"], state["exp_avg_sq"]
        mu = beta1 * (1.0 - 0.5 * (0.96 ** (step * momentum_decay)))
        mu_next = beta1 * (1.0 - 0.5 * (0.96 ** ((step + 1) * momentum_decay)))
        mu_product = state["mu_product"] = state["mu_product"] * mu
        tmp = self._tmp
        lerp_(exp_avg, grad, 1 - beta1, tmp, exact=_fma.EXACT_PRODUCTS)
        ema_sq_(exp_avg_sq, grad, beta2, tmp)
        denom = tmp("denom", np.sqrt, tmp("denom", np.divide, exp_avg_sq, 1 - beta2**step))
        denom = tmp("denom", np.add, denom, group["eps"])
        grad_step = -lr * (1.0 - mu) / (1.0 - mu_product)
        param += tmp("nadam", np.divide, tmp("nadam", np.multiply, grad, grad_step), denom)
        avg_step = -lr * mu_next / (1.0 - mu_product * mu_next)
        param += tmp("nadam", np.divide, tmp("nadam", np.multiply, exp_avg, avg_step), denom)
