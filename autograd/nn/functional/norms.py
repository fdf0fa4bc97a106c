"""``torch.nn.functional``'s other normalizations: ``group_norm`` (channel groups), ``instance_norm``
(each sample's channels, with optional running statistics), ``rms_norm`` (root mean square over
trailing axes) and ``local_response_norm`` (across neighbouring channels). Each is composed of the
engine's operations, so its gradients of every order follow from the chain rule."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..._operands import as_tensor
from ..._tensor import Tensor
from ...graph import effect
from ._common import _real
from .layers import _normalized_shape, pad, standardized


def _floats(op: str, x: Tensor) -> Tensor:
    if x.data.dtype.kind != "f":
        raise NotImplementedError(f"{op}: input must hold floats (float32 or float64), got {x.data.dtype}")
    return x


def _per_channel(op: str, name: str, value: Any, x: Tensor) -> Tensor | None:
    """``weight``/``bias`` as a Tensor of shape ``(C,)`` in ``x``'s dtype, or torch's error."""
    if value is None:
        return None
    t = value if isinstance(value, Tensor) else Tensor(np.asarray(value), dtype=x.dtype)
    if t.shape != (x.shape[1],):
        raise RuntimeError(
            f"{op}: Expected {name} to be a vector of size equal to the number of channels in input, but "
            f"got {name} of shape {list(t.shape)} and input of shape {list(x.shape)}"
        )
    return t


def _scaled(y: Tensor, weight: Tensor | None, bias: Tensor | None) -> Tensor:
    """``y · w + b`` with ``w``, ``b`` one per channel (axis 1)."""
    shape = (y.shape[1],) + (1,) * (y.ndim - 2)
    if weight is not None:
        y = y * weight.reshape(shape)
    return y if bias is None else y + bias.reshape(shape)


def group_norm(
    input: Any, num_groups: int, weight: Any = None, bias: Any = None, eps: float = 1e-5
) -> Tensor:
    r"""Group normalization (``torch.nn.functional.group_norm``): the ``C`` channels split into
    ``num_groups`` groups, each sample's group normalized by its own mean and biased variance,

    .. math::

        y = \frac{x - \operatorname{E}_g[x]}{\sqrt{\operatorname{Var}_g[x] + \epsilon}} \cdot w_c + b_c

    Parameters
    ----------
    input : Tensor or array_like
        Shape ``(N, C, *)``, float32 or float64.
    num_groups : int
        The number of groups; it divides ``C``.
    weight, bias : Tensor or array_like, optional
        Shape ``(C,)``: the per-channel scale and shift (default: none).
    eps : float
        Added to the variance (default 1e-5).

    Returns
    -------
    Tensor
        ``input``'s shape.

    Raises
    ------
    TypeError
        If ``num_groups`` is not an int or ``eps`` not a real number.
    RuntimeError
        If the input has fewer than 2 axes, ``num_groups`` does not divide ``C``, or ``weight``
        or ``bias`` is not of shape ``(C,)`` (torch's messages).
    ValueError
        If ``num_groups`` is not positive, or a group holds a single value (torch's message).
    """
    x = _floats("group_norm", as_tensor(input, "group_norm: input"))
    if isinstance(num_groups, (bool, np.bool_)) or not isinstance(num_groups, (int, np.integer)):
        raise TypeError(
            f"group_norm: num_groups must be an int, got {type(num_groups).__name__} {num_groups!r}"
        )
    if x.ndim < 2:
        raise RuntimeError(
            f"group_norm: Expected at least 2 dimensions for input tensor but received {x.ndim}"
        )
    g = int(num_groups)
    if g <= 0:
        raise ValueError(f"group_norm: num_groups must be positive, got {g}")
    n, c = x.shape[:2]
    if c % g:
        raise RuntimeError(
            "group_norm: Expected number of channels in input to be divisible by num_groups, but got input "
            f"of shape {list(x.shape)} and num_groups={g}"
        )
    spatial = math.prod(x.shape[2:])
    if n * c // g * spatial == 1:
        raise ValueError(
            "group_norm: Expected more than 1 value per channel when training, got input size "
            f"{[n * c // g, g, *x.shape[2:]]}"
        )
    e = _real("group_norm", "eps", eps)
    scale, shift = (_per_channel("group_norm", k, p, x) for k, p in (("weight", weight), ("bias", bias)))
    y, _, _ = standardized(x.reshape(n, g, c // g * spatial), (2,), e)
    return _scaled(y.reshape(x.shape), scale, shift)


def instance_norm(input: Any, running_mean: Any = None, running_var: Any = None, weight: Any = None,
                  bias: Any = None, use_input_stats: bool = True, momentum: float = 0.1,
                  eps: float = 1e-5) -> Tensor:  # fmt: skip
    r"""Instance normalization (``torch.nn.functional.instance_norm``): each sample's channel
    ``input[n, c]`` normalized by its own mean and biased variance (``use_input_stats``), or by
    the running statistics,

    .. math::

        y = \frac{x - \mu_{nc}}{\sqrt{\sigma_{nc}^2 + \epsilon}} \cdot w_c + b_c

    With ``use_input_stats`` and running statistics given, they are updated in place as torch
    does (each channel's running value moved towards every sample's statistic with ``momentum``,
    the unbiased variance, then averaged over the batch); the update is an
    ``autograd.graph.effect``, so a compiled step repeats it at every call.

    Parameters
    ----------
    input : Tensor or array_like
        Shape ``(N, C, *)``, float32 or float64.
    running_mean, running_var : Tensor, optional
        Shape ``(C,)``; required unless ``use_input_stats``.
    weight, bias : Tensor or array_like, optional
        Shape ``(C,)``.
    use_input_stats : bool
        Normalize by each instance's statistics (default True).
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
        If ``use_input_stats`` and each channel holds a single value (torch's message).
    RuntimeError
        If the running statistics are missing without ``use_input_stats``, or a statistic or
        parameter is not of shape ``(C,)``.
    """
    x = _floats("instance_norm", as_tensor(input, "instance_norm: input"))
    if use_input_stats and math.prod(x.shape[2:]) == 1:
        raise ValueError(
            "instance_norm: Expected more than 1 spatial element when training, got input size "
            f"{list(x.shape)}"
        )
    if not use_input_stats and (running_mean is None or running_var is None):
        raise RuntimeError(
            "instance_norm: Expected running_mean and running_var to be defined when use_input_stats is false"
        )
    if x.ndim < 2:
        raise ValueError(f"instance_norm: expected an input of shape (N, C, *), got shape {tuple(x.shape)}")
    n, c = x.shape[:2]
    stats = [
        _stat("instance_norm", k, s, c)
        for k, s in (("running_mean", running_mean), ("running_var", running_var))
    ]
    scale, shift = (_stat("instance_norm", k, p, c, x) for k, p in (("weight", weight), ("bias", bias)))
    e = _real("instance_norm", "eps", eps)
    shape = (c,) + (1,) * (x.ndim - 2)
    if use_input_stats:
        y, mean, var = standardized(x, tuple(range(2, x.ndim)), e)
        if stats[0] is not None or stats[1] is not None:
            m, count = _real("instance_norm", "momentum", momentum), math.prod(x.shape[2:])

            def update(batch_mean: np.ndarray, batch_var: np.ndarray) -> None:
                # torch: the (N·C) repeated running statistics updated as batch_norm's, averaged over N
                for stat, batch in zip(stats, (batch_mean, batch_var * (count / (count - 1)))):
                    if stat is not None:  # (an empty batch gives nan, as torch's, without a warning)
                        with np.errstate(invalid="ignore"):
                            stat.data[...] = (m * batch.reshape(n, c) + (1 - m) * stat.data).sum(0) / n

            targets = tuple(s for s in stats if s is not None)
            effect(update, mean, var, targets=targets, what="running statistics ← mean over N of the updates")
    else:
        mean, var = (s if s.dtype == x.dtype else s.detach().to(x.dtype) for s in stats)
        y = (x - mean.reshape(shape)) / (var.reshape(shape) + e).sqrt()
    return _scaled(y, scale, shift)


def _stat(op: str, name: str, value: Any, c: int, like: Tensor | None = None) -> Tensor | None:
    """A running statistic or parameter of shape ``(C,)``, or torch's message."""
    if value is None:
        return None
    t = (
        value
        if isinstance(value, Tensor)
        else Tensor(np.asarray(value), dtype=None if like is None else like.dtype)
    )
    if t.shape != (c,):
        raise RuntimeError(f"{op}: {name} should contain {c} elements not {t.numel()}")
    return t


def rms_norm(
    input: Any, normalized_shape: Sequence[int], weight: Any = None, eps: float | None = None
) -> Tensor:
    r"""Root-mean-square normalization over the trailing ``normalized_shape``
    (``torch.nn.functional.rms_norm``):

    .. math::

        y = \frac{x}{\sqrt{\operatorname{E}[x^2] + \epsilon}} \cdot w

    computed as torch does (``x · rsqrt(mean(x²) + eps)``, then ``· w``).

    Parameters
    ----------
    input : Tensor or array_like
        Shape ``(*, *normalized_shape)``, float32 or float64.
    normalized_shape : int or sequence of int
        The trailing shape to normalize over.
    weight : Tensor or array_like, optional
        The elementwise scale, of shape ``normalized_shape``.
    eps : float or None
        Added to the mean square; None (default): the machine epsilon of the input's dtype
        (``torch.finfo(dtype).eps``).

    Returns
    -------
    Tensor
        ``input``'s shape.

    Raises
    ------
    TypeError
        If ``normalized_shape`` is not a sequence of ints or ``eps`` not a real number or None.
    RuntimeError
        If ``normalized_shape`` is empty or not the input's trailing shape, or ``weight`` is not of
        that shape (torch's messages).
    """
    x = _floats("rms_norm", as_tensor(input, "rms_norm: input"))
    if isinstance(normalized_shape, (int, np.integer)) and not isinstance(normalized_shape, bool):
        normalized_shape = (normalized_shape,)
    shape = _normalized_shape("rms_norm", normalized_shape)
    if not shape:
        raise RuntimeError(
            "rms_norm: Expected normalized_shape to be at least 1-dimensional, i.e., containing at least one "
            "element, but got normalized_shape = []"
        )
    w = (
        None
        if weight is None
        else weight
        if isinstance(weight, Tensor)
        else Tensor(np.asarray(weight), dtype=x.dtype)
    )
    if w is not None and w.shape != shape:
        raise RuntimeError(
            "rms_norm: Expected weight to be of same shape as normalized_shape, but got weight of shape "
            f"{list(w.shape)} and normalized_shape = {list(shape)}"
        )
    k = len(shape)
    if k > x.ndim or x.shape[x.ndim - k :] != shape:
        raise RuntimeError(
            f"rms_norm: Given normalized_shape={list(shape)}, expected input with shape "
            f"[*{', '.join(map(str, shape))}], but got input of size{list(x.shape)}"
        )
    e = float(np.finfo(x.data.dtype).eps) if eps is None else _real("rms_norm", "eps", eps)
    axes = tuple(range(x.ndim - k, x.ndim))
    y = x * ((x * x).mean(axes, keepdims=True) + e).sqrt().reciprocal()
    return y if w is None else y * w


def local_response_norm(
    input: Any, size: int, alpha: float = 1e-4, beta: float = 0.75, k: float = 1.0
) -> Tensor:
    r"""Local response normalization across channels (``torch.nn.functional.local_response_norm``):

    .. math::

        y_c = x_c \Big/ \Big(k + \frac{\alpha}{n} \sum_{c'} x_{c'}^2\Big)^{\beta}

    the sum over the ``size`` channels around ``c`` (zeros beyond the ends, the average always
    divided by ``size``), composed as torch composes it: a zero-padded average pool of ``x²``.

    Parameters
    ----------
    input : Tensor or array_like
        Shape ``(N, C, *)`` with at least one more axis.
    size : int
        The number of neighbouring channels.
    alpha, beta, k : float
        The scale (default 1e-4), exponent (0.75) and offset (1).

    Returns
    -------
    Tensor
        ``input``'s shape.

    Raises
    ------
    ValueError
        If the input has fewer than 3 axes (torch's message).
    RuntimeError
        If ``size`` is not positive.
    """
    from .pooling import avg_pool2d
    from .volumes import avg_pool3d

    x = as_tensor(input, "local_response_norm: input")
    if x.ndim < 3:
        raise ValueError(
            f"local_response_norm: Expected 3D or higher dimensionality input (got {x.ndim} dimensions)"
        )
    if isinstance(size, (bool, np.bool_)) or not isinstance(size, (int, np.integer)) or size <= 0:
        raise RuntimeError(f"local_response_norm: size must be a positive int, got {size!r}")
    a, b, kk = (_real("local_response_norm", n, v) for n, v in (("alpha", alpha), ("beta", beta), ("k", k)))
    if x.numel() == 0:
        return x
    div = x * x
    if x.ndim == 3:
        div = pad(div.reshape(x.shape[0], 1, *x.shape[1:]), (0, 0, size // 2, (size - 1) // 2))
        div = avg_pool2d(div, (size, 1), stride=1).reshape(x.shape)
    else:
        div = div.reshape(x.shape[0], 1, x.shape[1], x.shape[2], -1)
        div = pad(div, (0, 0, 0, 0, size // 2, (size - 1) // 2))
        div = avg_pool3d(div, (size, 1, 1), stride=1).reshape(x.shape)
    return x / (div * a + kk) ** b
