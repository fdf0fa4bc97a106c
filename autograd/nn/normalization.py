"""``LayerNorm``, ``GroupNorm``, ``RMSNorm`` and ``LocalResponseNorm``, as in torch.nn (torch's
parameters, state-dict keys and reprs)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..factories import _cpu, ones, zeros
from . import functional as F
from .functional.layers import _normalized_shape
from .module import Module, check_size
from .parameter import Parameter


class LayerNorm(Module):
    r"""Layer normalization over the trailing ``normalized_shape`` (``torch.nn.LayerNorm``):

    .. math::

        y = \frac{x - \operatorname{E}[x]}{\sqrt{\operatorname{Var}[x] + \epsilon}} \cdot w + b

    with the biased variance, as :func:`autograd.nn.functional.layer_norm`. ``weight`` (ones) and
    ``bias`` (zeros) are :class:`~autograd.nn.Parameter` objects of shape ``normalized_shape``,
    with torch's state-dict keys.

    Parameters
    ----------
    normalized_shape : int or sequence of int
        The trailing shape of the input to normalize over.
    eps : float
        Added to the variance (default 1e-5).
    elementwise_affine : bool
        Learn ``weight`` and ``bias`` (default True); False: neither.
    bias : bool
        Learn ``bias`` too (default True).
    device : str, optional
        Accepted when it names the CPU (the only device here).
    dtype : numpy.dtype, optional
        float32 or float64 (default: the default dtype, float64 unless changed).

    Raises
    ------
    TypeError
        If ``normalized_shape`` is not an int or a sequence of ints.
    RuntimeError
        If a size is negative, or ``device`` is not the CPU.
    """

    def __init__(
        self,
        normalized_shape: int | Sequence[int],
        eps: float = 1e-5,
        elementwise_affine: bool = True,
        bias: bool = True,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        _cpu("LayerNorm", device)
        if isinstance(normalized_shape, (int, np.integer)) and not isinstance(normalized_shape, bool):
            normalized_shape = (normalized_shape,)
        self.normalized_shape = _normalized_shape("LayerNorm", normalized_shape)
        if any(n < 0 for n in self.normalized_shape):
            raise RuntimeError(
                f"LayerNorm: normalized_shape must hold non-negative sizes, got {self.normalized_shape}"
            )
        self.eps, self.elementwise_affine = eps, elementwise_affine
        self.weight = self.bias = None
        if elementwise_affine:
            self.weight = Parameter(ones(*self.normalized_shape, dtype=dtype, device=device))
            if bias:
                self.bias = Parameter(zeros(*self.normalized_shape, dtype=dtype, device=device))

    def reset_parameters(self) -> None:
        """Set ``weight`` to ones and ``bias`` to zeros, in place."""
        if self.weight is not None:
            self.weight.data[...] = 1.0
        if self.bias is not None:
            self.bias.data[...] = 0.0

    def forward(self, x: Any) -> Any:
        return F.layer_norm(x, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return (
            f"{self.normalized_shape}, eps={self.eps}, elementwise_affine={self.elementwise_affine}, "
            f"bias={self.bias is not None}"
        )


class GroupNorm(Module):
    r"""Group normalization (``torch.nn.GroupNorm``): the channels of each sample split into
    ``num_groups`` groups, each normalized by its mean and biased variance, then scaled and shifted
    per channel (:func:`autograd.nn.functional.group_norm`). ``weight`` (ones) and ``bias`` (zeros)
    are of shape ``(num_channels,)``, with torch's state-dict keys.

    Parameters
    ----------
    num_groups : int
        The number of groups; it divides ``num_channels``.
    num_channels : int
        C, the input's channels (axis 1).
    eps : float
        Added to the variance (default 1e-5).
    affine : bool
        Learn ``weight`` and ``bias`` (default True).
    device : str, optional
        Accepted when it names the CPU.
    dtype : numpy.dtype, optional
        float32 or float64 (default: the default dtype).
    bias : bool
        With ``affine``, learn ``bias`` too (default True; keyword only, as torch).

    Raises
    ------
    TypeError
        If ``num_groups`` or ``num_channels`` is not a positive int.
    ValueError
        If ``num_groups`` does not divide ``num_channels`` (torch's message).
    """

    def __init__(self, num_groups: int, num_channels: int, eps: float = 1e-5, affine: bool = True,
                 device: Any = None, dtype: Any = None, *, bias: bool = True) -> None:  # fmt: skip
        _cpu("GroupNorm", device)
        self.num_groups = check_size("GroupNorm", "num_groups", num_groups)
        self.num_channels = check_size("GroupNorm", "num_channels", num_channels)
        if num_channels % num_groups:
            raise ValueError(f"num_channels ({num_channels}) must be divisible by num_groups ({num_groups})")
        self.eps, self.affine = eps, affine
        self.weight = self.bias = None
        if affine:
            self.weight = Parameter(ones(num_channels, dtype=dtype, device=device))
            if bias:
                self.bias = Parameter(zeros(num_channels, dtype=dtype, device=device))

    def reset_parameters(self) -> None:
        """Set ``weight`` to ones and ``bias`` to zeros, in place."""
        if self.weight is not None:
            self.weight.data[...] = 1.0
        if self.bias is not None:
            self.bias.data[...] = 0.0

    def forward(self, input: Any) -> Any:
        return F.group_norm(input, self.num_groups, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return (
            f"{self.num_groups}, {self.num_channels}, eps={self.eps}, affine={self.affine}, "
            f"bias={self.bias is not None}"
        )


class RMSNorm(Module):
    r"""Root-mean-square normalization over the trailing ``normalized_shape``
    (``torch.nn.RMSNorm``): :math:`y = x / \sqrt{\operatorname{E}[x^2] + \epsilon} \cdot w`, as
    :func:`autograd.nn.functional.rms_norm`. ``weight`` (ones) is of shape ``normalized_shape``.

    Parameters
    ----------
    normalized_shape : int or sequence of int
        The trailing shape of the input to normalize over.
    eps : float or None
        Added to the mean square; None (default): the input dtype's machine epsilon.
    elementwise_affine : bool
        Learn ``weight`` (default True).
    device : str, optional
        Accepted when it names the CPU.
    dtype : numpy.dtype, optional
        float32 or float64 (default: the default dtype).

    Raises
    ------
    TypeError
        If ``normalized_shape`` is not an int or a sequence of ints.
    RuntimeError
        If a size is negative, or ``device`` is not the CPU.
    """

    def __init__(self, normalized_shape: int | Sequence[int], eps: float | None = None,
                 elementwise_affine: bool = True, device: Any = None, dtype: Any = None) -> None:  # fmt: skip
        _cpu("RMSNorm", device)
        if isinstance(normalized_shape, (int, np.integer)) and not isinstance(normalized_shape, bool):
            normalized_shape = (normalized_shape,)
        self.normalized_shape = _normalized_shape("RMSNorm", normalized_shape)
        if any(n < 0 for n in self.normalized_shape):
            raise RuntimeError(
                f"RMSNorm: normalized_shape must hold non-negative sizes, got {self.normalized_shape}"
            )
        self.eps, self.elementwise_affine = eps, elementwise_affine
        self.weight = None
        if elementwise_affine:
            self.weight = Parameter(ones(*self.normalized_shape, dtype=dtype, device=device))

    def reset_parameters(self) -> None:
        """Set ``weight`` to ones, in place."""
        if self.weight is not None:
            self.weight.data[...] = 1.0

    def forward(self, x: Any) -> Any:
        return F.rms_norm(x, self.normalized_shape, self.weight, self.eps)

    def extra_repr(self) -> str:
        return f"{self.normalized_shape}, eps={self.eps}, elementwise_affine={self.elementwise_affine}"


class LocalResponseNorm(Module):
    r"""Local response normalization across channels (``torch.nn.LocalResponseNorm``):
    :math:`y_c = x_c / (k + \frac{\alpha}{n} \sum_{c'} x_{c'}^2)^\beta` over the ``size``
    channels around ``c`` (see :func:`autograd.nn.functional.local_response_norm`). No parameters.

    Parameters
    ----------
    size : int
        The number of neighbouring channels.
    alpha, beta, k : float
        The scale (default 1e-4), exponent (0.75) and offset (1).
    """

    def __init__(self, size: int, alpha: float = 1e-4, beta: float = 0.75, k: float = 1.0) -> None:
        self.size, self.alpha, self.beta, self.k = size, alpha, beta, k

    def forward(self, input: Any) -> Any:
        return F.local_response_norm(input, self.size, self.alpha, self.beta, self.k)

    def extra_repr(self) -> str:
        return f"{self.size}, alpha={self.alpha}, beta={self.beta}, k={self.k}"
