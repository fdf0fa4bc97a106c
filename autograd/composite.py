"""Operations composed from primitives, shared by ``Tensor`` and ``ValueArray``.

Nothing here has a derivative rule: each gradient follows from the chain rule
through the primitives used. A class using this mixin provides the
primitives (``sum``, ``max``, ``log_softmax``, ``exp``, arithmetic) and
``data``/``ndim``/``size``.
"""

from __future__ import annotations

from typing import Any, Union

import numpy as np

Axis = Union[int, tuple[int, ...], None]


def normalize_axis(axis: Axis, ndim: int, op: str) -> Axis:
    """``axis`` with negative entries made positive; a clear error when out of range."""
    if axis is None or (type(axis) is int and 0 <= axis < ndim):
        return axis
    single = isinstance(axis, (int, np.integer))
    axes = (axis,) if single else tuple(axis) if isinstance(axis, (tuple, list)) else (None,)
    if not all(isinstance(a, (int, np.integer)) and not isinstance(a, bool) for a in axes):
        raise TypeError(f"{op}: axis must be None, an int or a tuple of ints, got {axis!r}")
    for a in axes:
        if not -max(ndim, 1) <= a < max(ndim, 1):
            raise ValueError(f"{op}: axis {a} is out of range for an array with {ndim} dimension(s)")
    if ndim == 0:  # a 0-d array takes axis 0 or -1, as in PyTorch: there is nothing to reduce over
        return ()
    norm = tuple(int(a) % ndim for a in axes)
    return norm[0] if single else norm


class Composite:
    """mean, min, softmax and comparisons, written once for both node arrays."""

    __slots__ = ()
    data: np.ndarray

    # comparisons give plain boolean arrays of the data (no gradient); == stays identity
    def __lt__(self, other: Any) -> np.ndarray:
        return self.data < np.asarray(other)

    def __le__(self, other: Any) -> np.ndarray:
        return self.data <= np.asarray(other)

    def __gt__(self, other: Any) -> np.ndarray:
        return self.data > np.asarray(other)

    def __ge__(self, other: Any) -> np.ndarray:
        return self.data >= np.asarray(other)

    def mean(self, axis: Axis = None, keepdims: bool = False) -> Any:
        """sum(x) / n over the reduced axes."""
        axis = normalize_axis(axis, self.ndim, "mean")  # type: ignore[attr-defined]
        total = self.sum(axis, keepdims)  # type: ignore[attr-defined]
        size = self.data.size
        if size == total.data.size:  # one element per mean: no 1/n node needed
            return total
        return total * (total.data.size / size if size else np.nan)

    def min(self, axis: Axis = None, keepdims: bool = False) -> Any:
        """-max(-x)."""
        axis = normalize_axis(axis, self.ndim, "min")  # type: ignore[attr-defined]
        return -(-self).max(axis, keepdims)  # type: ignore[operator]

    def softmax(self, axis: Axis = -1) -> Any:
        """exp(log_softmax(x))."""
        return self.log_softmax(axis).exp()
