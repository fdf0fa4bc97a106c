"""The dtypes a Tensor holds, by torch's names, and the default floating dtype.

``float32``, ``float64``, ``int64`` and ``bool`` (with torch's aliases ``float`` = float32,
``double`` = float64, ``long`` = int64) are numpy dtypes: ``t.dtype == autograd.float64``.
Floating Tensors are differentiable; integer and bool Tensors hold data (class indices, masks,
counts) and cannot require grad, as in torch. The default dtype (what Python floats and the
factories give) is float64 here, float32 in torch; ``set_default_dtype`` changes it.
"""

from __future__ import annotations

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


def _explicit_float64() -> bool:
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


def is_floating(dt: np.dtype) -> Any:
    """Whether Tensors of ``dt`` can require grad (float32 and float64)."""
    return dt.kind == "f"


# torch's names that shadow Python builtins, defined last so the code above still sees the builtins
bool = np.dtype(np.bool_)  # noqa: A001
float = float32  # noqa: A001 (torch.float is float32)
