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
        """A Tensor's update without the base class's per-parameter work (SGD counts no steps; its
        only state is the momentum buffer): the step of a training loop, every parameter."""
        param = p.data
        if type(param) is not np.ndarray or type(self)._update is not SGD._update:
            return super()._step_param(p, grad, group)  # (a Value; a subclass's own rule)
        if group["maximize"]:
            grad = self._tmp("grad", np.negative, grad)
        if group["weight_decay"] != 0:
            grad = self._weight_decay(param, grad, group)
        if group["momentum"] != 0:
            grad = self._momentum(grad, self.state[p], group)
        self._descend(param, grad, group)
        return True

    def linear_step(self, group: ParamGroup) -> float | None:
        """``-lr`` while ``group`` has no momentum, weight decay or maximize and a number for its
        learning rate (the step is then ``p.add_(p.grad, alpha=-lr)``), else None; None for a
        subclass with its own update."""
        cls = type(self)
        if (
            group["momentum"] != 0
            or group["weight_decay"] != 0
            or group["maximize"]
            or cls._step_param is not SGD._step_param
            or cls._update is not SGD._update
            or cls.step is not Optimizer.step
        ):
            return None
        lr = group["lr"]
        return -float(lr) if type(lr) in (float, int) else None

    def _update(
        self,
        param: np.ndarray,
        grad: np.ndarray,
        state: dict[str, Any],
        group: ParamGroup,
    ) -> None:
        if group["momentum"] != 0:
            grad = self._momentum(grad, state, group)
        self._descend(param, grad, group)

    def _momentum(self, grad: np.ndarray, state: dict[str, Any], group: ParamGroup) -> np.ndarray:
        """The direction momentum gives (the buffer, or Nesterov's look-ahead), the buffer updated."""
        momentum = group["momentum"]
        buf = state.get("momentum_buffer")
        if buf is None:
            buf = state["momentum_buffer"] = np.array(grad)  # an array, also where -grad is 0-d
        else:
            buf *= momentum
            axpy_(buf, 1 - group["dampening"], grad)
        if group["nesterov"]:
            grad = self._copy("sgd", grad)
            axpy_(grad, momentum, buf)
            return grad
        return buf

    def _descend(self, param: np.ndarray, grad: np.ndarray, group: ParamGroup) -> None:
        """``param <- param - lr * grad``, rounded once (batched with the group's other small ones)."""
        if self.batched_update:
            self._axpy.add(param, -group["lr"], grad)
        else:
            axpy_(param, -group["lr"], grad)
