"""Products of arrays: matmul."""

from __future__ import annotations

from typing import Any

import numpy as np

from .primitive import Primitive


def _insert(ns: Any, x: Any, axis: int) -> Any:
    """``x`` with a length-1 axis inserted at ``axis`` (negative: counted from the end)."""
    shape = list(x.shape)
    shape.insert(axis if axis >= 0 else len(shape) + 1 + axis, 1)
    return ns.reshape(x, tuple(shape))


def _drop(ns: Any, x: Any, axis: int) -> Any:
    """``x`` without its length-1 axis ``axis``."""
    shape = list(x.shape)
    del shape[axis]
    return ns.reshape(x, tuple(shape))


# numpy's rules for 1-D operands: a 1 axis is prepended/appended, then dropped
def _matmul_da(ns: Any, g: Any, out: Any, a: Any, b: Any) -> Any:
    if b.ndim == 1:
        return g * b if a.ndim == 1 else _insert(ns, g, -1) * b
    if a.ndim == 1:
        return _drop(ns, _insert(ns, g, -2) @ ns.mT(b), -2)
    return g @ ns.mT(b)


def _matmul_db(ns: Any, g: Any, out: Any, a: Any, b: Any) -> Any:
    if a.ndim == 1:
        return g * a if b.ndim == 1 else _insert(ns, a, -1) * _insert(ns, g, -2)
    if b.ndim == 1:
        return _drop(ns, ns.mT(a) @ _insert(ns, g, -1), -1)
    return ns.mT(a) @ g


MATMUL = Primitive("@", np.matmul, (_matmul_da, _matmul_db), ("g @ bᵀ", "aᵀ @ g"))
