"""Pooling layers, as ``torch.nn``'s: ``MaxPool1d``/``2d``, ``AvgPool1d``/``2d``, the adaptive ones and
``LPPool1d``/``2d``/``3d``, each holding its options and calling its function in
:mod:`autograd.nn.functional`."""

from __future__ import annotations

from typing import Any

from . import functional as F
from .module import Module


class _Pool(Module):
    """Options kept as given; ``forward`` calls ``_function`` with them; repr as torch's."""

    _function: Any = None
    _names: tuple[str, ...] = ()

    def forward(self, input: Any) -> Any:
        return type(self)._function(input, *(getattr(self, n) for n in self._names))

    def extra_repr(self) -> str:
        return ", ".join(f"{n}={getattr(self, n)}" for n in self._names)


class MaxPool2d(_Pool):
    """The maximum of each window (``torch.nn.MaxPool2d``): see :func:`~autograd.nn.functional.max_pool2d`.

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

    _function = staticmethod(F.max_pool2d)
    _names = ("kernel_size", "stride", "padding", "dilation", "ceil_mode", "return_indices")

    def __init__(self, kernel_size: Any, stride: Any = None, padding: Any = 0, dilation: Any = 1,
                 return_indices: bool = False, ceil_mode: bool = False) -> None:  # fmt: skip
        self.kernel_size, self.stride = kernel_size, kernel_size if stride is None else stride
        self.padding, self.dilation = padding, dilation
        self.return_indices, self.ceil_mode = return_indices, ceil_mode

    def extra_repr(self) -> str:
        return (
            f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}, "
            f"dilation={self.dilation}, ceil_mode={self.ceil_mode}"
        )


class MaxPool1d(MaxPool2d):
    """The maximum of each window along the last axis (``torch.nn.MaxPool1d``): see
    :func:`~autograd.nn.functional.max_pool1d`.

    Parameters
    ----------
    kernel_size, stride, padding, dilation : int
        As :class:`MaxPool2d`'s, along one axis (``stride`` defaults to ``kernel_size``).
    return_indices, ceil_mode : bool
        As :class:`MaxPool2d`'s.
    """

    _function = staticmethod(F.max_pool1d)


class AvgPool2d(_Pool):
    """The mean of each window (``torch.nn.AvgPool2d``): see :func:`~autograd.nn.functional.avg_pool2d`.

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

    _function = staticmethod(F.avg_pool2d)
    _names = ("kernel_size", "stride", "padding", "ceil_mode", "count_include_pad", "divisor_override")

    def __init__(self, kernel_size: Any, stride: Any = None, padding: Any = 0, ceil_mode: bool = False,
                 count_include_pad: bool = True, divisor_override: int | None = None) -> None:  # fmt: skip
        self.kernel_size, self.stride = kernel_size, kernel_size if stride is None else stride
        self.padding, self.ceil_mode = padding, ceil_mode
        self.count_include_pad, self.divisor_override = count_include_pad, divisor_override

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class AvgPool1d(_Pool):
    """The mean of each window along the last axis (``torch.nn.AvgPool1d``): see
    :func:`~autograd.nn.functional.avg_pool1d`.

    Parameters
    ----------
    kernel_size, stride, padding : int
        As :class:`AvgPool2d`'s, along one axis (``stride`` defaults to ``kernel_size``).
    ceil_mode, count_include_pad : bool
        As :class:`AvgPool2d`'s.
    """

    _function = staticmethod(F.avg_pool1d)
    _names = ("kernel_size", "stride", "padding", "ceil_mode", "count_include_pad")

    def __init__(self, kernel_size: Any, stride: Any = None, padding: Any = 0, ceil_mode: bool = False,
                 count_include_pad: bool = True) -> None:  # fmt: skip
        self.kernel_size, self.stride = (kernel_size,), ((kernel_size if stride is None else stride),)
        self.padding, self.ceil_mode, self.count_include_pad = (padding,), ceil_mode, count_include_pad

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class AdaptiveAvgPool2d(_Pool):
    """The mean over each of ``output_size`` windows tiling the input (``torch.nn.AdaptiveAvgPool2d``):
    see :func:`~autograd.nn.functional.adaptive_avg_pool2d`.

    Parameters
    ----------
    output_size : int or tuple of int
        The output's size (None in place of one keeps the input's).
    """

    _function = staticmethod(F.adaptive_avg_pool2d)
    _names = ("output_size",)

    def __init__(self, output_size: Any) -> None:
        self.output_size = output_size


class AdaptiveAvgPool1d(AdaptiveAvgPool2d):
    """:class:`AdaptiveAvgPool2d` along the last axis (``torch.nn.AdaptiveAvgPool1d``).

    Parameters
    ----------
    output_size : int
        The output's length.
    """

    _function = staticmethod(F.adaptive_avg_pool1d)


class AdaptiveMaxPool2d(_Pool):
    """The maximum over each of ``output_size`` windows tiling the input (``torch.nn.AdaptiveMaxPool2d``):
    see :func:`~autograd.nn.functional.adaptive_max_pool2d`.

    Parameters
    ----------
    output_size : int or tuple of int
        The output's size (None in place of one keeps the input's).
    return_indices : bool
        Also return each maximum's position (default False).
    """

    _function = staticmethod(F.adaptive_max_pool2d)
    _names = ("output_size", "return_indices")

    def __init__(self, output_size: Any, return_indices: bool = False) -> None:
        self.output_size, self.return_indices = output_size, return_indices

    def extra_repr(self) -> str:
        return f"output_size={self.output_size}"


class AdaptiveMaxPool1d(AdaptiveMaxPool2d):
    """:class:`AdaptiveMaxPool2d` along the last axis (``torch.nn.AdaptiveMaxPool1d``).

    Parameters
    ----------
    output_size : int
        The output's length.
    return_indices : bool
        Also return each maximum's position (default False).
    """

    _function = staticmethod(F.adaptive_max_pool1d)


class LPPool1d(_Pool):
    r"""The power-average of each window along the last axis (``torch.nn.LPPool1d``):
    :math:`(\sum_w x^p)^{1/p}`, see :func:`~autograd.nn.functional.lp_pool1d`.

    Parameters
    ----------
    norm_type : float
        The power ``p`` (``inf``: the max pool of ``|x|``).
    kernel_size : int
        The window's size.
    stride : int, optional
        The windows' spacing (default None: ``kernel_size``; kept None in the repr, as torch).
    ceil_mode : bool
        Count a last, partial window (default False).
    """

    _function = staticmethod(F.lp_pool1d)
    _names = ("norm_type", "kernel_size", "stride", "ceil_mode")

    def __init__(self, norm_type: float, kernel_size: Any, stride: Any = None, ceil_mode: bool = False,
                 ) -> None:  # fmt: skip
        self.norm_type, self.kernel_size, self.stride = norm_type, kernel_size, stride
        self.ceil_mode = ceil_mode

    def forward(self, input: Any) -> Any:  # (torch passes float(norm_type))
        p = float(self.norm_type)
        return type(self)._function(input, p, self.kernel_size, self.stride, self.ceil_mode)


class LPPool2d(LPPool1d):
    """The power-average of each window (``torch.nn.LPPool2d``): as :class:`LPPool1d` over the last
    two axes, see :func:`~autograd.nn.functional.lp_pool2d`.

    Parameters
    ----------
    norm_type : float
        The power ``p``.
    kernel_size : int or tuple of int
        The window's size.
    stride : int or tuple of int, optional
        The windows' spacing (default: ``kernel_size``).
    ceil_mode : bool
        Count a last, partial window (default False).
    """

    _function = staticmethod(F.lp_pool2d)


class LPPool3d(LPPool1d):
    """The power-average of each window of a volume (``torch.nn.LPPool3d``): as :class:`LPPool1d`
    over the last three axes, see :func:`~autograd.nn.functional.lp_pool3d`.

    Parameters
    ----------
    norm_type : float
        The power ``p``.
    kernel_size : int or tuple of int
        The window's size.
    stride : int or tuple of int, optional
        The windows' spacing (default: ``kernel_size``).
    ceil_mode : bool
        Count a last, partial window (default False).
    """

    _function = staticmethod(F.lp_pool3d)
