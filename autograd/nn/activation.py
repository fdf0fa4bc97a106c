"""Activation modules, as in torch.nn: each calls its function in :mod:`autograd.nn.functional`
(on a Tensor, a ValueArray or a Value). ``inplace=True`` is accepted and computes a new tensor."""

from __future__ import annotations

from typing import Any

from . import functional as F
from .module import Module


class Tanh(Module):
    r""":math:`\tanh x`, elementwise (``torch.nn.Tanh``); its derivative is :math:`1 - \tanh^2 x`."""

    def forward(self, x: Any) -> Any:
        return F.tanh(x)


class ReLU(Module):
    r""":math:`\max(x, 0)`, elementwise (``torch.nn.ReLU``); its derivative is 1 for x > 0, else 0
    (0 at 0, as torch).

    Parameters
    ----------
    inplace : bool
        Accepted for torch's signature; a new tensor is computed (default False).
    """

    def __init__(self, inplace: bool = False) -> None:
        self.inplace = inplace

    def forward(self, x: Any) -> Any:
        return F.relu(x)

    def extra_repr(self) -> str:
        return "inplace=True" if self.inplace else ""


class Sigmoid(Module):
    r""":math:`\sigma(x) = 1 / (1 + e^{-x})`, elementwise (``torch.nn.Sigmoid``); its derivative is
    :math:`\sigma(x)(1 - \sigma(x))`.
    """

    def forward(self, x: Any) -> Any:
        return F.sigmoid(x)


class Softmax(Module):
    r"""Softmax along ``dim``, :math:`e^{x_i} / \sum_j e^{x_j}` (``torch.nn.Softmax``).

    Parameters
    ----------
    dim : int, optional
        The axis; None: torch's implicit choice, with its deprecation warning.
    """

    def __init__(self, dim: int | None = None) -> None:
        self.dim = dim

    def forward(self, x: Any) -> Any:
        return F.softmax(x, self.dim, _stacklevel=5)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class LogSoftmax(Module):
    r"""Log-softmax along ``dim``, :math:`x_i - \log \sum_j e^{x_j}` (``torch.nn.LogSoftmax``).

    Parameters
    ----------
    dim : int, optional
        The axis; None: torch's implicit choice, with its deprecation warning.
    """

    def __init__(self, dim: int | None = None) -> None:
        self.dim = dim

    def forward(self, x: Any) -> Any:
        return F.log_softmax(x, self.dim, _stacklevel=5)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class LeakyReLU(Module):
    r""":math:`x` where :math:`x > 0`, else :math:`\text{negative\_slope} \cdot x`
    (``torch.nn.LeakyReLU``).

    Parameters
    ----------
    negative_slope : float
        The slope for negative inputs (default 0.01).
    inplace : bool
        Accepted for torch's signature; a new tensor is computed (default False).
    """

    def __init__(self, negative_slope: float = 0.01, inplace: bool = False) -> None:
        self.negative_slope, self.inplace = negative_slope, inplace

    def forward(self, x: Any) -> Any:
        return F.leaky_relu(x, self.negative_slope)

    def extra_repr(self) -> str:
        return f"negative_slope={self.negative_slope}" + (", inplace=True" if self.inplace else "")


class ELU(Module):
    r""":math:`x` where :math:`x > 0`, else :math:`\alpha (e^x - 1)` (``torch.nn.ELU``).

    Parameters
    ----------
    alpha : float
        The scale of the negative branch (default 1).
    inplace : bool
        Accepted for torch's signature; a new tensor is computed (default False).
    """

    def __init__(self, alpha: float = 1.0, inplace: bool = False) -> None:
        self.alpha, self.inplace = alpha, inplace

    def forward(self, x: Any) -> Any:
        return F.elu(x, self.alpha)

    def extra_repr(self) -> str:
        return f"alpha={self.alpha}" + (", inplace=True" if self.inplace else "")


class GELU(Module):
    r""":math:`x \Phi(x)`, :math:`\Phi` the standard normal CDF (``torch.nn.GELU``).

    Parameters
    ----------
    approximate : {"none", "tanh"}
        "tanh": torch's tanh approximation (see :func:`autograd.nn.functional.gelu`).

    Raises
    ------
    ValueError
        If ``approximate`` is not "none" or "tanh".
    """

    def __init__(self, approximate: str = "none") -> None:
        if approximate not in ("none", "tanh"):
            raise ValueError(f"GELU: approximate must be 'none' or 'tanh', got {approximate!r}")
        self.approximate = approximate

    def forward(self, x: Any) -> Any:
        return F.gelu(x, approximate=self.approximate)

    def extra_repr(self) -> str:
        return f"approximate={self.approximate!r}"


class SiLU(Module):
    r"""SiLU (swish), :math:`x \sigma(x)` (``torch.nn.SiLU``).

    Parameters
    ----------
    inplace : bool
        Accepted for torch's signature; a new tensor is computed (default False).
    """

    def __init__(self, inplace: bool = False) -> None:
        self.inplace = inplace

    def forward(self, x: Any) -> Any:
        return F.silu(x)

    def extra_repr(self) -> str:
        return "inplace=True" if self.inplace else ""


class Softplus(Module):
    r""":math:`\log(1 + e^{\beta x}) / \beta`, and :math:`x` where :math:`\beta x > \text{threshold}`
    (``torch.nn.Softplus``).

    Parameters
    ----------
    beta : float
        The sharpness :math:`\beta` (default 1).
    threshold : float
        Above it the function is linear (default 20).
    """

    def __init__(self, beta: float = 1.0, threshold: float = 20.0) -> None:
        self.beta, self.threshold = beta, threshold

    def forward(self, x: Any) -> Any:
        return F.softplus(x, self.beta, self.threshold)

    def extra_repr(self) -> str:
        return f"beta={self.beta}, threshold={self.threshold}"


BY_NAME: dict[str, type[Module]] = {"tanh": Tanh, "relu": ReLU, "sigmoid": Sigmoid}
