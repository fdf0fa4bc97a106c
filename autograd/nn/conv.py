"""Convolution layers: ``Conv1d`` and ``Conv2d``, as ``torch.nn``'s (their state dicts load into torch's)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._tensor import Tensor
from ..random_state import generator
from . import functional as F
from .module import Module, check_size
from .parameter import _drawn_next

_MODES = ("zeros", "reflect", "replicate", "circular")


def channels(name: str, in_channels: int, out_channels: int, groups: int) -> tuple[int, int, int]:
    """A convolution layer's channel counts and groups, checked: sizes, and both counts divisible by
    the groups (the error names the layer ``name``)."""
    in_channels = check_size(name, "in_channels", in_channels)
    out_channels = check_size(name, "out_channels", out_channels)
    groups = check_size(name, "groups", groups)
    if in_channels % groups or out_channels % groups:
        raise ValueError(
            f"{name}: in_channels ({in_channels}) and out_channels ({out_channels}) must be divisible "
            f"by groups ({groups})"
        )
    return in_channels, out_channels, groups


class _ConvNd(Module):
    """What ``Conv1d`` and ``Conv2d`` share: the parameters, their initialisation, the padding modes."""

    _spatial = 2

    def __init__(self, in_channels: int, out_channels: int, kernel_size: Any, stride: Any = 1,
                 padding: Any = 0, dilation: Any = 1, groups: int = 1, bias: bool = True,
                 padding_mode: str = "zeros", device: Any = None, dtype: Any = np.float64,
                 rng: np.random.Generator | int | None = None) -> None:  # fmt: skip
        name = type(self).__name__
        self.in_channels, self.out_channels, self.groups = channels(name, in_channels, out_channels, groups)
        if padding_mode not in _MODES:
            raise ValueError(f"{name}: padding_mode must be one of {_MODES}, got {padding_mode!r}")
        n = self._spatial
        self.kernel_size, self.stride, self.dilation = (
            _tuple(name, v, n) for v in (kernel_size, stride, dilation)
        )
        if isinstance(padding, str):
            if padding not in ("valid", "same"):
                raise ValueError(
                    f"{name}: padding must be an int, a tuple, 'valid' or 'same', got {padding!r}"
                )
            if padding == "same" and any(s != 1 for s in self.stride):
                raise ValueError(f"{name}: padding='same' is not supported for strided convolutions")
            self.padding: Any = padding
        else:
            self.padding = _tuple(name, padding, n)
        self.padding_mode = padding_mode
        shape = (out_channels, in_channels // groups, *self.kernel_size)
        self.weight = _drawn_next(shape, dtype, "weight")
        self.bias = _drawn_next((out_channels,), dtype, "bias") if bias else None
        self.reset_parameters(rng)

    def reset_parameters(self, rng: np.random.Generator | int | None = None) -> None:
        """Draw weight and bias again from U(-1/√fan_in, 1/√fan_in), fan_in = in_channels / groups ·
        the kernel's size (torch's default bound), in place."""
        from .init import _reset_like_linear

        _reset_like_linear(self.weight, self.bias, generator(rng, type(self).__name__))

    def forward(self, input: Any) -> Tensor:
        conv = F.conv2d if self._spatial == 2 else F.conv1d
        padding = self.padding if isinstance(self.padding, str) else self.padding
        if self.padding_mode != "zeros":
            input, padding = F.pad(input, self._pads(input), mode=self.padding_mode), 0
        elif not isinstance(padding, str) and self._spatial == 1:
            padding = padding[0]
        stride = self.stride if self._spatial == 2 else self.stride[0]
        dilation = self.dilation if self._spatial == 2 else self.dilation[0]
        return conv(input, self.weight, self.bias, stride, padding, dilation, self.groups)

    def _pads(self, input: Any) -> tuple[int, ...]:
        """F.pad's sizes (last axis first) for a padding mode other than zeros."""
        if self.padding == "valid":
            return (0, 0) * self._spatial
        if self.padding == "same":
            pads: list[int] = []
            for d, k in zip(reversed(self.dilation), reversed(self.kernel_size)):
                total = d * (k - 1)
                pads += [total // 2, total - total // 2]
            return tuple(pads)
        return tuple(p for p in reversed(self.padding) for _ in range(2))

    def extra_repr(self) -> str:
        s = f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, stride={self.stride}"
        if self.padding != (0,) * self._spatial:
            s += f", padding={self.padding}"
        if self.dilation != (1,) * self._spatial:
            s += f", dilation={self.dilation}"
        if self.groups != 1:
            s += f", groups={self.groups}"
        if self.bias is None:
            s += ", bias=False"
        if self.padding_mode != "zeros":
            s += f", padding_mode={self.padding_mode}"
        return s


def _tuple(name: str, value: Any, n: int) -> tuple[int, ...]:
    items = (value,) * n if isinstance(value, int) and not isinstance(value, bool) else tuple(value)
    if len(items) != n or any(isinstance(v, bool) or not isinstance(v, int) or v < 0 for v in items):
        raise ValueError(f"{name}: expected an int or {n} non-negative ints, got {value!r}")
    return items


class Conv2d(_ConvNd):
    r"""A 2-d convolution layer (``torch.nn.Conv2d``): :func:`~autograd.nn.functional.conv2d` with a
    ``weight`` of shape ``(out_channels, in_channels / groups, kh, kw)`` and a ``bias``, both drawn
    from :math:`U(-1/\sqrt{k}, 1/\sqrt{k})`, :math:`k = \text{in\_channels}/\text{groups}\cdot kh\cdot kw`.

    Parameters
    ----------
    in_channels, out_channels : int
        The channels in and out.
    kernel_size : int or tuple of int
        The kernel's size.
    stride, dilation : int or tuple of int
        The windows' spacing and their elements' (default 1).
    padding : int, tuple of int, "valid" or "same"
        Added on each side (default 0), filled as ``padding_mode`` says.
    groups : int
        Channel groups, each with its own kernels (default 1).
    bias : bool
        Whether to add a bias (default True).
    padding_mode : {"zeros", "reflect", "replicate", "circular"}
        How padding is filled (default "zeros").
    device : None or "cpu"
        Accepted for torch's signature.
    dtype : numpy.dtype
        float64 (default) or float32.
    rng : int or numpy.random.Generator, optional
        The seed or generator of the initial weights; None draws from the library's generator.
    """

    _spatial = 2


class Conv1d(_ConvNd):
    """A 1-d convolution layer (``torch.nn.Conv1d``): as :class:`Conv2d` over the last axis of
    ``(N, C, L)``; ``weight`` is ``(out_channels, in_channels / groups, k)``.

    Parameters
    ----------
    in_channels, out_channels : int
        The channels in and out.
    kernel_size, stride, dilation : int or tuple of int
        As :class:`Conv2d`'s, one int (or a 1-tuple) each.
    padding : int, tuple of int, "valid" or "same"
        As :class:`Conv2d`'s.
    groups : int
        Channel groups (default 1).
    bias : bool
        Whether to add a bias (default True).
    padding_mode : {"zeros", "reflect", "replicate", "circular"}
        How padding is filled (default "zeros").
    device : None or "cpu"
        Accepted for torch's signature.
    dtype : numpy.dtype
        float64 (default) or float32.
    rng : int or numpy.random.Generator, optional
        The seed or generator of the initial weights.
    """

    _spatial = 1
