"""The 3-d layers of ``torch.nn``: ``Conv3d``, ``MaxPool3d``, ``AvgPool3d``, ``AdaptiveAvgPool3d``,
``AdaptiveMaxPool3d`` and ``BatchNorm3d``, for ``(N, C, D, H, W)`` volumes (videos, scans), each its
2-d neighbour with the 3-d function of :mod:`autograd.nn.functional`."""

from __future__ import annotations

from typing import Any

from .._tensor import Tensor
from .batchnorm import _BatchNorm
from .conv import _ConvNd
from .functional import volumes as V
from .functional.layers import pad
from .pooling import AdaptiveAvgPool2d, AdaptiveMaxPool2d, AvgPool2d, MaxPool2d

__all__ = ["AdaptiveAvgPool3d", "AdaptiveMaxPool3d", "AvgPool3d", "BatchNorm3d", "Conv3d", "MaxPool3d"]


class Conv3d(_ConvNd):
    r"""A 3-d convolution layer (``torch.nn.Conv3d``): :func:`~autograd.nn.functional.conv3d` with a
    ``weight`` of shape ``(out_channels, in_channels / groups, kd, kh, kw)`` and a ``bias``, both
    drawn from :math:`U(-1/\sqrt{k}, 1/\sqrt{k})`,
    :math:`k = \text{in\_channels}/\text{groups}\cdot kd\cdot kh\cdot kw`.

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

    _spatial = 3

    def forward(self, input: Any) -> Tensor:
        padding = self.padding
        if self.padding_mode != "zeros":
            input, padding = pad(input, self._pads(input), mode=self.padding_mode), 0
        return V.conv3d(input, self.weight, self.bias, self.stride, padding, self.dilation, self.groups)


class MaxPool3d(MaxPool2d):
    """The maximum of each window of a volume (``torch.nn.MaxPool3d``): see
    :func:`~autograd.nn.functional.max_pool3d`.

    Parameters
    ----------
    kernel_size : int or tuple of int
        The window's size.
    stride : int or tuple of int, optional
        The windows' spacing (default: ``kernel_size``).
    padding : int or tuple of int
        Added on each side, at most half the kernel (default 0).
    dilation : int or tuple of int
        The spacing of a window's elements (default 1).
    return_indices : bool
        Also return each maximum's position (default False).
    ceil_mode : bool
        Count a last, partial window (default False).
    """

    _function = staticmethod(V.max_pool3d)


class AvgPool3d(AvgPool2d):
    """The mean of each window of a volume (``torch.nn.AvgPool3d``): see
    :func:`~autograd.nn.functional.avg_pool3d`.

    Parameters
    ----------
    kernel_size : int or tuple of int
        The window's size.
    stride : int or tuple of int, optional
        The windows' spacing (default: ``kernel_size``).
    padding : int or tuple of int
        Zeros added on each side, at most half the kernel (default 0).
    ceil_mode : bool
        Count a last, partial window (default False).
    count_include_pad : bool
        Count the padding in the divisor (default True).
    divisor_override : int, optional
        Divide every sum by this instead.
    """

    _function = staticmethod(V.avg_pool3d)


class AdaptiveAvgPool3d(AdaptiveAvgPool2d):
    """The mean over each of ``output_size`` windows tiling a volume (``torch.nn.AdaptiveAvgPool3d``):
    see :func:`~autograd.nn.functional.adaptive_avg_pool3d`.

    Parameters
    ----------
    output_size : int or tuple of int
        ``(D_out, H_out, W_out)`` (None in place of one keeps the input's).
    """

    _function = staticmethod(V.adaptive_avg_pool3d)


class AdaptiveMaxPool3d(AdaptiveMaxPool2d):
    """The maximum over each of ``output_size`` windows tiling a volume
    (``torch.nn.AdaptiveMaxPool3d``): see :func:`~autograd.nn.functional.adaptive_max_pool3d`.

    Parameters
    ----------
    output_size : int or tuple of int
        ``(D_out, H_out, W_out)`` (None in place of one keeps the input's).
    return_indices : bool
        Also return each maximum's position (default False).
    """

    _function = staticmethod(V.adaptive_max_pool3d)


class BatchNorm3d(_BatchNorm):
    """Batch normalization of ``(N, C, D, H, W)`` inputs (``torch.nn.BatchNorm3d``): as
    :class:`~autograd.nn.BatchNorm1d`, the statistics over N, D, H and W.

    Parameters
    ----------
    num_features : int
        C, the channels.
    eps, momentum, affine, track_running_stats, device, dtype, bias
        As :class:`~autograd.nn.BatchNorm1d`'s.
    """

    _dims = (5,)
