"""Adafactor: Adam-like steps with a factored (row x column) second moment for matrices."""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any

import numpy as np

from . import _fma
from ._validate import Flag, LearningRate, NonNegative, check_nonneg, check_pair, check_range
from .base import Optimizer, ParamGroup, Params, lerp_


def _mean_square(grad: np.ndarray, axis: int) -> np.ndarray:
    """``(g * g).mean(axis, keepdims=True)`` computed as torch does: ``norm(g, dim) ** 2 / n``."""
    return np.sqrt(np.sum(grad * grad, axis=axis, keepdims=True)) ** 2 / grad.shape[axis]


def _rms(x: np.ndarray) -> float:
    """``norm(x) / sqrt(numel)``."""
    return float(np.sqrt(np.sum(x * x))) / x.size**0.5


def _check_eps(name: str, value: Any) -> tuple[Any, Any]:
    """``(eps1, eps2)``: eps1 None (the dtype's machine epsilon) or >= 0, eps2 >= 0."""
    eps1, eps2 = check_pair(name, value)
    if eps1 is not None:
        check_nonneg(f"{name}[0]", eps1)
    return eps1, check_nonneg(f"{name}[1]", eps2)


Beta2Decay = Annotated[float, partial(check_range, high=0)]
Epsilons = Annotated[tuple[float | None, float], _check_eps]
ClipThreshold = Annotated[float, partial(check_range, low=1)]


class Adafactor(Optimizer):
    """Adafactor, following ``torch.optim.Adafactor`` (no first moment).

    With ``g`` the gradient (negated if ``maximize``), ``t`` the step count and
    ``eps = (eps1, eps2)`` (``eps1=None``: machine epsilon of the parameter dtype)::

        beta2_hat = 1 - t ** beta2_decay;   rho = min(lr, 1 / sqrt(t))
        alpha = max(eps2, RMS(p)) * rho                     (RMS of p before decay)
        p <- p * (1 - lr * weight_decay)
        >= 2-D (over the last two axes):
            R <- lerp(R, mean(g^2, axis=-1), 1 - beta2_hat)   (row factor)
            C <- lerp(C, mean(g^2, axis=-2), 1 - beta2_hat)   (column factor)
            v = R @ C / max(mean(R, axis=-2), eps1)
        0-D / 1-D:
            v <- lerp(v, g^2, 1 - beta2_hat)
        u = g / sqrt(max(v, eps1^2))
        p <- p - alpha / max(1, RMS(u) / d) * u

    State: ``step``, and ``row_var``, ``col_var`` (>= 2-D) or ``variance``.

    Parameters
    ----------
    params : iterable of Tensor, Value or dict
        The parameters to update (``model.parameters()``), or parameter groups: dicts with a
        ``"params"`` list and their own hyperparameters.
    lr : float
        The learning rate (default 1e-2).
    beta2_decay : float
        The exponent of the second-moment decay, ``1 - t ** beta2_decay`` (default -0.8).
    eps : tuple
        ``(eps1, eps2)``: the floor of the second moment (None: the dtype's machine epsilon) and
        of the parameter RMS (default (None, 1e-3)).
    d : float
        The clipping threshold of the update's RMS (default 1.0).
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

    nonneg_buffers = ("row_var", "col_var", "variance")

    def __init__(
        self,
        params: Params,
        lr: LearningRate = 1e-2,
        beta2_decay: Beta2Decay = -0.8,
        eps: Epsilons = (None, 1e-3),
        d: ClipThreshold = 1.0,
        weight_decay: NonNegative = 0.0,
        *,
        maximize: Flag = False,
    ) -> None:
        super().__init__(params, locals())

    def _state_shape(self, name: str, param: np.ndarray) -> tuple[int, ...]:
        shape = param.shape
        if name == "row_var":
            return (*shape[:-1], 1)
        if name == "col_var":
            return (*shape[:-2], 1, shape[-1])
        return shape

    def _init_state(self, state: dict[str, Any], param: np.ndarray, group: ParamGroup) -> None:
        if param.ndim > 1:
            for name in ("row_var", "col_var"):
                state[name] = np.zeros(self._state_shape(name, param), dtype=param.dtype)
        else:
            state["variance"] = np.zeros_like(param)

    def _weight_decay(self, param: np.ndarray, grad: np.ndarray, group: ParamGroup) -> np.ndarray:
        return grad  # applied in _update, after the step size is taken from the undecayed p

    def _update(
        self,
        param: np.ndarray,
        grad: np.ndarray,
        state: dict[str, Any],
        group: ParamGroup,
    ) -> None:
        lr, step = group["lr"], state["step"]
        eps1, eps2 = group["eps"]
        if eps1 is None:
            eps1 = float(np.finfo(param.dtype).eps)
        one_minus_beta2 = float(step) ** group["beta2_decay"]
        rho = min(lr, 1 / step**0.5)
        alpha = max(eps2, _rms(param)) * rho
        if group["weight_decay"] != 0:
            param *= 1 - lr * group["weight_decay"]
        if param.ndim > 1:
            row_var, col_var = state["row_var"], state["col_var"]
            exact = _fma.EXACT_PRODUCTS
            lerp_(row_var, _mean_square(grad, -1), one_minus_beta2, self._tmp, exact=exact)
            lerp_(col_var, _mean_square(grad, -2), one_minus_beta2, self._tmp, exact=exact)
            var = row_var @ col_var / np.maximum(row_var.mean(axis=-2, keepdims=True), eps1)
        else:
            lerp_(state["variance"], grad * grad, one_minus_beta2, self._tmp, exact=_fma.EXACT_PRODUCTS)
            var = state["variance"]
        update = 1 / np.sqrt(np.maximum(var, eps1 * eps1)) * grad  # torch: rsqrt(v) * g
        param -= alpha / max(1.0, _rms(update) / group["d"]) * update
