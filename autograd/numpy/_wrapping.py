"""How ``autograd.numpy`` builds its namespaces from NumPy's: every public name of a numpy module,
with the functions that take arrays wrapped so that Tensors, Values and ValueArrays held in
lists reach the engine instead of being converted (and detached) by numpy.

A wrapper costs one scan of its arguments: with no node among them (plain arrays, scalars, lists
of numbers) it calls numpy's function and returns its result untouched, so plain code gets
numpy's values, dtypes and printed output. With a node somewhere, a list (or tuple) holding nodes
that numpy would convert with ``np.asarray`` is first joined into one node (:func:`join`), then
numpy's own dispatch (``__array_function__``/``__array_ufunc__``, :mod:`autograd.numpy_dispatch`)
records the graph. An object array of Values that numpy hands back becomes a ValueArray.
"""

from __future__ import annotations

import functools
import types
from collections.abc import Callable
from typing import Any

import numpy as np

from .._tensor import Tensor, stack
from ..value import Value
from ..value_array import ValueArray

NODES = (Tensor, Value, ValueArray)

#: numpy functions whose argument at (position, keyword) is a sequence of arrays that numpy's own
#: dispatch looks into (np.concatenate([t1, t2]) reaches the Tensors): only nested lists in it are joined
SEQUENCES: dict[str, tuple[tuple[int, str], ...]] = {
    "concatenate": ((0, "arrays"),),
    "concat": ((0, "arrays"),),
    "stack": ((0, "arrays"),),
    "vstack": ((0, "tup"),),
    "hstack": ((0, "tup"),),
    "dstack": ((0, "tup"),),
    "column_stack": ((0, "tup"),),
    "row_stack": ((0, "tup"),),
    "choose": ((1, "choices"),),
    "select": ((0, "condlist"), (1, "choicelist")),
    "lexsort": ((0, "keys"),),
    "block": (),  # (numpy's dispatch walks block's nested lists itself)
}


def has_node(x: Any) -> bool:
    """Whether ``x`` is a node or a list/tuple (at any depth) holding one."""
    if isinstance(x, NODES):
        return True
    if type(x) is list or type(x) is tuple:
        return any(has_node(v) for v in x)
    return isinstance(x, np.ndarray) and x.dtype == object and any(isinstance(v, NODES) for v in x.flat)


def _leaves(x: Any) -> list[Any]:
    if isinstance(x, (list, tuple)):
        return [leaf for v in x for leaf in _leaves(v)]
    return [x]


def join(obj: Any, what: str = "array") -> Any:
    """A nested list/tuple holding nodes as one node: a Tensor (stacked, the constants made
    Tensors of the Tensors' dtype) when it holds a Tensor, else a ValueArray of its Values."""
    leaves = _leaves(obj)
    tensors = [x for x in leaves if isinstance(x, Tensor)]
    if not tensors:
        return ValueArray(obj)
    if any(isinstance(x, (Value, ValueArray)) for x in leaves):
        raise TypeError(
            f"numpy.{what}: a list holding both Tensors and Values (or ValueArrays) cannot become one "
            "array; make the Values Tensors (autograd.tensor) or the Tensors ValueArrays"
        )
    dtype = np.result_type(*(t.data.dtype for t in tensors))
    like = Tensor._node(np.zeros((), dtype))

    def build(x: Any) -> Tensor:
        if isinstance(x, Tensor):
            return x if x.data.dtype == dtype else x.to(dtype)
        if isinstance(x, (list, tuple)):
            if not has_node(x):
                return like._lift(np.asarray(x, dtype=dtype))
            parts = [build(v) for v in x]
            if not parts:
                return like._lift(np.zeros(0, dtype))
            return stack(parts)
        return like._lift(np.asarray(x, dtype=dtype))

    return build(obj)


def _joined(name: str, args: tuple, kwargs: dict) -> tuple[tuple, dict]:
    """``args`` and ``kwargs`` with every list holding nodes that numpy would convert joined."""
    sequences = SEQUENCES.get(name)
    args, kwargs = list(args), dict(kwargs)
    if sequences is None:
        args = [join(a, name) if type(a) in (list, tuple) and has_node(a) else a for a in args]
        for k, v in kwargs.items():
            if type(v) in (list, tuple) and has_node(v):
                kwargs[k] = join(v, name)
        return tuple(args), kwargs

    def inner(seq: Any) -> Any:
        if type(seq) not in (list, tuple):
            return seq
        return type(seq)(join(v, name) if type(v) in (list, tuple) and has_node(v) else v for v in seq)

    for position, keyword in sequences:
        if position < len(args):
            args[position] = inner(args[position])
        elif keyword in kwargs:
            kwargs[keyword] = inner(kwargs[keyword])
    return tuple(args), kwargs


def _as_node(result: Any) -> Any:
    """An object array of Values (numpy's object loops on Values) as a ValueArray; tuples and lists
    of results likewise, element by element."""
    if isinstance(result, np.ndarray) and result.dtype == object and result.size:
        if all(isinstance(v, (Value, int, float)) for v in result.flat) and any(
            isinstance(v, Value) for v in result.flat
        ):
            return ValueArray(result)
        return result
    if type(result) in (list, tuple):
        return type(result)(_as_node(r) for r in result)
    return result


def wrap(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    """``func`` (a numpy function taking arrays) for nodes in lists: numpy's own result when no
    argument holds a node."""

    @functools.wraps(func)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        for a in args:
            if has_node(a):
                break
        else:
            if not any(has_node(v) for v in kwargs.values()):
                return func(*args, **kwargs)
        args, kwargs = _joined(name, args, kwargs)
        return _as_node(func(*args, **kwargs))

    return wrapped


def dispatched(obj: Any) -> bool:
    """Whether ``obj`` is a numpy function that takes part in ``__array_function__`` dispatch."""
    return type(obj).__name__ == "_ArrayFunctionDispatcher"


def namespace(module: types.ModuleType, names: list[str], special: dict[str, Any]) -> dict[str, Any]:
    """``module``'s public ``names``: numpy's array functions wrapped (:func:`wrap`), ``special``
    where given, every other object (ufuncs, dtypes, classes, constants) numpy's own. Names numpy
    has not loaded yet (its lazy submodules) are left out, for the module's ``__getattr__``."""
    found: dict[str, Any] = {}
    loaded = vars(module)
    for name in names:
        if name in special:
            found[name] = special[name]
            continue
        if (
            name not in loaded
        ):  # (numpy's lazily imported submodules, np.ma, np.testing: the module's __getattr__)
            continue
        obj = loaded[name]
        found[name] = wrap(name, obj) if dispatched(obj) else obj
    return found
