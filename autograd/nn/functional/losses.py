"""``torch.nn.functional``'s names and signatures: ``import autograd.nn.functional as F``.

Activations are composed from the engine's operations (their gradients come from the chain rule),
and take a Tensor, a ValueArray or a Value (numbers and arrays become a constant Tensor). Every
loss is a thin wrapper over its one definition in the ``losses`` package, called with PyTorch's
``(input, target)`` order and arguments; ``losses`` itself takes the truth first. The ``losses``
package is loaded on the first loss call, from beside this package (see ``autograd/_siblings.py``),
so ``import autograd`` does not import it.

Known differences from torch: ``inplace=True`` is accepted and computes a new tensor; results of
``one_hot`` are float Tensors of 0s and 1s (torch: int64); ``dropout`` masks come from this library's
generator (``manual_seed``), not torch's stream; a loss refuses input and target of different shapes
(torch broadcasts them with a warning).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Sequence
from functools import cache
from types import ModuleType
from typing import Any

import numpy as np

from ... import linalg, numpy_shapes
from ..._operands import as_tensor
from ..._siblings import sibling
from ..._tensor import Tensor
from ...random_state import default_generator
from ...torch_hints import missing
from ...value import Value
from ...value_array import ValueArray

#: read by ``losses`` when it decides whether to warn about a swapped (y_true, y_pred): every loss
#: here is called in PyTorch's own explicit (input, target) order, so it never warns
_LOSS_ARGUMENT_ORDER = "input, target"


def _node(x: Any) -> Any:
    """A Tensor, ValueArray or Value as given; numbers and arrays as a constant Tensor."""
    return x if isinstance(x, (Tensor, ValueArray, Value)) else Tensor(x)


def _composed(x: Any, fn: Callable[[Any], Any]) -> Any:
    """``fn`` (written with the array API: ``where``, ``.data``) applied to ``x``; a Value goes
    through it as a 0-d ValueArray and comes back a Value."""
    if isinstance(x, Value):
        return fn(ValueArray(x)).to_value()
    return fn(_node(x))


def _real(op: str, name: str, value: Any) -> float:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{op}: {name} must be a real number, got {type(value).__name__} {value!r}")
    return float(value)


# -- activations
def relu(input: Any, inplace: bool = False) -> Any:
    r"""ReLU, :math:`\max(x, 0)` elementwise (``torch.nn.functional.relu``); the gradient at 0 is 0,
    as torch's.

    Parameters
    ----------
    input : Tensor, ValueArray, Value or array_like
        The input; numbers and arrays become a constant Tensor.
    inplace : bool
        Accepted for torch's signature; a new tensor is computed (default False).

    Returns
    -------
    Tensor, ValueArray or Value
        Of the input's kind and shape.
    """
    return _node(input).relu()


def sigmoid(input: Any) -> Any:
    r"""The logistic function :math:`\sigma(x) = 1 / (1 + e^{-x})`, elementwise
    (``torch.nn.functional.sigmoid``).

    Parameters
    ----------
    input : Tensor, ValueArray, Value or array_like
        The input; numbers and arrays become a constant Tensor.

    Returns
    -------
    Tensor, ValueArray or Value
        Of the input's kind and shape.
    """
    return _node(input).sigmoid()


def tanh(input: Any) -> Any:
    r""":math:`\tanh x`, elementwise (``torch.nn.functional.tanh``).

    Parameters
    ----------
    input : Tensor, ValueArray, Value or array_like
        The input; numbers and arrays become a constant Tensor.

    Returns
    -------
    Tensor, ValueArray or Value
        Of the input's kind and shape.
    """
    return _node(input).tanh()


def _softmax_dim(op: str, input: Any, dim: int | None, dtype: Any, stacklevel: int) -> int:
    """``dim``, or torch's implicit choice (with its deprecation warning): 0 for 0-, 1- and 3-d
    input, else 1. A ``dtype`` other than the input's is refused (cast the input first)."""
    if dtype is not None and np.dtype(dtype) != np.asarray(input.data).dtype:
        raise TypeError(
            f"{op}: dtype={dtype!r} differs from the input's {input.data.dtype}; cast the input first"
        )
    if dim is not None:
        return dim
    warnings.warn(
        f"Implicit dimension choice for {op} has been deprecated. Change the call to include dim=X as an "
        "argument.",
        UserWarning,
        stacklevel=stacklevel,
    )
    return 0 if input.ndim in (0, 1, 3) else 1


def softmax(input: Any, dim: int | None = None, _stacklevel: int = 3, dtype: Any = None) -> Any:
    r"""Softmax along ``dim``, :math:`e^{x_i} / \sum_j e^{x_j}`, computed from the max-shifted x
    (``torch.nn.functional.softmax``).

    Parameters
    ----------
    input : Tensor, ValueArray, Value or array_like
        The input; numbers and arrays become a constant Tensor.
    dim : int, optional
        The axis. None: torch's implicit choice, with its deprecation warning (0 for 0-, 1- and
        3-d input, else 1).
    dtype : numpy.dtype, optional
        Accepted when it is the input's dtype (cast the input first otherwise).

    Returns
    -------
    Tensor, ValueArray or Value
        Of the input's kind and shape.

    Raises
    ------
    TypeError
        If ``dtype`` differs from the input's.
    """
    x = _node(input)
    return x.softmax(_softmax_dim("softmax", x, dim, dtype, _stacklevel))


def log_softmax(input: Any, dim: int | None = None, _stacklevel: int = 3, dtype: Any = None) -> Any:
    r"""Log-softmax along ``dim``, :math:`x_i - \log \sum_j e^{x_j}`, without overflow or log 0
    (``torch.nn.functional.log_softmax``).

    Parameters
    ----------
    input : Tensor, ValueArray, Value or array_like
        The input; numbers and arrays become a constant Tensor.
    dim : int, optional
        The axis. None: torch's implicit choice, with its deprecation warning (0 for 0-, 1- and
        3-d input, else 1).
    dtype : numpy.dtype, optional
        Accepted when it is the input's dtype (cast the input first otherwise).

    Returns
    -------
    Tensor, ValueArray or Value
        Of the input's kind and shape.

    Raises
    ------
    TypeError
        If ``dtype`` differs from the input's.
    """
    x = _node(input)
    return x.log_softmax(_softmax_dim("log_softmax", x, dim, dtype, _stacklevel))


def softmin(input: Any, dim: int | None = None, _stacklevel: int = 3, dtype: Any = None) -> Any:
    r"""Softmin along ``dim``, the softmax of -x (``torch.nn.functional.softmin``); ``dim`` and
    ``dtype`` as :func:`softmax`'s.

    Parameters
    ----------
    input : Tensor, ValueArray, Value or array_like
        The input; numbers and arrays become a constant Tensor.
    """
    x = _node(input)
    return (-x).softmax(_softmax_dim("softmin", x, dim, dtype, _stacklevel))


def leaky_relu(input: Any, negative_slope: float = 0.01, inplace: bool = False) -> Any:
    r"""Leaky ReLU: :math:`x` where :math:`x > 0`, else :math:`\text{negative\_slope} \cdot x`
    (``torch.nn.functional.leaky_relu``); the gradient at 0 is ``negative_slope``, as torch's.

    Parameters
    ----------
    input : Tensor, ValueArray, Value or array_like
        The input; numbers and arrays become a constant Tensor.
    negative_slope : float
        The slope for negative inputs (default 0.01).
    inplace : bool
        Accepted for torch's signature; a new tensor is computed (default False).

    Returns
    -------
    Tensor, ValueArray or Value
        Of the input's kind and shape.

    Raises
    ------
    TypeError
        If ``negative_slope`` is not a real number.
    """
    slope = _real("leaky_relu", "negative_slope", negative_slope)
    return _composed(input, lambda x: x.where(x.data > 0, slope * x))


def elu(input: Any, alpha: float = 1.0, inplace: bool = False) -> Any:
    r"""ELU: :math:`x` where :math:`x > 0`, else :math:`\alpha (e^x - 1)`
    (``torch.nn.functional.elu``).

    :math:`e^x - 1` is ``expm1``, exact near 0. The exponential sees 0 in place of a positive x,
    so the discarded branch never overflows.

    Parameters
    ----------
    input : Tensor, ValueArray, Value or array_like
        The input; numbers and arrays become a constant Tensor.
    alpha : float
        The scale of the negative branch (default 1).
    inplace : bool
        Accepted for torch's signature; a new tensor is computed (default False).

    Returns
    -------
    Tensor, ValueArray or Value
        Of the input's kind and shape.

    Raises
    ------
    TypeError
        If ``alpha`` is not a real number.
    """
    a = _real("elu", "alpha", alpha)

    def f(x: Any) -> Any:
        # nan takes the positive branch, as torch's (its value nan, its gradient g); the other branch
        # sees 0 there and above 0, so its exponential neither overflows nor sends 0 · inf back
        negative = x.where(x.data <= 0, 0.0)
        return x.where(~(x.data <= 0), a * negative.expm1())

    return _composed(input, f)


_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)


def gelu(input: Any, approximate: str = "none") -> Any:
    r"""GELU, :math:`x \Phi(x) = \tfrac12 x (1 + \operatorname{erf}(x / \sqrt 2))`
    (``torch.nn.functional.gelu``).

    Parameters
    ----------
    input : Tensor, ValueArray, Value or array_like
        The input; numbers and arrays become a constant Tensor.
    approximate : {"none", "tanh"}
        "tanh": :math:`\tfrac12 x (1 + \tanh u)` with :math:`u = \sqrt{2/\pi}(x + 0.044715 x^3)`,
        evaluated as :math:`x \sigma(2u)`: the same number without the cancellation in
        :math:`1 + \tanh u` (full precision for x < -3, where torch's form loses digits and
        gives 0 from x ≈ -8).

    Returns
    -------
    Tensor, ValueArray or Value
        Of the input's kind and shape.

    Raises
    ------
    ValueError
        If ``approximate`` is not "none" or "tanh".
    """
    if approximate == "tanh":
        return _composed(
            input, lambda x: x * (2.0 * _SQRT_2_OVER_PI * (x + 0.044715 * (x * x * x))).sigmoid()
        )
    if approximate != "none":
        raise ValueError(f"gelu: approximate must be 'none' or 'tanh', got {approximate!r}")
    return _composed(input, lambda x: 0.5 * x * (1.0 + (x * (1.0 / math.sqrt(2.0))).erf()))


def silu(input: Any, inplace: bool = False) -> Any:
    r"""SiLU (swish), :math:`x \sigma(x)` (``torch.nn.functional.silu``).

    Parameters
    ----------
    input : Tensor, ValueArray, Value or array_like
        The input; numbers and arrays become a constant Tensor.
    inplace : bool
        Accepted for torch's signature; a new tensor is computed (default False).

    Returns
    -------
    Tensor, ValueArray or Value
        Of the input's kind and shape.
    """
    return _composed(input, lambda x: x * x.sigmoid())


def softplus(input: Any, beta: float = 1.0, threshold: float = 20.0) -> Any:
    r"""Softplus, :math:`\log(1 + e^{\beta x}) / \beta`, and :math:`x` itself where
    :math:`\beta x > \text{threshold}` (``torch.nn.functional.softplus``, torch's switch).

    Parameters
    ----------
    input : Tensor, ValueArray, Value or array_like
        The input; numbers and arrays become a constant Tensor.
    beta : float
        The sharpness :math:`\beta` (default 1).
    threshold : float
        Above it the function is linear (default 20).

    Returns
    -------
    Tensor, ValueArray or Value
        Of the input's kind and shape.

    Raises
    ------
    TypeError
        If ``beta`` or ``threshold`` is not a real number.
    """
    b = _real("softplus", "beta", beta)
    t = _real("softplus", "threshold", threshold)
    return _composed(input, lambda x: x.where(x.data * b > t, (b * x).softplus() / b))


def logsigmoid(input: Any) -> Any:
    r""":math:`\log \sigma(x) = -\operatorname{softplus}(-x)`, without overflow
    (``torch.nn.functional.logsigmoid``); its gradient is :math:`\sigma(-x)`.

    Parameters
    ----------
    input : Tensor, ValueArray, Value or array_like
        The input; numbers and arrays become a constant Tensor.
    """
    return _composed(input, lambda x: -((-x).softplus()))


def hardtanh(input: Any, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False) -> Any:
    r"""x clipped to [``min_val``, ``max_val``] (``torch.nn.functional.hardtanh``). As torch's, the
    gradient is 0 at and beyond the bounds and passes elsewhere, nan included.

    Parameters
    ----------
    input : Tensor, ValueArray, Value or array_like
        The input; numbers and arrays become a constant Tensor.
    min_val, max_val : float
        The bounds (default -1 and 1).
    inplace : bool
        Accepted for torch's signature; a new tensor is computed (default False).

    Raises
    ------
    TypeError
        If a bound is not a real number.
    ValueError
        If ``min_val`` exceeds ``max_val``.
    """
    lo, hi = _real("hardtanh", "min_val", min_val), _real("hardtanh", "max_val", max_val)
    if lo > hi:
        raise ValueError(f"hardtanh: min_val must not exceed max_val, got {lo!r} and {hi!r}")
    return _composed(input, lambda x: x.where(~((x.data <= lo) | (x.data >= hi)), np.clip(x.data, lo, hi)))


def relu6(input: Any, inplace: bool = False) -> Any:
    r""":math:`\min(\max(x, 0), 6)` (``torch.nn.functional.relu6``): ``hardtanh(x, 0, 6)``.

    Parameters
    ----------
    input : Tensor, ValueArray, Value or array_like
        The input; numbers and arrays become a constant Tensor.
    inplace : bool
        Accepted for torch's signature; a new tensor is computed (default False).
    """
    return hardtanh(input, 0.0, 6.0)


def hardsigmoid(input: Any, inplace: bool = False) -> Any:
    r"""0 at and below -3, 1 at and above 3, :math:`(x + 3)/6` between
    (``torch.nn.functional.hardsigmoid``); the gradient is 1/6 strictly between, else 0.

    Parameters
    ----------
    input : Tensor, ValueArray, Value or array_like
        The input; numbers and arrays become a constant Tensor.
    inplace : bool
        Accepted for torch's signature; a new tensor is computed (default False).
    """

    def f(x: Any) -> Any:
        inside = (x.data > -3) & (x.data < 3)
        return ((x + 3.0) / 6.0).where(inside, np.clip((x.data + 3.0) / 6.0, 0.0, 1.0))

    return _composed(input, f)


def hardswish(input: Any, inplace: bool = False) -> Any:
    r"""0 at and below -3, x at and above 3, :math:`x (x + 3)/6` between
    (``torch.nn.functional.hardswish``); as torch's, the gradient at -3 is 0, at 3 it is 1, and at nan
    it passes. At -inf the value is 0, where torch's -inf · 0 gives nan.

    Parameters
    ----------
    input : Tensor, ValueArray, Value or array_like
        The input; numbers and arrays become a constant Tensor.
    inplace : bool
        Accepted for torch's signature; a new tensor is computed (default False).
    """

    def f(x: Any) -> Any:
        inside = (x.data > -3) & (x.data < 3)
        safe = x.where(inside, 0.0)  # (the middle piece sees 0 elsewhere: no 0 · inf in its gradient)
        middle = (safe * (safe + 3.0) / 6.0).where(inside, np.zeros_like(x.data))
        return x.where(~(x.data < 3), middle)

    return _composed(input, f)


def softsign(input: Any) -> Any:
    r""":math:`x / (1 + |x|)` (``torch.nn.functional.softsign``).

    Parameters
    ----------
    input : Tensor, ValueArray, Value or array_like
        The input; numbers and arrays become a constant Tensor.
    """
    return _composed(input, lambda x: x / (abs(x) + 1.0))


def tanhshrink(input: Any) -> Any:
    r""":math:`x - \tanh x` (``torch.nn.functional.tanhshrink``).

    Parameters
    ----------
    input : Tensor, ValueArray, Value or array_like
        The input; numbers and arrays become a constant Tensor.
    """
    return _composed(input, lambda x: x - x.tanh())


def mish(input: Any, inplace: bool = False) -> Any:
    r""":math:`x \tanh(\operatorname{softplus}(x))` (``torch.nn.functional.mish``).

    Parameters
    ----------
    input : Tensor, ValueArray, Value or array_like
        The input; numbers and arrays become a constant Tensor.
    inplace : bool
        Accepted for torch's signature; a new tensor is computed (default False).
    """
    return _composed(input, lambda x: x * x.softplus().tanh())


def threshold(input: Any, threshold: float, value: float, inplace: bool = False) -> Any:
    r"""x where x > ``threshold``, else ``value`` (``torch.nn.functional.threshold``); nan stays nan
    with its gradient, as torch's.

    Parameters
    ----------
    input : Tensor, ValueArray, Value or array_like
        The input; numbers and arrays become a constant Tensor.
    threshold : float
        The threshold.
    value : float
        The value at and below it.
    inplace : bool
        Accepted for torch's signature; a new tensor is computed (default False).

    Raises
    ------
    TypeError
        If ``threshold`` or ``value`` is not a real number.
    """
    t, v = _real("threshold", "threshold", threshold), _real("threshold", "value", value)
    return _composed(input, lambda x: x.where(~(x.data <= t), np.full_like(x.data, v)))


#: torch's SELU constants (Klambauer et al., 2017)
_SELU_ALPHA, _SELU_SCALE = 1.6732632423543772848170429916717, 1.0507009873554804934193349852946


def selu(input: Any, inplace: bool = False) -> Any:
    r"""``scale · elu(x, alpha)`` with torch's constants (``torch.nn.functional.selu``).

    Parameters
    ----------
    input : Tensor, ValueArray, Value or array_like
        The input; numbers and arrays become a constant Tensor.
    inplace : bool
        Accepted for torch's signature; a new tensor is computed (default False).
    """
    return _composed(input, lambda x: _SELU_SCALE * elu(x, _SELU_ALPHA))


def celu(input: Any, alpha: float = 1.0, inplace: bool = False) -> Any:
    r""":math:`x` where :math:`x > 0`, else :math:`\alpha (e^{x/\alpha} - 1)`
    (``torch.nn.functional.celu``).

    Parameters
    ----------
    input : Tensor, ValueArray, Value or array_like
        The input; numbers and arrays become a constant Tensor.
    alpha : float
        The scale (default 1; not 0).
    inplace : bool
        Accepted for torch's signature; a new tensor is computed (default False).

    Raises
    ------
    TypeError
        If ``alpha`` is not a real number.
    ValueError
        If ``alpha`` is 0.
    """
    a = _real("celu", "alpha", alpha)
    if a == 0:
        raise ValueError("celu: alpha must not be 0, got 0.0")

    def f(x: Any) -> Any:
        negative = (x / a).where(x.data <= 0, 0.0)  # (nan: the positive branch, as elu's)
        return x.where(~(x.data <= 0), a * negative.expm1())

    return _composed(input, f)


# -- distances
def normalize(input: Any, p: float = 2.0, dim: int = 1, eps: float = 1e-12, out: Any = None) -> Tensor:
    r""":math:`x / \max(\lVert x \rVert_p, \epsilon)` along ``dim`` (``torch.nn.functional.normalize``).

    Parameters
    ----------
    input : Tensor or array_like
        The input.
    p : float
        The order of the norm (default 2).
    dim : int
        The axis (default 1).
    eps : float
        The smallest denominator (default 1e-12); below it the norm gets no gradient, as torch's.
    out : None
        Accepted for torch's signature when None.

    Raises
    ------
    TypeError
        If ``input`` is a Value or ValueArray, or ``out`` is given.
    """
    if out is not None:
        raise TypeError("normalize: out= is not supported; assign the result instead")
    x = as_tensor(input, "normalize: input")
    norm = linalg.vector_norm(x, p, dim, keepdim=True)
    return x / norm.clamp_min(_real("normalize", "eps", eps))


def cosine_similarity(x1: Any, x2: Any, dim: int = 1, eps: float = 1e-8) -> Tensor:
    r"""The cosine of the angle between ``x1`` and ``x2`` along ``dim`` (broadcast together), as
    ``torch.nn.functional.cosine_similarity`` computes it: each divided by its 2-norm first (the
    result stays in [-1, 1]), a norm below ``eps`` taken as ``eps`` in the value only (torch clamps
    it without recording the clamp, so the gradient is the unclamped norm's).

    Parameters
    ----------
    x1, x2 : Tensor or array_like
        The two inputs.
    dim : int
        The axis of the vectors (default 1).
    eps : float
        The smallest norm (default 1e-8).

    Raises
    ------
    TypeError
        If an input is a Value or ValueArray.
    """
    a, b = as_tensor(x1, "cosine_similarity: x1"), as_tensor(x2, "cosine_similarity: x2")
    e = _real("cosine_similarity", "eps", eps)
    shape = np.broadcast_shapes(a.shape, b.shape)
    a, b = a.expand(*shape), b.expand(*shape)
    units = []
    for v in (a, b):
        norm = linalg.vector_norm(v, 2, dim, keepdim=True)
        units.append(v / (norm + (np.maximum(norm.data, e) - norm.data)))  # (the clamp, unrecorded)
    return (units[0] * units[1]).sum(dim)


def pairwise_distance(x1: Any, x2: Any, p: float = 2.0, eps: float = 1e-6, keepdim: bool = False) -> Tensor:
    r""":math:`\lVert x_1 - x_2 + \epsilon \rVert_p` along the last axis
    (``torch.nn.functional.pairwise_distance``).

    Parameters
    ----------
    x1, x2 : Tensor or array_like
        The two inputs, broadcast together.
    p : float
        The order of the norm (default 2).
    eps : float
        Added to the difference, as torch does (default 1e-6).
    keepdim : bool
        Keep the reduced axis with length 1 (default False).

    Raises
    ------
    TypeError
        If an input is a Value or ValueArray.
    """
    a, b = as_tensor(x1, "pairwise_distance: x1"), as_tensor(x2, "pairwise_distance: x2")
    return linalg.vector_norm(a - b + _real("pairwise_distance", "eps", eps), p, -1, keepdim=keepdim)


# -- layers
def linear(input: Any, weight: Any, bias: Any = None) -> Tensor:
    """The affine map ``input @ weight.T + bias`` (``torch.nn.functional.linear``).

    Parameters
    ----------
    input : Tensor or array_like
        Shape ``(..., in_features)``.
    weight : Tensor or array_like
        Shape ``(out_features, in_features)``.
    bias : Tensor or array_like, optional
        Shape ``(out_features,)``.

    Returns
    -------
    Tensor
        Shape ``(..., out_features)``.
    """
    y = _node(input) @ _node(weight).T
    return y if bias is None else y + bias


def dropout(input: Any, p: float = 0.5, training: bool = True, inplace: bool = False) -> Any:
    """Inverted dropout (``torch.nn.functional.dropout``): zero each element with probability ``p``
    and scale the rest by :math:`1/(1 - p)`, so the expected value is unchanged.

    The mask is drawn from the library's generator (see :func:`autograd.manual_seed`), not from
    torch's stream.

    Parameters
    ----------
    input : Tensor, ValueArray, Value or array_like
        The input; numbers and arrays become a constant Tensor.
    p : float
        The probability of an element being zeroed, in [0, 1] (default 0.5).
    training : bool
        Apply dropout (default True); when False, or when ``p`` is 0, ``input`` itself is returned.
    inplace : bool
        Accepted for torch's signature; a new tensor is computed (default False).

    Returns
    -------
    Tensor, ValueArray or Value
        Of the input's kind and shape.

    Raises
    ------
    TypeError
        If ``p`` is not a real number.
    ValueError
        If ``p`` is not in [0, 1].
    """
    p = _probability("dropout", p)
    if not training or p == 0.0:
        return input

    def drop(x: Any) -> Any:
        if p == 1.0:
            return x * 0.0
        return x * ((default_generator().random(x.shape) >= p) / (1.0 - p))

    return _composed(input, drop)


def _probability(op: str, p: Any) -> float:
    """``p`` as a float in [0, 1], or torch's ValueError."""
    p = _real(op, "p", p)
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    return p


def one_hot(tensor: Any, num_classes: int = -1) -> Tensor:
    """Class labels as one-hot rows (``torch.nn.functional.one_hot``), an int64 Tensor of 0 and 1.

    Parameters
    ----------
    tensor : array_like or Tensor
        Non-negative integer class labels.
    num_classes : int
        The number of classes C; -1 (default) takes the largest label + 1.

    Returns
    -------
    Tensor
        Shape ``tensor.shape + (C,)``, int64 (``.float()`` for arithmetic with floats).

    Raises
    ------
    ValueError
        If a label is negative, not a whole number, or not below ``num_classes``, or there are no
        labels and ``num_classes`` is -1.
    TypeError
        If ``num_classes`` is not an int of at least -1.

    Examples
    --------
    >>> from autograd.nn import functional as F
    >>> F.one_hot([0, 2], num_classes=3).data
    array([[1, 0, 0],
           [0, 0, 1]])
    """
    labels = np.asarray(tensor.data if isinstance(tensor, Tensor) else tensor)
    if labels.dtype.kind not in "iuf" or not np.all(labels == np.round(labels)) or (labels < 0).any():
        raise ValueError(f"one_hot: expected non-negative integer class labels, got {labels!r}")
    if isinstance(num_classes, bool) or not isinstance(num_classes, (int, np.integer)) or num_classes < -1:
        raise TypeError(f"one_hot: num_classes must be a non-negative int or -1, got {num_classes!r}")
    if num_classes == -1:
        if not labels.size:
            raise ValueError("one_hot: cannot infer the number of classes from no labels; pass num_classes")
        num_classes = int(labels.max()) + 1
    if labels.size and labels.max() >= num_classes:
        raise ValueError(
            f"one_hot: class values must be smaller than num_classes={num_classes}, got {labels.max()}"
        )
    return Tensor._node(np.eye(num_classes, dtype=np.int64)[labels.astype(np.intp)])


#: torch's padding modes, as numpy's pad names them
_PAD_MODES = {"constant": "constant", "reflect": "reflect", "replicate": "edge", "circular": "wrap"}


def pad(input: Any, pad: Sequence[int], mode: str = "constant", value: float | None = None) -> Tensor:
    """Pad (or, with negative sizes, crop) the last ``len(pad) // 2`` dimensions
    (``torch.nn.functional.pad``).

    The padding is numpy's ``pad`` on Tensors (edge, reflect, wrap), the cropping a slice: after
    the padding, as torch's, or before it for "circular"; the gradient is theirs.

    Parameters
    ----------
    input : Tensor or array_like
        The input.
    pad : sequence of int
        ``(last_left, last_right, second_last_left, ...)`` as torch.
    mode : {"constant", "reflect", "replicate", "circular"}
        "constant" fills with ``value``; "reflect" mirrors without the edge; "replicate" repeats
        the edge; "circular" wraps around. The last three pad 1 to 3 dimensions of an input with
        one or two more, as torch.
    value : float, optional
        The fill of "constant" (default 0).

    Returns
    -------
    Tensor
        The padded tensor.

    Raises
    ------
    TypeError
        If ``pad`` is not a sequence of ints, or ``value`` not a real number.
    ValueError
        If ``pad`` has an odd length or more sizes than dimensions, ``mode`` is unknown, a
        non-constant mode gets a ``value``, or the sizes are more than the mode can take.
    NotImplementedError
        If a non-constant mode is asked for a dimension count torch does not support.
    """
    x = input if isinstance(input, Tensor) else Tensor(input)
    if (
        isinstance(pad, (str, bytes))
        or not isinstance(pad, Sequence)
        or not all(isinstance(n, (int, np.integer)) and not isinstance(n, bool) for n in pad)
    ):
        raise TypeError(f"pad: pad must be a tuple of ints, got {pad!r}")
    if len(pad) % 2:
        raise ValueError(f"pad: padding length must be divisible by 2, got {len(pad)} ({tuple(pad)})")
    dims = len(pad) // 2
    if dims > x.ndim:
        raise ValueError(
            f"pad: {len(pad)} padding sizes for an input of {x.ndim} dimension(s); at most {2 * x.ndim}"
        )
    if mode not in _PAD_MODES:
        raise ValueError(f"pad: mode must be one of {tuple(_PAD_MODES)}, got {mode!r}")
    if mode != "constant":
        if value is not None:
            raise ValueError(
                f'pad: padding mode "{mode}" does not take a value argument, got value={value!r}'
            )
        if not 1 <= dims <= 3 or x.ndim not in (dims + 1, dims + 2):
            raise NotImplementedError(
                f"pad: mode {mode!r} pads the last 1, 2 or 3 dimensions of an input with one or two more "
                f"(as torch); got {len(pad)} sizes for an input of {x.ndim} dimension(s)"
            )
    widths = [(0, 0)] * (x.ndim - dims) + [
        (int(pad[2 * i]), int(pad[2 * i + 1])) for i in reversed(range(dims))
    ]
    for dim in range(x.ndim - dims, x.ndim):
        _check_pad(dim, x.shape[dim], *widths[dim], mode)
    grow = [(max(left, 0), max(right, 0)) for left, right in widths]
    options = (
        {"constant_values": 0.0 if value is None else _real("pad", "value", value)}
        if mode == "constant"
        else {}
    )

    def crop(t: Tensor) -> Tensor:
        return t[tuple(slice(max(-left, 0), n - max(-right, 0)) for n, (left, right) in zip(t.shape, widths))]

    if mode == "circular":  # (torch crops first, then wraps around what is left)
        return numpy_shapes.pad(crop(x), grow, "wrap")
    return crop(numpy_shapes.pad(x, grow, _PAD_MODES[mode], **options))


def _check_pad(dim: int, n: int, left: int, right: int, mode: str) -> None:
    """torch's limits on the sizes of one dimension's padding."""
    if n + left + right < 0:
        raise ValueError(
            f"pad: padding ({left}, {right}) of dimension {dim} (size {n}) leaves a negative size"
        )
    if mode == "reflect" and max(left, right) >= n:
        raise ValueError(
            f"pad: reflect padding ({left}, {right}) must be less than the size {n} of dimension {dim}"
        )
    if mode == "circular" and max(left, right) > n:
        raise ValueError(
            f"pad: circular padding ({left}, {right}) must be at most the size {n} of dimension {dim}"
        )


# -- losses: each the one definition in the losses package, called in PyTorch's order
@cache
def _losses() -> ModuleType:
    return sibling("losses")


def _reduction(size_average: bool | None, reduce: bool | None, reduction: str) -> str:
    """``reduction``, or torch's reading of its deprecated ``size_average``/``reduce`` pair (with
    torch's warning)."""
    if size_average is None and reduce is None:
        return reduction
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    legacy = ("mean" if size_average else "sum") if reduce else "none"
    warnings.warn(
        f"size_average and reduce args will be deprecated, please use reduction='{legacy}' instead.",
        UserWarning,
        stacklevel=3,
    )
    return legacy


def _ndim(x: Any) -> int:
    return x.ndim if isinstance(x, (Tensor, ValueArray)) else np.ndim(x)


def _shape(x: Any) -> tuple[int, ...]:
    return x.shape if isinstance(x, (Tensor, ValueArray)) else np.shape(x)


def mse_loss(
    input: Any,
    target: Any,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
    weight: Any = None,
) -> Any:
    """Mean squared error :math:`(x - y)^2` (``torch.nn.functional.mse_loss``):
    :func:`losses.mse` with the arguments in torch's order.

    Parameters
    ----------
    input : Tensor, ValueArray, Value or array_like
        The prediction.
    target : array_like, Tensor, ValueArray or Value
        The target, ``input``'s shape.
    size_average, reduce : bool, optional
        Deprecated (as in torch): read as torch reads them, with its warning; ``reduction``
        replaces them.
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages, "sum" adds, "none" returns the per-element losses.
    weight : array_like, optional
        Per-element weights of ``input``'s shape, finite.

    Returns
    -------
    Tensor or Value
        A scalar, or the per-element losses with ``reduction="none"``.

    Raises
    ------
    TypeError, ValueError
        As :func:`losses.mse` (an input not made of real numbers, shapes that differ, an
        unknown ``reduction``, an option out of range).
    """
    return _losses().mse(target, input, weight=weight, reduction=_reduction(size_average, reduce, reduction))


def l1_loss(
    input: Any,
    target: Any,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
    weight: Any = None,
) -> Any:
    """Mean absolute error :math:`|x - y|` (``torch.nn.functional.l1_loss``): :func:`losses.mae`
    with the arguments in torch's order.

    Parameters
    ----------
    input : Tensor, ValueArray, Value or array_like
        The prediction.
    target : array_like, Tensor, ValueArray or Value
        The target, ``input``'s shape.
    size_average, reduce : bool, optional
        Deprecated (as in torch): read as torch reads them, with its warning; ``reduction``
        replaces them.
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages, "sum" adds, "none" returns the per-element losses.
    weight : array_like, optional
        Per-element weights of ``input``'s shape, finite.

    Returns
    -------
    Tensor or Value
        A scalar, or the per-element losses with ``reduction="none"``.

    Raises
    ------
    TypeError, ValueError
        As :func:`losses.mae` (an input not made of real numbers, shapes that differ, an
        unknown ``reduction``, an option out of range).
    """
    return _losses().mae(target, input, weight=weight, reduction=_reduction(size_average, reduce, reduction))


def huber_loss(
    input: Any, target: Any, reduction: str = "mean", delta: float = 1.0, weight: Any = None
) -> Any:
    r"""Huber loss, :math:`\tfrac12 e^2` for :math:`|e| < \delta`, else
    :math:`\delta (|e| - \tfrac12 \delta)` (``torch.nn.functional.huber_loss``):
    :func:`losses.huber` with the arguments in torch's order.

    Parameters
    ----------
    input : Tensor, ValueArray, Value or array_like
        The prediction.
    target : array_like, Tensor, ValueArray or Value
        The target, ``input``'s shape.
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages, "sum" adds, "none" returns the per-element losses.
    delta : float
        The threshold :math:`\delta > 0` (default 1).
    weight : array_like, optional
        Per-element weights of ``input``'s shape, finite.

    Returns
    -------
    Tensor or Value
        A scalar, or the per-element losses with ``reduction="none"``.

    Raises
    ------
    TypeError, ValueError
        As :func:`losses.huber` (an input not made of real numbers, shapes that differ, an
        unknown ``reduction``, an option out of range).
    """
    return _losses().huber(target, input, delta=delta, weight=weight, reduction=reduction)


def smooth_l1_loss(
    input: Any,
    target: Any,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
    beta: float = 1.0,
) -> Any:
    r"""Smooth L1 loss, the Huber loss divided by ``beta`` (``torch.nn.functional.smooth_l1_loss``):
    :func:`losses.smooth_l1` with the arguments in torch's order.

    Parameters
    ----------
    input : Tensor, ValueArray, Value or array_like
        The prediction.
    target : array_like, Tensor, ValueArray or Value
        The target, ``input``'s shape.
    size_average, reduce : bool, optional
        Deprecated (as in torch): read as torch reads them, with its warning; ``reduction``
        replaces them.
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages, "sum" adds, "none" returns the per-element losses.
    beta : float
        The threshold :math:`\beta \ge 0` (default 1); 0 gives :math:`|e|`.

    Returns
    -------
    Tensor or Value
        A scalar, or the per-element losses with ``reduction="none"``.

    Raises
    ------
    TypeError, ValueError
        As :func:`losses.smooth_l1` (an input not made of real numbers, shapes that differ, an
        unknown ``reduction``, an option out of range).
    """
    return _losses().smooth_l1(
        target, input, beta=beta, reduction=_reduction(size_average, reduce, reduction)
    )


def binary_cross_entropy(
    input: Any,
    target: Any,
    weight: Any = None,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Any:
    """Binary cross-entropy of probabilities, each log clamped at -100
    (``torch.nn.functional.binary_cross_entropy``): :func:`losses.binary_cross_entropy` with the
    arguments in torch's order.

    Parameters
    ----------
    input : Tensor, ValueArray, Value or array_like
        Probabilities in [0, 1].
    target : array_like, Tensor, ValueArray or Value
        The target, ``input``'s shape.
    weight : array_like, optional
        Weights broadcast to the loss.
    size_average, reduce : bool, optional
        Deprecated (as in torch): read as torch reads them, with its warning; ``reduction``
        replaces them.
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages, "sum" adds, "none" returns the per-element losses.

    Returns
    -------
    Tensor or Value
        A scalar, or the per-element losses with ``reduction="none"``.

    Raises
    ------
    TypeError, ValueError
        As :func:`losses.binary_cross_entropy` (an input not made of real numbers, shapes that differ, an
        unknown ``reduction``, an option out of range).
    """
    return _losses().binary_cross_entropy(
        target, input, weight=weight, reduction=_reduction(size_average, reduce, reduction)
    )


def binary_cross_entropy_with_logits(
    input: Any,
    target: Any,
    weight: Any = None,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
    pos_weight: Any = None,
) -> Any:
    """Binary cross-entropy of logits, exact for any logit
    (``torch.nn.functional.binary_cross_entropy_with_logits``):
    ``losses.binary_cross_entropy(target, input, from_logits=True)``.

    Parameters
    ----------
    input : Tensor, ValueArray, Value or array_like
        Logits.
    target : array_like, Tensor, ValueArray or Value
        The target, ``input``'s shape.
    weight : array_like, optional
        Weights broadcast to the loss.
    size_average, reduce : bool, optional
        Deprecated (as in torch): read as torch reads them, with its warning; ``reduction``
        replaces them.
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages, "sum" adds, "none" returns the per-element losses.
    pos_weight : array_like, optional
        The weight of the positive term, broadcast to the loss (per class on the last axis).

    Returns
    -------
    Tensor or Value
        A scalar, or the per-element losses with ``reduction="none"``.

    Raises
    ------
    TypeError, ValueError
        As :func:`losses.binary_cross_entropy` (an input not made of real numbers, shapes that differ, an
        unknown ``reduction``, an option out of range).
    """
    return _losses().binary_cross_entropy(
        target,
        input,
        from_logits=True,
        weight=weight,
        pos_weight=pos_weight,
        reduction=_reduction(size_average, reduce, reduction),
    )


def cross_entropy(
    input: Any,
    target: Any,
    weight: Any = None,
    size_average: bool | None = None,
    ignore_index: int = -100,
    reduce: bool | None = None,
    reduction: str = "mean",
    label_smoothing: float = 0.0,
) -> Any:
    """Cross-entropy of logits ``input`` against class indices or class probabilities
    (``torch.nn.functional.cross_entropy``).

    Classes are on axis 1, or axis 0 for a single ``(C,)`` sample. A ``target`` of ``input``'s
    shape holds class probabilities (:func:`losses.categorical_cross_entropy`); otherwise it
    holds class indices, one per sample (:func:`losses.sparse_categorical_cross_entropy`).

    Parameters
    ----------
    input : Tensor, ValueArray or array_like
        Logits, shape ``(N, C, ...)`` or ``(C,)``.
    target : array_like or Tensor
        Class indices, shape ``(N, ...)`` or ``()``; or probabilities of ``input``'s shape.
    weight : array_like, optional
        One weight per class, shape ``(C,)``.
    size_average, reduce : bool, optional
        Deprecated (as in torch): read as torch reads them, with its warning; ``reduction``
        replaces them.
    ignore_index : int
        A class index whose samples add 0 and are left out of the mean (default -100; indices
        only).
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages, "sum" adds, "none" returns the per-element losses.
    label_smoothing : float
        ε in [0, 1]: the target becomes :math:`y(1 - ε) + ε/C` (default 0).

    Returns
    -------
    Tensor or Value
        A scalar, or the per-element losses with ``reduction="none"``.

    Raises
    ------
    TypeError, ValueError
        As :func:`losses.sparse_categorical_cross_entropy` (an input not made of real numbers,
        shapes that differ, an unknown ``reduction``, an option out of range).
    """
    axis = 1 if _ndim(input) >= 2 else 0
    reduction = _reduction(size_average, reduce, reduction)
    if _shape(target) == _shape(input):
        return _losses().categorical_cross_entropy(
            target,
            input,
            from_logits=True,
            label_smoothing=label_smoothing,
            weight=weight,
            axis=axis,
            reduction=reduction,
        )
    return _losses().sparse_categorical_cross_entropy(
        target,
        input,
        from_logits=True,
        label_smoothing=label_smoothing,
        weight=weight,
        ignore_index=ignore_index,
        axis=axis,
        reduction=reduction,
    )


def nll_loss(
    input: Any,
    target: Any,
    weight: Any = None,
    size_average: bool | None = None,
    ignore_index: int = -100,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Any:
    """Negative log-likelihood of log-probabilities ``input`` and class indices
    (``torch.nn.functional.nll_loss``): :func:`losses.nll` with the arguments in torch's order.

    Parameters
    ----------
    input : Tensor, ValueArray or array_like
        Log-probabilities, classes on axis 1 (or 0 for a single ``(C,)`` sample).
    target : array_like or Tensor
        Class indices, one per sample.
    weight : array_like, optional
        One weight per class, shape ``(C,)``.
    size_average, reduce : bool, optional
        Deprecated (as in torch): read as torch reads them, with its warning; ``reduction``
        replaces them.
    ignore_index : int
        A class index whose samples add 0 and are left out of the mean (default -100).
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages, "sum" adds, "none" returns the per-element losses.

    Returns
    -------
    Tensor or Value
        A scalar, or the per-element losses with ``reduction="none"``.

    Raises
    ------
    TypeError, ValueError
        As :func:`losses.nll` (an input not made of real numbers, shapes that differ, an
        unknown ``reduction``, an option out of range).
    """
    return _losses().nll(
        target,
        input,
        weight=weight,
        ignore_index=ignore_index,
        axis=1 if _ndim(input) >= 2 else 0,
        reduction=_reduction(size_average, reduce, reduction),
    )


def kl_div(
    input: Any,
    target: Any,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
    log_target: bool = False,
) -> Any:
    r"""KL terms :math:`y (\log y - x)` of log-probabilities :math:`x`, elementwise as torch
    (``torch.nn.functional.kl_div``): ``losses.kl_divergence(target, input, log_input=True,
    axis=None)``.

    Parameters
    ----------
    input : Tensor, ValueArray or array_like
        Log-probabilities :math:`x = \log p`.
    target : array_like or Tensor
        Probabilities :math:`y`, or :math:`\log y` with ``log_target``.
    size_average, reduce : bool, optional
        Deprecated (as in torch): read as torch reads them, with its warning; ``reduction``
        replaces them.
    reduction : {"mean", "batchmean", "sum", "none"}
        "batchmean" divides the sum by the batch size (the KL divergence); "mean" by the element
        count, with torch's warning; "sum" adds; "none" returns the terms.
    log_target : bool
        ``target`` holds :math:`\log y` (default False).

    Returns
    -------
    Tensor or Value
        A scalar, or the per-element losses with ``reduction="none"``.

    Raises
    ------
    TypeError, ValueError
        As :func:`losses.kl_divergence` (an input not made of real numbers, shapes that differ, an
        unknown ``reduction``, an option out of range).
    """
    reduction = _reduction(size_average, reduce, reduction)
    if reduction == "mean":
        warnings.warn(
            "reduction: 'mean' divides the total loss by both the batch size and the support size."
            "'batchmean' divides only by the batch size, and aligns with the KL div math definition."
            "'mean' will be changed to behave the same as 'batchmean' in the next major release.",
            UserWarning,
            stacklevel=2,
        )
    return _losses().kl_divergence(
        target, input, log_input=True, log_target=log_target, axis=None, reduction=reduction
    )


def cosine_embedding_loss(
    input1: Any,
    input2: Any,
    target: Any,
    margin: float = 0,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Any:
    r"""Cosine embedding loss, :math:`1 - \cos(x_1, x_2)` for y = 1 and
    :math:`\max(0, \cos(x_1, x_2) - \text{margin})` for y = -1
    (``torch.nn.functional.cosine_embedding_loss``): :func:`losses.cosine_embedding`.

    Parameters
    ----------
    input1, input2 : Tensor, ValueArray or array_like
        The two embeddings, shape ``(N, D)`` or ``(D,)``.
    target : array_like
        Pair labels in {-1, 1}, shape ``(N,)`` or ``()``.
    margin : float
        The margin, in [-1, 1] (default 0).
    size_average, reduce : bool, optional
        Deprecated (as in torch): read as torch reads them, with its warning; ``reduction``
        replaces them.
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages, "sum" adds, "none" returns the per-element losses.

    Returns
    -------
    Tensor or Value
        A scalar, or the per-element losses with ``reduction="none"``.

    Raises
    ------
    TypeError, ValueError
        As :func:`losses.cosine_embedding` (an input not made of real numbers, shapes that differ, an
        unknown ``reduction``, an option out of range).
    """
    return _losses().cosine_embedding(
        target, input1, input2, margin=margin, reduction=_reduction(size_average, reduce, reduction)
    )


def margin_ranking_loss(
    input1: Any,
    input2: Any,
    target: Any,
    margin: float = 0,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Any:
    r"""Margin ranking loss, :math:`\max(0, -y (x_1 - x_2) + \text{margin})`
    (``torch.nn.functional.margin_ranking_loss``): :func:`losses.margin_ranking`.

    Parameters
    ----------
    input1, input2 : Tensor, ValueArray, Value or array_like
        The two scores.
    target : array_like
        Labels in {-1, 1}: 1 asks for ``input1 > input2``.
    margin : float
        The margin :math:`\ge 0` (default 0).
    size_average, reduce : bool, optional
        Deprecated (as in torch): read as torch reads them, with its warning; ``reduction``
        replaces them.
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages, "sum" adds, "none" returns the per-element losses.

    Returns
    -------
    Tensor or Value
        A scalar, or the per-element losses with ``reduction="none"``.

    Raises
    ------
    TypeError, ValueError
        As :func:`losses.margin_ranking` (an input not made of real numbers, shapes that differ, an
        unknown ``reduction``, an option out of range).
    """
    return _losses().margin_ranking(
        target, input1, input2, margin=margin, reduction=_reduction(size_average, reduce, reduction)
    )


def triplet_margin_loss(
    anchor: Any,
    positive: Any,
    negative: Any,
    margin: float = 1.0,
    p: float = 2,
    eps: float = 1e-06,
    swap: bool = False,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Any:
    r"""Triplet margin loss, :math:`\max(0, d(a, p) - d(a, n) + \text{margin})`, :math:`d` the
    p-norm distance (``torch.nn.functional.triplet_margin_loss``): :func:`losses.triplet`.

    Parameters
    ----------
    anchor, positive, negative : Tensor, ValueArray or array_like
        The embeddings, shape ``(N, D)`` or ``(D,)``.
    margin : float
        The margin :math:`> 0` (default 1).
    p : float
        The norm's order, :math:`p \ge 1` (default 2).
    eps : float
        Added to the difference before the norm (default 1e-6), as torch.
    swap : bool
        Use :math:`\min(d(a, n), d(p, n))` as the negative distance (default False).
    size_average, reduce : bool, optional
        Deprecated (as in torch): read as torch reads them, with its warning; ``reduction``
        replaces them.
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages, "sum" adds, "none" returns the per-element losses.

    Returns
    -------
    Tensor or Value
        A scalar, or the per-element losses with ``reduction="none"``.

    Raises
    ------
    TypeError, ValueError
        As :func:`losses.triplet` (an input not made of real numbers, shapes that differ, an
        unknown ``reduction``, an option out of range).
    """
    return _losses().triplet(
        anchor,
        positive,
        negative,
        margin=margin,
        p=p,
        eps=eps,
        swap=swap,
        reduction=_reduction(size_average, reduce, reduction),
    )


def hinge_embedding_loss(
    input: Any,
    target: Any,
    margin: float = 1.0,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Any:
    r"""Hinge embedding loss, :math:`x` for y = 1 and :math:`\max(0, \text{margin} - x)` for y = -1
    (``torch.nn.functional.hinge_embedding_loss``): :func:`losses.hinge_embedding`.

    Parameters
    ----------
    input : Tensor, ValueArray, Value or array_like
        The distances :math:`x`.
    target : array_like
        Pair labels in {-1, 1}, ``input``'s shape.
    margin : float
        The margin (default 1).
    size_average, reduce : bool, optional
        Deprecated (as in torch): read as torch reads them, with its warning; ``reduction``
        replaces them.
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages, "sum" adds, "none" returns the per-element losses.

    Returns
    -------
    Tensor or Value
        A scalar, or the per-element losses with ``reduction="none"``.

    Raises
    ------
    TypeError, ValueError
        As :func:`losses.hinge_embedding` (an input not made of real numbers, shapes that differ, an
        unknown ``reduction``, an option out of range).
    """
    return _losses().hinge_embedding(
        target, input, margin=margin, reduction=_reduction(size_average, reduce, reduction)
    )


def soft_margin_loss(
    input: Any,
    target: Any,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Any:
    r"""Soft margin loss, :math:`\log(1 + e^{-y x})` (``torch.nn.functional.soft_margin_loss``):
    :func:`losses.soft_margin`.

    Parameters
    ----------
    input : Tensor, ValueArray, Value or array_like
        The scores :math:`x`.
    target : array_like
        Labels in {-1, 1}, ``input``'s shape.
    size_average, reduce : bool, optional
        Deprecated (as in torch): read as torch reads them, with its warning; ``reduction``
        replaces them.
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages, "sum" adds, "none" returns the per-element losses.

    Returns
    -------
    Tensor or Value
        A scalar, or the per-element losses with ``reduction="none"``.

    Raises
    ------
    TypeError, ValueError
        As :func:`losses.soft_margin` (an input not made of real numbers, shapes that differ, an
        unknown ``reduction``, an option out of range).
    """
    return _losses().soft_margin(target, input, reduction=_reduction(size_average, reduce, reduction))


def gaussian_nll_loss(
    input: Any, target: Any, var: Any, full: bool = False, eps: float = 1e-06, reduction: str = "mean"
) -> Any:
    r"""Gaussian negative log-likelihood, :math:`\tfrac12 (\log v + (x - y)^2 / v)` with
    :math:`v = \max(\text{var}, \text{eps})` (``torch.nn.functional.gaussian_nll_loss``):
    :func:`losses.gaussian_nll`.

    Parameters
    ----------
    input : Tensor, ValueArray, Value or array_like
        The predicted mean :math:`x`.
    target : array_like, Tensor, ValueArray or Value
        The target, ``input``'s shape.
    var : Tensor, ValueArray, Value or array_like
        The predicted variance, non-negative (broadcast to ``input`` as torch allows).
    full : bool
        Add the constant :math:`\tfrac12 \log 2\pi` (default False).
    eps : float
        The floor of the variance (default 1e-6).
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages, "sum" adds, "none" returns the per-element losses.

    Returns
    -------
    Tensor or Value
        A scalar, or the per-element losses with ``reduction="none"``.

    Raises
    ------
    TypeError, ValueError
        As :func:`losses.gaussian_nll` (an input not made of real numbers, shapes that differ, an
        unknown ``reduction``, an option out of range).
    """
    return _losses().gaussian_nll(target, input, var, full=full, eps=eps, reduction=reduction)


def poisson_nll_loss(
    input: Any,
    target: Any,
    log_input: bool = True,
    full: bool = False,
    size_average: bool | None = None,
    eps: float = 1e-08,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Any:
    r"""Poisson negative log-likelihood (``torch.nn.functional.poisson_nll_loss``):
    :math:`e^x - y x` with ``log_input`` (torch's default), else :math:`x - y \log(x + \text{eps})`;
    :func:`losses.poisson`.

    Parameters
    ----------
    input : Tensor, ValueArray, Value or array_like
        The log-rate (with ``log_input``) or the rate.
    target : array_like, Tensor, ValueArray or Value
        The target, ``input``'s shape.
    log_input : bool
        ``input`` is the log of the rate (default True, as torch; ``losses.poisson``'s default
        is False).
    full : bool
        Add the Stirling term :math:`y \log y - y + \tfrac12 \log(2\pi y)` where :math:`y > 1`
        (default False).
    size_average, reduce : bool, optional
        Deprecated (as in torch): read as torch reads them, with its warning; ``reduction``
        replaces them.
    eps : float
        Added to the rate inside the log when not ``log_input`` (default 1e-8).
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages, "sum" adds, "none" returns the per-element losses.

    Returns
    -------
    Tensor or Value
        A scalar, or the per-element losses with ``reduction="none"``.

    Raises
    ------
    TypeError, ValueError
        As :func:`losses.poisson` (an input not made of real numbers, shapes that differ, an
        unknown ``reduction``, an option out of range).
    """
    return _losses().poisson(
        target,
        input,
        log_input=log_input,
        full=full,
        eps=eps,
        reduction=_reduction(size_average, reduce, reduction),
    )


__all__ = [
    # activations
    "relu",
    "sigmoid",
    "tanh",
    "softmax",
    "log_softmax",
    "leaky_relu",
    "elu",
    "gelu",
    "silu",
    "softplus",
    "softmin",
    "logsigmoid",
    "hardtanh",
    "relu6",
    "hardsigmoid",
    "hardswish",
    "softsign",
    "tanhshrink",
    "mish",
    "threshold",
    "selu",
    "celu",
    # distances
    "normalize",
    "cosine_similarity",
    "pairwise_distance",
    # layers
    "linear",
    "dropout",
    "one_hot",
    "pad",
    # losses
    "mse_loss",
    "l1_loss",
    "huber_loss",
    "smooth_l1_loss",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "cross_entropy",
    "nll_loss",
    "kl_div",
    "cosine_embedding_loss",
    "margin_ranking_loss",
    "triplet_margin_loss",
    "hinge_embedding_loss",
    "soft_margin_loss",
    "gaussian_nll_loss",
    "poisson_nll_loss",
]


def __getattr__(name: str) -> Any:
    """A torch.nn.functional name this module lacks: an AttributeError that says what to write."""
    raise missing("autograd.nn.functional", name, globals())
