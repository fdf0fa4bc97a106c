"""Tensor factories with torch's names: ``zeros``, ``ones``, ``full``, ``rand``, ``randn``, ``arange``,
``eye``, ``zeros_like``, ``ones_like``, ``rand_like``, ``randn_like``; and the library's random
generator, seeded by ``manual_seed``.

Each factory returns a leaf ``Tensor`` (float64 unless ``dtype`` says float32) and takes
``requires_grad``. They are reachable as ``autograd.zeros(...)`` and as ``Tensor.zeros(...)``. Sizes
are given as torch does, ``zeros(2, 3)`` or ``zeros((2, 3))``.

Randomness: one library-wide default generator (a ``numpy.random.Generator``) serves every draw
that is not given its own ``seed``/``generator``: ``rand``, ``randn``, ``rand_like``, ``randn_like``,
``nn.Dropout``, ``nn.init`` and ``nn.Linear``'s initial weights. ``manual_seed(0)`` makes all of them
reproducible, as ``torch.manual_seed`` does (the numbers are numpy's, not torch's stream).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ._tensor import Tensor, as_float_array


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


def _leaf(op: str, data: np.ndarray, dtype: Any, requires_grad: bool) -> Tensor:
    return Tensor(data, requires_grad=requires_grad, dtype=np.float64 if dtype is None else dtype)


_DEFAULT: np.random.Generator | None = None  # made on first use (numpy.random takes 10+ ms to import)


def _is_seed(seed: Any) -> bool:
    return isinstance(seed, (int, np.integer)) and not isinstance(seed, bool) and seed >= 0


def manual_seed(seed: int) -> np.random.Generator:
    """Seed the library's default generator, as ``torch.manual_seed``; returns that generator.

    After ``manual_seed(0)``, ``randn(3)``, dropout masks, ``nn.init`` and the initial weights of
    ``nn.Linear`` repeat from run to run. The same generator object is reseeded in place, so a
    reference taken earlier (``default_generator()``) follows the new seed too.

    Parameters
    ----------
    seed : int
        A non-negative int.

    Returns
    -------
    numpy.random.Generator
        The default generator, reseeded.

    Raises
    ------
    TypeError
        If ``seed`` is not a non-negative int.

    Examples
    --------
    >>> from autograd import manual_seed, randn
    >>> _ = manual_seed(0); a = randn(3)
    >>> _ = manual_seed(0); bool((randn(3).data == a.data).all())
    True
    """
    if not _is_seed(seed):
        raise TypeError(f"manual_seed: seed must be a non-negative int, got {type(seed).__name__} {seed!r}")
    default = default_generator()
    default.bit_generator.state = np.random.PCG64(int(seed)).state
    return default


def default_generator() -> np.random.Generator:
    """The library-wide generator that draws without an explicit seed use (see ``manual_seed``)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = np.random.default_rng()
    return _DEFAULT


def generator(seed: Any = None, op: str = "generator") -> np.random.Generator:
    """The generator for a draw: ``seed`` itself if it is a numpy Generator, a new one seeded by an
    int, or the library's default generator for None.

    Raises
    ------
    TypeError
        If ``seed`` is none of these; the message names ``op``.
    """
    if seed is None:
        return default_generator()
    if isinstance(seed, np.random.Generator):
        return seed
    if _is_seed(seed):
        return np.random.default_rng(int(seed))
    raise TypeError(f"{op}: seed must be a non-negative int, a numpy.random.Generator or None, got {seed!r}")


def _draw_from(seed: Any, gen: Any, op: str) -> np.random.Generator:
    """``seed=`` or torch's ``generator=`` (a numpy Generator here); not both."""
    if gen is not None:
        if seed is not None:
            raise TypeError(f"{op}: got both seed and generator; pass one of them (they mean the same)")
        seed = gen
    return generator(seed, op)


def zeros(*size: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
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


def ones(*size: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
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


def full(size: Any, fill_value: float, *, dtype: Any = None, requires_grad: bool = False) -> Tensor:
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


def rand(
    *size: Any, seed: Any = None, generator: Any = None, dtype: Any = None, requires_grad: bool = False
) -> Tensor:
    """Samples from the uniform distribution on [0, 1) (``torch.rand``).

    Parameters
    ----------
    *size : int or tuple of int
        The shape, as torch takes it: ``rand(2, 3)`` or ``rand((2, 3))``.
    seed : int or numpy.random.Generator, optional
        The random source: an int seeds a new generator, a Generator continues its stream; None
        (default) draws from the library's default generator (see :func:`~autograd.manual_seed`).
    generator : numpy.random.Generator, optional
        torch's spelling of ``seed=`` with a Generator; give one of the two.
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
        If the size is not made of non-negative ints, ``seed`` is not a non-negative int, a
        Generator or None, or both ``seed`` and ``generator`` are given.
    """
    shape = _size("rand", size)
    return _leaf("rand", _draw_from(seed, generator, "rand").random(shape), dtype, requires_grad)


def randn(
    *size: Any, seed: Any = None, generator: Any = None, dtype: Any = None, requires_grad: bool = False
) -> Tensor:
    """Samples from the standard normal distribution (``torch.randn``).

    Parameters
    ----------
    *size : int or tuple of int
        The shape, as torch takes it: ``randn(2, 3)`` or ``randn((2, 3))``.
    seed : int or numpy.random.Generator, optional
        The random source: an int seeds a new generator, a Generator continues its stream; None
        (default) draws from the library's default generator (see :func:`~autograd.manual_seed`).
    generator : numpy.random.Generator, optional
        torch's spelling of ``seed=`` with a Generator; give one of the two.
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
        If the size is not made of non-negative ints, ``seed`` is not a non-negative int, a
        Generator or None, or both ``seed`` and ``generator`` are given.
    """
    shape = _size("randn", size)
    return _leaf("randn", _draw_from(seed, generator, "randn").standard_normal(shape), dtype, requires_grad)


def arange(
    start: float, end: float | None = None, step: float = 1, *, dtype: Any = None, requires_grad: bool = False
) -> Tensor:
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
    TypeError
        If ``start``, ``end`` or ``step`` is not a real number.
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


def eye(n: int, m: int | None = None, *, dtype: Any = None, requires_grad: bool = False) -> Tensor:
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


def zeros_like(x: Any, *, dtype: Any = None, requires_grad: bool = False) -> Tensor:
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
    return _like("zeros_like", x, np.zeros, dtype, requires_grad)


def ones_like(x: Any, *, dtype: Any = None, requires_grad: bool = False) -> Tensor:
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
    return _like("ones_like", x, np.ones, dtype, requires_grad)


def rand_like(
    x: Any, *, seed: Any = None, generator: Any = None, dtype: Any = None, requires_grad: bool = False
) -> Tensor:
    """Uniform samples on [0, 1) of ``x``'s shape (``torch.rand_like``), and its dtype as in
    :func:`zeros_like`.

    Parameters
    ----------
    x : array_like or Tensor
        The template.
    seed : int or numpy.random.Generator, optional
        The random source, as in :func:`rand`.
    generator : numpy.random.Generator, optional
        torch's spelling of ``seed=`` with a Generator; give one of the two.
    dtype : str or numpy.dtype, optional
        Overrides ``x``'s dtype.
    requires_grad : bool
        Whether the leaf records the operations on it (default False).

    Returns
    -------
    Tensor
        A leaf tensor.

    Raises
    ------
    TypeError
        If ``seed`` is not a non-negative int, a Generator or None, or both ``seed`` and
        ``generator`` are given.
    """
    return _like("rand_like", x, _draw_from(seed, generator, "rand_like").random, dtype, requires_grad)


def randn_like(
    x: Any, *, seed: Any = None, generator: Any = None, dtype: Any = None, requires_grad: bool = False
) -> Tensor:
    """Standard normal samples of ``x``'s shape (``torch.randn_like``), and its dtype as in
    :func:`zeros_like`.

    Parameters
    ----------
    x : array_like or Tensor
        The template.
    seed : int or numpy.random.Generator, optional
        The random source, as in :func:`rand`.
    generator : numpy.random.Generator, optional
        torch's spelling of ``seed=`` with a Generator; give one of the two.
    dtype : str or numpy.dtype, optional
        Overrides ``x``'s dtype.
    requires_grad : bool
        Whether the leaf records the operations on it (default False).

    Returns
    -------
    Tensor
        A leaf tensor.

    Raises
    ------
    TypeError
        If ``seed`` is not a non-negative int, a Generator or None, or both ``seed`` and
        ``generator`` are given.
    """
    draw = _draw_from(seed, generator, "randn_like").standard_normal
    return _like("randn_like", x, draw, dtype, requires_grad)


def _like(
    op: str, x: Any, values: Callable[[tuple[int, ...]], np.ndarray], dtype: Any, requires_grad: bool
) -> Tensor:
    """``values(shape)`` with ``x``'s shape, in ``x``'s dtype unless ``dtype`` is given."""
    data = as_float_array(x, None, f"{op}(x)")
    return Tensor(values(data.shape).astype(data.dtype), requires_grad=requires_grad, dtype=dtype)


__all__ = [
    "zeros",
    "ones",
    "full",
    "rand",
    "randn",
    "arange",
    "eye",
    "zeros_like",
    "ones_like",
    "rand_like",
    "randn_like",
    "manual_seed",
    "default_generator",
    "generator",
]

# torch's Tensor.zeros, Tensor.ones, ...: the same functions (the Tensor module does not import this one)
for _name in ("zeros", "ones", "full", "rand", "randn", "arange", "eye", "zeros_like", "ones_like"):
    setattr(Tensor, _name, staticmethod(globals()[_name]))
del _name
