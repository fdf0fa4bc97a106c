"""NumPy's namespace for code written for HIPS autograd: ``import autograd.numpy as np``.

Every public name of ``numpy`` is here, generated from ``numpy.__all__`` (HIPS autograd's
design: a thinly wrapped numpy). On plain arrays and numbers each function *is* numpy's: the same
values, dtypes and printed output. On Tensors, Values and ValueArrays (and so inside
:func:`autograd.grad` and the other transforms, whose arguments become nodes) the call records the
graph through the engine: numpy's ufuncs are numpy's own objects and reach the engine through
``__array_ufunc__``; the functions numpy dispatches with ``__array_function__`` are wrapped so that
a list holding nodes (``np.sum([t1, t2])``) is joined into one node first instead of being
converted, and detached, by numpy. ``np.array``, ``np.asarray`` and their kin build a Tensor from a
list holding Tensors (``np.array([[x, 1.0], [2.0, x]])``), a ValueArray from one holding Values, and
return a node given one; anything else is numpy's. ``autograd.numpy.random`` is ``numpy.random``;
``autograd.numpy.linalg`` and ``autograd.numpy.fft`` are numpy's, wrapped the same way.

``import autograd`` does not import this module; the first ``import autograd.numpy`` does.
"""

from __future__ import annotations

from typing import Any

import numpy as _np

from .. import numpy_dispatch as _numpy_dispatch  # noqa: F401 (Tensor's numpy protocols)
from .._tensor import Tensor as _Tensor
from ..value import Value as _Value
from ..value_array import ValueArray as _ValueArray
from . import linalg
from ._wrapping import has_node as _has_node
from ._wrapping import join as _join
from ._wrapping import namespace as _namespace

_NO = object()


def _node_array(obj: Any, dtype: Any, copy: Any, what: str, extra: dict[str, Any]) -> Any:
    """``obj`` (a node, or a list holding nodes) as one node of ``dtype``."""
    for name, value in extra.items():
        if value not in (None, False, 0, "K", "A", "C"):
            raise TypeError(
                f"autograd.numpy.{what}: the option {name}={value!r} is not supported for Tensors, Values "
                f"or lists holding them (results are graph nodes); call it without {name}"
            )
    node = obj if isinstance(obj, (_Tensor, _Value, _ValueArray)) else _join(obj, what)
    if isinstance(node, _Value):
        node = _ValueArray(node)
    if dtype is not None and isinstance(node, _Tensor) and _np.dtype(dtype) != node.data.dtype:
        return node.to(_np.dtype(dtype))
    if copy and node is obj and isinstance(node, _Tensor):
        return node.clone()
    return node


def array(object: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: A002 (numpy's parameter name)
    """``numpy.array``; given a node, or a list holding nodes, one node of the graph instead.

    Parameters
    ----------
    object : array_like, node, or nested list holding nodes
        The data. A list holding Tensors becomes one stacked Tensor (the numbers in it constants
        of the Tensors' dtype); one holding Values, a ValueArray; a Value, a 0-d ValueArray.
    *args, **kwargs
        numpy's options (``dtype``, ``copy``, ``order``, ``subok``, ``ndmin``, ``like``). For nodes,
        ``dtype`` casts a Tensor and ``copy`` clones one; the others must keep their defaults.

    Returns
    -------
    numpy.ndarray, Tensor or ValueArray
        numpy's array when ``object`` holds no node, else the node.

    Raises
    ------
    TypeError
        For nodes with an option other than ``dtype``/``copy``, or a list mixing Tensors and Values.
    """
    if not _has_node(object):
        return _np.array(object, *args, **kwargs)
    names = ("dtype",)
    given = dict(zip(names, args), **kwargs)
    dtype, copy = given.pop("dtype", None), given.pop("copy", True)
    return _node_array(object, dtype, copy, "array", given)


array.__wrapped__ = _np.array  # type: ignore[attr-defined]


def _converter(name: str) -> Any:
    func = getattr(_np, name)

    def convert(a: Any, *args: Any, **kwargs: Any) -> Any:
        if not _has_node(a):
            return func(a, *args, **kwargs)
        given = dict(zip(("dtype", "order"), args), **kwargs)
        dtype = given.pop("dtype", None)
        return _node_array(a, dtype, given.pop("copy", None), name, given)

    convert.__name__ = convert.__qualname__ = name
    convert.__doc__ = f"""``numpy.{name}``; given a node, or a list holding nodes, that node (or the
    list joined into one, as :func:`autograd.numpy.array` does) instead.

    Parameters
    ----------
    a : array_like, node, or nested list holding nodes
        The data.
    *args, **kwargs
        numpy's options; for nodes only ``dtype`` (and ``copy``) may be given.

    Returns
    -------
    numpy.ndarray, Tensor or ValueArray
        numpy's result when ``a`` holds no node, else the node.
    """
    convert.__wrapped__ = func  # type: ignore[attr-defined]
    return convert


#: this package's submodules imported when first used (numpy.random alone takes 10 ms)
_LAZY = ("random", "fft")
_CONVERTERS = ("asarray", "asanyarray", "ascontiguousarray", "asfortranarray", "asarray_chkfinite")
_SPECIAL: dict[str, Any] = {
    "array": array,
    "linalg": linalg,
    **{name: _converter(name) for name in _CONVERTERS},
}
globals().update(_namespace(_np, [n for n in _np.__all__ if n not in _LAZY], _SPECIAL))

__all__ = list(_np.__all__)


def __getattr__(name: str) -> Any:
    """``random`` and ``fft`` (this package's, imported when first used); numpy's lazily loaded
    submodules and its names outside ``numpy.__all__`` (``numpy.__version__``), as numpy's."""
    if name in _LAZY:
        import importlib

        return importlib.import_module(f".{name}", __name__)
    return getattr(_np, name)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(dir(_np)))
