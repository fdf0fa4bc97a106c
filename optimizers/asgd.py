"""ASGD: SGD with a decaying step size and a running (Polyak) average of the iterates."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._fma import axpy_
from ._validate import Flag, LearningRate, NonNegative, check_nonneg, check_range
from .base import Optimizer, ParamGroup, Params


class ASGD(Optimizer):
    """Averaged SGD, following ``torch.optim.ASGD``.

    With ``g`` the gradient (negated if ``maximize``, plus ``weight_decay * p``),
    ``t`` the step count, and ``eta`` (starts at ``lr``), ``mu`` (starts at 1) from
    the previous step::

        p  <- p * (1 - lambd * eta) - eta * g
        ax <- p  if mu == 1  else  ax + mu * (p - ax)     (the averaged iterate)
        eta <- lr / (1 + lambd * lr * t) ** alpha
        mu  <- 1 / max(1, t - t0)                          (averaging starts after t0)

    ``ax`` is kept in the state and never written to the parameter (as in torch).
    State: ``step``, ``eta``, ``mu``, ``ax``.

    Parameters
    ----------
    params : iterable of Tensor, Value or dict
        The parameters to update (``model.parameters()``), or parameter groups: dicts with a
        ``"params"`` list and their own hyperparameters.
    lr : float
        The learning rate (default 1e-2).
    lambd : float
        The decay term (default 1e-4).
    alpha : float
        The power of the eta update (default 0.75).
    t0 : float
        The step at which averaging starts (default 1e6).
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

    buffers = ("ax",)

    def __init__(
        self,
        params: Params,
        lr: LearningRate = 1e-2,
        lambd: NonNegative = 1e-4,
        alpha: NonNegative = 0.75,
        t0: NonNegative = 1e6,
        weight_decay: NonNegative = 0,
        maximize: Flag = False,
    ) -> None:
        super().__init__(params, locals())

    def _validated_param_state(self, saved: Any, data: np.ndarray, group: ParamGroup) -> dict[str, Any]:
        state = super()._validated_param_state(saved, data, group)
        if state:
            check_nonneg("eta", state["eta"])
            check_range("mu", state["mu"], low=0, high=1, low_open=True)
        return state

    def _init_state(self, state: dict[str, Any], param: np.ndarray, group: ParamGroup) -> None:
        super()._init_state(state, param, group)
        state["eta"] = float(group["lr"])
        state["mu"] = 1.0

    def _update(
        self,
        param: np.ndarray,
        grad: np.ndarray,
        state: dict[str, Any],
        group: ParamGroup,
    ) -> None:
        lr, lambd, eta, mu = group["lr"], group["lambd"], state["eta"], state["mu"]
        param *= 1 - lambd * eta
        axpy_(param, -eta, grad)
        ax = state["ax"]
        if mu != 1:
            ax += self._tmp("asgd", np.multiply, self._tmp("asgd", np.subtract, param, ax), mu)
        else:
            ax[...] = param
        step = state["step"]
        state["eta"] = lr / (1 + lambd * lr * step) ** group["alpha"]
        state["mu"] = 1 / max(1, step - group["t0"])
