"""PyTorch's ``torch.special``, by its names: ``autograd.special.erfinv(x)``, ``.gammaln``, ``.ndtr``...

The elementwise functions are the table's ops (:mod:`autograd.ops`: their derivatives are the
table's rules, every order), under torch.special's names: ``expit`` is ``sigmoid``, ``gammaln``
is ``lgamma``, ``psi`` is ``digamma``, ``multigammaln`` is ``mvlgamma``. The others are composed of
table ops: ``mvlgamma`` (a sum of lgammas), ``xlogy``, ``xlog1py``, ``logit``, and the reductions
``logsumexp``, ``softmax`` and ``log_softmax``.

Each works on a Tensor, a ValueArray or a Value where the table's op does (the composed ones on
Tensors), and on plain numbers. torch.special's ``gammainc`` and ``gammaincc`` (the regularized
incomplete gamma functions) and its orthogonal polynomials and other Bessel functions are not here.
"""

from __future__ import annotations

import inspect
import math
from typing import Any

import numpy as np

from . import functions
from ._operands import tensor_methods
from ._tensor import Tensor
from .dtypes import get_default_dtype
from .functions import NODES, as_node
from .torch_functions import logit, x_times_log, xlogy

__all__ = [
    "erf",
    "erfc",
    "erfinv",
    "expit",
    "logit",
    "xlogy",
    "xlog1py",
    "entr",
    "ndtr",
    "ndtri",
    "log_ndtr",
    "sinc",
    "gammaln",
    "digamma",
    "psi",
    "polygamma",
    "multigammaln",
    "i0",
    "i0e",
    "i1",
    "i1e",
    "logsumexp",
    "softmax",
    "log_softmax",
    "log1p",
    "expm1",
    "exp2",
    "round",
]


def _op(op: str, name: str) -> Any:
    """torch.special's ``name``: the generated ``autograd.<op>``, looked up when called (a test may
    replace the table's entry), with its signature and docstring."""
    generated = getattr(functions, op)

    def function(*args: Any, **kwargs: Any) -> Any:
        return getattr(functions, op)(*args, **kwargs)

    function.__name__ = function.__qualname__ = name
    function.__module__ = __name__
    function.__signature__ = inspect.signature(generated)  # type: ignore[attr-defined]
    alias = "" if op == name else f"``torch.special.{name}``: ``autograd.{op}``. "
    function.__doc__ = alias + (generated.__doc__ or "")
    return function


erf = _op("erf", "erf")
erfc = _op("erfc", "erfc")
erfinv = _op("erfinv", "erfinv")
expit = _op("sigmoid", "expit")
entr = _op("entr", "entr")
ndtr = _op("ndtr", "ndtr")
ndtri = _op("ndtri", "ndtri")
log_ndtr = _op("log_ndtr", "log_ndtr")
sinc = _op("sinc", "sinc")
gammaln = _op("lgamma", "gammaln")
digamma = _op("digamma", "digamma")
psi = _op("digamma", "psi")
polygamma = _op("polygamma", "polygamma")
i0 = _op("i0", "i0")
i0e = _op("i0e", "i0e")
i1 = _op("i1", "i1")
i1e = _op("i1e", "i1e")
log1p = _op("log1p", "log1p")
expm1 = _op("expm1", "expm1")
exp2 = _op("exp2", "exp2")
round = _op("round", "round")  # noqa: A001 (torch's name)


def xlog1py(input: Any, other: Any) -> Any:
    """``input · log1p(other)``, +0 where ``input`` is 0 and ``other`` is not nan
    (``torch.special.xlog1py``), composed as ``xlogy``: the gradients are torch's (log1p y for x,
    x / (1 + y) for y), but where x is 0 and y is -1 or inf: 0 for both here (torch gives x's
    log1p(y) there, and y's 0 / 0 = nan at -1).

    Parameters
    ----------
    input, other : Tensor or array_like
        x and y, broadcast together.
    """
    return x_times_log(as_node(input, "mul"), as_node(other, "log1p"), "log1p", 0.0)


def mvlgamma(input: Any, p: int) -> Any:
    """The multivariate log-gamma function of dimension ``p`` (``torch.mvlgamma``,
    ``torch.special.multigammaln``): Σⱼ lgamma(x − j/2) over j = 0 … p − 1, plus p(p − 1)/4·ln π,
    composed as torch composes it (its gradient is Σⱼ ψ(x − j/2), every order).

    Parameters
    ----------
    input : Tensor or array_like
        x; every element must exceed (p − 1)/2 (torch's RuntimeError otherwise, nan included).
    p : int
        The dimension, at least 1.

    Returns
    -------
    Tensor
        Of ``input``'s shape.
    """
    if isinstance(p, bool) or not isinstance(p, (int, np.integer)):
        raise TypeError(f"mvlgamma: p must be an int, got {type(p).__name__} {p!r}")
    if p < 1:
        raise RuntimeError("p has to be greater than or equal to 1")
    x = input if isinstance(input, NODES) else as_node(input, "lgamma")
    data = np.asarray(x.data)
    if not bool(np.all(data > 0.5 * (p - 1))):
        raise RuntimeError("All elements must be greater than (p-1)/2")
    p = int(p)
    dtype = data.dtype if data.dtype.kind == "f" else get_default_dtype()
    steps = np.arange(-p * 0.5 + 0.5, 0.5, 0.5, dtype=dtype)
    if not isinstance(x, Tensor):  # (a Value or ValueArray: the sum of its lgammas, term by term)
        total = None
        for step in steps:
            term = (x + float(step)).lgamma()
            total = term if total is None else total + term
        return total + p * (p - 1) * math.log(math.pi) * 0.25
    args = x.unsqueeze(-1) + Tensor(steps)
    return args.lgamma().sum(-1) + p * (p - 1) * math.log(math.pi) * 0.25


def _mvlgamma_method(self: Any, p: int) -> Any:
    """The multivariate log-gamma function of dimension ``p`` (``torch.Tensor.mvlgamma``): see
    :func:`autograd.special.multigammaln`."""
    return mvlgamma(self, p)


multigammaln = mvlgamma


def logsumexp(input: Any, dim: Any, keepdim: bool = False) -> Any:
    """log Σ exp(input) over ``dim``, without overflow (``torch.special.logsumexp``).

    Parameters
    ----------
    input : Tensor or array_like
        The input.
    dim : int or tuple of int
        The dimension(s) to reduce.
    keepdim : bool
        Keep the reduced dimensions with length 1.
    """
    return as_node(input, "logsumexp").logsumexp(dim=dim, keepdim=keepdim)


def softmax(input: Any, dim: int, *, dtype: Any = None) -> Any:
    """exp(x) / Σ exp(x) along ``dim`` (``torch.special.softmax``); ``dtype``: cast first.

    Parameters
    ----------
    input : Tensor or array_like
        The input.
    dim : int
        The dimension to normalise along.
    dtype : numpy.dtype, optional
        The input is cast to it first (torch's argument).
    """
    x = as_node(input, "softmax")
    return (x if dtype is None else x.to(dtype)).softmax(dim=dim)


def log_softmax(input: Any, dim: int, *, dtype: Any = None) -> Any:
    """x − logsumexp(x) along ``dim`` (``torch.special.log_softmax``); ``dtype``: cast first.

    Parameters
    ----------
    input : Tensor or array_like
        The input.
    dim : int
        The dimension to normalise along.
    dtype : numpy.dtype, optional
        The input is cast to it first (torch's argument).
    """
    x = as_node(input, "log_softmax")
    return (x if dtype is None else x.to(dtype)).log_softmax(dim=dim)


tensor_methods(mvlgamma=_mvlgamma_method)
