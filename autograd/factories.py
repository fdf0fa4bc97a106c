"""Tensor factories with torch's names: ``zeros``, ``ones``, ``full``, ``rand``, ``randn``, ``arange``,
``eye``, ``zeros_like``, ``ones_like``.

Each returns a leaf ``Tensor`` (float64 unless ``dtype`` says float32) and takes ``requires_grad``.
They are reachable as ``autograd.zeros(...)`` and as ``Tensor.zeros(...)``. Sizes are given as
torch does, ``zeros(2, 3)`` or ``zeros((2, 3))``. Random factories draw from numpy: pass ``seed``
(an int, or a ``numpy.random.Generator`` to continue its stream).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import _tensor


def _size(op: str, size: tuple[Any, ...]) -> tuple[int, ...]:
    """The shape from ``zeros(2, 3)`` or ``zeros((2, 3))``; a clear error for anything else."""
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = tuple(size[0])
    for n in size:
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
            raise TypeError(
                f"{op}: size must be non-negative ints, e.g. {op}(2, 3) or {op}((2, 3)); got {size!r}"
            )
    return tuple(int(n) for n in size)


def _leaf(op: str, data: np.ndarray, dtype: Any, requires_grad: bool) -> _tensor.Tensor:
    return _tensor.Tensor(data, requires_grad=requires_grad, dtype=np.float64 if dtype is None else dtype)


def _generator(seed: Any, op: str) -> np.random.Generator:
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None or (isinstance(seed, (int, np.integer)) and not isinstance(seed, bool)):
        return np.random.default_rng(seed)
    raise TypeError(f"{op}: seed must be an int, a numpy.random.Generator or None, got {seed!r}")


def zeros(*size: Any, dtype: Any = None, requires_grad: bool = False) -> _tensor.Tensor:
    """A tensor of zeros of the given size."""
    return _leaf("zeros", np.zeros(_size("zeros", size)), dtype, requires_grad)


def ones(*size: Any, dtype: Any = None, requires_grad: bool = False) -> _tensor.Tensor:
    """A tensor of ones of the given size."""
    return _leaf("ones", np.ones(_size("ones", size)), dtype, requires_grad)


def full(size: Any, fill_value: float, *, dtype: Any = None, requires_grad: bool = False) -> _tensor.Tensor:
    """A tensor of the given size (an int or a tuple) filled with ``fill_value``."""
    shape = _size("full", size if isinstance(size, (tuple, list)) else (size,))
    if isinstance(fill_value, bool) or not isinstance(fill_value, (int, float, np.integer, np.floating)):
        raise TypeError(f"full: fill_value must be a real number, got {fill_value!r}")
    return _leaf("full", np.full(shape, float(fill_value)), dtype, requires_grad)


def rand(*size: Any, seed: Any = None, dtype: Any = None, requires_grad: bool = False) -> _tensor.Tensor:
    """Uniform samples on [0, 1)."""
    shape = _size("rand", size)
    return _leaf("rand", _generator(seed, "rand").random(shape), dtype, requires_grad)


def randn(*size: Any, seed: Any = None, dtype: Any = None, requires_grad: bool = False) -> _tensor.Tensor:
    """Standard normal samples."""
    shape = _size("randn", size)
    return _leaf("randn", _generator(seed, "randn").standard_normal(shape), dtype, requires_grad)


def arange(
    start: float, end: float | None = None, step: float = 1, *, dtype: Any = None, requires_grad: bool = False
) -> _tensor.Tensor:
    """start, start + step, ... up to (not including) ``end``; ``arange(n)`` is 0 .. n-1.
    The result holds floats (torch gives int64 for int arguments; Tensors here are float)."""
    for name, x in (("start", start), ("end", end), ("step", step)):
        if x is not None and (
            isinstance(x, bool) or not isinstance(x, (int, float, np.integer, np.floating))
        ):
            raise TypeError(f"arange: {name} must be a real number, got {x!r}")
    if step == 0:
        raise ValueError("arange: step must be nonzero, got 0")
    start, end = (0, start) if end is None else (start, end)
    return _leaf("arange", np.arange(start, end, step, dtype=np.float64), dtype, requires_grad)


def eye(n: int, m: int | None = None, *, dtype: Any = None, requires_grad: bool = False) -> _tensor.Tensor:
    """The n×m identity matrix (n×n when ``m`` is None)."""
    rows, cols = _size("eye", (n, n if m is None else m))
    return _leaf("eye", np.eye(rows, cols), dtype, requires_grad)


def zeros_like(x: Any, *, dtype: Any = None, requires_grad: bool = False) -> _tensor.Tensor:
    """Zeros with ``x``'s shape, and its dtype if it is a float32/float64 array or Tensor."""
    return _like("zeros_like", x, 0.0, dtype, requires_grad)


def ones_like(x: Any, *, dtype: Any = None, requires_grad: bool = False) -> _tensor.Tensor:
    """Ones with ``x``'s shape (see ``zeros_like``)."""
    return _like("ones_like", x, 1.0, dtype, requires_grad)


def _like(op: str, x: Any, fill: float, dtype: Any, requires_grad: bool) -> _tensor.Tensor:
    data = _tensor.as_float_array(x, None, f"{op}(x)")
    return _tensor.Tensor(np.full(data.shape, fill, data.dtype), requires_grad=requires_grad, dtype=dtype)


__all__ = ["zeros", "ones", "full", "rand", "randn", "arange", "eye", "zeros_like", "ones_like"]
