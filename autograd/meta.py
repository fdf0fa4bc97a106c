"""torch's meta device: tensors with a shape and a dtype but no data.

PyTorch's recipes build a large model on ``"meta"`` (no memory, no initialization), then give it
its weights with ``load_state_dict(sd, assign=True)`` or ``to_empty(device="cpu")``, and use meta
tensors to learn the shapes a network produces. Here a meta tensor is a Tensor whose ``data`` is a
:class:`MetaArray`: an array of the right shape and dtype whose elements all share one number's
memory. numpy's ufuncs and array functions on it compute on that placeholder and return meta
arrays again, so shapes and dtypes propagate through the engine, backward passes included, without
a change to it; asking a meta Tensor for its values (``item()``, ``tolist()``, ``numpy()``,
``bool()``, ``float()``, ``nonzero()``, masked indexing) raises torch's errors. (The engine's own
checks of a result, such as softmax's test for an all -inf row, see the placeholder numbers.)

Limits: the computation still runs on placeholder numbers (the memory of a result is freed at once,
but not its time), and an array that leaves numpy's dispatch (``np.asarray``) loses the mark.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

#: torch's error for a value asked of a meta tensor (``item()``, ``bool()``, ``float()``)
NO_ITEM = "Tensor.item() cannot be called on meta tensors"
#: torch's error for the data of a meta tensor (``tolist()``, ``.cpu()``, ``.to("cpu")``)
NO_DATA = "Cannot copy out of meta tensor; no data!"

#: numpy functions whose result depends on the values (torch has no meta kernel for them)
_DATA_DEPENDENT = {
    np.nonzero, np.flatnonzero, np.argwhere, np.unique, np.count_nonzero, np.extract,
    np.allclose, np.array_equal, np.array_equiv,
}  # fmt: skip


class MetaArray(np.ndarray):
    """An array with a shape and a dtype and no data of its own (see :mod:`autograd.meta`).

    numpy's ufuncs and array functions return meta arrays; the values raise torch's errors.
    """

    def __array_ufunc__(self, ufunc: np.ufunc, method: str, *inputs: Any, **kwargs: Any) -> Any:
        out = kwargs.get("out")
        if out is not None:
            kwargs["out"] = tuple(_plain(o) for o in out)
        with np.errstate(all="ignore"):
            result = getattr(ufunc, method)(*map(_plain, inputs), **kwargs)
        if out is not None:
            return out[0] if len(out) == 1 else out
        return _marked(result)

    def __array_function__(self, func: Callable[..., Any], types: Any, args: Any, kwargs: Any) -> Any:
        if func in _DATA_DEPENDENT:
            raise NotImplementedError(
                f"{func.__name__}: attempted to run this operator with Meta tensors: its result depends "
                "on the values, which a meta tensor does not have"
            )
        with np.errstate(all="ignore"):
            return _marked(func(*_unmarked(args), **_unmarked(kwargs)))

    def __getitem__(self, index: Any) -> Any:
        for i in index if isinstance(index, tuple) else (index,):
            if isinstance(i, np.ndarray) and i.dtype == bool:
                raise NotImplementedError(
                    "indexing with a mask: attempted to run this operator with Meta tensors (the "
                    "result's shape depends on the mask's values)"
                )
        return _marked(np.ndarray.__getitem__(self.view(np.ndarray), _unmarked(index)))

    def item(self, *args: Any) -> Any:
        """Refused: a meta array has no values (torch's RuntimeError)."""
        raise RuntimeError(NO_ITEM)

    def tolist(self) -> Any:
        """Refused: a meta array has no values (torch's NotImplementedError)."""
        raise NotImplementedError(NO_DATA)

    def nonzero(self) -> Any:
        """Refused: where the nonzeros are depends on the values (torch's NotImplementedError)."""
        raise NotImplementedError(
            "nonzero: attempted to run this operator with Meta tensors: its result depends on the "
            "values, which a meta tensor does not have"
        )

    def __repr__(self) -> str:
        return f"MetaArray(shape={self.shape}, dtype={self.dtype})"

    __str__ = __repr__

    def __reduce__(self) -> Any:
        return (meta_array, (self.shape, self.dtype))


def meta_array(shape: tuple[int, ...], dtype: Any) -> MetaArray:
    """A writable :class:`MetaArray` of ``shape`` and ``dtype`` over one element's memory (its
    placeholder number is 1, so that logarithms and divisions of it stay finite)."""
    one = np.ones(1, dtype=dtype)
    flat = np.lib.stride_tricks.as_strided(one, shape=tuple(shape), strides=(0,) * len(shape), writeable=True)
    return flat.view(MetaArray)


def is_meta(array: Any) -> bool:
    """Whether ``array`` (a Tensor's ``data``) is a meta array."""
    return type(array) is MetaArray


def _plain(x: Any) -> Any:
    return x.view(np.ndarray) if type(x) is MetaArray else x


def _unmarked(x: Any) -> Any:
    """``x`` with every meta array in it (in tuples, lists, dicts) viewed as a plain one."""
    if type(x) is MetaArray:
        return x.view(np.ndarray)
    if type(x) in (tuple, list):
        return type(x)(_unmarked(v) for v in x)
    if type(x) is dict:
        return {k: _unmarked(v) for k, v in x.items()}
    return x


def _marked(x: Any) -> Any:
    """``x`` with every array (and numpy scalar) in it made a meta array of its shape and dtype."""
    if isinstance(x, np.ndarray):  # (a view of the placeholder stays one; a computed array is dropped)
        return x.view(MetaArray) if x.size <= 1 or not any(x.strides) else meta_array(x.shape, x.dtype)
    if isinstance(x, np.generic):
        return meta_array((), x.dtype)
    if type(x) in (tuple, list):
        return type(x)(_marked(v) for v in x)
    return x  # (shapes, dtypes, Python numbers that do not depend on the values)


__all__ = ["MetaArray", "meta_array", "is_meta", "NO_ITEM", "NO_DATA"]
