"""The padding modules of torch.nn (``ZeroPad``, ``ConstantPad``, ``ReflectionPad``,
``ReplicationPad``, ``CircularPad``, each 1-d to 3-d): thin modules over
:func:`~autograd.nn.functional.pad`, which checks the sizes and the input."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .._tensor import Tensor
from . import functional as F
from .module import Module


class _Pad(Module):
    """Pads the last ``_dims`` dimensions with ``_mode`` (an int pads every side by it)."""

    _dims: int
    _mode: str

    def __init__(self, padding: int | Sequence[int]) -> None:
        name = type(self).__name__
        if isinstance(padding, (int, np.integer)) and not isinstance(padding, bool):
            self.padding: tuple[int, ...] = (int(padding),) * (2 * self._dims)
        elif isinstance(padding, Sequence) and not isinstance(padding, str):
            self.padding = tuple(padding)
        else:
            raise TypeError(
                f"{name}: padding must be an int or a tuple of {2 * self._dims} ints, "
                f"got {type(padding).__name__} {padding!r}"
            )

    def forward(self, input: Any) -> Tensor:
        return F.pad(input, self.padding, self._mode)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class _ConstantPad(_Pad):
    _mode = "constant"

    def __init__(self, padding: int | Sequence[int], value: float) -> None:
        super().__init__(padding)
        self.value = value

    def forward(self, input: Any) -> Tensor:
        return F.pad(input, self.padding, "constant", self.value)

    def extra_repr(self) -> str:
        return f"padding={self.padding}, value={self.value}"


class ConstantPad1d(_ConstantPad):
    """Pads the last dimension with ``value`` (``torch.nn.ConstantPad1d``).

    Parameters
    ----------
    padding : int or tuple of int
        ``(left, right)``; an int pads both sides by it (negative sizes crop).
    value : float
        The fill.
    """

    _dims = 1


class ConstantPad2d(_ConstantPad):
    """Pads the last two dimensions with ``value`` (``torch.nn.ConstantPad2d``).

    Parameters
    ----------
    padding : int or tuple of int
        ``(left, right, top, bottom)``; an int pads every side by it (negative sizes crop).
    value : float
        The fill.
    """

    _dims = 2


class ConstantPad3d(_ConstantPad):
    """Pads the last three dimensions with ``value`` (``torch.nn.ConstantPad3d``).

    Parameters
    ----------
    padding : int or tuple of int
        ``(left, right, top, bottom, front, back)``; an int pads every side by it.
    value : float
        The fill.
    """

    _dims = 3


class _ZeroPad(_ConstantPad):
    def __init__(self, padding: int | Sequence[int]) -> None:
        super().__init__(padding, 0.0)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class ZeroPad1d(_ZeroPad):
    """Pads the last dimension with zeros (``torch.nn.ZeroPad1d``).

    Parameters
    ----------
    padding : int or tuple of int
        ``(left, right)``; an int pads both sides by it (negative sizes crop).
    """

    _dims = 1


class ZeroPad2d(_ZeroPad):
    """Pads the last two dimensions with zeros (``torch.nn.ZeroPad2d``).

    Parameters
    ----------
    padding : int or tuple of int
        ``(left, right, top, bottom)``; an int pads every side by it (negative sizes crop).
    """

    _dims = 2


class ZeroPad3d(_ZeroPad):
    """Pads the last three dimensions with zeros (``torch.nn.ZeroPad3d``).

    Parameters
    ----------
    padding : int or tuple of int
        ``(left, right, top, bottom, front, back)``; an int pads every side by it.
    """

    _dims = 3


class ReflectionPad1d(_Pad):
    """Pads the last dimension with its mirror image, the edge not repeated
    (``torch.nn.ReflectionPad1d``; 2-d or 3-d input).

    Parameters
    ----------
    padding : int or tuple of int
        ``(left, right)``, each less than the dimension; an int pads both sides by it.
    """

    _dims, _mode = 1, "reflect"


class ReflectionPad2d(_Pad):
    """Pads the last two dimensions with their mirror image (``torch.nn.ReflectionPad2d``; 3-d or
    4-d input).

    Parameters
    ----------
    padding : int or tuple of int
        ``(left, right, top, bottom)``; an int pads every side by it.
    """

    _dims, _mode = 2, "reflect"


class ReflectionPad3d(_Pad):
    """Pads the last three dimensions with their mirror image (``torch.nn.ReflectionPad3d``; 4-d or
    5-d input).

    Parameters
    ----------
    padding : int or tuple of int
        ``(left, right, top, bottom, front, back)``; an int pads every side by it.
    """

    _dims, _mode = 3, "reflect"


class ReplicationPad1d(_Pad):
    """Pads the last dimension by repeating its edge (``torch.nn.ReplicationPad1d``; 2-d or 3-d
    input).

    Parameters
    ----------
    padding : int or tuple of int
        ``(left, right)``; an int pads both sides by it.
    """

    _dims, _mode = 1, "replicate"


class ReplicationPad2d(_Pad):
    """Pads the last two dimensions by repeating their edges (``torch.nn.ReplicationPad2d``; 3-d or
    4-d input).

    Parameters
    ----------
    padding : int or tuple of int
        ``(left, right, top, bottom)``; an int pads every side by it.
    """

    _dims, _mode = 2, "replicate"


class ReplicationPad3d(_Pad):
    """Pads the last three dimensions by repeating their edges (``torch.nn.ReplicationPad3d``; 4-d
    or 5-d input).

    Parameters
    ----------
    padding : int or tuple of int
        ``(left, right, top, bottom, front, back)``; an int pads every side by it.
    """

    _dims, _mode = 3, "replicate"


class CircularPad1d(_Pad):
    """Pads the last dimension by wrapping around (``torch.nn.CircularPad1d``; 2-d or 3-d input).

    Parameters
    ----------
    padding : int or tuple of int
        ``(left, right)``; an int pads both sides by it.
    """

    _dims, _mode = 1, "circular"


class CircularPad2d(_Pad):
    """Pads the last two dimensions by wrapping around (``torch.nn.CircularPad2d``; 3-d or 4-d
    input).

    Parameters
    ----------
    padding : int or tuple of int
        ``(left, right, top, bottom)``; an int pads every side by it.
    """

    _dims, _mode = 2, "circular"


class CircularPad3d(_Pad):
    """Pads the last three dimensions by wrapping around (``torch.nn.CircularPad3d``; 4-d or 5-d
    input).

    Parameters
    ----------
    padding : int or tuple of int
        ``(left, right, top, bottom, front, back)``; an int pads every side by it.
    """

    _dims, _mode = 3, "circular"
