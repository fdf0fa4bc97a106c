"""RAdam: Adam with a rectified (variance-corrected) adaptive learning rate."""

from __future__ import annotations

from typing import Any

import numpy as np

from . import _fma
from ._validate import Betas, Flag, LearningRate, NonNegative
from .base import Optimizer, ParamGroup, Params, ema_sq_, lerp_


class RAdam(Optimizer):
    """RAdam, following ``torch.optim.RAdam``.

    With ``g`` the gradient (negated if ``maximize``; plus ``weight_decay * p``,
    or ``p <- p * (1 - lr * weight_decay)`` first if ``decoupled_weight_decay``)
    and ``t`` the step count::

        m      <- beta1 * m + (1 - beta1) * g
        v      <- beta2 * v + (1 - beta2) * g * g
        m_hat  = m / (1 - beta1^t)
        rho_inf = 2 / (1 - beta2) - 1
        rho_t   = rho_inf - 2 t beta2^t / (1 - beta2^t)
        if rho_t > 5:
            r = sqrt((rho_t - 4)(rho_t - 2) rho_inf / ((rho_inf - 4)(rho_inf - 2) rho_t))
            p <- p - lr * m_hat * sqrt(1 - beta2^t) / (sqrt(v) + eps) * r
        else:
            p <- p - lr * m_hat

    State: ``step``, ``exp_avg``, ``exp_avg_sq``.

    Parameters
    ----------
    params : iterable of Tensor, Value or dict
        The parameters to update (``model.parameters()``), or parameter groups: dicts with a
        ``"params"`` list and their own hyperparameters.
    lr : float
        The learning rate (default 1e-3).
    betas : tuple of float
        The decay rates ``(beta1, beta2)`` of the first and second moment averages (default (0.9,
        0.999)).
    eps : float
        Term added to the denominator for numerical stability (default 1e-8).
    weight_decay : float
        L2 penalty added to the gradient, ``g + weight_decay * p`` (default 0).
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
        lr: LearningRate = 1e-3,
        betas: Betas = (0.9, 0.999),
        eps: NonNegative = 1e-8,
        weight_decay: NonNegative = 0,
        decoupled_weight_decay: Flag = False,
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
        lr, step = group["lr"], state["step"]
        exp_avg, exp_avg_sq = state["exp_avg"], state["exp_avg_sq"]
        tmp = self._tmp
        lerp_(exp_avg, grad, 1 - beta1, tmp, exact=_fma.EXACT_PRODUCTS)
        ema_sq_(exp_avg_sq, grad, beta2, tmp)
        bias_correction2 = 1 - beta2**step
        bias_corrected_exp_avg = tmp("radam", np.divide, exp_avg, 1 - beta1**step)
        rho_inf = 2 / (1 - beta2) - 1
        rho_t = rho_inf - 2 * step * (beta2**step) / bias_correction2
        if rho_t > 5.0:
            rect = ((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t)) ** 0.5
            adaptive_lr = tmp("adaptive_lr", np.add, tmp("adaptive_lr", np.sqrt, exp_avg_sq), group["eps"])
            # torch's float / tensor: tensor.reciprocal() * float
            adaptive_lr = tmp("adaptive_lr", np.divide, 1, adaptive_lr)
            adaptive_lr = tmp("adaptive_lr", np.multiply, adaptive_lr, bias_correction2**0.5)
            update = tmp("radam", np.multiply, bias_corrected_exp_avg, lr)
            param -= tmp("radam", np.multiply, tmp("radam", np.multiply, update, adaptive_lr), rect)
        else:
            param -= tmp("radam", np.multiply, bias_corrected_exp_avg, lr)
