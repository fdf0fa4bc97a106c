"""torch's ``mode``: the most common value along a dimension and a position of it, composed of the
engine's indexing (no derivative rule of its own: the gradient goes to the element at that position,
as torch's ``mode`` backward puts it, and its derivative in turn).

Which value and which position are torch's CPU kernel's: it sorts the slice's (value, position)
pairs with libstdc++'s ``std::sort`` by the values' ``<``, then walks the runs of equal values and
keeps the first longest one, reporting its last element. So among equally common values the
smallest wins; its position is the last occurrence in the slice where the slice has at most 16
elements (``std::sort`` is then an insertion sort, stable), and where ``std::sort`` (introsort)
leaves it otherwise (reproduced step for step, ``autograd/_stl_sort.py``). nan equals nothing, so
each nan is a run of one and sorts where ``<`` leaves it. ``autograd.mode(x, dim)`` is this
function (the grad-mode switches live in ``autograd.grad_mode``, torch's ``torch.autograd.grad_mode``).
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from ._operands import as_tensor, method_of, tensor_methods
from ._stl_sort import stl_sorted_positions
from .statistics import _dim, _int

__all__ = ["mode"]


class Mode(NamedTuple):
    """What ``mode`` returns, as ``torch.mode``: the values and their positions (int64)."""

    values: Any
    indices: Any


def _last_of_longest_run(values: list[Any], positions: list[int]) -> int:
    """torch's walk over the sorted pairs: the last position of the first longest run of equal values."""
    best, at, run = 0, 0, 0
    for i, v in enumerate(values):
        run += 1
        if i == len(values) - 1 or v != values[i + 1]:
            if run > best:
                best, at = run, positions[i]
            run = 0
    return at


def _row_position(row: np.ndarray) -> int:
    """The position torch's ``mode`` reports for the 1-d ``row``."""
    if not (row.dtype.kind == "f" and np.isnan(row).any()):
        found, counts = np.unique(row, return_counts=True)  # (sorted: the first most common is the smallest)
        if row.size <= 16 or counts.max() == 1:  # (insertion sort is stable: the last; or the only one)
            return int(row.size - 1 - np.argmax(row[::-1] == found[np.argmax(counts)]))
    return _last_of_longest_run(*stl_sorted_positions(row.tolist()))


def mode(input: Any, dim: int = -1, keepdim: bool = False) -> Mode:
    """The most common value along ``dim`` and its position (``torch.mode``): the named tuple
    ``(values, indices)``. Among equally common values the smallest; the position and the tie rules
    are torch's (see the module docstring). The gradient goes to the element at that position.

    Parameters
    ----------
    input : Tensor or array_like
        The input (float, integer or bool).
    dim : int
        The dimension (default -1; 0 or -1 for a 0-d input).
    keepdim : bool
        Keep ``dim`` with length 1 (default False).

    Returns
    -------
    autograd.most_common.Mode
        ``(values, indices)``; the indices an int64 Tensor that requires no grad.

    Raises
    ------
    TypeError
        If ``dim`` is not an int.
    IndexError
        If ``dim`` is out of range or empty (torch's errors).
    """
    x = as_tensor(input, "mode: input")
    axis = _dim("mode", _int("mode", "dim", dim, 2), x.ndim)
    if not x.ndim:  # (keepdim or not: 0-d, as torch's)
        return Mode(x.clone(), x._positions_of(lambda d: np.zeros((), np.int64)))
    n = x.shape[axis]
    if not n:
        raise IndexError(f"mode(): Expected reduction dim {axis} to have non-zero size (shape {x.shape}).")

    def place(data: np.ndarray) -> np.ndarray:
        moved = np.moveaxis(data, axis, -1)
        rows = moved.reshape(-1, n)
        found = np.array([_row_position(r) for r in rows], dtype=np.int64).reshape(-1)
        return np.moveaxis(found.reshape(moved.shape[:-1] + (1,)), -1, axis)

    values, positions = x._take_positions(place, axis, x)
    if not keepdim:
        values, positions = values.squeeze(axis), positions.squeeze(axis)
    return Mode(values, positions)


tensor_methods(mode=method_of(mode))
