"""Transposed convolution layers: ``ConvTranspose1d``, ``ConvTranspose2d`` and ``ConvTranspose3d``, as
``torch.nn``'s (their state dicts load into torch's)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._tensor import Tensor
from ..random_state import generator
from .conv import _tuple, channels
from .functional.conv_transpose import conv_transpose1d, conv_transpose2d, conv_transpose3d
from .module import Module
from .parameter import Parameter

__all__ = ["ConvTranspose1d", "ConvTranspose2d", "ConvTranspose3d"]


class _ConvTransposeNd(Module):
    """What the transposed convolution layers share: the parameters, their initialisation,
    ``output_size`` in ``forward``, the repr."""

    _spatial = 2

    def __init__(self, in_channels: int, out_channels: int, kernel_size: Any, stride: Any = 1,
                 padding: Any = 0, output_padding: Any = 0, groups: int = 1, bias: bool = True,
                 dilation: Any = 1, padding_mode: str = "zeros", device: Any = None,
                 dtype: Any = np.float64, rng: np.random.Generator | int | None = None) -> None:  # fmt: skip
        name = type(self).__name__
        self.in_channels, self.out_channels, self.groups = channels(name, in_channels, out_channels, groups)
        if padding_mode != "zeros":
            raise ValueError(
                f'{name}: only "zeros" padding mode is supported, got padding_mode={padding_mode!r}'
            )
        if isinstance(padding, str):
            raise ValueError(
                f"{name}: padding must be an int or a tuple of ints (no 'same' or 'valid'), got {padding!r}"
            )
        n = self._spatial
        self.kernel_size, self.stride, self.padding, self.output_padding, self.dilation = (
            _tuple(name, v, n) for v in (kernel_size, stride, padding, output_padding, dilation)
        )
        self.padding_mode = padding_mode
        shape = (in_channels, out_channels // groups, *self.kernel_size)
        self.weight = Parameter(
            Tensor(np.empty(shape), dtype=np.float64 if dtype is None else dtype, label="weight")
        )
        self.bias = (
            Parameter(
                Tensor(np.empty(out_channels), dtype=np.float64 if dtype is None else dtype, label="bias")
            )
            if bias
            else None
        )
        self.reset_parameters(rng)

    def reset_parameters(self, rng: np.random.Generator | int | None = None) -> None:
        """Draw weight and bias again from U(-1/√fan_in, 1/√fan_in), in place; fan_in is torch's for
        this weight layout: out_channels / groups · the kernel's size."""
        from .init import _reset_like_linear

        _reset_like_linear(self.weight, self.bias, generator(rng, type(self).__name__))

    def forward(self, input: Any, output_size: Any = None) -> Tensor:
        function = (conv_transpose1d, conv_transpose2d, conv_transpose3d)[self._spatial - 1]
        extra = self._output_padding(input, output_size)
        return function(
            input, self.weight, self.bias, self.stride, self.padding, extra, self.groups, self.dilation
        )

    def _output_padding(self, input: Any, output_size: Any) -> tuple[int, ...]:
        """``output_padding``, or the one that gives ``output_size`` (torch's ``_output_padding``)."""
        if output_size is None:
            return self.output_padding
        n = self._spatial
        ndim = len(np.shape(input.data if isinstance(input, Tensor) else input))
        leading = 2 if ndim == n + 2 else 1
        size = [int(s) for s in output_size]
        if len(size) == leading + n:
            size = size[leading:]
        if len(size) != n:
            raise ValueError(
                f"{type(self).__name__}: for {ndim}D input, output_size must have {n} or {leading + n} "
                f"elements (got {len(size)})"
            )
        spatial = np.shape(input.data if isinstance(input, Tensor) else input)[leading:]
        least = [
            (m - 1) * s - 2 * p + d * (k - 1) + 1
            for m, s, p, d, k in zip(spatial, self.stride, self.padding, self.dilation, self.kernel_size)
        ]
        most = [a + s - 1 for a, s in zip(least, self.stride)]
        if any(not a <= s <= b for s, a, b in zip(size, least, most)):
            raise ValueError(
                f"{type(self).__name__}: requested an output size of {size}, but valid sizes range from "
                f"{least} to {most} (for an input of {list(spatial)})"
            )
        return tuple(s - a for s, a in zip(size, least))

    def extra_repr(self) -> str:
        n = self._spatial
        s = f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, stride={self.stride}"
        if self.padding != (0,) * n:
            s += f", padding={self.padding}"
        if self.dilation != (1,) * n:
            s += f", dilation={self.dilation}"
        if self.output_padding != (0,) * n:
            s += f", output_padding={self.output_padding}"
        if self.groups != 1:
            s += f", groups={self.groups}"
        if self.bias is None:
            s += ", bias=False"
        return s


_PARAMETERS = """
    Parameters
    ----------
    in_channels, out_channels : int
        The channels in and out.
    kernel_size : int or tuple of int
        The kernel's size.
    stride : int or tuple of int
        The windows' spacing in the output (default 1).
    padding : int or tuple of int
        Cropped from each side of the output (default 0).
    output_padding : int or tuple of int
        Added to the output's far side, smaller than the stride or the dilation (default 0).
    groups : int
        Channel groups, each with its own kernels (default 1).
    bias : bool
        Whether to add a bias (default True).
    dilation : int or tuple of int
        The spacing of the kernel's elements (default 1).
    padding_mode : {"zeros"}
        The only mode torch's transposed convolutions take.
    device : None or "cpu"
        Accepted for torch's signature.
    dtype : numpy.dtype
        float64 (default) or float32.
    rng : int or numpy.random.Generator, optional
        The seed or generator of the initial weights; None draws from the library's generator.
"""


class ConvTranspose2d(_ConvTransposeNd):
    __doc__ = (
        r"""A 2-d transposed convolution layer (``torch.nn.ConvTranspose2d``):
    :func:`~autograd.nn.functional.conv_transpose2d` with a ``weight`` of shape
    ``(in_channels, out_channels / groups, kh, kw)`` and a ``bias``, both drawn from
    :math:`U(-1/\sqrt{k}, 1/\sqrt{k})`, :math:`k = \text{out\_channels}/\text{groups}\cdot kh\cdot kw`
    (torch's fan-in for this layout). ``forward(input, output_size=None)``: an ``output_size``
    (the spatial sizes, or with N and C) picks the ``output_padding`` that gives it, as torch.
"""
        + _PARAMETERS
    )

    _spatial = 2


class ConvTranspose1d(_ConvTransposeNd):
    __doc__ = (
        """A 1-d transposed convolution layer (``torch.nn.ConvTranspose1d``): as :class:`ConvTranspose2d`
    over the last axis of ``(N, C, L)``; ``weight`` is ``(in_channels, out_channels / groups, k)``.
"""
        + _PARAMETERS
    )

    _spatial = 1


class ConvTranspose3d(_ConvTransposeNd):
    __doc__ = (
        """A 3-d transposed convolution layer (``torch.nn.ConvTranspose3d``): as :class:`ConvTranspose2d`
    over depth, height and width; ``weight`` is ``(in_channels, out_channels / groups, kd, kh, kw)``.
"""
        + _PARAMETERS
    )

    _spatial = 3
