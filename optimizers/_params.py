"""How the optimizers see a parameter: the one place that reads and writes ``.grad``
and ``.data`` (optimizers, clipping, checkpoints and LBFGS all go through it).

Parameters are duck-typed: anything with ``.data`` and ``.grad``.

* Tensor-like: ``.data`` is an ndarray (updated in place, dtype preserved). A class that keeps
  its gradient's numbers in ``_grad`` and wraps them in ``.grad`` (``autograd.Tensor``, whose
  ``.grad`` is a Tensor sharing that array) is read and written through ``_grad``, so an
  optimizer step builds no wrapper.
* Value-like: ``.data`` is a Python float, viewed as a 0-d float64 array and
  written back as a float, so Values go through the same update code as Tensors.

A gradient may be ``None`` (none yet, or cleared: the parameter is skipped), plain
numbers (an ndarray for a Tensor, a float for a Value), or a graph node holding
them in ``.data`` (after ``backward(create_graph=True)``: a Tensor or a Value, or
any Tensor-like gradient object); a node's numbers are used, as torch does.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

_PLAIN = (np.ndarray, np.generic, numbers.Number)
#: per parameter class, the attribute that holds its gradient as stored ("_grad" or "grad")
_STORED: dict[type, str] = {}


def grad_attribute(p: Any) -> str:
    """The attribute of ``p`` that holds its gradient as stored (``"_grad"`` or ``"grad"``)."""
    name = _STORED.get(type(p))
    if name is None:
        kind = type(p)
        name = _STORED[kind] = (
            "_grad"
            if isinstance(getattr(kind, "grad", None), property) and hasattr(kind, "_grad")
            else "grad"
        )
    return name


def is_tensor(p: Any) -> bool:
    """Whether ``p`` holds an array (a Tensor) rather than a number (a Value)."""
    return isinstance(p.data, np.ndarray)


def grad_array(p: Any) -> np.ndarray | None:
    """The numbers of ``p``'s gradient as an ndarray, or None when it has none.

    For a Tensor this is the gradient's own array (in-place edits, such as clipping,
    write through, as torch's in-place gradient ops do); for a Value a 0-d float64 copy.

    Raises:
        TypeError: the gradient holds no numbers of the parameter's kind.
    """
    grad = getattr(p, grad_attribute(p))
    if grad is None or (type(grad) is np.ndarray and type(p.data) is np.ndarray):
        return grad  # none, or (the common case) a Tensor's own array
    held = grad if isinstance(grad, _PLAIN) else getattr(grad, "data", grad)
    if is_tensor(p):
        if isinstance(held, (np.ndarray, np.generic)):
            return np.asarray(held)
    elif isinstance(held, _PLAIN) and np.ndim(held) == 0 and np.asarray(held).dtype.kind in "fiu":
        return np.array(held, dtype=np.float64)
    expected = "an ndarray or a Tensor" if is_tensor(p) else "a float or a Value"
    raise TypeError(f".grad: expected {expected}, got {type(grad).__name__}")


def set_grad(p: Any, grad: np.ndarray | float | None) -> None:
    """Store ``grad`` (numbers, or None to clear it) as ``p``'s gradient: an ndarray for
    a Tensor, a float for a Value. A gradient object whose array already is ``grad``
    (edited in place) is kept as it is."""
    name = grad_attribute(p)
    if grad is None:
        setattr(p, name, None)
    elif not is_tensor(p):
        setattr(p, name, float(grad))
    else:
        old = getattr(p, name)
        if old is not grad and getattr(old, "data", None) is not grad:
            setattr(p, name, grad)


def data_array(p: Any) -> np.ndarray:
    """A writable ndarray of ``p``'s data: the Tensor's own array, or a 0-d copy of a Value."""
    return p.data if is_tensor(p) else np.array(p.data, dtype=np.float64)


def set_data(p: Any, data: np.ndarray) -> None:
    """Store ``data`` as the data of ``p`` (a float for a Value), counted as a change in place."""
    if is_tensor(p):
        p.data = data
        changed_in_place([p])
    else:
        p.data = float(data)


#: per parameter class, its function that counts changes of ``.data`` made in place, or None
_CHANGED: dict[type, Any] = {}


def changed_in_place(params: list[Any]) -> None:
    """Tell ``params`` (Tensor-like, all of one library) their arrays were changed in place, where
    their class counts such changes (``autograd.Tensor._changed_in_place(arrays)``: torch's version
    counter, by which a backward pass through a graph that read the old numbers raises, as torch's
    does after ``optimizer.step()``)."""
    hook = _hook(type(params[0]))
    if hook is not None:
        hook([p.data for p in params])


def _hook(kind: type) -> Any:
    hook = _CHANGED.get(kind, False)
    if hook is False:
        hook = _CHANGED[kind] = getattr(kind, "_changed_in_place", None)
    return hook
