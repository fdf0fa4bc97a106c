"""The reference for ``test_scratch.py``: every optimizer's step as it was written before the
optimizers reused arrays for their intermediate results (each expression allocates its result).

``allocating(cls)`` is ``cls`` with these rules; the step in ``optimizers`` must give the same
bits. Only the numerics are kept here (no checks): reading the gradients is the library's.
The fused multiply-adds (torch's ``add_(x, alpha=a)``, ``addcmul_``, ``lerp_``) are ``fma``, the
``alpha`` of ``add_`` a Python float (as ``axpy_`` takes it).
"""

from __future__ import annotations

from typing import Any

import numpy as np

import optimizers
from optimizers import _fma
from optimizers._fma import fma
from optimizers._params import data_array, set_data
from optimizers._scratch import MIN_SIZE
from optimizers.adafactor import _mean_square, _rms
from optimizers.base import Optimizer


def addcmul(a: Any, b: Any, c: Any) -> Any:
    """``a * b + c``: rounded once where the optimizers' ``addcmul_`` is (``_fma.EXACT_PRODUCTS``)."""
    return fma(a, b, c) if _fma.EXACT_PRODUCTS else a * b + c


def lerp_(buf: np.ndarray, target: np.ndarray, weight: float, exact: bool = False) -> None:
    """torch's lerp_, rounded once; rounded twice where neither ``exact`` (Adamax's, bitwise torch's)
    nor ``_fma.EXACT_PRODUCTS`` and the array is small (the optimizers' ``lerp_``)."""
    w = buf.dtype.type(weight)
    if not (exact or _fma.EXACT_PRODUCTS) and buf.size < MIN_SIZE:
        if abs(weight) < 0.5:
            buf += (target - buf) * weight
        else:
            buf[...] = target - (target - buf) * (1 - weight)
    elif abs(w) < 0.5:
        buf[...] = fma(w, target - buf, buf)
    else:
        buf[...] = fma(w - 1, target - buf, target)


def ema_sq_(buf: np.ndarray, x: np.ndarray, beta: float) -> None:
    buf *= beta
    buf[...] = addcmul((1 - beta) * x, x, buf)


def step_param(self: Any, p: Any, grad: np.ndarray, group: dict) -> None:
    param = data_array(p)
    state = self.state[p]
    if not state:
        if self.counts_steps:
            state["step"] = 0
        self._init_state(state, param, group)
    if self.counts_steps:
        state["step"] += 1
    if group.get("maximize", False):
        grad = -grad
    grad = self._weight_decay(param, grad, group)
    self._update(param, grad, state, group)
    set_data(p, param)


def weight_decay(self: Any, param: np.ndarray, grad: np.ndarray, group: dict) -> np.ndarray:
    weight_decay = group.get("weight_decay", 0)
    if weight_decay == 0:
        return grad
    if self.decoupled_only or group.get("decoupled_weight_decay", False):
        param *= 1 - group["lr"] * weight_decay
        return grad
    return fma(float(weight_decay), param, grad)


def sgd(self: Any, param: np.ndarray, grad: np.ndarray, state: dict, group: dict) -> None:
    momentum = group["momentum"]
    if momentum != 0:
        buf = state.get("momentum_buffer")
        if buf is None:
            buf = state["momentum_buffer"] = np.array(grad)
        else:
            buf *= momentum
            buf[...] = fma(float(1 - group["dampening"]), grad, buf)
        grad = fma(float(momentum), buf, grad) if group["nesterov"] else buf
    param[...] = fma(-float(group["lr"]), grad, param)


def adam(self: Any, param: np.ndarray, grad: np.ndarray, state: dict, group: dict) -> None:
    beta1, beta2 = group["betas"]
    step, exp_avg, exp_avg_sq = state["step"], state["exp_avg"], state["exp_avg_sq"]
    lerp_(exp_avg, grad, 1 - beta1)
    ema_sq_(exp_avg_sq, grad, beta2)
    step_size = group["lr"] / (1 - beta1**step)
    bias_correction2_sqrt = (1 - beta2**step) ** 0.5
    if group["amsgrad"]:
        np.maximum(state["max_exp_avg_sq"], exp_avg_sq, out=state["max_exp_avg_sq"])
        exp_avg_sq = state["max_exp_avg_sq"]
    denom = np.sqrt(exp_avg_sq) / bias_correction2_sqrt + group["eps"]
    param += -step_size * exp_avg / denom


def adagrad(self: Any, param: np.ndarray, grad: np.ndarray, state: dict, group: dict) -> None:
    clr = group["lr"] / (1 + (state["step"] - 1) * group["lr_decay"])
    state["sum"][...] = addcmul(grad, grad, state["sum"])
    std = np.sqrt(state["sum"]) + group["eps"]
    param += -clr * grad / std


def adamax(self: Any, param: np.ndarray, grad: np.ndarray, state: dict, group: dict) -> None:
    beta1, beta2 = group["betas"]
    exp_avg, exp_inf = state["exp_avg"], state["exp_inf"]
    lerp_(exp_avg, grad, 1 - beta1, exact=True)
    exp_inf *= beta2
    np.maximum(exp_inf, np.abs(grad) + group["eps"], out=exp_inf)
    clr = group["lr"] / (1 - beta1 ** state["step"])
    param += -clr * exp_avg / exp_inf


def rmsprop(self: Any, param: np.ndarray, grad: np.ndarray, state: dict, group: dict) -> None:
    alpha = group["alpha"]
    square_avg = state["square_avg"]
    ema_sq_(square_avg, grad, alpha)
    if group["centered"]:
        grad_avg = state["grad_avg"]
        lerp_(grad_avg, grad, 1 - alpha)
        avg = np.sqrt(addcmul(-grad_avg, grad_avg, square_avg))
    else:
        avg = np.sqrt(square_avg)
    avg += group["eps"]
    if group["momentum"] > 0:
        buf = state["momentum_buffer"]
        buf *= group["momentum"]
        buf += grad / avg
        param[...] = fma(-float(group["lr"]), buf, param)
    else:
        param += -group["lr"] * grad / avg


def nadam(self: Any, param: np.ndarray, grad: np.ndarray, state: dict, group: dict) -> None:
    beta1, beta2 = group["betas"]
    lr, step, momentum_decay = group["lr"], state["step"], group["momentum_decay"]
    exp_avg, exp_avg_sq = state["exp_avg"], state["exp_avg_sq"]
    mu = beta1 * (1.0 - 0.5 * (0.96 ** (step * momentum_decay)))
    mu_next = beta1 * (1.0 - 0.5 * (0.96 ** ((step + 1) * momentum_decay)))
    mu_product = state["mu_product"] = state["mu_product"] * mu
    lerp_(exp_avg, grad, 1 - beta1)
    ema_sq_(exp_avg_sq, grad, beta2)
    denom = np.sqrt(exp_avg_sq / (1 - beta2**step)) + group["eps"]
    param += (-lr * (1.0 - mu) / (1.0 - mu_product)) * grad / denom
    param += (-lr * mu_next / (1.0 - mu_product * mu_next)) * exp_avg / denom


def radam(self: Any, param: np.ndarray, grad: np.ndarray, state: dict, group: dict) -> None:
    beta1, beta2 = group["betas"]
    lr, step = group["lr"], state["step"]
    exp_avg, exp_avg_sq = state["exp_avg"], state["exp_avg_sq"]
    lerp_(exp_avg, grad, 1 - beta1)
    ema_sq_(exp_avg_sq, grad, beta2)
    bias_correction2 = 1 - beta2**step
    bias_corrected_exp_avg = exp_avg / (1 - beta1**step)
    rho_inf = 2 / (1 - beta2) - 1
    rho_t = rho_inf - 2 * step * (beta2**step) / bias_correction2
    if rho_t > 5.0:
        rect = ((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t)) ** 0.5
        adaptive_lr = 1 / (np.sqrt(exp_avg_sq) + group["eps"]) * bias_correction2**0.5
        param -= bias_corrected_exp_avg * lr * adaptive_lr * rect
    else:
        param -= bias_corrected_exp_avg * lr


def adadelta(self: Any, param: np.ndarray, grad: np.ndarray, state: dict, group: dict) -> None:
    rho, eps = group["rho"], group["eps"]
    ema_sq_(state["square_avg"], grad, rho)
    std = np.sqrt(state["square_avg"] + eps)
    delta = np.sqrt(state["acc_delta"] + eps) / std * grad
    ema_sq_(state["acc_delta"], delta, rho)
    param[...] = fma(-float(group["lr"]), delta, param)


def lion(self: Any, param: np.ndarray, grad: np.ndarray, state: dict, group: dict) -> None:
    beta1, beta2 = group["betas"]
    exp_avg = state["exp_avg"]
    param -= group["lr"] * np.sign(beta1 * exp_avg + (1 - beta1) * grad)
    exp_avg *= beta2
    exp_avg += (1 - beta2) * grad


def asgd(self: Any, param: np.ndarray, grad: np.ndarray, state: dict, group: dict) -> None:
    lr, lambd, eta, mu = group["lr"], group["lambd"], state["eta"], state["mu"]
    param *= 1 - lambd * eta
    param[...] = fma(-float(eta), grad, param)
    ax = state["ax"]
    if mu != 1:
        ax += (param - ax) * mu
    else:
        ax[...] = param
    step = state["step"]
    state["eta"] = lr / (1 + lambd * lr * step) ** group["alpha"]
    state["mu"] = 1 / max(1, step - group["t0"])


def adafactor(self: Any, param: np.ndarray, grad: np.ndarray, state: dict, group: dict) -> None:
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
        lerp_(row_var, _mean_square(grad, -1), one_minus_beta2)
        lerp_(col_var, _mean_square(grad, -2), one_minus_beta2)
        var = row_var @ col_var / np.maximum(row_var.mean(axis=-2, keepdims=True), eps1)
    else:
        lerp_(state["variance"], grad * grad, one_minus_beta2)
        var = state["variance"]
    update = 1 / np.sqrt(np.maximum(var, eps1 * eps1)) * grad
    param -= alpha / max(1.0, _rms(update) / group["d"]) * update


#: the update rule of each optimizer (Rprop's allocates as before: it is the library's own)
RULES = {
    "SGD": sgd,
    "Adam": adam,
    "AdamW": adam,
    "Adagrad": adagrad,
    "Adamax": adamax,
    "RMSprop": rmsprop,
    "NAdam": nadam,
    "RAdam": radam,
    "Adadelta": adadelta,
    "Lion": lion,
    "ASGD": asgd,
    "Adafactor": adafactor,
    "Rprop": None,
}


def allocating(name: str) -> type[Optimizer]:
    """Optimizer ``name`` with its step as written before (its own ``_weight_decay`` where it
    overrides the base's)."""
    cls = getattr(optimizers, name)
    body: dict[str, Any] = {"_step_param": step_param}
    if RULES[name] is not None:
        body["_update"] = RULES[name]
    if cls._weight_decay is Optimizer._weight_decay:
        body["_weight_decay"] = weight_decay
    return type(f"Allocating{name}", (cls,), body)
