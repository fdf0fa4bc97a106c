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


_DEFAULT: np.random.Generator | None = None  # made on first use (numpy.random takes 10+ ms to import)


def _is_seed(seed: Any) -> bool:
    return isinstance(seed, (int, np.integer)) and not isinstance(seed, bool) and seed >= 0


def manual_seed(seed: int) -> np.random.Generator:
    """Seed the library's default generator, as ``torch.manual_seed``; returns that generator.

    After ``manual_seed(0)``, ``randn(3)``, dropout masks, ``nn.init`` and the initial weights of
    ``nn.Linear`` repeat from run to run. The same generator object is reseeded in place, so a
    reference taken earlier (``default_generator()``) follows the new seed too.

    Raises:
        TypeError: ``seed`` is not a non-negative int.
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

    Raises:
        TypeError: ``seed`` is none of these; the message names ``op``.
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


def rand(
    *size: Any, seed: Any = None, generator: Any = None, dtype: Any = None, requires_grad: bool = False
) -> _tensor.Tensor:
    """Uniform samples on [0, 1), from ``seed``/``generator`` (an int or a numpy Generator) or
    the default generator (see ``manual_seed``)."""
    shape = _size("rand", size)
    return _leaf("rand", _draw_from(seed, generator, "rand").random(shape), dtype, requires_grad)


def randn(
    *size: Any, seed: Any = None, generator: Any = None, dtype: Any = None, requires_grad: bool = False
) -> _tensor.Tensor:
    """Standard normal samples, drawn as ``rand``'s."""
    shape = _size("randn", size)
    return _leaf("randn", _draw_from(seed, generator, "randn").standard_normal(shape), dtype, requires_grad)


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
    return _like("zeros_like", x, np.zeros, dtype, requires_grad)


def ones_like(x: Any, *, dtype: Any = None, requires_grad: bool = False) -> _tensor.Tensor:
    """Ones with ``x``'s shape (see ``zeros_like``)."""
    return _like("ones_like", x, np.ones, dtype, requires_grad)


def rand_like(
    x: Any, *, seed: Any = None, generator: Any = None, dtype: Any = None, requires_grad: bool = False
) -> _tensor.Tensor:
    """``rand`` with ``x``'s shape (see ``zeros_like``)."""
    return _like("rand_like", x, _draw_from(seed, generator, "rand_like").random, dtype, requires_grad)


def randn_like(
    x: Any, *, seed: Any = None, generator: Any = None, dtype: Any = None, requires_grad: bool = False
) -> _tensor.Tensor:
    """``randn`` with ``x``'s shape (see ``zeros_like``)."""
    draw = _draw_from(seed, generator, "randn_like").standard_normal
    return _like("randn_like", x, draw, dtype, requires_grad)


def _like(
    op: str, x: Any, values: Callable[[tuple[int, ...]], np.ndarray], dtype: Any, requires_grad: bool
) -> _tensor.Tensor:
    """``values(shape)`` with ``x``'s shape, in ``x``'s dtype unless ``dtype`` is given."""
    data = _tensor.as_float_array(x, None, f"{op}(x)")
    return _tensor.Tensor(values(data.shape).astype(data.dtype), requires_grad=requires_grad, dtype=dtype)


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

# Last: tensor.py hands these factories on as Tensor.zeros, ..., so the two modules import each other;
# importing it after the definitions lets either module be imported first.
from . import _tensor  # noqa: E402
