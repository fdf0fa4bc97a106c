"""The dtypes a Tensor holds, by torch's names, and the default floating dtype.

``float32``, ``float64``, ``int64`` and ``bool`` (with torch's aliases ``float`` = float32,
``double`` = float64, ``long`` = int64) are numpy dtypes: ``t.dtype == autograd.float64``.
Floating Tensors are differentiable; integer and bool Tensors hold data (class indices, masks,
counts) and cannot require grad, as in torch. The default dtype (what Python floats and the
factories give) is float64 here, float32 in torch; ``set_default_dtype`` changes it.
"""

from __future__ import annotations

import builtins as _builtins
from typing import Any

import numpy as np

float32 = np.dtype(np.float32)
float64 = np.dtype(np.float64)
int64 = np.dtype(np.int64)
double = float64
long = int64
FLOATS = (float64, float32)

#: torch's message when an integer or bool Tensor is asked to require grad
NOT_DIFFERENTIABLE = "Only Tensors of floating point and complex dtype can require gradients"

_default = [float64]


def get_default_dtype() -> np.dtype:
    """The dtype of Tensors made from Python floats and of the factories' results (float64 unless
    changed; torch's default is float32)."""
    return _default[0]


def set_default_dtype(d: Any) -> None:
    """Make ``d`` (float32 or float64) the default floating dtype, as ``torch.set_default_dtype``.

    Raises:
        TypeError: ``d`` is not float32 or float64.
    """
    dt = _dtype_or_none(d)
    if dt not in FLOATS:
        raise TypeError(
            f"set_default_dtype: only floating-point types are supported as the default type "
            f"(float32 or float64), got {d!r}"
        )
    _default[0] = dt
    _set_by_user[0] = True


_set_by_user = [False]


def _explicit_float64() -> _builtins.bool:
    """Whether ``set_default_dtype(float64)`` was called: then draws follow torch's float64 stream
    (see ``autograd.random_state.draw_dtype``); float64 by default stands for torch's float32."""
    return _set_by_user[0] and _default[0] == float64


def _dtype_or_none(d: Any) -> np.dtype | None:
    if d is None:  # (np.dtype(None) is float64)
        return None
    try:
        return np.dtype(d)
    except TypeError:
        return None


def as_dtype(d: Any, what: str) -> np.dtype:
    """``d`` as a Tensor dtype: float32, float64, a (signed or unsigned) integer dtype or bool.
    Python's ``float``, ``int`` and ``bool`` mean float64, int64 and bool, as in torch.

    Raises:
        TypeError: anything else; the message names ``what``.
    """
    dt = _dtype_or_none(d)
    if dt is None or not (dt in FLOATS or dt.kind in "biu"):
        raise TypeError(
            f"{what}: dtype must be float32, float64, an integer dtype (int64) or bool, got {d!r}"
        )
    return dt


def cast_first(x: Any, dtype: Any, what: str) -> Any:
    """``x`` cast to ``dtype`` (torch's ``dtype=`` of a reduction, scan or softmax: the input is cast
    before the operation), or ``x`` itself when ``dtype`` is None."""
    return x if dtype is None else x.to(as_dtype(dtype, what))


def accumulate(x: Any, dtype: Any, what: str, op: Any) -> Any:
    """``op(x)`` with torch's dtypes of a sum-like reduction or scan (sum, prod, nansum, trace,
    cumsum, cumprod): integers and bool are added (multiplied) as int64, so a uint8 or int32 sum
    is int64 (numpy's uint8 sum is uint64; its int32 trace int32). With ``dtype``, ``x`` is cast
    to it first and the result is of it: an integer ``dtype`` wraps as torch's accumulation in it
    does (int64 arithmetic cast back is the same modulo 2^bits), bool gives nonzero.

    Parameters
    ----------
    x : Tensor
        The input.
    dtype : numpy.dtype or None
        torch's ``dtype=`` argument.
    what : str
        The operation's name, for the error message.
    op : callable
        The reduction, called with a floating or int64 Tensor.
    """
    dt = x.data.dtype if dtype is None else as_dtype(dtype, what)
    if dt.kind not in "biu":
        return op(x.to(dt))
    out = op(x.to(dt).to(int64))
    return out if dtype is None else out.to(dt)


#: torch's refusal of a kernel for floats only (softmax, logcumsumexp) given integers (``{op}``: its
#: name; ``{dtype}``: torch's name of the dtype)
KERNEL_OF_FLOATS = "\"{op}\" not implemented for '{{dtype}}' (floats only: cast the input, or give dtype=)"


def refuse_integers(x: Any, message: str, error: type[Exception] = RuntimeError) -> None:
    """Raise torch's ``error`` with ``message`` (``{dtype}``: torch's name of the dtype, ``Long``) when
    ``x`` holds integers or bools: the operations torch computes on floats only.

    Parameters
    ----------
    x : Tensor
        The input.
    message : str
        The message, with ``{dtype}`` where the dtype's name goes.
    error : type
        The exception class (torch's: RuntimeError or NotImplementedError).
    """
    dt = x.data.dtype
    if dt.kind in "biu":
        raise error(message.replace("{dtype}", torch_name(dt)))


def is_floating(dt: np.dtype) -> Any:
    """Whether Tensors of ``dt`` can require grad (float32 and float64)."""
    return dt.kind == "f"


def finfo(type: Any = None) -> np.finfo:  # noqa: A002 (torch's name)
    """The limits of a floating dtype (``torch.finfo``: ``bits``, ``eps``, ``max``, ``min``, ``tiny``,
    ``smallest_normal``, ``resolution``), the default dtype's without an argument.

    Raises:
        TypeError: ``type`` is not float32 or float64.
    """
    dt = get_default_dtype() if type is None else _dtype_or_none(type)
    if dt not in FLOATS:
        raise TypeError(f"finfo: expected a floating dtype (float32 or float64), got {type!r}")
    return np.finfo(dt)


def iinfo(type: Any) -> np.iinfo:  # noqa: A002 (torch's name)
    """The limits of an integer dtype (``torch.iinfo``: ``bits``, ``max``, ``min``).

    Raises:
        TypeError: ``type`` is not an integer dtype (bool is refused too, as by torch).
    """
    dt = _dtype_or_none(type)
    if dt is None or dt.kind not in "iu":
        raise TypeError(f"iinfo: expected an integer dtype (int64), got {type!r}")
    return np.iinfo(dt)


#: torch's names of the dtypes in its messages ("result type Double can't be cast to ... Long")
_TORCH_NAMES = {"f8": "Double", "f4": "Float", "f2": "Half", "i8": "Long", "i4": "Int", "i2": "Short"}
_TORCH_NAMES.update({"i1": "Char", "u1": "Byte", "b1": "Bool"})


def torch_name(dt: np.dtype) -> str:
    """torch's name of ``dt`` in its error messages (``Double`` for float64, ``Long`` for int64)."""
    return _TORCH_NAMES.get(f"{dt.kind}{dt.itemsize}", str(dt))


def as_number(x: np.generic) -> Any:
    """A numpy scalar as torch reads it beside a tensor: a Python number (``np.float32(3.3)`` is the
    float 3.299999952316284, of the default dtype; ``np.bool_(True)`` the float 1.0, as torch's
    argument parser takes it); other numpy scalars (complex, strings) as they are."""
    kind = x.dtype.kind
    return _builtins.float(x) if kind in "fb" else _builtins.int(x) if kind in "iu" else x


def _kind(dt: np.dtype) -> int:
    """The category order of torch's promotion: bool < integers < floats."""
    return {"b": 0, "i": 1, "u": 1, "f": 2}[dt.kind]


def promote_types(type1: Any, type2: Any) -> np.dtype:
    """The smallest dtype both ``type1`` and ``type2`` cast to, by torch's table (``torch.promote_types``):
    an integer beside a float gives the float (numpy's int64 + float32 is float64, torch's float32).

    Raises:
        TypeError: either is not a Tensor dtype.
    """
    a, b = as_dtype(type1, "promote_types"), as_dtype(type2, "promote_types")
    if _kind(a) != _kind(b):
        return a if _kind(a) > _kind(b) else b
    return np.promote_types(a, b)


def can_cast(from_: Any, to: Any) -> _builtins.bool:  # (the module's `bool` is torch's dtype)
    """Whether torch's type promotion lets ``from_`` be cast to ``to`` (``torch.can_cast``): never to
    a lower category (float → integer or bool, integer → bool); within one, any size."""
    return _kind(as_dtype(from_, "can_cast")) <= _kind(as_dtype(to, "can_cast"))


def result_type(tensor1: Any, tensor2: Any) -> np.dtype:
    """The dtype of an arithmetic op of the two operands, as ``torch.result_type``: a tensor with
    dimensions outranks a 0-d one, which outranks a Python number, unless the lower one is of a
    higher category (an int64 tensor + 2.5 gives the default float dtype).

    Parameters
    ----------
    tensor1, tensor2 : Tensor or float
        The operands (a Tensor, or a Python bool, int or float).
    """
    return operands_type(tensor1, tensor2)


def operands_type(*operands: Any) -> np.dtype:
    """:func:`result_type` of any number of operands (the dtype torch computes ``addcmul`` in).

    Parameters
    ----------
    *operands : Tensor or float
        The operands (Tensors, or Python bools, ints or floats).
    """
    results: list[np.dtype | None] = [None, None, None]  # tensors with dimensions, 0-d ones, numbers
    for x in operands:
        data = getattr(x, "data", None)
        if isinstance(data, np.ndarray):
            rank, dt = (0 if data.ndim else 1), data.dtype
        elif isinstance(x, (_builtins.bool, np.bool_)):  # (the module's `bool` is torch's dtype)
            rank, dt = 2, np.dtype(np.bool_)
        elif isinstance(x, (int, np.integer)):
            rank, dt = 2, int64
        elif isinstance(x, (_builtins.float, np.floating)):
            rank, dt = 2, get_default_dtype()
        else:
            raise TypeError(f"result_type: expected a Tensor or a number, got {type(x).__name__}")
        results[rank] = dt if results[rank] is None else promote_types(results[rank], dt)
    out = None
    for dt in reversed(results):  # (numbers, then 0-d tensors, then tensors with dimensions)
        out = _combine(dt, out)
    assert out is not None
    return out


def _combine(higher: np.dtype | None, lower: np.dtype | None) -> np.dtype | None:
    """torch's ``combine_categories``: the higher-ranked operands' dtype, unless the lower-ranked
    ones are of a higher category."""
    if higher is None:
        return lower
    if lower is None or higher.kind == "f":
        return higher
    if higher.kind == "b" or lower.kind == "f":
        return promote_types(higher, lower)
    return higher


# torch's names that shadow Python builtins, defined last so the code above still sees the builtins
bool = np.dtype(np.bool_)  # noqa: A001
float = float32  # noqa: A001 (torch.float is float32)
