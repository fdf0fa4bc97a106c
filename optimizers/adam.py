"""Adam and AdamW (AdamW = Adam with decoupled weight decay, as in torch)."""

from __future__ import annotations

from typing import Any

import numpy as np

from . import _fma
from ._validate import Betas, Flag, LearningRate, NonNegative
from .base import Optimizer, ParamGroup, Params, ema_sq_, lerp_


class Adam(Optimizer):
    """Adam, following ``torch.optim.Adam``.

    With ``g`` the gradient (negated if ``maximize``; plus ``weight_decay * p``,
    or ``p <- p * (1 - lr * weight_decay)`` first if ``decoupled_weight_decay``)
    and ``t`` the step count::

        m <- beta1 * m + (1 - beta1) * g
        v <- beta2 * v + (1 - beta2) * g * g
        if amsgrad:  v_max <- max(v_max, v);  v_hat = v_max  else  v_hat = v
        p <- p - lr / (1 - beta1^t) * m / (sqrt(v_hat) / sqrt(1 - beta2^t) + eps)

    State: ``step``, ``exp_avg``, ``exp_avg_sq``, ``max_exp_avg_sq`` (amsgrad).

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
    amsgrad : bool
        Use the maximum of the past second moments (AMSGrad).
    maximize : bool
        Maximize the objective: step along the gradient instead of against it.
    decoupled_weight_decay : bool
        Decay the weights directly, ``p <- p * (1 - lr * weight_decay)``, as AdamW (default False).

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
        amsgrad: Flag = False,
        *,
        maximize: Flag = False,
        decoupled_weight_decay: Flag = False,
    ) -> None:
        super().__init__(params, locals())

    def _init_state(self, state: dict[str, Any], param: np.ndarray, group: ParamGroup) -> None:
        super()._init_state(state, param, group)
        if group["amsgrad"]:
            state["max_exp_avg_sq"] = np.zeros_like(param)

    def _update(
        self,
        param: np.ndarray,
        grad: np.ndarray,
        state: dict[str, Any],
        group: ParamGroup,
    ) -> None:
        beta1, beta2 = group["betas"]
        step, exp_avg, exp_avg_sq = state["step"], state["exp_avg"], state["exp_avg_sq"]
        tmp = self._tmp
        lerp_(exp_avg, grad, 1 - beta1, tmp, exact=_fma.EXACT_PRODUCTS)
        ema_sq_(exp_avg_sq, grad, beta2, tmp)
        step_size = group["lr"] / (1 - beta1**step)
        bias_correction2_sqrt = (1 - beta2**step) ** 0.5
        if group["amsgrad"]:
            np.maximum(state["max_exp_avg_sq"], exp_avg_sq, out=state["max_exp_avg_sq"])
            exp_avg_sq = state["max_exp_avg_sq"]
        denom = tmp("denom", np.sqrt, exp_avg_sq)
        denom = tmp("denom", np.add, tmp("denom", np.divide, denom, bias_correction2_sqrt), group["eps"])
        param += tmp("adam", np.divide, tmp("adam", np.multiply, exp_avg, -step_size), denom)


class AdamW(Adam):
    """AdamW, following ``torch.optim.AdamW``: Adam with decoupled weight decay,
    ``p <- p * (1 - lr * weight_decay)`` before the Adam update (default 1e-2).

    Its signature repeats Adam's (as torch's does) because it differs: another default
    and no ``decoupled_weight_decay`` argument (it is always True).

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
        The decoupled weight decay (default 1e-2).
    amsgrad : bool
        Use the maximum of the past second moments (AMSGrad).
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
        lr: LearningRate = 1e-3,
        betas: Betas = (0.9, 0.999),
        eps: NonNegative = 1e-8,
        weight_decay: NonNegative = 1e-2,
        amsgrad: Flag = False,
        *,
        maximize: Flag = False,
    ) -> None:
        super().__init__(
            params,
            lr,
            betas,
            eps,
            weight_decay,
            amsgrad,
            maximize=maximize,
            decoupled_weight_decay=True,
        )
