"""Activation modules, as in torch.nn: each calls its function in :mod:`autograd.nn.functional`
(on a Tensor, a ValueArray or a Value). ``inplace=True`` writes into the input and returns it, as
torch's (on a tensor computed from others, recorded in the graph, as torch records it; while a
compiled step traces, a new tensor)."""

from __future__ import annotations

from typing import Any

from ..factories import _cpu, full
from . import functional as F
from .module import Module, check_size
from .parameter import Parameter


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
        Write the result into the input and return the input, as torch (on a tensor computed
        from others, the write is recorded in its graph, as torch's; default False).
    """

    def __init__(self, inplace: bool = False) -> None:
        self.inplace = inplace

    def forward(self, x: Any) -> Any:
        return F.relu(x, self.inplace)

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
        Write the result into the input and return the input, as torch (on a tensor computed
        from others, the write is recorded in its graph, as torch's; default False).
    """

    def __init__(self, negative_slope: float = 0.01, inplace: bool = False) -> None:
        self.negative_slope, self.inplace = negative_slope, inplace

    def forward(self, x: Any) -> Any:
        return F.leaky_relu(x, self.negative_slope, self.inplace)

    def extra_repr(self) -> str:
        return f"negative_slope={self.negative_slope}" + (", inplace=True" if self.inplace else "")


class ELU(Module):
    r""":math:`x` where :math:`x > 0`, else :math:`\alpha (e^x - 1)` (``torch.nn.ELU``).

    Parameters
    ----------
    alpha : float
        The scale of the negative branch (default 1).
    inplace : bool
        Write the result into the input and return the input, as torch (on a tensor computed
        from others, the write is recorded in its graph, as torch's; default False).
    """

    def __init__(self, alpha: float = 1.0, inplace: bool = False) -> None:
        self.alpha, self.inplace = alpha, inplace

    def forward(self, x: Any) -> Any:
        return F.elu(x, self.alpha, self.inplace)

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
        Write the result into the input and return the input, as torch (on a tensor computed
        from others, the write is recorded in its graph, as torch's; default False).
    """

    def __init__(self, inplace: bool = False) -> None:
        self.inplace = inplace

    def forward(self, x: Any) -> Any:
        return F.silu(x, self.inplace)

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


class _Pointwise(Module):
    """An activation without parameters of its own but torch's ``inplace`` flag."""

    fn: Any = None

    def __init__(self, inplace: bool = False) -> None:
        self.inplace = inplace

    def forward(self, x: Any) -> Any:
        return type(self).fn(x, inplace=self.inplace)

    def extra_repr(self) -> str:
        return "inplace=True" if self.inplace else ""


class ReLU6(_Pointwise):
    r""":math:`\min(\max(x, 0), 6)` (``torch.nn.ReLU6``); see :func:`autograd.nn.functional.relu6`.

    Parameters
    ----------
    inplace : bool
        Write the result into the input and return the input, as torch (on a tensor computed
        from others, the write is recorded in its graph, as torch's; default False).
    """

    fn = staticmethod(F.relu6)


class SELU(_Pointwise):
    r"""``scale · elu(x, alpha)`` with torch's constants (``torch.nn.SELU``).

    Parameters
    ----------
    inplace : bool
        Write the result into the input and return the input, as torch (on a tensor computed
        from others, the write is recorded in its graph, as torch's; default False).
    """

    fn = staticmethod(F.selu)


class Mish(_Pointwise):
    r""":math:`x \tanh(\operatorname{softplus}(x))` (``torch.nn.Mish``).

    Parameters
    ----------
    inplace : bool
        Write the result into the input and return the input, as torch (on a tensor computed
        from others, the write is recorded in its graph, as torch's; default False).
    """

    fn = staticmethod(F.mish)


class Hardswish(_Pointwise):
    r"""0 at and below -3, x at and above 3, :math:`x (x + 3)/6` between (``torch.nn.Hardswish``).

    Parameters
    ----------
    inplace : bool
        Write the result into the input and return the input, as torch (on a tensor computed
        from others, the write is recorded in its graph, as torch's; default False).
    """

    fn = staticmethod(F.hardswish)


class Hardsigmoid(_Pointwise):
    r"""0 at and below -3, 1 at and above 3, :math:`(x + 3)/6` between (``torch.nn.Hardsigmoid``).

    Parameters
    ----------
    inplace : bool
        Write the result into the input and return the input, as torch (on a tensor computed
        from others, the write is recorded in its graph, as torch's; default False).
    """

    fn = staticmethod(F.hardsigmoid)


class LogSigmoid(Module):
    r""":math:`\log \sigma(x)`, without overflow (``torch.nn.LogSigmoid``)."""

    def forward(self, x: Any) -> Any:
        return F.logsigmoid(x)


class Softsign(Module):
    r""":math:`x / (1 + |x|)` (``torch.nn.Softsign``)."""

    def forward(self, x: Any) -> Any:
        return F.softsign(x)


class Tanhshrink(Module):
    r""":math:`x - \tanh x` (``torch.nn.Tanhshrink``)."""

    def forward(self, x: Any) -> Any:
        return F.tanhshrink(x)


class Hardtanh(Module):
    r"""x clipped to [``min_val``, ``max_val``] (``torch.nn.Hardtanh``); see
    :func:`autograd.nn.functional.hardtanh`.

    Parameters
    ----------
    min_val, max_val : float
        The bounds (default -1 and 1).
    inplace : bool
        Write the result into the input and return the input, as torch (on a tensor computed
        from others, the write is recorded in its graph, as torch's; default False).
    """

    def __init__(self, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False) -> None:
        self.min_val, self.max_val, self.inplace = min_val, max_val, inplace

    def forward(self, x: Any) -> Any:
        return F.hardtanh(x, self.min_val, self.max_val, self.inplace)

    def extra_repr(self) -> str:
        return f"min_val={self.min_val}, max_val={self.max_val}" + (", inplace=True" if self.inplace else "")


class CELU(Module):
    r""":math:`x` where :math:`x > 0`, else :math:`\alpha (e^{x/\alpha} - 1)` (``torch.nn.CELU``).

    Parameters
    ----------
    alpha : float
        The scale (default 1).
    inplace : bool
        Write the result into the input and return the input, as torch (on a tensor computed
        from others, the write is recorded in its graph, as torch's; default False).
    """

    def __init__(self, alpha: float = 1.0, inplace: bool = False) -> None:
        self.alpha, self.inplace = alpha, inplace

    def forward(self, x: Any) -> Any:
        return F.celu(x, self.alpha, self.inplace)

    def extra_repr(self) -> str:
        return f"alpha={self.alpha}" + (", inplace=True" if self.inplace else "")


class Threshold(Module):
    r"""x where x > ``threshold``, else ``value`` (``torch.nn.Threshold``).

    Parameters
    ----------
    threshold, value : float
        The threshold and the value below it.
    inplace : bool
        Write the result into the input and return the input, as torch (on a tensor computed
        from others, the write is recorded in its graph, as torch's; default False).
    """

    def __init__(self, threshold: float, value: float, inplace: bool = False) -> None:
        self.threshold, self.value, self.inplace = threshold, value, inplace

    def forward(self, x: Any) -> Any:
        return F.threshold(x, self.threshold, self.value, self.inplace)

    def extra_repr(self) -> str:
        return f"threshold={self.threshold}, value={self.value}" + (", inplace=True" if self.inplace else "")


class Softmin(Module):
    r"""Softmin along ``dim``, the softmax of -x (``torch.nn.Softmin``).

    Parameters
    ----------
    dim : int, optional
        The axis; None: torch's implicit choice, with its deprecation warning.
    """

    def __init__(self, dim: int | None = None) -> None:
        self.dim = dim

    def forward(self, x: Any) -> Any:
        return F.softmin(x, self.dim, _stacklevel=5)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


BY_NAME: dict[str, type[Module]] = {"tanh": Tanh, "relu": ReLU, "sigmoid": Sigmoid}


class GLU(Module):
    r"""The gated linear unit, :math:`a \otimes \sigma(b)` for the halves :math:`a, b` of the input
    along ``dim`` (``torch.nn.GLU``); see :func:`autograd.nn.functional.glu`.

    Parameters
    ----------
    dim : int
        The axis to halve (default -1).
    """

    def __init__(self, dim: int = -1) -> None:
        self.dim = dim

    def forward(self, x: Any) -> Any:
        return F.glu(x, self.dim)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class RReLU(Module):
    r"""Randomized leaky ReLU (``torch.nn.RReLU``): :math:`x` where :math:`x > 0`, else
    :math:`a x`, with :math:`a` drawn uniformly from ``[lower, upper]`` for each element while
    ``training`` (torch's draws after the same :func:`autograd.manual_seed`), and
    :math:`a = (\text{lower} + \text{upper}) / 2` in ``eval()`` mode; see
    :func:`autograd.nn.functional.rrelu`.

    Parameters
    ----------
    lower, upper : float
        The range of the slopes (default 1/8 and 1/3).
    inplace : bool
        Write the result into the input and return the input, as torch (on a tensor computed
        from others, the write is recorded in its graph, as torch's; default False).
    """

    def __init__(self, lower: float = 1.0 / 8, upper: float = 1.0 / 3, inplace: bool = False) -> None:
        self.lower, self.upper, self.inplace = lower, upper, inplace

    def forward(self, x: Any) -> Any:
        return F.rrelu(x, self.lower, self.upper, self.training, self.inplace)

    def extra_repr(self) -> str:
        return f"lower={self.lower}, upper={self.upper}" + (", inplace=True" if self.inplace else "")


class Hardshrink(Module):
    r"""x where :math:`|x| > \lambda`, else 0 (``torch.nn.Hardshrink``; see
    :func:`~autograd.nn.functional.hardshrink`).

    Parameters
    ----------
    lambd : float
        The band's half width (default 0.5).
    """

    def __init__(self, lambd: float = 0.5) -> None:
        self.lambd = lambd

    def forward(self, x: Any) -> Any:
        return F.hardshrink(x, self.lambd)

    def extra_repr(self) -> str:
        return f"{self.lambd}"


class Softshrink(Module):
    r"""x shrunk by :math:`\lambda` towards 0, 0 in the band :math:`|x| \le \lambda`
    (``torch.nn.Softshrink``; see :func:`~autograd.nn.functional.softshrink`).

    Parameters
    ----------
    lambd : float
        The band's half width, at least 0 (default 0.5).
    """

    def __init__(self, lambd: float = 0.5) -> None:
        self.lambd = lambd

    def forward(self, x: Any) -> Any:
        return F.softshrink(x, self.lambd)

    def extra_repr(self) -> str:
        return f"{self.lambd}"


class PReLU(Module):
    r""":math:`x` where :math:`x > 0`, else :math:`a \cdot x` with learnable slopes (``torch.nn.PReLU``).

    ``weight`` is a :class:`~autograd.nn.Parameter` of shape ``(num_parameters,)`` filled with
    ``init``, as torch's: one slope shared by every channel, or one per channel (axis 1).

    Parameters
    ----------
    num_parameters : int
        1, or the number of channels (default 1).
    init : float
        The initial slope (default 0.25).
    device : str, optional
        "cpu" or None.
    dtype : numpy.dtype, optional
        The weight's dtype (default: the default dtype).

    Raises
    ------
    TypeError
        If ``num_parameters`` is not a positive int.
    """

    def __init__(
        self, num_parameters: int = 1, init: float = 0.25, device: Any = None, dtype: Any = None
    ) -> None:
        _cpu("PReLU", device)
        self.num_parameters = check_size("PReLU", "num_parameters", num_parameters)
        self.init = init
        self.weight = Parameter(full((self.num_parameters,), init, dtype=dtype))

    def reset_parameters(self) -> None:
        """Fill ``weight`` with ``init`` again, in place."""
        self.weight.data[...] = self.init

    def forward(self, x: Any) -> Any:
        return F.prelu(x, self.weight)

    def extra_repr(self) -> str:
        return f"num_parameters={self.num_parameters}"


class Softmax2d(Module):
    """Softmax over the channels (axis -3) of a ``(N, C, H, W)`` or ``(C, H, W)`` input
    (``torch.nn.Softmax2d``).

    Raises
    ------
    ValueError
        When called, if the input is not 3- or 4-d.
    """

    def forward(self, x: Any) -> Any:
        ndim = len(getattr(x, "shape", ()))
        if ndim not in (3, 4):
            raise ValueError(f"Softmax2d: expected a 3-d or 4-d input, got {ndim}-d")
        return F.softmax(x, -3)
