"""Muon (MomentUm Orthogonalized by Newton-Schulz), K. Jordan et al. 2024
(https://kellerjordan.github.io/posts/muon/), as ``torch.optim.Muon``: momentum, then the update
replaced by an approximately orthogonal matrix of the same row and column spaces.

torch orthogonalizes in bfloat16 (as the reference implementation does). numpy has no bfloat16,
so ``orthogonalize`` keeps bfloat16 numbers in float32 arrays and rounds every result to
bfloat16 (round to nearest even) where torch's bfloat16 operations round: products are exact in
float32 and summed in float32, as torch's CPU kernels sum bfloat16 products. Its results equal
torch's bit for bit where no float32 sum lands within its rounding error of a bfloat16 rounding
boundary; otherwise a few elements differ by one bfloat16 unit and the next iterations carry it
(tests/optimizers/test_muon.py measures both).
"""

from __future__ import annotations

import math
from functools import partial
from typing import Annotated, Any

import numpy as np

from ._fma import axpy_, fma
from ._validate import Flag, LearningRate, NonNegative, check_choice, check_int, check_real
from .base import Optimizer, ParamGroup, Params, lerp_

#: torch's (and the reference's) quintic Newton-Schulz coefficients ``(a, b, c)``, steps and eps
COEFFICIENTS = (3.4445, -4.7750, 2.0315)
STEPS = 5
EPS = 1e-7


def to_bfloat16(x: np.ndarray) -> np.ndarray:
    """``x`` rounded to bfloat16 (to nearest, ties to even), held in a float32 array.

    As torch's ``x.bfloat16()``: a float64 array is rounded to float32 first (two roundings), a
    number too large becomes ``±inf``, a nan stays nan, float32 subnormals round to bfloat16's."""
    with np.errstate(over="ignore"):  # (beyond float32's range: inf, as torch's)
        x = np.asarray(x, np.float32)
    bits = x.reshape(-1).view(np.uint32)
    rounded = bits + (np.uint32(0x7FFF) + ((bits >> np.uint32(16)) & np.uint32(1)))
    rounded &= np.uint32(0xFFFF0000)
    out = rounded.view(np.float32).reshape(x.shape)
    nan = np.isnan(x)
    if nan.any():  # (their bits may have carried into the sign)
        out[nan] = np.nan
    return out


def check_coefficients(name: str, value: Any) -> tuple[float, float, float]:
    """A tuple or list of three real numbers ``(a, b, c)``, returned as a tuple."""
    if not isinstance(value, (tuple, list)) or len(value) != 3:
        found = tuple(value) if isinstance(value, (tuple, list)) else value
        raise ValueError(
            f"Invalid {name}: expected a tuple of exactly 3 real numbers (a, b, c), got {found!r}"
        )
    for i, v in enumerate(value):
        check_real(f"{name}[{i}]", v)
    return tuple(value)


def check_ns_steps(name: str, value: Any) -> int:
    """An integer from 0 to 99 (torch refuses 100 or more, at the step)."""
    check_int(name, value, low=0)
    if value >= 100:
        raise ValueError(
            f"Invalid {name}: expected an integer below 100 (for computational efficiency), got {value!r}"
        )
    return value


Coefficients = Annotated[tuple[float, float, float], check_coefficients]
NsSteps = Annotated[int, check_ns_steps]
AdjustLR = Annotated[str | None, partial(check_choice, choices=(None, "original", "match_rms_adamw"))]


def orthogonalize(
    update: np.ndarray,
    coefficients: tuple[float, float, float] = COEFFICIENTS,
    steps: int = STEPS,
    eps: float = EPS,
) -> np.ndarray:
    """The quintic Newton-Schulz iteration of torch's Muon, in bfloat16 (see ``to_bfloat16``).

    With ``X`` the 2-d ``update`` in bfloat16, transposed if it has more rows than columns, and
    ``X <- X / max(‖X‖_F, eps)`` (singular values at most 1), each of ``steps`` iterations is::

        A = X Xᵀ
        B = b·A + c·A A
        X <- a·X + B X

    each product summed in float32 and each line rounded to bfloat16 once (``b·A + ...`` and
    ``a·X + ...`` fused multiply-adds, as torch's ``addmm``).

    which moves every singular value ``s`` of ``X`` to ``a·s + b·s³ + c·s⁵`` and keeps the singular
    vectors: with the default coefficients and 5 steps, every singular value above 1/500 of the
    Frobenius norm ends between 0.68 and 1.21 (an approximate ``U Vᵀ`` of ``update = U S Vᵀ``).
    Returns a float32 array of bfloat16 numbers, of ``update``'s shape.
    """
    with np.errstate(over="ignore", invalid="ignore"):  # (nan and inf propagate, as in torch)
        return _orthogonalize(update, coefficients, steps, eps)


def _orthogonalize(
    update: np.ndarray, coefficients: tuple[float, float, float], steps: int, eps: float
) -> np.ndarray:
    a, b, c = (np.float32(v) for v in coefficients)
    x = to_bfloat16(update)
    flat = x.reshape(-1)
    norm = to_bfloat16(np.sqrt(np.dot(flat, flat)))  # (summed in float32: above 1.8e19 it is inf, as torch's)
    wide = x.shape[0] <= x.shape[1]
    if not wide:
        x = x.T
    x = to_bfloat16(x / np.maximum(norm, to_bfloat16(np.float32(eps))))
    for _ in range(steps):  # (torch's addmm: beta·C + (alpha·(A @ B)), one rounding after beta·C)
        gram = to_bfloat16(x @ x.T)
        gram = to_bfloat16(fma(b, gram, c * (gram @ gram)))
        x = to_bfloat16(fma(a, x, gram @ x))
    return x if wide else x.T


def adjusted_lr(lr: float, adjust_lr_fn: str | None, shape: tuple[int, ...]) -> float:
    """The learning rate for a ``rows x cols`` parameter: ``lr · sqrt(max(1, rows / cols))``
    (``"original"``, the default: the reference's), or ``lr · 0.2 · sqrt(max(rows, cols))``
    (``"match_rms_adamw"``: Moonshot's, an update of AdamW's typical RMS)."""
    rows, cols = shape[:2]
    if adjust_lr_fn == "match_rms_adamw":
        return lr * 0.2 * math.sqrt(max(rows, cols))
    return lr * math.sqrt(max(1, rows / cols))


class Muon(Optimizer):
    """Muon, following ``torch.optim.Muon``: for the 2-d weights of hidden layers only (optimize
    biases, embeddings and the output layer with AdamW, as torch advises).

    With ``g`` the gradient::

        B <- momentum · B + (1 - momentum) · g            (torch's B.lerp_(g, 1 - momentum))
        U = g + momentum · (B - g) if nesterov else B     (g.lerp(B, momentum))
        O = orthogonalize(U)                              (Newton-Schulz, in bfloat16)
        p <- p · (1 - lr · weight_decay)                  (decoupled weight decay)
        p <- p - adjusted_lr(lr) · O

    Each lerp and the last line are rounded once (fused multiply-adds), as torch's kernels.

    State: ``momentum_buffer``; no step count, as torch's.

    Parameters
    ----------
    params : iterable of Tensor or dict
        The 2-d parameters to update, or parameter groups: dicts with a ``"params"`` list and
        their own hyperparameters.
    lr : float
        The learning rate (default 1e-3).
    weight_decay : float
        The decoupled weight decay (default 0.1, as torch's).
    momentum : float
        The momentum factor (default 0.95).
    nesterov : bool
        Use Nesterov momentum (default True).
    ns_coefficients : tuple of float
        The Newton-Schulz coefficients ``(a, b, c)`` (default (3.4445, -4.7750, 2.0315)).
    eps : float
        The smallest norm the update is divided by (default 1e-7).
    ns_steps : int
        The number of Newton-Schulz iterations, below 100 (default 5).
    adjust_lr_fn : str or None
        ``"original"`` (what None means) or ``"match_rms_adamw"``: see ``optimizers.muon.adjusted_lr``.

    Raises
    ------
    TypeError
        If ``params`` is not an iterable of parameters or groups, or a hyperparameter has the
        wrong type.
    ValueError
        If a parameter is not 2-d, a hyperparameter is out of its range (the message names it,
        the range and the value), ``params`` is empty, or lists a parameter twice.
    """

    buffers = ("momentum_buffer",)
    counts_steps = False
    decoupled_only = True

    def __init__(
        self,
        params: Params,
        lr: LearningRate = 1e-3,
        weight_decay: NonNegative = 0.1,
        momentum: NonNegative = 0.95,
        nesterov: Flag = True,
        ns_coefficients: Coefficients = COEFFICIENTS,
        eps: NonNegative = EPS,
        ns_steps: NsSteps = STEPS,
        adjust_lr_fn: AdjustLR = None,
    ) -> None:
        super().__init__(params, locals())

    def add_param_group(self, param_group: ParamGroup) -> None:
        """Add a group (as ``Optimizer.add_param_group``); every parameter must be 2-d."""
        super().add_param_group(param_group)
        for p in self.param_groups[-1]["params"]:
            if np.ndim(p.data) != 2:
                self.param_groups.pop()
                raise ValueError(
                    "Muon only supports 2D parameters whereas we found a parameter with size: "
                    f"{np.shape(p.data)}; optimize biases and other parameters with another optimizer (AdamW)"
                )

    def _update(
        self,
        param: np.ndarray,
        grad: np.ndarray,
        state: dict[str, Any],
        group: ParamGroup,
    ) -> None:
        momentum, buf, tmp = group["momentum"], state["momentum_buffer"], self._tmp
        lerp_(buf, grad, 1 - momentum, tmp)
        update = buf
        if group["nesterov"]:
            update = self._copy("muon", grad)
            lerp_(update, buf, momentum, tmp)
        direction = orthogonalize(update, group["ns_coefficients"], group["ns_steps"], group["eps"])
        lr = adjusted_lr(group["lr"], group["adjust_lr_fn"], param.shape)
        axpy_(param, -lr, direction.astype(param.dtype, copy=False))
