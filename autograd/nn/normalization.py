"""``LayerNorm``, as in torch.nn."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..factories import _cpu, ones, zeros
from . import functional as F
from .functional.layers import _normalized_shape
from .module import Module
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
