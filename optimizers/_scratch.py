"""Reusable arrays for the intermediate results of an optimizer step (``Scratch``).

An update written as ``param -= lr * grad`` allocates a parameter-sized temporary for
``lr * grad`` at every step (torch's in-place ``add_(grad, alpha=-lr)`` allocates none).
``Scratch`` gives each intermediate result an array that is kept from step to step.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

#: ``Scratch().apply``: ``tmp(slot, ufunc, *args)`` is ``ufunc(*args)``, written into a reused array
Tmp = Callable[..., Any]

#: Results with fewer elements are allocated as usual (for small arrays ``out=`` costs more than it saves).
MIN_SIZE = 4096


class Scratch:
    """Arrays an optimizer reuses for the intermediate results of its updates.

    Not state: never saved or loaded, built on first use. There is one flat array per slot
    (a name) and dtype, as large as the largest result written to it, viewed in each result's
    shape. A slot holds one result at a time: read a result before the slot is written again
    (writing a slot's result back into the same slot, in place, is fine).

    Optimizers hold the bound method ``apply`` (as ``self._tmp``), the cheapest to call.
    """

    def __init__(self) -> None:
        self._flat: dict[tuple[str, np.dtype], np.ndarray] = {}
        self._views: dict[tuple[str, tuple[int, ...], np.dtype], np.ndarray] = {}

    def apply(self, slot: str, ufunc: Callable[..., Any], *args: Any) -> Any:
        """``ufunc(*args)``, written into the array of ``slot``.

        The first or, if the first is a Python number, the second argument is an array of the
        result's shape (the others are arrays of that shape or scalars). The result has the
        dtype numpy gives ``ufunc(*args)`` (``np.result_type``, Python scalars weak), so its
        numbers are bitwise those of ``ufunc(*args)``; a non-float result, or one with fewer
        than ``MIN_SIZE`` elements, is allocated as usual.
        """
        try:
            first = args[0]
            size = first.size
        except AttributeError:  # a Python number
            first = args[1]
            size = first.size
        if size < MIN_SIZE:
            return ufunc(*args)
        dtype = np.result_type(*args)
        if dtype.kind != "f":  # e.g. an integer true_divide, whose result type is not result_type's
            return ufunc(*args)
        key = (slot, first.shape, dtype)
        out = self._views.get(key)
        if out is None:
            out = self._view(key)
        return ufunc(*args, out=out)

    def _view(self, key: tuple[str, tuple[int, ...], np.dtype]) -> np.ndarray:
        slot, shape, dtype = key
        size = math.prod(shape)
        flat = self._flat.get((slot, dtype))
        if flat is None or flat.size < size:
            flat = self._flat[slot, dtype] = np.empty(size, dtype)
            self._views = {k: v for k, v in self._views.items() if (k[0], k[2]) != (slot, dtype)}
        view = self._views[key] = flat[:size].reshape(shape)
        return view
