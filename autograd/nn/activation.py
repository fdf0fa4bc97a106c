"""Activation modules, as in torch.nn: each calls the input's own method (Tensor, Value or ValueArray)."""

from __future__ import annotations

from typing import Any

from .module import Module


class Tanh(Module):
    r"""``tanh(x)``, elementwise (``torch.nn.Tanh``); its derivative is :math:`1 - \tanh^2 x`.
    """

    def forward(self, x: Any) -> Any:
        return x.tanh()


class ReLU(Module):
    """``max(x, 0)``, elementwise (``torch.nn.ReLU``); its derivative is 1 for x > 0, else 0 (0 at 0,
    as
    torch).
    """

    def forward(self, x: Any) -> Any:
        return x.relu()


class Sigmoid(Module):
    r"""``1 / (1 + exp(-x))``, elementwise (``torch.nn.Sigmoid``); its derivative is
    :math:`\sigma(x)(1 - \sigma(x))`.
    """

    def forward(self, x: Any) -> Any:
        return x.sigmoid()


BY_NAME: dict[str, type[Module]] = {"tanh": Tanh, "relu": ReLU, "sigmoid": Sigmoid}
