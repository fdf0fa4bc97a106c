"""Layers built from ``Tensor``s."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..tensor import Tensor
from .module import Module


class Linear(Module):
    """y = x @ W + b, with W, b drawn from U(-1/√in, 1/√in) (PyTorch's default bound)."""

    def __init__(
        self,
        in_features: int,
        out_features: int,
        bias: bool = True,
        dtype: Any = np.float64,
        rng: np.random.Generator | int | None = None,
    ) -> None:
        rng = np.random.default_rng(rng)
        bound = 1.0 / np.sqrt(in_features)
        self.W = Tensor(rng.uniform(-bound, bound, (in_features, out_features)), True, dtype, "W")
        self.b = Tensor(rng.uniform(-bound, bound, out_features), True, dtype, "b") if bias else None

    def __call__(self, x: Tensor) -> Tensor:
        y = x @ self.W
        return y if self.b is None else y + self.b

    def parameters(self) -> list[Tensor]:
        return [self.W] if self.b is None else [self.W, self.b]


class MLP(Module):
    """Linear layers of the given sizes with ``activation`` between them (none after the last)."""

    def __init__(
        self,
        sizes: Sequence[int],
        activation: str = "tanh",
        dtype: Any = np.float64,
        rng: np.random.Generator | int | None = None,
    ) -> None:
        if activation not in ("tanh", "relu", "sigmoid"):
            raise ValueError(f"MLP: activation must be 'tanh', 'relu' or 'sigmoid', got {activation!r}")
        rng = np.random.default_rng(rng)
        self.layers = [Linear(a, b, dtype=dtype, rng=rng) for a, b in zip(sizes[:-1], sizes[1:])]
        self.activation = activation

    def __call__(self, x: Tensor) -> Tensor:
        for i, layer in enumerate(self.layers):
            x = layer(x)
            if i < len(self.layers) - 1:
                x = getattr(x, self.activation)()
        return x

    def parameters(self) -> list[Tensor]:
        return [p for layer in self.layers for p in layer.parameters()]
