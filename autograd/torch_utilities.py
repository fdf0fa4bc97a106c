"""torch's small utilities of its top-level namespace: broadcasting (``broadcast_tensors``,
``broadcast_shapes``), ``scalar_tensor``, ``range`` (torch's deprecated inclusive ``arange``),
``rsub``, ``unravel_index``, ``combinations``, ``typename``, and the process settings torch code
sets (``set_printoptions``, the thread counts, deterministic algorithms, the float32 matmul
precision): the printing ones change how Tensors print; the others are kept and reported back,
with nothing to change here (numpy's BLAS chooses its threads; every op here is deterministic).
"""

from __future__ import annotations

import builtins
import itertools
import os
from typing import Any

import numpy as np

from . import _tensor, dtypes
from . import grad_mode as _grad_mode
from ._tensor import Tensor, of_numbers
from .factories import _leaf
from .functions import as_node
from .torch_methods import Size

__all__ = [
    "broadcast_tensors", "broadcast_shapes", "scalar_tensor", "range", "rsub", "unravel_index",
    "combinations", "typename", "set_printoptions", "get_num_threads", "set_num_threads",
    "get_num_interop_threads", "set_num_interop_threads", "use_deterministic_algorithms",
    "are_deterministic_algorithms_enabled", "is_deterministic_algorithms_warn_only_enabled",
    "get_float32_matmul_precision", "set_float32_matmul_precision", "fill", "asarray", "set_warn_always",
    "is_warn_always_enabled", "concat",
]  # fmt: skip


def broadcast_shapes(*shapes: Any) -> Size:
    """The shape the given shapes (ints or sequences of ints) broadcast to (``torch.broadcast_shapes``).

    Raises
    ------
    RuntimeError
        The shapes do not broadcast together.
    """
    tuples = [(s,) if isinstance(s, (int, np.integer)) else tuple(s) for s in shapes]
    try:
        return Size(np.broadcast_shapes(*tuples))
    except ValueError:
        raise RuntimeError(f"Shape mismatch: objects cannot be broadcast to one shape: {tuples}") from None


def broadcast_tensors(*tensors: Any) -> tuple[Any, ...]:
    """The tensors broadcast to one shape (``torch.broadcast_tensors``): views, whose gradients sum
    back to each input's shape.

    Parameters
    ----------
    *tensors : Tensor or array_like
        The inputs.
    """
    nodes = [as_node(t, "broadcast_to") for t in tensors]
    shape = tuple(broadcast_shapes(*(n.shape for n in nodes)))
    return tuple(n.broadcast_to(shape) for n in nodes)


def scalar_tensor(
    s: Any, *, dtype: Any = None, device: Any = None, requires_grad: bool = False, **_: Any
) -> Tensor:
    """A 0-d tensor of the number ``s``, of the default float dtype unless ``dtype`` is given
    (``torch.scalar_tensor``: an int or a bool too).

    Parameters
    ----------
    s : float
        The value.
    dtype : numpy.dtype, optional
        The dtype (default: the default float dtype).
    device : str, optional
        None or ``"cpu"``.
    requires_grad : bool
        Whether the result is a leaf that requires grad.
    """
    return _leaf("scalar_tensor", np.asarray(float(s) if not isinstance(s, Tensor) else s.item()), dtype,
                 requires_grad, device)  # fmt: skip


def range(  # noqa: A001 (torch's name)
    start: float, end: float, step: float = 1, *, dtype: Any = None, device: Any = None,
    requires_grad: bool = False, **_: Any,
) -> Tensor:  # fmt: skip
    """``start, start + step, ...`` up to and including ``end`` (``torch.range``, deprecated in torch for
    ``arange``, which stops before ``end``), of the default float dtype unless ``dtype`` is given.

    Parameters
    ----------
    start, end, step : float
        The first value, the last one's bound (included) and the step.
    dtype : numpy.dtype, optional
        The dtype (default: the default float dtype).
    device : str, optional
        None or ``"cpu"``.
    requires_grad : bool
        Whether the result is a leaf that requires grad.
    """
    if step == 0 or (end - start) * step < 0:
        raise RuntimeError(
            f"range: upper bound and larger bound inconsistent with step sign (start={start}, end={end}, "
            f"step={step})"
        )
    n = int(np.floor((end - start) / step)) + 1
    return _leaf("range", start + step * np.arange(n, dtype=np.float64), dtype, requires_grad, device)


def rsub(input: Any, other: Any, *, alpha: float = 1) -> Any:
    """``other - alpha · input`` (``torch.rsub``, the reversed subtraction).

    Parameters
    ----------
    input : Tensor or array_like
        Subtracted (times ``alpha``).
    other : Tensor or float
        Subtracted from.
    alpha : float
        The factor of ``input`` (default 1).
    """
    x = as_node(input, "sub")
    return x._lift(other) - (x if alpha == 1 else x * alpha)


def unravel_index(indices: Any, shape: Any) -> tuple[Tensor, ...]:
    """The coordinates in a tensor of ``shape`` of the flat ``indices`` (``torch.unravel_index``):
    one int64 tensor per dimension, of ``indices``' shape. As torch's, an index outside
    [0, numel) wraps around (modulo numel).

    Raises
    ------
    TypeError
        ``indices`` is not an integer tensor.
    """
    if not isinstance(indices, Tensor) or indices.data.dtype.kind not in "iu":
        kind = indices.data.dtype if isinstance(indices, Tensor) else type(indices).__name__
        raise TypeError(f"unravel_index: expected 'indices' to be an integer tensor, but got {kind}")
    dims = (int(shape),) if isinstance(shape, (int, np.integer)) else tuple(int(d) for d in shape)
    size = int(np.prod(dims, dtype=np.int64))
    if builtins.any(d < 0 for d in dims) or (size == 0 and indices.data.size):
        raise ValueError(f"unravel_index: 'shape' must have positive sizes, got {dims}")
    return tuple(
        of_numbers(lambda a, k=k: np.unravel_index(np.mod(a, size), dims)[k].astype(np.int64), indices)
        for k in builtins.range(len(dims))
    )


def combinations(input: Any, r: int = 2, with_replacement: bool = False) -> Any:
    """The ``r``-element combinations of the 1-d ``input``'s elements, one per row, in order
    (``torch.combinations``; ``with_replacement``: an element may repeat); its gradient adds back.

    Parameters
    ----------
    input : Tensor or array_like
        1-d.
    r : int
        The combinations' length (default 2).
    with_replacement : bool
        Allow an element more than once.
    """
    x = as_node(input, "reshape")
    if x.ndim != 1:
        raise RuntimeError(f"combinations: Expect a 1D vector, but got shape {list(x.shape)}")
    if r < 0:
        raise RuntimeError(f"combinations: Expect a non-negative number, but got {r}")
    if r == 0:
        return x[:0]
    pick = itertools.combinations_with_replacement if with_replacement else itertools.combinations
    rows = np.array(list(pick(builtins.range(x.shape[0]), r)), dtype=np.int64).reshape(-1, r)
    return x[rows]


def fill(input: Any, value: Any) -> Tensor:
    """A new tensor of ``input``'s shape and dtype with every element ``value`` (``torch.fill``, the
    out-of-place ``fill_``; no gradient reaches ``input``).

    Parameters
    ----------
    input : Tensor
        Gives the shape and dtype.
    value : float or Tensor
        The value.
    """
    x = as_node(input, "reshape")
    out = Tensor._node(np.empty(x.shape, x.data.dtype))
    with _grad_mode.no_grad():
        return out.fill_(value)


def asarray(
    obj: Any, *, dtype: Any = None, device: Any = None, copy: bool | None = None, requires_grad: bool = False
) -> Tensor:
    """``obj`` as a Tensor (``torch.asarray``): a Tensor or an ndarray of the dtype wanted is shared
    (``copy=None``, the default) or refused a copy (``copy=False``), else copied; ``copy=True``
    always copies.

    Parameters
    ----------
    obj : Tensor, ndarray, sequence or float
        The values.
    dtype : numpy.dtype, optional
        The dtype wanted (default: the data's; Python floats give the default float dtype).
    device : str, optional
        None or ``"cpu"``.
    copy : bool, optional
        True: a new tensor; False: share or raise; None: share where possible.
    requires_grad : bool
        Whether the result requires grad (a shared Tensor is then detached first, as torch's).

    Raises
    ------
    ValueError
        ``copy=False`` where the memory cannot be shared (another dtype, a Python sequence).
    """
    from .factories import as_tensor, tensor

    target = None if dtype is None else dtypes.as_dtype(dtype, "asarray")
    data = obj.data if isinstance(obj, Tensor) else obj
    shareable = isinstance(data, np.ndarray) and target in (None, data.dtype)
    if copy is False and not shareable:
        raise ValueError(f"asarray: can't share the memory of a {type(obj).__name__} as dtype {target}")
    if copy:
        out = tensor(data, dtype=target)
    elif isinstance(obj, Tensor) and shareable:
        out = obj
    else:
        out = as_tensor(data, dtype=target, device=device)
    if requires_grad and not out.requires_grad:
        out = (out.detach() if out is obj else out).requires_grad_(True)
    return out


def set_warn_always(b: bool) -> None:
    """Keep torch's switch for warning at every occurrence (``torch.set_warn_always``): reported by
    :func:`is_warn_always_enabled`; Python's ``warnings`` filters decide here.

    Parameters
    ----------
    b : bool
        The switch.
    """
    _SETTINGS["warn always"] = bool(b)


def is_warn_always_enabled() -> bool:
    """Whether ``set_warn_always(True)`` was called (``torch.is_warn_always_enabled``)."""
    return bool(_SETTINGS.get("warn always", False))


def concat(tensors: Any, dim: int = 0) -> Tensor:
    """The tensors joined along ``dim`` (``torch.concat``, torch's alias of ``cat``).

    Parameters
    ----------
    tensors : sequence of Tensor
        Of the same shape but along ``dim``.
    dim : int
        The dimension (default 0).
    """
    return _tensor.concatenate(tensors, dim=dim)


def typename(obj: Any) -> str:
    """The name of ``obj``'s type as torch spells it (``torch.typename``): a Tensor's ``type()``
    (``"autograd.DoubleTensor"``), else the class's module and name (``"int"`` for a builtin).
    """
    if isinstance(obj, Tensor):
        return obj.type()
    kind = obj if isinstance(obj, type) else type(obj)
    module = kind.__module__
    return kind.__qualname__ if module == "builtins" else f"{module}.{kind.__qualname__}"


def set_printoptions(
    precision: int | None = None,
    threshold: int | None = None,
    edgeitems: int | None = None,
    linewidth: int | None = None,
    profile: str | None = None,
    sci_mode: bool | None = None,
) -> None:
    """How Tensors print (``torch.set_printoptions``): digits after the point, the number of
    elements above which the middle is elided, the elements kept at each edge, the line width;
    ``profile`` "default", "short" or "full" sets them all first; ``sci_mode`` True or False forces
    or forbids scientific notation (None: numpy's choice).

    Parameters
    ----------
    precision, threshold, edgeitems, linewidth : int, optional
        The settings to change.
    profile : str, optional
        "default" (torch's: 4 digits, elided above 1000 elements), "short" or "full".
    sci_mode : bool, optional
        Scientific notation.
    """
    options = _tensor.PRINT_OPTIONS
    profiles = {
        "default": {"precision": 4, "threshold": 1000, "edgeitems": 3, "max_line_width": 80},
        "short": {"precision": 2, "threshold": 1000, "edgeitems": 2, "max_line_width": 80},
        "full": {"precision": 4, "threshold": np.iinfo(np.int64).max, "edgeitems": 3, "max_line_width": 80},
    }
    if profile is not None:
        if profile not in profiles:
            raise ValueError(f"set_printoptions: profile must be default, short or full, got {profile!r}")
        options.update(profiles[profile])
        options.pop("suppress", None)
        options.pop("formatter", None)
    given = {"precision": precision, "threshold": threshold, "edgeitems": edgeitems}
    given["max_line_width"] = linewidth
    options.update({k: int(v) for k, v in given.items() if v is not None})
    if sci_mode is False:
        options.pop("formatter", None)
        options["suppress"] = True
    elif sci_mode:
        digits = options["precision"]
        options["formatter"] = {"float_kind": lambda v: np.format_float_scientific(v, digits, unique=False)}


_SETTINGS: dict[str, Any] = {
    "threads": os.cpu_count() or 1,
    "interop threads": os.cpu_count() or 1,
    "deterministic": False,
    "warn only": False,
    "matmul precision": "highest",
}


def get_num_threads() -> int:
    """The number of threads torch code asked for (``set_num_threads``; numpy's BLAS chooses its own)."""
    return int(_SETTINGS["threads"])


def set_num_threads(int: int) -> None:  # noqa: A002 (torch's name)
    """Keep the number of threads torch code asks for (``torch.set_num_threads``): reported by
    ``get_num_threads``; nothing changes (numpy's BLAS chooses its own threads).

    Raises
    ------
    RuntimeError
        ``int`` is not positive (torch's error).
    """
    if int <= 0:
        raise RuntimeError(f"set_num_threads expects a positive integer, got {int}")
    _SETTINGS["threads"] = builtins.int(int)


def get_num_interop_threads() -> int:
    """The number of inter-op threads torch code asked for (``set_num_interop_threads``)."""
    return int(_SETTINGS["interop threads"])


def set_num_interop_threads(int: int) -> None:  # noqa: A002 (torch's name)
    """Keep the number of inter-op threads (``torch.set_num_interop_threads``): reported back; nothing
    changes here (ops run one at a time).

    Raises
    ------
    RuntimeError
        ``int`` is not positive.
    """
    if int <= 0:
        raise RuntimeError(f"set_num_interop_threads expects a positive integer, got {int}")
    _SETTINGS["interop threads"] = builtins.int(int)


def use_deterministic_algorithms(mode: bool, *, warn_only: bool = False) -> None:
    """Keep torch's switch for deterministic algorithms (``torch.use_deterministic_algorithms``):
    every op here is deterministic already; the setting is reported back.

    Parameters
    ----------
    mode : bool
        The switch.
    warn_only : bool
        torch's: warn instead of raising for an op without a deterministic version (none here).
    """
    if not isinstance(mode, (bool, np.bool_)):
        raise TypeError(f"use_deterministic_algorithms(): 'mode' must be bool, not {type(mode).__name__}")
    _SETTINGS["deterministic"], _SETTINGS["warn only"] = bool(mode), bool(warn_only)


def are_deterministic_algorithms_enabled() -> bool:
    """Whether ``use_deterministic_algorithms(True)`` was called (torch's function of this name)."""
    return bool(_SETTINGS["deterministic"])


def is_deterministic_algorithms_warn_only_enabled() -> bool:
    """Whether ``use_deterministic_algorithms(..., warn_only=True)`` was called."""
    return bool(_SETTINGS["warn only"])


def get_float32_matmul_precision() -> str:
    """The float32 matmul precision torch code asked for: "highest" unless set (here always full float32)."""
    return str(_SETTINGS["matmul precision"])


def set_float32_matmul_precision(precision: str) -> None:
    """Keep torch's float32 matmul precision ("highest", "high" or "medium"): reported back; float32
    products here are always computed in float32 (numpy's BLAS).

    Raises
    ------
    RuntimeError
        ``precision`` is none of the three.
    """
    if precision not in ("highest", "high", "medium"):
        raise RuntimeError(f"Invalid precision {precision!r}: expected 'highest', 'high' or 'medium'")
    _SETTINGS["matmul precision"] = precision

