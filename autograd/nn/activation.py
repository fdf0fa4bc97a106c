"""Activation modules, as in torch.nn: each calls its function in :mod:`autograd.nn.functional`
(on a Tensor, a ValueArray or a Value). ``inplace=True`` is accepted and computes a new tensor."""

from __future__ import annotations

from typing import Any

from . import functional as F
from .module import Module


class Tanh(Module):
    r"""``tanh(x)``, elementwise (``torch.nn.Tanh``); its derivative is :math:`1 - \tanh^2 x`.
    """

    def forward(self, x: Any) -> Any:
        return F.tanh(x)


class ReLU(Module):
    """``max(x, 0)``, elementwise (``torch.nn.ReLU``); its derivative is 1 for x > 0, else 0 (0 at 0,
    as
    torch).
    """

    def __init__(self, inplace: bool = False) -> None:
        self.inplace = inplace

    def forward(self, x: Any) -> Any:
        return F.relu(x)

    def extra_repr(self) -> str:
        return "inplace=True" if self.inplace else ""


class Sigmoid(Module):
    r"""``1 / (1 + exp(-x))``, elementwise (``torch.nn.Sigmoid``); its derivative is
    :math:`\sigma(x)(1 - \sigma(x))`.
    """

    def forward(self, x: Any) -> Any:
        return F.sigmoid(x)


class Softmax(Module):
    """``e^{x_i} / Σ_j e^{x_j}`` along ``dim`` (None: torch's implicit choice, with its warning)."""

    def __init__(self, dim: int | None = None) -> None:
        self.dim = dim

    def forward(self, x: Any) -> Any:
        return F.softmax(x, self.dim, _stacklevel=5)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class LogSoftmax(Module):
    """``x_i - log Σ_j e^{x_j}`` along ``dim`` (None: torch's implicit choice, with its warning)."""

    def __init__(self, dim: int | None = None) -> None:
        self.dim = dim

    def forward(self, x: Any) -> Any:
        return F.log_softmax(x, self.dim, _stacklevel=5)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class LeakyReLU(Module):
    """``x`` where x > 0, else ``negative_slope·x``."""

    def __init__(self, negative_slope: float = 0.01, inplace: bool = False) -> None:
        self.negative_slope, self.inplace = negative_slope, inplace

    def forward(self, x: Any) -> Any:
        return F.leaky_relu(x, self.negative_slope)

    def extra_repr(self) -> str:
        return f"negative_slope={self.negative_slope}" + (", inplace=True" if self.inplace else "")


class ELU(Module):
    """``x`` where x > 0, else ``alpha·(e^x - 1)``."""

    def __init__(self, alpha: float = 1.0, inplace: bool = False) -> None:
        self.alpha, self.inplace = alpha, inplace

    def forward(self, x: Any) -> Any:
        return F.elu(x, self.alpha)

    def extra_repr(self) -> str:
        return f"alpha={self.alpha}" + (", inplace=True" if self.inplace else "")


class GELU(Module):
    """``x·Φ(x)``; ``approximate="tanh"``: torch's tanh approximation (see ``F.gelu``)."""

    def __init__(self, approximate: str = "none") -> None:
        if approximate not in ("none", "tanh"):
            raise ValueError(f"GELU: approximate must be 'none' or 'tanh', got {approximate!r}")
        self.approximate = approximate

    def forward(self, x: Any) -> Any:
        return F.gelu(x, approximate=self.approximate)

    def extra_repr(self) -> str:
        return f"approximate={self.approximate!r}"


class SiLU(Module):
    """``x·σ(x)``."""

    def __init__(self, inplace: bool = False) -> None:
        self.inplace = inplace

    def forward(self, x: Any) -> Any:
        return F.silu(x)

    def extra_repr(self) -> str:
        return "inplace=True" if self.inplace else ""


class Softplus(Module):
    """``log(1 + e^{βx}) / β``, and ``x`` where ``βx > threshold``."""

    def __init__(self, beta: float = 1.0, threshold: float = 20.0) -> None:
        self.beta, self.threshold = beta, threshold

    def forward(self, x: Any) -> Any:
        return F.softplus(x, self.beta, self.threshold)

    def extra_repr(self) -> str:
        return f"beta={self.beta}, threshold={self.threshold}"


BY_NAME: dict[str, type[Module]] = {"tanh": Tanh, "relu": ReLU, "sigmoid": Sigmoid}
