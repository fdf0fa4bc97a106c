"""Tensor factories with torch's names: ``tensor``, ``from_numpy``, ``as_tensor``, ``zeros``, ``ones``,
``full``, ``rand``, ``randn``, ``randint``, ``randperm``, ``arange``, ``linspace``, ``eye``, ``zeros_like``,
``ones_like``, ``full_like``, ``rand_like``, ``randn_like``; and, from ``autograd.random_state``,
the library's random generator seeded by ``manual_seed``.

Each factory returns a leaf ``Tensor`` and takes ``dtype``, ``requires_grad`` and ``device`` (only
"cpu"). dtypes follow torch: floats get the default dtype (float64 here, see ``set_default_dtype``;
torch's is float32), ``tensor([1, 2])``, ``arange(5)`` and ``randint`` give int64, ``tensor([True])``
bool; an integer or bool tensor cannot require grad. They are reachable as ``autograd.zeros(...)``
and as ``Tensor.zeros(...)``. Sizes are given as torch does, ``zeros(2, 3)`` or ``zeros((2, 3))``.

Randomness: every draw not given its own ``seed``/``generator`` comes from the library's default
generator (see ``autograd.random_state``); ``manual_seed(0)`` makes them all reproducible.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from . import _tensor, devices, dtypes, meta, out_arguments, random_state
from ._errors import DtypeError, SizeError
from .random_state import default_generator, generator, manual_seed


def _into(out: Any, result: Any, name: str) -> Any:
    """torch's ``out=``: ``result`` written into ``out``, which is returned (see
    :func:`autograd.out_arguments.write`)."""
    return result if out is None else out_arguments.write(out, result, name)


def _size(op: str, size: tuple[Any, ...]) -> tuple[int, ...]:
    """The shape from ``zeros(2, 3)`` or ``zeros((2, 3))``; a clear error for anything else."""
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = tuple(size[0])
    for n in size:
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
            raise (SizeError if isinstance(n, (int, np.integer)) and not isinstance(n, bool) else TypeError)(
                f"{op}: size must be non-negative ints, e.g. {op}(2, 3) or {op}((2, 3)); got {size!r}"
            )
    return tuple(int(n) for n in size)


def _leaf(op: str, data: np.ndarray, dtype: Any, requires_grad: bool, device: Any = None) -> _tensor.Tensor:
    """A new leaf of ``data`` cast to ``dtype`` (None: the default float dtype); on the meta device
    (``autograd/meta.py``) when ``device`` names it, or is None inside ``with device("meta")``."""
    on_meta = devices.is_meta(device)
    _cpu(op, None if on_meta else device)
    dt = dtypes.get_default_dtype() if dtype is None else dtypes.as_dtype(dtype, op)
    if requires_grad and not dtypes.is_floating(dt):
        raise RuntimeError(f"{op}: {dtypes.NOT_DIFFERENTIABLE} (got dtype {dt})")
    t = _tensor.Tensor(data, requires_grad=requires_grad, dtype=dt)
    if on_meta:
        t.data = meta.meta_array(t.data.shape, t.data.dtype)
    return t


def _cpu(op: str, device: Any) -> None:
    """Accept torch's ``device=`` when it names the CPU (the only device here)."""
    name = getattr(device, "type", device)
    if device is not None and not (isinstance(name, str) and name.split(":")[0] == "cpu"):
        raise RuntimeError(
            f"{op}: device={device!r} is not supported: this library runs on numpy on the CPU; "
            "pass device='cpu' or nothing"
        )


def _draw_from(seed: Any, gen: Any, op: str) -> np.random.Generator:
    """``seed=`` or torch's ``generator=`` (a numpy Generator here); not both."""
    if gen is not None:
        if seed is not None:
            raise TypeError(f"{op}: got both seed and generator; pass one of them (they mean the same)")
        seed = gen
    return generator(seed, op)


def _float_draw(rng: Any, method: str, shape: tuple[int, ...], dtype: Any) -> np.ndarray:
    """``rng.random(shape)`` or ``rng.standard_normal(shape)``: torch's stream of ``dtype`` (see
    ``random_state.draw_dtype``) from the library's generators, numpy's from a numpy Generator."""
    if isinstance(rng, random_state.Draws):
        return getattr(rng, method)(shape, dtype=random_state.draw_dtype(dtype))
    return getattr(rng, method)(shape)


def zeros(*size: Any, dtype: Any = None, requires_grad: bool = False, device: Any = None) -> _tensor.Tensor:
    """A tensor of zeros (``torch.zeros``).

    Parameters
    ----------
    *size : int or tuple of int
        The shape, as torch takes it: ``zeros(2, 3)`` or ``zeros((2, 3))``.
    dtype : numpy.dtype, optional
        ``autograd.float32``, ``float64``, ``int64``, ``bool`` or a numpy dtype (default: the default
        float dtype).
    requires_grad : bool
        Whether the leaf records the operations on it (default False; floating dtypes only).
    device : str, optional
        None or ``"cpu"`` (torch's argument; this library runs on the CPU).

    Returns
    -------
    Tensor
        A leaf tensor.

    Raises
    ------
    TypeError
        If the size is not made of non-negative ints.
    RuntimeError
        If ``requires_grad`` is set for an integer or bool dtype, or a device other than the CPU is given.
    """
    return _leaf("zeros", np.zeros(_size("zeros", size)), dtype, requires_grad, device)


def ones(*size: Any, dtype: Any = None, requires_grad: bool = False, device: Any = None) -> _tensor.Tensor:
    """A tensor of ones (``torch.ones``).

    Parameters
    ----------
    *size : int or tuple of int
        The shape, as torch takes it: ``ones(2, 3)`` or ``ones((2, 3))``.
    dtype : numpy.dtype, optional
        ``autograd.float32``, ``float64``, ``int64``, ``bool`` or a numpy dtype (default: the default
        float dtype).
    requires_grad : bool
        Whether the leaf records the operations on it (default False; floating dtypes only).
    device : str, optional
        None or ``"cpu"`` (torch's argument; this library runs on the CPU).

    Returns
    -------
    Tensor
        A leaf tensor.

    Raises
    ------
    TypeError
        If the size is not made of non-negative ints.
    RuntimeError
        If ``requires_grad`` is set for an integer or bool dtype, or a device other than the CPU is given.
    """
    return _leaf("ones", np.ones(_size("ones", size)), dtype, requires_grad, device)


def full(
    size: Any, fill_value: float, *, dtype: Any = None, requires_grad: bool = False, device: Any = None
) -> _tensor.Tensor:
    """A tensor filled with ``fill_value`` (``torch.full``).

    Parameters
    ----------
    size : int or tuple of int
        The shape.
    fill_value : float, int or bool
        The value of every element; without ``dtype`` it sets the dtype as in torch (bool, int64,
        or the default float dtype).
    dtype : numpy.dtype, optional
        ``autograd.float32``, ``float64``, ``int64``, ``bool`` or a numpy dtype (default: from
        ``fill_value``).
    requires_grad : bool
        Whether the leaf records the operations on it (default False; floating dtypes only).
    device : str, optional
        None or ``"cpu"`` (torch's argument; this library runs on the CPU).

    Returns
    -------
    Tensor
        A leaf tensor.

    Raises
    ------
    TypeError
        If the size is not made of non-negative ints, or ``fill_value`` is not a real number or a bool.
    RuntimeError
        If ``requires_grad`` is set for an integer or bool dtype, or a device other than the CPU is given.
    """
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
    out: Any = None,
) -> _tensor.Tensor:
    """Samples from the uniform distribution on [0, 1) (``torch.rand``).

    Parameters
    ----------
    *size : int or tuple of int
        The shape, as torch takes it: ``rand(2, 3)`` or ``rand((2, 3))``.
    seed : int or numpy.random.Generator, optional
        The random source: an int seeds a new generator, a Generator continues its stream; None
        (default) draws from the library's default generator (see :func:`~autograd.manual_seed`).
    generator : Generator or numpy.random.Generator, optional
        torch's argument: an :class:`autograd.Generator` (or a numpy Generator); give it or ``seed``.
    dtype : numpy.dtype, optional
        ``autograd.float32``, ``float64``, ``int64``, ``bool`` or a numpy dtype (default: the default
        float dtype).
    requires_grad : bool
        Whether the leaf records the operations on it (default False; floating dtypes only).
    device : str, optional
        None or ``"cpu"`` (torch's argument; this library runs on the CPU).
    out : Tensor, optional
        A tensor of the size to write the samples into (torch's ``out=``), which is returned.

    Returns
    -------
    Tensor
        A leaf tensor (or ``out``).

    Raises
    ------
    TypeError
        If the size is not made of non-negative ints.
    TypeError
        If ``seed`` is not a non-negative int, a Generator or None, or both ``seed`` and ``generator`` are
        given.
    RuntimeError
        If ``requires_grad`` is set for an integer or bool dtype, or a device other than the CPU is given;
        if ``out`` is not of the size.
    """
    shape = _size("rand", size)
    draws = _float_draw(_draw_from(seed, generator, "rand"), "random", shape, dtype)
    if out is not None:
        return _into(out, _leaf("rand", draws, dtype, False, device), "rand")
    return _leaf("rand", draws, dtype, requires_grad, device)


def randn(
    *size: Any,
    seed: Any = None,
    generator: Any = None,
    dtype: Any = None,
    requires_grad: bool = False,
    device: Any = None,
) -> _tensor.Tensor:
    """Samples from the standard normal distribution (``torch.randn``).

    Parameters
    ----------
    *size : int or tuple of int
        The shape, as torch takes it: ``randn(2, 3)`` or ``randn((2, 3))``.
    seed : int or numpy.random.Generator, optional
        The random source: an int seeds a new generator, a Generator continues its stream; None
        (default) draws from the library's default generator (see :func:`~autograd.manual_seed`).
    generator : Generator or numpy.random.Generator, optional
        torch's argument: an :class:`autograd.Generator` (or a numpy Generator); give it or ``seed``.
    dtype : numpy.dtype, optional
        ``autograd.float32``, ``float64``, ``int64``, ``bool`` or a numpy dtype (default: the default
        float dtype).
    requires_grad : bool
        Whether the leaf records the operations on it (default False; floating dtypes only).
    device : str, optional
        None or ``"cpu"`` (torch's argument; this library runs on the CPU).

    Returns
    -------
    Tensor
        A leaf tensor.

    Raises
    ------
    TypeError
        If the size is not made of non-negative ints.
    TypeError
        If ``seed`` is not a non-negative int, a Generator or None, or both ``seed`` and ``generator`` are
        given.
    RuntimeError
        If ``requires_grad`` is set for an integer or bool dtype, or a device other than the CPU is given.
    """
    shape = _size("randn", size)
    draws = _float_draw(_draw_from(seed, generator, "randn"), "standard_normal", shape, dtype)
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
    """``start, start + step, ...`` up to, not including, ``end`` (``torch.arange``); ``arange(n)`` is
    0 .. n-1.

    Parameters
    ----------
    start : float
        The first value, or the end when ``end`` is None (then the start is 0).
    end : float, optional
        The bound, not included.
    step : float
        The spacing (nonzero, default 1).
    dtype : numpy.dtype, optional
        ``autograd.float32``, ``float64``, ``int64``, ``bool`` or a numpy dtype (default: int64 when every
        argument is an int, as in torch, else the default float dtype).
    requires_grad : bool
        Whether the leaf records the operations on it (default False; floating dtypes only).
    device : str, optional
        None or ``"cpu"`` (torch's argument; this library runs on the CPU).

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
    RuntimeError
        If ``requires_grad`` is set for an integer or bool dtype, or a device other than the CPU is given.
    """
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
    """The identity matrix, ``n`` × ``m`` (``torch.eye``).

    Parameters
    ----------
    n : int
        The number of rows.
    m : int, optional
        The number of columns (default ``n``).
    dtype : numpy.dtype, optional
        ``autograd.float32``, ``float64``, ``int64``, ``bool`` or a numpy dtype (default: the default
        float dtype).
    requires_grad : bool
        Whether the leaf records the operations on it (default False; floating dtypes only).
    device : str, optional
        None or ``"cpu"`` (torch's argument; this library runs on the CPU).

    Returns
    -------
    Tensor
        A leaf tensor.

    Raises
    ------
    TypeError
        If the size is not made of non-negative ints.
    RuntimeError
        If ``requires_grad`` is set for an integer or bool dtype, or a device other than the CPU is given.
    """
    rows, cols = _size("eye", (n, n if m is None else m))
    return _leaf("eye", np.eye(rows, cols), dtype, requires_grad, device)


def zeros_like(
    input: Any, *, dtype: Any = None, requires_grad: bool = False, device: Any = None
) -> _tensor.Tensor:
    """Zeros of ``input``'s shape and dtype (``torch.zeros_like``).

    Parameters
    ----------
    input : array_like or Tensor
        The template: its shape, and its dtype unless ``dtype`` is given.
    dtype : numpy.dtype, optional
        ``autograd.float32``, ``float64``, ``int64``, ``bool`` or a numpy dtype (default: ``input``'s).
    requires_grad : bool
        Whether the leaf records the operations on it (default False; floating dtypes only).
    device : str, optional
        None or ``"cpu"`` (torch's argument; this library runs on the CPU).

    Returns
    -------
    Tensor
        A leaf tensor.
    """
    return _like("zeros_like", input, np.zeros, dtype, requires_grad, device)


def ones_like(
    input: Any, *, dtype: Any = None, requires_grad: bool = False, device: Any = None
) -> _tensor.Tensor:
    """Ones of ``input``'s shape and dtype (``torch.ones_like``).

    Parameters
    ----------
    input : array_like or Tensor
        The template: its shape, and its dtype unless ``dtype`` is given.
    dtype : numpy.dtype, optional
        ``autograd.float32``, ``float64``, ``int64``, ``bool`` or a numpy dtype (default: ``input``'s).
    requires_grad : bool
        Whether the leaf records the operations on it (default False; floating dtypes only).
    device : str, optional
        None or ``"cpu"`` (torch's argument; this library runs on the CPU).

    Returns
    -------
    Tensor
        A leaf tensor.
    """
    return _like("ones_like", input, np.ones, dtype, requires_grad, device)


def rand_like(
    input: Any,
    *,
    seed: Any = None,
    generator: Any = None,
    dtype: Any = None,
    requires_grad: bool = False,
    device: Any = None,
) -> _tensor.Tensor:
    """Uniform samples on [0, 1) of ``input``'s shape and dtype (``torch.rand_like``).

    Parameters
    ----------
    input : array_like or Tensor
        The template: its shape, and its dtype unless ``dtype`` is given.
    seed : int or numpy.random.Generator, optional
        The random source: an int seeds a new generator, a Generator continues its stream; None
        (default) draws from the library's default generator (see :func:`~autograd.manual_seed`).
    generator : Generator or numpy.random.Generator, optional
        torch's argument: an :class:`autograd.Generator` (or a numpy Generator); give it or ``seed``.
    dtype : numpy.dtype, optional
        ``autograd.float32``, ``float64``, ``int64``, ``bool`` or a numpy dtype (default: ``input``'s; an
        integer ``x`` needs a float one).
    requires_grad : bool
        Whether the leaf records the operations on it (default False; floating dtypes only).
    device : str, optional
        None or ``"cpu"`` (torch's argument; this library runs on the CPU).

    Returns
    -------
    Tensor
        A leaf tensor.

    Raises
    ------
    TypeError
        If ``seed`` is not a non-negative int, a Generator or None, or both ``seed`` and ``generator`` are
        given.
    RuntimeError
        If the dtype is not a float dtype, or as :func:`zeros`.
    """
    rng = _draw_from(seed, generator, "rand_like")
    draw = lambda shape: _float_draw(rng, "random", shape, _like_dtype(input, dtype))  # noqa: E731
    return _like("rand_like", input, draw, dtype, requires_grad, device, floats=True)


def randn_like(
    input: Any,
    *,
    seed: Any = None,
    generator: Any = None,
    dtype: Any = None,
    requires_grad: bool = False,
    device: Any = None,
) -> _tensor.Tensor:
    """Standard normal samples of ``input``'s shape and dtype (``torch.randn_like``).

    Parameters
    ----------
    input : array_like or Tensor
        The template: its shape, and its dtype unless ``dtype`` is given.
    seed : int or numpy.random.Generator, optional
        The random source: an int seeds a new generator, a Generator continues its stream; None
        (default) draws from the library's default generator (see :func:`~autograd.manual_seed`).
    generator : Generator or numpy.random.Generator, optional
        torch's argument: an :class:`autograd.Generator` (or a numpy Generator); give it or ``seed``.
    dtype : numpy.dtype, optional
        ``autograd.float32``, ``float64``, ``int64``, ``bool`` or a numpy dtype (default: ``input``'s; an
        integer ``x`` needs a float one).
    requires_grad : bool
        Whether the leaf records the operations on it (default False; floating dtypes only).
    device : str, optional
        None or ``"cpu"`` (torch's argument; this library runs on the CPU).

    Returns
    -------
    Tensor
        A leaf tensor.

    Raises
    ------
    TypeError
        If ``seed`` is not a non-negative int, a Generator or None, or both ``seed`` and ``generator`` are
        given.
    RuntimeError
        If the dtype is not a float dtype, or as :func:`zeros`.
    """
    rng = _draw_from(seed, generator, "randn_like")
    draw = lambda shape: _float_draw(rng, "standard_normal", shape, _like_dtype(input, dtype))  # noqa: E731
    return _like("randn_like", input, draw, dtype, requires_grad, device, floats=True)


def _like_dtype(x: Any, dtype: Any) -> Any:
    """The stream a ``_like`` draw follows: ``dtype``'s, float32 for a float32 ``x``, else torch's
    default dtype (a float64 tensor here stands for torch's default-dtype one)."""
    if dtype is not None:
        return dtype
    return np.float32 if getattr(getattr(x, "data", x), "dtype", None) == np.float32 else None


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
    if device is None and meta.is_meta(like):  # (on ``x``'s device, as torch's)
        device = devices.META
    return _leaf(op, values(like.shape), dt, requires_grad, device)


# ---------------------------------------------------------------------------
# From data, torch's way: tensor, from_numpy, as_tensor; and full_like, linspace, randint, randperm
# ---------------------------------------------------------------------------
def tensor(
    data: Any, *, dtype: Any = None, device: Any = None, requires_grad: bool = False, pin_memory: bool = False
) -> _tensor.Tensor:
    """A new leaf Tensor holding a copy of ``data`` (``torch.tensor``).

    Without ``dtype`` the dtype follows the data as torch infers it: Python floats give the default
    dtype (float64 here, float32 in torch), Python ints int64, bools bool; a numpy array keeps its
    dtype (float16 becomes float32). An integer or bool tensor holds data (class indices, masks)
    and cannot require grad.

    Parameters
    ----------
    data : float, list, numpy.ndarray or Tensor
        The values (copied).
    dtype : numpy.dtype, optional
        float32, float64, an integer dtype or bool (``autograd.float64``, ``np.int64``, ...).
    device : str, optional
        None or ``"cpu"`` (torch's argument; other devices raise).
    requires_grad : bool
        Track gradients (floating dtypes only).
    pin_memory : bool
        Accepted for torch's signature.

    Returns
    -------
    Tensor
        A leaf tensor.

    Raises
    ------
    RuntimeError
        If ``requires_grad`` is set on an integer or bool tensor (torch's message), or a device
        other than the CPU is given.
    TypeError
        If the data are not real numbers or bools, or the ``dtype`` is not supported.
    ValueError
        If nested lists are ragged.
    """
    _cpu("tensor", None if devices.is_meta(device) else device)
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
    """A Tensor that shares ``ndarray``'s memory, no copy (``torch.from_numpy``).

    A change to either shows in the other. The dtype is the array's (float32/float64; integer or
    bool arrays give data tensors).

    Parameters
    ----------
    ndarray : numpy.ndarray
        The array to share.

    Returns
    -------
    Tensor
        A leaf tensor over the same memory.

    Raises
    ------
    TypeError
        If ``ndarray`` is not a numpy array, or of a dtype a Tensor cannot hold (float16, complex,
        objects: convert it first, e.g. ``a.astype(np.float32)``).
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


random_state.as_tensor = from_numpy  # (Generator.get_state's bytes: see random_state.as_tensor)


def as_tensor(data: Any, dtype: Any = None, device: Any = None) -> _tensor.Tensor:
    """``data`` as a Tensor, without a copy when it can be shared (``torch.as_tensor``).

    A Tensor of that dtype is returned as it is, an ndarray of that dtype is shared
    (:func:`from_numpy`); anything else is copied (:func:`tensor`).

    Parameters
    ----------
    data : array_like or Tensor
        The values.
    dtype : numpy.dtype, optional
        The dtype wanted (default: the data's).
    device : str, optional
        None or ``"cpu"``.

    Returns
    -------
    Tensor
        ``data`` itself, a tensor sharing its memory, or a copy.
    """
    if devices.is_meta(device):
        return tensor(data, dtype=dtype, device=device)
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
    """``fill_value`` everywhere, with ``input``'s shape and dtype (``torch.full_like``).

    Parameters
    ----------
    input : array_like or Tensor
        The template.
    fill_value : float, int or bool
        The value of every element.
    dtype : numpy.dtype, optional
        ``autograd.float32``, ``float64``, ``int64``, ``bool`` or a numpy dtype (default: ``input``'s).
    requires_grad : bool
        Whether the leaf records the operations on it (default False; floating dtypes only).
    device : str, optional
        None or ``"cpu"`` (torch's argument; this library runs on the CPU).

    Returns
    -------
    Tensor
        A leaf tensor.

    Raises
    ------
    TypeError
        If ``fill_value`` is not a real number or a bool.
    """
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
    """``steps`` evenly spaced values from ``start`` to ``end``, both included (``torch.linspace``).

    Parameters
    ----------
    start, end : float
        The first and the last value.
    steps : int
        The number of values.
    dtype : numpy.dtype, optional
        ``autograd.float32``, ``float64``, ``int64`` or a numpy dtype (default: the default float
        dtype); not bool (as torch).
    requires_grad : bool
        Whether the leaf records the operations on it (default False; floating dtypes only).
    device : str, optional
        None or ``"cpu"`` (torch's argument; this library runs on the CPU).

    Returns
    -------
    Tensor
        A leaf tensor.

    Raises
    ------
    TypeError
        If ``start`` or ``end`` is not a real number, or ``steps`` not a non-negative int.
    """
    for name, x in (("start", start), ("end", end)):
        if isinstance(x, bool) or not isinstance(x, (int, float, np.integer, np.floating)):
            raise TypeError(f"linspace: {name} must be a real number, got {x!r}")
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 0:
        negative = isinstance(steps, (int, np.integer)) and not isinstance(steps, bool)
        kind = SizeError if negative else TypeError
        raise kind(f"linspace: steps must be a non-negative int, got {steps!r}")
    if dtype is not None and dtypes.as_dtype(dtype, "linspace") == np.bool_:
        raise DtypeError("linspace: dtype bool is not supported (as torch)")
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
    """Integers drawn uniformly from [low, high) (``torch.randint``); ``randint(high, size)`` and
    ``randint(high, size=size)`` draw from [0, high).

    Parameters
    ----------
    low : int
        The lowest value (or ``high``, when ``size`` is not given).
    high : int
        The bound, not included.
    size : int or tuple of int
        The shape.
    seed : int or numpy.random.Generator, optional
        The random source: an int seeds a new generator, a Generator continues its stream; None
        (default) draws from the library's default generator (see :func:`~autograd.manual_seed`).
    generator : Generator or numpy.random.Generator, optional
        torch's argument: an :class:`autograd.Generator` (or a numpy Generator); give it or ``seed``.
    dtype : numpy.dtype, optional
        ``autograd.float32``, ``float64``, ``int64``, ``bool`` or a numpy dtype (default: int64).
    requires_grad : bool
        Whether the leaf records the operations on it (default False; floating dtypes only).
    device : str, optional
        None or ``"cpu"`` (torch's argument; this library runs on the CPU).

    Returns
    -------
    Tensor
        A leaf tensor.

    Raises
    ------
    TypeError
        If ``low`` or ``high`` is not an int, or the size not made of non-negative ints.
    RuntimeError
        If ``low >= high`` (torch's message).
    """
    if size is None:  # randint(high, size)
        low, high, size = 0, low, high
    elif high is None:  # randint(high, size=size)
        low, high = 0, low
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
    """A random permutation of 0 .. n-1 (``torch.randperm``).

    Parameters
    ----------
    n : int
        The number of values.
    seed : int or numpy.random.Generator, optional
        The random source: an int seeds a new generator, a Generator continues its stream; None
        (default) draws from the library's default generator (see :func:`~autograd.manual_seed`).
    generator : Generator or numpy.random.Generator, optional
        torch's argument: an :class:`autograd.Generator` (or a numpy Generator); give it or ``seed``.
    dtype : numpy.dtype, optional
        ``autograd.float32``, ``float64``, ``int64``, ``bool`` or a numpy dtype (default: int64).
    device : str, optional
        None or ``"cpu"``.

    Returns
    -------
    Tensor
        A leaf tensor.

    Raises
    ------
    ValueError
        If ``n`` is above 2**32 (torch's result alone would take 32 GiB there).
    """
    (count,) = _size("randperm", (n,))
    draws = _draw_from(seed, generator, "randperm").permutation(count)
    return _leaf("randperm", draws, dtypes.int64 if dtype is None else dtype, False, device)


def _probabilities(op: str, p: Any) -> float:
    if isinstance(p, bool) or not isinstance(p, (int, float, np.integer, np.floating)):
        raise TypeError(f"{op}: p must be a real number in [0, 1] or a Tensor of them, got {p!r}")
    if not 0.0 <= float(p) <= 1.0:
        raise RuntimeError(f"{op}: bernoulli_ expects p to be in [0, 1], but got p={p}")
    return float(p)


def _bernoulli_mask(op: str, rng: Any, p: Any, shape: tuple[int, ...]) -> np.ndarray:
    """torch's ``bernoulli_``: one float64 uniform per element for a scalar ``p``; for a tensor of
    probabilities, a float32 uniform (float32 ``p`` and this library's default float64 ``p``) or a
    float64 one (float64 ``p`` after ``set_default_dtype(float64)``)."""
    if isinstance(p, (_tensor.Tensor, np.ndarray)):
        probs = np.asarray(getattr(p, "data", p))
        if probs.dtype.kind not in "fiub":
            raise TypeError(f"{op}: p must hold real numbers, got dtype {probs.dtype}")
        if probs.size and not (np.all(probs >= 0) and np.all(probs <= 1)):
            raise RuntimeError(f"{op}: bernoulli_ expects all elements of p to be in [0, 1]")
        probs = np.broadcast_to(probs, shape)
        if isinstance(rng, random_state.Draws):
            dt = random_state.draw_dtype(np.float32 if probs.dtype == np.float32 else None)
            return rng.stream.bernoulli(np.ascontiguousarray(probs, dtype=dt), dt)
        return rng.random(shape) < probs
    q = _probabilities(op, p)
    if isinstance(rng, random_state.Draws):
        return rng.bernoulli(q, shape)
    return rng.random(shape) < q


def bernoulli(input: Any, p: Any = None, *, generator: Any = None) -> _tensor.Tensor:
    """Draw 0 or 1 per element, 1 with probability ``input`` (or ``p``) (``torch.bernoulli``).

    Torch's numbers after the same seed: a tensor of probabilities draws one uniform per element
    (24 bits for float32 and this library's default float64, 53 after
    ``set_default_dtype(float64)``), a scalar ``p`` one 53-bit uniform per element.

    Parameters
    ----------
    input : Tensor or array_like
        The probabilities, each in [0, 1]; with ``p`` given, only its shape and dtype count.
    p : float, optional
        One probability for every element.
    generator : Generator, optional
        The random source (default: the library's generator, see :func:`~autograd.manual_seed`).

    Returns
    -------
    Tensor
        Zeros and ones, of ``input``'s shape and dtype (not differentiable, as torch's).

    Raises
    ------
    TypeError
        If the probabilities are not real numbers.
    RuntimeError
        If a probability is outside [0, 1] (torch's error type).

    Examples
    --------
    >>> import autograd
    >>> _ = autograd.manual_seed(0)
    >>> autograd.bernoulli(autograd.full((5,), 0.5)).tolist()  # torch.bernoulli(torch.full((5,), 0.5))
    [1.0, 0.0, 1.0, 1.0, 1.0]
    """
    like = (
        input.data
        if isinstance(input, _tensor.Tensor)
        else _tensor.as_float_array(input, None, "bernoulli(input)")
    )
    rng = _draw_from(None, generator, "bernoulli")
    mask = _bernoulli_mask("bernoulli", rng, input if p is None else p, like.shape)
    return _leaf("bernoulli", mask.astype(like.dtype), like.dtype, False)


def normal(
    mean: Any = 0.0,
    std: Any = 1.0,
    size: Any = None,
    *,
    generator: Any = None,
    dtype: Any = None,
    requires_grad: bool = False,
    device: Any = None,
) -> _tensor.Tensor:
    """Samples of N(mean, std²) (``torch.normal``), torch's numbers after the same seed.

    ``normal(mean, std, size)`` with two numbers fills a new tensor with ``normal_(mean, std)``;
    with a tensor ``mean`` or ``std`` the result has their broadcast shape and is
    ``randn * std + mean`` (torch's order), differentiable in the tensors that require grad.

    Parameters
    ----------
    mean : float or Tensor
        The means (default 0).
    std : float or Tensor
        The standard deviations, non-negative (default 1).
    size : int or tuple of int, optional
        The shape; needed when both ``mean`` and ``std`` are numbers.
    generator : Generator, optional
        The random source (default: the library's generator).
    dtype : numpy.dtype, optional
        The dtype when ``mean`` and ``std`` are numbers (default: the default float dtype).
    requires_grad : bool
        Whether the result (of two numbers) records operations on it (default False).
    device : str, optional
        None or ``"cpu"``.

    Returns
    -------
    Tensor
        The samples.

    Raises
    ------
    TypeError
        If ``size`` is missing for two numbers, or given with a tensor.
    RuntimeError
        If a standard deviation is negative (torch's error type).

    Examples
    --------
    >>> import autograd
    >>> _ = autograd.manual_seed(0)
    >>> [round(v, 4) for v in autograd.normal(2.0, 3.0, (3,)).tolist()]  # torch.normal(2., 3., (3,))
    [6.623, 1.1197, -4.5364]
    """
    rng = _draw_from(None, generator, "normal")
    tensors = isinstance(mean, _tensor.Tensor) or isinstance(std, _tensor.Tensor)
    if not tensors:
        if size is None:
            raise TypeError("normal: with a number mean and std, give size, e.g. normal(0.0, 1.0, (2, 3))")
        if float(std) < 0:
            raise RuntimeError(f"normal: expects std >= 0.0, but found std {std}")
        shape = _size("normal", size if isinstance(size, (tuple, list)) else (size,))
        data = np.zeros(
            shape, dtype=dtypes.get_default_dtype() if dtype is None else dtypes.as_dtype(dtype, "normal")
        )
        random_state.fill_normal(rng, data, float(mean), float(std))
        return _leaf("normal", data, dtype, requires_grad, device)
    if size is not None:
        raise TypeError("normal: size is taken from mean and std when either is a Tensor; drop size")
    given = mean if isinstance(mean, _tensor.Tensor) else std
    m = mean if isinstance(mean, _tensor.Tensor) else tensor(mean, dtype=given.data.dtype)  # torch's dtype
    sd = std if isinstance(std, _tensor.Tensor) else tensor(std, dtype=given.data.dtype)
    if sd.data.size and np.any(sd.data < 0):
        raise RuntimeError("normal: expects all elements of std >= 0.0")
    out_dtype = np.result_type(m.data, sd.data)
    noise = np.zeros(np.broadcast_shapes(m.data.shape, sd.data.shape), dtype=out_dtype)
    random_state.fill_normal(rng, noise, 0.0, 1.0)
    return _tensor.Tensor(noise) * sd + m


def randint_like(
    input: Any,
    low: int = 0,
    high: Any = None,
    *,
    generator: Any = None,
    dtype: Any = None,
    requires_grad: bool = False,
    device: Any = None,
) -> _tensor.Tensor:
    """Integers drawn uniformly from [low, high), with ``input``'s shape and dtype
    (``torch.randint_like``); ``randint_like(input, high)`` draws from [0, high).

    Parameters
    ----------
    input : Tensor or array_like
        The template.
    low : int
        The lowest value (or ``high`` when ``high`` is not given).
    high : int
        The bound, not included.
    generator : Generator, optional
        The random source (default: the library's generator).
    dtype : numpy.dtype, optional
        The dtype (default: ``input``'s).
    requires_grad : bool
        Whether the leaf records the operations on it (default False).
    device : str, optional
        None or ``"cpu"``.

    Returns
    -------
    Tensor
        A leaf tensor.
    """
    if high is None:
        low, high = 0, low
    rng = _draw_from(None, generator, "randint_like")
    return _like(
        "randint_like", input, lambda shape: rng.integers(low, high, shape), dtype, requires_grad, device
    )


def _bernoulli_(self: Any, p: Any = 0.5, *, generator: Any = None) -> Any:
    """Fill with 0 or 1, 1 with probability ``p`` (a number or a tensor of them), in place
    (``Tensor.bernoulli_``); torch's numbers after the same seed (see :func:`bernoulli`).
    ``generator`` is the random source. Returns self."""

    def fill(data: np.ndarray) -> np.ndarray:
        data[...] = _bernoulli_mask("bernoulli_", _draw_from(None, generator, "bernoulli_"), p, data.shape)
        return data

    return self._drawn_("bernoulli_", fill, p)


def _bernoulli_method(self: Any, p: Any = None, *, generator: Any = None) -> Any:
    """``bernoulli(self)`` (``Tensor.bernoulli``): 0 or 1 per element, 1 with probability the
    element (or ``p``); ``generator`` is the random source."""
    return bernoulli(self, p, generator=generator)


def _random_(self: Any, from_: Any = 0, to: Any = None, *, generator: Any = None, **kwargs: Any) -> Any:
    """Fill with integers (``Tensor.random_``), torch's numbers after the same seed, in place:
    ``random_(from_, to)`` draws from ``[from_, to)``, ``random_(to)`` from ``[0, to)``,
    ``random_()`` from ``[0, 2**24]`` (float32; ``2**53`` for float64 after
    ``set_default_dtype(float64)``) or ``[0, max]`` of an integer dtype. ``from`` may be given by
    torch's keyword; ``generator`` is the random source. Returns self."""
    from_ = kwargs.pop("from", from_)
    if kwargs:
        raise TypeError(f"random_: unexpected keyword arguments {sorted(kwargs)}")
    low, high = (0, from_) if to is None else (from_, to)
    if to is not None or from_ != 0:
        if not low < high:
            raise RuntimeError(
                f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}"
            )

    def fill(data: np.ndarray) -> np.ndarray:
        rng = _draw_from(None, generator, "random_")
        if to is None and from_ == 0:
            if isinstance(rng, random_state.Draws):
                dt = (
                    data.dtype
                    if data.dtype.kind in "iub"
                    else random_state.draw_dtype(np.float32 if data.dtype == np.float32 else None)
                )
                data[...] = rng.stream.full_range(data.size, np.dtype(dt)).reshape(data.shape)
            else:
                data[...] = rng.integers(0, 2**24 + 1, data.shape)
        else:
            data[...] = rng.integers(int(low), int(high), data.shape)
        return data

    return self._drawn_("random_", fill)


def _exponential_(self: Any, lambd: float = 1.0, *, generator: Any = None) -> Any:
    """Fill with samples of the exponential distribution of rate ``lambd`` (``Tensor.exponential_``),
    torch's numbers after the same seed (``-1/lambd · log1p(-u)``, u a 53-bit uniform), in place;
    ``generator`` is the random source. Returns self."""
    if not float(lambd) > 0:
        raise RuntimeError(f"exponential_ expects lambda > 0.0, but found lambda={lambd}")

    def fill(data: np.ndarray) -> np.ndarray:
        values = _draw_from(None, generator, "exponential_").exponential(1.0 / float(lambd), data.shape)
        if data.dtype.kind == "f":  # torch rounds to the tensor's dtype: float32 for our default float64
            values = values.astype(random_state.draw_dtype(np.float32 if data.dtype == np.float32 else None))
        data[...] = values
        return data

    return self._drawn_("exponential_", fill)


def _value_dtype(value: Any, dtype: Any) -> Any:
    """``dtype``, or torch's dtype for a fill value: bool, int64, or the default float dtype."""
    if dtype is not None:
        return dtype
    if isinstance(value, (bool, np.bool_)):
        return dtypes.bool
    return dtypes.int64 if isinstance(value, (int, np.integer)) else None


def empty(*size: Any, dtype: Any = None, requires_grad: bool = False, device: Any = None) -> _tensor.Tensor:
    """A tensor whose values are not to be relied on (``torch.empty``): zeros here, of that shape.

    Parameters
    ----------
    *size : int or tuple of int
        The shape, as torch takes it.
    dtype : numpy.dtype, optional
        The dtype (default: the default float dtype).
    requires_grad : bool
        Whether the leaf records the operations on it (default False).
    device : str, optional
        None or ``"cpu"``.
    """
    return zeros(*size, dtype=dtype, requires_grad=requires_grad, device=device)


def empty_like(
    input: Any, *, dtype: Any = None, requires_grad: bool = False, device: Any = None
) -> _tensor.Tensor:
    """A tensor of ``input``'s shape and dtype whose values are not to be relied on (``torch.empty_like``):
    zeros here.

    Parameters
    ----------
    input : array_like or Tensor
        The template.
    dtype : numpy.dtype, optional
        The dtype (default: ``input``'s).
    requires_grad : bool
        Whether the leaf records the operations on it (default False).
    device : str, optional
        None or ``"cpu"``.
    """
    return zeros_like(input, dtype=dtype, requires_grad=requires_grad, device=device)


def logspace(
    start: float,
    end: float,
    steps: int,
    base: float = 10.0,
    *,
    dtype: Any = None,
    requires_grad: bool = False,
    device: Any = None,
) -> _tensor.Tensor:
    """``base`` to the powers ``linspace(start, end, steps)`` (``torch.logspace``).

    Parameters
    ----------
    start, end : float
        The first and the last exponent.
    steps : int
        The number of values.
    base : float
        The base (default 10).
    dtype : numpy.dtype, optional
        The dtype (default: the default float dtype).
    requires_grad : bool
        Whether the leaf records the operations on it (default False).
    device : str, optional
        None or ``"cpu"``.
    """
    exponents = linspace(start, end, steps).data
    return _leaf("logspace", np.power(float(base), exponents), dtype, requires_grad, device)


def _new(make: Callable[..., Any], what: str) -> Callable[..., Any]:  # (used below the factories)
    """torch's ``t.new_<what>(...)``: ``make(...)`` in ``t``'s dtype unless ``dtype`` is given."""

    def method(self: _tensor.Tensor, *args: Any, dtype: Any = None, requires_grad: bool = False,
               device: Any = None, **kwargs: Any) -> _tensor.Tensor:  # fmt: skip
        kind = self.data.dtype if dtype is None else dtype
        if "size" in kwargs and what in ("zeros", "ones", "empty"):  # (torch's keyword: new_ones(size=...))
            if args:
                raise TypeError(f"new_{what}() got the size both as positional arguments and as size=")
            args = (kwargs.pop("size"),)
        return make(*args, **kwargs, dtype=kind, requires_grad=requires_grad, device=device)

    method.__name__ = method.__qualname__ = f"new_{what}"
    method.__doc__ = (
        f"``{make.__name__}(...)`` in this tensor's dtype unless ``dtype`` is given (torch's "
        f"``Tensor.new_{what}``)."
    )
    return method


__all__ = [
    "tensor",
    "from_numpy",
    "as_tensor",
    "full_like",
    "linspace",
    "logspace",
    "empty",
    "empty_like",
    "randint",
    "randint_like",
    "randperm",
    "bernoulli",
    "normal",
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
    setattr(_tensor.Tensor, _name, staticmethod(globals()[_name]))
del _name
_tensor.Tensor.bernoulli_ = _bernoulli_
_tensor.Tensor.bernoulli = _bernoulli_method
_tensor.Tensor.random_ = _random_
_tensor.Tensor.exponential_ = _exponential_
# torch's t.new_zeros(...), t.new_tensor(...), ...: the factory in t's dtype
for _make in (zeros, ones, full, empty, tensor):
    setattr(_tensor.Tensor, f"new_{_make.__name__}", _new(_make, _make.__name__))
del _make
