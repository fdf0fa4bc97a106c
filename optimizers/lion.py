"""Lion (EvoLved Sign Momentum), Chen et al. 2023, "Symbolic Discovery of
Optimization Algorithms" (arXiv:2302.06675); same update as ``optax.lion``."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._validate import Betas, Flag, LearningRate, NonNegative
from .base import Optimizer, ParamGroup, Params


class Lion(Optimizer):
    """Lion. Not in ``torch.optim``; follows the paper's Algorithm 2 / ``optax.lion``.

    With ``g`` the gradient (negated if ``maximize``)::

        p <- p * (1 - lr * weight_decay)              (decoupled weight decay)
        c = beta1 * m + (1 - beta1) * g
        p <- p - lr * sign(c)
        m <- beta2 * m + (1 - beta2) * g

    i.e. ``p <- p - lr * (sign(c) + weight_decay * p)``. Every coordinate moves by
    exactly ``lr`` (or 0), so Lion wants a 3-10x smaller lr than Adam.

    State: ``step``, ``exp_avg`` (m).

    Parameters
    ----------
    params : iterable of Tensor, Value or dict
        The parameters to update (``model.parameters()``), or parameter groups: dicts with a
        ``"params"`` list and their own hyperparameters.
    lr : float
        The learning rate (default 1e-4; about 3-10x smaller than Adam's).
    betas : tuple of float
        ``(beta1, beta2)``: the interpolation for the update's sign and the momentum decay
        (default (0.9, 0.99)).
    weight_decay : float
        The decoupled weight decay (default 0).
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

    buffers = ("exp_avg",)
    decoupled_only = True

    def __init__(
        self,
        params: Params,
        lr: LearningRate = 1e-4,
        betas: Betas = (0.9, 0.99),
        weight_decay: NonNegative = 0.0,
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
        exp_avg = state["exp_avg"]
        tmp = self._tmp
        direction = tmp("lion", np.multiply, exp_avg, beta1)
        direction = tmp("lion", np.add, direction, tmp("lion_g", np.multiply, grad, 1 - beta1))
        param -= tmp("lion", np.multiply, tmp("lion", np.sign, direction), group["lr"])
        exp_avg *= beta2
        exp_avg += tmp("lion", np.multiply, grad, 1 - beta2)
