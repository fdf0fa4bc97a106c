"""``torch.nn.functional``'s activations, composed from the engine's operations (their gradients
come from the chain rule); each takes a Tensor, a ValueArray or a Value (numbers and arrays become
a constant Tensor)."""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np

from ..._tensor import Tensor, drawn, nograd
from ...dtypes import cast_first
from ...value import Value
from ._common import _checked_training, _composed, _node, _real


def relu(input: Any, inplace: bool = False) -> Any:
    r"""ReLU, :math:`\max(x, 0)` elementwise (``torch.nn.functional.relu``); the gradient at 0 is 0,
    as torch's.

    Parameters
    ----------
    input : Tensor, ValueArray, Value or array_like
        The input; numbers and arrays become a constant Tensor.
    inplace : bool
        Write the result into the input and return the input, as torch (on a tensor computed
        from others, the write is recorded in its graph, as torch's; default False).

    Returns
    -------
    Tensor, ValueArray or Value
        Of the input's kind and shape.
    """
    if inplace:
        return _maybe_in_place("relu_", input, lambda: relu(input), True, RuntimeError)
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


def _cast(input: Any, dtype: Any, op: str) -> Any:
    """The node of ``input``; a Tensor cast to ``dtype`` first if given, as torch's softmax casts."""
    x = _node(input)
    return cast_first(x, dtype, op) if isinstance(x, Tensor) else x


def _softmax_dim(op: str, input: Any, dim: int | None, dtype: Any, stacklevel: int) -> int:
    """``dim``, or torch's implicit choice (with its deprecation warning): 0 for 0-, 1- and 3-d
    input, else 1. A ``dtype`` other than the input's is refused (a ValueArray or Value: cast
    first; a Tensor comes here cast)."""
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
        A Tensor is cast to it first, as in torch; a ValueArray or Value accepts only its own.

    Returns
    -------
    Tensor, ValueArray or Value
        Of the input's kind and shape.

    Raises
    ------
    TypeError
        If ``dtype`` differs from a ValueArray's or Value's.
    """
    x = _cast(input, dtype, "softmax")
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
        A Tensor is cast to it first, as in torch; a ValueArray or Value accepts only its own.

    Returns
    -------
    Tensor, ValueArray or Value
        Of the input's kind and shape.

    Raises
    ------
    TypeError
        If ``dtype`` differs from a ValueArray's or Value's.
    """
    x = _cast(input, dtype, "log_softmax")
    return x.log_softmax(_softmax_dim("log_softmax", x, dim, dtype, _stacklevel))


def softmin(input: Any, dim: int | None = None, _stacklevel: int = 3, dtype: Any = None) -> Any:
    r"""Softmin along ``dim``, the softmax of -x (``torch.nn.functional.softmin``); ``dim`` and
    ``dtype`` as :func:`softmax`'s.

    Parameters
    ----------
    input : Tensor, ValueArray, Value or array_like
        The input; numbers and arrays become a constant Tensor.
    """
    x = _cast(input, dtype, "softmin")
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
        Write the result into the input and return the input, as torch (on a tensor computed
        from others, the write is recorded in its graph, as torch's; default False).

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
    if inplace:
        return _maybe_in_place("leaky_relu_", input, lambda: leaky_relu(input, slope))
    return _composed(input, lambda x: x.where(nograd(lambda d: d > 0, x), slope * x))


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
        Write the result into the input and return the input, as torch (on a tensor computed
        from others, the write is recorded in its graph, as torch's; default False).

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
    if inplace:
        return _maybe_in_place("elu_", input, lambda: elu(input, a))
    return _composed(input, lambda x: _elu(x, a, 1.0, 1.0))


def _elu(x: Any, alpha: float, scale: float, input_scale: float) -> Any:
    r"""torch's ``elu(x, alpha, scale, input_scale)``, which elu, selu and celu are: ``scale · x``
    where x > 0 or nan, else ``alpha · scale · expm1(input_scale · x)``.

    As torch's: the first derivative at 0 is the negative branch's (``alpha · scale ·
    input_scale``), the second is masked by x < 0 (``elu_double_backward``), so 0 at 0: the
    exponential sees only x < 0 (0 elsewhere: no overflow, no 0 · inf sent back) and x = ±0 takes
    the linear piece ``alpha · scale · input_scale · x`` (expm1's value there, signed zero included),
    through ``clip(-inf, inf)``, the identity whose create_graph derivative is a node of derivative 0:
    the second derivative at 0 is a 0 that depends on x, as torch's (also for a lone 0).
    """
    below = nograd(lambda d: d < 0, x)
    positive = nograd(lambda d: ~(d <= 0), x)  # (nan takes the positive branch: value nan, gradient g)
    z = x if input_scale == 1.0 else x * input_scale
    negative = z.where(below, 0.0).expm1().where(below, z.clip(-math.inf, math.inf)) * (alpha * scale)
    return x.where(positive, negative) if scale == 1.0 else (x * scale).where(positive, negative)


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
        Write the result into the input and return the input, as torch (on a tensor computed
        from others, the write is recorded in its graph, as torch's; default False).

    Returns
    -------
    Tensor, ValueArray or Value
        Of the input's kind and shape.
    """
    if inplace:
        return _maybe_in_place("silu_", input, lambda: silu(input))
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
    return _composed(input, lambda x: x.where(nograd(lambda d: d * b > t, x), (b * x).softplus() / b))


def logsigmoid(input: Any) -> Any:
    r""":math:`\log \sigma(x) = -\operatorname{softplus}(-x)`, without overflow
    (``torch.nn.functional.logsigmoid``); its gradient is :math:`\sigma(-x)`.

    Parameters
    ----------
    input : Tensor, ValueArray, Value or array_like
        The input; numbers and arrays become a constant Tensor.
    """
    return _composed(input, lambda x: 0.0 - (-x).softplus())  # (+0 far right, as torch's; not -0)


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
        Write the result into the input and return the input, as torch (on a tensor computed
        from others, the write is recorded in its graph, as torch's; default False).

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
    if inplace:
        return _maybe_in_place("hardtanh_", input, lambda: hardtanh(input, lo, hi), True, RuntimeError)

    def f(x: Any) -> Any:
        inside = nograd(lambda d: ~((d <= lo) | (d >= hi)), x)
        return x.where(inside, nograd(lambda d: np.clip(d, lo, hi), x))

    return _composed(input, f)


def relu6(input: Any, inplace: bool = False) -> Any:
    r""":math:`\min(\max(x, 0), 6)` (``torch.nn.functional.relu6``): ``hardtanh(x, 0, 6)``.

    Parameters
    ----------
    input : Tensor, ValueArray, Value or array_like
        The input; numbers and arrays become a constant Tensor.
    inplace : bool
        Write the result into the input and return the input, as torch (on a tensor computed
        from others, the write is recorded in its graph, as torch's; default False).
    """
    return hardtanh(input, 0.0, 6.0, inplace)


def hardsigmoid(input: Any, inplace: bool = False) -> Any:
    r"""0 at and below -3, 1 at and above 3, :math:`(x + 3)/6` between
    (``torch.nn.functional.hardsigmoid``); the gradient is 1/6 strictly between, else 0.

    Parameters
    ----------
    input : Tensor, ValueArray, Value or array_like
        The input; numbers and arrays become a constant Tensor.
    inplace : bool
        Write the result into the input and return the input, as torch (on a tensor computed
        from others, the write is recorded in its graph, as torch's; default False).
    """
    if inplace:
        return _maybe_in_place("hardsigmoid_", input, lambda: hardsigmoid(input))

    def f(x: Any) -> Any:
        inside = nograd(lambda d: (d > -3) & (d < 3), x)
        # torch's backward is g * (1.0f / 6.0f), the float32 sixth also in float64: x·c - (x·c held
        # fixed) is 0 and carries that slope, added to the exact value (x + 3)/6
        slope = (x * _SIXTH - nograd(lambda d: d * _SIXTH, x)).where(inside, 0.0)
        return nograd(lambda d: np.clip((d + 3.0) / 6.0, 0.0, 1.0), x) + slope

    return _composed(input, f)


_SIXTH = float(np.float32(1.0) / np.float32(6.0))


def hardswish(input: Any, inplace: bool = False) -> Any:
    r"""0 at and below -3, x at and above 3, :math:`x (x + 3)/6` between
    (``torch.nn.functional.hardswish``); as torch's, the gradient at -3 is 0, at 3 it is 1, and at nan
    it passes. At -inf the value is 0, where torch's -inf · 0 gives nan.

    Parameters
    ----------
    input : Tensor, ValueArray, Value or array_like
        The input; numbers and arrays become a constant Tensor.
    inplace : bool
        Write the result into the input and return the input, as torch (on a tensor computed
        from others, the write is recorded in its graph, as torch's; default False).
    """
    if inplace:
        return _maybe_in_place("hardswish_", input, lambda: hardswish(input))

    def f(x: Any) -> Any:
        inside = nograd(lambda d: (d > -3) & (d < 3), x)
        safe = x.where(inside, 0.0)  # (the middle piece sees 0 elsewhere: no 0 · inf in its gradient)
        middle = (safe * (safe + 3.0) / 6.0).where(inside, np.full_like(x.data, -0.0))  # (x · 0 = -0)
        return x.where(nograd(lambda d: ~(d < 3), x), middle)

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


def _shrunk(x: Any, lambd: float, shift: bool) -> Any:
    """x (minus ``lambd`` towards 0 if ``shift``) outside the band ``|x| <= lambd`` (nan is outside:
    nan, gradient 1), a constant 0 in it."""
    outside = nograd(lambda d: ~((d >= -lambd) & (d <= lambd)), x)
    if shift:
        x = x - nograd(lambda d: np.where(d > lambd, lambd, -lambd).astype(d.dtype), x)
    return x.where(outside, np.zeros((), x.data.dtype))


def hardshrink(input: Any, lambd: float = 0.5) -> Any:
    r"""x where :math:`|x| > \lambda`, else 0 (``torch.nn.functional.hardshrink``, as
    :func:`autograd.hardshrink`); nan stays nan. The gradient is 1 outside the band and at nan, 0 in
    it: torch's scalar kernel (its vectorised kernel gives 0 at nan, so torch's own gradient there
    depends on the element's place).

    Parameters
    ----------
    input : Tensor, ValueArray, Value or array_like
        The input; numbers and arrays become a constant Tensor.
    lambd : float
        The band's half width (default 0.5).

    Raises
    ------
    TypeError
        If ``lambd`` is not a real number.
    """
    lam = _real("hardshrink", "lambd", lambd)
    return _composed(input, lambda x: _shrunk(x, lam, False))


def softshrink(input: Any, lambd: float = 0.5) -> Any:
    r""":math:`x - \lambda` where :math:`x > \lambda`, :math:`x + \lambda` where :math:`x < -\lambda`,
    else 0 (``torch.nn.functional.softshrink``); nan stays nan. The gradient is 1 outside the band
    and at nan, 0 in it, as :func:`hardshrink`'s (torch's scalar kernel; its vectorised one gives 0
    at nan); the band's zeros are +0 (torch's scalar kernel gives -0 in its negative half).

    Parameters
    ----------
    input : Tensor, ValueArray, Value or array_like
        The input; numbers and arrays become a constant Tensor.
    lambd : float
        The band's half width, at least 0 (default 0.5).

    Raises
    ------
    TypeError
        If ``lambd`` is not a real number.
    ValueError
        If ``lambd`` is negative.
    """
    lam = _real("softshrink", "lambd", lambd)
    if not lam >= 0:
        raise ValueError(f"softshrink: lambd must be at least 0, got {lambd!r}")
    return _composed(input, lambda x: _shrunk(x, lam, True))


def prelu(input: Any, weight: Any) -> Tensor:
    r""":math:`x` where :math:`x > 0`, else :math:`a \cdot x`, with the learnable slopes ``weight``
    (``torch.nn.functional.prelu``): one slope, or one per channel (axis 1; a 0- or 1-d input has
    one channel, as torch's).

    Parameters
    ----------
    input : Tensor or array_like
        The input.
    weight : Tensor or array_like
        The slopes: one element, or one per channel.

    Returns
    -------
    Tensor
        Of the input's shape.

    Raises
    ------
    ValueError
        If ``weight`` is not 0- or 1-d, or has neither one element nor one per channel.
    """
    x, w = _node(input), _node(weight)
    if w.ndim > 1:
        raise ValueError(f"prelu: weight must be 0- or 1-d, got shape {tuple(w.shape)}")
    channels = x.shape[1] if x.ndim >= 2 else 1
    if w.numel() not in (1, channels):
        raise ValueError(
            f"prelu: weight must have 1 element or one per channel ({channels}), got shape {tuple(w.shape)}"
        )
    if w.numel() == 1:
        w = w.reshape(())
    else:
        w = w.reshape((channels,) + (1,) * (x.ndim - 2))
    return x.where(nograd(lambda d: d > 0, x), w * x)


def mish(input: Any, inplace: bool = False) -> Any:
    r""":math:`x \tanh(\operatorname{softplus}(x))` (``torch.nn.functional.mish``).

    Parameters
    ----------
    input : Tensor, ValueArray, Value or array_like
        The input; numbers and arrays become a constant Tensor.
    inplace : bool
        Write the result into the input and return the input, as torch (on a tensor computed
        from others, the write is recorded in its graph, as torch's; default False).
    """
    if inplace:
        return _maybe_in_place("mish_", input, lambda: mish(input))
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
        Write the result into the input and return the input, as torch (on a tensor computed
        from others, the write is recorded in its graph, as torch's; default False).

    Raises
    ------
    TypeError
        If ``threshold`` or ``value`` is not a real number.
    """
    t, v = _real("threshold", "threshold", threshold), _real("threshold", "value", value)
    if inplace:
        return _maybe_in_place("threshold_", input, lambda: _threshold(input, t, v), True)
    return _composed(input, lambda x: x.where(nograd(lambda d: ~(d <= t), x), np.full_like(x.data, v)))


#: torch's SELU constants (Klambauer et al., 2017)
_SELU_ALPHA, _SELU_SCALE = 1.6732632423543772848170429916717, 1.0507009873554804934193349852946


def selu(input: Any, inplace: bool = False) -> Any:
    r"""``scale · elu(x, alpha)`` with torch's constants (``torch.nn.functional.selu``).

    Parameters
    ----------
    input : Tensor, ValueArray, Value or array_like
        The input; numbers and arrays become a constant Tensor.
    inplace : bool
        Write the result into the input and return the input, as torch (on a tensor computed
        from others, the write is recorded in its graph, as torch's; default False).
    """
    if inplace:
        return _maybe_in_place("selu_", input, lambda: selu(input))
    return _composed(input, lambda x: _elu(x, _SELU_ALPHA, _SELU_SCALE, 1.0))


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
        Write the result into the input and return the input, as torch (on a tensor computed
        from others, the write is recorded in its graph, as torch's; default False).

    Raises
    ------
    TypeError
        If ``alpha`` is not a real number.
    ValueError
        If ``alpha`` is 0.
    """
    a = _real("celu", "alpha", alpha)
    if inplace:
        return _maybe_in_place("celu_", input, lambda: celu(input, a))
    if a == 0:
        raise ValueError("celu: alpha must not be 0, got 0.0")
    return _composed(input, lambda x: _elu(x, a, 1.0, 1.0 / a))


def glu(input: Any, dim: int = -1) -> Any:
    r"""The gated linear unit (``torch.nn.functional.glu``): ``input`` split in halves :math:`a, b`
    along ``dim``, then :math:`a \otimes \sigma(b)`.

    Parameters
    ----------
    input : Tensor, ValueArray or array_like
        The input, at least 1-d, of even length along ``dim``; numbers and arrays become a constant
        Tensor.
    dim : int
        The axis to halve (default -1).

    Returns
    -------
    Tensor or ValueArray
        ``input``'s shape with ``dim`` halved.

    Raises
    ------
    TypeError
        If ``dim`` is not an int, or ``input`` is a Value.
    IndexError
        If ``dim`` is out of range (torch's error).
    RuntimeError
        If ``input`` is 0-d, or its length along ``dim`` is odd (torch's errors).
    NotImplementedError
        If ``input`` holds integers or bools (torch's error).
    """
    if isinstance(input, Value):
        raise TypeError("glu: input must be a Tensor or ValueArray (at least 1-d), got a Value")
    if isinstance(dim, (bool, np.bool_)) or not isinstance(dim, (int, np.integer)):
        raise TypeError(f"glu: dim must be an int, got {type(dim).__name__} {dim!r}")
    x = _node(input)
    if x.ndim == 0:
        raise RuntimeError("glu: input must be at least 1-d (it is halved along dim), got a 0-d tensor")
    if not -x.ndim <= dim < x.ndim:
        raise IndexError(
            f"glu: dim={dim} is out of range for an input of {x.ndim} dimension(s) "
            f"(expected in [{-x.ndim}, {x.ndim - 1}])"
        )
    if isinstance(x, Tensor) and x.data.dtype.kind != "f":
        raise NotImplementedError(f"glu: input must hold floats (float32 or float64), got {x.data.dtype}")
    axis, n = dim % x.ndim, x.shape[dim]
    if n % 2:
        raise RuntimeError(f"glu: the halved dimension must be even, but dimension {axis} is of size {n}")
    before = (slice(None),) * axis
    return x[(*before, slice(0, n // 2))] * x[(*before, slice(n // 2, n))].sigmoid()


def rrelu(input: Any, lower: float = 1.0 / 8, upper: float = 1.0 / 3, training: bool = False,
          inplace: bool = False) -> Any:  # fmt: skip
    r"""Randomized leaky ReLU (``torch.nn.functional.rrelu``): :math:`x` where :math:`x > 0`, else
    :math:`a x`. In training each element :math:`x \le 0` gets its own slope :math:`a`, drawn
    uniformly from ``[lower, upper]``; in evaluation :math:`a` is their mean ``(lower + upper) / 2``
    (:func:`~autograd.nn.functional.leaky_relu`).

    The slopes are torch's: one ``uniform_real_distribution<double>(lower, upper)`` draw per
    element :math:`x \le 0`, in order, from the library's generator, so after
    :func:`autograd.manual_seed` the output is torch's bit for bit. The draw is a random node of
    the graph: a compiled step draws new slopes at every call. The gradient is the slope (1 where
    :math:`x > 0`), as torch's.

    Parameters
    ----------
    input : Tensor, ValueArray, Value or array_like
        The input; numbers and arrays become a constant Tensor.
    lower, upper : float
        The range of the slopes (default 1/8 and 1/3).
    training : bool
        Draw random slopes (default False, as torch).
    inplace : bool
        Write the result into the input and return the input, as torch (on a tensor computed
        from others, the write is recorded in its graph, as torch's; default False).

    Returns
    -------
    Tensor, ValueArray or Value
        Of the input's kind and shape.

    Raises
    ------
    TypeError
        If ``lower`` or ``upper`` is not a real number, or ``training`` not a bool.
    RuntimeError
        If ``lower > upper`` (torch's message).
    """
    from ...random_state import generator

    lo, up = _real("rrelu", "lower", lower), _real("rrelu", "upper", upper)
    training = _checked_training("rrelu", training)
    if lo > up:
        raise RuntimeError(
            f"rrelu: Lower bound should be less than or equal to the upper bound, got lower={lo}, upper={up}"
        )
    if inplace:
        return _maybe_in_place("rrelu_", input, lambda: rrelu(input, lo, up, training))
    if not training:
        return leaky_relu(input, (lo + up) / 2)

    def slopes(x: Any) -> Any:
        dtype = x.data.dtype if isinstance(x, Tensor) and x.data.dtype.kind == "f" else np.dtype(np.float64)
        # torch: `from`/`to` in the input's float type, the draw in double, the slope in the input's type
        f, t = (lo, up) if dtype == np.float64 else (float(dtype.type(lo)), float(dtype.type(up)))

        def draw(shape: tuple[int, ...]) -> np.ndarray:  # one draw per element x <= 0: a 1-d count
            u = generator(None, "rrelu").stream.unit(shape[0], np.dtype(np.float64))
            return (u * (t - f) + f).astype(dtype)  # (no fused multiply-add, as torch's kernel)

        where = nograd(lambda d: np.flatnonzero(np.ravel(d) <= 0), x)
        drawn_slopes = drawn(draw, where)

        def place(d: np.ndarray, at: np.ndarray, r: np.ndarray) -> np.ndarray:
            noise = np.ones(np.shape(d), dtype)
            noise.reshape(-1)[at] = r
            return noise

        return x * nograd(place, x, where, drawn_slopes)

    return _composed(input, slopes)


def rrelu_(input: Any, lower: float = 1.0 / 8, upper: float = 1.0 / 3, training: bool = False) -> Tensor:
    """:func:`~autograd.nn.functional.rrelu` written into ``input`` in place
    (``torch.nn.functional.rrelu_``): the same numbers
    (the same draws in training), under the library's in-place rules (``Tensor.add_``'s): a leaf
    that requires grad only under ``no_grad``, a tensor computed from others recorded in the graph,
    never an ``expand`` view.

    Parameters
    ----------
    input : Tensor
        A float Tensor, changed in place.
    lower, upper, training
        As :func:`~autograd.nn.functional.rrelu`.

    Returns
    -------
    Tensor
        ``input``.

    Raises
    ------
    TypeError
        If ``input`` is not a Tensor, or as :func:`~autograd.nn.functional.rrelu`.
    NotImplementedError
        For an integer or bool tensor (torch's).
    RuntimeError
        Where the in-place rules refuse the write, or as :func:`~autograd.nn.functional.rrelu`.
    """
    return _in_place("rrelu_", input, lambda: rrelu(input, lower, upper, training))


def _in_place(
    op: str, input: Any, compute: Any, integers: bool = False, bool_error: type = NotImplementedError
) -> Tensor:
    """``compute()`` (the activation of ``input``) written into ``input`` in place, under the
    library's in-place rules (``Tensor._written``: checked before ``compute`` runs, so a refused
    write draws nothing); a float Tensor (``integers``: an integer one too), as torch's kernels."""
    _tensor_input(op, input)
    kind = input.data.dtype.kind
    if kind == "b" or (kind != "f" and not integers):
        raise bool_error(
            f"{op}: not implemented for dtype {input.data.dtype} "
            f"({'a float or integer' if integers else 'a float'} Tensor)"
        )
    return input._overwritten(op, compute)


def _maybe_in_place(
    op: str, input: Any, compute: Any, integers: bool = False, bool_error: type = NotImplementedError
) -> Any:
    """torch's ``inplace=True``: ``compute()`` written into ``input``, which is returned, as ``op``
    (``_in_place``: torch's errors for a leaf that requires grad, its views, the dtypes; on a tensor
    computed from others the write is recorded in the graph, as torch's); a tensor a compiled step
    computes while tracing gets a new tensor instead (the step replays it), and so does an input
    that is not a Tensor."""
    if isinstance(input, Tensor) and not input._kept_by_graph():
        return _in_place(op, input, compute, integers, bool_error)
    return compute()


def _tensor_input(op: str, input: Any) -> None:
    if not isinstance(input, Tensor):
        raise TypeError(f"{op}(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}")


_IN_PLACE_DOC = """

    Returns
    -------
    Tensor
        ``input``, its numbers replaced.

    Raises
    ------
    TypeError
        If ``input`` is not a Tensor.
    NotImplementedError or RuntimeError
        For a dtype torch's kernel refuses ({refused}).
    RuntimeError
        Where the in-place rules refuse the write.

    Notes
    -----
    The library's in-place rules (``Tensor.add_``'s): a leaf that requires grad only under
    ``no_grad``, a tensor computed from others recorded in the graph (autograd/_rebase.py), never an
    ``expand`` view; torch's version counter counts the write.
    """


def relu_(input: Any) -> Tensor:
    """:func:`~autograd.nn.functional.relu` in place (``torch.nn.functional.relu_``, ``torch.relu_``).

    Parameters
    ----------
    input : Tensor
        A float or integer Tensor."""
    return _in_place("relu_", input, lambda: relu(input), True, RuntimeError)


def elu_(input: Any, alpha: float = 1.0) -> Tensor:
    """:func:`~autograd.nn.functional.elu` in place (``torch.nn.functional.elu_``).

    Parameters
    ----------
    input : Tensor
        A float Tensor.
    alpha : float
        As :func:`~autograd.nn.functional.elu`."""
    return _in_place("elu_", input, lambda: elu(input, alpha))


def leaky_relu_(input: Any, negative_slope: float = 0.01) -> Tensor:
    """:func:`~autograd.nn.functional.leaky_relu` in place (``torch.nn.functional.leaky_relu_``).

    Parameters
    ----------
    input : Tensor
        A float Tensor.
    negative_slope : float
        As :func:`~autograd.nn.functional.leaky_relu`."""
    return _in_place("leaky_relu_", input, lambda: leaky_relu(input, negative_slope))


def hardtanh_(input: Any, min_val: float = -1.0, max_val: float = 1.0) -> Tensor:
    """:func:`~autograd.nn.functional.hardtanh` in place (``torch.nn.functional.hardtanh_``).

    Parameters
    ----------
    input : Tensor
        A float or integer Tensor.
    min_val, max_val : float
        As :func:`~autograd.nn.functional.hardtanh`."""
    return _in_place("hardtanh_", input, lambda: hardtanh(input, min_val, max_val), True, RuntimeError)


def threshold_(input: Any, threshold: float, value: float) -> Tensor:
    """:func:`~autograd.nn.functional.threshold` in place (``torch.nn.functional.threshold_``,
    ``torch.threshold_``).

    Parameters
    ----------
    input : Tensor
        A float or integer Tensor (``value`` cast to its dtype).
    threshold, value : float
        As :func:`~autograd.nn.functional.threshold`."""
    return _in_place("threshold_", input, lambda: _threshold(input, threshold, value), True)


def celu_(input: Any, alpha: float = 1.0) -> Tensor:
    """:func:`~autograd.nn.functional.celu` in place (``torch.nn.functional.celu_``, ``torch.celu_``).

    Parameters
    ----------
    input : Tensor
        A float Tensor.
    alpha : float
        As :func:`~autograd.nn.functional.celu`."""
    return _in_place("celu_", input, lambda: celu(input, alpha))


def selu_(input: Any) -> Tensor:
    """:func:`~autograd.nn.functional.selu` in place (``torch.nn.functional.selu_``, ``torch.selu_``).

    Parameters
    ----------
    input : Tensor
        A float Tensor."""
    return _in_place("selu_", input, lambda: selu(input))


def sigmoid_(input: Any) -> Tensor:
    """:func:`~autograd.nn.functional.sigmoid` in place (``torch.sigmoid_``, ``Tensor.sigmoid_``).

    Parameters
    ----------
    input : Tensor
        A float Tensor (an integer one raises torch's RuntimeError)."""
    _tensor_input("sigmoid_", input)
    return input.sigmoid_()


def tanh_(input: Any) -> Tensor:
    """:func:`~autograd.nn.functional.tanh` in place (``torch.tanh_``, ``Tensor.tanh_``).

    Parameters
    ----------
    input : Tensor
        A float Tensor (an integer one raises torch's RuntimeError)."""
    _tensor_input("tanh_", input)
    return input.tanh_()


_threshold = threshold  # (threshold_'s argument of that name hides the function)
for _f, _refused in [
    (relu_, "bool: RuntimeError"), (elu_, "integer, bool: NotImplementedError"),
    (leaky_relu_, "integer, bool: NotImplementedError"), (hardtanh_, "bool: RuntimeError"),
    (threshold_, "bool: NotImplementedError"), (celu_, "integer, bool: NotImplementedError"),
    (selu_, "integer, bool: NotImplementedError"), (sigmoid_, "integer, bool: RuntimeError"),
    (tanh_, "integer, bool: RuntimeError"),
]:  # fmt: skip
    _f.__doc__ = (_f.__doc__ or "") + _IN_PLACE_DOC.format(refused=_refused)
