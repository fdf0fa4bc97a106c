"""``Unfold`` and ``Fold``, as in torch.nn: modules over :func:`~autograd.nn.functional.unfold` and
:func:`~autograd.nn.functional.fold`, which check the sizes."""

from __future__ import annotations

from typing import Any

from .._tensor import Tensor
from . import functional as F
from .module import Module


class Unfold(Module):
    """The sliding blocks of a ``(N, C, H, W)`` input as the columns of ``(N, C·∏kernel_size, L)``
    (``torch.nn.Unfold``; see :func:`~autograd.nn.functional.unfold`).

    Parameters
    ----------
    kernel_size : int or tuple of int
        The block's size ``(height, width)``.
    dilation, padding, stride : int or tuple of int
        As the convolutions' (defaults 1, 0, 1), one or one per spatial dimension.
    """

    def __init__(self, kernel_size: Any, dilation: Any = 1, padding: Any = 0, stride: Any = 1) -> None:
        self.kernel_size, self.dilation, self.padding, self.stride = kernel_size, dilation, padding, stride

    def forward(self, input: Any) -> Tensor:
        return F.unfold(input, self.kernel_size, self.dilation, self.padding, self.stride)

    def extra_repr(self) -> str:
        return (
            f"kernel_size={self.kernel_size}, dilation={self.dilation}, padding={self.padding}, "
            f"stride={self.stride}"
        )


class Fold(Module):
    """Sums the columns of ``(N, C·∏kernel_size, L)`` back into an ``(N, C, *output_size)`` image,
    the inverse layout of :class:`Unfold` (``torch.nn.Fold``; see
    :func:`~autograd.nn.functional.fold`).

    Parameters
    ----------
    output_size : int or tuple of int
        The image's spatial size ``(height, width)``.
    kernel_size : int or tuple of int
        The block's size ``(height, width)``.
    dilation, padding, stride : int or tuple of int
        As the convolutions' (defaults 1, 0, 1), one or one per spatial dimension.
    """

    def __init__(
        self, output_size: Any, kernel_size: Any, dilation: Any = 1, padding: Any = 0, stride: Any = 1
    ) -> None:
        self.output_size, self.kernel_size = output_size, kernel_size
        self.dilation, self.padding, self.stride = dilation, padding, stride

    def forward(self, input: Any) -> Tensor:
        return F.fold(input, self.output_size, self.kernel_size, self.dilation, self.padding, self.stride)

    def extra_repr(self) -> str:
        return (
            f"output_size={self.output_size}, kernel_size={self.kernel_size}, dilation={self.dilation}, "
            f"padding={self.padding}, stride={self.stride}"
        )
