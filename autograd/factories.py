"""Tensor factories with torch's names: ``tensor``, ``from_numpy``, ``as_tensor``, ``zeros``, ``ones``,
``full``, ``rand``, ``randn``, ``randint``, ``randperm``, ``arange``, ``linspace``, ``eye``, ``zeros_like``,
``ones_like``, ``full_like``, ``rand_like``, ``randn_like``; and the library's random generator,
seeded by ``manual_seed``.

Each factory returns a leaf ``Tensor`` and takes ``dtype``, ``requires_grad`` and ``device`` (only
"cpu"). dtypes follow torch: floats get the default dtype (float64 here, see ``set_default_dtype``;
torch's is float32), ``tensor([1, 2])``, ``arange(5)`` and ``randint`` give int64, ``tensor([True])``
bool; an integer or bool tensor cannot require grad. They are reachable as ``autograd.zeros(...)``
and as ``Tensor.zeros(...)``. Sizes are given as torch does, ``zeros(2, 3)`` or ``zeros((2, 3))``.

Randomness: one library-wide default generator (a ``numpy.random.Generator``) serves every draw
that is not given its own ``seed``/``generator``: ``rand``, ``randn``, ``randint``, ``randperm``,
the ``_like`` draws, ``uniform_``/``normal_``, ``nn.Dropout``, ``nn.init`` and ``nn.Linear``'s
initial weights. ``manual_seed(0)`` makes all of them reproducible, as ``torch.manual_seed`` does
(the numbers are numpy's, not torch's stream).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from . import dtypes


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


def _leaf(op: str, data: np.ndarray, dtype: Any, requires_grad: bool, device: Any = None) -> _tensor.Tensor:
    """A new leaf of ``data`` cast to ``dtype`` (None: the default float dtype)."""
    _cpu(op, device)
    dt = dtypes.get_default_dtype() if dtype is None else dtypes.as_dtype(dtype, op)
    if requires_grad and not dtypes.is_floating(dt):
        raise RuntimeError(f"{op}: {dtypes.NOT_DIFFERENTIABLE} (got dtype {dt})")
    return _tensor.Tensor(data, requires_grad=requires_grad, dtype=dt)


def _cpu(op: str, device: Any) -> None:
    """Accept torch's ``device=`` when it names the CPU (the only device here)."""
    name = getattr(device, "type", device)
    if device is not None and not (isinstance(name, str) and name.split(":")[0] == "cpu"):
        raise RuntimeError(
            f"{op}: device={device!r} is not supported: this library runs on numpy on the CPU; "
            "pass device='cpu' or nothing"
        )


_DEFAULT = np.random.default_rng()


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
    _DEFAULT.bit_generator.state = np.random.PCG64(int(seed)).state
    return _DEFAULT


def default_generator() -> np.random.Generator:
    """The library-wide generator that draws without an explicit seed use (see ``manual_seed``)."""
    return _DEFAULT


def generator(seed: Any = None, op: str = "generator") -> np.random.Generator:
    """The generator for a draw: ``seed`` itself if it is a numpy Generator, a new one seeded by an
    int, or the library's default generator for None.

    Raises:
        TypeError: ``seed`` is none of these; the message names ``op``.
    """
    if seed is None:
        return _DEFAULT
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


def zeros(*size: Any, dtype: Any = None, requires_grad: bool = False, device: Any = None) -> _tensor.Tensor:
    """A tensor of zeros of the given size."""
    return _leaf("zeros", np.zeros(_size("zeros", size)), dtype, requires_grad, device)


def ones(*size: Any, dtype: Any = None, requires_grad: bool = False, device: Any = None) -> _tensor.Tensor:
    """A tensor of ones of the given size."""
    return _leaf("ones", np.ones(_size("ones", size)), dtype, requires_grad, device)


def full(
    size: Any, fill_value: float, *, dtype: Any = None, requires_grad: bool = False, device: Any = None
) -> _tensor.Tensor:
    """A tensor of the given size (an int or a tuple) filled with ``fill_value``; its dtype, unless
    given, follows the value as torch's does (bool, int64, or the default float dtype)."""
    shape = _size("full", size if isinstance(size, (tuple, list)) else (size,))
    if not isinstance(fill_value, (bool, int, float, np.bool_, np.integer, np.floating)):
        raise TypeError(f"full: fill_value must be a real number or a bool, got {fill_value!r}")
    return _leaf("full", np.full(shape, fill_value), _value_dtype(fill_value, dtype), requires_grad, device)


def rand(
    *size: Any,
    seed: Any = None,
    generator: Any = None,
    dtype: Any = None,
    requires_grad: bool = False,
    device: Any = None,
) -> _tensor.Tensor:
    """Uniform samples on [0, 1), from ``seed``/``generator`` (an int or a numpy Generator) or
    the default generator (see ``manual_seed``)."""
    shape = _size("rand", size)
    return _leaf("rand", _draw_from(seed, generator, "rand").random(shape), dtype, requires_grad, device)


def randn(
    *size: Any,
    seed: Any = None,
    generator: Any = None,
    dtype: Any = None,
    requires_grad: bool = False,
    device: Any = None,
) -> _tensor.Tensor:
    """Standard normal samples, drawn as ``rand``'s."""
    shape = _size("randn", size)
    draws = _draw_from(seed, generator, "randn").standard_normal(shape)
    return _leaf("randn", draws, dtype, requires_grad, device)


def arange(
    start: float,
    end: float | None = None,
    step: float = 1,
    *,
    dtype: Any = None,
    requires_grad: bool = False,
    device: Any = None,
) -> _tensor.Tensor:
    """start, start + step, ... up to (not including) ``end``; ``arange(n)`` is 0 .. n-1. int64 when
    every argument is an int, else the default float dtype, as in torch."""
    for name, x in (("start", start), ("end", end), ("step", step)):
        if x is not None and (
            isinstance(x, bool) or not isinstance(x, (int, float, np.integer, np.floating))
        ):
            raise TypeError(f"arange: {name} must be a real number, got {x!r}")
    if step == 0:
        raise ValueError("arange: step must be nonzero, got 0")
    start, end = (0, start) if end is None else (start, end)
    ints = all(isinstance(x, (int, np.integer)) for x in (start, end, step))
    if dtype is None and ints:
        dtype = dtypes.int64
    return _leaf("arange", np.arange(start, end, step), dtype, requires_grad, device)


def eye(
    n: int, m: int | None = None, *, dtype: Any = None, requires_grad: bool = False, device: Any = None
) -> _tensor.Tensor:
    """The n×m identity matrix (n×n when ``m`` is None)."""
    rows, cols = _size("eye", (n, n if m is None else m))
    return _leaf("eye", np.eye(rows, cols), dtype, requires_grad, device)


def zeros_like(
    x: Any, *, dtype: Any = None, requires_grad: bool = False, device: Any = None
) -> _tensor.Tensor:
    """Zeros with ``x``'s shape, and its dtype (a Tensor's or an array's) unless ``dtype`` is given."""
    return _like("zeros_like", x, np.zeros, dtype, requires_grad, device)


def ones_like(
    x: Any, *, dtype: Any = None, requires_grad: bool = False, device: Any = None
) -> _tensor.Tensor:
    """Ones with ``x``'s shape (see ``zeros_like``)."""
    return _like("ones_like", x, np.ones, dtype, requires_grad, device)


def rand_like(
    x: Any,
    *,
    seed: Any = None,
    generator: Any = None,
    dtype: Any = None,
    requires_grad: bool = False,
    device: Any = None,
) -> _tensor.Tensor:
    """``rand`` with ``x``'s shape (see ``zeros_like``); an integer ``x`` needs a float ``dtype``."""
    draw = _draw_from(seed, generator, "rand_like").random
    return _like("rand_like", x, draw, dtype, requires_grad, device, floats=True)


def randn_like(
    x: Any,
    *,
    seed: Any = None,
    generator: Any = None,
    dtype: Any = None,
    requires_grad: bool = False,
    device: Any = None,
) -> _tensor.Tensor:
    """``randn`` with ``x``'s shape (see ``rand_like``)."""
    draw = _draw_from(seed, generator, "randn_like").standard_normal
    return _like("randn_like", x, draw, dtype, requires_grad, device, floats=True)


def _like(
    op: str,
    x: Any,
    values: Callable[[tuple[int, ...]], np.ndarray],
    dtype: Any,
    requires_grad: bool,
    device: Any,
    floats: bool = False,
) -> _tensor.Tensor:
    """``values(shape)`` with ``x``'s shape, in ``x``'s dtype unless ``dtype`` is given (a draw of
    floats: an integer or bool ``x`` needs a float ``dtype``, as torch's)."""
    like = x.data if isinstance(x, _tensor.Tensor) else np.asarray(x) if isinstance(x, np.ndarray) else None
    if like is None or like.dtype.kind not in "biuf":
        like = _tensor.as_float_array(x, None, f"{op}(x)")
    dt = dtypes.as_dtype(like.dtype if dtype is None else dtype, op)
    if floats and not dtypes.is_floating(dt):
        raise RuntimeError(
            f"{op}: random draws of dtype {dt} are not supported (x is {like.dtype}); pass a float dtype, "
            "e.g. dtype=autograd.float32"
        )
    return _leaf(op, values(like.shape), dt, requires_grad, device)


# ---------------------------------------------------------------------------
# From data, torch's way: tensor, from_numpy, as_tensor; and full_like, linspace, randint, randperm
# ---------------------------------------------------------------------------
def tensor(
    data: Any, *, dtype: Any = None, device: Any = None, requires_grad: bool = False, pin_memory: bool = False
) -> _tensor.Tensor:
    """A new leaf Tensor holding a copy of ``data``, as ``torch.tensor``.

    Without ``dtype`` the dtype follows the data as torch infers it: Python floats give the default
    dtype (float64 here, float32 in torch), Python ints int64, bools bool; a numpy array keeps its
    dtype (float16 becomes float32). An integer or bool tensor holds data (class indices, masks)
    and cannot require grad.

    Args:
        data: a number, nested lists/tuples of numbers, an ndarray or a Tensor (copied).
        dtype: float32, float64, an integer dtype or bool (``autograd.float64``, ``np.int64``, ...).
        device: None or "cpu" (torch's argument; other devices raise).
        requires_grad: track gradients (floating dtypes only).
        pin_memory: accepted for torch's signature.

    Raises:
        RuntimeError: ``requires_grad`` on an integer or bool tensor (torch's message), or a device
            other than the CPU.
        TypeError: data that are not real numbers or bools, or an unsupported ``dtype``.
        ValueError: ragged nested lists.
    """
    _cpu("tensor", device)
    arr = _tensor._real_array(data, "tensor(data)")
    if dtype is None:
        dtype = _inferred(data, arr)
    return _leaf("tensor", arr, dtype, requires_grad, device)


def _inferred(data: Any, arr: np.ndarray) -> np.dtype:
    """torch's dtype for ``data``: an array's (or Tensor's) own; Python data by kind."""
    if isinstance(data, (_tensor.Tensor, np.ndarray, np.generic)):
        return arr.dtype if arr.dtype.kind != "f" or arr.dtype in dtypes.FLOATS else dtypes.float32
    kind = arr.dtype.kind
    return dtypes.bool if kind == "b" else dtypes.int64 if kind in "iu" else dtypes.get_default_dtype()


def from_numpy(ndarray: np.ndarray) -> _tensor.Tensor:
    """A Tensor that shares ``ndarray``'s memory (no copy), as ``torch.from_numpy``: a change to
    either shows in the other. Its dtype is the array's (float32/float64; integer or bool arrays
    give data tensors).

    Raises:
        TypeError: ``ndarray`` is not a numpy array, or of a dtype a Tensor cannot hold (float16,
            complex, objects: convert it first, e.g. ``a.astype(np.float32)``).
    """
    if not isinstance(ndarray, np.ndarray):
        raise TypeError(f"from_numpy: expected np.ndarray (got {type(ndarray).__name__})")
    kind = ndarray.dtype.kind
    if not (ndarray.dtype in dtypes.FLOATS or kind in "biu"):
        raise TypeError(
            f"from_numpy: can't share an array of dtype {ndarray.dtype}: a Tensor holds float32, float64, "
            "integers or bools; convert a copy, e.g. from_numpy(a.astype(np.float32))"
        )
    return _tensor.Tensor._node(ndarray)


def as_tensor(data: Any, dtype: Any = None, device: Any = None) -> _tensor.Tensor:
    """``data`` as a Tensor without copying when it can be shared, as ``torch.as_tensor``: a Tensor
    of that dtype is returned as it is, an ndarray of that dtype is shared (``from_numpy``);
    anything else is copied (``tensor``)."""
    _cpu("as_tensor", device)
    target = None if dtype is None else dtypes.as_dtype(dtype, "as_tensor")
    if isinstance(data, _tensor.Tensor):
        return data if target in (None, data.data.dtype) else data.to(target)
    if (
        isinstance(data, np.ndarray)
        and target in (None, data.dtype)
        and (data.dtype in dtypes.FLOATS or data.dtype.kind in "biu")
    ):
        return from_numpy(data)
    return tensor(data, dtype=dtype)


def full_like(
    input: Any, fill_value: Any, *, dtype: Any = None, requires_grad: bool = False, device: Any = None
) -> _tensor.Tensor:
    """``fill_value`` everywhere, with ``input``'s shape and dtype unless ``dtype`` is given."""
    if not isinstance(fill_value, (bool, int, float, np.bool_, np.integer, np.floating)):
        raise TypeError(f"full_like: fill_value must be a real number or a bool, got {fill_value!r}")
    return _like("full_like", input, lambda shape: np.full(shape, fill_value), dtype, requires_grad, device)


def linspace(
    start: float,
    end: float,
    steps: int,
    *,
    dtype: Any = None,
    requires_grad: bool = False,
    device: Any = None,
) -> _tensor.Tensor:
    """``steps`` evenly spaced values from ``start`` to ``end``, both included (as ``torch.linspace``)."""
    for name, x in (("start", start), ("end", end)):
        if isinstance(x, bool) or not isinstance(x, (int, float, np.integer, np.floating)):
            raise TypeError(f"linspace: {name} must be a real number, got {x!r}")
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 0:
        raise TypeError(f"linspace: steps must be a non-negative int, got {steps!r}")
    return _leaf("linspace", np.linspace(start, end, int(steps)), dtype, requires_grad, device)


def randint(
    low: int,
    high: Any = None,
    size: Any = None,
    *,
    seed: Any = None,
    generator: Any = None,
    dtype: Any = None,
    requires_grad: bool = False,
    device: Any = None,
) -> _tensor.Tensor:
    """Integers drawn uniformly from [low, high) (``randint(high, size)``: from [0, high)), int64
    unless ``dtype`` says otherwise, drawn as ``rand``'s."""
    if size is None:
        low, high, size = 0, low, high
    for name, x in (("low", low), ("high", high)):
        if isinstance(x, bool) or not isinstance(x, (int, np.integer)):
            raise TypeError(f"randint: {name} must be an int, got {x!r}")
    if not low < high:
        raise RuntimeError(
            f"randint: random_ expects 'from' to be less than 'to', but got from={low} >= to={high}"
        )
    shape = _size("randint", size if isinstance(size, (tuple, list)) else (size,))
    draws = _draw_from(seed, generator, "randint").integers(low, high, shape)
    return _leaf("randint", draws, dtypes.int64 if dtype is None else dtype, requires_grad, device)


def randperm(
    n: int, *, seed: Any = None, generator: Any = None, dtype: Any = None, device: Any = None
) -> _tensor.Tensor:
    """A random permutation of 0 .. n-1 (int64), drawn as ``rand``'s."""
    (count,) = _size("randperm", (n,))
    draws = _draw_from(seed, generator, "randperm").permutation(count)
    return _leaf("randperm", draws, dtypes.int64 if dtype is None else dtype, False, device)


def _value_dtype(value: Any, dtype: Any) -> Any:
    """``dtype``, or torch's dtype for a fill value: bool, int64, or the default float dtype."""
    if dtype is not None:
        return dtype
    if isinstance(value, (bool, np.bool_)):
        return dtypes.bool
    return dtypes.int64 if isinstance(value, (int, np.integer)) else None


__all__ = [
    "tensor",
    "from_numpy",
    "as_tensor",
    "full_like",
    "linspace",
    "randint",
    "randperm",
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
