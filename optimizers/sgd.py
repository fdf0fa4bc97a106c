"""Stochastic gradient descent with optional (Nesterov) momentum."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._fma import axpy_
from ._validate import Flag, LearningRate, NonNegative, Real
from .base import Optimizer, ParamGroup, Params


class SGD(Optimizer):
    """SGD, following ``torch.optim.SGD``.

    With ``g`` the gradient (negated if ``maximize``, plus ``weight_decay * p``)::

        if momentum != 0:
            b <- g                              (first step: a copy of g)
            b <- momentum * b + (1 - dampening) * g   (later steps)
            g <- g + momentum * b if nesterov else b
        p <- p - lr * g

    Each ``x + a * y`` is rounded once (a fused multiply-add), as torch's ``add_(y, alpha=a)``.

    State: ``momentum_buffer`` (only when momentum != 0); no step count, as torch's.

    Parameters
    ----------
    params : iterable of Tensor, Value or dict
        The parameters to update (``model.parameters()``), or parameter groups: dicts with a
        ``"params"`` list and their own hyperparameters.
    lr : float
        The learning rate (default 1e-3).
    momentum : float
        The momentum factor (default 0: none).
    dampening : float
        Dampening of the momentum (default 0).
    nesterov : bool
        Use Nesterov momentum (needs ``momentum > 0`` and ``dampening == 0``).
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

    lazy_buffers = ("momentum_buffer",)
    batched_update = True
    counts_steps = False

    def __init__(
        self,
        params: Params,
        lr: LearningRate = 1e-3,
        momentum: NonNegative = 0,
        dampening: Real = 0,
        weight_decay: NonNegative = 0,
        nesterov: Flag = False,
        *,
        maximize: Flag = False,
    ) -> None:
        super().__init__(params, locals())

    def _check_group(self, group: ParamGroup) -> None:
        super()._check_group(group)
        if group["nesterov"] and (group["momentum"] <= 0 or group["dampening"] != 0):
            raise ValueError(
                "Nesterov momentum requires a momentum and zero dampening: expected "
                f"momentum > 0 and dampening == 0, got momentum={group['momentum']!r}, "
                f"dampening={group['dampening']!r}"
            )

    def _step_param(self, p: Any, grad: np.ndarray, group: ParamGroup) -> bool:
        param = p.data
        if type(param) is np.ndarray and not (
            group["momentum"] or group["weight_decay"] or group["maximize"]
        ):
            self._axpy.add(param, -group["lr"], grad)  # (plain SGD, the common case: no state)
            return True
        return super()._step_param(p, grad, group)

    def _update(
        self,
        param: np.ndarray,
        grad: np.ndarray,
        state: dict[str, Any],
        group: ParamGroup,
    ) -> None:
        momentum = group["momentum"]
        if momentum != 0:
            buf = state.get("momentum_buffer")
            if buf is None:
                buf = state["momentum_buffer"] = np.array(grad)  # an array, also where -grad is 0-d
            else:
                buf *= momentum
                axpy_(buf, 1 - group["dampening"], grad)
            if group["nesterov"]:
                grad = self._copy("sgd", grad)
                axpy_(grad, momentum, buf)
            else:
                grad = buf
        if self.batched_update:
            self._axpy.add(param, -group["lr"], grad)
        else:
            axpy_(param, -group["lr"], grad)
