"""``torch.nn.functional.batch_norm``: each channel normalized by the batch's statistics (training)
or by running ones (evaluation), composed of the engine's operations."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..._operands import as_tensor
from ..._tensor import Tensor
from ...graph import effect
from ._common import _real


def batch_norm(input: Any, running_mean: Any, running_var: Any, weight: Any = None, bias: Any = None,
               training: bool = False, momentum: float = 0.1, eps: float = 1e-5) -> Tensor:  # fmt: skip
    r"""Batch normalization over every axis but the channels' (axis 1), ``torch.nn.functional.batch_norm``:

    .. math::

        y = \frac{x - \mu_c}{\sqrt{\sigma_c^2 + \epsilon}} \cdot w_c + b_c

    Training: :math:`\mu_c, \sigma_c^2` are the batch's mean and biased variance, and the running
    statistics, if given, are updated in place (not part of the graph; a compiled training step
    repeats the update at every call): ``running = (1 - momentum) · running + momentum · batch``,
    with the *unbiased* variance, as torch.
    Evaluation: the running statistics are used.

    Parameters
    ----------
    input : Tensor or array_like
        Shape ``(N, C, *)``.
    running_mean, running_var : Tensor or None
        Shape ``(C,)``; required unless ``training``.
    weight, bias : Tensor or array_like, optional
        Shape ``(C,)``.
    training : bool
        Use (and update) the batch's statistics (default False).
    momentum : float
        The weight of the batch in the running statistics (default 0.1).
    eps : float
        Added to the variance (default 1e-5).

    Returns
    -------
    Tensor
        ``input``'s shape.

    Raises
    ------
    ValueError
        If the input has fewer than 2 axes, a statistic or parameter is not of shape ``(C,)``,
        the running statistics are missing in evaluation, or training sees one value per channel.
    """
    updates = training and (running_mean is not None or running_var is not None)
    m = _real("batch_norm", "momentum", momentum) if updates else momentum
    return normalize_batch(input, running_mean, running_var, weight, bias, training, lambda: m, eps)


def normalize_batch(
    input: Any,
    running_mean: Any,
    running_var: Any,
    weight: Any,
    bias: Any,
    training: bool,
    factor: Callable[[], float],
    eps: float,
    counters: tuple[Tensor, ...] = (),
) -> Tensor:
    """:func:`batch_norm` with the running statistics' weight given by ``factor()``, called when
    they are updated (a module counts its batches there, in ``counters``: ``momentum=None``'s
    cumulative average). The update is an ``autograd.graph.effect``, so a compiled training
    step repeats it."""
    x = as_tensor(input, what="batch_norm: input")
    if x.ndim < 2:
        raise ValueError(f"batch_norm: expected an input of shape (N, C, *), got shape {tuple(x.shape)}")
    c = x.shape[1]
    e = _real("batch_norm", "eps", eps)
    stats = [
        _channels("batch_norm", n, s, c)
        for n, s in (("running_mean", running_mean), ("running_var", running_var))
    ]
    axes = (0, *range(2, x.ndim))
    shape = (c,) + (1,) * (x.ndim - 2)
    if training:
        count = x.numel() // c if c else 0
        if count <= 1:
            raise ValueError(
                f"batch_norm: expected more than 1 value per channel when training, got input of shape "
                f"{tuple(x.shape)}"
            )
        mean = x.mean(axes)
        centred = x - mean.reshape(shape)
        var = (centred * centred).mean(axes)
        if stats[0] is not None or stats[1] is not None:

            def update(batch_mean: np.ndarray, batch_var: np.ndarray) -> None:
                m = factor()
                for stat, batch in zip(stats, (batch_mean, batch_var * (count / (count - 1)))):
                    if stat is not None:
                        stat.data[...] = (1 - m) * stat.data + m * batch

            what = "running statistics ← (1 − m)·running + m·batch (unbiased variance), in place"
            targets = (*(s for s in stats if s is not None), *counters)
            effect(update, mean, var, targets=targets, what=what)
        y = centred / (var.reshape(shape) + e).sqrt()
    else:
        if stats[0] is None or stats[1] is None:
            raise ValueError("batch_norm: running_mean and running_var are required when not training")
        # the buffers themselves (a compiled step reads them at every call), in the input's dtype
        mean, var = (s if s.dtype == x.dtype else s.detach().to(x.dtype) for s in stats)
        y = (x - mean.reshape(shape)) / (var.reshape(shape) + e).sqrt()
    scale, shift = (_channels("batch_norm", n, p, c, x) for n, p in (("weight", weight), ("bias", bias)))
    if scale is not None:
        y = y * scale.reshape(shape)
    return y if shift is None else y + shift.reshape(shape)


def _channels(op: str, name: str, value: Any, c: int, like: Tensor | None = None) -> Tensor | None:
    """``value`` as a Tensor of shape ``(C,)`` (None stays None), or an error naming it."""
    if value is None:
        return None
    t = (
        value
        if isinstance(value, Tensor)
        else Tensor(np.asarray(value), dtype=None if like is None else like.dtype)
    )
    if t.shape != (c,):
        raise ValueError(
            f"{op}: expected {name} of shape ({c},), one per channel, got shape {tuple(t.shape)}"
        )
    return t
