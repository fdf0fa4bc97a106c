"""``LazyLinear``, as in torch.nn: a :class:`~autograd.nn.Linear` whose ``in_features`` is the last
dimension of its first input; its weights are drawn then, and it becomes a ``Linear``."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._tensor import Tensor
from ..factories import _cpu
from .module import check_size
from .parameter import Parameter
from .tensor import Linear


class LazyLinear(Linear):
    r"""A :class:`~autograd.nn.Linear` with ``in_features`` inferred at the first call
    (``torch.nn.LazyLinear``).

    Until then ``weight`` and ``bias`` are empty Parameters (``in_features=0``); the first call
    sizes them in place (the same Parameter objects, so an optimizer built before holds them),
    draws them as ``Linear.reset_parameters`` does (torch's draws after the same seed) and turns
    the module into a ``Linear``, as torch's. Load a state dict after the first call.

    Parameters
    ----------
    out_features : int
        The output size.
    bias : bool
        Whether to add a bias (default True).
    device : str, optional
        "cpu" or None.
    dtype : numpy.dtype
        float64 (default) or float32.
    rng : int or numpy.random.Generator, optional
        The seed or generator of the weights drawn at the first call; None: the library's generator.

    Raises
    ------
    TypeError
        If ``out_features`` is not a positive int.
    ValueError
        At the first call, if the input is 0-d or its last dimension is 0.
    """

    def __init__(
        self,
        out_features: int,
        bias: bool = True,
        device: Any = None,
        dtype: Any = np.float64,
        rng: np.random.Generator | int | None = None,
    ) -> None:
        _cpu("LazyLinear", device)
        self.in_features = 0
        self.out_features = check_size("LazyLinear", "out_features", out_features)
        self.weight = Parameter(np.empty(0, dtype=dtype))
        self.bias = Parameter(np.empty(0, dtype=dtype)) if bias else None
        self._rng = rng

    def reset_parameters(self, rng: np.random.Generator | int | None = None) -> None:
        """Draw the weights again once ``in_features`` is known (nothing before the first call)."""
        if self.in_features:
            super().reset_parameters(rng)

    def forward(self, x: Tensor) -> Tensor:
        shape = np.shape(x.data if isinstance(x, Tensor) else x)
        if not shape or not shape[-1]:
            raise ValueError(
                f"LazyLinear: expected an input with a non-empty last dimension, got shape {shape}"
            )
        self.in_features = int(shape[-1])
        self.weight.data = np.empty((self.out_features, self.in_features), dtype=self.weight.data.dtype)
        if self.bias is not None:
            self.bias.data = np.empty((self.out_features,), dtype=self.bias.data.dtype)
        rng = self._rng
        del self._rng
        self.__class__ = Linear
        self.reset_parameters(rng)
        return self.forward(x)
