"""``torch.nn.init``: fill a parameter in place, with torch's gains and fan formulas.

Each function writes into ``tensor.data`` (no graph is recorded, as torch's run under
``no_grad``) and returns the tensor. Random ones draw from ``generator`` (an ``autograd.Generator``, an int
seed or a numpy Generator) or else from the library's generator, which ``manual_seed`` seeds: torch's
numbers (torch's float32 stream for float32 and for this library's default float64 tensors).

For a weight of shape ``(out, in, *k)``: ``fan_in = in·Πk`` and ``fan_out = out·Πk``.

- ``xavier_uniform_``: U(-a, a), ``a = gain·√(6 / (fan_in + fan_out))``;
  ``xavier_normal_``: N(0, σ²), ``σ = gain·√(2 / (fan_in + fan_out))``.
- ``kaiming_uniform_``: U(-b, b), ``b = √3·gain/√fan``; ``kaiming_normal_``: N(0, σ²),
  ``σ = gain/√fan``; ``fan`` is ``fan_in`` or ``fan_out`` (``mode``) and ``gain`` is
  ``calculate_gain(nonlinearity, a)``.
- ``trunc_normal_`` (torch 2.13's rejection samplers), ``sparse_``, ``orthogonal_`` (torch's draws,
  numpy's QR), and the deterministic ``eye_`` and ``dirac_``.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np

from .._tensor import Tensor
from ..random_state import draw_dtype, fill_normal, fill_uniform
from ..random_state import generator as _generator

_LINEAR = ("linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d")


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    r"""The recommended gain for ``nonlinearity`` (``torch.nn.init.calculate_gain``).

    1 for linear, conv and sigmoid; 5/3 for tanh; :math:`\sqrt 2` for relu;
    :math:`\sqrt{2 / (1 + \text{slope}^2)}` for leaky_relu; 3/4 for selu.

    Parameters
    ----------
    nonlinearity : str
        "linear", "conv1d" ... "conv_transpose3d", "sigmoid", "tanh", "relu", "leaky_relu" or
        "selu".
    param : float, optional
        leaky_relu's negative slope (default 0.01).

    Returns
    -------
    float
        The gain.

    Raises
    ------
    ValueError
        If ``nonlinearity`` is unknown, or the slope is not a number.

    Examples
    --------
    >>> from autograd.nn import init
    >>> init.calculate_gain("tanh")
    1.6666666666666667
    """
    if nonlinearity in _LINEAR or nonlinearity == "sigmoid":
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        if param is None:
            slope = 0.01
        elif isinstance(param, (int, float)) and not isinstance(param, bool):
            slope = param
        else:
            raise ValueError(f"negative_slope {param} not a valid number")
        return math.sqrt(2.0 / (1 + slope**2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(f"Unsupported nonlinearity {nonlinearity}")


def _calculate_fan_in_and_fan_out(tensor: Tensor) -> tuple[int, int]:
    shape = _data("fan", tensor).shape
    if len(shape) < 2:
        raise ValueError("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions")
    receptive = math.prod(shape[2:])
    return shape[1] * receptive, shape[0] * receptive


def _fan(tensor: Tensor, mode: str) -> int:
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"Mode {mode} not supported, please use one of fan_in, fan_out")
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    return fan_in if mode == "fan_in" else fan_out


def _data(op: str, tensor: Any) -> np.ndarray:
    if not isinstance(tensor, Tensor):
        raise TypeError(f"{op}: expected a Tensor (a Parameter), got {type(tensor).__name__}")
    return tensor.data


def _fill(tensor: Tensor, values: Any) -> Tensor:
    tensor.data[...] = values
    tensor._changed_in_place([tensor.data])  # (torch's version counter)
    return tensor


def uniform_(tensor: Tensor, a: float = 0.0, b: float = 1.0, generator: Any = None) -> Tensor:
    """Fill ``tensor`` with samples of U(a, b) (``torch.nn.init.uniform_``).

    Parameters
    ----------
    tensor : Tensor
        The tensor (a :class:`~autograd.nn.Parameter`) to fill in place.
    a, b : float
        The bounds (default 0 and 1).
    generator : int or numpy.random.Generator, optional
        The random source; None (default) draws from the library's generator (see
        :func:`autograd.manual_seed`).

    Returns
    -------
    Tensor
        ``tensor`` itself.

    Raises
    ------
    TypeError
        If ``tensor`` is not a Tensor.
    """
    fill_uniform(_generator(generator, "uniform_"), _data("uniform_", tensor), a, b)
    return tensor


def normal_(tensor: Tensor, mean: float = 0.0, std: float = 1.0, generator: Any = None) -> Tensor:
    """Fill ``tensor`` with samples of N(mean, std²) (``torch.nn.init.normal_``).

    Parameters
    ----------
    tensor : Tensor
        The tensor (a :class:`~autograd.nn.Parameter`) to fill in place.
    mean, std : float
        The mean and standard deviation (default 0 and 1).
    generator : int or numpy.random.Generator, optional
        The random source; None (default) draws from the library's generator (see
        :func:`autograd.manual_seed`).

    Returns
    -------
    Tensor
        ``tensor`` itself.

    Raises
    ------
    TypeError
        If ``tensor`` is not a Tensor.
    """
    fill_normal(_generator(generator, "normal_"), _data("normal_", tensor), mean, std)
    return tensor


def _reset_like_linear(weight: Tensor, bias: Tensor | None, generator: Any = None) -> None:
    """torch's ``Linear``/``Conv``/``ConvTranspose.reset_parameters``, in torch's order of draws:
    ``kaiming_uniform_(weight, a=√5)``, then the bias from U(-1/√fan_in, 1/√fan_in)."""
    kaiming_uniform_(weight, a=math.sqrt(5), generator=generator)
    if bias is not None:
        fan_in, _ = _calculate_fan_in_and_fan_out(weight)
        bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0
        uniform_(bias, -bound, bound, generator)


def constant_(tensor: Tensor, val: float) -> Tensor:
    """Fill ``tensor`` with ``val`` (``torch.nn.init.constant_``).

    Parameters
    ----------
    tensor : Tensor
        The tensor (a :class:`~autograd.nn.Parameter`) to fill in place.
    val : float
        The value.

    Returns
    -------
    Tensor
        ``tensor`` itself.

    Raises
    ------
    TypeError
        If ``tensor`` is not a Tensor.
    """
    _data("constant_", tensor)
    return _fill(tensor, val)


def ones_(tensor: Tensor) -> Tensor:
    """Fill ``tensor`` with 1 (``torch.nn.init.ones_``).

    Parameters
    ----------
    tensor : Tensor
        The tensor (a :class:`~autograd.nn.Parameter`) to fill in place.

    Returns
    -------
    Tensor
        ``tensor`` itself.

    Raises
    ------
    TypeError
        If ``tensor`` is not a Tensor.
    """
    return constant_(tensor, 1.0)


def zeros_(tensor: Tensor) -> Tensor:
    """Fill ``tensor`` with 0 (``torch.nn.init.zeros_``).

    Parameters
    ----------
    tensor : Tensor
        The tensor (a :class:`~autograd.nn.Parameter`) to fill in place.

    Returns
    -------
    Tensor
        ``tensor`` itself.

    Raises
    ------
    TypeError
        If ``tensor`` is not a Tensor.
    """
    return constant_(tensor, 0.0)


def xavier_uniform_(tensor: Tensor, gain: float = 1.0, generator: Any = None) -> Tensor:
    r"""Glorot uniform (``torch.nn.init.xavier_uniform_``): U(-a, a) with
    :math:`a = \text{gain} \cdot \sqrt{6 / (\text{fan\_in} + \text{fan\_out})}`.

    For a weight of shape ``(out, in, *k)``, ``fan_in = in·Πk`` and ``fan_out = out·Πk``.

    Parameters
    ----------
    tensor : Tensor
        The tensor (a :class:`~autograd.nn.Parameter`) to fill in place.
    gain : float
        The scale (default 1; see :func:`calculate_gain`).
    generator : int or numpy.random.Generator, optional
        The random source; None (default) draws from the library's generator (see
        :func:`autograd.manual_seed`).

    Returns
    -------
    Tensor
        ``tensor`` itself.

    Raises
    ------
    TypeError
        If ``tensor`` is not a Tensor.
    ValueError
        If ``tensor`` has fewer than 2 dimensions (no fan in and fan out).
    """
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    a = math.sqrt(3.0) * (gain * math.sqrt(2.0 / float(fan_in + fan_out)))  # (torch's rounding order)
    return uniform_(tensor, -a, a, generator)


def xavier_normal_(tensor: Tensor, gain: float = 1.0, generator: Any = None) -> Tensor:
    r"""Glorot normal (``torch.nn.init.xavier_normal_``): N(0, σ²) with
    :math:`\sigma = \text{gain} \cdot \sqrt{2 / (\text{fan\_in} + \text{fan\_out})}`.

    Parameters
    ----------
    tensor : Tensor
        The tensor (a :class:`~autograd.nn.Parameter`) to fill in place.
    gain : float
        The scale (default 1; see :func:`calculate_gain`).
    generator : int or numpy.random.Generator, optional
        The random source; None (default) draws from the library's generator (see
        :func:`autograd.manual_seed`).

    Returns
    -------
    Tensor
        ``tensor`` itself.

    Raises
    ------
    TypeError
        If ``tensor`` is not a Tensor.
    ValueError
        If ``tensor`` has fewer than 2 dimensions (no fan in and fan out).
    """
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    return normal_(tensor, 0.0, gain * math.sqrt(2.0 / float(fan_in + fan_out)), generator)


def _kaiming_std(op: str, tensor: Tensor, a: float, mode: str, nonlinearity: str) -> float | None:
    """``gain/√fan``, or None (with torch's warning) for a tensor without elements."""
    if _data(op, tensor).size == 0:
        warnings.warn("Initializing zero-element tensors is a no-op", UserWarning, stacklevel=3)
        return None
    return calculate_gain(nonlinearity, a) / math.sqrt(_fan(tensor, mode))


def kaiming_uniform_(
    tensor: Tensor,
    a: float = 0,
    mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
    generator: Any = None,
) -> Tensor:
    r"""He uniform (``torch.nn.init.kaiming_uniform_``): U(-b, b) with
    :math:`b = \sqrt 3 \cdot \text{gain} / \sqrt{\text{fan}}`.

    A tensor without elements is left as it is, with torch's warning.

    Parameters
    ----------
    tensor : Tensor
        The tensor (a :class:`~autograd.nn.Parameter`) to fill in place.
    a : float
        The negative slope of leaky_relu (default 0), passed to :func:`calculate_gain`.
    mode : {"fan_in", "fan_out"}
        Which fan sets the scale: "fan_in" (default) keeps the forward pass's variance,
        "fan_out" the backward pass's.
    nonlinearity : str
        The activation the weights feed (default "leaky_relu"), for :func:`calculate_gain`.
    generator : int or numpy.random.Generator, optional
        The random source; None (default) draws from the library's generator (see
        :func:`autograd.manual_seed`).

    Returns
    -------
    Tensor
        ``tensor`` itself.

    Raises
    ------
    TypeError
        If ``tensor`` is not a Tensor.
    ValueError
        If ``tensor`` has fewer than 2 dimensions, ``mode`` or ``nonlinearity`` is unknown.
    """
    std = _kaiming_std("kaiming_uniform_", tensor, a, mode, nonlinearity)
    if std is None:
        return tensor
    bound = math.sqrt(3.0) * std
    return uniform_(tensor, -bound, bound, generator)


def kaiming_normal_(
    tensor: Tensor,
    a: float = 0,
    mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
    generator: Any = None,
) -> Tensor:
    r"""He normal (``torch.nn.init.kaiming_normal_``): N(0, σ²) with
    :math:`\sigma = \text{gain} / \sqrt{\text{fan}}`.

    A tensor without elements is left as it is, with torch's warning.

    Parameters
    ----------
    tensor : Tensor
        The tensor (a :class:`~autograd.nn.Parameter`) to fill in place.
    a : float
        The negative slope of leaky_relu (default 0), passed to :func:`calculate_gain`.
    mode : {"fan_in", "fan_out"}
        Which fan sets the scale: "fan_in" (default) keeps the forward pass's variance,
        "fan_out" the backward pass's.
    nonlinearity : str
        The activation the weights feed (default "leaky_relu"), for :func:`calculate_gain`.
    generator : int or numpy.random.Generator, optional
        The random source; None (default) draws from the library's generator (see
        :func:`autograd.manual_seed`).

    Returns
    -------
    Tensor
        ``tensor`` itself.

    Raises
    ------
    TypeError
        If ``tensor`` is not a Tensor.
    ValueError
        If ``tensor`` has fewer than 2 dimensions, ``mode`` or ``nonlinearity`` is unknown.
    """
    std = _kaiming_std("kaiming_normal_", tensor, a, mode, nonlinearity)
    return tensor if std is None else normal_(tensor, 0.0, std, generator)


def eye_(tensor: Tensor) -> Tensor:
    """Fill a 2-d ``tensor`` with the identity matrix (``torch.nn.init.eye_``): ones on the main
    diagonal, zeros elsewhere, so a ``Linear`` layer passes as many inputs through as it can.

    Parameters
    ----------
    tensor : Tensor
        A 2-d tensor (a :class:`~autograd.nn.Parameter`), filled in place.

    Returns
    -------
    Tensor
        ``tensor`` itself.

    Raises
    ------
    TypeError
        If ``tensor`` is not a Tensor.
    ValueError
        If ``tensor`` is not 2-d (torch's message).
    """
    data = _data("eye_", tensor)
    if data.ndim != 2:
        raise ValueError(f"Only tensors with 2 dimensions are supported (eye_ got shape {data.shape})")
    return _fill(tensor, np.eye(*data.shape))


def dirac_(tensor: Tensor, groups: int = 1) -> Tensor:
    """Fill a 3-, 4- or 5-d convolution weight with the Dirac delta (``torch.nn.init.dirac_``):
    ``weight[g·(out/groups) + d, d, centre] = 1`` for each group ``g`` and each
    ``d < min(out/groups, in)``, zeros elsewhere, so the convolution passes its input channels
    through (within each group).

    Parameters
    ----------
    tensor : Tensor
        A ``(out, in, *kernel)`` weight (a :class:`~autograd.nn.Parameter`), filled in place.
    groups : int
        The convolution's groups (default 1); ``out`` must be divisible by it.

    Returns
    -------
    Tensor
        ``tensor`` itself.

    Raises
    ------
    TypeError
        If ``tensor`` is not a Tensor.
    ValueError
        If ``tensor`` is not 3-, 4- or 5-d, or ``out`` is not divisible by ``groups`` (torch's
        messages).
    """
    data = _data("dirac_", tensor)
    if data.ndim not in (3, 4, 5):
        raise ValueError(
            f"Only tensors with 3, 4, or 5 dimensions are supported (dirac_ got shape {data.shape})"
        )
    if data.shape[0] % groups != 0:
        raise ValueError(
            f"dim 0 must be divisible by groups (dirac_ got {data.shape[0]} and groups={groups})"
        )
    per_group = data.shape[0] // groups
    centre = tuple(n // 2 for n in data.shape[2:])
    data[...] = 0
    for g in range(groups):
        for d in range(min(per_group, data.shape[1])):
            data[(g * per_group + d, d, *centre)] = 1
    return tensor


def _work(data: np.ndarray) -> np.ndarray:
    """An array of the dtype torch computes in for ``data`` (float32, unless ``data`` is float64
    and ``set_default_dtype(float64)`` was called: see :func:`autograd.random_state.draw_dtype`)."""
    return np.empty(data.shape, np.float32 if data.dtype == np.float32 else draw_dtype(None))


def _scalar(work: np.ndarray, x: float) -> Any:
    """``x`` as torch holds a Python number in an op with a tensor of ``work``'s dtype."""
    return work.dtype.type(x)


def _norm_cdf(x: float) -> float:
    return (1.0 + math.erf(x / math.sqrt(2.0))) / 2.0


def trunc_normal_(
    tensor: Tensor,
    mean: float = 0.0,
    std: float = 1.0,
    a: float = -2.0,
    b: float = 2.0,
    generator: Any = None,
) -> Tensor:
    r"""Fill ``tensor`` with samples of N(mean, std²) truncated to [a, b]
    (``torch.nn.init.trunc_normal_``), torch 2.13's rejection sampler and draws: when the interval
    holds more than 30% of the mass, normal draws of the whole tensor, redrawn where any falls
    outside; else uniform proposals on [a, b], each accepted where
    :math:`\log u \le -\tfrac12((x - \text{mean})/\text{std})^2 - \log(\text{peak})`.

    Warns (as torch) when ``mean`` is more than 2 std outside [a, b].

    Parameters
    ----------
    tensor : Tensor
        The tensor (a :class:`~autograd.nn.Parameter`) to fill in place.
    mean, std : float
        The normal distribution's mean and standard deviation (default 0 and 1).
    a, b : float
        The cut-offs (default -2 and 2).
    generator : Generator or numpy.random.Generator, optional
        The random source; None (default) draws from the library's generator (see
        :func:`autograd.manual_seed`).

    Returns
    -------
    Tensor
        ``tensor`` itself.

    Raises
    ------
    TypeError
        If ``tensor`` is not a Tensor.
    """
    data = _data("trunc_normal_", tensor)
    if mean < a - 2 * std or mean > b + 2 * std:
        warnings.warn(
            "mean is more than 2 std from [a, b] in nn.init.trunc_normal_. The distribution of values may be "
            "incorrect.",
            UserWarning,
            stacklevel=2,
        )
    rng, work = _generator(generator, "trunc_normal_"), _work(data)
    mass = _norm_cdf((b - mean) / std) - _norm_cdf((a - mean) / std)
    if mass > 0.3:  # normal draws, the whole tensor redrawn while any falls outside
        lo, hi = _scalar(work, a), _scalar(work, b)
        result = fill_normal(rng, work, mean, std).copy()
        while (outside := (result < lo) | (result > hi)).any():
            result = np.where(outside, fill_normal(rng, work, mean, std), result)
        return _fill(tensor, result)
    mode = max(a, min(mean, b))
    log_peak = -0.5 * ((mode - mean) / std) ** 2

    def log_density(x: np.ndarray) -> np.ndarray:  # torch's in-place chain, in work's dtype
        return ((x - _scalar(work, mean)) / _scalar(work, std)) ** 2 * _scalar(work, -0.5) - _scalar(
            work, log_peak
        )

    def rejected(x: np.ndarray) -> np.ndarray:
        u = fill_uniform(rng, np.empty_like(work), 0.0, 1.0)
        return np.log(u.astype(np.float64)).astype(work.dtype) > log_density(x)

    result = fill_uniform(rng, work, a, b).copy()
    pending = rejected(result)
    while pending.any():
        candidates = fill_uniform(rng, np.empty_like(work), a, b)
        result = np.where(pending, candidates, result)
        pending = np.where(pending, rejected(candidates), pending)
    return _fill(tensor, result)


def orthogonal_(tensor: Tensor, gain: float = 1.0, generator: Any = None) -> Tensor:
    """Fill ``tensor`` with a (semi-)orthogonal matrix (``torch.nn.init.orthogonal_``, Saxe et al.
    2013): the Q of the QR factorisation of a standard normal ``(rows, numel / rows)`` matrix (of
    its transpose when wider than tall), its columns' signs made those of R's diagonal, times
    ``gain``. Dimensions after the first are flattened.

    The normal draws are torch's; the factorisation is numpy's LAPACK (in float64), not torch's
    MKL, so the values agree with torch's to rounding (about 1e-6 for float32), not bit for bit.

    Parameters
    ----------
    tensor : Tensor
        At least 2-d (a :class:`~autograd.nn.Parameter`), filled in place; an empty one is left.
    gain : float
        The scale (default 1).
    generator : Generator or numpy.random.Generator, optional
        The random source; None (default) draws from the library's generator (see
        :func:`autograd.manual_seed`).

    Returns
    -------
    Tensor
        ``tensor`` itself.

    Raises
    ------
    TypeError
        If ``tensor`` is not a Tensor.
    ValueError
        If ``tensor`` has fewer than 2 dimensions (torch's message).
    """
    data = _data("orthogonal_", tensor)
    if data.ndim < 2:
        raise ValueError(
            f"Only tensors with 2 or more dimensions are supported (orthogonal_ got shape {data.shape})"
        )
    if data.size == 0:
        return tensor
    rows = data.shape[0]
    work = np.empty((rows, data.size // rows), _work(data).dtype)
    flat = fill_normal(_generator(generator, "orthogonal_"), work, 0.0, 1.0).astype(np.float64)
    wide = rows < flat.shape[1]
    q, r = np.linalg.qr(flat.T if wide else flat)
    q = q * np.sign(np.diag(r))
    q = (q.T if wide else q).astype(work.dtype)
    return _fill(tensor, (q * _scalar(work, gain)).reshape(data.shape))


def sparse_(tensor: Tensor, sparsity: float, std: float = 0.01, generator: Any = None) -> Tensor:
    """Fill a 2-d ``tensor`` as a sparse matrix (``torch.nn.init.sparse_``, Martens 2010): N(0, std²)
    everywhere, then in each column ``ceil(sparsity·rows)`` entries, picked by a ``randperm`` of the
    rows, set to 0.

    As torch, the normal draws come from ``generator`` but the permutations from the library's
    default generator (torch 2.13's ``sparse_`` does not pass ``generator`` to ``randperm``).

    Parameters
    ----------
    tensor : Tensor
        A 2-d tensor (a :class:`~autograd.nn.Parameter`), filled in place.
    sparsity : float
        The fraction of each column set to zero.
    std : float
        The standard deviation of the nonzero entries (default 0.01).
    generator : Generator or numpy.random.Generator, optional
        The random source of the normal draws; None (default) draws from the library's generator
        (see :func:`autograd.manual_seed`).

    Returns
    -------
    Tensor
        ``tensor`` itself.

    Raises
    ------
    TypeError
        If ``tensor`` is not a Tensor.
    ValueError
        If ``tensor`` is not 2-d (torch's message).
    """
    data = _data("sparse_", tensor)
    if data.ndim != 2:
        raise ValueError(f"Only tensors with 2 dimensions are supported (sparse_ got shape {data.shape})")
    rows, cols = data.shape
    num_zeros = math.ceil(sparsity * rows)
    normal_(tensor, 0.0, std, generator)
    permutations = _generator(None, "sparse_")
    for col in range(cols):
        data[permutations.permutation(rows)[:num_zeros], col] = 0.0
    return tensor


__all__ = [
    "calculate_gain",
    "uniform_",
    "normal_",
    "constant_",
    "ones_",
    "zeros_",
    "eye_",
    "dirac_",
    "xavier_uniform_",
    "xavier_normal_",
    "kaiming_uniform_",
    "kaiming_normal_",
    "trunc_normal_",
    "orthogonal_",
    "sparse_",
]
