"""Activation modules, as in torch.nn: each calls the input's own method (Tensor, Value or ValueArray)."""

from __future__ import annotations

from typing import Any

from .module import Module


class Tanh(Module):
    """tanh(x), elementwise."""

    def forward(self, x: Any) -> Any:
        return x.tanh()


class ReLU(Module):
    """max(x, 0), elementwise (gradient 0 at 0, as torch)."""

    def forward(self, x: Any) -> Any:
        return x.relu()


class Sigmoid(Module):
    """1 / (1 + exp(-x)), elementwise."""

    def forward(self, x: Any) -> Any:
        return x.sigmoid()


BY_NAME: dict[str, type[Module]] = {"tanh": Tanh, "relu": ReLU, "sigmoid": Sigmoid}
