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

from . import tensor as _tensor


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
    """A tensor of zeros (``torch.zeros``).

    Parameters
    ----------
    *size : int or tuple of int
        The shape, as torch takes it: ``zeros(2, 3)`` or ``zeros((2, 3))``.
    dtype : str or numpy.dtype, optional
        ``"float32"`` or ``"float64"`` (default float64).
    requires_grad : bool
        Whether the leaf records the operations on it (default False).

    Returns
    -------
    Tensor
        A leaf tensor.

    Raises
    ------
    TypeError
        If the size is not made of non-negative ints.
    """
    return _leaf("zeros", np.zeros(_size("zeros", size)), dtype, requires_grad)


def ones(*size: Any, dtype: Any = None, requires_grad: bool = False) -> _tensor.Tensor:
    """A tensor of ones (``torch.ones``).

    Parameters
    ----------
    *size : int or tuple of int
        The shape, as torch takes it: ``zeros(2, 3)`` or ``zeros((2, 3))``.
    dtype : str or numpy.dtype, optional
        ``"float32"`` or ``"float64"`` (default float64).
    requires_grad : bool
        Whether the leaf records the operations on it (default False).

    Returns
    -------
    Tensor
        A leaf tensor.

    Raises
    ------
    TypeError
        If the size is not made of non-negative ints.
    """
    return _leaf("ones", np.ones(_size("ones", size)), dtype, requires_grad)


def full(size: Any, fill_value: float, *, dtype: Any = None, requires_grad: bool = False) -> _tensor.Tensor:
    """A tensor filled with ``fill_value`` (``torch.full``).

    Parameters
    ----------
    size : int or tuple of int
        The shape.
    fill_value : float
        The value of every element.
    dtype : str or numpy.dtype, optional
        ``"float32"`` or ``"float64"`` (default float64).
    requires_grad : bool
        Whether the leaf records the operations on it (default False).

    Returns
    -------
    Tensor
        A leaf tensor.

    Raises
    ------
    TypeError
        If the size is not made of non-negative ints, or ``fill_value`` is not a real number.
    """
    shape = _size("full", size if isinstance(size, (tuple, list)) else (size,))
    if isinstance(fill_value, bool) or not isinstance(fill_value, (int, float, np.integer, np.floating)):
        raise TypeError(f"full: fill_value must be a real number, got {fill_value!r}")
    return _leaf("full", np.full(shape, float(fill_value)), dtype, requires_grad)


def rand(*size: Any, seed: Any = None, dtype: Any = None, requires_grad: bool = False) -> _tensor.Tensor:
    """Samples from the uniform distribution on [0, 1) (``torch.rand``).

    Parameters
    ----------
    *size : int or tuple of int
        The shape, as torch takes it: ``zeros(2, 3)`` or ``zeros((2, 3))``.
    seed : int or numpy.random.Generator, optional
        The random source; a Generator continues its stream (as torch's ``generator=``).
    dtype : str or numpy.dtype, optional
        ``"float32"`` or ``"float64"`` (default float64).
    requires_grad : bool
        Whether the leaf records the operations on it (default False).

    Returns
    -------
    Tensor
        A leaf tensor.

    Raises
    ------
    TypeError
        If the size is not made of non-negative ints, or ``seed`` is not an int, a Generator or
        None.
    """
    shape = _size("rand", size)
    return _leaf("rand", _generator(seed, "rand").random(shape), dtype, requires_grad)


def randn(*size: Any, seed: Any = None, dtype: Any = None, requires_grad: bool = False) -> _tensor.Tensor:
    """Samples from the standard normal distribution (``torch.randn``).

    Parameters
    ----------
    *size : int or tuple of int
        The shape, as torch takes it: ``zeros(2, 3)`` or ``zeros((2, 3))``.
    seed : int or numpy.random.Generator, optional
        The random source; a Generator continues its stream (as torch's ``generator=``).
    dtype : str or numpy.dtype, optional
        ``"float32"`` or ``"float64"`` (default float64).
    requires_grad : bool
        Whether the leaf records the operations on it (default False).

    Returns
    -------
    Tensor
        A leaf tensor.

    Raises
    ------
    TypeError
        If the size is not made of non-negative ints, or ``seed`` is not an int, a Generator or
        None.
    """
    shape = _size("randn", size)
    return _leaf("randn", _generator(seed, "randn").standard_normal(shape), dtype, requires_grad)


def arange(
    start: float, end: float | None = None, step: float = 1, *, dtype: Any = None, requires_grad: bool = False
) -> _tensor.Tensor:
    """``start, start + step, ...`` up to, not including, ``end`` (``torch.arange``); ``arange(n)`` is
    0 .. n-1.

    The result holds floats (torch gives int64 for int arguments; tensors here are float).

    Parameters
    ----------
    start : float
        The first value, or the end when ``end`` is None (then the start is 0).
    end : float, optional
        The bound, not included.
    step : float
        The spacing (nonzero, default 1).
    dtype : str or numpy.dtype, optional
        ``"float32"`` or ``"float64"`` (default float64).
    requires_grad : bool
        Whether the leaf records the operations on it (default False).

    Returns
    -------
    Tensor
        A leaf tensor.

    Raises
    ------
    ValueError
        If ``step`` is 0.
    """
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
    """The identity matrix, ``n`` × ``m`` (``torch.eye``).

    Parameters
    ----------
    n : int
        The number of rows.
    m : int, optional
        The number of columns (default ``n``).
    dtype : str or numpy.dtype, optional
        ``"float32"`` or ``"float64"`` (default float64).
    requires_grad : bool
        Whether the leaf records the operations on it (default False).

    Returns
    -------
    Tensor
        A leaf tensor.

    Raises
    ------
    TypeError
        If the size is not made of non-negative ints.
    """
    rows, cols = _size("eye", (n, n if m is None else m))
    return _leaf("eye", np.eye(rows, cols), dtype, requires_grad)


def zeros_like(x: Any, *, dtype: Any = None, requires_grad: bool = False) -> _tensor.Tensor:
    """Zeros of ``x``'s shape (``torch.zeros_like``), and its dtype if it is a float32 or float64 array
    or Tensor.

    Parameters
    ----------
    x : array_like or Tensor
        The template.
    dtype : str or numpy.dtype, optional
        Overrides ``x``'s dtype.
    requires_grad : bool
        Whether the leaf records the operations on it (default False).

    Returns
    -------
    Tensor
        A leaf tensor.
    """
    return _like("zeros_like", x, 0.0, dtype, requires_grad)


def ones_like(x: Any, *, dtype: Any = None, requires_grad: bool = False) -> _tensor.Tensor:
    """Ones of ``x``'s shape (``torch.ones_like``), and its dtype if it is a float32 or float64 array
    or Tensor.

    Parameters
    ----------
    x : array_like or Tensor
        The template.
    dtype : str or numpy.dtype, optional
        Overrides ``x``'s dtype.
    requires_grad : bool
        Whether the leaf records the operations on it (default False).

    Returns
    -------
    Tensor
        A leaf tensor.
    """
    return _like("ones_like", x, 1.0, dtype, requires_grad)


def _like(op: str, x: Any, fill: float, dtype: Any, requires_grad: bool) -> _tensor.Tensor:
    data = _tensor.as_float_array(x, None, f"{op}(x)")
    return _tensor.Tensor(np.full(data.shape, fill, data.dtype), requires_grad=requires_grad, dtype=dtype)


__all__ = ["zeros", "ones", "full", "rand", "randn", "arange", "eye", "zeros_like", "ones_like"]
